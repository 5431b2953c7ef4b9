// Properties of any cluster the kit generates, checked with the kit: every one is sound
// (checkInvariants), and a ClusterIP behaves as kube-proxy documents it — each path ends at a
// ready endpoint of the port, the paths' probabilities sum to 1, and a port with no endpoints
// is refused (kube-proxy's REJECT: "has no endpoints").

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbCluster, checkInvariants } from '@k8s-netsim/testing';
import '@k8s-netsim/testing/vitest';

describe('generated clusters', () => {
  it('keep every invariant', () => {
    fc.assert(
      fc.property(arbCluster(), (c) => {
        expect(checkInvariants(c)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('ClusterIP traffic from a pod ends at a ready endpoint of that port, or is refused when it has none', () => {
    fc.assert(
      fc.property(arbCluster({ manifests: { minServices: 1, minWorkloads: 1 } }), fc.nat(), fc.nat(), fc.nat(), (c, si, pi, ci) => {
        const services = Object.entries(c.state.services).flatMap(([ns, byName]) => Object.keys(byName).map((n) => c.service(`${ns}/${n}`)));
        const withIP = services.filter((s) => s.clusterIPs.length > 0 && s.ports.length > 0 && s.internalTrafficPolicy !== 'Local');
        const clients = c.pods().filter((p) => p.ip && p.ip !== c.node(p.node!).internalIP);
        fc.pre(withIP.length > 0 && clients.length > 0);
        const svc = withIP[si % withIP.length]!;
        const port = svc.ports[pi % svc.ports.length]!;
        const client = clients[ci % clients.length]!;
        if (port.protocol === 'SCTP') return;
        const ready = svc.endpoints.filter((e) => e.portName === port.name && e.protocol === port.protocol && e.ready);
        const outcomes = c.traceAll({
          from: { pod: `${client.namespace}/${client.name}` },
          to: { ip: svc.clusterIPs[0]!, port: port.port },
          proto: port.protocol === 'TCP' ? 'tcp' : 'udp',
        });
        expect(outcomes.reduce((a, o) => a + o.probability, 0)).toBeCloseTo(1, 9);
        if (ready.length === 0) {
          expect(outcomes).toBeRejected();
          return;
        }
        // kube-proxy picks each ready endpoint with equal probability.
        expect(outcomes).toHaveLength(new Set(ready.map((e) => `${e.ip}:${e.port}`)).size);
        for (const o of outcomes) {
          expect(o.probability).toBeCloseTo(1 / outcomes.length, 9);
          if (o.result.verdict === 'delivered') expect(ready.map((e) => `${e.ip}:${e.port}`)).toContain(`${o.result.to!.ip}:${o.result.to!.port}`);
        }
      }),
      { numRuns: 60 },
    );
  });
});
