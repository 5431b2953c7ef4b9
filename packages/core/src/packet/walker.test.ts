import { describe, expect, it } from 'vitest';
import '@k8s-netsim/testing/vitest';
import fc from 'fast-check';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { deploymentInput, podInput, serviceInput } from '@k8s-netsim/testing';
import { nodeRuleset } from '../dataplane/netfilter/ruleset.js';
import { applyObjects } from '../controllers/transitions.js';
import { listObjects } from '../state/store.js';
import type { Pod } from '../api/types.js';
import { ruleRuns, withLinearWalk } from './netfilter-index.js';
import { NetsimInputError, trace, traceAll, TraceError } from './walker.js';

// Four nginx pods on node01 (pinned), one busybox beside them, one nginx on node02.
const pinned = (name: string, image = 'nginx') => podInput(name, { nodeName: 'node01', image });
const { state } = applyObjects(bootstrapCluster(), [pinned('a'), pinned('b'), pinned('c'), pinned('d'), pinned('client', 'busybox'), podInput('far', { nodeName: 'node02' })]);
const ipOf = (name: string) => state.pods.default![name]!.status.podIP!;

describe('reference walker: same node', () => {
  it("pod → pod over cni0 is delivered with the sender's own address", () => {
    const r = trace(state, { from: { pod: 'client' }, to: { ip: ipOf('a'), port: 80 } });
    expect(r).toBeDelivered();
    expect(r.to).toEqual({ pod: 'default/a', ip: ipOf('a'), port: 80 });
    expect(r.source?.ip).toBe(ipOf('client'));
    expect(r.forwardings).toBe(0);
    // br_netfilter: the bridged frame crosses the host's FORWARD chain (Flannel's ACCEPT).
    expect(r.hops.map((h) => h.kind).filter((k) => k !== 'netfilter')).toEqual(['send', 'route', 'arp', 'veth', 'bridge', 'veth', 'route', 'deliver']);
    expect(r.hops.filter((h) => h.kind === 'netfilter' && h.rule?.includes('flannel')).map((h) => `${h.table} ${h.chain}: ${h.rule}`)).toEqual([
      'filter FORWARD: -A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
      'filter FLANNEL-FWD: -A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
      'nat POSTROUTING: -A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
      'nat FLANNEL-POSTRTG: -A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN',
    ]);
    expect(r.hops[2]?.at).toMatchObject({ pod: 'default/client', iface: 'eth0' });
    expect(r.hops[1]?.entry).toBe(`10.244.1.0/24 dev eth0 proto kernel scope link src ${ipOf('client')}`);
    expect(r.hops.at(-1)?.object).toEqual({ kind: 'Pod', namespace: 'default', name: 'a' });
  });

  it('pod → its own node reaches the kubelet through cni0 and the local table', () => {
    const r = trace(state, { from: { pod: 'client' }, to: { ip: '192.168.56.11', port: 10250 } });
    expect(r).toBeDelivered();
    expect(r.to).toMatchObject({ node: 'node01', port: 10250 });
    expect(r.hops.find((h) => h.kind === 'route' && h.at.netns === 'root')?.entry).toBe('local 192.168.56.11 dev eth0 table local proto kernel scope host src 192.168.56.11');
  });

  it('node → pod leaves from cni0 with the bridge address as source', () => {
    const r = trace(state, { from: { node: 'node01' }, to: { ip: ipOf('b'), port: 80 } });
    expect(r).toBeDelivered();
    expect(r.source?.ip).toBe('10.244.1.1');
    expect(r.hops[1]?.entry).toBe('10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1');
  });

  it('a closed TCP port is refused, a closed UDP port is unreachable', () => {
    expect(trace(state, { from: { pod: 'client' }, to: { ip: ipOf('a'), port: 8080 } })).toMatchObject({ verdict: 'rejected', reason: 'Connection refused' });
    expect(trace(state, { from: { pod: 'client' }, to: { ip: ipOf('a'), port: 53 }, proto: 'udp' })).toMatchObject({ verdict: 'rejected', reason: 'Port unreachable' });
  });

  it('an unused address on the pod subnet gets no ARP reply', () => {
    const r = trace(state, { from: { pod: 'client' }, to: { ip: '10.244.1.200', port: 80 } });
    expect(r).toMatchObject({ verdict: 'dropped', reason: 'No route to host', icmpError: { from: ipOf('client'), type: 'host-unreachable' } });
  });

  it('node → node crosses the node network', () => {
    const r = trace(state, { from: { node: 'node01' }, to: { ip: '192.168.56.10', port: 6443 } });
    expect(r).toBeDelivered();
    expect(r.to).toMatchObject({ node: 'controlplane', port: 6443 });
    expect(r.hops.at(-1)?.object).toMatchObject({ kind: 'Pod', name: 'kube-apiserver-controlplane' });
  });

  it('cross-node pod traffic is VXLAN-encapsulated node IP → node IP on UDP 8472, VNI 1', () => {
    const r = trace(state, { from: { pod: 'client' }, to: { ip: ipOf('far'), port: 80 } });
    expect(r).toBeDelivered();
    expect(r.source?.ip).toBe(ipOf('client')); // pod to pod: no NAT
    const encap = r.hops.filter((h) => h.kind === 'encap');
    expect(encap).toHaveLength(1);
    expect(encap[0]!.action).toMatch(/^VXLAN encapsulation: outer 192\.168\.56\.11:\d+ → 192\.168\.56\.12:8472\/udp, VNI 1; inner 10\.244\.1\.\d+ → 10\.244\.2\.\d+ unchanged$/);
    expect(encap[0]!.entry).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2} dev flannel\.1 dst 192\.168\.56\.12 self permanent$/);
    expect(r.hops.find((h) => h.kind === 'route' && h.at.node === 'node01' && h.at.netns === 'root')?.entry).toBe('10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink');
    expect(r.hops.filter((h) => h.kind === 'decap')).toHaveLength(1);
    expect(r.forwardings).toBe(2);
  });

  it('pod traffic leaving the pod network is masqueraded to the node, then NATed by the gateway', () => {
    const r = trace(state, { from: { pod: 'client' }, to: { ip: '8.8.8.8', port: 53 }, proto: 'udp' });
    expect(r).toBeDelivered();
    expect(r.to).toMatchObject({ host: 'dns.google', ip: '8.8.8.8', port: 53 });
    const masq = r.hops.find((h) => h.rule?.includes('-j MASQUERADE'));
    expect(masq?.rule).toBe('-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully');
    expect(masq?.action).toMatch(/→ 192\.168\.56\.11:\d+ \(address of eth0\)/);
    expect(r.source?.ip).toBe('203.0.113.1');
  });

  it("pod → another node is masqueraded to its own node's IP", () => {
    const r = trace(state, { from: { pod: 'client' }, to: { ip: '192.168.56.12', port: 10250 } });
    expect(r).toMatchObject({ verdict: 'delivered', to: { node: 'node02', port: 10250 }, source: { ip: '192.168.56.11' } });
  });

  it('node → remote pod leaves from flannel.1 with its subnet address, unmasqueraded', () => {
    const r = trace(state, { from: { node: 'node01' }, to: { ip: ipOf('far'), port: 80 } });
    expect(r).toMatchObject({ verdict: 'delivered', source: { ip: '10.244.1.0' } });
  });

  it('an unknown internet address gets no answer; a DF packet over the overlay MTU fails locally', () => {
    expect(trace(state, { from: { pod: 'client' }, to: { ip: '198.51.100.7', port: 443 } })).toMatchObject({ verdict: 'dropped', reason: 'no answer' });
    const big = trace(state, { from: { pod: 'client' }, to: { ip: ipOf('far') }, proto: 'icmp', size: 1500, df: true });
    expect(big).toMatchObject({ verdict: 'dropped', localError: { errno: 'EMSGSIZE', mtu: 1450 } });
    const node = trace(state, { from: { node: 'node01' }, to: { ip: ipOf('far') }, proto: 'icmp', size: 1472, df: true });
    expect(node).toMatchObject({ verdict: 'dropped', localError: { errno: 'EMSGSIZE', mtu: 1450 } });
    expect(trace(state, { from: { node: 'node01' }, to: { ip: ipOf('far') }, proto: 'icmp', size: 1450, df: true })).toBeDelivered();
  });

  it('ICMP echo is answered by any live address', () => {
    expect(trace(state, { from: { pod: 'client' }, to: { ip: ipOf('d') }, proto: 'icmp' })).toBeDelivered();
  });

  it('rejects bad requests clearly', () => {
    expect(() => trace(state, { from: { pod: 'nope' }, to: { ip: '10.0.0.1', port: 1 } })).toThrow(TraceError);
    expect(() => trace(state, { from: { pod: 'nope' }, to: { ip: '10.0.0.1', port: 1 } })).toThrow(NetsimInputError);
    expect(() => trace(state, { from: { node: 'node01' }, to: { ip: '10.0.0.300', port: 1 } })).toThrow(
      'request.to.ip: Invalid value: "10.0.0.300": must be an IPv4 address (dotted quad, e.g. "10.96.0.10")',
    );
    expect(() => trace(state, { from: { node: 'node01' }, to: { ip: '10.0.0.1' } })).toThrow('request.to.port: Required value: tcp needs a destination port from 1 to 65535');
  });
});

