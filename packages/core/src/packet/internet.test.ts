// Clients on the simulated internet (`{ external: IP }` off the node network): they reach the lab
// through its router — the workstation, the node network's gateway — which forwards without NAT
// by its own table (the node network, and the routes added on the workstation).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbCluster, arbPacket, checkInvariants } from '@k8s-netsim/testing';
import '@k8s-netsim/testing/vitest';
import { Cluster } from '../cluster/cluster.js';
import { changeWorkstationRoutes } from '../dataplane/workstation.js';
import { parseIPv4 } from '../net/ipv4.js';
import type { ClusterState } from '../state/types.js';
import type { TraceResult } from './types.js';

const CLIENT = '203.0.113.2';
const OUTSIDE_RANGE = '198.51.100.7';

const lab = Cluster.create()
  .apply(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ port: 80, nodePort: 30080 }]
---
apiVersion: v1
kind: Service
metadata: { name: web-local }
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: { app: web }
  ports: [{ port: 80, nodePort: 30081 }]
---
apiVersion: v1
kind: Service
metadata: { name: web-lb }
spec:
  type: LoadBalancer
  selector: { app: web }
  loadBalancerSourceRanges: [203.0.113.0/28]
  ports: [{ port: 8080, targetPort: 80, nodePort: 30082 }]
