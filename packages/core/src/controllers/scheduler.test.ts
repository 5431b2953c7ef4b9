import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { clusterEvents } from './events.js';
import { listObjects } from '../state/store.js';
import { applyObjects, deleteObject } from './transitions.js';
import type { Pod } from '../api/types.js';
import { deploymentInput, podInput } from '@k8s-netsim/testing';
import { allowedPodNumber, DEFAULT_MAX_PODS, numFeasibleNodesToFind, TOO_MANY_PODS, unschedulableMessage } from './scheduler.js';

const base = bootstrapCluster();
const pods = (s: typeof base, ns = 'default') => listObjects(s, 'Pod', ns) as Pod[];

describe('scheduler', () => {
  it('keeps ordinary pods off the tainted control plane and spreads a deployment', () => {
    const { state } = applyObjects(base, [deploymentInput('web', 6)]);
    const nodes = pods(state).map((p) => p.spec.nodeName);
    expect(nodes).not.toContain('controlplane');
    expect(nodes.filter((n) => n === 'node01')).toHaveLength(3);
    expect(nodes.filter((n) => n === 'node02')).toHaveLength(3);
  });

  it('places a pod that tolerates the taint anywhere, and honours nodeSelector', () => {
    const { state } = applyObjects(base, [
      podInput('pinned', {
        nodeSelector: { 'kubernetes.io/hostname': 'controlplane' },
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      }),
    ]);
    expect(state.pods.default?.pinned?.spec.nodeName).toBe('controlplane');
  });

  it("leaves an unschedulable pod Pending with the framework's message", () => {
    const { state } = applyObjects(base, [podInput('nowhere', { nodeSelector: { disk: 'ssd' } })]);
    const pod = state.pods.default?.nowhere;
    expect(pod?.spec.nodeName).toBeUndefined();
    expect(pod?.status.phase).toBe('Pending');
    expect(pod?.status.conditions?.[0]?.message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    expect(clusterEvents(state).at(-1)).toMatchObject({ reason: 'FailedScheduling', type: 'Warning', name: 'nowhere' });
  });

  it('binds nodeName pods without scheduling, even onto the control plane', () => {
    const { state } = applyObjects(base, [podInput('direct', { nodeName: 'controlplane' })]);
    expect(state.pods.default?.direct?.spec.nodeName).toBe('controlplane');
    expect(state.pods.default?.direct?.status.phase).toBe('Running');
  });

  it('is deterministic for a seed and never violates taints or selectors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 12 }), (seed, replicas) => {
        const s0 = bootstrapCluster({ seed, nodes: 4 });
        const a = applyObjects(s0, [deploymentInput('app', replicas)]).state;
        const b = applyObjects(s0, [deploymentInput('app', replicas)]).state;
        const placement = (s: typeof a) => pods(s).map((p) => `${p.metadata.name}@${p.spec.nodeName}`);
        expect(placement(a)).toEqual(placement(b));
        const counts = new Map<string, number>();
        for (const p of pods(a)) {
          expect(p.spec.nodeName).not.toBe('controlplane');
          counts.set(p.spec.nodeName!, (counts.get(p.spec.nodeName!) ?? 0) + 1);
        }
        // Spreading: worker loads differ by at most one.
        const loads = [...counts.values()];
        expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 25 },
    );
  });
});

describe('numFeasibleNodesToFind (percentageOfNodesToScore left adaptive)', () => {
  it('matches kube-scheduler at the documented sizes', () => {
    expect(numFeasibleNodesToFind(50)).toBe(50);
    expect(numFeasibleNodesToFind(100)).toBe(100);
    expect(numFeasibleNodesToFind(1000)).toBe(420);
    expect(numFeasibleNodesToFind(5000)).toBe(500);
    expect(numFeasibleNodesToFind(6000)).toBe(300);
  });

  it('never asks for more nodes than exist, nor fewer than min(nodes, 100)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), (n) => {
        const k = numFeasibleNodesToFind(n);
        expect(k).toBeLessThanOrEqual(Math.max(n, 100));
        expect(k).toBeGreaterThanOrEqual(Math.min(n, 100));
      }),
    );
  });
});

