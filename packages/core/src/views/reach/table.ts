// The reachability matrix as a truth table, the way Cyclonus and Policy Assistant print theirs:
// one boxed table per port, sources down, destinations across, `.` allowed and `X` denied; then
// a legend, then for every cell that is not plainly allowed the policy that decided it.
//
//   +-----------+-----------+-----------+
//   | TCP/80    | default/a | default/b |
//   +-----------+-----------+-----------+
//   | default/a | .         | X         |
//   | default/b | .         | .         |
//   +-----------+-----------+-----------+

import type { ReachCell, ReachGroupCell, ReachMatrix } from '../../packet/reach.js';
import type { PolicyDecision, PolicyName } from '../../packet/types.js';

/** The symbol of a cell: `.` allowed, `X` denied, `!` allowed though a policy would deny it, `?` unreachable, `~` mixed. */
export function reachSymbol(c: ReachCell | ReachGroupCell): string {
  if (c.status === 'denied') return 'X';
  if (c.status === 'unreachable') return '?';
  if (c.status === 'mixed') return '~';
  if ('counts' in c) return c.counts.wouldDeny > 0 ? '!' : '.';
  return c.wouldDeny.length > 0 ? '!' : '.';
}

const name = (p: PolicyName): string => `${p.namespace}/${p.name}`;

/** One direction's decision in words. */
export function describeDecision(d: PolicyDecision): string {
  if (d.verdict === 'allow') return `${d.direction} at ${d.pod} allowed by ${d.policy ? `${name(d.policy)} rule ${d.rule ?? 0}` : 'a policy'}`;
  const by = d.selectedBy.length ? `selected by ${d.selectedBy.map(name).join(', ')}` : 'selected';
  return `${d.direction} at ${d.pod} ${by}, no rule allows it${d.chain ? ` (${d.chain})` : ''}`;
}

function layerTitle(m: ReachMatrix, port: number | undefined): string {
  return port === undefined ? m.proto.toUpperCase() : `${m.proto.toUpperCase()}/${port}`;
}

function box(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [rule, line(rows[0]!), rule, ...rows.slice(1).map(line), rule];
}

function pair(c: ReachCell, m: ReachMatrix): string {
  return `${c.from} -> ${c.to} ${c.port === undefined ? m.proto.toUpperCase() : `${m.proto.toUpperCase()}/${c.port}`}`;
}

function why(c: ReachCell): string {
  const denials = c.decisions.filter((d) => d.verdict === 'deny');
  if (denials.length) return denials.map(describeDecision).join('; ');
  return c.wouldDeny.length ? `denied by ${c.wouldDeny.map(name).join(', ')}` : 'no policy decision recorded';
}

/** The matrix as text: the truth tables, the legend, then the deciding policy of each cell that is not plainly allowed. */
export function formatReach(m: ReachMatrix): string {
  const out: string[] = [];
  const layers: (number | undefined)[] = m.ports.length ? m.ports : [undefined];
  out.push(
    `NetworkPolicy reachability: ${m.sources.length} source pod${m.sources.length === 1 ? '' : 's'}${m.groupBy === 'namespace' ? ` in ${m.rows.length} namespace${m.rows.length === 1 ? '' : 's'}` : ''} x ${m.columns.length} destination pod IP${m.columns.length === 1 ? '' : 's'}, ${m.enforced ? 'enforced (canal: Calico)' : 'NOT enforced by this CNI: "!" cells get through, a policy would deny them'}`,
  );
  if (m.columns.length === 0) {
    out.push('', 'no pods with a pod IP in the namespaces chosen');
  } else {
    const rowCells = (row: string, col: string, port: number | undefined) => {
      if (m.groupBy === 'namespace') return m.groups!.find((g) => g.from === row && g.to === col && g.port === port)!;
      const i = m.sources.indexOf(row);
      const j = m.columns.findIndex((t) => t.pod === col);
      const layer = port === undefined ? 0 : m.ports.indexOf(port);
      return m.cells[(i * m.columns.length + j) * (m.ports.length || 1) + layer]!;
    };
    for (const port of layers) {
      out.push('');
      const rows = [[layerTitle(m, port), ...m.columns.map((t) => t.pod)]];
      for (const row of m.rows) rows.push([row, ...m.columns.map((t) => reachSymbol(rowCells(row, t.pod, port)))]);
      out.push(...box(rows));
    }
  }
  out.push(
    '',
    `legend: . allowed   X denied by NetworkPolicy   ! allowed, a NetworkPolicy would deny it (not enforced)   ? unreachable (not NetworkPolicy)${m.groupBy === 'namespace' ? "   ~ mixed (the source namespace's pods differ)" : ''}`,
  );
  const denied = m.cells.filter((c) => c.status === 'denied');
  const would = m.cells.filter((c) => c.status === 'allowed' && c.wouldDeny.length > 0);
  const unreachable = m.cells.filter((c) => c.status === 'unreachable');
  if (denied.length) out.push('', 'denied:', ...denied.map((c) => `  ${pair(c, m)}: ${why(c)}`));
  if (would.length) out.push('', 'would be denied (this CNI enforces no NetworkPolicy):', ...would.map((c) => `  ${pair(c, m)}: ${why(c)}`));
  if (unreachable.length) out.push('', 'unreachable:', ...unreachable.map((c) => `  ${pair(c, m)}: ${c.verdict}${c.reason ? ` (${c.reason})` : ''}`));
  const notes = [...new Set(m.cells.flatMap((c) => (c.note ? [c.note] : [])))];
  if (notes.length) out.push('', 'note:', ...notes.map((n) => `  ${n}`));
  if (m.excluded.length) out.push('', 'not in the matrix:', ...m.excluded.map((e) => `  ${e.pod} (${e.reason})`));
  return `${out.join('\n')}\n`;
}
