// What every tool's output is made of: the result shapes, and record data and names in the
// forms the tools print (dig's fully qualified rdata, the dotless names nslookup and busybox show).

import type { DnsRR, QueryRecord } from '../stub/index.js';

export interface ToolOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ToolRun extends ToolOutput {
  queries: QueryRecord[];
}

export const dropDot = (n: string): string => (n.length > 1 && n.endsWith('.') ? n.slice(0, -1) : n);
export const addDot = (n: string): string => (n.endsWith('.') ? n : `${n}.`);

/** rdata in presentation form with every domain name fully qualified (dig's form). */
export function rdataText(rr: DnsRR): string {
  const parts = rr.data.trim().split(/\s+/);
  switch (rr.type) {
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return addDot(rr.data.trim());
    case 'MX':
    case 'SRV':
      return [...parts.slice(0, -1), addDot(parts[parts.length - 1] ?? '')].join(' ');
    case 'SOA':
      return [addDot(parts[0] ?? ''), addDot(parts[1] ?? ''), ...parts.slice(2)].join(' ');
    default:
      return rr.data;
  }
}

/** nslookup's and busybox's SOA block: owner, then one tab-indented `key = value` per field. */
export function soaBlock(owner: string, p: string[]): string {
  const [mname = '', rname = '', ...nums] = p;
  const keys = ['serial', 'refresh', 'retry', 'expire', 'minimum'];
  return `${owner}\n\torigin = ${dropDot(mname)}\n\tmail addr = ${dropDot(rname)}\n${keys.map((k, i) => `\t${k} = ${nums[i]}\n`).join('')}`;
}

/** The name-valued rdata without its final dot (how busybox and nslookup's dns_name_format print it). */
export const targetOf = (rr: DnsRR): string => dropDot(rr.data.trim().split(/\s+/).pop() ?? '');
