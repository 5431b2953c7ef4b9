import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TraceRequest } from '@k8s-netsim/core';
import { arbCluster, buildCluster } from './cluster.js';
import { arbPacket, traceCommand } from './packet.js';
import { toManifests, type KubeObject } from './manifests.js';

const VERDICTS = ['delivered', 'dropped', 'rejected'];

// One shared cluster: the default lab with a web Deployment behind a LoadBalancer Service with an externalIP.
const labels = { app: 'web' };
const objects: KubeObject[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ name: 'http', containerPort: 80 }] }] } },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { type: 'LoadBalancer', selector: labels, externalIPs: ['203.0.113.10'], ports: [{ port: 8080, targetPort: 'http' }] },
  },
];
const lab = buildCluster({}, toManifests(objects));

describe('arbPacket', () => {
  it('every request traces to delivered, dropped or rejected (random clusters)', () => {
    fc.assert(
      fc.property(
        arbCluster().chain((c) => fc.tuple(fc.constant(c), fc.array(arbPacket(c), { minLength: 1, maxLength: 20 }))),
        ([c, packets]) => {
          for (const p of packets) expect(VERDICTS).toContain(c.trace(p).verdict);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('every request traces on the lab, and most of them reach something real', () => {
    const verdicts: Record<string, number> = {};
    fc.assert(
      fc.property(arbPacket(lab), (p) => {
        const t = lab.trace(p);
        expect(VERDICTS).toContain(t.verdict);
        verdicts[t.verdict] = (verdicts[t.verdict] ?? 0) + 1;
      }),
      { numRuns: 400 },
    );
    expect(verdicts.delivered ?? 0).toBeGreaterThan(100);
  });

  it('follows from / to / proto; sources are pods with an IP, nodes or the lab host', () => {
    const podIPs = new Set(lab.pods().flatMap((p) => p.ip ?? []));
    const podsWithIP = new Set(lab.pods().flatMap((p) => (p.ip ? [`${p.namespace}/${p.name}`] : [])));
    const nodeIPs = new Set(lab.state.nodeOrder.map((n) => lab.node(n).internalIP));
    const web = lab.service('web');
    const check = (opts: Parameters<typeof arbPacket>[1], ok: (p: TraceRequest) => boolean) =>
      fc.assert(
        fc.property(arbPacket(lab, opts), (p) => {
          expect(ok(p), traceCommand(p)).toBe(true);
        }),
        { numRuns: 100 },
      );

    check({ from: ['pod'] }, (p) => 'pod' in p.from && podsWithIP.has(p.from.pod));
    check({ from: ['external'] }, (p) => 'external' in p.from && p.from.external === '192.168.56.1');
    check({ from: ['node'] }, (p) => 'node' in p.from && lab.state.nodeOrder.includes(p.from.node));
    check({ to: ['pod'] }, (p) => podIPs.has(p.to.ip));
    check({ to: ['nodePort'] }, (p) => nodeIPs.has(p.to.ip));
    check({ to: ['loadBalancer'] }, (p) => web.loadBalancerIPs.includes(p.to.ip) || p.to.ip === '192.168.56.240');
    check({ to: ['externalIP'] }, (p) => p.to.ip === '203.0.113.10');
    check({ to: ['clusterIP'] }, (p) => p.to.ip.startsWith('10.96.') || /^10\.(9[6-9]|10\d|11[01])\./.test(p.to.ip));
    check({ proto: ['icmp'] }, (p) => p.proto === 'icmp' && p.to.port === undefined);
    check({ proto: ['tcp', 'udp'] }, (p) => p.proto !== 'icmp' && p.to.port! >= 1 && p.to.port! <= 65535);
  });

  it('aims at open ports mostly: the web Service on its LoadBalancer IP is reached', () => {
    const sample = fc.sample(arbPacket(lab, { to: ['loadBalancer'], from: ['external'], proto: ['tcp'] }), { numRuns: 200, seed: 3 });
    const open = sample.filter((p) => p.to.ip === lab.service('web').loadBalancerIPs[0] && p.to.port === 8080);
    expect(open.length).toBeGreaterThan(20);
    for (const p of open) expect(lab.trace(p).verdict).toBe('delivered');
  });

  it('prints as a netsim trace command line', () => {
    const [p] = fc.sample(arbPacket(lab, { from: ['external'], to: ['externalIP'], proto: ['icmp'] }), 1);
    expect(fc.stringify(p)).toBe('netsim trace --from external:192.168.56.1 --to 203.0.113.10 --proto icmp');
  });
});
