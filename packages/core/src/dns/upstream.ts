// The world outside the cluster: the recursive resolvers the nodes' resolv.conf names (and so
// CoreDNS's `forward . /etc/resolv.conf`, since its pods run with dnsPolicy Default). A small
// static zone answers like a public recursive resolver would: NOERROR with the records (TTL
// 300), NODATA or NXDOMAIN with the SOA of the closest enclosing zone in the authority section,
// never authoritative.

import { canonicalIP, reverseName } from './addresses.js';
import { fqdn, type QType, type Rcode, type RR, type RRType } from './message.js';

export interface UpstreamQuery {
  name: string;
  type: QType;
  /** The forward plugin's destinations (`/etc/resolv.conf`, `8.8.8.8:53`, …), for routing. */
  servers?: readonly string[];
}

export interface UpstreamReply {
  rcode: Rcode;
  /** Recursive resolvers answer with aa=0. */
  aa?: boolean;
  answer: RR[];
  authority: RR[];
  additional?: RR[];
}

/** No reply at all (timeouts): forward returns SERVFAIL and the errors plugin logs `error`. */
export interface UpstreamUnreachable {
  unreachable: true;
  /** The address that did not answer, for the log line. */
  server?: string;
  error?: string;
}

export type UpstreamAnswer = UpstreamReply | UpstreamUnreachable;

export type UpstreamFn = (q: UpstreamQuery) => UpstreamAnswer;

export function isUnreachable(a: UpstreamAnswer): a is UpstreamUnreachable {
  return (a as UpstreamUnreachable).unreachable === true;
}

export interface UpstreamRecords {
  A?: string[];
  AAAA?: string[];
  CNAME?: string;
  TXT?: string[];
  PTR?: string[];
}

export type UpstreamZone = Record<string, UpstreamRecords>;

/**
 * Public names students try from pods. Addresses are what these names resolved to when the
 * table was written; anycast/CDN names vary by location and over time.
 */
