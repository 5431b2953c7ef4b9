// The fast path against the reference walker: for random clusters and packets, every supported
// answer must be one of traceAll's outcomes, and the outcomes over choices spread across [0,1)
// must be exactly traceAll's, with the same shares.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { arbCluster, arbPacket, deploymentInput, podInput, serviceInput } from '@k8s-netsim/testing';
import { nodeInternalIP } from '../state/queries.js';
import { ipToString, parseIPv4 } from '../net/ipv4.js';
import { advanceClock, applyObjects, deleteObject, scaleObject } from '../controllers/transitions.js';
import type { ObjectInput } from '../apiserver/storage.js';
import type { Service } from '../api/types.js';
import type { ClusterState } from '../state/types.js';
import type { Proto, TraceRequest, TraceResult } from './types.js';
import { changeWorkstationRoutes } from '../dataplane/workstation.js';
import { TraceError, traceAll, trace } from './walker.js';
import {
  buildFastPath,
  compileFastPath,
  PROTO_ICMP,
  PROTO_SCTP,
  PROTO_TCP,
  PROTO_UDP,
  REASON_CONNECTION_REFUSED,
  ResolveOut,
  VERDICT_DELIVERED,
  VERDICT_DROPPED,
  VERDICT_REJECTED,
  VERDICT_UNSUPPORTED,
  type FastPath,
  type SourceSpec,
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

const protoCode = (p: Proto): number => (p === 'tcp' ? PROTO_TCP : p === 'udp' ? PROTO_UDP : p === 'sctp' ? PROTO_SCTP : PROTO_ICMP);

interface Counters {
  supported: number;
  unsupported: number;
}

/** Compare one packet; returns whether the fast path answered it. */
function check(state: ClusterState, req: TraceRequest, counters: Counters): void {
  let outcomes: ReturnType<typeof traceAll>;
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
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  etp: 'Cluster' | 'Local';
  itp: 'Cluster' | 'Local';
  affinity: boolean;
  /** An externalIP on the node network (modelled), off it (declined), or one every such Service claims (declined while shared). */
  externalIP: 'none' | 'node-network' | 'elsewhere' | 'shared';
  protocol: 'TCP' | 'UDP';
  targetPort: number;
}

const svcArb: fc.Arbitrary<SvcSpec> = fc.record({
  replicas: fc.integer({ min: 0, max: 4 }),
  type: fc.constantFrom('ClusterIP' as const, 'NodePort' as const, 'LoadBalancer' as const),
  etp: fc.constantFrom('Cluster' as const, 'Local' as const),
  itp: fc.constantFrom('Cluster' as const, 'Cluster' as const, 'Local' as const),
  affinity: fc.boolean(),
  externalIP: fc.constantFrom('none' as const, 'none' as const, 'node-network' as const, 'elsewhere' as const, 'shared' as const),
  protocol: fc.constantFrom('TCP' as const, 'TCP' as const, 'UDP' as const),
  // nginx listens on 80; 8080 has no listener (refused / port unreachable).
  targetPort: fc.constantFrom(80, 80, 8080),
});

function serviceFor(s: SvcSpec, i: number): ObjectInput {
  // Services sharing an externalIP also share a port, so their claims on it collide.
  const port = s.externalIP === 'shared' ? 8000 : 80 + i;
  const svc = serviceInput(`svc${i}`, { app: `app${i}` }, [{ port, targetPort: s.targetPort, protocol: s.protocol }], {
    type: s.type,
    internalTrafficPolicy: s.itp,
    sessionAffinity: s.affinity ? 'ClientIP' : 'None',
    ...(s.type !== 'ClusterIP' ? { externalTrafficPolicy: s.etp } : {}),
  });
  if (s.externalIP === 'none') return svc;
  const ip = s.externalIP === 'node-network' ? `192.168.56.${200 + i}` : s.externalIP === 'shared' ? '192.168.56.199' : `203.0.113.${10 + i}`;
  return { ...svc, spec: { ...svc.spec, externalIPs: [ip], ...(s.type === 'ClusterIP' ? { externalTrafficPolicy: s.etp } : {}) } } as ObjectInput;
}

function buildCluster(workers: number, svcs: SvcSpec[], hairpinMode = true): ClusterState {
  const objs: ObjectInput[] = [podInput('client', { nodeName: 'node01', image: 'busybox' })];
  svcs.forEach((s, i) => {
    objs.push(deploymentInput(`app${i}`, s.replicas));
    objs.push(serviceFor(s, i));
  });
  // MetalLB assigns LoadBalancer addresses a moment after the Service appears.
  return advanceClock(applyObjects(bootstrapCluster({ nodes: 1 + workers, ...(hairpinMode ? {} : { hairpinMode }) }), objs).state, 3000);
}

const KINDS = [
  'pod-pod',
  'pod-clusterip',
  'node-clusterip',
  'node-nodeport',
  'external-nodeport',
  'hairpin',
  'wrong-port',
  'icmp-clusterip',
  'icmp-pod',
  'unknown-pod',
  'node-pod',
  'itp-local-clusterip',
  'affinity-clusterip',
  'pod-lb',
  'node-lb',
  'external-lb',
  'external-lb-etp-local',
  'pod-externalip',
  'node-externalip',
  'external-externalip',
  'no-endpoints-lb',
] as const;

/** A packet picked by small integers from what the cluster has. */
interface PacketPick {
  kind: (typeof KINDS)[number];
  a: number;
  b: number;
  c: number;
}

const pickArb: fc.Arbitrary<PacketPick> = fc.record({ kind: fc.constantFrom(...KINDS), a: fc.nat(), b: fc.nat(), c: fc.nat() });

function packetFor(state: ClusterState, pk: PacketPick): TraceRequest | undefined {
  const at = <T>(xs: T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);
  const pods = Object.values(state.pods.default ?? {}).filter((p) => p.status.podIP && !p.spec.hostNetwork);
  const all = Object.values(state.services.default ?? {}).filter((s) => s.metadata.name.startsWith('svc'));
  const lbIP = (s: Service) => s.status.loadBalancer.ingress?.[0]?.ip;
  const hasEndpoints = (s: Service) =>
    Object.values(state.endpointSlices.default ?? {}).some((sl) => sl.metadata.labels?.['kubernetes.io/service-name'] === s.metadata.name && sl.endpoints.length > 0);
  const svcs =
    pk.kind === 'itp-local-clusterip'
      ? all.filter((s) => s.spec.internalTrafficPolicy === 'Local')
      : pk.kind === 'affinity-clusterip'
        ? all.filter((s) => s.spec.sessionAffinity === 'ClientIP')
        : ['pod-lb', 'node-lb', 'external-lb', 'external-lb-etp-local', 'no-endpoints-lb'].includes(pk.kind)
          ? all.filter((s) => lbIP(s) && (pk.kind !== 'external-lb-etp-local' || s.spec.externalTrafficPolicy === 'Local') && (pk.kind !== 'no-endpoints-lb' || !hasEndpoints(s)))
          : pk.kind.endsWith('-externalip')
            ? all.filter((s) => s.spec.externalIPs?.length)
            : all;
  const nodes = state.nodeOrder;
  const nodeIPs = nodes.map((n) => nodeInternalIP(state.nodes[n]!)!);
  const pod = at(pods, pk.a);
  const svc = at(svcs, pk.b);
  const port = svc?.spec.ports?.[0];
  const proto: Proto = port?.protocol === 'UDP' ? 'udp' : 'tcp';
  const node = at(nodes, pk.a)!;
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
      return { from: { node }, to: { ip: dst.status.podIP!, port: 80 }, proto: pk.c % 2 ? 'icmp' : 'tcp' };
    }
    case 'unknown-pod': {
      const dst = `10.244.${pk.b % 6}.${200 + (pk.c % 50)}`;
      return pod ? { from: { pod: pod.metadata.name }, to: { ip: dst, port: 80 } } : { from: { node }, to: { ip: dst, port: 80 } };
    }
    case 'pod-clusterip':
    case 'affinity-clusterip':
      if (!pod || !svc || !port) return undefined;
      return { from: { pod: pod.metadata.name }, to: { ip: svc.spec.clusterIP!, port: port.port }, proto };
    case 'itp-local-clusterip':
      if (!svc || !port) return undefined;
      return { from: pod && pk.c % 3 ? { pod: pod.metadata.name } : { node }, to: { ip: svc.spec.clusterIP!, port: port.port }, proto };
    case 'hairpin': {
      if (!svc || !port) return undefined;
      const sel = svc.spec.selector?.app;
      const own = pods.filter((p) => p.metadata.labels?.app === sel);
      const p = at(own, pk.a);
      if (!p) return undefined;
      const to = pk.c % 2 && lbIP(svc) ? lbIP(svc)! : svc.spec.clusterIP!;
      return { from: { pod: p.metadata.name }, to: { ip: to, port: port.port }, proto };
    }
    case 'node-clusterip':
      if (!svc || !port) return undefined;
      return { from: { node }, to: { ip: svc.spec.clusterIP!, port: port.port }, proto };
    case 'wrong-port':
      if (!svc || !port) return undefined;
      return pod
        ? { from: { pod: pod.metadata.name }, to: { ip: svc.spec.clusterIP!, port: port.port + 1000 }, proto }
        : { from: { node }, to: { ip: svc.spec.clusterIP!, port: port.port + 1000 }, proto };
    case 'icmp-clusterip':
      if (!svc) return undefined;
      return { from: pod ? { pod: pod.metadata.name } : { node }, to: { ip: svc.spec.clusterIP! }, proto: 'icmp' };
    case 'node-nodeport':
      if (!port?.nodePort) return undefined;
      return { from: { node }, to: { ip: at(nodeIPs, pk.c)!, port: port.nodePort }, proto };
    case 'external-nodeport':
      if (!port?.nodePort) return undefined;
      return { from: { external: '192.168.56.1' }, to: { ip: at(nodeIPs, pk.c)!, port: port.nodePort }, proto };
    case 'pod-lb':
      if (!pod || !svc || !port) return undefined;
      return { from: { pod: pod.metadata.name }, to: { ip: lbIP(svc)!, port: port.port }, proto };
    case 'node-lb':
      if (!svc || !port) return undefined;
      return { from: { node }, to: { ip: lbIP(svc)!, port: port.port }, proto };
    case 'external-lb':
    case 'external-lb-etp-local':
      if (!svc || !port) return undefined;
      return { from: { external: pk.c % 2 ? '192.168.56.1' : '192.168.56.77' }, to: { ip: lbIP(svc)!, port: port.port }, proto };
    case 'no-endpoints-lb':
      if (!svc || !port) return undefined;
      return {
        from: pk.c % 3 === 0 ? { external: '192.168.56.1' } : pk.c % 3 === 1 ? { node } : pod ? { pod: pod.metadata.name } : { node },
        to: { ip: lbIP(svc)!, port: port.port },
        proto,
      };
    case 'pod-externalip':
      if (!pod || !svc || !port) return undefined;
      return { from: { pod: pod.metadata.name }, to: { ip: svc.spec.externalIPs![0]!, port: port.port }, proto };
    case 'node-externalip':
      if (!svc || !port) return undefined;
      return { from: { node }, to: { ip: svc.spec.externalIPs![0]!, port: port.port }, proto };
    case 'external-externalip':
      if (!svc || !port) return undefined;
      return { from: { external: '192.168.56.1' }, to: { ip: svc.spec.externalIPs![0]!, port: port.port }, proto };
  }
}

