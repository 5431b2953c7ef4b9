// SCTP: kube-proxy's `-p sctp -m sctp` rules DNAT it like TCP and UDP; a socket takes it only in
// a container that declares an SCTP containerPort; a closed port answers the INIT with an ABORT.

import { describe, expect, it } from 'vitest';
import '@k8s-netsim/testing/vitest';
import { Cluster } from '../cluster/cluster.js';
import { parseIPv4 } from '../net/ipv4.js';
import { buildFastPath, PROTO_SCTP, ResolveOut, VERDICT_UNSUPPORTED } from './fastpath.js';
import { NetsimInputError } from './request.js';
import { trace, traceAll } from './walker.js';

const cluster = Cluster.create().apply(`
apiVersion: v1
kind: Pod
metadata: { name: server, labels: { app: sctp } }
spec:
  nodeName: node02
  containers:
  - { name: diameter, image: busybox, command: [sleep, '3600'], ports: [{ containerPort: 3868, protocol: SCTP }, { containerPort: 3869, protocol: TCP }] }
---
apiVersion: v1
kind: Pod
metadata: { name: web, labels: { app: web } }
spec: { nodeName: node02, containers: [{ name: web, image: nginx }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client }
spec: { nodeName: node01, containers: [{ name: c, image: busybox, command: [sleep, '3600'] }] }
---
apiVersion: v1
kind: Service
metadata: { name: diameter }
spec:
  selector: { app: sctp }
  ports:
  - { name: sctp, port: 3868, protocol: SCTP }
  - { name: closed, port: 4000, targetPort: 3869, protocol: SCTP }
---
apiVersion: v1
kind: Service
metadata: { name: web-sctp }
spec:
  selector: { app: web }
  ports: [{ port: 80, protocol: SCTP }]
---
apiVersion: v1
kind: Service
metadata: { name: nobody }
spec:
  selector: { app: nobody }
  ports: [{ port: 3868, protocol: SCTP }]
---
apiVersion: v1
kind: Service
metadata: { name: diameter-np }
spec:
  type: NodePort
  selector: { app: sctp }
  ports: [{ port: 3868, protocol: SCTP, nodePort: 30868 }]
`);
const vip = (name: string) => cluster.service(name).clusterIPs[0]!;
const serverIP = cluster.pods().find((p) => p.name === 'server')!.ip!;