export function defaultUpstreamZone(): UpstreamZone {
  return {
    'example.com': { A: ['93.184.215.14'], AAAA: ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'] },
    'www.example.com': { A: ['93.184.215.14'], AAAA: ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'] },
    'example.org': { A: ['93.184.215.14'] },
    'google.com': { A: ['142.250.185.78'], AAAA: ['2a00:1450:4001:812::200e'] },
    'www.google.com': { A: ['142.250.185.100'], AAAA: ['2a00:1450:4001:829::2004'] },
    'kubernetes.io': { A: ['15.197.167.90', '3.33.186.135'] },
    'www.kubernetes.io': { CNAME: 'kubernetes.io' },
    'k8s.io': { A: ['34.107.204.206'] },
    'registry.k8s.io': { A: ['34.96.108.209'] },
    'github.com': { A: ['140.82.121.4'] },
    'www.github.com': { CNAME: 'github.com' },
    'dns.google': { A: ['8.8.8.8', '8.8.4.4'], AAAA: ['2001:4860:4860::8888', '2001:4860:4860::8844'] },
    'one.one.one.one': { A: ['1.1.1.1', '1.0.0.1'], AAAA: ['2606:4700:4700::1111', '2606:4700:4700::1001'] },
    'coredns.io': { A: ['185.199.108.153', '185.199.109.153', '185.199.110.153', '185.199.111.153'] },
  };
}

// SOA RDATA of the zones a negative answer can come from.
const ROOT_SOA = { zone: '.', ttl: 86400, data: 'a.root-servers.net. nstld.verisign-grs.com. 2025112500 1800 900 604800 86400' };
const TLD_SOA: Record<string, { ttl: number; data: string }> = {
  'com.': { ttl: 900, data: 'a.gtld-servers.net. nstld.verisign-grs.com. 1764000000 1800 900 604800 900' },
  'net.': { ttl: 900, data: 'a.gtld-servers.net. nstld.verisign-grs.com. 1764000000 1800 900 604800 900' },
  'org.': { ttl: 3600, data: 'a0.org.afilias-nst.info. hostmaster.donuts.email. 1764000000 7200 900 1209600 3600' },
  'io.': { ttl: 3600, data: 'a0.nic.io. hostmaster.donuts.email. 1764000000 7200 900 1209600 3600' },
  // Private reverse zones are answered by the AS112 sink (RFC 7534) on public resolvers.
  '10.in-addr.arpa.': { ttl: 604800, data: 'prisoner.iana.org. hostmaster.root-servers.org. 1 604800 60 604800 604800' },
  '168.192.in-addr.arpa.': { ttl: 604800, data: 'prisoner.iana.org. hostmaster.root-servers.org. 1 604800 60 604800 604800' },
  'in-addr.arpa.': { ttl: 3600, data: 'b.in-addr-servers.arpa. nstld.iana.org. 2025112500 1800 900 604800 3600' },
  'ip6.arpa.': { ttl: 3600, data: 'b.ip6-servers.arpa. nstld.iana.org. 2025112500 1800 900 604800 3600' },
};
for (let i = 16; i <= 31; i++) TLD_SOA[`${i}.172.in-addr.arpa.`] = TLD_SOA['10.in-addr.arpa.']!;

interface ZoneIndex {
  names: Map<string, UpstreamRecords>;
  /** Registered domains (every zone name's last two labels): they get their own SOA. */
  domains: Set<string>;
  ptr: Map<string, string[]>;
}

function indexZone(zone: UpstreamZone): ZoneIndex {
  const names = new Map<string, UpstreamRecords>();
  const domains = new Set<string>();
  const ptr = new Map<string, string[]>();
  for (const [n, recs] of Object.entries(zone)) {
    const name = fqdn(n.toLowerCase());
    names.set(name, recs);
    const labels = name.slice(0, -1).split('.');
    if (labels.length >= 2) domains.add(`${labels.slice(-2).join('.')}.`);
    for (const ip of [...(recs.A ?? []), ...(recs.AAAA ?? [])]) {
      const rev = reverseName(ip);
      ptr.set(rev, [...(ptr.get(rev) ?? []), name]);
    }
  }
  return { names, domains, ptr };
}

/** The closest enclosing zone with an SOA, as the negative answer's authority record. */
function negativeSoa(ix: ZoneIndex, name: string): RR {
  const labels = name === '.' ? [] : name.slice(0, -1).split('.');
  for (let i = 0; i < labels.length; i++) {
    const z = `${labels.slice(i).join('.')}.`;
    if (ix.domains.has(z)) return { name: z, ttl: 300, class: 'IN', type: 'SOA', data: `ns1.${z} hostmaster.${z} 2025112501 7200 3600 1209600 300` };
    const tld = TLD_SOA[z];
    if (tld) return { name: z, ttl: tld.ttl, class: 'IN', type: 'SOA', data: tld.data };
  }
  return { name: ROOT_SOA.zone, ttl: ROOT_SOA.ttl, class: 'IN', type: 'SOA', data: ROOT_SOA.data };
}

function recordsOf(owner: string, recs: UpstreamRecords, type: QType, ttl: number, ptrNames: string[] | undefined): RR[] {
  const out: RR[] = [];
  const add = (t: RRType, data: string) => out.push({ name: owner, ttl, class: 'IN', type: t, data });
  if (type === 'A' || type === 'ANY') for (const ip of recs.A ?? []) add('A', ip);
  if (type === 'AAAA' || type === 'ANY') for (const ip of recs.AAAA ?? []) add('AAAA', canonicalIP(ip)?.text ?? ip);
  if (type === 'TXT' || type === 'ANY') for (const t of recs.TXT ?? []) add('TXT', `"${t}"`);
  if (type === 'PTR' || type === 'ANY') for (const p of [...(recs.PTR ?? []), ...(ptrNames ?? [])]) add('PTR', fqdn(p));
  return out;
}

/**
 * A recursive resolver over `zone`: CNAMEs are chased within the zone (the chain is returned),
 * addresses get automatic PTRs, names not in the zone are NXDOMAIN.
 */
export function makeUpstream(zone: UpstreamZone, opts: { ttl?: number } = {}): UpstreamFn {
  const ttl = opts.ttl ?? 300;
  const ix = indexZone(zone);
  return (q) => {
    const qname = fqdn(q.name);
    let owner = qname;
    const answer: RR[] = [];
    const seen = new Set<string>();
    for (let hops = 0; hops < 8; hops++) {
      const key = owner.toLowerCase();
      const recs = ix.names.get(key);
      const ptrNames = ix.ptr.get(key);
      if (!recs && !ptrNames) {
        // A CNAME into nothing: the chain so far, NXDOMAIN for the end of it.
        return { rcode: 'NXDOMAIN', aa: false, answer, authority: [negativeSoa(ix, key)] };
      }
      if (recs?.CNAME && q.type !== 'CNAME' && !seen.has(key)) {
        seen.add(key);
        const target = fqdn(recs.CNAME);
        answer.push({ name: owner, ttl, class: 'IN', type: 'CNAME', data: target });
        owner = target;
        continue;
      }
      if (recs?.CNAME && q.type === 'CNAME') answer.push({ name: owner, ttl, class: 'IN', type: 'CNAME', data: fqdn(recs.CNAME) });
      else answer.push(...recordsOf(owner, recs ?? {}, q.type, ttl, ptrNames));
      if (answer.length === 0) return { rcode: 'NOERROR', aa: false, answer, authority: [negativeSoa(ix, key)] };
      return { rcode: 'NOERROR', aa: false, answer, authority: [] };
    }
    return { rcode: 'SERVFAIL', aa: false, answer: [], authority: [] };
  };
}

/** An upstream that never answers (blocked egress, wrong nameserver in the node's resolv.conf). */
export function unreachableUpstream(server?: string): UpstreamFn {
  return () => ({ unreachable: true, ...(server ? { server } : {}) });
}
