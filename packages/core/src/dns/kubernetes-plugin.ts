// The kubernetes plugin's answering half (plugin/kubernetes handler.go and plugin/backend_lookup.go
// of CoreDNS 1.12): the backend's candidates become A/AAAA/SRV/PTR/TXT/NS/SOA records, NXDOMAIN
// or NODATA with the zone's SOA.

import type { KubernetesPlugin } from './corefile/index.js';
import { canonicalIP } from './addresses.js';
import type { DnsData } from './informer.js';
import { hostType, reverse, services, type Found, type K8s, type KubernetesContext, type LookupErr, type Req } from './kubernetes-backend.js';
import { fqdn, isSubDomain, matchZone, type DnsMessage, type QType, type Rcode, type RR } from './message.js';

export type PluginResult = { kind: 'written'; msg: DnsMessage } | { kind: 'next' } | { kind: 'error'; rcode: 'SERVFAIL' | 'REFUSED'; err?: string };

function isNameError(err: LookupErr | undefined): boolean {
  return err !== undefined;
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

function soaRecord(x: K8s, zoneCased: string): RR {
  const z = zoneCased;
  const ns = z === '.' ? 'ns.dns.' : `ns.dns.${z}`;
  const mbox = z === '.' ? 'hostmaster.' : `hostmaster.${z}`;
  return { name: z, ttl: Math.min(x.k.ttl, 300), class: 'IN', type: 'SOA', data: `${ns} ${mbox} ${x.data.serial} 7200 1800 86400 ${x.k.ttl}` };
}

function backendError(x: K8s, req: Req, rcode: Rcode): PluginResult {
  return { kind: 'written', msg: { rcode, aa: true, answer: [], authority: [soaRecord(x, req.zoneCased)], additional: [] } };
}

/**
 * Kubernetes.ServeDNS for one question. The answering rules follow plugin/kubernetes and
 * plugin/backend_lookup.go: the name grammar, NXDOMAIN vs NODATA, the SOA in every negative
 * answer, SRV weights, endpoint hostnames, pod records, ExternalName CNAMEs. The quirks are kept
 * on purpose (TXT is NODATA for every name but dns-version, SOA is only answered at the apex, a
 * ClusterIP Service with no endpoints still resolves), because a student comparing with a real
 * cluster sees them.
 */
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
