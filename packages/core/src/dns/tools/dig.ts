// dig 9.18: one question, printed with bind's masterdump columns, header flags and message size;
// output as captured from bind 9.18.49 (Debian 12) against a scripted server.

import type { ResolvConf } from '../resolv.js';
import { isReply, type DnsReply, type DnsRR, type QType, type QueryFn, type QueryOutcome, type QueryRecord } from '../stub/index.js';
import { bindSearch, bindSend, sockaddr, type BindAttempt } from './bind-lookup.js';
import { addDot, dropDot, rdataText, type ToolOutput, type ToolRun } from './output.js';

export interface DigOptions {
  /** The command line after `dig`, as typed (echoed in the banner). Default: `[@server] name [type]`. */
  args?: string;
  /** `@server` was given: prints `; (1 server found)`. */
  serverGiven?: boolean;
  short?: boolean;
  /** Message ID; default a deterministic hash of `seed` (or the name). */
  id?: number;
  seed?: string;
  queryTimeMs?: number;
  /** Simulated wall clock (ms since epoch or Date) for `;; WHEN:`, printed in UTC. */
  when?: number | Date;
  protocol?: 'UDP' | 'TCP';
  /** +norecurse clears rd. */
  recurse?: boolean;
  /** Tries for timeouts (+tries, default 3). */
  tries?: number;
  version?: string;
  /** Count the reply with name compression (CoreDNS leaves small replies uncompressed). */
  compress?: boolean;
}

export const DIG_VERSION = '9.18.49-1~deb12u3-Debian';

/** FNV-1a folded to 16 bits: a stable stand-in for dig's random message ID. */
export function seededId(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return ((h >>> 16) ^ (h & 0xffff)) & 0xffff;
}

/**
 * dns_master indent: move from column `from` to `to` with tabs (width 8) then spaces, always at
 * least one character; the logical column becomes `to` even when tabs overshoot.
 */
function indentTo(from: number, to: number): [string, number] {
  const target = Math.max(to, from + 1);
  const tabs = Math.floor(target / 8) - Math.floor(from / 8);
  if (tabs > 0) return ['\t'.repeat(tabs) + ' '.repeat(target - Math.floor(target / 8) * 8), target];
  return [' '.repeat(target - from), target];
}

/** An RR line with dig's columns: TTL at 24, class at 32, type at 40, rdata at 48. */
export function digRR(rr: DnsRR): string {
  let s = addDot(rr.name);
  let col = s.length;
  const put = (field: string, to: number): void => {
    const [pad, c] = indentTo(col, to);
    s += pad + field;
    col = c + field.length;
  };
  put(String(rr.ttl), 24);
  put(rr.class, 32);
  put(rr.type, 40);
  const [pad] = indentTo(col, 48);
  return s + pad + rdataText(rr);
}

/** A question line: `;` + name (not counted in the columns), class at 32, type at 40. */
export function digQuestion(name: string, type: QType): string {
  const n = addDot(name);
  let col = n.length;
  const [p1, c1] = indentTo(col, 32);
  col = c1 + 2;
  const [p2] = indentTo(col, 40);
  return `;${n}${p1}IN${p2}${type}`;
}

function nameWireLength(name: string, table: Set<string> | null): number {
  const labels = dropDot(name) === '.' || name === '' ? [] : dropDot(name).toLowerCase().split('.');
  let len = 0;
  for (let i = 0; i < labels.length; i++) {
    const suffix = labels.slice(i).join('.');
    if (table?.has(suffix)) return len + 2;
    table?.add(suffix);
    len += (labels[i] as string).length + 1;
  }
  return len + 1;
}

function rdataWireLength(rr: DnsRR, table: Set<string> | null): number {
  const p = rdataText(rr).split(' ');
  switch (rr.type) {
    case 'A':
      return 4;
    case 'AAAA':
      return 16;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return nameWireLength(rdataText(rr), table);
    case 'MX':
      return 2 + nameWireLength(p[1] ?? '', table);
    case 'SRV':
      return 6 + nameWireLength(p[3] ?? '', null);
    case 'SOA':
      return nameWireLength(p[0] ?? '', table) + nameWireLength(p[1] ?? '', table) + 20;
    case 'TXT': {
      const strs = rr.data.match(/"((?:[^"\\]|\\.)*)"/g) ?? [rr.data];
      return strs.reduce((n, s) => n + 1 + s.replace(/^"|"$/g, '').length, 0);
    }
    default:
      return rr.data.length;
  }
}

