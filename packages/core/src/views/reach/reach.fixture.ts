// A hand-built reachability matrix for the view tests: every cell kind without a cluster.

import type { ReachCell, ReachMatrix } from '../../packet/reach.js';

const NP = { namespace: 'x', name: 'np' };
const cell = (from: string, to: string, extra: Partial<ReachCell>): ReachCell => ({
  from,
  to,
  port: 80,
  status: 'allowed',
  verdict: 'delivered',
  enforced: false,
  wouldDeny: [],
  decisions: [],
  ...extra,
});

/** x/a and x/b: a reaches b though x/np would deny it; b cannot reach a (no route). */
export const handMatrix: ReachMatrix = {
  proto: 'tcp',
  ports: [80],
  enforced: false,
  groupBy: 'pod',
  rows: ['x/a', 'x/b'],
  sources: ['x/a', 'x/b'],
  columns: [
    { pod: 'x/a', ip: '10.244.1.2', node: 'node01' },
    { pod: 'x/b', ip: '10.244.2.2', node: 'node02' },
  ],
  excluded: [{ pod: 'x/host', reason: 'hostNetwork' }],
  cells: [
    cell('x/a', 'x/a', {}),
    cell('x/a', 'x/b', { wouldDeny: [NP], decisions: [{ direction: 'ingress', pod: 'x/b', verdict: 'deny', selectedBy: [NP] }] }),
    cell('x/b', 'x/a', { status: 'unreachable', verdict: 'dropped', reason: 'Network is unreachable' }),
    cell('x/b', 'x/b', {}),
  ],
};
