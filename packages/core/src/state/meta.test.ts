// state/meta.ts: what the API server stamps on a new object (uid, resourceVersion, creationTimestamp) and controller owner references.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrapCluster, Cluster, listObjects, type Kind, type ObjectMeta, type OwnerReference } from '@k8s-netsim/core';
import { deploymentInput } from '@k8s-netsim/testing';
import { produce } from '../util/immer.js';
import { controllerOf, controllerRef, createMeta, type NewMeta } from './meta.js';

const base = bootstrapCluster();

/** createMeta on a draft of `state`; the meta and the state after. */
function stamp(state = base, kind = 'ConfigMap', m: NewMeta = { name: 'cfg', namespace: 'default' }) {
  let meta: ObjectMeta | undefined;
  const next = produce(state, (d) => {
    meta = createMeta(d, kind, m);
  });
  return { meta: meta!, next };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createMeta', () => {
  it('stamps the next resourceVersion, the simulated clock and a uid drawn from the seed', () => {
    const { meta, next } = stamp();
    expect(meta).toEqual({
      name: 'cfg',
      namespace: 'default',
      uid: 'ebb6e956-5498-46f6-85bb-dd34d8d1d033',
      resourceVersion: '56',
      creationTimestamp: '2026-11-25T09:45:00Z',
    });
    expect(next.resourceVersion).toBe(56);
    expect(base.resourceVersion).toBe(55);
  });

  it('is what the API server stamps on an applied object', () => {
    const c = Cluster.create().apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n');
    expect(c.state.configMaps.default!.cfg!.metadata).toEqual(stamp().meta);
  });

  it('is deterministic: the same state and object give the same uid', () => {
    expect(stamp().meta.uid).toBe(stamp().meta.uid);
    expect(stamp(bootstrapCluster()).meta).toEqual(stamp().meta);
  });

  it('draws another uid for another seed, kind, namespace, name or resourceVersion', () => {
    const uids = [
      stamp().meta.uid,
      stamp(bootstrapCluster({ seed: 2 })).meta.uid,
      stamp(base, 'Secret').meta.uid,
      stamp(base, 'ConfigMap', { name: 'cfg', namespace: 'kube-system' }).meta.uid,
      stamp(base, 'ConfigMap', { name: 'cfg2', namespace: 'default' }).meta.uid,
      stamp(produce(base, (d) => void (d.resourceVersion += 1))).meta.uid,
    ];
    expect(new Set(uids).size).toBe(uids.length);
    for (const u of uids) expect(u).toMatch(UUID);
    expect(stamp(bootstrapCluster({ seed: 2 })).meta.uid).toBe('acb344b9-dbb0-47c1-85b8-21fa6bf273da');
  });

  it('takes creationTimestamp from the clock, truncated to the second', () => {
    const later = produce(base, (d) => void (d.clock += 61_999));
    expect(stamp(later).meta.creationTimestamp).toBe('2026-11-25T09:46:01Z');
  });

  it('leaves out a namespace for cluster-scoped objects, and empty labels, annotations and owner lists', () => {
    const { meta } = stamp(base, 'Node', { name: 'node09', labels: {}, annotations: {}, ownerReferences: [] });
    expect(meta).toEqual({ name: 'node09', uid: '4426a7ce-b9e9-48a8-b4e5-0c676c534ac4', resourceVersion: '56', creationTimestamp: '2026-11-25T09:45:00Z' });
    expect(Object.keys(meta).sort()).toEqual(['creationTimestamp', 'name', 'resourceVersion', 'uid']);
  });

  it('copies generateName, labels, annotations and owner references (never shares the caller’s objects)', () => {
    const labels = { app: 'web' };
    const annotations = { note: 'x' };
    const owner: OwnerReference = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1', controller: true, blockOwnerDeletion: true };
    const { meta } = stamp(base, 'Pod', { name: 'web-1-abcde', namespace: 'default', generateName: 'web-1-', labels, annotations, ownerReferences: [owner] });
    expect(meta).toMatchObject({ generateName: 'web-1-', labels: { app: 'web' }, annotations: { note: 'x' }, ownerReferences: [owner] });
    expect(meta.labels).not.toBe(labels);
    expect(meta.annotations).not.toBe(annotations);
    expect(meta.ownerReferences![0]).not.toBe(owner);
  });

  it('gives each stamped object its own resourceVersion, in order', () => {
    const rvs: string[] = [];
    produce(base, (d) => {
      for (const name of ['a', 'b', 'c']) rvs.push(createMeta(d, 'ConfigMap', { name, namespace: 'default' }).resourceVersion);
    });
    expect(rvs).toEqual(['56', '57', '58']);
  });

  it('property: over any applied deployments, every object has a unique uid and resourceVersion, none above the state’s', () => {
    const kinds: Kind[] = [
      'Namespace',
      'Node',
      'Pod',
      'Deployment',
      'ReplicaSet',
      'DaemonSet',
      'ConfigMap',
      'ServiceAccount',
      'Service',
      'Endpoints',
      'EndpointSlice',
      'Ingress',
      'IngressClass',
      'ClusterRole',
      'ClusterRoleBinding',
    ];
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 3 }), (names, replicas) => {
        let c = Cluster.create();
        for (const n of names) c = c.apply(deploymentInput(n, replicas));
        const metas = kinds.flatMap((k) => listObjects(c.state, k).map((o) => o.metadata));
        expect(new Set(metas.map((m) => m.uid)).size).toBe(metas.length);
        expect(new Set(metas.map((m) => m.resourceVersion)).size).toBe(metas.length);
        for (const m of metas) {
          expect(m.uid).toMatch(UUID);
          expect(Number(m.resourceVersion)).toBeLessThanOrEqual(c.state.resourceVersion);
        }
      }),
      { numRuns: 15 },
    );
  });
});

describe('controllerRef / controllerOf', () => {
  const pod = base.pods['kube-system']!['coredns-7bd98f49dd-vhkvt']!;
  const rs = base.replicaSets['kube-system']!['coredns-7bd98f49dd']!;

  it('controllerRef is the owner reference a controller puts on what it creates', () => {
    expect(controllerRef('apps/v1', 'ReplicaSet', rs.metadata)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'coredns-7bd98f49dd',
      uid: rs.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    });
    expect(pod.metadata.ownerReferences).toEqual([controllerRef('apps/v1', 'ReplicaSet', rs.metadata)]);
  });

  it('controllerOf finds the reference with controller: true', () => {
    expect(controllerOf(pod.metadata)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'coredns-7bd98f49dd',
      uid: rs.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    });
    expect(controllerOf(rs.metadata)).toMatchObject({ kind: 'Deployment', name: 'coredns' });
  });

  it('controllerOf is undefined without owners or when no owner is the controller', () => {
    expect(controllerOf(base.nodes.node01!.metadata)).toBeUndefined();
    expect(controllerOf(base.pods['kube-system']!['etcd-controlplane']!.metadata)).toMatchObject({ kind: 'Node', name: 'controlplane' });
    const owners: OwnerReference[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: 'u1' },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: 'u2', controller: false },
    ];
    const meta: ObjectMeta = { ...pod.metadata, ownerReferences: owners };
    expect(controllerOf(meta)).toBeUndefined();
    expect(controllerOf({ ...meta, ownerReferences: [...owners, { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'c', uid: 'u3', controller: true }] })?.name).toBe('c');
  });
});
