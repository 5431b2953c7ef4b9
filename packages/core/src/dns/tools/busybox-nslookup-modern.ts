// busybox ≥ 1.30 nslookup: its own resolver (LEDE/OpenWrt code) sending every query at once, and
// its output as captured from busybox 1.35 against a scripted server.

import type { ResolvConf } from '../resolv.js';
import {
  busyboxNslookupCandidates,
  isReply,
  type BusyboxVersion,
  type DnsReply,
  type DnsRR,
  type QType,
  type QueryFn,
  type QueryOutcome,
  type QueryRecord,
} from '../stub/index.js';
import { dropDot, soaBlock, targetOf, type ToolOutput, type ToolRun } from './output.js';

export interface CompletedQuery {
  name: string;
  type: QType;
  reply: DnsReply;
}

function busyboxRR(rr: DnsRR): string {
  const owner = dropDot(rr.name);
  const p = rr.data.trim().split(/\s+/);
  switch (rr.type) {
    case 'A':
    case 'AAAA':
      return `Name:\t${owner}\nAddress: ${rr.data}\n`;
    case 'NS':
      return `${owner}\tnameserver = ${targetOf(rr)}\n`;
    case 'CNAME':
      return `${owner}\tcanonical name = ${targetOf(rr)}\n`;
    case 'PTR':
      return `${owner}\tname = ${targetOf(rr)}\n`;
    case 'MX':
      return `${owner}\tmail exchanger = ${p[0]} ${targetOf(rr)}\n`;
    case 'TXT':
      return `${owner}\ttext = "${rr.data.replace(/^"|"$/g, '')}"\n`;
    case 'SRV':
      return `${owner}\tservice = ${p[0]} ${p[1]} ${p[2]} ${targetOf(rr)}\n`;
    case 'SOA':
      return soaBlock(owner, p);
    default:
      return '';
  }
}

/**
 * busybox ≥ 1.30, replies in the order they arrived (captured from 1.35):
 * ```
 * Server:\t\t10.96.0.10
 * Address:\t10.96.0.10:53
 *
 * Name:\tkubernetes.default.svc.cluster.local
 * Address: 10.96.0.1
 *
 * ** server can't find kubernetes.svc.cluster.local: NXDOMAIN
 *
 * ```
 * An authoritative empty answer (NODATA) prints only its blank line. `unanswered` queries get
 * `*** Can't find X: No answer`; no reply at all prints the bind-style timeout line. Exit status 1
 * when any reply had an error rcode.
 */
export function busyboxNslookupModern(server: string, completed: CompletedQuery[], unanswered: { name: string }[] = []): ToolOutput {
  if (completed.length === 0) return { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', exitCode: 1 };
  const addr = server.includes(':') ? `[${server}]:53` : `${server}:53`;
  let out = `Server:\t\t${server}\nAddress:\t${addr}\n\n`;
  let exitCode = 0;
  for (const c of completed) {
    if (c.reply.rcode !== 'NOERROR') {
      out += `** server can't find ${c.name}: ${c.reply.rcode}\n`;
      exitCode = 1;
    } else {
      if (!c.reply.aa) out += 'Non-authoritative answer:\n';
      for (const rr of c.reply.answer) out += busyboxRR(rr);
    }
    out += '\n';
  }
  if (unanswered.length) out += `${unanswered.map((u) => `*** Can't find ${u.name}: No answer\n`).join('')}\n`;
  return { stdout: out, stderr: '', exitCode };
}

/**
 * busybox ≥ 1.30 end to end (send_queries): all queries go out together to the first server; a
 * SERVFAIL is re-sent at once while the round's budget (2 × queries) lasts; unanswered ones are
 * re-sent once more (retry 2 within the 5 s timeout); a server that never answers gives way to the
 * next. `version` '1.29' has no search list.
 */
export function runBusyboxNslookupModern(
  name: string,
  conf: ResolvConf,
  query: QueryFn,
  opts: { server?: string; version?: Exclude<BusyboxVersion, '1.28'>; retry?: number } = {},
): ToolRun {
  const cands = busyboxNslookupCandidates(name, conf, opts.version ?? 'modern') ?? [];
  const servers = opts.server ? [opts.server] : conf.nameservers.length ? conf.nameservers : ['127.0.0.1'];
  const queries: QueryRecord[] = [];
  const send = (q: { name: string; type: QType }, server: string): QueryOutcome => {
    const out = query(q.name, q.type, server);
    queries.push({ name: q.name, type: q.type, server, rcode: isReply(out) ? out.rcode : out.error === 'timeout' ? 'TIMEOUT' : 'UNREACHABLE' });
    return out;
  };
  for (const server of servers) {
    const done: (CompletedQuery | undefined)[] = cands.map(() => undefined);
    const completed: CompletedQuery[] = [];
    let replies = 0;
    for (let round = 0; round < (opts.retry ?? 2) && done.some((d) => !d); round++) {
      let budget = 2 * cands.length;
      const inflight: { i: number; out: QueryOutcome }[] = [];
      cands.forEach((c, i) => {
        if (!done[i]) inflight.push({ i, out: send(c, server) });
      });
      while (inflight.length) {
        const f = inflight.shift() as { i: number; out: QueryOutcome };
        if (!isReply(f.out) || done[f.i]) continue;
        replies++;
        const c = cands[f.i] as { name: string; type: QType };
        if (f.out.rcode === 'SERVFAIL' && budget > 0) {
          budget--;
          inflight.push({ i: f.i, out: send(c, server) });
          continue;
        }
        done[f.i] = { ...c, reply: f.out };
        completed.push(done[f.i] as CompletedQuery);
      }
    }
    if (replies > 0) {
      const unanswered = cands.filter((_, i) => !done[i]);
      return { ...busyboxNslookupModern(server, completed, unanswered), queries };
    }
  }
  return { ...busyboxNslookupModern(servers[0] ?? '127.0.0.1', []), queries };
}
