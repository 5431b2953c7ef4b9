// What getaddrinfo() reports whatever the libc, and the answer handling glibc, musl and uClibc
// share (server list, A/AAAA per family, addresses and canonical name from the replies).

import type { ResolvConf } from '../resolv.js';
import { dropDot, type DnsReply, type QType, type QueryRecord } from './wire.js';

export type Family = 'inet' | 'inet6' | 'unspec';

export type LookupStatus = 'ok' | 'nxdomain' | 'nodata' | 'servfail' | 'timeout' | 'unreachable' | 'fail';

export interface GaiError {
  code: number;
  name: 'EAI_NONAME' | 'EAI_NODATA' | 'EAI_AGAIN' | 'EAI_FAIL';
  /** gai_strerror() of the libc in question. */
  message: string;
}

export interface LookupResult {
  /** Every packet sent, in order (A before AAAA when both go out together). */
  queries: QueryRecord[];
  status: LookupStatus;
  error?: GaiError;
  /** Addresses from the successful reply(s), A records then AAAA records unless sorted. */
  addresses: string[];
  /** The candidate name whose reply succeeded. */
  answeredName?: string;
  /** The last CNAME target in the answer, else the answered name (getaddrinfo's ai_canonname). */
  canonicalName?: string;
}

export const serversOf = (conf: ResolvConf): string[] => (conf.nameservers.length ? conf.nameservers.slice(0, 3) : ['127.0.0.1']);

export function typesFor(family: Family): QType[] {
  return family === 'inet' ? ['A'] : family === 'inet6' ? ['AAAA'] : ['A', 'AAAA'];
}

export function addressesOf(replies: DnsReply[]): string[] {
  const out: string[] = [];
  for (const t of ['A', 'AAAA'] as const) for (const r of replies) for (const rr of r.answer) if (rr.type === t) out.push(rr.data);
  return out;
}

export function canonicalOf(name: string, replies: DnsReply[]): string {
  let canon = name;
  for (const r of replies) for (const rr of r.answer) if (rr.type === 'CNAME') canon = dropDot(rr.data);
  return canon;
}
