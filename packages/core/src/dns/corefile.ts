// Corefile parsing and validation, as CoreDNS does it when it loads (or reloads) its config.
//
// CoreDNS reads the Corefile with its fork of the Caddy v1 parser (github.com/coredns/caddy):
// a lexer, a server-block parser, then InspectServerBlocks (core/dnsserver/register.go) turns
// the block keys into zone:port pairs, and every plugin's setup function validates its own
// tokens. Each stage has its own error wording, and those strings are what `kubectl logs` of a
// crash-looping CoreDNS pod shows, so they are reproduced here:
//
//   parser:     `<file>:<line> - Error during parsing: Unknown directive 'xyz'`
//               `<file>:<line> - Syntax error: Unexpected token 'x', expecting '}'`
//   keys:       `zone is not a valid domain name: <host>` (no file/line: InspectServerBlocks)
//   setup:      `plugin/<name>: <file>:<line> - Error during parsing: Wrong argument count or
//                unexpected line ending after '<token>'` (plugin.Error wrapping c.ArgErr/c.Errf)
//               or `plugin/<name>: <go error>` when the plugin returns a plain fmt/strconv error.
//   servers:    `cannot serve dns://.:53 - it is already defined`
//
// The file name is what CoreDNS was started with: kubeadm's Deployment runs
// `coredns -conf /etc/coredns/Corefile`, hence the default.
//
// Setup functions run in plugin.cfg order (the directive order below), not in Corefile order,
// and so does the request chain: the order plugins are written in has no effect in CoreDNS.

import { DEFAULT_KUBERNETES_VERSION, versionAtLeast } from '../api/version.js';

/** Directives CoreDNS 1.12 knows (plugin.cfg order = setup order = execution order). */
export const COREDNS_DIRECTIVES = [
  'root',
  'metadata',
  'geoip',
  'cancel',
  'tls',
  'quic',
  'timeouts',
  'multisocket',
  'reload',
  'nsid',
  'bufsize',
  'bind',
  'debug',
  'trace',
  'ready',
  'health',
  'pprof',
  'prometheus',
  'errors',
  'log',
  'dnstap',
  'local',
  'dns64',
  'acl',
  'any',
  'chaos',
  'loadbalance',
  'tsig',
  'cache',
  'rewrite',
  'header',
  'dnssec',
  'autopath',
  'minimal',
  'template',
  'transfer',
  'hosts',
  'route53',
  'azure',
  'clouddns',
  'k8s_external',
  'kubernetes',
  'file',
  'auto',
  'secondary',
  'etcd',
  'loop',
  'forward',
  'grpc',
  'erratic',
  'whoami',
  'on',
  'sign',
  'view',
] as const;

/** Plugins whose options are validated and whose behaviour the simulator models. */
export const MODELLED_PLUGINS = ['errors', 'health', 'ready', 'kubernetes', 'prometheus', 'forward', 'cache', 'loop', 'reload', 'loadbalance', 'hosts', 'log', 'rewrite'] as const;

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

// ---------------------------------------------------------------------------------------------
// Lexer (caddyfile/lexer.go semantics): whitespace separates tokens, `"…"` quotes (only `\"` is
// an escape), `#` starts a comment wherever it appears outside quotes, `{`/`}` are ordinary
// tokens that only mean something when they stand alone.

function tokenize(text: string, file: string): CorefileToken[] {
  const out: CorefileToken[] = [];
  let line = 1;
  let val = '';
  let tokLine = 1;
  let inToken = false;
  let quoted = false;
  let escaped = false;
  let comment = false;
  const emit = () => {
    out.push({ text: val, line: tokLine, file });
    val = '';
    inToken = false;
  };
  for (const ch of text) {
    if (quoted) {
      if (!escaped) {
        if (ch === '\\') {
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quoted = false;
          emit();
          continue;
        }
      }
      if (ch === '\n') line++;
      if (escaped && ch !== '"') val += '\\';
      val += ch;
      escaped = false;
      continue;
    }
    if (ch === '\r') continue;
    if (/\s/u.test(ch)) {
      if (ch === '\n') {
        line++;
        comment = false;
      }
      if (inToken) emit();
      continue;
    }
    if (ch === '#') comment = true;
    if (comment) continue;
    if (!inToken) {
      inToken = true;
      tokLine = line;
      if (ch === '"') {
        quoted = true;
        continue;
      }
    }
    val += ch;
  }
  if (inToken && (val.length > 0 || !quoted)) emit();
  return out;
}

