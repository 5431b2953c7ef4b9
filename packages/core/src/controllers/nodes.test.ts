// The node lifecycle controller and a Node no kubelet runs on (a bare `kind: Node` applied by hand).
//
// Sources of the expected behaviour:
// - pkg/controller/nodelifecycle/node_lifecycle_controller.go, tryUpdateNodeHealth: without a
//   Ready condition the kubelet "never posted node status"; the grace period is
//   nodeStartupGracePeriod (--node-startup-grace-period, 1m0s by default) from the creation time;
//   once now is after it, Ready, MemoryPressure, DiskPressure and PIDPressure are appended as
//   Unknown, reason NodeStatusNeverUpdated, message "Kubelet never posted node status.",
//   lastHeartbeatTime the creation time, lastTransitionTime now. Its test
//   ("Node created long time ago, without status: Expect Unknown status posted from node
//   controller"; "Node created recently, without status. Expect no action from node controller
//   (within startup grace period)").
// - doNoScheduleTaintingPass (nodeConditionToTaintKeyStatusMap: Ready Unknown →
//   node.kubernetes.io/unreachable) and doNoExecuteTaintingPass (UnreachableTaintTemplate, NoExecute,
//   swapped in with a TimeAdded) for the taints.
// - kubectl's node printer: no Ready condition prints `Unknown`, a Ready condition that is not
//   True prints `NotReady`.

import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster.js';
import { getAgent } from '../state/store.js';
import { setVerifyConverge } from './converge.js';
import { advanceClock } from './transitions.js';
import { NODE_STARTUP_GRACE_PERIOD_MS } from './nodes.js';

const bare = Cluster.create().apply('apiVersion: v1\nkind: Node\nmetadata: { name: node9 }\n');
const created = bare.state.clock;
const later = (c: Cluster, ms: number) => Cluster.fromState(advanceClock(c.state, ms));
const statusOf = (c: Cluster, node: string) =>
  c
    .exec('kubectl get nodes')
    .stdout.split('\n')
    .find((l) => l.startsWith(`${node} `))
    ?.split(/\s+/)[1];

afterEach(() => {
  setVerifyConverge(false);
});

describe('a Node without a kubelet', () => {
  it('is Unknown (no Ready condition) and untouched during the startup grace period, up to its last millisecond', () => {
    expect(NODE_STARTUP_GRACE_PERIOD_MS).toBe(60_000);
    expect(statusOf(bare, 'node9')).toBe('Unknown');
    const atEdge = later(bare, NODE_STARTUP_GRACE_PERIOD_MS);
    expect(atEdge.state.nodes.node9!.status.conditions).toEqual([]);
    expect(atEdge.state.nodes.node9!.spec.taints).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    expect(statusOf(atEdge, 'node9')).toBe('Unknown');
  });

  it('goes NotReady once the grace period is over: four Unknown conditions, unreachable NoSchedule and NoExecute taints', () => {
    const c = later(bare, NODE_STARTUP_GRACE_PERIOD_MS + 1000);
    const node = c.state.nodes.node9!;
    const creation = new Date(created).toISOString().replace('.000Z', 'Z');
    const now = new Date(created + NODE_STARTUP_GRACE_PERIOD_MS + 1000).toISOString().replace('.000Z', 'Z');
    expect(node.status.conditions).toEqual(
      ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => ({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: creation,
        lastTransitionTime: now,
      })),
    );
    expect(node.spec.taints).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: now },
    ]);
    expect(statusOf(c, 'node9')).toBe('NotReady');
    expect(c.exec('kubectl describe node node9').stdout).toContain('Ready            Unknown   ');
    // Later ticks change nothing more.
    expect(later(c, 600_000).state.nodes.node9).toBe(node);
    // The nodes with a kubelet are untouched.
    for (const n of ['controlplane', 'node01', 'node02']) expect(c.state.nodes[n]).toBe(bare.state.nodes[n]);
  });

  it('the incremental path agrees with a full resync at every step', () => {
    setVerifyConverge(true);
    let c = Cluster.create().apply('apiVersion: v1\nkind: Node\nmetadata: { name: node9 }\n');
    for (let i = 0; i < 4; i++) c = later(c, 30_000);
    expect(statusOf(c, 'node9')).toBe('NotReady');
  });

  it('gets no pods from the scheduler, and a pod bound to it by name never gets a sandbox', () => {
    const c = later(bare, NODE_STARTUP_GRACE_PERIOD_MS + 1000).apply(`apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 9
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
---
apiVersion: v1
kind: Pod
metadata: { name: pinned }
spec:
  nodeName: node9
  containers: [{ name: web, image: nginx }]
`);
    const web = c.pods({ selector: 'app=web' });
    expect(web).toHaveLength(9);
    expect(web.some((p) => p.node === 'node9')).toBe(false);
    const pinned = c.pods().find((p) => p.name === 'pinned')!;
    expect(pinned).toMatchObject({ node: 'node9', phase: 'Pending' });
    expect(pinned.ip).toBeUndefined();
    expect(getAgent(c.state, 'node9')).toBeUndefined();
  });
});
