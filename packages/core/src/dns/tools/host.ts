// bind9's host: A, then AAAA and MX for the answered name, one line per record; output as captured
// from bind 9.18.49 (Debian 12) against a scripted server.

import type { ResolvConf } from '../resolv.js';
import { isIpAddress, isReply, ptrName, type DnsReply, type DnsRR, type QType, type QueryFn, type QueryRecord, type Rcode } from '../stub/index.js';
import { bindSearch, bindSend, chaseCname, sockaddr, type BindRunOptions } from './bind-lookup.js';
import { addDot, dropDot, rdataText, type ToolOutput, type ToolRun } from './output.js';

const RCODE_NUM: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

export interface HostStep {
  qname: string;
  qtype: QType;
  reply: DnsReply;
}

function hostLine(rr: DnsRR): string {
  const owner = dropDot(rr.name);
  const p = rr.data.trim().split(/\s+/);
  switch (rr.type) {
    case 'A':
      return `${owner} has address ${rr.data}\n`;
    case 'AAAA':
      return `${owner} has IPv6 address ${rr.data}\n`;
    case 'CNAME':
      return `${owner} is an alias for ${rdataText(rr)}\n`;
    case 'MX':
      return `${owner} mail is handled by ${p[0]} ${addDot(p[1] ?? '')}\n`;
    case 'PTR':
      return `${owner} domain name pointer ${rdataText(rr)}\n`;
    default:
      return `${owner} has ${rr.type} record ${rdataText(rr)}\n`;
  }
}

/**
 * bind9 host: `kubernetes.default.svc.cluster.local has address 10.96.0.1`, `… has IPv6 address …`,
 * `… is an alias for example.com.`, `… mail is handled by 10 mx.`; an error rcode prints
 * `Host x not found: 3(NXDOMAIN)` (the typed name for NXDOMAIN, the queried one otherwise), exit 1.
 * NODATA prints nothing. `server` (explicit second argument) adds the "Using domain server" block.
 */
export function host(typedName: string, steps: HostStep[], server?: string): ToolOutput {
  let out = server ? `Using domain server:\nName: ${server}\nAddress: ${sockaddr(server)}\nAliases: \n\n` : '';
  for (const s of steps) {
    if (s.reply.rcode !== 'NOERROR') {
      const shown = s.reply.rcode === 'NXDOMAIN' ? typedName : dropDot(s.qname);
      out += `Host ${shown} not found: ${RCODE_NUM[s.reply.rcode]}(${s.reply.rcode})\n`;
      return { stdout: out, stderr: '', exitCode: 1 };
    }
    for (const rr of s.reply.answer) out += hostLine(rr);
  }
  return { stdout: out, stderr: '', exitCode: 0 };
}

/**
 * bind9 host end to end: the A lookup walks the search list, then AAAA and MX follow for the
 * CNAME-chased name; an address argument is one PTR lookup. Two tries per server by default.
 */
export function runHost(name: string, conf: ResolvConf, query: QueryFn, opts: BindRunOptions = {}): ToolRun {
  const servers = opts.server ? [opts.server] : conf.nameservers.length ? conf.nameservers.slice(0, 3) : ['127.0.0.1'];
  const tries = opts.tries ?? 2;
  const queries: QueryRecord[] = [];
  // host keeps dig's error lines but not its SERVFAIL comments.
  const noServers = (before: string, notes: string[]): ToolRun => ({
    stdout:
      before +
      notes
        .filter((n) => n.startsWith(';; communications error'))
        .map((n) => `${n}\n`)
        .join('') +
      ';; no servers could be reached\n',
    stderr: '',
    exitCode: 1,
    queries,
  });

  if (isIpAddress(name)) {
    const ptr = ptrName(name);
    const a = bindSend(ptr, 'PTR', servers, tries, query, queries);
    if (!isReply(a.outcome)) return noServers('', a.notes);
    return { ...host(`${ptr}.`, [{ qname: ptr, qtype: 'PTR', reply: a.outcome }], opts.server), queries };
  }
  const s = bindSearch(name, conf, 'A', servers, tries, query, queries);
  if (!isReply(s.attempt.outcome)) return noServers('', s.notes);
  const steps: HostStep[] = [{ qname: s.qname, qtype: 'A', reply: s.attempt.outcome }];
  if (s.attempt.outcome.rcode === 'NOERROR') {
    const chased = chaseCname(s.qname, s.attempt.outcome);
    for (const t of ['AAAA', 'MX'] as const) {
      const a = bindSend(chased, t, servers, tries, query, queries);
      if (!isReply(a.outcome)) return noServers(host(name, steps, opts.server).stdout, a.notes);
      steps.push({ qname: chased, qtype: t, reply: a.outcome });
    }
  }
  return { ...host(name, steps, opts.server), queries };
}