describe('reference walker: br_netfilter and DNAT to a pod behind the same bridge', () => {
  // With bridge-nf-call-iptables=1, PREROUTING runs on the frame in bridge context; a DNAT whose new
  // destination routes out of cni0 again is bridged, not routed (br_nf_pre_routing_finish).
  const { state: svcs } = applyObjects(state, [
    serviceInput('on-a', { run: 'a' }, [{ port: 80, nodePort: 30090 }], { type: 'NodePort' }),
    serviceInput('on-far', { run: 'far' }, [{ port: 80 }]),
  ]);
  const vip = (name: string) => svcs.services.default![name]!.spec.clusterIP!;

  it('pod → ClusterIP, endpoint on the same node: bridged, TTL unchanged, FORWARD and POSTROUTING still run', () => {
    const r = trace(svcs, { from: { pod: 'client' }, to: { ip: vip('on-a'), port: 80 } });
    expect(r).toBeDelivered();
    expect(r.to).toEqual({ pod: 'default/a', ip: ipOf('a'), port: 80 });
    expect(r.source?.ip).toBe(ipOf('client'));
    expect(r.forwardings).toBe(0);
    expect(r.replyTtl).toBe(64);
    expect(r.hops.some((h) => h.kind === 'forward')).toBe(false);
    expect(r.hops.map((h) => h.kind).filter((k) => k !== 'netfilter')).toEqual([
      'send',
      'route',
      'arp',
      'veth',
      'route',
      'bridge',
      'arp',
      'bridge',
      'veth',
      'route',
      'deliver',
      'conntrack',
    ]);
    const bridged = r.hops.find((h) => h.kind === 'bridge')!;
    expect(bridged).toMatchObject({ at: { node: 'node01', netns: 'root', iface: 'cni0' } });
    expect(bridged.action).toBe(`the DNAT-ed frame stays on cni0: ${ipOf('a')} routes out of the same bridge, so br_netfilter bridges it without routing (TTL unchanged)`);
    // DNAT in PREROUTING, then the bridge's FORWARD and POST_ROUTING hooks run iptables (in and out cni0).
    const chains = r.hops.filter((h) => h.kind === 'netfilter').map((h) => `${h.table} ${h.chain}`);
    expect(chains.indexOf('filter FORWARD')).toBeGreaterThan(chains.findIndex((c) => c.startsWith('nat KUBE-SEP-')));
    expect(chains).toContain('nat POSTROUTING');
    expect(r.hops.find((h) => h.rule?.startsWith('-A FLANNEL-FWD'))?.rule).toBe('-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT');
  });

  it("pod → its own node's NodePort, endpoint on that node: bridged too (masqueraded to cni0)", () => {
    const r = trace(svcs, { from: { pod: 'client' }, to: { ip: '192.168.56.11', port: 30090 } });
    expect(r).toMatchObject({ verdict: 'delivered', to: { pod: 'default/a' }, source: { ip: '10.244.1.1' }, forwardings: 0, replyTtl: 64 });
  });

  it('endpoint on another node: routed as before, each node forwards (TTL−1 twice)', () => {
    const r = trace(svcs, { from: { pod: 'client' }, to: { ip: vip('on-far'), port: 80 } });
    expect(r).toMatchObject({ verdict: 'delivered', to: { pod: 'default/far' }, source: { ip: ipOf('client') }, forwardings: 2, replyTtl: 62 });
    expect(r.hops.filter((h) => h.kind === 'forward').map((h) => h.action)).toEqual([
      'node node01 forwards from cni0 to flannel.1 (TTL−1)',
      'node node02 forwards from flannel.1 to cni0 (TTL−1)',
    ]);
    expect(r.hops.find((h) => h.kind === 'bridge')?.action).toBe("frame addressed to the bridge itself: up to the node's IP stack");
  });

  it('hairpin on: a pod reaches itself through its Service, masqueraded to the cni0 address', () => {
    const r = trace(svcs, { from: { pod: 'a' }, to: { ip: vip('on-a'), port: 80 } });
    expect(r).toMatchObject({ verdict: 'delivered', to: { pod: 'default/a', port: 80 }, source: { ip: '10.244.1.1' }, forwardings: 0, replyTtl: 64 });
    expect(r.hops.find((h) => h.kind === 'bridge' && h.action.startsWith('cni0 forwards'))?.action).toMatch(/^cni0 forwards to port veth[0-9a-f]{8}$/);
  });

  it('hairpin off: the bridge will not send the frame back out of its port, and drops it silently', () => {
    const { state: off } = applyObjects(bootstrapCluster({ hairpinMode: false }), [pinned('a'), pinned('client', 'busybox'), serviceInput('on-a', { run: 'a' }, [{ port: 80 }])]);
    const ip = off.services.default!['on-a']!.spec.clusterIP!;
    const r = trace(off, { from: { pod: 'a' }, to: { ip, port: 80 } });
    expect(r.verdict).toBe('dropped');
    expect(r.icmpError).toBeUndefined();
    expect(r.forwardings).toBe(0);
    const last = r.hops.at(-1)!;
    expect(last).toMatchObject({ kind: 'drop', at: { node: 'node01', iface: 'cni0' } });
    expect(last.action).toMatch(/^the frame's destination is behind veth[0-9a-f]{8}, the port it came in on, and hairpin is off on that port: cni0 drops it$/);
    expect(r.reason).toMatch(/^hairpin off on bridge port veth[0-9a-f]{8}$/);
    // FORWARD never runs: should_deliver refuses the port first.
    expect(r.hops.some((h) => h.chain === 'FORWARD')).toBe(false);
    // Another pod on the node still gets there.
    expect(trace(off, { from: { pod: 'client' }, to: { ip, port: 80 } })).toMatchObject({ verdict: 'delivered', forwardings: 0 });
  });
});

describe('reference walker: properties', () => {
  const big = applyObjects(bootstrapCluster(), [deploymentInput('web', 10)]).state;
  const web = (listObjects(big, 'Pod', 'default') as Pod[]).filter((p) => p.status.podIP);

  it('any pod reaches nginx on any pod, seen from its own IP', () => {
    fc.assert(
      fc.property(fc.nat(web.length - 1), fc.nat(web.length - 1), (i, j) => {
        const a = web[i]!;
        const b = web[j]!;
        const r = trace(big, { from: { pod: `default/${a.metadata.name}` }, to: { ip: b.status.podIP!, port: 80 } });
        expect(r).toBeDelivered();
        expect(r.to?.pod).toBe(`default/${b.metadata.name}`);
        expect(r.source?.ip).toBe(a.status.podIP);
      }),
      { numRuns: 100 },
    );
  });

  it('every node reaches every pod on itself', () => {
    for (const p of web) {
      const r = trace(big, { from: { node: p.spec.nodeName! }, to: { ip: p.status.podIP!, port: 80 } });
      expect(r).toBeDelivered();
    }
  });
});

describe('reference walker: chain index', () => {
  // Enough Services for kube-proxy's KUBE-SERVICES to be indexed, of every kind the walker meets:
  // with and without endpoints, NodePorts on TCP and UDP, Local policy, client
  // affinity, two ports.
  const { state: lab } = applyObjects(bootstrapCluster(), [
    deploymentInput('web', 3),
    deploymentInput('api', 2, 'nginx'),
    podInput('client', { nodeName: 'node01', image: 'busybox' }),
    serviceInput('web', { app: 'web' }, [{ port: 80, nodePort: 30080 }], { type: 'NodePort' }),
    serviceInput('web-local', { app: 'web' }, [{ port: 80, nodePort: 30081 }], { type: 'NodePort', externalTrafficPolicy: 'Local' }),
    serviceInput(
      'api',
      { app: 'api' },
      [
        { port: 80, name: 'http' },
        { port: 53, protocol: 'UDP', name: 'dns' },
      ],
      { sessionAffinity: 'ClientIP' },
    ),
    serviceInput('empty', { app: 'none' }, [{ port: 8080 }]),
    serviceInput('empty2', { app: 'none' }, [{ port: 9090 }]),
    serviceInput(
      'api-np',
      { app: 'api' },
      [
        { port: 80, nodePort: 30082, name: 'http' },
        { port: 53, nodePort: 30084, protocol: 'UDP', name: 'dns' },
      ],
      { type: 'NodePort' },
    ),
    serviceInput('empty-np', { app: 'none' }, [{ port: 80, nodePort: 30083 }], { type: 'NodePort' }),
  ]);
  const svcIPs = Object.values(lab.services.default ?? {})
    .map((s) => s.spec.clusterIP!)
    .filter((ip) => ip !== 'None');
  const podIPs = (listObjects(lab, 'Pod', 'default') as Pod[]).map((p) => p.status.podIP!).filter(Boolean);
  // Every Service address and port (and ports it lacks), NodePorts, pods.
  const targets = [
    ...svcIPs.flatMap((ip) => [80, 53, 443, 8080, 9090, 81].map((port) => ({ ip, port }))),
    ...['192.168.56.10', '192.168.56.11', '192.168.56.12'].flatMap((ip) => [30080, 30081, 30082, 30083, 30084, 10250].map((port) => ({ ip, port }))),
    ...podIPs.map((ip) => ({ ip, port: 80 })),
  ];
  const sources: ({ pod: string } | { node: string } | { external: string })[] = [
    { pod: 'client' },
    { node: 'node01' },
    { node: 'node02' },
    { node: 'controlplane' },
    { external: '192.168.56.1' },
  ];

  it("indexes this cluster's KUBE-SERVICES and KUBE-NODEPORTS", () => {
    const nat = nodeRuleset(lab, 'node01').tables.find((t) => t.name === 'nat')!;
    const services = nat.chains.find((c) => c.name === 'KUBE-SERVICES')!;
    expect(ruleRuns(services).some((r) => r.on === 'dst' && r.rules.size >= 5)).toBe(true);
    const nodePorts = nat.chains.find((c) => c.name === 'KUBE-NODEPORTS')!;
    expect(ruleRuns(nodePorts).some((r) => r.on === 'dport' && r.rules.size >= 4)).toBe(true);
  });

  it("property: a trace does not depend on the traces before it (kube-proxy rules shared by nodes jump into each node's own chains)", () => {
    // NodePorts entered on each node, Local policy among them: each answer is taken first on a
    // copy of the lab of its own, where no earlier trace compiled or cached anything.
    const requests = ['192.168.56.10', '192.168.56.11', '192.168.56.12'].flatMap((ip) =>
      [30080, 30081, 30082].flatMap((port) => [{ external: '192.168.56.1' }, { node: 'node01' }].map((from) => ({ from, to: { ip, port } }))),
    );
    const alone = requests.map((req) => JSON.stringify(trace(JSON.parse(JSON.stringify(lab)), req)));
    expect(new Set(alone.map((t) => JSON.parse(t).verdict)).size).toBeGreaterThan(1);
    fc.assert(
      fc.property(fc.array(fc.nat(requests.length - 1), { minLength: 2, maxLength: 12 }), (order) => {
        const copy = JSON.parse(JSON.stringify(lab));
        for (const i of order) expect(JSON.stringify(trace(copy, requests[i]!))).toBe(alone[i]);
      }),
      { numRuns: 40 },
    );
  });

  it('traces every packet exactly as the linear walk does, every possible path included', () => {
    for (const from of sources) {
      for (const to of targets) {
        for (const proto of ['tcp', 'udp', 'icmp'] as const) {
          const req = { from, to, proto };
          expect(JSON.stringify(trace(lab, req))).toBe(JSON.stringify(withLinearWalk(() => trace(lab, req))));
          expect(JSON.stringify(traceAll(lab, req))).toBe(JSON.stringify(withLinearWalk(() => traceAll(lab, req))));
        }
      }
    }
  });
});
