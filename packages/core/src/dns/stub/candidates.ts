// The names busybox ≥ 1.30 nslookup and bind9's nslookup/host (dig +search) try, in order: those
// tools bypass getaddrinfo and walk the search list their own way.

import type { ResolvConf } from '../resolv.js';
import { glibcOptions } from './glibc.js';
import { isIpAddress, ptrName } from './reverse.js';
import { countDots, dropDot, type QType } from './wire.js';

export type BusyboxVersion = '1.28' | '1.29' | 'modern';

/**
 * The queries busybox nslookup sends. 'modern' (1.30 and later, FEATURE_NSLOOKUP_BIG): its own
 * resolver, all at once — A for every candidate, then AAAA for every candidate; search domains are
 * appended only to names without any dot, and then the bare name is not asked at all; ndots is
 * ignored; an IP address becomes a single PTR query. '1.28' (≤ 1.28.4) asks libc getaddrinfo
 * instead, so it returns null: use uclibcLookup (busybox:1.28.4), glibcLookup or muslLookup.
 */
export function busyboxNslookupCandidates(name: string, conf: ResolvConf, version: BusyboxVersion = 'modern'): { name: string; type: QType }[] | null {
  if (version === '1.28') return null;
  if (isIpAddress(name)) return [{ name: ptrName(name), type: 'PTR' }];
  // parse_resolvconf: "search ." (or "domain .") means no search; 1.29.x had no search at all.
  const searches = version === '1.29' || (conf.searches.length === 1 && conf.searches[0] === '.') ? [] : conf.searches;
  const names = searches.length === 0 || name.includes('.') ? [name] : searches.map((d) => `${name}.${d}`);
  return [...names.map((n) => ({ name: n, type: 'A' as const })), ...names.map((n) => ({ name: n, type: 'AAAA' as const }))];
}

/**
 * The search order of bind9's nslookup and host (and dig +search): a trailing dot or dots ≥ ndots →
 * the name alone; otherwise each search domain, then the name as-is. Only NXDOMAIN moves on.
 */
export function bindSearchCandidates(name: string, conf: ResolvConf): string[] {
  if (name.endsWith('.')) return [dropDot(name)];
  const ndots = glibcOptions(conf).ndots;
  if (countDots(name) >= ndots) return [name];
  return [...conf.searches.filter((d) => d !== '' && d !== '.').map((d) => `${name}.${dropDot(d)}`), name];
}
