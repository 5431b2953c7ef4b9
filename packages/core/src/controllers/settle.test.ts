// settle: simulated time passes until no controller has work that only time brings (timers.ts),
// in whole seconds, bounded, deterministically.

import { describe, expect, it } from 'vitest';
import '@k8s-netsim/testing/vitest';
import { deploymentInput, podInput, serviceInput } from '@k8s-netsim/testing';
import type { Pod, ReplicaSet } from '../api/types.js';
import { Cluster } from '../cluster/cluster.js';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { NetsimInputError } from '../packet/request.js';
import { listObjects } from '../state/store.js';
import type { ClusterState } from '../state/types.js';
import { canonicalJson } from '../util/canonical.js';
import { produce } from '../util/immer.js';
import { clusterEvents } from './events.js';
import { nextTimer } from './timers.js';
import { applyObjects, deleteObject, settle, SETTLE_MAX_MS } from './transitions.js';

const lab = bootstrapCluster();
const apply = (s: ClusterState, ...inputs: Parameters<typeof applyObjects>[1]) => applyObjects(s, inputs).state;
const lbIP = (s: ClusterState, name: string) => s.services.default?.[name]?.status.loadBalancer.ingress?.[0]?.ip;

describe('settle', () => {
  it('a LoadBalancer Service applied, then settled: MetalLB has assigned its address, and the lab host reaches it', () => {
    const c = Cluster.create().apply([deploymentInput('web', 2), serviceInput('web', { app: 'web' }, [{ port: 80 }], { type: 'LoadBalancer' })]);
    expect(c.service('web').loadBalancerIPs).toEqual([]);
    expect(nextTimer(c.state)).toBe(c.state.clock + 2000);
    const settled = c.settle();
    // Exactly MetalLB's provisioning delay, in one step.
    expect(settled.state.clock - c.state.clock).toBe(2000);
    expect(nextTimer(settled.state)).toBeUndefined();
    const [ip] = settled.service('web').loadBalancerIPs;
    expect(ip).toBe('192.168.56.241');
    const t = settled.trace({ from: { external: '192.168.56.1' }, to: { ip: ip!, port: 80 } });
    expect(t).toBeDelivered();
    expect(t.to?.pod).toMatch(/^default\/web-/);
  });

  it('a settled cluster is returned as is: the same object', () => {
    const c = Cluster.create();
    expect(nextTimer(c.state)).toBeUndefined();
    expect(c.settle()).toBe(c);
    expect(settle(lab)).toBe(lab);
    const once = settle(apply(lab, serviceInput('lb', { app: 'x' }, [{ port: 80 }], { type: 'LoadBalancer' })));
    expect(settle(once)).toBe(once);
  });

  it('is deterministic: the same state settles to the same state', () => {
    const s = apply(lab, deploymentInput('big', 700), serviceInput('lb', { app: 'big' }, [{ port: 80 }], { type: 'LoadBalancer' }));
    expect(canonicalJson(settle(s))).toBe(canonicalJson(settle(s)));
  });

  it('finishes a ReplicaSet past its 500-pod burst, a second at a time; maxMs bounds it and a second settle goes on', () => {
    const s = apply(lab, deploymentInput('big', 1200));
    const count = (x: ClusterState) => (listObjects(x, 'Pod', 'default') as Pod[]).filter((p) => p.metadata.name.startsWith('big-')).length;
    expect(count(s)).toBe(500);
    const bounded = settle(s, { maxMs: 1000 });
    expect(bounded.clock - s.clock).toBe(1000);
    expect(count(bounded)).toBe(1000);
    expect(nextTimer(bounded)).toBe(bounded.clock + 1);
    const done = settle(bounded);
    expect(done.clock - s.clock).toBe(2000);
    expect(count(done)).toBe(1200);
    expect(nextTimer(done)).toBeUndefined();
    expect(done.replicaSetExpectations).toBeUndefined();
    // A bound of 0 lets no time pass.
    expect(settle(s, { maxMs: 0 })).toBe(s);
  });

  it('never lets more than SETTLE_MAX_MS (10 simulated minutes) pass: work due later is left pending', () => {
    expect(SETTLE_MAX_MS).toBe(600_000);
    const s = apply(lab, serviceInput('lb', { app: 'x' }, [{ port: 80 }], { type: 'LoadBalancer' }));
    // Move the Service's creation so its provisioning falls due just past, then just inside, the bound.
    const created = (ms: number) =>
      produce(s, (d) => {
        d.services.default!.lb!.metadata.creationTimestamp = new Date(s.clock + ms - 2000).toISOString().replace('.000Z', 'Z');
      });
    const late = created(SETTLE_MAX_MS + 1000);
    expect(settle(late)).toBe(late);
    expect(nextTimer(late)).toBe(late.clock + SETTLE_MAX_MS + 1000);
    const inside = settle(created(SETTLE_MAX_MS));
    expect(inside.clock - s.clock).toBe(SETTLE_MAX_MS);
    expect(lbIP(inside, 'lb')).toBe('192.168.56.241');
    // Larger bounds are clamped to it.
    expect(settle(late, { maxMs: 3_600_000 })).toBe(late);
  });

  it('a Node with no kubelet goes Unknown after its 60 s grace period (the first whole second past it)', () => {
    const s = apply(lab, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'ghost' }, spec: {} } as never);
    expect(s.nodes.ghost!.status.conditions.find((c) => c.type === 'Ready')).toBeUndefined();
    const done = settle(s);
    expect(done.clock - s.clock).toBe(61_000);
    expect(done.nodes.ghost!.status.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated' });
    expect(nextTimer(done)).toBeUndefined();
  });

  it('hands an address freed by a deletion to a Service that found none, at the next step', () => {
    // A two-address pool: ingress-nginx's controller takes the first, `a` the second, `b` none.
    const small = bootstrapCluster({ loadBalancerPool: ['192.168.56.240-192.168.56.241'] });
    let s = settle(apply(small, serviceInput('a', { app: 'x' }, [{ port: 80 }], { type: 'LoadBalancer' })));
    s = settle(apply(s, serviceInput('b', { app: 'x' }, [{ port: 80 }], { type: 'LoadBalancer' })));
    expect(lbIP(s, 'a')).toBe('192.168.56.241');
    expect(lbIP(s, 'b')).toBeUndefined();
    expect(clusterEvents(s).at(-1)).toMatchObject({ name: 'b', reason: 'AllocationFailed' });
    // Nothing time can change: no timer.
    expect(nextTimer(s)).toBeUndefined();
    s = deleteObject(s, 'Service', 'default', 'a');
    expect(nextTimer(s)).toBe(s.clock + 1);
    const done = settle(s);
    expect(done.clock - s.clock).toBe(1000);
    expect(lbIP(done, 'b')).toBe('192.168.56.241');
  });

  it('does not wait for a ReplicaSet whose pods the kubelet keeps rejecting (OutOfpods on a full node)', () => {
    const fill = Array.from({ length: 110 }, (_, i) => podInput(`f${i}`, { nodeName: 'node01' }));
    const pinned = deploymentInput('pinned', 2);
    pinned.spec.template.spec.nodeName = 'node01';
    const s = apply(apply(lab, ...fill), pinned);
    const rs = listObjects(s, 'ReplicaSet', 'default') as ReplicaSet[];
    expect(Object.keys(s.replicaSetExpectations ?? {})).toEqual([`default/${rs.find((r) => r.metadata.name.startsWith('pinned-'))!.metadata.name}`]);
    expect(nextTimer(s)).toBeUndefined();
    expect(settle(s)).toBe(s);
  });
});

describe('Cluster.settle', () => {
  it('checks its options', () => {
    const c = Cluster.create();
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(NetsimInputError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(message(() => c.settle({ maxMs: -1 }))).toBe('options.maxMs: Invalid value: -1: must be an integer from 0 to 600000 (simulated milliseconds)');
    expect(message(() => c.settle({ maxMs: 1.5 }))).toBe('options.maxMs: Invalid value: 1.5: must be an integer from 0 to 600000 (simulated milliseconds)');
    expect(message(() => c.settle({ maxMs: 600_001 }))).toContain('options.maxMs: Invalid value: 600001');
    expect(message(() => c.settle({ maxMS: 5 } as never))).toBe('options.maxMS: Invalid value: 5: unknown field; did you mean "maxMs"?');
    expect(message(() => c.settle(null as never))).toBe('options: Invalid value: null: must be an object { maxMs? }');
    expect(c.settle({ maxMs: 0 })).toBe(c);
  });
});
