// The reachability matrix's views: `netsim reach -o table|json|mermaid`.

import type { ReachMatrix } from '../../packet/reach.js';
import { reachMermaid } from './mermaid.js';
import { formatReach } from './table.js';

export { describeDecision, formatReach, reachSymbol } from './table.js';
export { reachMermaid } from './mermaid.js';

/** The matrix as JSON: the ReachMatrix itself (its field names are the contract), indented. */
export function reachJson(m: ReachMatrix): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

export type ReachFormat = 'table' | 'json' | 'mermaid';

/** The matrix in one of the formats. */
export function renderReach(m: ReachMatrix, format: ReachFormat = 'table'): string {
  return format === 'json' ? reachJson(m) : format === 'mermaid' ? reachMermaid(m) : formatReach(m);
}
