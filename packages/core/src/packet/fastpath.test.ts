// The fast path against the reference walker: for random clusters and packets, every supported
// answer must be one of traceAll's outcomes, and the outcomes over choices spread across [0,1)
// must be exactly traceAll's, with the same shares.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { deploymentInput, podInput, serviceInput } from '../controllers/test-fixtures.js';
import { nodeInternalIP } from '../controllers/kubelet.js';
import { ipToString, parseIPv4 } from '../net/ipv4.js';
import { applyObjects, type ObjectInput } from '../state/transitions.js';
import type { ClusterState } from '../state/types.js';
import type { Proto, TraceRequest, TraceResult } from './types.js';
import { TraceError, traceAll, trace } from './walker.js';
import {
  compileFastPath,
  PROTO_ICMP,
  PROTO_TCP,
  PROTO_UDP,
  REASON_CONNECTION_REFUSED,
  ResolveOut,
  VERDICT_DELIVERED,
  VERDICT_DROPPED,
  VERDICT_REJECTED,
  VERDICT_UNSUPPORTED,
  type FastPath,
} from './fastpath.js';

const CHOICES = 64;

function walkerKey(r: TraceResult): string {
  if (r.verdict === 'dropped') return 'dropped';
  if (r.verdict === 'rejected') return `rejected ${r.reason}`;
  const encap = r.hops.some((h) => h.kind === 'encap') ? 1 : 0;
  return `delivered ${r.to?.pod ?? '-'} ${r.to?.ip}:${r.to?.port ?? '-'} from ${r.source?.ip} encap=${encap}`;
}

function fastKey(fp: FastPath, o: ResolveOut, proto: number): string {
  if (o.verdict === VERDICT_DROPPED) return 'dropped';
  if (o.verdict === VERDICT_REJECTED) return `rejected ${o.reason === REASON_CONNECTION_REFUSED ? 'Connection refused' : 'Port unreachable'}`;
  if (o.verdict === VERDICT_DELIVERED) {
    return `delivered ${o.pod >= 0 ? fp.podKey(o.pod) : '-'} ${ipToString(o.dstIP)}:${proto === PROTO_ICMP ? '-' : o.dport} from ${ipToString(o.srcIP)} encap=${o.encap}`;
  }
  return 'unsupported';
}

const protoCode = (p: Proto): number => (p === 'tcp' ? PROTO_TCP : p === 'udp' ? PROTO_UDP : PROTO_ICMP);

interface Counters {
  supported: number;
  unsupported: number;
}

/** Compare one packet; returns whether the fast path answered it. */
function check(state: ClusterState, req: TraceRequest, counters: Counters): void {
  let outcomes;
  try {
    outcomes = traceAll(state, req);
  } catch (e) {
    if (e instanceof TraceError) return;
    throw e;
  }
  const fp = compileFastPath(state);
  const src = fp.sourceOf(req.from);
  const proto = req.proto ?? 'tcp';
  const out = new ResolveOut();
  const fast = new Map<string, number>();
  let unsupported = 0;
  for (let i = 0; i < CHOICES; i++) {
    const v = fp.resolve(src, parseIPv4(req.to.ip), req.to.port ?? 0, protoCode(proto), (i + 0.5) / CHOICES, out);
    expect(v).toBe(out.verdict);
    if (v === VERDICT_UNSUPPORTED) {
      unsupported++;
      continue;
    }
    const k = fastKey(fp, out, protoCode(proto));
    fast.set(k, (fast.get(k) ?? 0) + 1 / CHOICES);
  }
  // A packet is either modelled or not, whatever the endpoint draw.
  expect(unsupported === 0 || unsupported === CHOICES, JSON.stringify(req)).toBe(true);
  if (unsupported) {
    counters.unsupported++;
    return;
  }
  counters.supported++;
  const walker = new Map<string, number>();
  for (const o of outcomes) walker.set(walkerKey(o.result), (walker.get(walkerKey(o.result)) ?? 0) + o.probability);
  const ctx = JSON.stringify(req);
  expect([...fast.keys()].sort(), ctx).toEqual([...walker.keys()].sort());
  // Shares: 64 evenly spaced choices resolve each share to within 1/64.
  for (const [k, p] of walker) expect(Math.abs((fast.get(k) ?? 0) - p), `${ctx} ${k}`).toBeLessThanOrEqual(1 / CHOICES + 1e-9);
}

