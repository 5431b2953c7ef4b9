// bind9's lookup loop (dighost.c), shared by its nslookup, host and dig: one lookup is one name and
// type, retried per server, with the comment lines each failed try prints; the search list on top.

import type { ResolvConf } from '../resolv.js';
import { bindSearchCandidates, isReply, type DnsReply, type QType, type QueryFn, type QueryOutcome, type QueryRecord } from '../stub/index.js';
import { dropDot, targetOf } from './output.js';

export interface BindRunOptions {
  /** Server given on the command line (replaces resolv.conf's nameservers). */
  server?: string;
  /** Tries per server: nslookup and dig 3, host 2 (-R 1). */
  tries?: number;
}

export interface BindAttempt {
  outcome: QueryOutcome;
  server: string;
  /** Lines printed for failed tries before this outcome. */
  notes: string[];
}

export const sockaddr = (s: string): string => `${s}#53`;

/** One bind lookup: each server gets `tries` sends; timeouts and ICMP errors are reported per try. */
export function bindSend(name: string, type: QType, servers: string[], tries: number, query: QueryFn, queries: QueryRecord[]): BindAttempt {
  const notes: string[] = [];
  let last: QueryOutcome = { error: 'timeout' };
  for (let si = 0; si < servers.length; si++) {
    const server = servers[si] as string;
    for (let t = 0; t < tries; t++) {
      const out = query(name, type, server);
      queries.push({ name, type, server, rcode: isReply(out) ? out.rcode : out.error === 'timeout' ? 'TIMEOUT' : 'UNREACHABLE' });
      last = out;
      if (isReply(out)) {
        if (out.rcode === 'SERVFAIL') {
          // nslookup prints this comment (host and dig do not); the last server's reply is used.
          if (si < servers.length - 1) {
            notes.push(`;; Got SERVFAIL reply from ${server}, trying next server`);
            break;
          }
          notes.push(`;; Got SERVFAIL reply from ${server}`);
        }
        return { outcome: out, server, notes };
      }
      notes.push(`;; communications error to ${sockaddr(server)}: ${out.error === 'timeout' ? 'timed out' : 'connection refused'}`);
    }
  }
  return { outcome: last, server: servers[servers.length - 1] ?? '', notes };
}

/** Walk the search candidates: only NXDOMAIN moves on. */
export function bindSearch(
  name: string,
  conf: ResolvConf,
  type: QType,
  servers: string[],
  tries: number,
  query: QueryFn,
  queries: QueryRecord[],
): { attempt: BindAttempt; qname: string; notes: string[] } {
  const notes: string[] = [];
  const cands = bindSearchCandidates(name, conf);
  let attempt: BindAttempt = { outcome: { error: 'timeout' }, server: servers[0] ?? '', notes: [] };
  let qname = cands[0] ?? name;
  for (const cand of cands) {
    qname = cand;
    attempt = bindSend(cand, type, servers, tries, query, queries);
    notes.push(...attempt.notes);
    if (!isReply(attempt.outcome)) break;
    if (attempt.outcome.rcode !== 'NXDOMAIN') break;
  }
  return { attempt, qname, notes };
}

/** The CNAME chain in an answer, from qname to its final target. */
export function chaseCname(qname: string, reply: DnsReply): string {
  let name = dropDot(qname).toLowerCase();
  let out = dropDot(qname);
  for (let i = 0; i < reply.answer.length; i++) {
    const rr = reply.answer.find((r) => r.type === 'CNAME' && dropDot(r.name).toLowerCase() === name);
    if (!rr) break;
    out = targetOf(rr);
    name = out.toLowerCase();
  }
  return out;
}
