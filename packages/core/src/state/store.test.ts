// state/store.ts: typed access to the namespace-sharded object records, metadata helpers, and the 64 node-agent buckets.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allAgents, bootstrapCluster, Cluster, getAgent, getObject, listObjects, type ClusterState, type ConfigMap, type NodeAgentState } from '@k8s-netsim/core';
import { produce } from '../util/immer.js';
import { agentBucket, nextResourceVersion, objectKey, putAgent, putObject, removeAgent, removeObject, rfc3339 } from './store.js';

const base = bootstrapCluster();

/** A ConfigMap as the store holds it (already stamped). */
function configMap(name: string, namespace?: string, data: Record<string, string> = {}): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }), uid: `uid-${namespace ?? ''}-${name}`, resourceVersion: '1', creationTimestamp: '2026-11-25T09:45:00Z' },
    data,
  };
}

/** The default lab with no ConfigMaps and no node agents: a blank slate for the properties. */
const blank: ClusterState = produce(base, (d) => {
  d.configMaps = {};
  d.nodeAgents = {};
});

/** 32-bit FNV-1a as specified (offset basis 2166136261, prime 16777619), written out here independently. */
function fnv1a(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}

const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,6}[a-z0-9])?$/);

describe('getObject', () => {
  it('reads a namespaced object from its namespace shard (the very object stored)', () => {
    const pod = getObject(base, 'Pod', 'kube-system', 'coredns-7bd98f49dd-vhkvt');
    expect(pod).toBe(base.pods['kube-system']!['coredns-7bd98f49dd-vhkvt']);
    expect(pod?.metadata).toMatchObject({ name: 'coredns-7bd98f49dd-vhkvt', namespace: 'kube-system' });
  });

  it('reads a namespaced object from "default" when no namespace is given', () => {
    const s = produce(base, (d) => putObject(d, configMap('cfg', 'default')));
    expect(getObject(s, 'ConfigMap', undefined, 'cfg')).toBe(s.configMaps.default!.cfg);
    expect(getObject(s, 'ConfigMap', 'kube-system', 'cfg')).toBeUndefined();
  });

  it('reads cluster-scoped objects by name, ignoring any namespace given', () => {
    expect(getObject(base, 'Node', undefined, 'node01')).toBe(base.nodes.node01);
    expect(getObject(base, 'Node', 'kube-system', 'node01')).toBe(base.nodes.node01);
    expect(getObject(base, 'Namespace', undefined, 'kube-flannel')?.metadata.name).toBe('kube-flannel');
  });

  it('is undefined for a missing object, a missing namespace shard or a missing node', () => {
    expect(getObject(base, 'Pod', 'kube-system', 'nope')).toBeUndefined();
    expect(getObject(base, 'Pod', 'nope', 'coredns-7bd98f49dd-vhkvt')).toBeUndefined();
    expect(getObject(base, 'Pod', undefined, 'coredns-7bd98f49dd-vhkvt')).toBeUndefined();
    expect(getObject(base, 'Node', undefined, 'node03')).toBeUndefined();
  });

  // The records are plain objects: a name that is an Object.prototype property must not find the
  // inherited function. `constructor` is a valid node, namespace and pod name (a DNS label).
  it('is undefined for a name that is an Object.prototype property (`constructor`, `toString`, `__proto__`, …)', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', 'isPrototypeOf']) {
      expect(getObject(base, 'Node', undefined, name)).toBeUndefined();
      expect(getObject(base, 'Namespace', undefined, name)).toBeUndefined();
      expect(getObject(base, 'Pod', 'kube-system', name)).toBeUndefined();
      // …and as a namespace: the shard record is looked up by own property too.
      expect(getObject(base, 'Pod', name, 'coredns-7bd98f49dd-vhkvt')).toBeUndefined();
      expect(getObject(base, 'Pod', name, 'name')).toBeUndefined();
      expect(listObjects(base, 'Pod', name)).toEqual([]);
      expect(getAgent(base, name)).toBeUndefined();
    }
  });

  it('finds objects named `constructor` once stored, in a namespace named `constructor` too', () => {
    const s = produce(base, (d) => {
      putObject(d, configMap('constructor', 'constructor'));
      putObject(d, configMap('toString', 'default'));
    });
    expect(getObject(s, 'ConfigMap', 'constructor', 'constructor')?.metadata.uid).toBe('uid-constructor-constructor');
    expect(listObjects(s, 'ConfigMap', 'constructor').map((o) => o.metadata.name)).toEqual(['constructor']);
    expect(getObject(s, 'ConfigMap', 'default', 'toString')?.metadata.name).toBe('toString');
    expect(Object.hasOwn(s.configMaps, 'constructor')).toBe(true);
    // Nothing leaked onto Object (a write through the inherited `constructor` would land there).
    expect(Object.hasOwn(Object, 'constructor')).toBe(false);
    expect((Object as unknown as Record<string, unknown>).toString).toBe(Function.prototype.toString);
  });
});

