// The kubernetes plugin's ServiceBackend (plugin/kubernetes parse.go, kubernetes.go, reverse.go,
// ns.go of CoreDNS 1.12): which Services, endpoints and pods a name stands for, before
// kubernetes-plugin.ts turns them into records.

import type { KubernetesPlugin } from './corefile/index.js';
import { addressFromReverse, canonicalIP } from './addresses.js';
import type { DnsData, DnsEndpointAddress, DnsEndpoints } from './informer.js';
import type { DnsMessage, QType } from './message.js';

export interface KubernetesContext {
  /** The answering CoreDNS pod's addresses (k.localIPs), for NS records. */
  localIPs: string[];
  /** upstream.Lookup: resolve through the whole server again (ExternalName targets). */
  lookup: (name: string, type: QType) => DnsMessage;
}

export type LookupErr = 'noItems' | 'nsNotExposed' | 'invalidRequest';

/** msg.Service: one candidate record before it becomes A/AAAA/CNAME/SRV/TXT. */
export interface Svc {
  host: string;
  port: number;
  ttl: number;
  /** msg.Domain(key): the owner for SRV targets and PTRs, FQDN. */
  domain: string;
  text?: string;
}

export interface Found {
  svcs: Svc[];
  err?: LookupErr;
}

export interface Req {
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

export function hostType(host: string): 'A' | 'AAAA' | 'CNAME' {
  const ip = canonicalIP(host);
  if (!ip) return 'CNAME';
  return ip.family === 4 ? 'A' : 'AAAA';
}

function isReverse(name: string): boolean {
  return name.endsWith('.in-addr.arpa.') || name.endsWith('.ip6.arpa.') || name === 'in-addr.arpa.' || name === 'ip6.arpa.';
}

export interface K8s {
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
export function services(x: K8s, req: Req): Found {
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

/** Kubernetes.Reverse → serviceRecordForIP: ClusterIP first, else every endpoint with that IP. */
export function reverse(x: K8s, req: Req): Found {
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