/** Size of the reply on the wire (`;; MSG SIZE  rcvd:`), with or without name compression. */
export function messageSize(qname: string, reply: DnsReply, compress = false): number {
  const table = compress ? new Set<string>() : null;
  let size = 12 + nameWireLength(qname, table) + 4;
  for (const rr of [...reply.answer, ...reply.authority, ...reply.additional]) size += nameWireLength(rr.name, table) + 10 + rdataWireLength(rr, table);
  if (reply.edns) size += 11;
  return size;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime "%a %b %d %H:%M:%S %Z %Y" in UTC (a pod's default zone). */
export function digWhen(when: number | Date): string {
  const d = new Date(when);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

const isUnderLocal = (name: string): boolean => {
  const n = dropDot(name).toLowerCase();
  return n === 'local' || n.endsWith('.local');
};

/**
 * dig 9.18 output for one question and its outcome (`outcome` a transport error prints the
 * per-try `;; communications error` lines and `;; no servers could be reached`, exit 9).
 * Names under .local get 9.18's mDNS warning; rd without ra adds the recursion warning.
 */
export function dig(question: { name: string; type: QType }, outcome: QueryOutcome, server: string, opts: DigOptions = {}): ToolOutput {
  const version = opts.version ?? DIG_VERSION;
  const args = opts.args ?? [opts.serverGiven ? `@${server}` : '', question.name, question.type === 'A' ? '' : question.type].filter(Boolean).join(' ');
  const banner = `\n; <<>> DiG ${version} <<>> ${args}\n${opts.serverGiven ? '; (1 server found)\n' : ''};; global options: +cmd\n`;
  if (!isReply(outcome)) {
    const why = outcome.error === 'timeout' ? 'timed out' : 'connection refused';
    const errs = `;; communications error to ${sockaddr(server)}: ${why}\n`.repeat(opts.tries ?? 3);
    return { stdout: `${errs + (opts.short ? '' : banner)};; no servers could be reached\n`, stderr: '', exitCode: 9 };
  }
  const r = outcome;
  if (opts.short) return { stdout: r.answer.map((rr) => `${rdataText(rr)}\n`).join(''), stderr: '', exitCode: 0 };

  const rd = opts.recurse ?? true;
  const ra = r.ra ?? true;
  const flags = ['qr', r.aa ? 'aa' : '', r.tc ? 'tc' : '', rd ? 'rd' : '', ra ? 'ra' : ''].filter(Boolean).join(' ');
  const additional = r.additional.length + (r.edns ? 1 : 0);
  let out = `${banner};; Got answer:\n`;
  if (isUnderLocal(question.name)) out += ';; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n';
  out += `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${opts.id ?? seededId(opts.seed ?? question.name)}\n`;
  out += `;; flags: ${flags}; QUERY: 1, ANSWER: ${r.answer.length}, AUTHORITY: ${r.authority.length}, ADDITIONAL: ${additional}\n`;
  if (rd && !ra) out += ';; WARNING: recursion requested but not available\n';
  out += '\n';
  if (r.edns) out += `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: ${r.edns.udpSize}\n`;
  out += `;; QUESTION SECTION:\n${digQuestion(question.name, question.type)}\n\n`;
  const section = (title: string, rrs: DnsRR[]): string => (rrs.length ? `;; ${title} SECTION:\n${rrs.map((rr) => `${digRR(rr)}\n`).join('')}\n` : '');
  out += section('ANSWER', r.answer) + section('AUTHORITY', r.authority) + section('ADDITIONAL', r.additional);
  out += `;; Query time: ${opts.queryTimeMs ?? 0} msec\n`;
  out += `;; SERVER: ${sockaddr(server)}(${server}) (${opts.protocol ?? 'UDP'})\n`;
  out += `;; WHEN: ${digWhen(opts.when ?? 0)}\n`;
  out += `;; MSG SIZE  rcvd: ${messageSize(question.name, r, opts.compress)}\n\n`;
  return { stdout: out, stderr: '', exitCode: 0 };
}

/**
 * dig end to end: one query to the first server (or `@server`), `tries` sends on timeouts; with
 * `search` (+search) the bind search list applies and the last candidate tried is shown. Replies
 * without an OPT get one of `ednsUdpSize` (default 1232; null for none).
 */
export function runDig(
  name: string,
  type: QType,
  conf: ResolvConf,
  query: QueryFn,
  opts: DigOptions & { server?: string; search?: boolean; ednsUdpSize?: number | null } = {},
): ToolRun {
  const server = opts.server ?? conf.nameservers[0] ?? '127.0.0.1';
  const queries: QueryRecord[] = [];
  const tries = opts.tries ?? 3;
  let qname = dropDot(name);
  let attempt: BindAttempt;
  if (opts.search) {
    const s = bindSearch(name, conf, type, [server], tries, query, queries);
    attempt = s.attempt;
    qname = s.qname;
  } else attempt = bindSend(qname, type, [server], tries, query, queries);
  // dig 9.18 sends EDNS with a 1232-byte UDP size and CoreDNS echoes an OPT record with it.
  const size = opts.ednsUdpSize === undefined ? 1232 : opts.ednsUdpSize;
  const outcome = isReply(attempt.outcome) && !attempt.outcome.edns && size !== null ? { ...attempt.outcome, edns: { udpSize: size } } : attempt.outcome;
  const args = opts.args ?? [opts.server ? `@${opts.server}` : '', name, type === 'A' ? '' : type].filter(Boolean).join(' ');
  const out = dig({ name: qname, type }, outcome, server, { ...opts, serverGiven: opts.serverGiven ?? opts.server !== undefined, args });
  return { ...out, queries };
}
