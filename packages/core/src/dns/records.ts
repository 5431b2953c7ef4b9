// What CoreDNS's kubernetes plugin sees (its informer caches: Services, EndpointSlices,
// Namespaces, Pods) and what it answers from them.
//
// The answering rules follow plugin/kubernetes (parse.go, kubernetes.go, reverse.go, ns.go,
// handler.go) and plugin/backend_lookup.go of CoreDNS 1.12: the name grammar, NXDOMAIN vs
// NODATA, the SOA in every negative answer, SRV weights, endpoint hostnames, pod records,
// ExternalName CNAMEs. The quirks are kept on purpose (TXT is NODATA for every name but
// dns-version, SOA is only answered at the apex, a ClusterIP Service with no endpoints still
// resolves), because a student comparing with a real cluster sees them.

import type { ServiceType } from '../api/types.js';
import { tryParseIPv4 } from '../net/ipv4.js';
import type { ClusterState } from '../state/types.js';
import type { KubernetesPlugin } from './corefile/index.js';

export type QType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'TXT' | 'SOA' | 'NS' | 'CNAME' | 'ANY';
export type RRType = Exclude<QType, 'ANY'>;
export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

/** One resource record; `data` in presentation format (`10.96.0.1`, `0 100 443 x.`, `"1.1.0"`). */
export interface RR {
  name: string;
  ttl: number;
  class: 'IN';
  type: RRType;
  data: string;
}

export interface DnsMessage {
  rcode: Rcode;
  aa: boolean;
  answer: RR[];
  authority: RR[];
  additional: RR[];
}

// ---------------------------------------------------------------------------------------------
// Addresses, as Go's net.ParseIP / IP.String see them.

