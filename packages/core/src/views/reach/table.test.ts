// The truth table: exact text for a hand-built matrix (every symbol, the notes and the excluded
// pods) and for a canal lab whose policy lets one pod in.

import { describe, expect, it } from 'vitest';
import { Cluster } from '../../cluster/cluster.js';
import type { ReachMatrix } from '../../packet/reach.js';
import { handMatrix } from './reach.fixture.js';
import { describeDecision, formatReach, reachSymbol } from './table.js';

const NP = { namespace: 'x', name: 'np' };

describe('formatReach', () => {
  it('a hand-built matrix: table, legend, would-be denials, unreachable cells, excluded pods', () => {
    expect(formatReach(handMatrix)).toBe(
      `NetworkPolicy reachability: 2 source pods x 2 destination pod IPs, NOT enforced by this CNI: "!" cells get through, a policy would deny them

+--------+-----+-----+
| TCP/80 | x/a | x/b |
+--------+-----+-----+
| x/a    | .   | !   |
| x/b    | ?   | .   |
+--------+-----+-----+

legend: . allowed   X denied by NetworkPolicy   ! allowed, a NetworkPolicy would deny it (not enforced)   ? unreachable (not NetworkPolicy)

would be denied (this CNI enforces no NetworkPolicy):
  x/a -> x/b TCP/80: ingress at x/b selected by x/np, no rule allows it

unreachable:
  x/b -> x/a TCP/80: dropped (Network is unreachable)

not in the matrix:
  x/host (hostNetwork)
`,
    );
  });

  it('canal: the denied cells with the policy that selected the pod and the chain that dropped', () => {
    const pods = ['a', 'b', 'c'].map((n) => `apiVersion: v1\nkind: Pod\nmetadata: { name: ${n}, labels: { app: ${n} } }\nspec: { containers: [ { name: web, image: nginx } ] }`);
    const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: b-from-c }
spec:
  podSelector: { matchLabels: { app: b } }
  ingress: [ { from: [ { podSelector: { matchLabels: { app: c } } } ], ports: [ { port: 80 } ] } ]`;
    const m = Cluster.create({ cni: 'canal' })
      .apply([...pods, policy].join('\n---\n'))
      .reach({ ports: [80, 81] });
    const chain = m.cells.find((c) => c.status === 'denied')!.decisions[0]!.chain!;
    expect(chain).toMatch(/^cali-tw-cali[0-9a-f]{11}$/);
    expect(formatReach(m)).toBe(
      `NetworkPolicy reachability: 3 source pods x 3 destination pod IPs, enforced (canal: Calico)

+-----------+-----------+-----------+-----------+
| TCP/80    | default/a | default/b | default/c |
+-----------+-----------+-----------+-----------+
| default/a | .         | X         | .         |
| default/b | .         | .         | .         |
| default/c | .         | .         | .         |
+-----------+-----------+-----------+-----------+

+-----------+-----------+-----------+-----------+
| TCP/81    | default/a | default/b | default/c |
+-----------+-----------+-----------+-----------+
| default/a | .         | X         | .         |
| default/b | .         | .         | .         |
| default/c | .         | X         | .         |
+-----------+-----------+-----------+-----------+

legend: . allowed   X denied by NetworkPolicy   ! allowed, a NetworkPolicy would deny it (not enforced)   ? unreachable (not NetworkPolicy)

denied:
  default/a -> default/b TCP/80: ingress at default/b selected by default/b-from-c, no rule allows it (${chain})
  default/a -> default/b TCP/81: ingress at default/b selected by default/b-from-c, no rule allows it (${chain})
  default/c -> default/b TCP/81: ingress at default/b selected by default/b-from-c, no rule allows it (${chain})
`,
    );
  });

  it('no pods: says so instead of an empty table', () => {
    const empty: ReachMatrix = { ...handMatrix, rows: [], sources: [], columns: [], excluded: [], cells: [] };
    expect(formatReach(empty)).toContain('\nno pods with a pod IP in the namespaces chosen\n');
  });
});

describe('reachSymbol and describeDecision', () => {
  it('one symbol per status; a group cell is ! only when a policy would deny some allowed member', () => {
    expect(handMatrix.cells.map(reachSymbol)).toEqual(['.', '!', '?', '.']);
    expect(reachSymbol({ ...handMatrix.cells[0]!, status: 'denied' })).toBe('X');
    const group = { from: 'x', to: 'x/a', port: 80, status: 'allowed' as const, counts: { allowed: 2, denied: 0, unreachable: 0, wouldDeny: 2 }, wouldDeny: [NP] };
    expect(reachSymbol(group)).toBe('!');
    expect(reachSymbol({ ...group, status: 'mixed' })).toBe('~');
  });

  it('words an allow with its policy and rule, a deny with the selecting policies and chain', () => {
    expect(describeDecision({ direction: 'egress', pod: 'x/a', verdict: 'allow', policy: NP, rule: 1, selectedBy: [NP] })).toBe('egress at x/a allowed by x/np rule 1');
    expect(describeDecision({ direction: 'ingress', pod: 'x/b', verdict: 'deny', selectedBy: [NP, { namespace: 'x', name: 'q' }], chain: 'cali-tw-calia' })).toBe(
      'ingress at x/b selected by x/np, x/q, no rule allows it (cali-tw-calia)',
    );
  });
});
