// uClibc-ng's stub resolver (resolv.c __dns_lookup, getaddrinfo.c gaih_inet), behind busybox:1.28.4
// and the other plain busybox images on amd64; modelled from its source only.

import type { ResolvConf } from '../resolv.js';
import { serversOf, type Family, type LookupResult, type LookupStatus } from './getaddrinfo.js';
import { dropDot, isReply, Wire, type DnsReply, type QType, type QueryFn } from './wire.js';

export interface UclibcOne {
  status: 'ok' | 'nxdomain' | 'nodata' | 'internal';
  reply?: DnsReply;
  answeredName?: string;
}

/**
 * __dns_lookup for one type. No ndots: a dotted name is tried as-is first, then with each search
 * domain; an undotted one with each search domain, then as-is. NXDOMAIN or SERVFAIL move to the next
 * candidate; after the last one NXDOMAIN means HOST_NOT_FOUND, SERVFAIL switches server. NOERROR
 * without answers is NO_DATA at once. A timeout or another rcode switches to the next server and
 * restarts the whole candidate list (nameservers × attempts tries in all). PTR never searches.
 */
export function uclibcDnsLookup(wire: Wire, name: string, type: QType, searches: string[], servers: string[], attempts: number): UclibcOne {
  const endsWithDot = name.endsWith('.');
  const containsDot = name.includes('.');
  const bare = dropDot(name);
  const sdomains = type === 'PTR' ? [] : searches.map(dropDot);
  let retriesLeft = servers.length * attempts;
  let ns = 0;
  let variant = -1;
  while (retriesLeft > 0) {
    const act = containsDot ? variant : variant + 1;
    const qname = act >= 0 && act < sdomains.length ? `${bare}.${sdomains[act]}` : bare;
    const server = servers[ns % servers.length] as string;
    const out = wire.send(qname, type, server);
    if (isReply(out)) {
      if (out.rcode === 'NXDOMAIN' || out.rcode === 'SERVFAIL') {
        if (!endsWithDot && variant < sdomains.length - 1) {
          variant++;
          continue;
        }
        if (out.rcode === 'NXDOMAIN') return { status: 'nxdomain' };
      }
      if (out.rcode === 'NOERROR') {
        if (out.answer.length === 0) return { status: 'nodata' };
        return { status: 'ok', reply: out, answeredName: qname };
      }
    }
    retriesLeft--;
    ns++;
    variant = -1;
  }
  return { status: 'internal' };
}

/**
 * uClibc's `attempts` (RES_DFLRETRY 2 by default). Its parser splits the options line at the first
 * ':' only, so just the first option counts — `options ndots:5` (kubelet's) changes nothing.
 */
export function uclibcAttempts(conf: ResolvConf): number {
  const m = /^attempts:(\d+)/.exec(conf.options[0] ?? '');
  return m ? Math.max(1, parseInt(m[1] ?? '2', 10)) : 2;
}

/**
 * getaddrinfo() on uClibc-ng: for 'unspec' the whole AAAA lookup runs first, then the whole A lookup
 * (gaih_inet), each through __dns_lookup; IPv6 results are listed first. A CNAME-first answer is
 * followed with a fresh lookup of its target, as gethostbyname_r does.
 */
export function uclibcLookup(name: string, conf: ResolvConf, query: QueryFn, family: Family = 'unspec'): LookupResult {
  const wire = new Wire(query);
  const servers = serversOf(conf);
  const attempts = uclibcAttempts(conf);
  const order: QType[] = family === 'inet' ? ['A'] : family === 'inet6' ? ['AAAA'] : ['AAAA', 'A'];
  const addresses: string[] = [];
  const statuses: UclibcOne['status'][] = [];
  let answeredName: string | undefined;
  let canonicalName: string | undefined;
  for (const type of order) {
    let target = name;
    let one: UclibcOne = { status: 'internal' };
    for (let hops = 0; hops < 8; hops++) {
      one = uclibcDnsLookup(wire, target, type, conf.searches, servers, attempts);
      const first = one.reply?.answer[0];
      if (one.status === 'ok' && first?.type === 'CNAME') {
        answeredName ??= one.answeredName;
        target = first.data;
        canonicalName = dropDot(first.data);
        continue;
      }
      break;
    }
    statuses.push(one.status);
    if (one.status === 'ok' && one.reply) {
      answeredName ??= one.answeredName;
      canonicalName ??= one.answeredName;
      for (const rr of one.reply.answer) if (rr.type === type) addresses.push(rr.data);
    }
  }
  if (addresses.length) return { queries: wire.queries, status: 'ok', addresses, answeredName, canonicalName };
  const status: LookupStatus = statuses.includes('internal') ? 'timeout' : statuses.includes('nodata') ? 'nodata' : 'nxdomain';
  // gethostbyname_r folds every __dns_lookup failure into HOST_NOT_FOUND, so gaih_inet ends with
  // EAI_NONAME whatever happened (from the source; not run).
  return { queries: wire.queries, status, error: { code: -2, name: 'EAI_NONAME', message: 'Name or service not known' }, addresses: [] };
}
