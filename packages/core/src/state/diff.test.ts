// state/diff.ts: what changed between two structurally shared states (diffs, touched keys from immer patches, Delta, changed keys and owners).

import fc from 'fast-check';
import type { Patch } from 'immer';
import { describe, expect, it } from 'vitest';
import { advanceClock, applyObjects, bootstrapCluster, deleteObject, getObject, type ClusterState, type ConfigMap, type ObjectMeta, type Pod } from '@k8s-netsim/core';
import { deploymentInput } from '@k8s-netsim/testing';
import { produce, produceWithPatches } from '../util/immer.js';
import { changedKeys, changedOwners, Delta, diffFlat, diffNamespaced, mergeTouched, touchedByDiff, touchedByPatches, type Change, type Touched } from './diff.js';
import { putObject, removeObject } from './store.js';

const base = bootstrapCluster();
const { state: withWeb } = applyObjects(base, [deploymentInput('web', 2)]);
const RS = 'web-56b7f89b5';
const PODS = [`${RS}-7hl2x`, `${RS}-r87bl`];

/** A Touched map as plain data: slices → sorted keys, or true. */
function plain(t: Touched): Record<string, string[] | true> {
  return Object.fromEntries([...t].map(([k, v]) => [k, v === true ? true : [...v].sort()]));
}

const keysOf = (changes: readonly Change<unknown>[]) => changes.map((c) => `${c.namespace}/${c.name}`);

function configMap(name: string, namespace: string, v = '0'): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, uid: `u-${namespace}-${name}-${v}`, resourceVersion: v, creationTimestamp: '2026-11-25T09:45:00Z' },
    data: { v },
  };
}

