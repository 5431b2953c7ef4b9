// Flannel VXLAN overlay, as properties over random clusters (1–50 nodes, random pods).

import { describe, expect, it } from 'vitest';
import '@k8s-netsim/testing/vitest';
import fc from 'fast-check';
import { bootstrapCluster, joinNode } from '../cluster/bootstrap.js';
import { deploymentInput } from '@k8s-netsim/testing';
import { nodeNetns } from '../dataplane/netns.js';
import { routeText } from '../dataplane/route.js';
import { ipToString } from '../net/ipv4.js';
import { listObjects } from '../state/store.js';
import { applyObjects, deleteObject } from '../controllers/transitions.js';
import type { Pod } from '../api/types.js';
import type { ClusterState } from '../state/types.js';
import { trace } from './walker.js';

const clusterArb = fc.record({
  seed: fc.integer({ min: 1, max: 10_000 }),
  nodes: fc.integer({ min: 1, max: 50 }),
  perNode: fc.integer({ min: 1, max: 3 }),
});

function build({ seed, nodes, perNode }: { seed: number; nodes: number; perNode: number }): ClusterState {
  // The control plane is tainted: give single-node clusters a toleration-free way to place pods.
  const s0 = bootstrapCluster({ seed, nodes, nodeNetwork: '192.168.0.0/20' });
  const workers = Math.max(1, nodes - 1);
  const d = deploymentInput('app', workers * perNode);
  if (nodes === 1) d.spec.template.spec.tolerations = [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }];
  return applyObjects(s0, [d]).state;
}

const pods = (s: ClusterState) => (listObjects(s, 'Pod', 'default') as Pod[]).filter((p) => p.status.podIP);

describe('Flannel VXLAN overlay (properties)', () => {
  it('every pod reaches every other pod; encapsulation exactly when the nodes differ', () => {
    fc.assert(
      fc.property(clusterArb, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 }), (c, pairs) => {
        const s = build(c);
        const all = pods(s);
        for (const [i, j] of pairs) {
          const a = all[i % all.length]!;
          const b = all[j % all.length]!;
          const r = trace(s, { from: { pod: `default/${a.metadata.name}` }, to: { ip: b.status.podIP!, port: 80 } });
          expect(r).toBeDelivered();
          expect(r.source?.ip).toBe(a.status.podIP);
          const encaps = r.hops.filter((h) => h.kind === 'encap').length;
          const decaps = r.hops.filter((h) => h.kind === 'decap').length;
          if (a === b || a.spec.nodeName === b.spec.nodeName) {
            expect([encaps, decaps]).toEqual([0, 0]);
          } else {
            expect([encaps, decaps]).toEqual([1, 1]);
            expect(r.forwardings).toBe(2);
          }
        }
      }),
      { numRuns: 12 },
    );
  });

  it("each node's routes, neighbours and FDB cover exactly the other nodes' subnets", () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const s = build(c);
        for (const name of s.nodeOrder) {
          const ns = nodeNetns(s, name)!;
          const others = s.nodeOrder.filter((n) => n !== name).map((n) => s.nodes[n]!);
          const expectedRoutes = others.map((n) => `${n.spec.podCIDR} via ${n.spec.podCIDR!.split('/')[0]} dev flannel.1 onlink`).sort();
          expect(
            ns.routes
              .filter((r) => r.dev === 'flannel.1' && r.table === 'main')
              .map(routeText)
              .sort(),
          ).toEqual(expectedRoutes);
          expect(
            ns.neighbours
              .filter((n) => n.dev === 'flannel.1')
              .map((n) => ipToString(n.ip))
              .sort(),
          ).toEqual(others.map((n) => n.spec.podCIDR!.split('/')[0]).sort());
          const vteps = others.map((n) => JSON.parse(n.metadata.annotations!['flannel.alpha.coreos.com/backend-data']!).VtepMAC as string);
          expect(
            ns.fdb
              .filter((f) => f.dev === 'flannel.1')
              .map((f) => f.mac)
              .sort(),
          ).toEqual(vteps.sort());
          expect(
            ns.fdb
              .filter((f) => f.dev === 'flannel.1')
              .map((f) => ipToString(f.dst!))
              .sort(),
          ).toEqual(others.map((n) => n.status.addresses[0]!.address).sort());
        }
      }),
      { numRuns: 12 },
    );
  });

  it('a node that leaves disappears from every other node; one that joins appears everywhere', () => {
    const s = build({ seed: 3, nodes: 5, perNode: 1 });
    const gone = deleteObject(s, 'Node', undefined, 'node02');
    for (const name of gone.nodeOrder) {
      const ns = nodeNetns(gone, name)!;
      expect(ns.routes.some((r) => routeText(r).startsWith('10.244.2.0/24'))).toBe(false);
      expect(ns.neighbours.some((n) => ipToString(n.ip) === '10.244.2.0')).toBe(false);
      expect(ns.fdb.some((f) => f.dst !== undefined && ipToString(f.dst) === '192.168.0.12')).toBe(false);
    }
    const joined = joinNode(gone, { name: 'node05' });
    // CidrSet hands out the freed 10.244.2.0/24 again, and the new node gets the first free IP.
    expect(joined.nodes.node05?.spec.podCIDR).toBe('10.244.2.0/24');
    for (const name of joined.nodeOrder.filter((n) => n !== 'node05')) {
      expect(nodeNetns(joined, name)!.routes.map(routeText)).toContain('10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink');
    }
    expect(joined.nodes.node05?.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});