function lineBreaks(t: CorefileToken | undefined): number {
  if (!t) return 0;
  let n = 0;
  for (const c of t.text) if (c === '\n') n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Errors in the dispenser's wording.

function errAt(t: CorefileToken | undefined, fallbackFile: string, msg: string): CorefileError {
  return new CorefileError(`${t?.file ?? fallbackFile}:${t?.line ?? 0} - Error during parsing: ${msg}`);
}

function syntaxErrAt(t: CorefileToken | undefined, fallbackFile: string, expected: string): CorefileError {
  return new CorefileError(`${t?.file ?? fallbackFile}:${t?.line ?? 0} - Syntax error: Unexpected token '${t?.text ?? ''}', expecting '${expected}'`);
}

// ---------------------------------------------------------------------------------------------
// Server-block parser (caddyfile/parse.go).

interface RawDirective {
  name: string;
  tokens: CorefileToken[];
}

interface RawBlock {
  keys: CorefileToken[];
  directives: RawDirective[];
}

interface ParserState {
  tokens: CorefileToken[];
  cursor: number;
  file: string;
  snippets: Map<string, CorefileToken[]>;
  files: Record<string, string>;
  warnings: string[];
  eof: boolean;
}

const VALID_DIRECTIVES: ReadonlySet<string> = new Set(COREDNS_DIRECTIVES);

function cur(p: ParserState): CorefileToken | undefined {
  return p.tokens[p.cursor];
}

function val(p: ParserState): string {
  return cur(p)?.text ?? '';
}

function next(p: ParserState): boolean {
  if (p.cursor < p.tokens.length - 1) {
    p.cursor++;
    return true;
  }
  return false;
}

function isNewLine(p: ParserState): boolean {
  if (p.cursor < 1) return true;
  const prev = p.tokens[p.cursor - 1];
  const c = p.tokens[p.cursor];
  if (!prev || !c) return true;
  return prev.file !== c.file || prev.line + lineBreaks(prev) < c.line;
}

function nextArg(p: ParserState): boolean {
  if (p.cursor < 0) {
    p.cursor++;
    return true;
  }
  const c = p.tokens[p.cursor];
  const n = p.tokens[p.cursor + 1];
  if (c && n && c.file === n.file && c.line + lineBreaks(c) === n.line) {
    p.cursor++;
    return true;
  }
  return false;
}

function perr(p: ParserState, msg: string): CorefileError {
  return errAt(cur(p), p.file, msg);
}

function doImport(p: ParserState): void {
  if (!nextArg(p)) throw perr(p, `Wrong argument count or unexpected line ending after '${val(p)}'`);
  const pattern = val(p);
  if (pattern === '') throw perr(p, 'Import requires a non-empty filepath');
  if (nextArg(p)) throw perr(p, 'Import takes only one argument (glob pattern or file)');
  let imported: CorefileToken[] = [];
  const snippet = p.snippets.get(pattern);
  if (snippet) imported = snippet;
  else if (p.files[pattern] !== undefined) imported = tokenize(p.files[pattern] ?? '', pattern);
  else if (/[*?[\]]/.test(pattern)) p.warnings.push(`[WARNING] No files matching import glob pattern: ${pattern}`);
  else throw perr(p, `File to import not found: ${pattern}`);
  // Splice `import <pattern>` out and the imported tokens in, as doImport does.
  const before = p.tokens.slice(0, p.cursor - 1);
  const after = p.tokens.slice(p.cursor + 1);
  p.tokens = [...before, ...imported, ...after];
  p.cursor--;
}

function addresses(p: ParserState, block: RawBlock): void {
  let expectingAnother = false;
  for (;;) {
    let tkn = val(p);
    if (tkn === 'import' && isNewLine(p)) {
      doImport(p);
      continue;
    }
    if (tkn === '{') {
      if (expectingAnother) throw perr(p, `Expected another address but had '${tkn}' - check for extra comma`);
      break;
    }
    if (tkn !== '') {
      if (tkn.endsWith(',')) {
        tkn = tkn.slice(0, -1);
        expectingAnother = true;
      } else {
        expectingAnother = false;
      }
      const c = cur(p);
      block.keys.push({ text: tkn, line: c?.line ?? 0, file: c?.file ?? p.file });
    }
    const hasNext = next(p);
    if (expectingAnother && !hasNext) throw perr(p, 'Unexpected EOF');
    if (!hasNext) {
      p.eof = true;
      break;
    }
    if (!expectingAnother && isNewLine(p)) break;
  }
}

function directive(p: ParserState, block: RawBlock): void {
  const dir = val(p);
  if (!VALID_DIRECTIVES.has(dir)) throw perr(p, `Unknown directive '${dir}'`);
  const first = cur(p);
  const tokens: CorefileToken[] = first ? [first] : [];
  let nesting = 0;
  while (next(p)) {
    const v = val(p);
    if (v === '{') nesting++;
    else if (isNewLine(p) && nesting === 0) {
      p.cursor--;
      break;
    } else if (v === '}' && nesting > 0) nesting--;
    else if (v === '}' && nesting === 0) throw perr(p, "Unexpected '}' because no matching opening brace");
    const c = cur(p);
    if (c) tokens.push(c);
  }
  if (nesting > 0) throw perr(p, 'Unexpected EOF');
  block.directives.push({ name: dir, tokens });
}

function directives(p: ParserState, block: RawBlock): void {
  while (next(p)) {
    if (val(p) === '}') break;
    if (val(p) === 'import') {
      doImport(p);
      p.cursor--;
      continue;
    }
    directive(p, block);
  }
}

function snippetTokens(p: ParserState): CorefileToken[] {
  if (val(p) !== '{') throw syntaxErrAt(cur(p), p.file, '{');
  let count = 1;
  const tokens: CorefileToken[] = [];
  while (next(p)) {
    if (val(p) === '}') {
      count--;
      if (count === 0) break;
    }
    if (val(p) === '{') count++;
    const c = cur(p);
    if (c) tokens.push(c);
  }
  if (count !== 0) throw syntaxErrAt(cur(p), p.file, '}');
  return tokens;
}

function parseOne(p: ParserState): RawBlock | undefined {
  const block: RawBlock = { keys: [], directives: [] };
  if (p.tokens.length === 0) return undefined;
  addresses(p, block);
  if (p.eof) return block;
  const only = block.keys.length === 1 ? (block.keys[0]?.text ?? '') : '';
  if (only.startsWith('(') && only.endsWith(')')) {
    p.snippets.set(only.slice(1, -1), snippetTokens(p));
    return undefined;
  }
  const opened = val(p) === '{';
  if (!opened) p.cursor--; // single-server configs don't need curly braces
  directives(p, block);
  if (opened && val(p) !== '}') throw syntaxErrAt(cur(p), p.file, '}');
  return block;
}

function parseAll(p: ParserState): RawBlock[] {
  const blocks: RawBlock[] = [];
  while (next(p)) {
    const b = parseOne(p);
    if (b && b.keys.length > 0) blocks.push(b);
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// Directive tree (for display and round trips): one Directive per line, `{ … }` nests.

function directiveTree(tokens: CorefileToken[]): Directive {
  let i = 0;
  const sameLine = (a: CorefileToken | undefined, b: CorefileToken | undefined) => !!a && !!b && a.file === b.file && a.line + lineBreaks(a) === b.line;
  const readLine = (): Directive | undefined => {
    const head = tokens[i];
    if (!head) return undefined;
    i++;
    const d: Directive = { name: head.text, args: [], line: head.line };
    let prev = head;
    while (i < tokens.length && sameLine(prev, tokens[i])) {
      const t = tokens[i]!;
      if (t.text === '{') {
        i++;
        d.block = readBlock();
        return d;
      }
      d.args.push(t.text);
      prev = t;
      i++;
    }
    // A `{` opening on the next line still belongs to this directive (the parser allows it).
    if (tokens[i]?.text === '{') {
      i++;
      d.block = readBlock();
    }
    return d;
  };
  const readBlock = (): Directive[] => {
    const out: Directive[] = [];
    while (i < tokens.length) {
      if (tokens[i]?.text === '}') {
        i++;
        return out;
      }
      const d = readLine();
      if (d) out.push(d);
    }
    return out;
  };
  return readLine() ?? { name: '', args: [], line: 0 };
}

// ---------------------------------------------------------------------------------------------
// Names and zones.

/** miekg/dns IsDomainName: no empty inner labels, labels < 64 octets, wire length ≤ 255. */
export function isDomainName(s: string): boolean {
  if (s.length === 0) return false;
  const fq = s.endsWith('.') ? s : `${s}.`;
  if (fq === '.') return true;
  let off = 0;
  let begin = 0;
  let wasDot = false;
  let escaping = false;
  for (let i = 0; i < fq.length; i++) {
    const c = fq[i];
    if (c === '\\') {
      escaping = !escaping;
      continue;
    }
    if (c === '.') {
      if (escaping) {
        escaping = false;
        continue;
      }
      if (wasDot) return false;
      wasDot = true;
      const labelLen = i - begin;
      if (labelLen >= 64) return false;
      off += 1 + labelLen;
      if (off > 256) return false;
      begin = i + 1;
    } else {
      wasDot = false;
      escaping = false;
    }
  }
  return true;
}

/** plugin.Name(...).Normalize(): lowercase FQDN. */
export function normalizeName(s: string): string {
  const l = s.toLowerCase();
  return l.endsWith('.') ? l : `${l}.`;
}

function splitTransport(s: string): { transport: ZoneAddr['transport']; rest: string } {
  for (const t of ['dns', 'tls', 'grpc', 'https', 'quic'] as const) {
    if (s.startsWith(`${t}://`)) return { transport: t, rest: s.slice(t.length + 3) };
  }
  return { transport: 'dns', rest: s };
}

const DEFAULT_PORTS: Record<ZoneAddr['transport'], number> = { dns: 53, tls: 853, grpc: 443, https: 443, quic: 853 };

/** Reverse zone for a CIDR key, rounding the mask out to an octet boundary as SplitHostPort does. */
function reverseZoneForCidr(host: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(host);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const ones = Number(m[5]);
  if (octets.some((o) => o > 255) || ones > 32) return undefined;
  const hostBits = 32 - ones;
  const nearest = hostBits + (hostBits % 8);
  const strip = Math.floor(nearest / 8);
  const labels = [...octets].reverse().slice(strip);
  return `${labels.join('.')}${labels.length ? '.' : ''}in-addr.arpa.`;
}

/** Host part of a key or zone argument (transport and port stripped), as plugin.Host.Normalize. */
function splitHostPort(s: string): { host: string; port?: string } {
  const colon = s.lastIndexOf(':');
  if (colon === s.length - 1 && colon >= 0) throw new CorefileError(`expecting data after last colon: ${JSON.stringify(s)}`);
  let host = s;
  let port: string | undefined;
  if (colon !== -1) {
    const p = s.slice(colon + 1);
    if (/^[+-]?\d+$/.test(p)) {
      port = String(Number(p));
      host = s.slice(0, colon);
    }
  }
  if (host.length > 255) throw new CorefileError(`specified zone is too long: ${host.length} > 255`);
  if (!isDomainName(host)) throw new CorefileError(`zone is not a valid domain name: ${host}`);
  const rev = reverseZoneForCidr(host);
  return rev ? { host: rev, ...(port !== undefined ? { port } : {}) } : { host, ...(port !== undefined ? { port } : {}) };
}

function hostNormalize(s: string): string {
  try {
    return normalizeName(splitHostPort(splitTransport(s).rest).host);
  } catch {
    return '';
  }
}

function zoneAddrs(keys: CorefileToken[]): ZoneAddr[] {
  return keys.map((k) => {
    const { transport, rest } = splitTransport(k.text);
    const { host, port } = splitHostPort(rest);
    return { zone: normalizeName(host), port: port !== undefined ? Number(port) : DEFAULT_PORTS[transport], transport };
  });
}

/** fall.F.SetZonesFromArgs: no zones = everything. */
function fallZones(args: string[]): string[] {
  return args.length === 0 ? ['.'] : args.map((z) => hostNormalize(z) || normalizeName(z));
}

// ---------------------------------------------------------------------------------------------
// The dispenser handed to each plugin's setup (caddyfile/dispenser.go).

interface Controller {
  tokens: CorefileToken[];
  cursor: number;
  nesting: number;
  file: string;
  plugin: string;
  /** Normalised server block zones (c.ServerBlockKeys through plugin.Host.Normalize). */
  keys: string[];
  files: Record<string, string>;
  warnings: string[];
}

function cNext(c: Controller): boolean {
  if (c.cursor < c.tokens.length - 1) {
    c.cursor++;
    return true;
  }
  return false;
}

function cVal(c: Controller): string {
  return c.tokens[c.cursor]?.text ?? '';
}

function cNextArg(c: Controller): boolean {
  if (c.cursor < 0) {
    c.cursor++;
    return true;
  }
  const t = c.tokens[c.cursor];
  const n = c.tokens[c.cursor + 1];
  if (t && n && t.file === n.file && t.line + lineBreaks(t) === n.line) {
    c.cursor++;
    return true;
  }
  return false;
}

function cRemainingArgs(c: Controller): string[] {
  const args: string[] = [];
  while (cNextArg(c)) {
    if (cVal(c) === '{') {
      c.cursor--;
      break;
    }
    args.push(cVal(c));
  }
  return args;
}

function cNextBlock(c: Controller): boolean {
  if (c.nesting > 0) {
    cNext(c);
    if (cVal(c) === '}') {
      c.nesting--;
      return false;
    }
    return true;
  }
  if (!cNextArg(c)) return false;
  if (cVal(c) !== '{') {
    c.cursor--;
    return false;
  }
  cNext(c);
  if (cVal(c) === '}') return false;
  c.nesting++;
  return true;
}

/** plugin.Error(name, err): `plugin/<name>: <err>`. */
function pluginErr(c: Controller, msg: string): CorefileError {
  return new CorefileError(`plugin/${c.plugin}: ${msg}`);
}

function cErrf(c: Controller, msg: string): CorefileError {
  const t = c.tokens[Math.max(0, Math.min(c.cursor, c.tokens.length - 1))];
  return pluginErr(c, `${t?.file ?? c.file}:${t?.line ?? 0} - Error during parsing: ${msg}`);
}

function cArgErr(c: Controller): CorefileError {
  if (cVal(c) === '{') return cErrf(c, "Unexpected token '{', expecting argument");
  return cErrf(c, `Wrong argument count or unexpected line ending after '${cVal(c)}'`);
}

const ERR_ONCE = 'this plugin can only be used once per Server Block';

// Go's strconv/time error texts, since plugins return them unwrapped.
function atoi(s: string): number | string {
  if (/^[+-]?\d+$/.test(s)) {
    const n = Number(s);
    if (Math.abs(n) <= 2 ** 63) return n;
    return `strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`;
  }
  return `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
}

/** time.ParseDuration, returning milliseconds or Go's error text. */
export function parseGoDuration(s: string): number | string {
  const orig = s;
  const bad = `time: invalid duration ${JSON.stringify(orig)}`;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return bad;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  while (s.length > 0) {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s);
    if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) return bad;
    s = s.slice(m[0].length);
    const u = /^[^\d.]+/.exec(s);
    if (!u) return `time: missing unit in duration ${JSON.stringify(orig)}`;
    const mult = units[u[0]];
    if (mult === undefined) return `time: unknown unit ${JSON.stringify(u[0])} in duration ${JSON.stringify(orig)}`;
    total += Number(`${m[1] || '0'}.${m[2] ?? '0'}`) * mult;
    s = s.slice(u[0].length);
  }
  return sign * total;
}

// ---------------------------------------------------------------------------------------------
// Plugin setups. Each consumes all occurrences of its directive in one server block.

type Setup = (c: Controller, line: number) => PluginConfig[];

function simple(name: SimplePlugin['name'], line: number, args: string[], options: Record<string, string> = {}): SimplePlugin {
  return { name, line, args, options };
}

const setupErrors: Setup = (c, line) => {
  let i = 0;
  const out: PluginConfig[] = [];
  while (cNext(c)) {
    if (i++ > 0) throw pluginErr(c, ERR_ONCE);
    const args = cRemainingArgs(c);
    if (args.length > 1) throw cArgErr(c);
    if (args.length === 1 && args[0] !== 'stdout') throw cErrf(c, `invalid log file: ${args[0]}`);
    while (cNextBlock(c)) {
      const prop = cVal(c);
      const a = cRemainingArgs(c);
      if (prop === 'consolidate') {
        if (a.length < 2 || a.length > 3) throw cArgErr(c);
        const d = parseGoDuration(a[0] ?? '');
        if (typeof d === 'string') throw cErrf(c, d);
      } else if (prop === 'stacktrace') {
        if (a.length > 0) throw cArgErr(c);
      } else throw cErrf(c, `unknown property '${prop}'`);
    }
    out.push(simple('errors', line, args));
  }
  return out;
};

const setupHealth: Setup = (c, line) => {
  const options: Record<string, string> = {};
  let args: string[] = [];
  while (cNext(c)) {
    args = cRemainingArgs(c);
    if (args.length > 1) throw cArgErr(c);
    if (args.length === 1 && !/:\d*$/.test(args[0] ?? '')) throw pluginErr(c, `address ${args[0]}: missing port in address`);
    while (cNextBlock(c)) {
      if (cVal(c) !== 'lameduck') throw cArgErr(c);
      const a = cRemainingArgs(c);
      if (a.length !== 1) throw cArgErr(c);
      const d = parseGoDuration(a[0] ?? '');
      if (typeof d === 'string') throw pluginErr(c, `unable to parse lameduck duration value: '${a[0]}' : ${d}`);
      options.lameduck = a[0] ?? '';
    }
  }
  return [simple('health', line, args, options)];
};

const setupAddressOnly =
  (name: 'ready' | 'prometheus'): Setup =>
  (c, line) => {
    let args: string[] = [];
    while (cNext(c)) {
      args = cRemainingArgs(c);
      if (args.length > 1) throw cArgErr(c);
      while (cNextBlock(c)) throw cArgErr(c);
    }
    return [simple(name, line, args)];
  };

const setupLoop: Setup = (c, line) => {
  let i = 0;
  while (cNext(c)) {
    if (i++ > 0) throw pluginErr(c, ERR_ONCE);
    if (cNextArg(c)) throw cArgErr(c);
  }
  return [simple('loop', line, [])];
};

const setupReload: Setup = (c, line) => {
  let i = 0;
  let args: string[] = [];
  const options: Record<string, string> = { interval: '30s', jitter: '15s' };
  while (cNext(c)) {
    if (i++ > 0) throw pluginErr(c, ERR_ONCE);
    args = cRemainingArgs(c);
    if (args.length > 2) throw cArgErr(c);
    let interval = 30_000;
    let jitter = 15_000;
    if (args[0] !== undefined) {
      const d = parseGoDuration(args[0]);
      if (typeof d === 'string') throw pluginErr(c, d);
      interval = d;
      options.interval = args[0];
    }
    if (interval < 2000) throw pluginErr(c, 'interval value must be greater or equal to 2s');
    if (args[1] !== undefined) {
      const d = parseGoDuration(args[1]);
      if (typeof d === 'string') throw pluginErr(c, d);
      jitter = d;
      options.jitter = args[1];
    }
    if (jitter < 1000) throw pluginErr(c, 'jitter value must be greater or equal to 1s');
    if (jitter > interval / 2) throw pluginErr(c, `jitter value must be smaller than half of interval value ${options.interval}`);
  }
  return [simple('reload', line, args, options)];
};

const setupLoadbalance: Setup = (c, line) => {
  let args: string[] = [];
  while (cNext(c)) {
    args = cRemainingArgs(c);
    const policy = args[0] ?? 'round_robin';
    if (policy === 'round_robin') {
      if (args.length > 1) throw cArgErr(c);
    } else if (policy === 'weighted') {
      if (args.length < 2) throw cArgErr(c);
      while (cNextBlock(c)) cRemainingArgs(c);
    } else throw pluginErr(c, `unknown policy: ${policy}`);
  }
  return [simple('loadbalance', line, args, { policy: args[0] ?? 'round_robin' })];
};

const setupLog: Setup = (c, line) => {
  const out: PluginConfig[] = [];
  while (cNext(c)) {
    const args = cRemainingArgs(c);
    while (cNextBlock(c)) {
      const prop = cVal(c);
      const a = cRemainingArgs(c);
      if (prop !== 'class') throw cErrf(c, `unknown property '${prop}'`);
      for (const cl of a) if (!['all', 'success', 'denial', 'error'].includes(cl)) throw cErrf(c, `unknown class: ${cl}`);
    }
    out.push(simple('log', line, args));
  }
  return out;
};

const setupKubernetes: Setup = (c, line) => {
  let i = 0;
  let k: KubernetesPlugin | undefined;
  while (cNext(c)) {
    if (i++ > 0) throw pluginErr(c, ERR_ONCE);
    const zoneArgs = cRemainingArgs(c);
    const zones = zoneArgs.length > 0 ? zoneArgs.map((z) => hostNormalize(z)) : [...c.keys];
    const primaryZone = zones.find((z) => !isReverseZone(z));
    if (primaryZone === undefined) throw pluginErr(c, 'non-reverse zone name must be used');
    k = { name: 'kubernetes', line, zones, primaryZone, pods: 'disabled', ttl: 5, endpointPodNames: false, noEndpoints: false, ignoreEmptyService: false, namespaces: [] };
    while (cNextBlock(c)) {
      const prop = cVal(c);
      switch (prop) {
        case 'endpoint_pod_names':
          if (cRemainingArgs(c).length > 0) throw cArgErr(c);
          k.endpointPodNames = true;
          break;
        case 'pods': {
          const a = cRemainingArgs(c);
          if (a.length !== 1) throw cArgErr(c);
          const mode = a[0] ?? '';
          if (mode !== 'disabled' && mode !== 'insecure' && mode !== 'verified') throw pluginErr(c, `wrong value for pods: ${mode},  must be one of: disabled, verified, insecure`);
          k.pods = mode;
          break;
        }
        case 'namespaces': {
          const a = cRemainingArgs(c);
          if (a.length === 0) throw cArgErr(c);
          k.namespaces.push(...a);
          break;
        }
        case 'endpoint':
        case 'labels':
        case 'namespace_labels':
        case 'multicluster':
          if (cRemainingArgs(c).length === 0) throw cArgErr(c);
          break;
        case 'tls':
          if (cRemainingArgs(c).length !== 3) throw cArgErr(c);
          break;
        case 'kubeconfig': {
          const a = cRemainingArgs(c);
          if (a.length !== 1 && a.length !== 2) throw cArgErr(c);
          break;
        }
        case 'fallthrough':
          k.fallthrough = fallZones(cRemainingArgs(c));
          break;
        case 'ttl': {
          const a = cRemainingArgs(c);
          if (a.length === 0) throw cArgErr(c);
          const t = atoi(a[0] ?? '');
          if (typeof t === 'string') throw pluginErr(c, t);
          if (t < 0 || t > 3600) throw cErrf(c, `ttl must be in range [0, 3600]: ${t}`);
          k.ttl = t;
          break;
        }
        case 'noendpoints':
          if (cRemainingArgs(c).length !== 0) throw cArgErr(c);
          k.noEndpoints = true;
          break;
        case 'ignore': {
          const a = cRemainingArgs(c);
          if (a.length > 0) {
            if (a[0] !== 'empty_service') throw pluginErr(c, `unable to parse ignore value: '${a[0]}'`);
            k.ignoreEmptyService = true;
          }
          break;
        }
        case 'startup_timeout': {
          const a = cRemainingArgs(c);
          if (a.length !== 1) throw cArgErr(c);
          const d = parseGoDuration(a[0] ?? '');
          if (typeof d === 'string') throw pluginErr(c, d);
          break;
        }
        case 'apiserver_qps':
        case 'apiserver_burst':
        case 'apiserver_max_inflight':
          if (cRemainingArgs(c).length !== 1) throw cArgErr(c);
          break;
        default:
          // `upstream` and `resyncperiod` were removed in CoreDNS 1.7–1.8: old ConfigMaps hit this.
          throw cErrf(c, `unknown property '${prop}'`);
      }
    }
  }
  return k ? [k] : [];
};

export function isReverseZone(z: string): boolean {
  return z.endsWith('in-addr.arpa.') || z.endsWith('ip6.arpa.');
}

function parseIPLiteral(s: string): boolean {
  if (/^(\d{1,3})(\.\d{1,3}){3}$/.test(s)) return s.split('.').every((o) => Number(o) <= 255 && !(o.length > 1 && o.startsWith('0')));
  return s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s) && (s.match(/::/g)?.length ?? 0) <= 1;
}

/** parse.HostPortOrFile for one destination. */
function forwardDestination(c: Controller, h: string): string[] {
  const { transport, rest } = splitTransport(h);
  let addr = rest;
  let port: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (bracket && bracket[2] !== undefined) {
    addr = bracket[1] ?? '';
    port = bracket[2];
  } else if (bracket) {
    addr = rest; // `[::1]` without a port is neither host:port nor an address to net.ParseIP
  } else if ((rest.match(/:/g)?.length ?? 0) === 1) {
    addr = rest.slice(0, rest.indexOf(':'));
    port = rest.slice(rest.indexOf(':') + 1);
  }
  if (parseIPLiteral(addr.replace(/%.*$/, ''))) {
    if (transport !== 'dns' && transport !== 'tls') {
      throw pluginErr(c, `'${transport}' is not supported as a destination protocol in forward: ${h}`);
    }
    if (port !== undefined) return [h];
    const p = DEFAULT_PORTS[transport];
    const hp = addr.includes(':') ? `[${addr}]:${p}` : `${addr}:${p}`;
    return [transport === 'dns' ? hp : `${transport}://${hp}`];
  }
  // Not an address: a resolv.conf-style file. /etc/resolv.conf is the node's (dnsPolicy Default).
  if (rest === '/etc/resolv.conf' && c.files[rest] === undefined) return [rest];
  const content = c.files[rest];
  if (content !== undefined) {
    const servers = content
      .split('\n')
      .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
      .filter((x): x is string => !!x);
    if (servers.length === 0) return [];
    return servers.map((s) => (s.includes(':') ? `[${s}]:53` : `${s}:53`));
  }
  throw pluginErr(c, `not an IP address or file: ${JSON.stringify(rest)}`);
}

const setupForward: Setup = (c, line) => {
  const out: ForwardPlugin[] = [];
  while (cNext(c)) {
    if (!cNextArg(c)) throw cArgErr(c);
    const fromArg = cVal(c);
    const from = hostNormalize(fromArg);
    if (!from) throw pluginErr(c, `unable to normalize '${fromArg}'`);
    const toArgs = cRemainingArgs(c);
    if (toArgs.length === 0) throw cArgErr(c);
    const to: string[] = [];
    for (const h of toArgs) to.push(...forwardDestination(c, h));
    if (to.length === 0) throw pluginErr(c, 'no nameservers found');
    if (to.length > 15) throw pluginErr(c, `more than 15 TOs configured: ${to.length}`);
    const f: ForwardPlugin = { name: 'forward', line, from, to, except: [], policy: 'random' };
    while (cNextBlock(c)) {
      const prop = cVal(c);
      switch (prop) {
        case 'except': {
          const a = cRemainingArgs(c);
          if (a.length === 0) throw cArgErr(c);
          f.except.push(...a.map((z) => hostNormalize(z)));
          break;
        }
        case 'max_fails': {
          if (!cNextArg(c)) throw cArgErr(c);
          if (!/^\d+$/.test(cVal(c))) throw pluginErr(c, `strconv.ParseUint: parsing ${JSON.stringify(cVal(c))}: invalid syntax`);
          break;
        }
        case 'health_check':
        case 'expire': {
          if (!cNextArg(c)) throw cArgErr(c);
          const d = parseGoDuration(cVal(c));
          if (typeof d === 'string') throw pluginErr(c, d);
          if (d < 0) throw pluginErr(c, `${prop} can't be negative: ${cVal(c)}`);
          if (prop === 'health_check') {
            while (cNextArg(c)) {
              const o = cVal(c);
              if (o === 'no_rec') continue;
              if (o === 'domain') {
                if (!cNextArg(c)) throw cArgErr(c);
                continue;
              }
              throw pluginErr(c, `health_check: unknown option ${o}`);
            }
          }
          break;
        }
        case 'force_tcp':
        case 'prefer_udp':
        case 'next':
        case 'failfast_all_unhealthy_upstreams':
          if (prop === 'next') {
            if (cRemainingArgs(c).length === 0) throw cArgErr(c);
          } else if (cNextArg(c)) throw cArgErr(c);
          break;
        case 'tls':
          if (cRemainingArgs(c).length > 3) throw cArgErr(c);
          break;
        case 'tls_servername':
          if (!cNextArg(c)) throw cArgErr(c);
          break;
        case 'policy': {
          if (!cNextArg(c)) throw cArgErr(c);
          const p = cVal(c);
          if (p !== 'random' && p !== 'round_robin' && p !== 'sequential') throw cErrf(c, `unknown policy '${p}'`);
          f.policy = p;
          break;
        }
        case 'max_concurrent': {
          if (!cNextArg(c)) throw cArgErr(c);
          const n = atoi(cVal(c));
          if (typeof n === 'string') throw pluginErr(c, n);
          if (n < 0) throw pluginErr(c, `max_concurrent can't be negative: ${n}`);
          f.maxConcurrent = n;
          break;
        }
        default:
          throw cErrf(c, `unknown property '${prop}'`);
      }
    }
    out.push(f);
  }
  return out;
};

const setupCache: Setup = (c, line) => {
  let j = 0;
  let cfg: CachePlugin | undefined;
  while (cNext(c)) {
    if (j++ > 0) throw pluginErr(c, ERR_ONCE);
    cfg = { name: 'cache', line, zones: [...c.keys], successTTL: 3600, denialTTL: 1800, successMinTTL: 5, denialMinTTL: 5, servfailTTL: 5, disableSuccess: [], disableDenial: [] };
    let args = cRemainingArgs(c);
    if (args.length > 0) {
      const ttl = atoi(args[0] ?? '');
      if (typeof ttl === 'number') {
        if (ttl <= 0) throw pluginErr(c, `cache TTL can not be zero or negative: ${ttl}`);
        cfg.successTTL = ttl;
        cfg.denialTTL = ttl;
        args = args.slice(1);
      }
      if (args.length > 0) cfg.zones = args.map((z) => hostNormalize(z));
    }
    while (cNextBlock(c)) {
      const prop = cVal(c);
      switch (prop) {
        case 'success':
        case 'denial': {
          const a = cRemainingArgs(c);
          if (a.length === 0) throw cArgErr(c);
          const cap = atoi(a[0] ?? '');
          if (typeof cap === 'string') throw pluginErr(c, cap);
          if (a[1] !== undefined) {
            const t = atoi(a[1]);
            if (typeof t === 'string') throw pluginErr(c, t);
            if (t <= 0) throw pluginErr(c, `cache TTL can not be zero or negative: ${t}`);
            if (prop === 'success') cfg.successTTL = t;
            else cfg.denialTTL = t;
          }
          if (a[2] !== undefined) {
            const t = atoi(a[2]);
            if (typeof t === 'string') throw pluginErr(c, t);
            if (t < 0) throw pluginErr(c, `cache min TTL can not be negative: ${t}`);
            if (prop === 'success') cfg.successMinTTL = t;
            else cfg.denialMinTTL = t;
          }
          break;
        }
        case 'prefetch': {
          const a = cRemainingArgs(c);
          if (a.length === 0 || a.length > 3) throw cArgErr(c);
          const n = atoi(a[0] ?? '');
          if (typeof n === 'string') throw pluginErr(c, n);
          if (n < 0) throw pluginErr(c, `prefetch amount should be positive: ${n}`);
          if (a[1] !== undefined) {
            const d = parseGoDuration(a[1]);
            if (typeof d === 'string') throw pluginErr(c, d);
          }
          if (a[2] !== undefined) {
            const pct = a[2];
            if (!pct.endsWith('%')) throw pluginErr(c, `last character of percentage should be \`%\`, but is: '${pct.slice(-1)}'`);
            const num = atoi(pct.slice(0, -1));
            if (typeof num === 'string') throw pluginErr(c, num);
            if (num < 10 || num > 90) throw pluginErr(c, `percentage should fall in range [10, 90]: ${num}`);
          }
          break;
        }
        case 'serve_stale': {
          const a = cRemainingArgs(c);
          if (a.length > 2) throw cArgErr(c);
          if (a[0] !== undefined) {
            const d = parseGoDuration(a[0]);
            if (typeof d === 'string') throw pluginErr(c, d);
            if (d < 0) throw pluginErr(c, `invalid negative duration for serve_stale: ${a[0]}`);
          }
          if (a[1] !== undefined && a[1] !== 'immediate' && a[1] !== 'verify') throw pluginErr(c, `invalid value for serve_stale refresh mode: ${a[1]}`);
          break;
        }
        case 'servfail': {
          const a = cRemainingArgs(c);
          if (a.length !== 1) throw cArgErr(c);
          const d = parseGoDuration(a[0] ?? '');
          if (typeof d === 'string') throw pluginErr(c, d);
          if (d < 0) throw pluginErr(c, `invalid negative ttl for servfail: ${a[0]}`);
          if (d > 300_000) throw pluginErr(c, 'caching SERVFAIL responses over 5 minutes is not permitted');
          cfg.servfailTTL = Math.floor(d / 1000);
          break;
        }
        case 'disable': {
          const a = cRemainingArgs(c);
          if (a.length < 1) throw cArgErr(c);
          const zones = a.length > 1 ? a.slice(1).map((z) => hostNormalize(z)) : [...cfg.zones];
          if (a[0] === 'success') cfg.disableSuccess.push(...zones);
          else if (a[0] === 'denial') cfg.disableDenial.push(...zones);
          else throw pluginErr(c, `cache type for disable must be "success" or "denial"`);
          break;
        }
        case 'keepttl':
          if (cRemainingArgs(c).length !== 0) throw cArgErr(c);
          break;
        default:
          throw cArgErr(c);
      }
    }
  }
  return cfg ? [cfg] : [];
};

/** The kubelet-managed /etc/hosts of the CoreDNS pod (the hosts plugin's default file). */
const KUBELET_POD_HOSTS =
  '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

/** Hostsfile.parse: `IP name…` lines, comments stripped, bad addresses skipped. */
function parseHostsLines(lines: string[]): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const raw of lines) {
    const line = raw.replace(/#.*$/, '').trim();
    const f = line.split(/\s+/).filter(Boolean);
    if (f.length < 2) continue;
    const ip = (f[0] ?? '').replace(/%.*$/, '');
    if (!parseIPLiteral(ip)) continue;
    out.push({ ip, names: f.slice(1).map((n) => normalizeName(n)) });
  }
  return out;
}

const setupHosts: Setup = (c, line) => {
  let i = 0;
  let h: HostsPlugin | undefined;
  while (cNext(c)) {
    if (i++ > 0) throw pluginErr(c, ERR_ONCE);
    const args = cRemainingArgs(c);
    let file = '/etc/hosts';
    let rest = args;
    if (args.length >= 1) {
      file = args[0] ?? file;
      rest = args.slice(1);
    }
    const inline: string[] = [];
    h = { name: 'hosts', line, file, origins: rest.length > 0 ? rest.map((z) => hostNormalize(z)) : [...c.keys], entries: [], ttl: 3600, reverse: true };
    while (cNextBlock(c)) {
      const prop = cVal(c);
      switch (prop) {
        case 'fallthrough':
          h.fallthrough = fallZones(cRemainingArgs(c));
          break;
        case 'no_reverse':
          h.reverse = false;
          break;
        case 'ttl': {
          const a = cRemainingArgs(c);
          if (a.length < 1) throw cErrf(c, 'ttl needs a time in second');
          const t = atoi(a[0] ?? '');
          if (typeof t === 'string') throw cErrf(c, 'ttl needs a number of second');
          if (t <= 0 || t > 65535) throw cErrf(c, 'ttl provided is invalid');
          h.ttl = t;
          break;
        }
        case 'reload': {
          const a = cRemainingArgs(c);
          if (a.length !== 1) throw cErrf(c, 'reload needs a duration (zero seconds to disable)');
          const d = parseGoDuration(a[0] ?? '');
          if (typeof d === 'string') throw cErrf(c, `invalid duration for reload '${a[0]}'`);
          if (d < 0) throw cErrf(c, `invalid negative duration for reload '${a[0]}'`);
          break;
        }
        default:
          // Anything else is an inline hosts line, but only before `fallthrough`.
          if (h.fallthrough === undefined) {
            inline.push([prop, ...cRemainingArgs(c)].join(' '));
            continue;
          }
          throw cErrf(c, `unknown property '${prop}'`);
      }
    }
    const content = c.files[file] ?? (file === '/etc/hosts' ? KUBELET_POD_HOSTS : undefined);
    if (content === undefined) c.warnings.push(`[WARNING] plugin/hosts: File does not exist: ${file}`);
    h.entries = [...parseHostsLines(inline), ...parseHostsLines((content ?? '').split('\n'))];
  }
  return h ? [h] : [];
};

/** rewrite's name rule (plugin/rewrite/name.go), plus `answer auto`. */
function newNameRule(mode: 'stop' | 'continue', args: string[]): RewriteNameRule {
  if (args.length < 2) throw new Error('too few arguments for a name rule');
  let match: string;
  let from: string;
  let to: string;
  if (args.length === 2) {
    match = 'exact';
    from = normalizeName(args[0] ?? '');
    to = normalizeName(args[1] ?? '');
  } else {
    match = (args[0] ?? '').toLowerCase();
    from = match === 'regex' ? (args[1] ?? '') : normalizeName(args[1] ?? '');
    to = match === 'regex' ? (args[2] ?? '') : normalizeName(args[2] ?? '');
  }
  if (!['exact', 'prefix', 'suffix', 'substring', 'regex'].includes(match)) {
    throw new Error(`name rule supports only exact, prefix, suffix, substring, and regex name matching, received: ${match}`);
  }
  const m = match as RewriteMatch;
  const checkRegex = (pattern: string, replacement: string): void => {
    let re: RegExp;
    try {
      re = new RegExp(pattern);
    } catch {
      throw new Error(`invalid regex matching pattern: ${pattern}`);
    }
    const groups = new RegExp(`${re.source}|`).exec('')?.length ?? 1;
    let used = 0;
    for (let i = 0; i <= 100; i++) if (replacement.includes(`{${i}}`)) used++;
    if (used > groups - 1) throw new Error(`the rewrite regex pattern (${replacement}) uses more subexpressions than its corresponding matching regex pattern (${pattern})`);
  };
  if (m === 'regex') {
    checkRegex(from, to);
    to = normalizeName(to);
  }
  const rule: RewriteNameRule = { field: 'name', mode, match: m, from, to };
  if (args.length === 3 || args.length === 2) return rule;
  // `answer auto` (newer CoreDNS) reverts answer names for every match type.
  if (args.length === 5 && args[3] === 'answer' && args[4] === 'auto') return { ...rule, answer: { kind: 'auto' } };
  if (args.length !== 7 && args.length !== 5) throw new Error('response rewrites must consist only of a name rule with 3 arguments and an answer rule with 3 arguments');
  if (m !== 'regex') throw new Error('the rewrite of response is supported only for name regex rule');
  if (args[3] !== 'answer') throw new Error('exceeded the number of arguments for a regex name rule');
  const field = (args[4] ?? '').toLowerCase();
  if (field !== 'name' || args.length !== 7) throw new Error('exceeded the number of arguments for a regex name rule');
  checkRegex(args[5] ?? '', args[6] ?? '');
  return { ...rule, answer: { kind: 'name', from: args[5] ?? '', to: normalizeName(args[6] ?? '') } };
}

function newRewriteRule(args: string[]): RewriteNameRule | RewriteOtherRule {
  if (args.length === 0) throw new Error('no rule type specified for rewrite');
  const arg0 = (args[0] ?? '').toLowerCase();
  let mode: 'stop' | 'continue' = 'stop';
  let start = 1;
  let ruleType = arg0;
  if (arg0 === 'continue' || arg0 === 'stop') {
    if (args.length < 2) throw new Error(`${arg0} rule must begin with a rule type`);
    mode = arg0;
    ruleType = (args[1] ?? '').toLowerCase();
    start = 2;
  }
  const rest = args.slice(start);
  switch (ruleType) {
    case 'answer':
      throw new Error('response rewrites must begin with a name rule');
    case 'name':
      return newNameRule(mode, rest);
    case 'class':
    case 'type':
      if (rest.length !== 2) throw new Error(`${ruleType} rules must have exactly two arguments`);
      return { field: ruleType, mode, args: rest };
    case 'edns0':
    case 'ttl':
    case 'cname':
    case 'rcode':
      if (rest.length < 2) throw new Error(`${ruleType} rules must have at least two arguments`);
      return { field: ruleType, mode, args: rest };
    default:
      throw new Error(`invalid rule type ${JSON.stringify(args[0])}`);
  }
}

const setupRewrite: Setup = (c, line) => {
  const rules: (RewriteNameRule | RewriteOtherRule)[] = [];
  while (cNext(c)) {
    let args = cRemainingArgs(c);
    if (args.length < 2) {
      // The block form: `rewrite [continue|stop] { name regex … ; answer name … }` is one rule.
      while (cNextBlock(c)) {
        args = [...args, cVal(c), ...cRemainingArgs(c)];
      }
    }
    try {
      rules.push(newRewriteRule(args));
    } catch (e) {
      throw pluginErr(c, (e as Error).message);
    }
  }
  return [{ name: 'rewrite', line, rules }];
};

const setupUnmodelled: Setup = (c, line) => {
  const out: PluginConfig[] = [];
  while (cNext(c)) {
    const name = cVal(c);
    const args = cRemainingArgs(c);
    while (cNextBlock(c)) cRemainingArgs(c);
    out.push({ name, line, unmodelled: true, args });
  }
  return out;
};

const SETUPS: Record<string, Setup> = {
  errors: setupErrors,
  health: setupHealth,
  ready: setupAddressOnly('ready'),
  prometheus: setupAddressOnly('prometheus'),
  loop: setupLoop,
  reload: setupReload,
  loadbalance: setupLoadbalance,
  log: setupLog,
  kubernetes: setupKubernetes,
  forward: setupForward,
  cache: setupCache,
  hosts: setupHosts,
  rewrite: setupRewrite,
};

// ---------------------------------------------------------------------------------------------

function zoneAddrString(z: ZoneAddr): string {
  return `${z.transport}://${z.zone}:${z.port}`;
}

/** Parse and validate a Corefile the way CoreDNS does at startup; throws CorefileError. */
export function parseCorefile(text: string, opts: ParseOptions = {}): Corefile {
  const file = opts.file ?? '/etc/coredns/Corefile';
  const files = opts.files ?? {};
  const warnings: string[] = [];
  const p: ParserState = { tokens: tokenize(text, file), cursor: -1, file, snippets: new Map(), files, warnings, eof: false };
  const raw = parseAll(p);

  // InspectServerBlocks: keys → zone/port (errors carry no file:line).
  const zonesPerBlock = raw.map((b) => zoneAddrs(b.keys));

  // Setup, directive by directive in plugin.cfg order, each across all server blocks.
  const pluginsPerBlock: { idx: number; plugins: PluginConfig[] }[][] = raw.map(() => []);
  COREDNS_DIRECTIVES.forEach((name, idx) => {
    raw.forEach((b, bi) => {
      const occurrences = b.directives.filter((d) => d.name === name);
      if (occurrences.length === 0) return;
      const tokens = occurrences.flatMap((d) => d.tokens);
      const keys = (zonesPerBlock[bi] ?? []).map((z) => z.zone);
      const c: Controller = { tokens, cursor: -1, nesting: 0, file, plugin: name, keys, files, warnings };
      const setup = SETUPS[name] ?? setupUnmodelled;
      const line = occurrences[0]?.tokens[0]?.line ?? 0;
      pluginsPerBlock[bi]?.push({ idx, plugins: setup(c, line) });
    });
  });

  // MakeServers: the same zone on the same listener twice is fatal.
  const seen = new Set<string>();
  for (const zs of zonesPerBlock) {
    for (const z of zs) {
      const key = zoneAddrString(z);
      if (seen.has(key)) throw new CorefileError(`cannot serve ${key} - it is already defined`);
      seen.add(key);
    }
  }

  const serverBlocks: ServerBlock[] = raw.map((b, bi) => ({
    keys: b.keys.map((k) => k.text),
    zones: zonesPerBlock[bi] ?? [],
    line: b.keys[0]?.line ?? 0,
    directives: b.directives.map((d) => directiveTree(d.tokens)),
    plugins: (pluginsPerBlock[bi] ?? []).sort((x, y) => x.idx - y.idx).flatMap((x) => x.plugins),
  }));
  return { file, serverBlocks, warnings };
}

function quoteArg(a: string): string {
  return a === '' || /[\s"{}#]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a;
}

function formatDirectives(ds: Directive[], depth: number): string {
  // kubeadm's layout: 4 spaces inside a server block, 3 more per nested block.
  const indent = ' '.repeat(4 + 3 * (depth - 1));
  let out = '';
  for (const d of ds) {
    const head = [d.name, ...d.args.map(quoteArg)].join(' ');
    if (d.block) {
      out += `${indent}${head} {\n${formatDirectives(d.block, depth + 1)}${indent}}\n`;
    } else {
      out += `${indent}${head}\n`;
    }
  }
  return out;
}

/** Print a parsed Corefile back in kubeadm's layout (comments are not kept). */
export function formatCorefile(cf: Corefile): string {
  return cf.serverBlocks.map((b) => `${b.keys.join(' ')} {\n${formatDirectives(b.directives, 1)}}\n`).join('\n');
}

/**
 * The Corefile kubeadm writes into the `coredns` ConfigMap (cmd/kubeadm/app/phases/addons/dns/
 * manifests.go). Since kubeadm 1.32 (kubernetes#128359) the cache skips the cluster domain so
 * authoritative answers are never served stale.
 */
export function kubeadmCorefile(clusterDomain = 'cluster.local', kubernetesVersion: string = DEFAULT_KUBERNETES_VERSION): string {
  const cache = versionAtLeast(kubernetesVersion, 1, 32)
    ? `    cache 30 {\n       disable success ${clusterDomain}\n       disable denial ${clusterDomain}\n    }\n`
    : '    cache 30\n';
  return (
    '.:53 {\n' +
    '    errors\n' +
    '    health {\n' +
    '       lameduck 5s\n' +
    '    }\n' +
    '    ready\n' +
    `    kubernetes ${clusterDomain} in-addr.arpa ip6.arpa {\n` +
    '       pods insecure\n' +
    '       fallthrough in-addr.arpa ip6.arpa\n' +
    '       ttl 30\n' +
    '    }\n' +
    '    prometheus :9153\n' +
    '    forward . /etc/resolv.conf {\n' +
    '       max_concurrent 1000\n' +
    '    }\n' +
    cache +
    '    loop\n' +
    '    reload\n' +
    '    loadbalance\n' +
    '}\n'
  );
}

/** kubeadm's Corefile for the default Kubernetes version and cluster.local. */
export const KUBEADM_COREFILE = kubeadmCorefile();
