// Services through kube-proxy's rules, as the reference walker sees them.

import { describe, expect, it } from 'vitest';
import '@k8s-netsim/testing/vitest';
import fc from 'fast-check';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { deploymentInput, podInput, serviceInput } from '@k8s-netsim/testing';
import { applyObjects, scaleObject } from '../controllers/transitions.js';
import { listObjects } from '../state/store.js';
import type { Pod } from '../api/types.js';
import { trace, traceAll } from './walker.js';

function lab(replicas: number, extra: Parameters<typeof serviceInput>[3] = {}, ports = [{ port: 80, nodePort: 30080 }]) {
  const s = applyObjects(bootstrapCluster(), [
    deploymentInput('nginx', replicas),
    podInput('client', { nodeName: 'node01', image: 'busybox' }),
    serviceInput('web', { app: 'nginx' }, ports, { type: 'NodePort', ...extra }),
  ]).state;
  return { s, ip: s.services.default!.web!.spec.clusterIP!, pods: (listObjects(s, 'Pod', 'default') as Pod[]).filter((p) => p.metadata.name.startsWith('nginx-')) };
}

describe('Services through kube-proxy', () => {
  it('a ClusterIP connection is DNATed to one endpoint; the reply comes back from the ClusterIP', () => {
    const { s, ip, pods } = lab(2);
    const r = trace(s, { from: { pod: 'client' }, to: { ip, port: 80 } });
    expect(r).toBeDelivered();
    expect(pods.map((p) => `default/${p.metadata.name}`)).toContain(r.to?.pod);
    expect(r.reply).toEqual({ src: { ip, port: 80 }, dst: r.packet.src });
    const dnat = r.hops.find((h) => h.rule?.includes('-j DNAT'));
    expect(dnat?.object).toEqual({ kind: 'Service', namespace: 'default', name: 'web' });
    expect(r.hops.some((h) => h.kind === 'conntrack')).toBe(true);
  });

  it('every endpoint is equally likely and the outcomes sum to 1', () => {
    // kube-proxy's statistic rules give each of n endpoints 1/n: checked for every n from 1 to 7.
    for (let n = 1; n <= 7; n++) {
      const { s, ip, pods } = lab(n);
      const outcomes = traceAll(s, { from: { pod: 'client' }, to: { ip, port: 80 } });
      expect(outcomes.reduce((a, o) => a + o.probability, 0)).toBeCloseTo(1, 9);
      expect(outcomes).toHaveLength(n);
      for (const o of outcomes) expect(o.probability).toBeCloseTo(1 / n, 9);
      expect(new Set(outcomes.map((o) => o.result.to?.pod))).toEqual(new Set(pods.map((p) => `default/${p.metadata.name}`)));
    }
  });

  it('NodePort answers on every node IP and masquerades external traffic (Cluster policy)', () => {
    const { s, pods } = lab(2);
    for (const node of ['192.168.56.10', '192.168.56.11', '192.168.56.12']) {
      for (const o of traceAll(s, { from: { node: 'node01' }, to: { ip: node, port: 30080 } })) {
        expect(o.result).toBeDelivered();
        expect(pods.map((p) => p.status.podIP)).toContain(o.result.to?.ip);
        expect(o.result.hops.some((h) => h.rule?.includes('KUBE-MARK-MASQ'))).toBe(true);
      }
    }
  });

  it('NodePort from outside the cluster (the lab host) is SNATed to the node: the client IP is lost', () => {
    const { s, pods } = lab(2);
    for (const o of traceAll(s, { from: { external: '192.168.56.1' }, to: { ip: '192.168.56.11', port: 30080 } })) {
      expect(o.result).toBeDelivered();
      expect(pods.map((p) => p.status.podIP)).toContain(o.result.to?.ip);
      expect(o.result.source?.ip).not.toBe('192.168.56.1');
      expect(o.result.reply).toEqual({ src: { ip: '192.168.56.11', port: 30080 }, dst: o.result.packet.src });
    }
  });

  it('ping to a ClusterIP gets no answer, and the trace says why', () => {
    const { s, ip } = lab(1);
    const r = trace(s, { from: { pod: 'client' }, to: { ip }, proto: 'icmp' });
    expect(r).toBeDropped();
    expect(r.hops.at(-1)?.action).toMatch(/is the ClusterIP of Service default\/web: kube-proxy only DNATs its ports \(80\/TCP\), an ICMP echo matches no rule/);
  });

  it('a Service without endpoints is REJECTed: Connection refused', () => {
    const { s, ip } = lab(1);
    const none = scaleObject(s, 'Deployment', 'default', 'nginx', 0);
    const r = trace(none, { from: { pod: 'client' }, to: { ip, port: 80 } });
    expect(r).toBeRejected();
    expect(r.reason).toBe('Connection refused');
    expect(r.hops.find((h) => h.rule?.includes('-j REJECT'))?.rule).toMatch(/"default\/web has no endpoints"/);
  });

  it('hairpin: a pod reaching its own Service is masqueraded to the bridge address', () => {
    const { s, ip, pods } = lab(1);
    const only = pods[0]!;
    const r = trace(s, { from: { pod: `default/${only.metadata.name}` }, to: { ip, port: 80 } });
    expect(r).toBeDelivered();
    expect(r.to?.pod).toBe(`default/${only.metadata.name}`);
    const gw = s.nodes[only.spec.nodeName!]!.spec.podCIDR!.replace(/0\/24$/, '1');
    expect(r.source?.ip).toBe(gw);
  });

  it('DNATs only to endpoints of the service and never loops, for any client and port', () => {
    const { s, ip, pods } = lab(3);
    const clients = ['client', ...pods.map((p) => `default/${p.metadata.name}`)];
    fc.assert(
      fc.property(fc.constantFrom(...clients), fc.constantFrom(80, 81, 443), fc.constantFrom<'tcp' | 'udp'>('tcp', 'udp'), (from, port, proto) => {
        for (const o of traceAll(s, { from: { pod: from }, to: { ip, port }, proto })) {
          const r = o.result;
          expect(r.reason).not.toBe('Time to live exceeded');
          if (port === 80 && proto === 'tcp') {
            expect(r).toBeDelivered();
            expect(pods.map((p) => p.status.podIP)).toContain(r.to?.ip);
          } else {
            expect(r.hops.some((h) => h.rule?.includes('-j DNAT'))).toBe(false);
          }
        }
      }),
      { numRuns: 30 },
    );
  });

  it("a node's own rules dropping its UDP or ping fail the send with EPERM; a TCP SYN just times out", () => {
    // internalTrafficPolicy Local with the only endpoint elsewhere: KUBE-SVL has no local endpoint,
    // so the node's OUTPUT drops the packet ("has no local endpoints"). Checked in a real namespace:
    // sendto() returns EPERM for UDP and ICMP, connect() retransmits the SYN and times out.
    const s = applyObjects(bootstrapCluster(), [
      podInput('lone', { nodeName: 'node02' }),
      serviceInput('local-only', { run: 'lone' }, [{ port: 80, protocol: 'UDP' }], { internalTrafficPolicy: 'Local' }),
    ]).state;
    const ip = s.services.default!['local-only']!.spec.clusterIP!;
    const udp = trace(s, { from: { node: 'node01' }, to: { ip, port: 80 }, proto: 'udp' });
    expect(udp.verdict).toBe('dropped');
    expect(udp.reason).toBe('Operation not permitted');
    expect(udp.localError).toEqual({ errno: 'EPERM' });
    // From the endpoint's own node it reaches the pod (nginx has nothing on UDP 80: port unreachable).
    expect(trace(s, { from: { node: 'node02' }, to: { ip, port: 80 }, proto: 'udp' }).reason).toBe('Port unreachable');
    // A pod's packet is dropped on its node's PREROUTING, not by its own kernel: no send error.
    const fromPod = applyObjects(s, [podInput('client', { nodeName: 'node01' })]).state;
    const forwarded = trace(fromPod, { from: { pod: 'client' }, to: { ip, port: 80 }, proto: 'udp' });
    expect(forwarded.verdict).toBe('dropped');
    expect(forwarded.localError).toBeUndefined();
    // No endpoints at all: the node's OUTPUT REJECTs. UDP's send fails with EPERM (REJECT is a
    // drop after its ICMP error); TCP is refused by that error.
    const none = applyObjects(fromPod, [serviceInput('nobody', { run: 'nobody' }, [{ port: 80, protocol: 'UDP' }, { port: 81 }])]).state;
    const vip = none.services.default!.nobody!.spec.clusterIP!;
    expect(trace(none, { from: { node: 'node01' }, to: { ip: vip, port: 80 }, proto: 'udp' })).toMatchObject({
      verdict: 'rejected',
      reason: 'Operation not permitted',
      localError: { errno: 'EPERM' },
    });
    expect(trace(none, { from: { node: 'node01' }, to: { ip: vip, port: 81 }, proto: 'tcp' })).toMatchObject({ verdict: 'rejected', reason: 'Connection refused' });
    expect(trace(none, { from: { pod: 'client' }, to: { ip: vip, port: 80 }, proto: 'udp' }).localError).toBeUndefined();
  });
});
