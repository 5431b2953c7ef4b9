// bind9's nslookup: the A lookup through the search list, then AAAA for the answered name; output
// as captured from bind 9.18.49 (Debian 12) against a scripted server.

import type { ResolvConf } from '../resolv.js';
import { isIpAddress, isReply, ptrName, type DnsReply, type DnsRR, type QType, type QueryFn, type QueryRecord } from '../stub/index.js';
import { bindSearch, bindSend, chaseCname, sockaddr, type BindRunOptions } from './bind-lookup.js';
import { dropDot, rdataText, soaBlock, type ToolOutput, type ToolRun } from './output.js';

const NSLOOKUP_RTYPE: Partial<Record<QType, string>> = {
  NS: 'nameserver = ',
  CNAME: 'canonical name = ',
  PTR: 'name = ',
  MX: 'mail exchanger = ',
  TXT: 'text = ',
  SRV: 'service = ',
};

function nslookupSection(rrs: DnsRR[]): string {
  let out = '';
  for (const rr of rrs) {
    const owner = dropDot(rr.name);
    if (rr.type === 'A' || rr.type === 'AAAA') out += `Name:\t${owner}\nAddress: ${rr.data}\n`;
    else if (rr.type === 'SOA') {
      const p = rdataText(rr).split(' ');
      out += soaBlock(owner, p);
    } else out += `${owner}\t${NSLOOKUP_RTYPE[rr.type] ?? `${rr.type.toLowerCase()} = `}${rdataText(rr)}\n`;
  }
  return out;
}

/** One finished nslookup lookup: the name it ended on (candidate), its type and reply. */
export interface NslookupStep {
  qname: string;
  qtype: QType;
  reply: DnsReply;
  /** Server that answered (as given on the command line / resolv.conf). */
  server: string;
  /** Lines printed before the reply (";; Got SERVFAIL reply from …"). */
  notes?: string[];
}

/**
 * bind9 nslookup output for the default A (+AAAA) lookups, as 9.18 prints them:
 * ```
 * Server:\t\t10.96.0.10
 * Address:\t10.96.0.10#53
 *
 * Name:\tkubernetes.default.svc.cluster.local
 * Address: 10.96.0.1
 *
 * ```
 * `Non-authoritative answer:` precedes a non-aa A answer; an error rcode prints
 * `** server can't find <name>: NXDOMAIN` (exit 1); an empty A and AAAA print
 * `*** Can't find <name>: No answer` (exit 0). `steps[0]` is the A lookup, `steps[1]` the AAAA.
 */
export function bindNslookup(steps: NslookupStep[]): ToolOutput {
  let out = '';
  let exitCode = 0;
  let aNoAnswer = false;
  for (const [i, s] of steps.entries()) {
    out += (s.notes ?? []).map((n) => `${n}\n`).join('');
    const isA = i === 0;
    if (isA) out += `Server:\t\t${s.server}\nAddress:\t${sockaddr(s.server)}\n\n`;
    if (s.reply.rcode !== 'NOERROR') {
      out += `** server can't find ${dropDot(s.qname)}: ${s.reply.rcode}\n`;
      exitCode = 1;
      continue;
    }
    if (isA && !s.reply.aa) out += 'Non-authoritative answer:\n';
    if (s.reply.answer.length) out += nslookupSection(s.reply.answer);
    else if (isA) aNoAnswer = true;
    else if (aNoAnswer) out += `*** Can't find ${dropDot(s.qname)}: No answer\n`;
  }
  return { stdout: `${out}\n`, stderr: '', exitCode };
}

/**
 * bind9 nslookup end to end: the A lookup walks the search list (bindSearchCandidates, only NXDOMAIN
 * moves on); on success an AAAA lookup follows for the CNAME-chased name. An address argument is a
 * single PTR lookup printed without the Server header.
 */
export function runBindNslookup(name: string, conf: ResolvConf, query: QueryFn, opts: BindRunOptions = {}): ToolRun {
  const servers = opts.server ? [opts.server] : conf.nameservers.length ? conf.nameservers.slice(0, 3) : ['127.0.0.1'];
  const tries = opts.tries ?? 3;
  const queries: QueryRecord[] = [];
  const noServers = (notes: string[]): ToolRun => ({ stdout: `${notes.map((n) => `${n}\n`).join('')};; no servers could be reached\n\n`, stderr: '', exitCode: 1, queries });

  if (isIpAddress(name)) {
    const ptr = ptrName(name);
    const a = bindSend(ptr, 'PTR', servers, tries, query, queries);
    if (!isReply(a.outcome)) return noServers(a.notes);
    const r = a.outcome;
    const body = r.rcode !== 'NOERROR' ? `** server can't find ${ptr}: ${r.rcode}\n` : (r.aa ? '' : 'Non-authoritative answer:\n') + nslookupSection(r.answer);
    return { stdout: `${a.notes.map((n) => `${n}\n`).join('') + body}\n`, stderr: '', exitCode: r.rcode === 'NOERROR' ? 0 : 1, queries };
  }

  const s = bindSearch(name, conf, 'A', servers, tries, query, queries);
  if (!isReply(s.attempt.outcome)) return noServers(s.notes);
  const steps: NslookupStep[] = [{ qname: s.qname, qtype: 'A', reply: s.attempt.outcome, server: s.attempt.server, notes: s.notes }];
  let extra = '';
  if (s.attempt.outcome.rcode === 'NOERROR') {
    const chased = chaseCname(s.qname, s.attempt.outcome);
    const a6 = bindSend(chased, 'AAAA', servers, tries, query, queries);
    if (isReply(a6.outcome)) steps.push({ qname: chased, qtype: 'AAAA', reply: a6.outcome, server: a6.server, notes: a6.notes });
    else extra = a6.notes.map((n) => `${n}\n`).join('');
  }
  const out = bindNslookup(steps);
  return { ...out, stdout: `${out.stdout.slice(0, -1) + extra}\n`, queries };
}