describe('listObjects', () => {
  it('lists cluster-scoped objects sorted by name, as the API server does', () => {
    expect(listObjects(base, 'Node').map((n) => n.metadata.name)).toEqual(['controlplane', 'node01', 'node02']);
    expect(listObjects(base, 'Namespace').map((n) => n.metadata.name)).toEqual([
      'default',
      'ingress-nginx',
      'kube-flannel',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'metallb-system',
    ]);
  });

  it('lists a namespaced kind across all namespaces sorted by (namespace, name)', () => {
    expect(listObjects(base, 'Pod').map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'ingress-nginx/ingress-nginx-controller-5c65569668-smb6x',
      'kube-flannel/kube-flannel-ds-hcf29',
      'kube-flannel/kube-flannel-ds-pxv9r',
      'kube-flannel/kube-flannel-ds-w7jf7',
      'kube-system/coredns-7bd98f49dd-lfg9q',
      'kube-system/coredns-7bd98f49dd-vhkvt',
      'kube-system/etcd-controlplane',
      'kube-system/kube-apiserver-controlplane',
      'kube-system/kube-controller-manager-controlplane',
      'kube-system/kube-proxy-gh8wt',
      'kube-system/kube-proxy-hm2kx',
      'kube-system/kube-proxy-qjcrk',
      'kube-system/kube-scheduler-controlplane',
      'metallb-system/controller-64c6cb6986-hpv6m',
      'metallb-system/speaker-cdxxw',
      'metallb-system/speaker-mqfh8',
      'metallb-system/speaker-t58zd',
    ]);
  });

  it('lists one namespace, and nothing for a namespace without objects of the kind', () => {
    expect(listObjects(base, 'Pod', 'kube-flannel').map((p) => p.metadata.name)).toEqual(['kube-flannel-ds-hcf29', 'kube-flannel-ds-pxv9r', 'kube-flannel-ds-w7jf7']);
    expect(listObjects(base, 'Pod', 'default')).toEqual([]);
    expect(listObjects(base, 'Pod', 'nope')).toEqual([]);
  });
});