const EVERY_KIND_OF_SERVICE: SvcSpec[] = [
  { replicas: 2, type: 'LoadBalancer', etp: 'Local', itp: 'Cluster', affinity: false, externalIP: 'node-network', protocol: 'TCP', targetPort: 80 },
  { replicas: 0, type: 'LoadBalancer', etp: 'Cluster', itp: 'Cluster', affinity: false, externalIP: 'none', protocol: 'UDP', targetPort: 80 },
  { replicas: 3, type: 'NodePort', etp: 'Cluster', itp: 'Local', affinity: true, externalIP: 'elsewhere', protocol: 'TCP', targetPort: 80 },
];

describe('fast path vs the reference walker', () => {
  it('agrees with traceAll on random clusters and packets (differential)', () => {
    const counters: Counters = { supported: 0, unsupported: 0 };
    const kinds = new Set<string>();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(svcArb, { minLength: 1, maxLength: 3 }),
        fc.array(pickArb, { minLength: 1, maxLength: 12 }),
        // The pods' bridge ports: hairpin on (the lab's) or off (a pod cannot reach itself via its Service).
        fc.constantFrom(true, false),
        (workers, svcs, picks, hairpin) => {
          const state = buildCluster(workers, svcs, hairpin);
          for (const pk of picks) {
            const req = packetFor(state, pk);
            if (!req) continue;
            const before = counters.supported;
            check(state, req, counters);
            if (counters.supported > before) kinds.add(pk.kind);
          }
        },
      ),
      // One lab that has every kind of service, so every packet kind is drawn on every run; hairpin off and on.
      {
        numRuns: 100,
        examples: [false, true].map((hairpin): [number, SvcSpec[], PacketPick[], boolean] => [
          2,
          EVERY_KIND_OF_SERVICE,
          KINDS.flatMap((kind) => [0, 1, 2].map((c) => ({ kind, a: c, b: 0, c }))),
          hairpin,
        ]),
      },
    );
    // Proves the fast path ran (and answered) rather than declining everything.
    expect(counters.supported).toBeGreaterThan(0);
    expect([...KINDS].filter((k) => !kinds.has(k))).toEqual([]);
  });

  it("agrees with traceAll on the kit's generated clusters and packets (every Service type, Ingresses, host-gw)", () => {
    const counters: Counters = { supported: 0, unsupported: 0 };
    const clusterAndPackets = arbCluster().chain((c) => fc.tuple(fc.constant(c), fc.array(arbPacket(c), { minLength: 1, maxLength: 12 })));
    fc.assert(
      fc.property(clusterAndPackets, ([c, packets]) => {
        for (const req of packets) check(c.state, req, counters);
      }),
      { numRuns: 60 },
    );
    // The fast path declines what it does not model (ICMP, the lab host, unowned addresses, …); what it answers must agree.
    expect(counters.supported).toBeGreaterThan(0);
  });

  it('declines SCTP everywhere, so it never disagrees with the walker about it', () => {
    const counters: Counters = { supported: 0, unsupported: 0 };
    const clusterAndPackets = arbCluster().chain((c) => fc.tuple(fc.constant(c), fc.array(arbPacket(c, { proto: ['sctp'] }), { minLength: 1, maxLength: 8 })));
    fc.assert(
      fc.property(clusterAndPackets, ([c, packets]) => {
        for (const req of packets) check(c.state, req, counters);
      }),
      { numRuns: 15 },
    );
    expect(counters.supported).toBe(0);
    expect(counters.unsupported).toBeGreaterThan(0);
  });

  it('covers the named cases on a fixed lab', () => {
    const plain = { itp: 'Cluster', affinity: false, externalIP: 'none', protocol: 'TCP', targetPort: 80 } as const;
    const state = buildCluster(2, [
      { ...plain, replicas: 2, type: 'NodePort', etp: 'Cluster' },
      { ...plain, replicas: 1, type: 'NodePort', etp: 'Local' },
      { ...plain, replicas: 0, type: 'ClusterIP', etp: 'Cluster' },
      { ...plain, replicas: 2, type: 'LoadBalancer', etp: 'Local', affinity: true, externalIP: 'node-network' },
      { ...plain, replicas: 1, type: 'ClusterIP', etp: 'Cluster', itp: 'Local' },
    ]);
    const fp = compileFastPath(state);
    expect(fp.supported).toBe(true);
    expect(compileFastPath(state)).toBe(fp);
    const counters: Counters = { supported: 0, unsupported: 0 };
    const svc = (n: string) => state.services.default![n]!;
    const nodeIPs = state.nodeOrder.map((n) => nodeInternalIP(state.nodes[n]!)!);
    const lbIP = svc('svc3').status.loadBalancer.ingress![0]!.ip!;
    const reqs: TraceRequest[] = [
      { from: { pod: 'client' }, to: { ip: svc('svc0').spec.clusterIP!, port: 80 } },
      { from: { pod: 'client' }, to: { ip: svc('svc2').spec.clusterIP!, port: 82 } },
      { from: { pod: 'client' }, to: { ip: svc('svc0').spec.clusterIP! }, proto: 'icmp' },
      { from: { node: 'controlplane' }, to: { ip: svc('svc0').spec.clusterIP!, port: 80 } },
      // LoadBalancer + ETP Local + ClientIP affinity, from outside, from a pod, from a node; its externalIP.
      { from: { external: '192.168.56.1' }, to: { ip: lbIP, port: 83 } },
      { from: { pod: 'client' }, to: { ip: lbIP, port: 83 } },
      { from: { node: 'controlplane' }, to: { ip: lbIP, port: 83 } },
      { from: { external: '192.168.56.1' }, to: { ip: '192.168.56.203', port: 83 } },
      { from: { pod: 'client' }, to: { ip: svc('svc3').spec.clusterIP!, port: 83 } },
      // ITP Local: only the sending node's endpoints.
      ...state.nodeOrder.map((node) => ({ from: { node }, to: { ip: svc('svc4').spec.clusterIP!, port: 84 } })),
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
    // With the bridge port's hairpin flag off, the bridge drops it (as the walker does).
    const off = buildCluster(2, [{ ...plain, replicas: 1, type: 'NodePort', etp: 'Local' }], false);
    const offSelf = Object.values(off.pods.default!).find((p) => p.metadata.labels?.app === 'app0')!;
    const offFp = compileFastPath(off);
    const offIP = off.services.default!.svc0!.spec.clusterIP!;
    expect(offFp.resolve(offFp.sourceOf({ pod: offSelf.metadata.name }), parseIPv4(offIP), 80, PROTO_TCP, 0.5, out)).toBe(VERDICT_DROPPED);
    expect(trace(off, { from: { pod: offSelf.metadata.name }, to: { ip: offIP, port: 80 } })).toMatchObject({ verdict: 'dropped', forwardings: 0 });
    expect(offFp.resolve(offFp.sourceOf({ pod: 'client' }), parseIPv4(offIP), 80, PROTO_TCP, 0.5, out)).toBe(VERDICT_DELIVERED);
    // From outside, ETP Local keeps the client's address.
    expect(fp.resolve(fp.sourceOf({ external: '192.168.56.1' }), parseIPv4(lbIP), 83, PROTO_TCP, 0.5, out)).toBe(VERDICT_DELIVERED);
    expect(ipToString(out.srcIP)).toBe('192.168.56.1');
    // Not modelled: declined, never guessed.
    expect(fp.resolve(fp.sourceOf({ external: '192.168.56.1' }), parseIPv4(lbIP), 83, PROTO_ICMP, 0.5, out)).toBe(VERDICT_UNSUPPORTED);
    expect(fp.resolve(fp.sourceOf({ external: '192.168.56.1' }), parseIPv4(lbIP), 9999, PROTO_TCP, 0.5, out)).toBe(VERDICT_UNSUPPORTED);
    expect(fp.resolve(fp.sourceOf({ pod: 'client' }), parseIPv4(nodeIPs[0]!), 22, PROTO_TCP, 0.5, out)).toBe(VERDICT_UNSUPPORTED);
    expect(fp.sourceOf({ pod: 'no-such-pod' })).toBe(-1);
    expect(fp.resolve(-1, parseIPv4(svc('svc0').spec.clusterIP!), 80, PROTO_TCP, 0.5, out)).toBe(VERDICT_UNSUPPORTED);
  });

  it('declines clients on the internet, and the workstation once the student added routes (the walker answers them)', () => {
    const state = buildCluster(2, EVERY_KIND_OF_SERVICE, true);
    const svc = (n: string) => state.services.default![n]!;
    const nodeIPs = state.nodeOrder.map((n) => nodeInternalIP(state.nodes[n]!)!);
    const pod = Object.values(state.pods.default!).find((p) => p.metadata.labels?.app === 'app2')!;
    const targets = (s: ClusterState): TraceRequest['to'][] => [
      ...nodeIPs.map((ip) => ({ ip, port: s.services.default!.svc2!.spec.ports![0]!.nodePort! })),
      { ip: svc('svc0').status.loadBalancer.ingress![0]!.ip!, port: 80 },
      { ip: svc('svc0').spec.externalIPs![0]!, port: 80 },
      { ip: svc('svc2').spec.externalIPs![0]!, port: 82 },
      { ip: svc('svc2').spec.clusterIP!, port: 82 },
      { ip: pod.status.podIP!, port: 80 },
    ];
    const internet = ['203.0.113.2', '198.51.100.7', '8.8.8.8'].flatMap((external) => targets(state).map((to): TraceRequest => ({ from: { external }, to })));
    const counters: Counters = { supported: 0, unsupported: 0 };
    for (const r of internet) check(state, r, counters);
    expect(counters).toEqual({ supported: 0, unsupported: internet.length });
    expect(internet.map((r) => trace(state, r).verdict)).toContain('delivered');

    // The workstation is modelled until it has routes of its own; the cache follows them.
    const ws = { external: '192.168.56.1' };
    expect(compileFastPath(state).sourceOf(ws)).toBeGreaterThanOrEqual(0);
    const added = changeWorkstationRoutes(state, 'add', { dst: parseIPv4('10.96.0.0'), prefixLen: 12, via: parseIPv4(nodeIPs[1]!) });
    const routed = 'state' in added ? added.state : state;
    expect(routed.nodeAgents).toBe(state.nodeAgents);
    expect(compileFastPath(routed).sourceOf(ws)).toBe(-1);
    expect(compileFastPath(state).update(routed).sourceOf(ws)).toBe(-1);
    const fromWorkstation = targets(routed).map((to): TraceRequest => ({ from: ws, to }));
    const after: Counters = { supported: 0, unsupported: 0 };
    for (const r of fromWorkstation) check(routed, r, after);
    expect(after).toEqual({ supported: 0, unsupported: fromWorkstation.length });
    expect(trace(routed, { from: ws, to: { ip: svc('svc2').spec.clusterIP!, port: 82 } }).verdict).toBe('delivered');
  });
});