/** Eight 16-bit groups, or undefined (no zones, embedded IPv4 allowed at the end). */
export function parseIPv6(s: string): number[] | undefined {
  if (!s.includes(':')) return undefined;
  const parts = s.split('::');
  if (parts.length > 2) return undefined;
  const groups = (str: string, last: boolean): number[] | undefined => {
    if (str === '') return [];
    const out: number[] = [];
    const ps = str.split(':');
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i] ?? '';
      if (last && i === ps.length - 1 && p.includes('.')) {
        const v4 = tryParseIPv4(p);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  if (parts.length === 2) {
    const left = groups(parts[0] ?? '', false);
    const right = groups(parts[1] ?? '', true);
    if (!left || !right || left.length + right.length > 7) return undefined;
    return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  const all = groups(s, true);
  return all && all.length === 8 ? all : undefined;
}

/** RFC 5952 text as Go prints it (v4-mapped addresses print as IPv4). */
export function formatIPv6(g: number[]): string {
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const a = g[6] ?? 0;
    const b = g[7] ?? 0;
    return `${a >>> 8}.${a & 255}.${b >>> 8}.${b & 255}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

/** Parse an IP literal the way net.ParseIP does; returns its canonical text and family. */
export function canonicalIP(s: string): { text: string; family: 4 | 6 } | undefined {
  const v4 = tryParseIPv4(s);
  if (v4 !== undefined) return { text: s, family: 4 };
  const v6 = parseIPv6(s);
  if (!v6) return undefined;
  const text = formatIPv6(v6);
  return { text, family: text.includes(':') ? 6 : 4 };
}

/** `d.c.b.a.in-addr.arpa.` / nibble `ip6.arpa.` name for an address (for PTR queries). */
export function reverseName(ip: string): string {
  const v4 = tryParseIPv4(ip);
  if (v4 !== undefined) return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
  const v6 = parseIPv6(ip);
  if (!v6) throw new Error(`not an IP address: ${JSON.stringify(ip)}`);
  const nibbles = v6.flatMap((g) => g.toString(16).padStart(4, '0').split(''));
  return `${nibbles.reverse().join('.')}.ip6.arpa.`;
}

/** dnsutil.ExtractAddressFromReverse: the address a full reverse name stands for, or ''. */
export function addressFromReverse(name: string): string {
  const n = name.toLowerCase();
  if (n.endsWith('.in-addr.arpa.')) {
    const labels = n.slice(0, -'.in-addr.arpa.'.length).split('.').reverse();
    const ip = labels.join('.');
    return tryParseIPv4(ip) !== undefined ? ip : '';
  }
  if (n.endsWith('.ip6.arpa.')) {
    const labels = n.slice(0, -'.ip6.arpa.'.length).split('.').reverse();
    if (labels.length !== 32 || !labels.every((l) => /^[0-9a-f]$/.test(l))) return '';
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(labels.slice(i, i + 4).join(''));
    return canonicalIP(groups.join(':'))?.text ?? '';
  }
  return '';
}

export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** dns.IsSubDomain(parent, child), case-insensitive, both FQDN. */
export function isSubDomain(parent: string, child: string): boolean {
  const p = parent.toLowerCase();
  const c = child.toLowerCase();
  return p === '.' || c === p || c.endsWith(`.${p}`);
}

/** plugin.Zones.Matches: the longest zone `name` lies in, or ''. */
export function matchZone(zones: readonly string[], name: string): string {
  let best = '';
  for (const z of zones) if (z && isSubDomain(z, name) && z.length > best.length) best = z;
  return best;
}

// ---------------------------------------------------------------------------------------------
// The index: what the plugin's informers hold.

export interface DnsPort {
  /** '' for unnamed ports. */
  name: string;
  /** -1 is CoreDNS's sentinel for an EndpointSlice without ports (A records, no SRV). */
  port: number;
  protocol: string;
}

export interface DnsEndpointAddress {
  /** Canonical address text. */
  ip: string;
  hostname: string;
  /** The Pod behind it (targetRef.name), for `endpoint_pod_names`. */
  targetRefName: string;
}

/** One EndpointSlice as CoreDNS converts it: ready addresses × ports. */
export interface DnsEndpoints {
  sliceName: string;
  service: string;
  namespace: string;
  addresses: DnsEndpointAddress[];
  ports: DnsPort[];
}

export interface DnsService {
  name: string;
  namespace: string;
  type: ServiceType;
  /** clusterIP "None". */
  headless: boolean;
  /** Canonical ClusterIPs (empty for headless and ExternalName). */
  clusterIPs: string[];
  externalName: string;
  ports: DnsPort[];
}

export interface DnsPod {
  name: string;
  namespace: string;
  ip: string;
}

export interface DnsData {
  clusterDomain: string;
  /** SOA serial: the informers' last-modified time (approximated: newest watched object). */
  serial: number;
  namespaces: ReadonlySet<string>;
  /** By `<namespace>/<name>`. */
  services: ReadonlyMap<string, DnsService>;
  /** EndpointSlices by `<namespace>/<service>` (the kubernetes.io/service-name label). */
  endpoints: ReadonlyMap<string, readonly DnsEndpoints[]>;
  servicesByClusterIP: ReadonlyMap<string, readonly DnsService[]>;
  /** Ready endpoint addresses by IP (EpIndexReverse). */
  endpointsByIP: ReadonlyMap<string, readonly DnsEndpoints[]>;
  /** Pods by status.podIP, without finished or terminating ones (the verified-pods informer). */
  podsByIP: ReadonlyMap<string, readonly DnsPod[]>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function createdSeconds(ts: string | undefined): number {
  const t = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}

function buildDnsData(state: ClusterState): DnsData {
  let serial = 0;
  const namespaces = new Set<string>();
  for (const ns of Object.values(state.namespaces)) {
    namespaces.add(ns.metadata.name);
    serial = Math.max(serial, createdSeconds(ns.metadata.creationTimestamp));
  }
  const services = new Map<string, DnsService>();
  const servicesByClusterIP = new Map<string, DnsService[]>();
  for (const [ns, byName] of Object.entries(state.services)) {
    for (const svc of Object.values(byName)) {
      serial = Math.max(serial, createdSeconds(svc.metadata.creationTimestamp));
      const headless = svc.spec.clusterIP === 'None';
      const ips = svc.spec.type === 'ExternalName' || headless ? [] : (svc.spec.clusterIPs ?? (svc.spec.clusterIP ? [svc.spec.clusterIP] : []));
      const d: DnsService = {
        name: svc.metadata.name,
        namespace: ns,
        type: svc.spec.type,
        headless,
        clusterIPs: ips.map((ip) => canonicalIP(ip)?.text).filter((x): x is string => !!x),
        externalName: svc.spec.externalName ?? '',
        ports: (svc.spec.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol })),
      };
      services.set(`${ns}/${d.name}`, d);
      for (const ip of d.clusterIPs) push(servicesByClusterIP, ip, d);
    }
  }
  const endpoints = new Map<string, DnsEndpoints[]>();
  const endpointsByIP = new Map<string, DnsEndpoints[]>();
  for (const [ns, byName] of Object.entries(state.endpointSlices)) {
    for (const slice of Object.values(byName)) {
      if (slice.addressType === 'FQDN') continue;
      const service = slice.metadata.labels?.['kubernetes.io/service-name'] ?? '';
      serial = Math.max(serial, createdSeconds(slice.metadata.creationTimestamp));
      const ports: DnsPort[] = slice.ports?.length
        ? slice.ports.map((p) => ({ name: p.name ?? '', port: p.port ?? -1, protocol: p.protocol ?? '' }))
        : [{ name: '', port: -1, protocol: '' }];
      const addresses: DnsEndpointAddress[] = [];
      for (const e of slice.endpoints) {
        // Only ready endpoints (unset counts as ready, as in the API's semantics).
        if (e.conditions.ready === false) continue;
        for (const a of e.addresses) {
          const ip = canonicalIP(a)?.text;
          if (ip) addresses.push({ ip, hostname: e.hostname ?? '', targetRefName: e.targetRef?.name ?? '' });
        }
      }
      const d: DnsEndpoints = { sliceName: slice.metadata.name, service, namespace: ns, addresses, ports };
      push(endpoints, `${ns}/${service}`, d);
      for (const ip of new Set(addresses.map((a) => a.ip))) push(endpointsByIP, ip, d);
    }
  }
  const podsByIP = new Map<string, DnsPod[]>();
  for (const [ns, byName] of Object.entries(state.pods)) {
    for (const pod of Object.values(byName)) {
      const ip = pod.status.podIP;
      if (!ip || pod.metadata.deletionTimestamp) continue;
      if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed' || pod.status.phase === 'Unknown') continue;
      push(podsByIP, ip, { name: pod.metadata.name, namespace: ns, ip });
    }
  }
  return { clusterDomain: state.config.clusterDomain, serial, namespaces, services, endpoints, servicesByClusterIP, endpointsByIP, podsByIP };
}

interface CacheEntry {
  endpointSlices: unknown;
  pods: unknown;
  namespaces: unknown;
  domain: string;
  data: DnsData;
}

const dataCache = new WeakMap<object, CacheEntry>();

/** The plugin's view of `state`, rebuilt only when one of the watched slices changed identity. */
export function dnsData(state: ClusterState): DnsData {
  const hit = dataCache.get(state.services);
  if (hit && hit.endpointSlices === state.endpointSlices && hit.pods === state.pods && hit.namespaces === state.namespaces && hit.domain === state.config.clusterDomain) {
    return hit.data;
  }
  const data = buildDnsData(state);
  dataCache.set(state.services, { endpointSlices: state.endpointSlices, pods: state.pods, namespaces: state.namespaces, domain: state.config.clusterDomain, data });
  return data;
}

/** The first ready address of kube-system/kube-dns: a CoreDNS pod, when the caller names none. */
export function defaultServerIP(data: DnsData): string | undefined {
  for (const ep of data.endpoints.get('kube-system/kube-dns') ?? []) {
    const a = ep.addresses[0];
    if (a) return a.ip;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The kubernetes plugin.

export type PluginResult = { kind: 'written'; msg: DnsMessage } | { kind: 'next' } | { kind: 'error'; rcode: 'SERVFAIL' | 'REFUSED'; err?: string };

export interface KubernetesContext {
  /** The answering CoreDNS pod's addresses (k.localIPs), for NS records. */
  localIPs: string[];
  /** upstream.Lookup: resolve through the whole server again (ExternalName targets). */
  lookup: (name: string, type: QType) => DnsMessage;
}

type LookupErr = 'noItems' | 'nsNotExposed' | 'invalidRequest';

/** msg.Service: one candidate record before it becomes A/AAAA/CNAME/SRV/TXT. */
interface Svc {
  host: string;
  port: number;
  ttl: number;
  /** msg.Domain(key): the owner for SRV targets and PTRs, FQDN. */
  domain: string;
  text?: string;
}

interface Found {
  svcs: Svc[];
  err?: LookupErr;
}

interface Req {
  /** As asked (case kept), FQDN: answers are owned by it. */
  qname: string;
  /** Lowercased qname (request.Name()). */
  name: string;
  qtype: QType;
  /** The matched zone, normalised. */
  zone: string;
  /** The zone with the query's case (CoreDNS keeps it for SOA/targets). */
  zoneCased: string;
}

interface RecordRequest {
  port: string;
  protocol: string;
  endpoint: string;
  service: string;
  namespace: string;
  podOrSvc: string;
}

function trimZone(name: string, zone: string): string {
  if (zone === '.') return name.replace(/\.$/, '');
  return name.slice(0, name.length - zone.length).replace(/\.$/, '');
}

function stripUnderscore(s: string): string {
  return s.startsWith('_') ? s.slice(1) : s;
}

/** parse.go parseRequest. */
function parseRequest(name: string, zone: string): { r: RecordRequest; err?: LookupErr } {
  const r: RecordRequest = { port: '', protocol: '', endpoint: '', service: '', namespace: '', podOrSvc: '' };
  const base = trimZone(name, zone);
  if (base === '' || base === 'svc' || base === 'pod') return { r };
  const segs = base.split('.');
  let last = segs.length - 1;
  r.podOrSvc = segs[last] ?? '';
  if (r.podOrSvc !== 'pod' && r.podOrSvc !== 'svc') return { r, err: 'invalidRequest' };
  last--;
  if (last < 0) return { r };
  r.namespace = segs[last] ?? '';
  last--;
  if (last < 0) return { r };
  r.service = segs[last] ?? '';
  last--;
  if (last < 0) return { r };
  if (last === 0) r.endpoint = segs[0] ?? '';
  else if (last === 1) {
    r.protocol = stripUnderscore(segs[1] ?? '');
    r.port = stripUnderscore(segs[0] ?? '');
  } else return { r, err: 'invalidRequest' };
  return { r };
}

function eqFold(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function matchPortAndProtocol(aPort: string, bPort: string, aProto: string, bProto: string): boolean {
  return (eqFold(aPort, bPort) || aPort === '') && (eqFold(aProto, bProto) || aProto === '');
}

/** endpointHostname: hostname, else (endpoint_pod_names) the pod name, else the dashed IP. */
export function endpointHostname(addr: DnsEndpointAddress, podNames: boolean): string {
  if (addr.hostname) return addr.hostname;
  if (podNames && addr.targetRefName && addr.targetRefName.length <= 63) return addr.targetRefName;
  if (addr.ip.includes('.')) return addr.ip.replace(/\./g, '-');
  if (addr.ip.includes(':')) {
    const h = addr.ip.replace(/:/g, '-');
    return h.endsWith('-') ? `${h}0` : h;
  }
  return '';
}

function hostType(host: string): 'A' | 'AAAA' | 'CNAME' {
  const ip = canonicalIP(host);
  if (!ip) return 'CNAME';
  return ip.family === 4 ? 'A' : 'AAAA';
}

function isReverse(name: string): boolean {
  return name.endsWith('.in-addr.arpa.') || name.endsWith('.ip6.arpa.') || name === 'in-addr.arpa.' || name === 'ip6.arpa.';
}

function isNameError(err: LookupErr | undefined): boolean {
  return err !== undefined;
}

interface K8s {
  data: DnsData;
  k: KubernetesPlugin;
  ctx: KubernetesContext;
}

function namespaceExposed(x: K8s, ns: string): boolean {
  if (x.k.namespaces.length > 0 && !x.k.namespaces.includes(ns)) return false;
  return x.data.namespaces.has(ns);
}

function endpointsOf(x: K8s, ns: string, svc: string): readonly DnsEndpoints[] {
  return x.k.noEndpoints ? [] : (x.data.endpoints.get(`${ns}/${svc}`) ?? []);
}

function findPods(x: K8s, r: RecordRequest): Found {
  if (x.k.pods === 'disabled') return { svcs: [], err: 'noItems' };
  if (!namespaceExposed(x, r.namespace)) return { svcs: [], err: 'noItems' };
  if (r.service === '') return { svcs: [] };
  const podname = r.service;
  const dashes = podname.split('-').length - 1;
  const ip = dashes === 3 && !podname.includes('--') ? podname.replace(/-/g, '.') : podname.replace(/-/g, ':');
  if (x.k.pods === 'insecure') {
    // No pod lookup at all: any well-formed address in an existing namespace answers.
    if (!canonicalIP(ip)) return { svcs: [], err: 'noItems' };
    return { svcs: [{ host: ip, port: 0, ttl: x.k.ttl, domain: '' }] };
  }
  const svcs: Svc[] = [];
  for (const p of x.data.podsByIP.get(ip) ?? []) {
    if (p.ip === ip && eqFold(p.namespace, r.namespace)) svcs.push({ host: ip, port: 0, ttl: x.k.ttl, domain: '' });
  }
  return svcs.length ? { svcs } : { svcs: [], err: 'noItems' };
}

function findServices(x: K8s, r: RecordRequest, zone: string): Found {
  if (!namespaceExposed(x, r.namespace)) return { svcs: [], err: 'noItems' };
  if (r.service === '') return { svcs: [] };
  let err: LookupErr | undefined = 'noItems';
  const svcs: Svc[] = [];
  const svc = x.data.services.get(`${r.namespace}/${r.service}`);
  if (svc) {
    const base = `${svc.name}.${svc.namespace}.svc.${zone}`;
    const eps = endpointsOf(x, svc.namespace, svc.name);
    const skipEmpty = x.k.ignoreEmptyService && svc.type !== 'ExternalName' && !svc.headless && eps.every((e) => e.addresses.length === 0);
    if (skipEmpty) {
      // `ignore empty_service`: NXDOMAIN so the client's search list moves on.
    } else if (svc.type === 'ExternalName') {
      if (r.endpoint === '' && hostType(svc.externalName) === 'CNAME' && svc.externalName !== '') {
        svcs.push({ host: svc.externalName, port: 0, ttl: x.k.ttl, domain: base });
        err = undefined;
      }
    } else if (svc.headless || r.endpoint !== '') {
      for (const ep of eps) {
        for (const addr of ep.addresses) {
          const hostname = endpointHostname(addr, x.k.endpointPodNames);
          if (r.endpoint !== '' && !eqFold(r.endpoint, hostname)) continue;
          for (const p of ep.ports) {
            if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue;
            svcs.push({ host: addr.ip, port: p.port, ttl: x.k.ttl, domain: `${hostname}.${base}` });
            err = undefined;
          }
        }
      }
    } else {
      for (const p of svc.ports) {
        if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue;
        err = undefined;
        for (const ip of svc.clusterIPs) svcs.push({ host: ip, port: p.port, ttl: x.k.ttl, domain: base });
      }
    }
  }
  return err ? { svcs, err } : { svcs };
}

/** Kubernetes.Records. */
function records(x: K8s, req: Req): Found {
  const { r, err } = parseRequest(req.name, req.zone);
  if (err) return { svcs: [], err };
  if (r.podOrSvc === '') return { svcs: [] };
  if (isReverse(req.name)) return { svcs: [], err: 'noItems' };
  if (!namespaceExposed(x, r.namespace)) return { svcs: [], err: 'nsNotExposed' };
  if (r.podOrSvc === 'pod') return findPods(x, r);
  return findServices(x, r, req.zoneCased);
}

/** nsAddrs: the Service(s) whose endpoints are this CoreDNS, else ns.dns.<zone> → local IP. */
function nsAddrs(x: K8s, zone: string): { name: string; ip: string }[] {
  const out: { name: string; ip: string }[] = [];
  for (const local of x.ctx.localIPs) {
    for (const ep of x.data.endpointsByIP.get(local) ?? []) {
      const svc = x.data.services.get(`${ep.namespace}/${ep.service}`);
      if (!svc) continue;
      const svcName = `${svc.name}.${svc.namespace}.svc.${zone}`;
      if (svc.headless) {
        for (const a of ep.addresses) out.push({ name: `${endpointHostname(a, x.k.endpointPodNames)}.${svcName}`, ip: a.ip });
      } else if (svc.clusterIPs[0]) out.push({ name: svcName, ip: svc.clusterIPs[0] });
    }
  }
  const list = out.length ? out : x.ctx.localIPs.map((ip) => ({ name: `ns.dns.${zone}`, ip }));
  const seen = new Set<string>();
  return list.filter((e) => {
    if (seen.has(e.ip)) return false;
    seen.add(e.ip);
    return true;
  });
}

/** Kubernetes.Services (ServiceBackend). */
function services(x: K8s, req: Req): Found {
  if (req.qtype === 'TXT') {
    const segs = trimZone(req.name, req.zone).split('.');
    if (segs.length !== 1 || segs[0] !== 'dns-version') return { svcs: [] };
    return { svcs: [{ host: '', port: 0, ttl: 28800, domain: req.qname, text: '1.1.0' }] };
  }
  if (req.qtype === 'NS') {
    return { svcs: nsAddrs(x, req.zoneCased).map((n) => ({ host: n.ip, port: 0, ttl: x.k.ttl, domain: n.name })) };
  }
  if (req.name === `ns.dns.${req.zone}`) {
    const fam = req.qtype === 'AAAA' ? 'AAAA' : 'A';
    return {
      svcs: nsAddrs(x, req.zoneCased)
        .filter((n) => hostType(n.ip) === fam && req.qtype === fam)
        .map((n) => ({ host: n.ip, port: 0, ttl: x.k.ttl, domain: req.qname })),
    };
  }
  const s = records(x, req);
  if (req.qtype !== 'SRV') return s;
  // SRV for ExternalName services is not served.
  return { ...s, svcs: s.svcs.filter((v) => hostType(v.host) !== 'CNAME') };
}

/** checkForApex: at the apex the plugin tries apex.dns.<zone> (always invalid here) first. */
function checkForApex(x: K8s, req: Req): Found {
  if (req.name !== req.zone) return services(x, req);
  const apex = `apex.dns.${req.zone}`;
  const tried = services(x, { ...req, qname: apex, name: apex });
  if (!tried.err) return tried;
  return services(x, req);
}

function withName(req: Req, name: string): Req {
  const f = fqdn(name);
  return { ...req, qname: f, name: f.toLowerCase() };
}

/** plugin.A / plugin.AAAA. */
function addressRecords(x: K8s, req: Req, family: 'A' | 'AAAA', previous: RR[]): { records: RR[]; err?: LookupErr } {
  const found = checkForApex(x, req);
  if (found.err) return { records: [], err: found.err };
  const out: RR[] = [];
  const dup = new Set<string>();
  for (const s of found.svcs) {
    const t = hostType(s.host);
    if (t === 'CNAME') {
      const target = fqdn(s.host);
      // x CNAME x (or a name below x) would loop.
      if (isSubDomain(req.name, target)) continue;
      const cname: RR = { name: req.qname, ttl: s.ttl, class: 'IN', type: 'CNAME', data: target };
      if (previous.length > 7) continue;
      if (previous.some((p) => p.type === 'CNAME' && p.data === target)) continue;
      if (isSubDomain(req.zone, target)) {
        const next = addressRecords(x, withName(req, target), family, [...previous, cname]);
        if (!next.err && next.records.length > 0) out.push(cname, ...next.records);
        continue;
      }
      const m = x.ctx.lookup(target, family);
      out.push(cname, ...m.answer);
      continue;
    }
    if (t === family && !dup.has(s.host)) {
      dup.add(s.host);
      out.push({ name: req.qname, ttl: s.ttl, class: 'IN', type: family, data: canonicalIP(s.host)?.text ?? s.host });
    }
  }
  return { records: out };
}

/** plugin.SRV: weights split 100 over all candidates of a priority, floor, at least 1. */
function srvRecords(x: K8s, req: Req): { records: RR[]; extra: RR[]; err?: LookupErr } {
  const found = services(x, req);
  if (found.err) return { records: [], extra: [], err: found.err };
  const total = 100 * found.svcs.length;
  const records: RR[] = [];
  const extra: RR[] = [];
  const dup = new Set<string>();
  for (const s of found.svcs) {
    if (s.port === -1) continue;
    let weight = Math.floor((100 / total) * 100);
    if (weight === 0) weight = 1;
    const t = hostType(s.host);
    if (t === 'CNAME') continue;
    const target = s.domain;
    const srvKey = `${target}\u0000${s.port}`;
    if (!dup.has(srvKey)) {
      dup.add(srvKey);
      records.push({ name: req.qname, ttl: s.ttl, class: 'IN', type: 'SRV', data: `0 ${weight} ${s.port} ${target}` });
    }
    const addrKey = `${target}\u0000a\u0000${s.host}`;
    if (!dup.has(addrKey)) {
      dup.add(addrKey);
      extra.push({ name: target, ttl: s.ttl, class: 'IN', type: t, data: canonicalIP(s.host)?.text ?? s.host });
    }
  }
  return { records, extra };
}

/** Kubernetes.Reverse → serviceRecordForIP: ClusterIP first, else every endpoint with that IP. */
function reverse(x: K8s, req: Req): Found {
  const ip = addressFromReverse(req.name);
  if (ip === '') {
    const r = records(x, req);
    return r.err ? { svcs: [], err: r.err } : { svcs: [] };
  }
  const primary = x.k.primaryZone;
  for (const svc of x.data.servicesByClusterIP.get(ip) ?? []) {
    if (x.k.namespaces.length > 0 && !namespaceExposed(x, svc.namespace)) continue;
    return { svcs: [{ host: `${svc.name}.${svc.namespace}.svc.${primary}`, port: 0, ttl: x.k.ttl, domain: '' }] };
  }
  const svcs: Svc[] = [];
  if (!x.k.noEndpoints) {
    for (const ep of x.data.endpointsByIP.get(ip) ?? []) {
      if (x.k.namespaces.length > 0 && !namespaceExposed(x, ep.namespace)) continue;
      for (const a of ep.addresses) {
        if (a.ip !== ip) continue;
        svcs.push({ host: `${endpointHostname(a, x.k.endpointPodNames)}.${ep.service}.${ep.namespace}.svc.${primary}`, port: 0, ttl: x.k.ttl, domain: '' });
      }
    }
  }
  return svcs.length ? { svcs } : { svcs: [], err: 'noItems' };
}

function soaRecord(x: K8s, zoneCased: string): RR {
  const z = zoneCased;
  const ns = z === '.' ? 'ns.dns.' : `ns.dns.${z}`;
  const mbox = z === '.' ? 'hostmaster.' : `hostmaster.${z}`;
  return { name: z, ttl: Math.min(x.k.ttl, 300), class: 'IN', type: 'SOA', data: `${ns} ${mbox} ${x.data.serial} 7200 1800 86400 ${x.k.ttl}` };
}

function backendError(x: K8s, req: Req, rcode: Rcode): PluginResult {
  return { kind: 'written', msg: { rcode, aa: true, answer: [], authority: [soaRecord(x, req.zoneCased)], additional: [] } };
}

/** Kubernetes.ServeDNS for one question. */
export function serveKubernetes(data: DnsData, k: KubernetesPlugin, q: { name: string; type: QType }, ctx: KubernetesContext): PluginResult {
  const qname = fqdn(q.name);
  const name = qname.toLowerCase();
  const zone = matchZone(k.zones, name);
  if (zone === '') return { kind: 'next' };
  const zoneCased = zone === '.' ? '.' : qname.slice(qname.length - zone.length);
  const req: Req = { qname, name, qtype: q.type, zone, zoneCased };
  const x: K8s = { data, k, ctx };
  let recs: RR[] = [];
  let extra: RR[] = [];
  let err: LookupErr | undefined;
  const fakeA = () => addressRecords(x, { ...req, qtype: 'A' }, 'A', []).err;
  switch (q.type) {
    case 'A':
    case 'AAAA': {
      const r = addressRecords(x, req, q.type, []);
      recs = r.records;
      err = r.err;
      break;
    }
    case 'TXT': {
      const f = services(x, req);
      err = f.err;
      recs = f.svcs.filter((s) => s.text !== undefined).map((s) => ({ name: qname, ttl: s.ttl, class: 'IN', type: 'TXT', data: `"${s.text}"` }));
      break;
    }
    case 'CNAME': {
      const f = services(x, req);
      err = f.err;
      const first = f.svcs[0];
      if (!err && first && !canonicalIP(first.host)) recs = [{ name: qname, ttl: first.ttl, class: 'IN', type: 'CNAME', data: fqdn(first.host) }];
      break;
    }
    case 'PTR': {
      const f = reverse(x, req);
      err = f.err;
      const seen = new Set<string>();
      for (const s of f.svcs) {
        if (canonicalIP(s.host) || seen.has(s.host)) continue;
        seen.add(s.host);
        recs.push({ name: qname, ttl: s.ttl, class: 'IN', type: 'PTR', data: fqdn(s.host) });
      }
      break;
    }
    case 'SRV': {
      const r = srvRecords(x, req);
      recs = r.records;
      extra = r.extra;
      err = r.err;
      break;
    }
    case 'SOA':
      if (name === zone) recs = [soaRecord(x, zoneCased)];
      break;
    case 'NS':
      if (name === zone) {
        const seen = new Set<string>();
        for (const s of services(x, req).svcs) {
          const t = hostType(s.host);
          if (t === 'CNAME') return { kind: 'error', rcode: 'SERVFAIL', err: `NS record must be an IP address: ${s.host}` };
          extra.push({ name: s.domain, ttl: s.ttl, class: 'IN', type: t, data: canonicalIP(s.host)?.text ?? s.host });
          if (seen.has(s.domain)) continue;
          seen.add(s.domain);
          recs.push({ name: qname, ttl: s.ttl, class: 'IN', type: 'NS', data: s.domain });
        }
        break;
      }
      err = fakeA();
      break;
    default:
      // Every other type: a fake A lookup tells NXDOMAIN from NODATA.
      err = fakeA();
  }
  if (isNameError(err)) {
    if (k.fallthrough && matchZone(k.fallthrough, name) !== '') return { kind: 'next' };
    return backendError(x, req, 'NXDOMAIN');
  }
  if (recs.length === 0) return backendError(x, req, 'NOERROR');
  return { kind: 'written', msg: { rcode: 'NOERROR', aa: true, answer: recs, authority: [], additional: extra } };
}
