// The reachability matrix as a Mermaid flowchart: one box per pod (per source namespace when
// grouped), in a subgraph per namespace; one edge per source, destination and status, labelled
// with its ports. Allowed edges are solid, denied ones dotted and marked ✗, would-be-denied
// ones (a CNI that enforces nothing) thick and marked !, unreachable ones dotted and marked ?.
// A pod's edge to itself is left out (policy never applies to a pod talking to itself).

import type { ReachMatrix } from '../../packet/reach.js';
import { reachSymbol } from './table.js';

const label = (s: string): string => `"${s.replace(/"/g, '#quot;')}"`;

const ARROWS: Record<string, { arrow: (text: string) => string; mark: string }> = {
  '.': { arrow: (t) => `-->|${t}|`, mark: '' },
  '!': { arrow: (t) => `==>|${t}|`, mark: '! ' },
  X: { arrow: (t) => `-.->|${t}|`, mark: '✗ ' },
  '?': { arrow: (t) => `-.->|${t}|`, mark: '? ' },
  '~': { arrow: (t) => `-.->|${t}|`, mark: '~ ' },
};

/** The matrix as Mermaid `flowchart LR` text. */
export function reachMermaid(m: ReachMatrix): string {
  const ids = new Map<string, string>();
  const id = (key: string) => {
    let v = ids.get(key);
    if (v === undefined) ids.set(key, (v = `n${ids.size + 1}`));
    return v;
  };
  const out = ['flowchart LR'];
  const byNs = new Map<string, string[]>();
  const add = (ns: string, line: string) => byNs.set(ns, [...(byNs.get(ns) ?? []), line]);
  const grouped = m.groupBy === 'namespace';
  if (grouped) for (const ns of m.rows) add(ns, `    ${id(`ns:${ns}`)}[${label(`pods in ${ns}`)}]`);
  for (const t of m.columns) add(t.pod.slice(0, t.pod.indexOf('/')), `    ${id(`pod:${t.pod}`)}[${label(`${t.pod.slice(t.pod.indexOf('/') + 1)} ${t.ip}`)}]`);
  for (const [ns, lines] of byNs) out.push(`  subgraph ${id(`subgraph:${ns}`)}[${label(ns)}]`, ...lines, '  end');
  // One edge per (source, destination, symbol), its ports joined.
  const edges = new Map<string, { from: string; to: string; symbol: string; ports: string[] }>();
  const cells = grouped ? m.groups! : m.cells;
  for (const c of cells) {
    if (!grouped && c.from === c.to) continue;
    const symbol = reachSymbol(c);
    const key = `${c.from}\u0000${c.to}\u0000${symbol}`;
    const e = edges.get(key) ?? { from: grouped ? `ns:${c.from}` : `pod:${c.from}`, to: `pod:${c.to}`, symbol, ports: [] };
    e.ports.push(c.port === undefined ? m.proto.toUpperCase() : `${c.port}`);
    edges.set(key, e);
  }
  for (const e of edges.values()) {
    const a = ARROWS[e.symbol]!;
    out.push(`  ${id(e.from)} ${a.arrow(label(`${a.mark}${e.ports.join(',')}`))} ${id(e.to)}`);
  }
  return `${out.join('\n')}\n`;
}