// ---------------------------------------------------------------------------------------------
// Incremental update: a patched index answers exactly like a fresh compile of the same state.

type Change =
  | { op: 'scale'; svc: number; replicas: number }
  | { op: 'add-service'; spec: SvcSpec }
  | { op: 'remove-service'; svc: number }
  | { op: 'delete-pod'; pod: number }
  | { op: 'tick' };

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ op: fc.constant('scale' as const), svc: fc.nat(), replicas: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ op: fc.constant('add-service' as const), spec: svcArb }),
  fc.record({ op: fc.constant('remove-service' as const), svc: fc.nat() }),
  fc.record({ op: fc.constant('delete-pod' as const), pod: fc.nat() }),
  fc.record({ op: fc.constant('tick' as const) }),
);

function applyChange(state: ClusterState, ch: Change, added: number): ClusterState | undefined {
  const apps = Object.keys(state.deployments.default ?? {})
    .filter((n) => n.startsWith('app'))
    .sort();
  const svcs = Object.keys(state.services.default ?? {})
    .filter((n) => n.startsWith('svc'))
    .sort();
  const pods = Object.keys(state.pods.default ?? {})
    .filter((n) => n.startsWith('app'))
    .sort();
  switch (ch.op) {
    case 'scale':
      return apps.length ? scaleObject(state, 'Deployment', 'default', apps[ch.svc % apps.length]!, ch.replicas) : undefined;
    case 'add-service': {
      // A new deployment and its service, numbered past every earlier one (ports stay distinct).
      const i = 10 + added;
      return applyObjects(state, [deploymentInput(`app${i}`, ch.spec.replicas), serviceFor(ch.spec, i)]).state;
    }
    case 'remove-service':
      return svcs.length ? deleteObject(state, 'Service', 'default', svcs[ch.svc % svcs.length]!) : undefined;
    case 'delete-pod':
      return pods.length ? deleteObject(state, 'Pod', 'default', pods[ch.pod % pods.length]!) : undefined;
    case 'tick':
      return advanceClock(state, 3000);
  }
}

