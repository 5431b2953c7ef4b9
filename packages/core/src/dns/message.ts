// The DNS vocabulary of the server model (query types, records, a reply) and the name helpers
// CoreDNS takes from miekg/dns and plugin.Zones: every plugin and the upstream speak these.

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
