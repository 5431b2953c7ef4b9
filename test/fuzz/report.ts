// The fuzz report: a table per category (cases, passed, failures by kind, time), the typed
// errors the library answered with, each failure class with its first input (minimised where
// it was), and the final `N passed, M failed` line.

import type { FuzzSummary } from './runner.js';

const KIND_COLUMNS = [
  ['crash', 'crash'],
  ['hang', 'hang'],
  ['state-change-after-refusal', 'refusal-changed'],
  ['invariant', 'invariant'],
  ['expectation', 'expectation'],
] as const;

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

export function formatReport(s: FuzzSummary, opts: { classesPerCategory?: number } = {}): string {
  const o = s.options;
  const out: string[] = [];
  out.push(`netsim fuzz: seed ${o.seed}, ${s.passed + s.failed} cases over ${s.categories.length} categories, --timeout-ms ${o.timeoutMs}, ${o.workers} worker processes`);
  out.push('');
  const header = ['category', 'cases', 'passed', ...KIND_COLUMNS.map(([, h]) => h), 'time', 'slowest'];
  const rows = s.categories.map((c) => [
    c.name,
    String(c.cases),
    String(c.passed),
    ...KIND_COLUMNS.map(([k]) => String(c.failures[k])),
    secs(c.ms),
    `${Math.round(c.slowestMs)} ms`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  out.push(line(header));
  for (const r of rows) out.push(line(r));
  out.push('');
  const typed = s.categories.filter((c) => Object.keys(c.typed).length > 0);
  if (typed.length > 0) {
    out.push('typed errors the library refused with (accepted):');
    for (const c of typed) {
      const list = Object.entries(c.typed)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ×${v}`)
        .join(', ');
      out.push(`  ${c.name}: ${list}`);
    }
    out.push('');
  }
  if (s.classes.length > 0) {
    out.push(`failure classes (${s.classes.length}):`);
    const limit = opts.classesPerCategory ?? Number.POSITIVE_INFINITY;
    for (const cat of s.categories) {
      const mine = s.classes.filter((c) => c.category === cat.name);
      if (mine.length === 0) continue;
      out.push('');
      out.push(`[${cat.name}] ${mine.length} classes`);
      mine.forEach((c, i) => {
        const cases = c.indexes.slice(0, 8).join(', ') + (c.indexes.length > 8 ? ', …' : '');
        out.push(`  ✗ ${c.kind} ×${c.count}: ${c.signature}`);
        out.push(`    cases ${cases}  (replay: pnpm fuzz --only ${c.category} --seed ${o.seed} --case ${c.indexes[0]})`);
        if (i >= limit) return;
        if (c.input !== undefined) {
          out.push(`    input${c.minimised ? ' (minimised)' : ''}${c.note ? ` — ${c.note}` : ''}:`);
          out.push(indent(c.input, '      '));
        } else if (c.note) out.push(`    ${c.note}`);
        if (c.detail) {
          out.push('    symptom:');
          out.push(indent(c.detail, '      '));
        }
      });
    }
    out.push('');
  }
  out.push(`total ${secs(s.wallMs)} (cases ${secs(s.categories.reduce((a, c) => a + c.ms, 0))} over ${o.workers} workers)`);
  out.push(`${s.passed} passed, ${s.failed} failed`);
  return printable(`${out.join('\n')}\n`);
}

/** Control characters and lone surrogates of the inputs escaped, so the report stays text. */
export function printable(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const high = c >= 0xd800 && c <= 0xdbff;
    const low = c >= 0xdc00 && c <= 0xdfff;
    const paired = high ? (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 : low ? (s.charCodeAt(i - 1) & 0xfc00) === 0xd800 : true;
    const control = (c < 0x20 && c !== 0x0a && c !== 0x09) || (c >= 0x7f && c <= 0x9f);
    out += control || !paired ? `\\u${c.toString(16).padStart(4, '0')}` : s[i];
  }
  return out;
}