interface SvcSpec {
  replicas: number;
  type: 'ClusterIP' | 'NodePort';
  etp: 'Cluster' | 'Local';
  protocol: 'TCP' | 'UDP';
  targetPort: number;
}

const svcArb: fc.Arbitrary<SvcSpec> = fc.record({
  replicas: fc.integer({ min: 0, max: 4 }),
  type: fc.constantFrom('ClusterIP' as const, 'NodePort' as const),
  etp: fc.constantFrom('Cluster' as const, 'Local' as const),
  protocol: fc.constantFrom('TCP' as const, 'TCP' as const, 'UDP' as const),
  // nginx listens on 80; 8080 has no listener (refused / port unreachable).
  targetPort: fc.constantFrom(80, 80, 8080),
});

function buildCluster(workers: number, svcs: SvcSpec[]): ClusterState {
  const objs: ObjectInput[] = [podInput('client', { nodeName: 'node01', image: 'busybox' })];
  svcs.forEach((s, i) => {
    objs.push(deploymentInput(`app${i}`, s.replicas));
    objs.push(
      serviceInput(`svc${i}`, { app: `app${i}` }, [{ port: 80 + i, targetPort: s.targetPort, protocol: s.protocol }], {
        type: s.type,
        ...(s.type === 'NodePort' ? { externalTrafficPolicy: s.etp } : {}),
      }),
    );
  });
  return applyObjects(bootstrapCluster({ nodes: 1 + workers }), objs).state;
}

/** A packet picked by small integers from what the cluster has. */
interface PacketPick {
  kind: 'pod-pod' | 'pod-clusterip' | 'node-clusterip' | 'node-nodeport' | 'external-nodeport' | 'hairpin' | 'wrong-port' | 'icmp-clusterip' | 'icmp-pod' | 'unknown-pod' | 'node-pod';
  a: number;
  b: number;
  c: number;
}

const pickArb: fc.Arbitrary<PacketPick> = fc.record({
  kind: fc.constantFrom('pod-pod', 'pod-clusterip', 'node-clusterip', 'node-nodeport', 'external-nodeport', 'hairpin', 'wrong-port', 'icmp-clusterip', 'icmp-pod', 'unknown-pod', 'node-pod'),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
});

function packetFor(state: ClusterState, pk: PacketPick): TraceRequest | undefined {
  const at = <T,>(xs: T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);
  const pods = Object.values(state.pods.default ?? {}).filter((p) => p.status.podIP && !p.spec.hostNetwork);
  const svcs = Object.values(state.services.default ?? {}).filter((s) => s.metadata.name.startsWith('svc'));
  const nodes = state.nodeOrder;
  const nodeIPs = nodes.map((n) => nodeInternalIP(state.nodes[n]!)!);
  const pod = at(pods, pk.a);
  const svc = at(svcs, pk.b);
  const port = svc?.spec.ports?.[0];
  const proto: Proto = port?.protocol === 'UDP' ? 'udp' : 'tcp';
  switch (pk.kind) {
    case 'pod-pod': {
      const dst = at(pods, pk.b);
      if (!pod || !dst) return undefined;
      return { from: { pod: pod.metadata.name }, to: { ip: dst.status.podIP!, port: pk.c % 2 ? 80 : 8080 }, proto: pk.c % 3 === 0 ? 'udp' : 'tcp' };
    }
    case 'icmp-pod': {
      const dst = at(pods, pk.b);
      if (!pod || !dst) return undefined;
      return { from: { pod: pod.metadata.name }, to: { ip: dst.status.podIP! }, proto: 'icmp' };
    }
    case 'node-pod': {
      const dst = at(pods, pk.b);
      if (!dst) return undefined;
      return { from: { node: at(nodes, pk.a)! }, to: { ip: dst.status.podIP!, port: 80 }, proto: pk.c % 2 ? 'icmp' : 'tcp' };
    }
    case 'unknown-pod': {
      const dst = `10.244.${pk.b % 6}.${200 + (pk.c % 50)}`;
      return pod ? { from: { pod: pod.metadata.name }, to: { ip: dst, port: 80 } } : { from: { node: at(nodes, pk.a)! }, to: { ip: dst, port: 80 } };
    }
    case 'pod-clusterip':
      if (!pod || !svc || !port) return undefined;
      return { from: { pod: pod.metadata.name }, to: { ip: svc.spec.clusterIP!, port: port.port }, proto };
    case 'hairpin': {
      if (!svc || !port) return undefined;
      const sel = svc.spec.selector?.app;
      const own = pods.filter((p) => p.metadata.labels?.app === sel);
      const p = at(own, pk.a);
      if (!p) return undefined;
      return { from: { pod: p.metadata.name }, to: { ip: svc.spec.clusterIP!, port: port.port }, proto };
    }
    case 'node-clusterip':
      if (!svc || !port) return undefined;
      return { from: { node: at(nodes, pk.a)! }, to: { ip: svc.spec.clusterIP!, port: port.port }, proto };
    case 'wrong-port':
      if (!svc || !port) return undefined;
      return pod
        ? { from: { pod: pod.metadata.name }, to: { ip: svc.spec.clusterIP!, port: port.port + 1000 }, proto }
        : { from: { node: at(nodes, pk.a)! }, to: { ip: svc.spec.clusterIP!, port: port.port + 1000 }, proto };
    case 'icmp-clusterip':
      if (!svc) return undefined;
      return { from: pod ? { pod: pod.metadata.name } : { node: at(nodes, pk.a)! }, to: { ip: svc.spec.clusterIP! }, proto: 'icmp' };
    case 'node-nodeport':
      if (!port?.nodePort) return undefined;
      return { from: { node: at(nodes, pk.a)! }, to: { ip: at(nodeIPs, pk.c)!, port: port.nodePort }, proto };
    case 'external-nodeport':
      if (!port?.nodePort) return undefined;
      return { from: { external: '192.168.56.1' }, to: { ip: at(nodeIPs, pk.c)!, port: port.nodePort }, proto };
  }
}