`)
  .exec('sleep 3').cluster; // MetalLB assigns the address a moment later

const node01 = lab.node('node01').internalIP!;
const onNode01 = lab.pods({ selector: 'app=web', node: 'node01' })[0]!;
const onNode02 = lab.pods({ selector: 'app=web', node: 'node02' })[0]!;
const lbIP = lab.service('web-lb').loadBalancerIPs[0]!;

function withRoute(state: ClusterState, dst: string, via: string): ClusterState {
  const [net = '', len = '32'] = dst.split('/');
  const r = changeWorkstationRoutes(state, 'add', { dst: parseIPv4(net), prefixLen: Number(len), via: parseIPv4(via) });
  if (!('state' in r)) throw new Error(r.error);
  return r.state;
}

/** The hops up to and including the router's, as kind@where. */
function intoTheLab(r: TraceResult): string[] {
  const i = r.hops.findIndex((h) => h.kind === 'gateway' || h.at.node === 'external:192.168.56.1');
  return r.hops.slice(0, i + 2).map((h) => `${h.kind}@${h.at.node}${h.at.iface ? ` ${h.at.iface}` : ''}`);
}

describe('a client on the internet', () => {
  it('crosses the lab router without NAT: the router hop is in the trace and counted', () => {
    const r = lab.trace({ from: { external: CLIENT }, to: { ip: node01, port: 30081 }, sport: 40000 });
    expect(r).toKeepClientIP();
    expect(r.packet).toEqual({ src: { ip: CLIENT, port: 40000 }, dst: { ip: node01, port: 30081 } });
    expect(r.hops.slice(0, 7).map((h) => [h.kind, h.at, h.entry])).toEqual([
      ['send', { node: 'external:203.0.113.2', netns: 'external', iface: 'eth0' }, undefined],
      ['route', { node: 'external:203.0.113.2', netns: 'external' }, 'default via 203.0.113.1 dev eth0 onlink'],
      ['wire', { node: 'external:203.0.113.2', netns: 'external', iface: 'eth0' }, undefined],
      ['route', { node: 'external:192.168.56.1', netns: 'external' }, '192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.1'],
      ['gateway', { node: 'external:192.168.56.1', netns: 'external', iface: 'eth0' }, undefined],
      ['arp', { node: 'external:192.168.56.1', netns: 'external', iface: 'eth0' }, '192.168.56.11 dev eth0 lladdr b6:e9:42:26:fb:55 REACHABLE'],
      ['wire', { node: 'external:192.168.56.1', netns: 'external', iface: 'eth0' }, undefined],
    ]);
    expect(r.hops[2]!.action).toBe('across the internet to the lab router 203.0.113.1 (the workstation, gateway 192.168.56.1 of the node network)');
    expect(r.hops[4]!.action).toBe('the lab router forwards it from the internet to eth0 without NAT: the source stays 203.0.113.2:40000 (TTL−1)');
    // ETP Local on node01: the router, then node01 forwarding to its own pod.
    expect(r).toMatchObject({ to: { pod: `default/${onNode01.name}`, ip: onNode01.ip, port: 80 }, source: { ip: CLIENT, port: 40000 }, forwardings: 2, replyTtl: 62 });
    expect(r.reply).toEqual({ src: { ip: node01, port: 30081 }, dst: { ip: CLIENT, port: 40000 } });
  });

  it('NodePort, externalTrafficPolicy Cluster: any endpoint, SNAT to the node it entered', () => {
    const outcomes = lab.traceAll({ from: { external: CLIENT }, to: { ip: node01, port: 30080 }, sport: 40000 });
    expect(outcomes).toBeMasqueraded();
    expect(outcomes.map((o) => [o.probability, o.result.to?.pod, o.result.source?.ip, o.result.forwardings]).sort((a, b) => String(a[2]).localeCompare(String(b[2])))).toEqual([
      [0.5, `default/${onNode02.name}`, '10.244.1.0', 3], // node01's flannel.1, then node02
      [0.5, `default/${onNode01.name}`, '10.244.1.1', 2], // node01's cni0
    ]);
    for (const { result } of outcomes) expect(intoTheLab(result)).toContain('gateway@external:192.168.56.1 eth0');
  });

  it('NodePort, externalTrafficPolicy Local: the client IP is kept; only nodes with a local endpoint answer', () => {
    for (const node of ['controlplane', 'node01', 'node02']) {
      const outcomes = lab.traceAll({ from: { external: CLIENT }, to: { ip: lab.node(node).internalIP!, port: 30081 } });
      if (node === 'controlplane') {
        expect(outcomes).toBeDropped();
        expect(outcomes.map((o) => o.result.reason)).toEqual([
          'dropped by netfilter (-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/web-local has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30081 -j DROP)',
        ]);
      } else {
        expect(outcomes).toKeepClientIP();
        expect(outcomes.map((o) => [o.probability, o.result.to?.pod, o.result.source?.ip])).toEqual([[1, `default/${(node === 'node01' ? onNode01 : onNode02).name}`, CLIENT]]);
      }
    }
  });

  it('a LoadBalancer IP: the router ARPs for it, the announcing node answers; loadBalancerSourceRanges let 203.0.113.0/28 in', () => {
    const outcomes = lab.traceAll({ from: { external: CLIENT }, to: { ip: lbIP, port: 8080 } });
    expect(outcomes).toBeMasqueraded();
    for (const { result } of outcomes) {
      const arp = result.hops.find((h) => h.kind === 'arp' && h.at.node === 'external:192.168.56.1')!;
      expect(arp.action).toMatch(new RegExp(`^${lbIP} is at [0-9a-f:]+: MetalLB's speaker on node0[12] answers for Service default/web-lb \\(layer2\\)$`));
      expect(result.hops.some((h) => h.chain?.startsWith('KUBE-FW-') && h.rule?.includes('-s 203.0.113.0/28'))).toBe(true);
    }
  });

  it('loadBalancerSourceRanges turn other clients away (KUBE-PROXY-FIREWALL), but not from the NodePort', () => {
    const r = lab.trace({ from: { external: OUTSIDE_RANGE }, to: { ip: lbIP, port: 8080 } });
    expect(r).toBeDropped();
    expect(r.reason).toMatch(
      /^dropped by netfilter \(-A KUBE-PROXY-FIREWALL -d 192\.168\.56\.241\/32 -p tcp -m comment --comment "default\/web-lb traffic not accepted by KUBE-FW-[A-Z0-9]{16}" -m tcp --dport 8080 -j DROP\)$/,
    );
    expect(lab.traceAll({ from: { external: OUTSIDE_RANGE }, to: { ip: node01, port: 30082 } })).toBeMasqueraded();
  });

  it('pod and Service addresses: the router has no route to them and drops the packet', () => {
    for (const [ip, suggestion] of [
      [onNode02.ip!, '10.244.0.0/16'],
      [lab.service('web').clusterIPs[0]!, '10.96.0.0/12'],
    ] as const) {
      const r = lab.trace({ from: { external: CLIENT }, to: { ip, port: 80 } });
      expect(r).toMatchObject({ verdict: 'dropped', reason: 'Network is unreachable', icmpError: { from: '203.0.113.1', type: 'net-unreachable' }, forwardings: 0 });
      expect(r.hops.at(-1)).toEqual({
        kind: 'drop',
        at: { node: 'external:192.168.56.1', netns: 'external' },
        action: `the lab router has no route to ${ip} (its table: the node network 192.168.56.0/24 and the routes added on the workstation, e.g. \`sudo ip route add ${suggestion} via <node>\`): ICMP network unreachable`,
      });
    }
  });

  it("the router's own addresses answer a ping and nothing else; other internet hosts are not behind it", () => {
    expect(lab.trace({ from: { external: CLIENT }, to: { ip: '203.0.113.1' }, proto: 'icmp' })).toMatchObject({
      verdict: 'delivered',
      to: { host: 'lab-gateway', ip: '203.0.113.1' },
    });
    expect(lab.trace({ from: { external: CLIENT }, to: { ip: '192.168.56.1', port: 22 } })).toMatchObject({ verdict: 'rejected', reason: 'Connection refused' });
    expect(lab.trace({ from: { external: CLIENT }, to: { ip: '8.8.8.8', port: 53 }, proto: 'udp' }).hops.at(-1)?.action).toBe(
      '8.8.8.8 (dns.google) is on the internet, not behind the lab router: ICMP network unreachable',
    );
  });

  it('with `ip route add 10.96.0.0/12 via node01` on the workstation, a ClusterIP is reached through node01 (KUBE-MARK-MASQ, DNAT, SNAT)', () => {
    const state = withRoute(lab.state, '10.96.0.0/12', node01);
    const clusterIP = lab.service('web').clusterIPs[0]!;
    for (const from of [CLIENT, '192.168.56.1']) {
      const outcomes = Cluster.fromState(state).traceAll({ from: { external: from }, to: { ip: clusterIP, port: 80 } });
      expect(outcomes).toBeMasqueraded();
      expect(outcomes.map((o) => [o.result.to?.pod, o.result.source?.ip]).sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
        [`default/${onNode02.name}`, '10.244.1.0'],
        [`default/${onNode01.name}`, '10.244.1.1'],
      ]);
      for (const { result } of outcomes) {
        expect(result.hops.find((h) => h.kind === 'route' && h.at.node === 'external:192.168.56.1')?.entry).toBe(`10.96.0.0/12 via ${node01} dev eth0`);
        expect(result.hops.some((h) => h.at.node === 'node01' && h.rule?.includes(`! -s 10.244.0.0/16 -d ${clusterIP}/32`) && h.rule.endsWith('-j KUBE-MARK-MASQ'))).toBe(true);
      }
    }
    // Pods stay out of reach without a route of their own.
    expect(Cluster.fromState(state).trace({ from: { external: CLIENT }, to: { ip: onNode02.ip!, port: 80 } })).toBeDropped();
  });

  it('property: on generated clusters every packet from the internet crosses the router as one counted hop, or ends there', () => {
    const clusterAndPackets = arbCluster().chain((c) => fc.tuple(fc.constant(c), fc.array(arbPacket(c, { from: ['internet'] }), { minLength: 1, maxLength: 8 })));
    fc.assert(
      fc.property(clusterAndPackets, ([c, packets]) => {
        expect(checkInvariants(c)).toEqual([]);
        const router = `external:${c.state.config.nodeGateway}`;
        for (const req of packets) {
          const r = c.trace(req);
          if (r.packet.dst.ip === r.packet.src.ip) {
            // A client talking to its own address never leaves its host.
            expect(r.hops.every((h) => h.at.node === `external:${r.packet.src.ip}`)).toBe(true);
            continue;
          }
          expect(r.hops[2]).toMatchObject({ kind: 'wire', at: { node: `external:${r.packet.src.ip}` } });
          const crossed = r.hops.filter((h) => h.kind === 'gateway' && h.at.node === router);
          if (crossed.length === 1) {
            expect(r.hops[3]).toMatchObject({ kind: 'route', at: { node: router } });
            expect(r.forwardings).toBeGreaterThanOrEqual(1);
            if (r.verdict === 'delivered' && !r.to?.host) expect(r.replyTtl).toBe(64 - r.forwardings);
          } else {
            // It never got past the router: dropped or answered there.
            expect(crossed).toEqual([]);
            expect(r.hops.length).toBe(4);
            expect(r.hops[3]!.at.node).toBe(router);
            expect(r.forwardings).toBe(0);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
