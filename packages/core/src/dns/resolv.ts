// A pod's /etc/resolv.conf, formed the way kubelet does it (pkg/kubelet/network/dns/dns.go,
// GetPodDNS) and written the way the container runtime does it.

import type { Pod } from '../api/types.js';

/** Parsed resolv.conf as kubelet hands it to the runtime (CRI DNSConfig): options as "name[:value]". */
export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
}

export interface DnsConfigEvent {
  type: 'Warning';
  reason: 'DNSConfigForming' | 'MissingClusterDNS';
  message: string;
  /** Which object the event is recorded against (MissingClusterDNS goes to the node too). */
  involvedKind: 'Pod' | 'Node';
}

export interface PodResolvConfInput {
  /** kubelet --cluster-dns (KubeletConfiguration clusterDNS). */
  clusterDNS: string[];
  /** kubelet --cluster-domain; '' means no cluster search domains. */
  clusterDomain: string;
  /** The parsed kubelet --resolv-conf file; null stands for --resolv-conf="". */
  hostResolvConf: ResolvConf | null;
  /** Node IPs, only read when hostResolvConf is null (127.0.0.1 per IPv4, ::1 per IPv6). */
  nodeIPs?: string[];
  /** ExpandedDNSConfig (GA in 1.28): 32 search paths / 2048 chars instead of 6 / 256. Default true. */
  expandedDNSConfig?: boolean;
}

// pkg/apis/core/validation and apimachinery utilvalidation limits.
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
export const MAX_DNS_SEARCH_PATHS_LEGACY = 6;
export const MAX_DNS_SEARCH_LIST_CHARS_LEGACY = 256;
const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

type PodDNSType = 'cluster' | 'host' | 'none';

function podDNSType(pod: Pod): PodDNSType {
  switch (pod.spec.dnsPolicy ?? 'ClusterFirst') {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'ClusterFirst':
      // A hostNetwork pod with ClusterFirst falls back to Default.
      return pod.spec.hostNetwork ? 'host' : 'cluster';
    case 'Default':
      return 'host';
    default:
      // The API server rejects other values; kubelet logs and uses ClusterFirst.
      return 'cluster';
  }
}

function omitDuplicates(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

/**
 * Options merged by name, a later entry winning. kubelet goes through a Go map, so the real order is
 * random; here the first appearance of a name fixes its position (host/base options first, then new
 * dnsConfig names in the order given), which reproduces the documented examples.
 */
function mergeOptions(base: readonly string[], extra: readonly { name: string; value?: string }[]): string[] {
  const m = new Map<string, string>();
  for (const op of base) {
    const i = op.indexOf(':');
    if (i >= 0) m.set(op.slice(0, i), op.slice(i + 1));
    else m.set(op, '');
  }
  for (const op of extra) m.set(op.name, op.value ?? '');
  return [...m].map(([k, v]) => (v !== '' ? `${k}:${v}` : k));
}

function fitNameservers(servers: string[], events: DnsConfigEvent[]): string[] {
  if (servers.length <= MAX_DNS_NAMESERVERS) return servers;
  const kept = servers.slice(0, MAX_DNS_NAMESERVERS);
  events.push({
    type: 'Warning',
    reason: 'DNSConfigForming',
    involvedKind: 'Pod',
    message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${kept.join(' ')}`,
  });
  return kept;
}

/** formDNSSearchFitsLimits: count cap first, then drop >253-char paths, then cut from the end to fit. */
function fitSearches(searches: string[], expanded: boolean, events: DnsConfigEvent[]): string[] {
  const maxPaths = expanded ? MAX_DNS_SEARCH_PATHS : MAX_DNS_SEARCH_PATHS_LEGACY;
  const maxChars = expanded ? MAX_DNS_SEARCH_LIST_CHARS : MAX_DNS_SEARCH_LIST_CHARS_LEGACY;
  let exceeded = false;
  let out = searches;
  if (out.length > maxPaths) {
    out = out.slice(0, maxPaths);
    exceeded = true;
  }
  const short = out.filter((s) => s.length <= DNS1123_SUBDOMAIN_MAX_LENGTH);
  if (short.length !== out.length) exceeded = true;
  out = short;
  const lineLen = out.join(' ').length;
  if (lineLen > maxChars) {
    let cutNum = 0;
    let cutLen = 0;
    for (let i = out.length - 1; i >= 0; i--) {
      cutLen += (out[i] as string).length + 1;
      cutNum++;
      if (lineLen - cutLen <= maxChars) break;
    }
    out = out.slice(0, out.length - cutNum);
    exceeded = true;
  }
  if (exceeded) {
    events.push({
      type: 'Warning',
      reason: 'DNSConfigForming',
      involvedKind: 'Pod',
      message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${out.join(' ')}`,
    });
  }
  return out;
}

function isIPv6(ip: string): boolean {
  return ip.includes(':');
}

/**
 * kubelet GetPodDNS. ClusterFirst: clusterDNS as the only nameservers, `<ns>.svc.<domain>
 * svc.<domain> <domain>` + host search domains (deduplicated), options exactly `ndots:5`. Default:
 * the host file as is. None: empty. Then dnsConfig is appended (nameservers and searches
 * deduplicated, options merged by name) and the limits applied with their events.
 */