describe('putObject / removeObject', () => {
  it('stores a namespaced object in its shard, creating the shard, and "default" without a namespace', () => {
    const s = produce(base, (d) => {
      putObject(d, configMap('a', 'team'));
      putObject(d, configMap('b'));
    });
    expect(Object.keys(s.configMaps.team!)).toEqual(['a']);
    expect(Object.keys(s.configMaps.default!)).toEqual(['b']);
    // The input state is untouched and the other shards are shared, not copied.
    expect(base.configMaps.team).toBeUndefined();
    expect(s.configMaps['kube-system']).toBe(base.configMaps['kube-system']);
  });

  it('replaces an object of the same namespace and name', () => {
    const s1 = produce(base, (d) => putObject(d, configMap('a', 'team', { v: '1' })));
    const s2 = produce(s1, (d) => putObject(d, configMap('a', 'team', { v: '2' })));
    expect(getObject(s2, 'ConfigMap', 'team', 'a')?.data).toEqual({ v: '2' });
    expect(listObjects(s2, 'ConfigMap', 'team')).toHaveLength(1);
  });

  it('stores cluster-scoped objects in their flat record', () => {
    const node = { ...base.nodes.node02!, metadata: { ...base.nodes.node02!.metadata, name: 'node03' } };
    const s = produce(base, (d) => putObject(d, node));
    expect(getObject(s, 'Node', undefined, 'node03')).toBe(node);
    expect(Object.keys(s.nodes).sort()).toEqual(['controlplane', 'node01', 'node02', 'node03']);
  });

  it('deep-freezes the object it stores (a stored object holds no drafts and is never mutated)', () => {
    const cm = configMap('a', 'team', { k: 'v' });
    produce(base, (d) => putObject(d, cm));
    expect(Object.isFrozen(cm)).toBe(true);
    expect(Object.isFrozen(cm.metadata)).toBe(true);
    expect(Object.isFrozen(cm.data)).toBe(true);
  });

  it('removes an object, reports whether it existed, and drops a shard left empty', () => {
    const s1 = produce(base, (d) => {
      putObject(d, configMap('a', 'team'));
      putObject(d, configMap('b', 'team'));
    });
    const results: boolean[] = [];
    const s2 = produce(s1, (d) => {
      results.push(removeObject(d, 'ConfigMap', 'team', 'a'));
      results.push(removeObject(d, 'ConfigMap', 'team', 'a'));
    });
    expect(results).toEqual([true, false]);
    expect(Object.keys(s2.configMaps.team!)).toEqual(['b']);
    const s3 = produce(s2, (d) => void removeObject(d, 'ConfigMap', 'team', 'b'));
    expect('team' in s3.configMaps).toBe(false);
  });

  it('reports false, changing nothing, for a missing namespace or name', () => {
    let r: boolean[] = [];
    const s = produce(base, (d) => {
      r = [removeObject(d, 'ConfigMap', 'nope', 'x'), removeObject(d, 'ConfigMap', 'kube-system', 'nope'), removeObject(d, 'Node', undefined, 'node09')];
    });
    expect(r).toEqual([false, false, false]);
    expect(s).toBe(base);
  });

  it('reports false, changing nothing, for a name or namespace that is an Object.prototype property (`constructor`)', () => {
    let r: boolean[] = [];
    const s = produce(base, (d) => {
      r = [removeObject(d, 'Node', undefined, 'constructor'), removeObject(d, 'Pod', 'kube-system', 'toString'), removeObject(d, 'Pod', 'constructor', 'name')];
      removeAgent(d, 'constructor');
    });
    expect(r).toEqual([false, false, false]);
    expect(s).toBe(base);
  });

  it('removes cluster-scoped objects by name', () => {
    let r = false;
    const s = produce(base, (d) => {
      r = removeObject(d, 'Node', undefined, 'node02');
    });
    expect(r).toBe(true);
    expect(Object.keys(s.nodes)).toEqual(['controlplane', 'node01']);
  });

  it('property: after any puts, getObject finds each one, listObjects sorts them by (namespace, name), removing all leaves no shard', () => {
    const keys = fc.uniqueArray(fc.tuple(fc.constantFrom('default', 'kube-system', 'team-a', 'b', '1'), dnsLabel), { selector: ([ns, n]) => `${ns}/${n}`, maxLength: 30 });
    fc.assert(
      fc.property(keys, (pairs) => {
        const objs = pairs.map(([ns, name]) => configMap(name, ns));
        const s = produce(blank, (d) => {
          for (const o of objs) putObject(d, o);
        });
        for (const o of objs) expect(getObject(s, 'ConfigMap', o.metadata.namespace, o.metadata.name)).toBe(o);
        const want = pairs
          .map(([ns, n]) => `${ns}/${n}`)
          .sort((x, y) => {
            const [a1 = '', a2 = ''] = x.split('/');
            const [b1 = '', b2 = ''] = y.split('/');
            return a1 === b1 ? (a2 < b2 ? -1 : a2 > b2 ? 1 : 0) : a1 < b1 ? -1 : 1;
          });
        expect(listObjects(s, 'ConfigMap').map((o) => objectKey(o.metadata))).toEqual(want);
        for (const ns of new Set(pairs.map(([n]) => n))) {
          expect(listObjects(s, 'ConfigMap', ns).map((o) => o.metadata.name)).toEqual(
            pairs
              .filter(([n]) => n === ns)
              .map(([, n]) => n)
              .sort(),
          );
        }
        const removed: boolean[] = [];
        const empty = produce(s, (d) => {
          for (const [ns, name] of pairs) removed.push(removeObject(d, 'ConfigMap', ns, name));
        });
        expect(removed.every(Boolean)).toBe(true);
        expect(empty.configMaps).toEqual({});
      }),
      { numRuns: 100 },
    );
  });
});

describe('objectKey', () => {
  it('is ns/name for namespaced objects and the name for cluster-scoped ones', () => {
    expect(objectKey({ namespace: 'kube-system', name: 'coredns' })).toBe('kube-system/coredns');
    expect(objectKey({ name: 'node01' })).toBe('node01');
    expect(objectKey({ namespace: '', name: 'node01' })).toBe('node01');
    expect(objectKey(base.pods['kube-system']!['coredns-7bd98f49dd-vhkvt']!.metadata)).toBe('kube-system/coredns-7bd98f49dd-vhkvt');
  });
});