describe('SCTP', () => {
  it('a ClusterIP Service DNATs it (-p sctp -m sctp) to a pod that declares the SCTP containerPort: delivered', () => {
    const t = cluster.trace({ from: { pod: 'client' }, to: { ip: vip('diameter'), port: 3868 }, proto: 'sctp' });
    expect(t).toBeDelivered();
    expect(t).toMatchObject({ proto: 'sctp', to: { pod: 'default/server', ip: serverIP, port: 3868 } });
    const rules = t.hops.filter((h) => h.kind === 'netfilter').map((h) => h.rule!);
    expect(rules.some((r) => r.startsWith('-A KUBE-SERVICES') && r.includes('-p sctp') && r.includes('-m sctp --dport 3868'))).toBe(true);
    expect(t.hops.find((h) => h.action.startsWith('DNAT'))?.action).toBe(`DNAT: destination ${vip('diameter')}:3868 → ${serverIP}:3868`);
    expect(t.hops.at(-2)?.action).toBe(`SCTP ${serverIP}:3868 accepted by diameter in pod default/server`);
    // The reply comes back from the ClusterIP, as conntrack un-NATs it.
    expect(t.reply?.src).toEqual({ ip: vip('diameter'), port: 3868 });
    expect(traceAll(cluster.state, { from: { pod: 'client' }, to: { ip: vip('diameter'), port: 3868 }, proto: 'sctp' })).toBeDelivered();
  });

  it('to a port nobody listens on with SCTP: the kernel answers the INIT with an ABORT, Connection refused', () => {
    // 3869 is declared, but for TCP.
    const t = cluster.trace({ from: { pod: 'client' }, to: { ip: vip('diameter'), port: 4000 }, proto: 'sctp' });
    expect(t).toMatchObject({ verdict: 'rejected', reason: 'Connection refused' });
    expect(t.hops.at(-1)).toMatchObject({ kind: 'reject', action: 'nothing listens on SCTP port 3869: the kernel answers the INIT with an ABORT' });
    expect(t.icmpError).toBeUndefined();
    // nginx binds TCP 80 only.
    expect(cluster.trace({ from: { pod: 'client' }, to: { ip: vip('web-sctp'), port: 80 }, proto: 'sctp' })).toMatchObject({ verdict: 'rejected', reason: 'Connection refused' });
    // Straight to the pod: the same.
    expect(cluster.trace({ from: { node: 'node01' }, to: { ip: serverIP, port: 3869 }, proto: 'sctp' })).toMatchObject({ verdict: 'rejected', reason: 'Connection refused' });
    expect(cluster.trace({ from: { node: 'node01' }, to: { ip: serverIP, port: 3869 }, proto: 'tcp' })).toBeDelivered();
  });

  it('only -p sctp rules match it: TCP to an SCTP-only Service port matches no rule, SCTP to a TCP one neither', () => {
    const tcp = cluster.trace({ from: { pod: 'client' }, to: { ip: vip('diameter'), port: 3868 }, proto: 'tcp' });
    expect(tcp.verdict).toBe('dropped');
    expect(tcp.hops.some((h) => h.action.startsWith('DNAT'))).toBe(false);
    const dns = cluster.trace({ from: { pod: 'client' }, to: { ip: '10.96.0.10', port: 53 }, proto: 'sctp' });
    expect(dns.verdict).toBe('dropped');
    expect(dns.hops.some((h) => h.action.startsWith('DNAT'))).toBe(false);
  });

  it("a Service without endpoints REJECTs it with ICMP port unreachable; the node's own INIT is not an EPERM send (SCTP retransmits it)", () => {
    const fromPod = cluster.trace({ from: { pod: 'client' }, to: { ip: vip('nobody'), port: 3868 }, proto: 'sctp' });
    expect(fromPod).toMatchObject({ verdict: 'rejected', reason: 'Port unreachable', icmpError: { type: 'port-unreachable' } });
    expect(fromPod.hops.some((h) => h.rule?.includes('-p sctp') && h.rule.includes('-j REJECT'))).toBe(true);
    const fromNode = trace(cluster.state, { from: { node: 'node01' }, to: { ip: vip('nobody'), port: 3868 }, proto: 'sctp' });
    expect(fromNode).toMatchObject({ verdict: 'rejected', reason: 'Port unreachable' });
    expect(fromNode.localError).toBeUndefined();
  });

  it('a NodePort from outside: MASQUERADE rewrites the source address and, --random-fully, its port, as for TCP and UDP', () => {
    const outcomes = traceAll(cluster.state, { from: { external: '192.168.56.1' }, to: { ip: '192.168.56.11', port: 30868 }, proto: 'sctp', sport: 40000 });
    for (const { result: t } of outcomes) {
      expect(t).toBeDelivered();
      expect(t.to?.pod).toBe('default/server');
      expect(t.source?.ip).not.toBe('192.168.56.1');
      const masq = t.hops.find((h) => h.action.startsWith('MASQUERADE'))!;
      expect(masq.rule).toContain('--random-fully');
      expect(t.source?.port).not.toBe(40000);
    }
  });

  it('the fast path does not model it: unsupported, never a guess', () => {
    const fp = buildFastPath(cluster.state);
    const out = new ResolveOut();
    expect(fp.supported).toBe(true);
    expect(fp.resolve(fp.sourceOf({ pod: 'client' }), parseIPv4(vip('diameter')), 3868, PROTO_SCTP, 0.5, out)).toBe(VERDICT_UNSUPPORTED);
  });

  it('is a trace request protocol; anything else is refused with the supported values', () => {
    expect(() => cluster.trace({ from: { pod: 'client' }, to: { ip: vip('diameter') }, proto: 'sctp' })).toThrow(
      'request.to.port: Required value: sctp needs a destination port from 1 to 65535',
    );
    expect(() => cluster.trace({ from: { pod: 'client' }, to: { ip: vip('diameter'), port: 1 }, proto: 'SCTP' as never })).toThrow(NetsimInputError);
    expect(() => cluster.trace({ from: { pod: 'client' }, to: { ip: vip('diameter'), port: 1 }, proto: 'dccp' as never })).toThrow(
      'request.proto: Unsupported value: "dccp": supported values: "tcp", "udp", "icmp", "sctp"',
    );
  });
});
