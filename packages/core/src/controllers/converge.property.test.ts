// Incremental convergence means the same as a full resync: after any sequence of transitions
// (each of which lets the controllers look only at what changed), running every controller over
// the whole cluster finds nothing left to do.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapCluster, joinNode } from '../cluster/bootstrap.js';
import { advanceClock, applyObjects, deleteObject, reconcile, scaleObject } from './transitions.js';
import type { ClusterState } from '../state/types.js';
import { canonicalJson } from '../util/canonical.js';
import { produce } from '../util/immer.js';
import { setVerifyConverge } from './converge.js';
import { deploymentInput, serviceInput } from '@k8s-netsim/testing';

type Op =
  | { op: 'deploy'; app: number; replicas: number; image: number }
  | { op: 'service'; svc: number; app: number; type: 'ClusterIP' | 'NodePort' | 'LoadBalancer'; local: boolean }
  | { op: 'scale'; app: number; replicas: number }
  | { op: 'deletePod'; app: number; which: number }
  | { op: 'deleteDeployment'; app: number }
  | { op: 'deleteService'; svc: number }
  | { op: 'labelPod'; app: number; which: number; app2: number }
  | { op: 'join' }
  | { op: 'taintNode'; node: number; on: boolean }
  | { op: 'clock'; ms: number };

const app = fc.integer({ min: 0, max: 3 });
const ops: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('deploy' as const), app, replicas: fc.integer({ min: 0, max: 4 }), image: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ op: fc.constant('service' as const), svc: app, app, type: fc.constantFrom('ClusterIP' as const, 'NodePort' as const, 'LoadBalancer' as const), local: fc.boolean() }),
  fc.record({ op: fc.constant('scale' as const), app, replicas: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ op: fc.constant('deletePod' as const), app, which: fc.nat() }),
  fc.record({ op: fc.constant('deleteDeployment' as const), app }),
  fc.record({ op: fc.constant('deleteService' as const), svc: app }),
  fc.record({ op: fc.constant('labelPod' as const), app, which: fc.nat(), app2: app }),
  fc.record({ op: fc.constant('join' as const) }),
  fc.record({ op: fc.constant('taintNode' as const), node: fc.integer({ min: 1, max: 2 }), on: fc.boolean() }),
  fc.record({ op: fc.constant('clock' as const), ms: fc.integer({ min: 0, max: 5_000 }) }),
);

function podsOf(state: ClusterState, name: string) {
  return Object.values(state.pods.default ?? {}).filter((p) => p.metadata.labels?.app === name);
}

function step(state: ClusterState, o: Op, joined: { n: number }): ClusterState {
  switch (o.op) {
    case 'deploy':
      return applyObjects(state, [deploymentInput(`app${o.app}`, o.replicas, o.image ? 'nginx:1.27' : 'nginx')]).state;
    case 'service':
      return applyObjects(state, [
        serviceInput(`svc${o.svc}`, { app: `app${o.app}` }, [{ port: 80 }], {
          type: o.type,
          ...(o.type !== 'ClusterIP' && o.local ? { externalTrafficPolicy: 'Local' as const } : {}),
        }),
      ]).state;
    case 'scale':
      return state.deployments.default?.[`app${o.app}`] ? scaleObject(state, 'Deployment', 'default', `app${o.app}`, o.replicas) : state;
    case 'deletePod': {
      const pods = podsOf(state, `app${o.app}`);
      const p = pods[o.which % Math.max(1, pods.length)];
      return p ? deleteObject(state, 'Pod', 'default', p.metadata.name) : state;
    }
    case 'deleteDeployment':
      return state.deployments.default?.[`app${o.app}`] ? deleteObject(state, 'Deployment', 'default', `app${o.app}`) : state;
    case 'deleteService':
      return state.services.default?.[`svc${o.svc}`] ? deleteObject(state, 'Service', 'default', `svc${o.svc}`) : state;
    case 'labelPod': {
      // `kubectl label pod … app=appN --overwrite`: the pod leaves its ReplicaSet and Services.
      const pods = podsOf(state, `app${o.app}`);
      const p = pods[o.which % Math.max(1, pods.length)];
      if (!p) return state;
      const { metadata, status: _s, ...rest } = p;
      return applyObjects(state, [{ ...rest, metadata: { name: metadata.name, namespace: 'default', labels: { ...metadata.labels, app: `app${o.app2}` } } } as never]).state;
    }
    case 'join':
      return joined.n >= 2 ? state : joinNode(state, { name: `node1${joined.n++}` });
    case 'clock':
      return advanceClock(state, o.ms);
    case 'taintNode': {
      // `kubectl taint node node0N maint=yes:NoSchedule[-]`: daemon pods leave or return.
      const name = `node0${o.node}`;
      const node = state.nodes[name]!;
      const others = (node.spec.taints ?? []).filter((t) => t.key !== 'maint');
      const taints = o.on ? [...others, { key: 'maint', value: 'yes', effect: 'NoSchedule' as const }] : others;
      const { status: _s, metadata, ...rest } = node;
      return applyObjects(state, [{ ...rest, spec: { ...node.spec, taints }, metadata: { name, labels: metadata.labels, annotations: metadata.annotations } } as never]).state;
    }
  }
}

const comparable = (s: ClusterState) => canonicalJson({ ...s, events: [], resourceVersion: 0 });

describe('incremental convergence', () => {
  const lab = bootstrapCluster({ seed: 7 });
  // Every converge inside the transitions also checks itself against a full resync.
  let verified: boolean;
  beforeAll(() => {
    verified = setVerifyConverge(true);
  });
  afterAll(() => {
    setVerifyConverge(verified);
  });

  it('leaves nothing for a full resync to do after any sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(ops, { minLength: 1, maxLength: 12 }), (seq) => {
        let state = lab;
        const joined = { n: 0 };
        for (const o of seq) {
          state = step(state, o, joined);
          expect(comparable(reconcile(state))).toBe(comparable(state));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('looks only at what changed: an unchanged state converges to itself', () => {
    expect(advanceClock(lab, 0)).toBe(lab);
  });

  it('the verify option catches what the incremental pass missed (here: an input that was not converged)', () => {
    // Replicas edited by hand, no controller run: the next transition looks only at its own change.
    const edited = produce(lab, (d) => {
      d.deployments['kube-system']!.coredns!.spec.replicas = 3;
    });
    expect(() => advanceClock(edited, 1000)).toThrow(/incremental converge missed a change/);
    setVerifyConverge(false);
    try {
      expect(() => advanceClock(edited, 1000)).not.toThrow();
    } finally {
      setVerifyConverge(true);
    }
  });
});
