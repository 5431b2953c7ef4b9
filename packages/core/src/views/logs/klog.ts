// klog's text format, as Kubernetes components write their logs (k8s.io/klog/v2): a header
// `Lmmdd hh:mm:ss.uuuuuu threadid file:line] `, then the message and its key/value pairs as
// structured logging prints them — strings quoted with strconv.Quote, a string with line breaks
// as `key=<` with each line tab-indented and ` >` to close.

import { quote } from '../../util/golang/strconv.js';

export type KlogSeverity = 'I' | 'W' | 'E';

/** A value as klog's KV formatting prints it: strings quoted, string lists as a JSON-like array, numbers bare. */
export type KlogValue = string | number | boolean | readonly string[];

export interface KlogLine {
  severity: KlogSeverity;
  /** Microseconds since the epoch. */
  timeUs: number;
  /** `file.go:line` of the call. */
  at: string;
  msg: string;
  kv?: readonly (readonly [string, KlogValue])[];
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function value(v: KlogValue): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') return `[${v.map((s) => quote(s)).join(',')}]`;
  const nl = v.indexOf('\n');
  if (nl < 0) return quote(v);
  // A multi-line string: shown as is, each line tab-indented, closed by " >".
  let out = '<\n';
  let rest = v;
  let i = nl;
  while (i >= 0) {
    out += `\t${rest.slice(0, i + 1)}`;
    rest = rest.slice(i + 1);
    i = rest.indexOf('\n');
  }
  return rest.length === 0 ? `${out} >` : `${out}\t${rest}\n >`;
}

/** One log line; `pid` is the process's (1 in a container). */
export function klogLine(line: KlogLine, pid = 1): string {
  const ms = Math.floor(line.timeUs / 1000);
  const d = new Date(ms);
  const us = line.timeUs - Math.floor(line.timeUs / 1_000_000) * 1_000_000;
  const head = `${line.severity}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(us, 6)} ${String(pid).padStart(7)} ${line.at}] `;
  let s = head + quote(line.msg);
  for (const [k, v] of line.kv ?? []) s += ` ${k}=${value(v)}`;
  return s;
}
