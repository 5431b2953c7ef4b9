import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { clusterEvents } from './events.js';
import { listObjects } from '../state/store.js';
import { applyObjects } from '../state/transitions.js';
import type { Pod } from '../api/types.js';
import { deploymentInput, podInput } from './test-fixtures.js';

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
      podInput('pinned', { nodeSelector: { 'kubernetes.io/hostname': 'controlplane' }, tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }),
    ]);
    expect(state.pods.default?.pinned?.spec.nodeName).toBe('controlplane');
  });

  it('leaves an unschedulable pod Pending with the framework\'s message', () => {
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
