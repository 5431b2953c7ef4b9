// Snapshot → restore is the exact inverse of snapshot, for every state a cluster can be in:
// converged labs (the kit's arbCluster), clusters without a CNI (pods Pending, nodes NotReady),
// states in the middle of things (LoadBalancer Services before MetalLB's 2 s), and pods stuck in
// ContainerCreating on a Ready node (host-local's range exhausted). Before, restore ran every
// controller (`reconcile`), and a kubelet retrying a stuck sandbox moved its node's PID counter,
// so the restored snapshot differed.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbCluster, arbManifests } from '@k8s-netsim/testing';
import { advanceClock } from '../controllers/transitions.js';
import { Cluster } from './cluster.js';

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'nginx', ports: [{ containerPort: 80 }] }] } },
  },
});

const loadBalancer = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80 }] },
});

/** The property: every form of restore (text, object, lines) give back the very snapshot, and the copy behaves as the original. */
function expectExactRestore(c: Cluster): void {
  const s = c.snapshot();
  const fromText = Cluster.restore(s);
  expect(fromText.snapshot()).toBe(s);
  expect(Cluster.restore(c.state).snapshot()).toBe(s);
  expect(Cluster.restore(fromText.snapshot()).snapshot()).toBe(s);
  // In lines (for states beyond one string): the same state, and the same lines back.
  const lines = c.snapshotLines();
  expect(Cluster.restore(lines).snapshot()).toBe(s);
  expect(fromText.snapshotLines()).toEqual(lines);
  // The restored copy goes on exactly as the original: time passing (MetalLB's provisioning,
  // kubelet retries) and a change.
  expect(Cluster.fromState(advanceClock(fromText.state, 3_000)).snapshot()).toBe(Cluster.fromState(advanceClock(c.state, 3_000)).snapshot());
  expect(fromText.apply(deployment('after', 1)).snapshot()).toBe(c.apply(deployment('after', 1)).snapshot());
}

describe('Cluster.restore is the inverse of snapshot', () => {
  it('pods stuck in ContainerCreating on Ready nodes (host-local exhausted): restore runs no controller', () => {
    const c = Cluster.create({ nodeCIDRMaskSize: 29 }).apply(deployment('web', 20));
    expect(c.exec('kubectl get pods').stdout).toContain('ContainerCreating');
    expectExactRestore(c);
  });

  it('a cluster without a CNI, with a Deployment (pods Pending) and a LoadBalancer Service', () => {
    const c = Cluster.create({ cni: 'none' }).apply([deployment('web', 2), loadBalancer('web')]);
    expect(c.pods({ selector: 'app=web' }).map((p) => p.phase)).toEqual(['Pending', 'Pending']);
    expectExactRestore(c);
  });

  it('a LoadBalancer Service still pending, before MetalLB provisions it (2 s)', () => {
    const c = Cluster.create().apply([deployment('web', 2), loadBalancer('web')]);
    expect(c.service('web').loadBalancerIPs).toEqual([]);
    expectExactRestore(c);
    // ingress-nginx's Service has .240.
    expect(Cluster.fromState(advanceClock(Cluster.restore(c.snapshot()).state, 2_000)).service('web').loadBalancerIPs).toEqual(['192.168.56.241']);
  });

  it('restored states are deep-frozen like every other state', () => {
    const r = Cluster.restore(Cluster.create().snapshot());
    expect(Object.isFrozen(r.state.nodes)).toBe(true);
    expect(Object.isFrozen(r.state.nodes.node01!.metadata)).toBe(true);
  });

  it('property: every arbCluster value', () => {
    fc.assert(
      fc.property(arbCluster({ nodes: { max: 3 } }), (c) => {
        expectExactRestore(c);
      }),
      { numRuns: 12 },
    );
  });

  it('property: clusters without a CNI, and states in the middle of things (before MetalLB, part-way through time)', () => {
    const noCni = Cluster.create({ cni: 'none' });
    const lab = Cluster.create();
    fc.assert(
      fc.property(
        fc.constantFrom('none', 'lab', 'exhausted'),
        arbManifests({ maxWorkloads: 3, maxServices: 3, maxIngresses: 1 }),
        fc.integer({ min: 0, max: 2_500 }),
        (base, manifests, ms) => {
          const created = base === 'none' ? noCni : base === 'lab' ? lab : Cluster.create({ nodeCIDRMaskSize: 29, nodes: 2 });
          const applied = manifests.length ? created.apply(manifests) : created;
          expectExactRestore(applied);
          expectExactRestore(Cluster.fromState(advanceClock(applied.state, ms)));
        },
      ),
      { numRuns: 15 },
    );
  });
});
