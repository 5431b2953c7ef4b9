import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { clusterEvents } from './events.js';
import { listObjects } from '../state/store.js';
import { applyObjects } from './transitions.js';
import type { Pod } from '../api/types.js';
import { deploymentInput, podInput } from '@k8s-netsim/testing';
import { numFeasibleNodesToFind } from './scheduler.js';

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
