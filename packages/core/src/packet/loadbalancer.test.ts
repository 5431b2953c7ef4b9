// LoadBalancer Services and externalTrafficPolicy, from a client outside the cluster.

import { describe, expect, it } from 'vitest';
import '@k8s-netsim/testing/vitest';
import fc from 'fast-check';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { deploymentInput, serviceInput } from '@k8s-netsim/testing';
import { advanceClock, applyObjects } from '../controllers/transitions.js';
import { listObjects } from '../state/store.js';
import type { Pod } from '../api/types.js';
import { traceAll } from './walker.js';

const CLIENT = '192.168.56.1';

function lab(seed: number, replicas: number, etp: 'Cluster' | 'Local', workers = 3) {
  let s = applyObjects(bootstrapCluster({ seed, nodes: workers + 1 }), [
    deploymentInput('app', replicas),
    serviceInput('lb', { app: 'app' }, [{ port: 80 }], { type: 'LoadBalancer', externalTrafficPolicy: etp }),
  ]).state;
  s = advanceClock(s, 5000); // MetalLB assigns the address a moment later
  const svc = s.services.default!.lb!;
  const pods = (listObjects(s, 'Pod', 'default') as Pod[]).filter((p) => p.metadata.name.startsWith('app-'));
  return { s, svc, pods, ip: svc.status.loadBalancer.ingress![0]!.ip! };
}

describe('LoadBalancer Services from outside', () => {
  it('get the first free pool address a moment after creation', () => {
    const s0 = applyObjects(bootstrapCluster(), [serviceInput('lb', { app: 'x' }, [{ port: 80 }], { type: 'LoadBalancer' })]).state;
    expect(s0.services.default!.lb!.status.loadBalancer.ingress).toBeUndefined();
    const s1 = advanceClock(s0, 3000);
    // .240 went to ingress-nginx's controller; the next one is ours.
    expect(s1.services.default!.lb!.status.loadBalancer.ingress).toEqual([{ ip: '192.168.56.241', ipMode: 'VIP' }]);
  });

  it('without a provider they stay pending', () => {
    const s = advanceClock(applyObjects(bootstrapCluster({ loadBalancerPool: false }), [serviceInput('lb', { app: 'x' }, [{ port: 80 }], { type: 'LoadBalancer' })]).state, 60_000);
    expect(s.services.default!.lb!.status.loadBalancer.ingress).toBeUndefined();
  });

  it('ETP Cluster always SNATs external traffic; ETP Local never leaves the node and keeps the client IP', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom<'Cluster' | 'Local'>('Cluster', 'Local'), (seed, replicas, etp) => {
        const { s, ip, pods } = lab(seed, replicas, etp);
        const outcomes = traceAll(s, { from: { external: CLIENT }, to: { ip, port: 80 } });
        expect(outcomes.reduce((a, o) => a + o.probability, 0)).toBeCloseTo(1, 9);
        for (const { result: r } of outcomes) {
          expect(r).toBeDelivered();
          const announcer = r.hops.find((h) => h.kind === 'arp' && h.action.includes("MetalLB's speaker"))!.action.match(/speaker on (\S+)/)![1];
          const target = pods.find((p) => `default/${p.metadata.name}` === r.to?.pod)!;
          if (etp === 'Local') {
            expect(target.spec.nodeName).toBe(announcer);
            expect(r.source?.ip).toBe(CLIENT);
            expect(r.hops.some((h) => h.kind === 'encap')).toBe(false);
          } else {
            expect(r.source?.ip).not.toBe(CLIENT);
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('externalIPs are reached through the worker the lab routes them to, and DNATed by kube-proxy', () => {
    const svc = serviceInput('ext', { app: 'app' }, [{ port: 8080, targetPort: 80 }]);
    svc.spec.externalIPs = ['192.168.56.200'];
    const s = applyObjects(bootstrapCluster(), [deploymentInput('app', 2), svc]).state;
    for (const { result: r } of traceAll(s, { from: { external: CLIENT }, to: { ip: '192.168.56.200', port: 8080 } })) {
      expect(r).toBeDelivered();
      expect(r.to?.pod).toMatch(/^default\/app-/);
      expect(r.hops.some((h) => h.rule?.includes('-d 192.168.56.200/32') && h.rule.includes('external IP'))).toBe(true);
    }
  });

  it('ETP Local NodePort: nodes without a local endpoint drop, the others answer with the client IP', () => {
    const { s, svc, pods } = lab(7, 1, 'Local');
    const home = pods[0]!.spec.nodeName!;
    for (const node of s.nodeOrder) {
      const nodeIP = s.nodes[node]!.status.addresses[0]!.address;
      for (const { result: r } of traceAll(s, { from: { external: CLIENT }, to: { ip: nodeIP, port: svc.spec.ports![0]!.nodePort! } })) {
        if (node === home) expect(r).toMatchObject({ verdict: 'delivered', source: { ip: CLIENT } });
        else {
          expect(r).toBeDropped();
          expect(r.reason).toContain('has no local endpoints');
        }
      }
    }
  });
});