describe('scheduler in a cluster of 100 nodes or more', () => {
  const big = bootstrapCluster({ nodes: 120, seed: 3 });

  it('looks at a window of feasible nodes that moves on from pod to pod, and still spreads', () => {
    const { state } = applyObjects(big, [deploymentInput('web', 60)]);
    const placed = pods(state).filter((p) => p.metadata.labels?.app === 'web');
    expect(placed.every((p) => p.spec.nodeName && p.status.phase === 'Running')).toBe(true);
    // Spreading: no worker gets a second replica while another feasible one has none.
    const perNode = new Map<string, number>();
    for (const p of placed) perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
    expect(Math.max(...perNode.values())).toBe(1);
    // The search start moved on (it is kept in the state, as the scheduler keeps it in memory).
    expect(state.scheduler?.nextStartNodeIndex).toBeDefined();
    expect(state.scheduler?.nextStartNodeIndex).not.toBe(big.scheduler?.nextStartNodeIndex);
  });
});

describe('NodeResourcesFit: the pod count (allocatable pods, the kubelet maxPods default 110)', () => {
  const all = (s: typeof base) => listObjects(s, 'Pod') as Pod[];
  const onNode = (s: typeof base, node: string) => all(s).filter((p) => p.spec.nodeName === node).length;
  const fullMessage =
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Too many pods. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';

  it('fills each worker to 110 pods (daemon pods included) and leaves the rest Pending in the framework words', () => {
    expect(allowedPodNumber(base.nodes.node01!)).toBe(110);
    const daemons = onNode(base, 'node01');
    expect(daemons).toBe(4);
    const { state } = applyObjects(base, [deploymentInput('web', 300)]);
    expect(onNode(state, 'node01')).toBe(110);
    expect(onNode(state, 'node02')).toBe(110);
    expect(onNode(state, 'controlplane')).toBe(onNode(base, 'controlplane'));
    const pending = pods(state).filter((p) => !p.spec.nodeName);
    expect(pending).toHaveLength(300 - 2 * (110 - daemons));
    for (const p of pending) {
      expect(p.status.phase).toBe('Pending');
      expect(p.status.conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: fullMessage })]);
    }
    const failed = clusterEvents(state).filter((e) => e.reason === 'FailedScheduling');
    expect(failed.at(-1)).toMatchObject({ type: 'Warning', source: 'default-scheduler', message: fullMessage });
  });

  it('counts hostNetwork pods too, and sorts the reasons as sort.Strings does', () => {
    const pinned = (i: number) => podInput(`h${i}`, { hostNetwork: true, nodeSelector: { 'kubernetes.io/hostname': 'node01' } });
    const { state } = applyObjects(
      base,
      Array.from({ length: 107 }, (_, i) => pinned(i)),
    );
    expect(onNode(state, 'node01')).toBe(110);
    const left = pods(state).filter((p) => !p.spec.nodeName);
    expect(left.map((p) => p.metadata.name)).toHaveLength(1);
    expect(left[0]!.status.conditions?.[0]?.message).toBe(
      "0/3 nodes are available: 1 Too many pods, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
    );
  });

  it('schedules a waiting pod once a pod on a full node goes (Pod/Delete requeues the unschedulable ones)', () => {
    const { state } = applyObjects(base, [deploymentInput('web', 213)]);
    const waiting = pods(state).filter((p) => !p.spec.nodeName);
    expect(waiting).toHaveLength(1);
    const victim = pods(state).find((p) => p.metadata.name.startsWith('web-') && p.spec.nodeName === 'node02')!;
    const freed = deleteObject(state, 'Pod', 'default', victim.metadata.name);
    // The ReplicaSet replaces the deleted pod; one of the two takes the freed place, one waits.
    expect(onNode(freed, 'node02')).toBe(110);
    expect(pods(freed).filter((p) => !p.spec.nodeName)).toHaveLength(1);
    expect(pods(freed).find((p) => p.metadata.name === waiting[0]!.metadata.name)?.spec.nodeName).toBe('node02');
  });

  it("reads the node's allocatable pods; a Node registered without a status gets the kubelet default", () => {
    const node01 = base.nodes.node01!;
    expect(allowedPodNumber({ ...node01, status: { ...node01.status, allocatable: { ...node01.status.allocatable, pods: '3' } } })).toBe(3);
    expect(allowedPodNumber({ ...node01, status: { ...node01.status, allocatable: {}, capacity: {} } })).toBe(DEFAULT_MAX_PODS);
  });

  it('FitError and the preemption histogram of one reason', () => {
    expect(unschedulableMessage(3, new Map([[TOO_MANY_PODS, 3]]))).toBe(
      '0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    );
  });
});