describe('diffNamespaced / diffFlat', () => {
  const a = { v: 'a' };
  const b = { v: 'b' };
  const b2 = { v: 'b' }; // equal to b, but another object
  const c = { v: 'c' };

  it('is empty for the same record, and for the same shards and objects in other records', () => {
    const prev = { ns1: { a, b } };
    expect(diffNamespaced(prev, prev)).toEqual([]);
    expect(diffNamespaced(prev, { ns1: prev.ns1 })).toEqual([]);
    expect(diffNamespaced(prev, { ns1: { a, b } })).toEqual([]);
    expect(diffFlat({ a, b }, { b, a })).toEqual([]);
  });

  it('lists additions (after only), removals (before only) and replacements (both), compared by identity', () => {
    const prev = { ns1: { a, b }, gone: { c } };
    const next = { ns1: { b: b2, c }, fresh: { a } };
    expect(diffNamespaced(prev, next)).toEqual([
      { namespace: 'ns1', name: 'b', before: b, after: b2 },
      { namespace: 'ns1', name: 'c', after: c },
      { namespace: 'ns1', name: 'a', before: a },
      { namespace: 'fresh', name: 'a', after: a },
      { namespace: 'gone', name: 'c', before: c },
    ]);
    const removal = diffNamespaced(prev, next)[2]!;
    expect('after' in removal).toBe(false);
    const addition = diffNamespaced(prev, next)[1]!;
    expect('before' in addition).toBe(false);
  });

  it('diffFlat reports names with namespace ""', () => {
    expect(diffFlat({ a, b }, { b: b2, c })).toEqual([
      { namespace: '', name: 'b', before: b, after: b2 },
      { namespace: '', name: 'c', after: c },
      { namespace: '', name: 'a', before: a },
    ]);
  });

  it('diffs the objects of two real states: a deployment adds itself, its ReplicaSet and its pods', () => {
    expect(keysOf(diffNamespaced(base.deployments, withWeb.deployments))).toEqual(['default/web']);
    expect(keysOf(diffNamespaced(base.replicaSets, withWeb.replicaSets))).toEqual([`default/${RS}`]);
    expect(keysOf(diffNamespaced(base.pods, withWeb.pods)).sort()).toEqual(PODS.map((p) => `default/${p}`));
    expect(diffFlat(base.nodes, withWeb.nodes)).toEqual([]);
  });

  // Property: a random pair of shard maps, where `next` keeps, replaces or drops each of `prev`'s
  // objects and adds others, sharing the shards it leaves alone (as immer does).
  const NAMESPACES = ['a', 'b', 'default', '7'];
  const NAMES = ['x', 'y', 'z', '0', '10'];
  const UNIVERSE = NAMESPACES.flatMap((ns) => NAMES.map((n) => [ns, n] as const));
  const choice = fc.tuple(fc.constantFrom('absent', 'present'), fc.constantFrom('same', 'new', 'absent'));

  it('property: diffNamespaced of two shard maps is exactly the set of keys whose objects differ', () => {
    fc.assert(
      fc.property(fc.array(choice, { minLength: UNIVERSE.length, maxLength: UNIVERSE.length }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), (choices, emptyShards) => {
        const prev: Record<string, Record<string, object>> = {};
        const next: Record<string, Record<string, object>> = {};
        UNIVERSE.forEach(([ns, name], i) => {
          const [p, n] = choices[i]!;
          const before = p === 'present' ? { ns, name, gen: 1 } : undefined;
          if (before) (prev[ns] ??= {})[name] = before;
          const after = n === 'same' ? before : n === 'new' ? { ns, name, gen: 2 } : undefined;
          if (after) (next[ns] ??= {})[name] = after;
        });
        NAMESPACES.forEach((ns, i) => {
          // Share a shard whose objects are all the same ones; keep some empty shards around.
          const p = prev[ns];
          const n = next[ns];
          if (p && n && Object.keys(p).length === Object.keys(n).length && Object.keys(p).every((k) => p[k] === n[k])) next[ns] = p;
          if (emptyShards[i]) {
            prev[ns] ??= {};
          }
        });
        const want = new Set(UNIVERSE.filter(([ns, name]) => prev[ns]?.[name] !== next[ns]?.[name]).map(([ns, name]) => `${ns}/${name}`));
        const got = diffNamespaced(prev, next);
        expect(got).toHaveLength(want.size); // no key twice
        expect(new Set(keysOf(got))).toEqual(want);
        for (const c of got) {
          expect(c.before).toBe(prev[c.namespace]?.[c.name]);
          expect(c.after).toBe(next[c.namespace]?.[c.name]);
          expect('before' in c).toBe(c.before !== undefined);
          expect('after' in c).toBe(c.after !== undefined);
        }
        // The same pairs, flattened to one level, give the same set through diffFlat.
        const flat = (r: Record<string, Record<string, object>>) =>
          Object.fromEntries(Object.entries(r).flatMap(([ns, s]) => Object.entries(s).map(([n, o]) => [`${ns}/${n}`, o])));
        const gotFlat = diffFlat(flat(prev), flat(next));
        expect(gotFlat).toHaveLength(want.size);
        expect(new Set(gotFlat.map((c) => c.name))).toEqual(want);
        expect(gotFlat.every((c) => c.namespace === '')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('property: along a chain of states, each diff is exact (a record met before as the newer side is not walked again for removals)', () => {
    type Shards = Record<string, Record<string, object>>;
    const step = (prev: Shards, choices: readonly (readonly [string, string])[], gen: number): Shards => {
      const next: Shards = {};
      UNIVERSE.forEach(([ns, name], i) => {
        const [keep, change] = choices[i]!;
        const before = prev[ns]?.[name];
        const after = before && keep === 'present' && change === 'same' ? before : change === 'absent' || (!before && keep === 'absent') ? undefined : { ns, name, gen };
        if (after) (next[ns] ??= {})[name] = after;
      });
      for (const ns of NAMESPACES) {
        const p = prev[ns];
        const n = next[ns];
        if (p && n && Object.keys(p).length === Object.keys(n).length && Object.keys(p).every((k) => p[k] === n[k])) next[ns] = p;
      }
      return next;
    };
    const chain = fc.array(fc.array(choice, { minLength: UNIVERSE.length, maxLength: UNIVERSE.length }), { minLength: 2, maxLength: 5 });
    fc.assert(
      fc.property(chain, (steps) => {
        let prev: Shards = {};
        steps.forEach((choices, k) => {
          const next = step(prev, choices, k + 1);
          const want = UNIVERSE.filter(([ns, name]) => prev[ns]?.[name] !== next[ns]?.[name]).map(([ns, name]) => `${ns}/${name}`);
          const got = diffNamespaced(prev, next);
          expect(keysOf(got).sort()).toEqual(want.sort());
          prev = next;
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('touchedByPatches', () => {
  it('names the ns/name of namespaced objects, however deep the patch path goes', () => {
    const patches: Patch[] = [
      { op: 'add', path: ['pods', 'default', 'p1'], value: {} },
      { op: 'replace', path: ['pods', 'kube-system', 'coredns-7bd98f49dd-vhkvt', 'status', 'phase'], value: 'Running' },
      { op: 'remove', path: ['services', 'default', 'kubernetes'] },
    ];
    expect(plain(touchedByPatches(patches, base))).toEqual({ pods: ['default/p1', 'kube-system/coredns-7bd98f49dd-vhkvt'], services: ['default/kubernetes'] });
  });

  it('counts every object of a shard added or removed whole (before and after)', () => {
    const removeShard: Patch[] = [{ op: 'remove', path: ['pods', 'kube-flannel'] }];
    expect(plain(touchedByPatches(removeShard, base))).toEqual({
      pods: ['kube-flannel/kube-flannel-ds-hcf29', 'kube-flannel/kube-flannel-ds-pxv9r', 'kube-flannel/kube-flannel-ds-w7jf7'],
    });
    const replaceShard: Patch[] = [{ op: 'replace', path: ['configMaps', 'kube-flannel'], value: { other: {} } }];
    expect(plain(touchedByPatches(replaceShard, base))).toEqual({ configMaps: ['kube-flannel/kube-flannel-cfg', 'kube-flannel/other'] });
    const addShard: Patch[] = [{ op: 'add', path: ['configMaps', 'team'], value: { a: {}, b: {} } }];
    expect(plain(touchedByPatches(addShard, base))).toEqual({ configMaps: ['team/a', 'team/b'] });
  });

  it('names node agents as bucket/node and flat records by name', () => {
    const patches: Patch[] = [
      { op: 'replace', path: ['nodeAgents', '2', 'node01', 'sandboxes'], value: [] },
      { op: 'replace', path: ['nodes', 'node01', 'metadata', 'labels', 'x'], value: 'y' },
      { op: 'add', path: ['namespaces', 'team'], value: {} },
    ];
    expect(plain(touchedByPatches(patches, base))).toEqual({ nodeAgents: ['2/node01'], nodes: ['node01'], namespaces: ['team'] });
  });

  it('marks a slice replaced whole, and any other slice, as true; true absorbs later keys', () => {
    const patches: Patch[] = [
      { op: 'replace', path: ['pods'], value: {} },
      { op: 'add', path: ['pods', 'default', 'p1'], value: {} },
      { op: 'replace', path: ['nodes'], value: {} },
      { op: 'replace', path: ['clock'], value: 1 },
      { op: 'replace', path: ['nodeOrder', 0], value: 'x' },
      { op: 'add', path: ['events', 0, 3], value: {} },
    ];
    expect(plain(touchedByPatches(patches, base))).toEqual({ pods: true, nodes: true, clock: true, nodeOrder: true, events: true });
  });

  it('adds to the map it is given', () => {
    const into: Touched = new Map([['pods', new Set(['a/b'])]]);
    const out = touchedByPatches([{ op: 'add', path: ['pods', 'default', 'p1'], value: {} }], base, into);
    expect(out).toBe(into);
    expect(plain(out)).toEqual({ pods: ['a/b', 'default/p1'] });
  });

  it('names what immer reports for real store writes', () => {
    const [next, patches] = produceWithPatches(base, (d) => {
      putObject(d, configMap('a', 'kube-system')); // into an existing shard
      putObject(d, configMap('b', 'team')); // a new shard
      removeObject(d, 'ConfigMap', 'kube-flannel', 'kube-flannel-cfg');
      d.nodes.node02!.metadata.labels = { ...d.nodes.node02!.metadata.labels, role: 'x' };
    });
    expect(plain(touchedByPatches(patches, base))).toEqual({
      configMaps: ['kube-flannel/kube-flannel-cfg', 'kube-system/a', 'team/b'],
      nodes: ['node02'],
    });
    expect(plain(touchedByDiff(base, next))).toEqual(plain(touchedByPatches(patches, base)));
  });
});

describe('touchedByDiff', () => {
  it('is empty between a state and itself', () => {
    expect(touchedByDiff(base, base).size).toBe(0);
  });

  it('names what a deployment wrote: itself, its ReplicaSet, its pods, the agents of their nodes', () => {
    expect(plain(touchedByDiff(base, withWeb))).toEqual({
      resourceVersion: true,
      pods: PODS.map((p) => `default/${p}`),
      deployments: ['default/web'],
      replicaSets: [`default/${RS}`],
      nodeAgents: ['2/node01', '47/node02'],
      events: true,
    });
  });

  it('marks a slice present only in prev as true', () => {
    const prev = { ...base, scheduler: { nextStartNodeIndex: 3 } } as ClusterState;
    const next = { ...base } as ClusterState;
    delete next.scheduler;
    expect(plain(touchedByDiff(prev, next))).toEqual({ scheduler: true });
  });
});

describe('mergeTouched', () => {
  it('unions key sets; true wins over any set', () => {
    const into: Touched = new Map<string, Set<string> | true>([
      ['pods', new Set(['a/x'])],
      ['nodes', true],
    ]);
    const from: Touched = new Map<string, Set<string> | true>([
      ['pods', new Set(['a/y', 'a/x'])],
      ['nodes', new Set(['node01'])],
      ['services', true],
      ['clock', true],
    ]);
    expect(plain(mergeTouched(into, from))).toEqual({ pods: ['a/x', 'a/y'], nodes: true, services: true, clock: true });
    expect(plain(mergeTouched(new Map([['pods', new Set(['a/x'])]]), new Map([['pods', true]])))).toEqual({ pods: true });
  });
});

describe('Delta', () => {
  it('is empty between a state and itself', () => {
    const d = new Delta(base, base);
    expect(d.empty).toBe(true);
    expect(d.of('Pod')).toEqual([]);
    expect(d.nodes).toEqual([]);
    expect(d.nodeAgents).toEqual([]);
    expect(d.nodeOrderChanged).toBe(false);
    expect(d.clockChanged).toBe(false);
  });

  it('lists the objects a deployment created, each with its object after', () => {
    const d = new Delta(base, withWeb);
    expect(d.empty).toBe(false);
    expect(d.of('Deployment')).toEqual([{ namespace: 'default', name: 'web', after: getObject(withWeb, 'Deployment', 'default', 'web') }]);
    expect(keysOf(d.of('ReplicaSet'))).toEqual([`default/${RS}`]);
    expect(keysOf(d.of('Pod')).sort()).toEqual(PODS.map((p) => `default/${p}`));
    expect(d.of('Pod').every((c) => c.before === undefined && c.after === getObject(withWeb, 'Pod', 'default', c.name))).toBe(true);
    expect(d.of('Service')).toEqual([]);
    expect(d.nodes).toEqual([]);
    expect(d.nodeAgents.map((c) => [c.namespace, c.name])).toEqual([
      ['2', 'node01'],
      ['47', 'node02'],
    ]);
    expect(d.nodeOrderChanged).toBe(false);
    expect(d.clockChanged).toBe(false);
  });

  it('memoises each slice', () => {
    const d = new Delta(base, withWeb);
    expect(d.of('Pod')).toBe(d.of('Pod'));
    expect(d.nodeAgents).toBe(d.nodeAgents);
  });

  it('lists removed objects with their object before', () => {
    const gone = deleteObject(withWeb, 'Deployment', 'default', 'web');
    const d = new Delta(withWeb, gone);
    expect(d.of('Deployment')).toEqual([{ namespace: 'default', name: 'web', before: getObject(withWeb, 'Deployment', 'default', 'web') }]);
    expect(d.of('Pod').every((c) => c.after === undefined && c.before !== undefined)).toBe(true);
    expect(keysOf(d.of('Pod')).sort()).toEqual(PODS.map((p) => `default/${p}`));
  });

  it('sees the clock move', () => {
    const later = advanceClock(base, 1000);
    expect(later.clock - base.clock).toBe(1000);
    expect(new Delta(base, later).clockChanged).toBe(true);
  });

  it('keeps only the touched keys whose object actually differs', () => {
    const touched: Touched = new Map([['pods', new Set([`default/${PODS[0]}`, 'kube-system/coredns-7bd98f49dd-vhkvt', 'default/nope'])]]);
    const d = new Delta(base, withWeb, touched);
    expect(keysOf(d.of('Pod'))).toEqual([`default/${PODS[0]}`]);
    // An untouched slice reports nothing, whatever changed in it.
    expect(d.of('ReplicaSet')).toEqual([]);
    // `true` diffs the whole slice.
    expect(keysOf(new Delta(base, withWeb, new Map([['replicaSets', true]])).of('ReplicaSet'))).toEqual([`default/${RS}`]);
  });

  it('is empty when only bookkeeping no controller reads was written', () => {
    const unread: Touched = new Map<string, Set<string> | true>([
      ['events', true],
      ['resourceVersion', true],
      ['workstationHosts', true],
      ['scheduler', true],
    ]);
    expect(new Delta(base, base, unread).empty).toBe(true);
    expect(new Delta(base, base, new Map([...unread, ['clock', true]])).empty).toBe(false);
    expect(new Delta(base, base, new Map([['nodes', new Set(['node01'])]])).empty).toBe(false);
  });

  it('property: after random store writes, the patches’ Delta equals the full diff’s, and patches cover every changed key', () => {
    const start = produce(base, (d) => {
      d.configMaps = { a: { x: configMap('x', 'a'), y: configMap('y', 'a') }, b: { x: configMap('x', 'b') } };
    });
    const op = fc.tuple(fc.constantFrom('put', 'remove'), fc.constantFrom('a', 'b', 'c'), fc.constantFrom('x', 'y', 'z'), fc.integer({ min: 1, max: 3 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const [next, patches] = produceWithPatches(start, (d) => {
          for (const [kind, ns, name, v] of ops) {
            if (kind === 'put') putObject(d, configMap(name, ns, String(v)));
            else removeObject(d, 'ConfigMap', ns, name);
          }
        });
        const want = new Set<string>();
        for (const ns of ['a', 'b', 'c'])
          for (const name of ['x', 'y', 'z']) if (getObject(start, 'ConfigMap', ns, name) !== getObject(next, 'ConfigMap', ns, name)) want.add(`${ns}/${name}`);
        const byPatches = touchedByPatches(patches, start);
        const keys = byPatches.get('configMaps');
        if (want.size) expect(keys === true || [...want].every((k) => keys?.has(k))).toBe(true);
        const viaPatches = new Delta(start, next, byPatches).of('ConfigMap');
        const viaDiff = new Delta(start, next).of('ConfigMap');
        expect(new Set(keysOf(viaPatches))).toEqual(want);
        expect(new Set(keysOf(viaDiff))).toEqual(want);
        expect(viaPatches).toHaveLength(want.size);
        expect(new Delta(start, next, byPatches).empty).toBe(want.size === 0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('changedKeys / changedOwners', () => {
  it('changedKeys gives ns/name keys once each, added to the set given', () => {
    const changes: Change<unknown>[] = [
      { namespace: 'a', name: 'x', after: 1 },
      { namespace: 'a', name: 'x', before: 1 },
      { namespace: '', name: 'node01', after: 2 },
    ];
    expect(changedKeys(changes)).toEqual(new Set(['a/x', '/node01']));
    const into = new Set(['z/z']);
    expect(changedKeys(changes, into)).toBe(into);
    expect(into).toEqual(new Set(['z/z', 'a/x', '/node01']));
  });

  it('changedOwners names the controllers of the kind given, from the objects before and after', () => {
    const d = new Delta(base, withWeb);
    expect(changedOwners(d.of('Pod'), 'ReplicaSet')).toEqual(new Set([`default/${RS}`]));
    expect(changedOwners(d.of('ReplicaSet'), 'Deployment')).toEqual(new Set(['default/web']));
    expect(changedOwners(d.of('Pod'), 'Deployment')).toEqual(new Set()); // a pod's controller is its ReplicaSet
    const gone = new Delta(withWeb, deleteObject(withWeb, 'Deployment', 'default', 'web'));
    expect(changedOwners(gone.of('Pod'), 'ReplicaSet')).toEqual(new Set([`default/${RS}`]));
  });

  it('changedOwners counts both controllers when one changes, and ignores owners that are not controllers', () => {
    const ref = (kind: string, name: string, controller?: boolean) => ({
      apiVersion: 'apps/v1',
      kind,
      name,
      uid: `u-${name}`,
      ...(controller === undefined ? {} : { controller }),
    });
    const meta = (ownerReferences: ObjectMeta['ownerReferences']): { metadata: ObjectMeta } => ({
      metadata: { name: 'p', namespace: 'ns', uid: 'u', resourceVersion: '1', creationTimestamp: '2026-11-25T09:45:00Z', ...(ownerReferences ? { ownerReferences } : {}) },
    });
    const changes: Change<{ metadata: ObjectMeta }>[] = [
      { namespace: 'ns', name: 'p', before: meta([ref('ReplicaSet', 'old', true)]), after: meta([ref('ReplicaSet', 'new', true)]) },
      { namespace: 'ns', name: 'q', after: meta([ref('ReplicaSet', 'plain'), ref('ReplicaSet', 'notctl', false), ref('DaemonSet', 'ds', true)]) },
      { namespace: 'ns', name: 'r', after: meta(undefined) },
    ];
    expect(changedOwners(changes, 'ReplicaSet')).toEqual(new Set(['ns/old', 'ns/new']));
    expect(changedOwners(changes, 'DaemonSet')).toEqual(new Set(['ns/ds']));
    const pod = getObject(withWeb, 'Pod', 'default', PODS[0]!) as Pod;
    expect(changedOwners([{ namespace: 'default', name: PODS[0]!, after: pod }], 'ReplicaSet', new Set(['x/y']))).toEqual(new Set(['x/y', `default/${RS}`]));
  });
});