export function podResolvConf(pod: Pod, input: PodResolvConfInput): { conf: ResolvConf; events: DnsConfigEvent[] } {
  const events: DnsConfigEvent[] = [];
  const host = input.hostResolvConf;
  let conf: ResolvConf = {
    nameservers: [...(host?.nameservers ?? [])],
    searches: [...(host?.searches ?? [])],
    options: [...(host?.options ?? [])],
  };

  let type = podDNSType(pod);
  if (type === 'none') {
    conf = { nameservers: [], searches: [], options: [] };
  } else if (type === 'cluster') {
    if (input.clusterDNS.length > 0) {
      const domain = input.clusterDomain;
      conf.nameservers = [...input.clusterDNS];
      if (domain !== '') {
        const ns = pod.metadata.namespace ?? 'default';
        conf.searches = omitDuplicates([`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...conf.searches]);
      }
      conf.options = ['ndots:5'];
    } else {
      const msg = 'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.';
      events.push({ type: 'Warning', reason: 'MissingClusterDNS', involvedKind: 'Node', message: msg });
      const podRef = `${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}(${pod.metadata.uid})`;
      events.push({ type: 'Warning', reason: 'MissingClusterDNS', involvedKind: 'Pod', message: `pod: "${podRef}". ${msg}` });
      type = 'host';
    }
  }
  if (type === 'host' && host === null) {
    // --resolv-conf="": "use the nameserver on the local machine", search "." (no search).
    const ips = input.nodeIPs ?? [];
    conf.nameservers = ips.length ? ips.map((ip) => (isIPv6(ip) ? '::1' : '127.0.0.1')) : ['127.0.0.1'];
    conf.searches = ['.'];
  }

  const dc = pod.spec.dnsConfig;
  if (dc) {
    conf.nameservers = omitDuplicates([...conf.nameservers, ...(dc.nameservers ?? [])]);
    conf.searches = omitDuplicates([...conf.searches, ...(dc.searches ?? [])]);
    conf.options = mergeOptions(conf.options, dc.options ?? []);
  }

  conf.nameservers = fitNameservers(conf.nameservers, events);
  conf.searches = fitSearches(conf.searches, input.expandedDNSConfig ?? true, events);
  return { conf, events };
}

export type ContainerRuntime = 'containerd' | 'cri-o' | 'docker';

/**
 * The file the runtime writes. containerd and CRI-O (parseDNSOptions): `search`, then one
 * `nameserver` line each, then `options`. dockershim/cri-dockerd (rewriteResolvFile) puts the
 * nameservers first — hence the `nameserver 10.96.0.10` first line in the older Kubernetes docs.
 * Empty lines are left out. (With nothing at all the runtimes copy the host's file instead.)
 */
export function renderResolvConf(conf: ResolvConf, runtime: ContainerRuntime = 'containerd'): string {
  const search = conf.searches.length ? [`search ${conf.searches.join(' ')}`] : [];
  const servers = conf.nameservers.map((s) => `nameserver ${s}`);
  const options = conf.options.length ? [`options ${conf.options.join(' ')}`] : [];
  const lines = runtime === 'docker' ? [...servers, ...search, ...options] : [...search, ...servers, ...options];
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * kubelet's parseResolvConf: `#` comment lines skipped; `nameserver` lines accumulate (first field
 * only); the last `search` line wins, each domain's trailing dot trimmed and a lone "." dropped;
 * `options` lines merge by option name, a later one winning (current kubelet). `domain` and other
 * keywords are ignored, as kubelet does.
 */
export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    const fields = line.split(/\s+/).filter((f) => f !== '');
    const [key, ...rest] = fields;
    if (key === 'nameserver' && rest[0] !== undefined) conf.nameservers.push(rest[0]);
    else if (key === 'search') conf.searches = rest.filter((s) => s !== '.').map((s) => (s.endsWith('.') ? s.slice(0, -1) : s));
    else if (key === 'options') {
      const byName = new Map<string, string>();
      for (const o of [...conf.options, ...rest]) byName.set(o.split(':')[0] as string, o);
      conf.options = [...byName.values()];
    }
  }
  return conf;
}

const RESOLVED_UPLINK_HEADER = `# This is /run/systemd/resolve/resolv.conf managed by man:systemd-resolved(8).
# Do not edit.
#
# This file might be symlinked as /etc/resolv.conf. If you're looking at
# /etc/resolv.conf and seeing this text, you have followed the symlink.
#
# This is a dynamic resolv.conf file for connecting local clients directly to
# all known uplink DNS servers. This file lists all configured search domains.
#
# Third party programs should typically not access this file directly, but only
# through the symlink at /etc/resolv.conf. To manage man:resolv.conf(5) in a
# different way, replace this symlink by a static file or a different symlink.
#
# See man:systemd-resolved.service(8) for details about the supported modes of
# operation for /etc/resolv.conf.
`;

/**
 * The node's /run/systemd/resolve/resolv.conf on an Ubuntu kubeadm node — the file kubelet reads,
 * because kubeadm points --resolv-conf there when systemd-resolved runs (the stub file would hand
 * pods 127.0.0.53, which is the node's loopback, not theirs). It lists the uplink server learnt from
 * DHCP/netplan: in the lab that is the gateway of the node network (192.168.56.1), which forwards
 * to the outside; no search domain, which systemd ≥ 249 writes as `search .`.
 */
export function nodeResolvConfText(gateway: string): string {
  return `${RESOLVED_UPLINK_HEADER}\nnameserver ${gateway}\nsearch .\n`;
}

/** nodeResolvConfText as kubelet parses it: `{ nameservers: [gateway], searches: [], options: [] }`. */
export function nodeResolvConf(gateway: string): ResolvConf {
  return parseResolvConf(nodeResolvConfText(gateway));
}