/** Every source against every address the cluster has: pods, ClusterIPs, LB IPs, externalIPs, NodePorts. */
function sweep(state: ClusterState): { from: SourceSpec; ip: string; port: number; proto: number }[] {
  const pods = Object.values(state.pods.default ?? {}).filter((p) => p.status.podIP && !p.spec.hostNetwork);
  const nodeIPs = state.nodeOrder.map((n) => nodeInternalIP(state.nodes[n]!)!);
  const sources: SourceSpec[] = [...pods.map((p) => ({ pod: p.metadata.name })), ...state.nodeOrder.map((node) => ({ node })), { external: '192.168.56.1' }];
  const dests: { ip: string; port: number; proto: number }[] = pods.flatMap((p) => [
    { ip: p.status.podIP!, port: 80, proto: PROTO_TCP },
    { ip: p.status.podIP!, port: 0, proto: PROTO_ICMP },
  ]);
  for (const svc of Object.values(state.services.default ?? {})) {
    for (const port of svc.spec.ports ?? []) {
      const proto = port.protocol === 'UDP' ? PROTO_UDP : PROTO_TCP;
      const ips = [svc.spec.clusterIP!, ...(svc.status.loadBalancer.ingress ?? []).map((i) => i.ip!), ...(svc.spec.externalIPs ?? [])];
      for (const ip of ips) dests.push({ ip, port: port.port, proto });
      if (port.nodePort) for (const ip of nodeIPs) dests.push({ ip, port: port.nodePort, proto });
    }
  }
  return sources.flatMap((from) => dests.map((d) => ({ from, ...d })));
}