describe('rfc3339', () => {
  it('formats the simulated clock with second precision and a Z, as metav1.Time marshals', () => {
    expect(rfc3339(0)).toBe('1970-01-01T00:00:00Z');
    expect(rfc3339(base.clock)).toBe('2026-11-25T09:45:00Z');
    expect(rfc3339(base.clock + 999)).toBe('2026-11-25T09:45:00Z'); // truncated, not rounded
    expect(rfc3339(base.clock + 1000)).toBe('2026-11-25T09:45:01Z');
    expect(base.nodes.node01!.metadata.creationTimestamp).toBe('2026-11-25T09:03:00Z');
  });

  it('property: parses back to the time truncated to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799999 }), (ms) => {
        const t = rfc3339(ms);
        expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(Date.parse(t)).toBe(ms - (ms % 1000));
      }),
    );
  });
});

describe('nextResourceVersion', () => {
  it('bumps the state counter and returns it as a decimal string', () => {
    expect(base.resourceVersion).toBe(55);
    const got: string[] = [];
    const s = produce(base, (d) => {
      got.push(nextResourceVersion(d), nextResourceVersion(d));
    });
    expect(got).toEqual(['56', '57']);
    expect(s.resourceVersion).toBe(57);
    expect(base.resourceVersion).toBe(55);
  });
});

describe('node-agent buckets', () => {
  it('puts each node in bucket fnv1a32(name) % 64', () => {
    expect(['controlplane', 'node01', 'node02'].map(agentBucket)).toEqual(['32', '2', '47']);
    expect(Object.keys(base.nodeAgents).sort()).toEqual(['2', '32', '47']);
    expect(Object.keys(base.nodeAgents['2']!)).toEqual(['node01']);
  });

  it('getAgent reads a node agent from its bucket; undefined for an unknown node', () => {
    expect(getAgent(base, 'node01')).toBe(base.nodeAgents['2']!.node01);
    expect(getAgent(base, 'controlplane')).toBe(base.nodeAgents['32']!.controlplane);
    expect(getAgent(base, 'node03')).toBeUndefined();
  });

  it('allAgents yields every node once, bucket by bucket (not in registration order)', () => {
    const seen = [...allAgents(base)];
    expect(seen.map(([n]) => n)).toEqual(['node01', 'controlplane', 'node02']);
    for (const [n, a] of seen) expect(a).toBe(getAgent(base, n));
  });

  it('uses at most 64 buckets however many nodes there are', () => {
    const s = Cluster.create({ nodes: 100 }).state;
    const names = [...allAgents(s)].map(([n]) => n);
    expect(names).toHaveLength(100);
    expect(new Set(names)).toEqual(new Set(s.nodeOrder));
    const buckets = Object.keys(s.nodeAgents).map(Number);
    expect(buckets.length).toBeLessThanOrEqual(64);
    for (const b of buckets) expect(b >= 0 && b < 64 && Number.isInteger(b)).toBe(true);
    for (const n of s.nodeOrder) expect(getAgent(s, n)).toBe(s.nodeAgents[agentBucket(n)]![n]);
  });

  it('property: a node’s bucket is stable, allAgents visits each agent once, removing all leaves no bucket', () => {
    const template = getAgent(base, 'node01')!;
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.oneof(
            dnsLabel,
            fc.string({ minLength: 1, maxLength: 12 }).filter((n) => n !== '__proto__'),
          ),
          { maxLength: 150 },
        ),
        (names) => {
          const agents = new Map<string, NodeAgentState>(names.map((n) => [n, { ...template }]));
          const s = produce(blank, (d) => {
            for (const [n, a] of agents) putAgent(d, n, a);
          });
          for (const n of names) {
            expect(agentBucket(n)).toBe(String(fnv1a(n) % 64));
            expect(agentBucket(n)).toBe(agentBucket(n));
            expect(s.nodeAgents[agentBucket(n)]![n]).toBe(agents.get(n));
            expect(getAgent(s, n)).toBe(agents.get(n));
          }
          const visited = [...allAgents(s)];
          expect(visited).toHaveLength(names.length);
          expect(new Set(visited.map(([n]) => n))).toEqual(new Set(names));
          for (const [n, a] of visited) expect(a).toBe(agents.get(n));
          const empty = produce(s, (d) => {
            for (const n of names) removeAgent(d, n);
            removeAgent(d, 'not-a-node'); // a no-op
          });
          expect(empty.nodeAgents).toEqual({});
          expect([...allAgents(empty)]).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
