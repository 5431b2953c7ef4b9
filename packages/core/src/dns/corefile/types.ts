// The Corefile's data model, shared by the lexer, parser, dispenser and plugin setups: tokens,
// directives, zone addresses, each modelled plugin's parsed options, and the error they all throw.

export class CorefileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorefileError';
  }
}

export interface CorefileToken {
  text: string;
  line: number;
  file: string;
}

/** A directive as written: name, same-line arguments, and its `{ }` block (one entry per line). */
export interface Directive {
  name: string;
  args: string[];
  line: number;
  block?: Directive[];
}

export interface ZoneAddr {
  /** Lowercase FQDN ("." for the root, reverse CIDRs expanded to their in-addr.arpa zone). */
  zone: string;
  port: number;
  transport: 'dns' | 'tls' | 'grpc' | 'https' | 'quic';
}

export interface KubernetesPlugin {
  name: 'kubernetes';
  line: number;
  /** Normalised zones; the first non-reverse one is the primary zone (PTR targets use it). */
  zones: string[];
  primaryZone: string;
  pods: 'disabled' | 'insecure' | 'verified';
  /** Zones for which a name error falls through to the next plugin; undefined = no fallthrough. */
  fallthrough?: string[];
  ttl: number;
  endpointPodNames: boolean;
  noEndpoints: boolean;
  ignoreEmptyService: boolean;
  /** `namespaces` option: only these are exposed (empty = all). */
  namespaces: string[];
}

export interface ForwardPlugin {
  name: 'forward';
  line: number;
  /** Normalised FROM zone. */
  from: string;
  /** Destinations as written after expansion (`/etc/resolv.conf` stays a file reference). */
  to: string[];
  except: string[];
  maxConcurrent?: number;
  policy: 'random' | 'round_robin' | 'sequential';
}

export interface CachePlugin {
  name: 'cache';
  line: number;
  zones: string[];
  successTTL: number;
  denialTTL: number;
  successMinTTL: number;
  denialMinTTL: number;
  servfailTTL: number;
  disableSuccess: string[];
  disableDenial: string[];
}

export interface HostsEntry {
  ip: string;
  names: string[];
}

export interface HostsPlugin {
  name: 'hosts';
  line: number;
  file: string;
  origins: string[];
  /** Inline entries first, then the file's (as CoreDNS merges them). */
  entries: HostsEntry[];
  ttl: number;
  reverse: boolean;
  fallthrough?: string[];
}

export type RewriteMatch = 'exact' | 'prefix' | 'suffix' | 'substring' | 'regex';

export interface RewriteNameRule {
  field: 'name';
  mode: 'stop' | 'continue';
  match: RewriteMatch;
  from: string;
  to: string;
  /** How answer owner names are mapped back (exact rules always revert automatically). */
  answer?: { kind: 'auto' } | { kind: 'name'; from: string; to: string };
}

/** type/class/edns0/ttl/cname/rcode rules: accepted as CoreDNS does, not modelled. */
export interface RewriteOtherRule {
  field: string;
  mode: 'stop' | 'continue';
  args: string[];
}

export interface RewritePlugin {
  name: 'rewrite';
  line: number;
  rules: (RewriteNameRule | RewriteOtherRule)[];
}

export interface SimplePlugin {
  name: 'errors' | 'health' | 'ready' | 'prometheus' | 'loop' | 'reload' | 'loadbalance' | 'log';
  line: number;
  args: string[];
  /** health's lameduck, reload's interval/jitter, loadbalance's policy, … */
  options: Record<string, string>;
}

/** A directive CoreDNS accepts but the simulator does not model (passes queries through). */
export interface UnmodelledPlugin {
  name: string;
  line: number;
  unmodelled: true;
  args: string[];
}

export type PluginConfig = KubernetesPlugin | ForwardPlugin | CachePlugin | HostsPlugin | RewritePlugin | SimplePlugin | UnmodelledPlugin;

export interface ServerBlock {
  /** Keys as written (`.:53`, `example.com:53`). */
  keys: string[];
  zones: ZoneAddr[];
  line: number;
  /** Directives in Corefile order (for display and round trips). */
  directives: Directive[];
  /** Configured plugins in execution order (plugin.cfg order; several `forward`s keep theirs). */
  plugins: PluginConfig[];
}

export interface Corefile {
  file: string;
  serverBlocks: ServerBlock[];
  /** What CoreDNS would log as [WARNING] while loading (missing hosts files, empty import globs). */
  warnings: string[];
}

export interface ParseOptions {
  /** The path CoreDNS was started with (`-conf`); appears in every parse error. */
  file?: string;
  /**
   * Files visible inside the CoreDNS container, by absolute path (hosts files, forward's
   * resolv.conf-style files, imports). `/etc/resolv.conf` always exists (the node's, as
   * dnsPolicy Default gives it); `/etc/hosts` defaults to the kubelet-managed pod hosts file.
   */
  files?: Record<string, string>;
}