function answers(fp: FastPath, q: { from: SourceSpec; ip: string; port: number; proto: number }): string[] {
  const out = new ResolveOut();
  const src = fp.sourceOf(q.from);
  const seen: string[] = [];
  for (let i = 0; i < 16; i++) {
    fp.resolve(src, parseIPv4(q.ip), q.port, q.proto, (i + 0.5) / 16, out);
    const sp = out.servicePort >= 0 ? fp.servicePort(out.servicePort) : undefined;
    seen.push(`${fastKey(fp, out, q.proto)} via ${sp ? `${sp.namespace}/${sp.name}:${sp.port}/${sp.protocol}` : '-'}`);
  }
  return seen;
}

describe('fast path incremental update', () => {
  it('answers exactly like a fresh compile after random scale / add service / remove service / delete pod sequences', () => {
    let patched = 0;
    let steps = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(svcArb, { minLength: 1, maxLength: 3 }),
        fc.array(changeArb, { minLength: 1, maxLength: 6 }),
        (workers, svcs, changes) => {
          let state = buildCluster(workers, svcs);
          let fp = compileFastPath(state);
          let added = 0;
          for (const ch of changes) {
            const next = applyChange(state, ch, added);
            if (ch.op === 'add-service') added++;
            if (!next) continue;
            const before = fp;
            fp = fp.update(next);
            steps++;
            if (fp.origin === 'patched') patched++;
            if (fp !== before) {
              // The receiver is retired: it declines everything rather than answer for the old state.
              expect(before.supported).toBe(false);
              expect(before.resolve(0, 0, 80, PROTO_TCP, 0.5, new ResolveOut())).toBe(VERDICT_UNSUPPORTED);
            }
            expect(compileFastPath(next)).toBe(fp);
            const fresh = buildFastPath(next);
            expect(fp.supported).toBe(fresh.supported);
            for (const q of sweep(next)) expect(answers(fp, q), JSON.stringify(q)).toEqual(answers(fresh, q));
            state = next;
          }
        },
      ),
      {
        numRuns: 60,
        // Two Services colliding on one externalIP:port, one removed (the other's claim must come
        // back), one added back, then the usual churn.
        examples: [
          [
            1,
            [EVERY_KIND_OF_SERVICE[0]!, { ...EVERY_KIND_OF_SERVICE[2]!, externalIP: 'shared' }, { ...EVERY_KIND_OF_SERVICE[0]!, externalIP: 'shared' }],
            [
              { op: 'remove-service', svc: 1 },
              { op: 'add-service', spec: { ...EVERY_KIND_OF_SERVICE[1]!, externalIP: 'shared' } },
              { op: 'scale', svc: 0, replicas: 0 },
              { op: 'delete-pod', pod: 0 },
              { op: 'tick' },
            ],
          ],
        ],
      },
    );
    // Proves the patch ran rather than falling back to a full compile every time.
    if (process.env.FASTPATH_BENCH === '1') console.log({ patched, steps });
    expect(patched).toBeGreaterThan(steps / 2);
  });

  it('re-derives the service ports that list a pod when only the pod changed (its image: what listens)', () => {
    const state = buildCluster(1, [{ replicas: 2, type: 'NodePort', etp: 'Cluster', itp: 'Cluster', affinity: false, externalIP: 'none', protocol: 'TCP', targetPort: 80 }]);
    const [name, pod] = Object.entries(state.pods.default!).find(([, p]) => p.metadata.labels?.app === 'app0')!;
    // As `kubectl set image pod/…` would leave it: same pod, same sandbox, same EndpointSlice.
    const busybox = { ...pod, spec: { ...pod.spec, containers: pod.spec.containers.map((c) => ({ ...c, image: 'busybox' })) } };
    const next: ClusterState = { ...state, pods: { ...state.pods, default: { ...state.pods.default, [name]: busybox } } };
    const fp = compileFastPath(state).update(next);
    expect(fp.origin).toBe('patched');
    const fresh = buildFastPath(next);
    for (const q of sweep(next)) expect(answers(fp, q), JSON.stringify(q)).toEqual(answers(fresh, q));
    const all = sweep(next).filter((q) => 'pod' in q.from && q.from.pod === 'client' && q.ip === state.services.default!.svc0!.spec.clusterIP);
    expect(all.flatMap((q) => answers(fp, q)).some((a) => a.startsWith('rejected'))).toBe(true);
  });

  it('scaling one deployment re-derives only its service: the others keep their entries', () => {
    const spec = { type: 'ClusterIP', etp: 'Cluster', itp: 'Cluster', affinity: false, externalIP: 'none', protocol: 'TCP', targetPort: 80 } as const;
    const state = buildCluster(2, [
      { ...spec, replicas: 2 },
      { ...spec, replicas: 2 },
    ]);
    const out = new ResolveOut();
    const via = (fp: FastPath, svc: string) => {
      const s = state.services.default![svc]!;
      fp.resolve(fp.sourceOf({ pod: 'client' }), parseIPv4(s.spec.clusterIP!), s.spec.ports![0]!.port, PROTO_TCP, 0.5, out);
      return { index: out.servicePort, port: fp.servicePort(out.servicePort) };
    };
    const fp = buildFastPath(state);
    const before = [via(fp, 'svc0'), via(fp, 'svc1')];
    const next = fp.update(scaleObject(state, 'Deployment', 'default', 'app1', 3));
    expect(next.origin).toBe('patched');
    const after = [via(next, 'svc0'), via(next, 'svc1')];
    expect(after[0]).toEqual(before[0]);
    expect(after[0]!.port).toBe(before[0]!.port);
    expect(after[1]!.index).not.toBe(before[1]!.index);
    expect(after[1]!.port.endpoints).toHaveLength(3);
  });
});
