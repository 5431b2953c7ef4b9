// The matrix as a Mermaid flowchart: exact text for a hand-built matrix, pod and namespace rows.

import { describe, expect, it } from 'vitest';
import type { ReachMatrix } from '../../packet/reach.js';
import { renderReach } from './index.js';
import { reachMermaid } from './mermaid.js';
import { handMatrix } from './reach.fixture.js';

describe('reachMermaid', () => {
  it('one box per pod in its namespace, one edge per pair and status with the ports; no self edges', () => {
    expect(reachMermaid(handMatrix)).toBe(`flowchart LR
  subgraph n3["x"]
    n1["a 10.244.1.2"]
    n2["b 10.244.2.2"]
  end
  n1 ==>|"! 80"| n2
  n2 -.->|"? 80"| n1
`);
  });

  it('namespace rows: a box for the namespace, its edges from the group cells', () => {
    const grouped: ReachMatrix = {
      ...handMatrix,
      groupBy: 'namespace',
      rows: ['x'],
      groups: [
        { from: 'x', to: 'x/a', port: 80, status: 'mixed', counts: { allowed: 1, denied: 0, unreachable: 1, wouldDeny: 0 }, wouldDeny: [] },
        { from: 'x', to: 'x/b', port: 80, status: 'denied', counts: { allowed: 0, denied: 2, unreachable: 0, wouldDeny: 0 }, wouldDeny: [] },
      ],
    };
    expect(reachMermaid(grouped)).toBe(`flowchart LR
  subgraph n4["x"]
    n1["pods in x"]
    n2["a 10.244.1.2"]
    n3["b 10.244.2.2"]
  end
  n1 -.->|"~ 80"| n2
  n1 -.->|"✗ 80"| n3
`);
  });

  it('renderReach: json is the matrix itself', () => {
    expect(JSON.parse(renderReach(handMatrix, 'json'))).toEqual(handMatrix);
    expect(renderReach(handMatrix, 'mermaid')).toBe(reachMermaid(handMatrix));
  });
});