describe('fast path vs the reference walker', () => {
  it('agrees with traceAll on random clusters and packets (differential)', () => {
    const counters: Counters = { supported: 0, unsupported: 0 };
    const kinds = new Set<string>();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(svcArb, { minLength: 1, maxLength: 3 }), fc.array(pickArb, { minLength: 1, maxLength: 12 }), (workers, svcs, picks) => {
        const state = buildCluster(workers, svcs);
        for (const pk of picks) {
          const req = packetFor(state, pk);
          if (!req) continue;
          const before = counters.supported;
          check(state, req, counters);
          if (counters.supported > before) kinds.add(pk.kind);
        }
      }),
      { numRuns: 100 },
    );
    // Proves the fast path ran (and answered) rather than declining everything.
    expect(counters.supported).toBeGreaterThan(0);
    expect(kinds.size).toBeGreaterThan(5);
    if (process.env.FASTPATH_BENCH === "1") console.log(counters, [...kinds]);
  });

  it('covers the named cases on a fixed lab', () => {
    const state = buildCluster(2, [
      { replicas: 2, type: 'NodePort', etp: 'Cluster', protocol: 'TCP', targetPort: 80 },
      { replicas: 1, type: 'NodePort', etp: 'Local', protocol: 'TCP', targetPort: 80 },
      { replicas: 0, type: 'ClusterIP', etp: 'Cluster', protocol: 'TCP', targetPort: 80 },
    ]);
    const fp = compileFastPath(state);
    expect(fp.supported).toBe(true);
    expect(compileFastPath(state)).toBe(fp);
    const counters: Counters = { supported: 0, unsupported: 0 };
    const svc = (n: string) => state.services.default![n]!;
    const nodeIPs = state.nodeOrder.map((n) => nodeInternalIP(state.nodes[n]!)!);
    const reqs: TraceRequest[] = [
      { from: { pod: 'client' }, to: { ip: svc('svc0').spec.clusterIP!, port: 80 } },
      { from: { pod: 'client' }, to: { ip: svc('svc2').spec.clusterIP!, port: 82 } },
      { from: { pod: 'client' }, to: { ip: svc('svc0').spec.clusterIP! }, proto: 'icmp' },
      { from: { node: 'controlplane' }, to: { ip: svc('svc0').spec.clusterIP!, port: 80 } },
      ...nodeIPs.flatMap((ip) => [
        { from: { external: '192.168.56.1' }, to: { ip, port: svc('svc0').spec.ports![0]!.nodePort! } },
        { from: { external: '192.168.56.1' }, to: { ip, port: svc('svc1').spec.ports![0]!.nodePort! } },
        { from: { node: 'node01' }, to: { ip, port: svc('svc1').spec.ports![0]!.nodePort! } },
      ]),
    ];
    for (const r of reqs) check(state, r, counters);
    expect(counters.unsupported).toBe(0);
    // A pod reaching itself through its service is masqueraded to its node's cni0 address.
    const self = Object.values(state.pods.default!).find((p) => p.metadata.labels?.app === 'app1')!;
    const out = new ResolveOut();
    expect(fp.resolve(fp.sourceOf({ pod: self.metadata.name }), parseIPv4(svc('svc1').spec.clusterIP!), 81, PROTO_TCP, 0.5, out)).toBe(VERDICT_DELIVERED);
    expect(ipToString(out.srcIP)).toBe(trace(state, { from: { pod: self.metadata.name }, to: { ip: svc('svc1').spec.clusterIP!, port: 81 } }).source?.ip);
    expect(ipToString(out.srcIP)).toMatch(/^10\.244\.\d+\.1$/);
    // Not modelled: declined, never guessed.
    const lb = Object.values(state.services['ingress-nginx'] ?? {}).flatMap((x) => x.status.loadBalancer.ingress ?? [])[0]?.ip;
    if (lb) expect(fp.resolve(fp.sourceOf({ external: '192.168.56.1' }), parseIPv4(lb), 80, PROTO_TCP, 0.5, out)).toBe(VERDICT_UNSUPPORTED);
    expect(fp.resolve(fp.sourceOf({ pod: 'client' }), parseIPv4(nodeIPs[0]!), 22, PROTO_TCP, 0.5, out)).toBe(VERDICT_UNSUPPORTED);
    expect(fp.sourceOf({ pod: 'no-such-pod' })).toBe(-1);
    expect(fp.resolve(-1, parseIPv4(svc('svc0').spec.clusterIP!), 80, PROTO_TCP, 0.5, out)).toBe(VERDICT_UNSUPPORTED);
  });

  // Throughput (not a correctness test): FASTPATH_BENCH=1 npx vitest run packages/core/src/packet/fastpath
  it.runIf(process.env.FASTPATH_BENCH === '1')('throughput vs the walker (default lab, 100 services)', () => {
    const objs: ObjectInput[] = [podInput('client', { nodeName: 'node01', image: 'busybox' })];
    for (let i = 0; i < 100; i++) {
      objs.push(deploymentInput(`app${i}`, 2));
      objs.push(serviceInput(`svc${i}`, { app: `app${i}` }, [{ port: 80 }], { type: 'NodePort' }));
    }
    const state = applyObjects(bootstrapCluster(), objs).state;
    const svcs = Array.from({ length: 100 }, (_, i) => state.services.default![`svc${i}`]!);
    const reqs: TraceRequest[] = svcs.map((s) => ({ from: { pod: 'client' }, to: { ip: s.spec.clusterIP!, port: 80 } }));
    trace(state, reqs[0]!);
    let t = performance.now();
    let n = 0;
    while (performance.now() - t < 1000) for (const r of reqs.slice(0, 20)) (trace(state, r), n++);
    const walkerRate = n / ((performance.now() - t) / 1000);
    const fp = compileFastPath(state);
    const src = fp.sourceOf({ pod: 'client' });
    const vips = Uint32Array.from(svcs.map((s) => parseIPv4(s.spec.clusterIP!)));
    const out = new ResolveOut();
    let delivered = 0;
    t = performance.now();
    let m = 0;
    while (performance.now() - t < 1000) {
      for (let k = 0; k < 100_000; k++) {
        if (fp.resolve(src, vips[k % 100]!, 80, PROTO_TCP, (k % 997) / 997, out) === VERDICT_DELIVERED) delivered++;
      }
      m += 100_000;
    }
    const fastRate = m / ((performance.now() - t) / 1000);
    expect(delivered).toBe(m);
    console.log(`walker ${walkerRate.toFixed(0)} traces/s, fast path ${fastRate.toFixed(0)} resolutions/s, ratio ${(fastRate / walkerRate).toFixed(0)}x`);
  });
});
