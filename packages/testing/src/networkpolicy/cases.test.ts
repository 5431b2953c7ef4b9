// The conformance cases run against the simulator's pure NetworkPolicy evaluator, on objects
// stored by the API server (defaulted: policyTypes, protocol) in a default cluster where the
// model's pods are scheduled and have IPs. Then a property: any subset of the cases' policies
// applied together gets the verdict of a small reference written here from the API reference,
// reading the manifests as written (no API defaulting), so it shares nothing with the evaluator.

import { Cluster, evaluateNetworkPolicy, type Pod, storedPolicies } from '@k8s-netsim/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONFORMANCE_CASES,
  type ConformanceProtocol,
  type ConnectivityJudge,
  conformanceModel,
  judgeCase,
  MODEL_PODS,
  MODEL_PORTS,
  MODEL_PROTOCOLS,
  type ModelLabels,
  type ModelPod,
  podKey,
  resolvePolicies,
} from './cases.js';

const bases = new Map<string, Cluster>();

/** The model applied to a default cluster and settled, one per label variant. */
function base(labels: ModelLabels = {}): Cluster {
  const key = JSON.stringify(labels);
  let c = bases.get(key);
  if (!c) {
    c = Cluster.create().apply(conformanceModel(labels)).settle();
    bases.set(key, c);
  }
  return c;
}

function storedPod(c: Cluster, p: ModelPod): Pod {
  const pod = c.state.pods[p.namespace]?.[p.name];
  if (!pod?.status.podIP) throw new Error(`${podKey(p)} has no IP`);
  return pod;
}

function withPolicies(policies: readonly object[], labels?: ModelLabels): Cluster {
  const c = base(labels);
  const resolved = resolvePolicies(policies, (p) => storedPod(c, p).status.podIP!);
  return resolved.length === 0 ? c : c.apply(resolved);
}

/** The evaluator as a judge, over what the cluster stored. */
function evaluatorJudge(c: Cluster): ConnectivityJudge {
  const world = { policies: storedPolicies(c.state), namespaces: c.state.namespaces };
  return (from, to, port, protocol) => evaluateNetworkPolicy(world, { source: { pod: storedPod(c, from) }, destination: storedPod(c, to), port, protocol }).allowed;
}

describe('NetworkPolicy conformance cases (upstream e2e) against evaluateNetworkPolicy', () => {
  it('has unique names, one table per probe, and covers every protocol', () => {
    expect(new Set(CONFORMANCE_CASES.map((c) => c.name)).size).toBe(CONFORMANCE_CASES.length);
    for (const c of CONFORMANCE_CASES) expect(c.expected).toHaveLength(c.probes.length);
    expect(new Set(CONFORMANCE_CASES.flatMap((c) => c.probes.map((p) => p.protocol)))).toEqual(new Set(MODEL_PROTOCOLS));
    expect(CONFORMANCE_CASES.length).toBeGreaterThanOrEqual(40);
  });

  it('every model pod is running with an IP in the default cluster', () => {
    const c = base();
    for (const p of MODEL_PODS) expect(c.pods({ namespace: p.namespace }).find((i) => i.name === p.name)?.phase).toBe('Running');
    expect(new Set(MODEL_PODS.map((p) => storedPod(c, p).status.podIP)).size).toBe(MODEL_PODS.length);
  });

  // Every case is asserted; none disagreed with the evaluator when written.
  it.each(CONFORMANCE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const cluster = withPolicies(c.policies, c.labels);
    expect(storedPolicies(cluster.state)).toHaveLength(c.policies.length);
    expect(judgeCase(c, evaluatorJudge(cluster))).toEqual([]);
  });

  it('judgeCase reports a wrong judge cell by cell, and can skip loopback', () => {
    const c = CONFORMANCE_CASES.find((k) => k.name === 'default-deny-ingress')!;
    const allowAll: ConnectivityJudge = () => true;
    const m = judgeCase(c, allowAll);
    expect(m).toHaveLength(27); // every source into x's three pods
    expect(m[0]).toEqual({ port: 80, protocol: 'TCP', from: 'x/a', to: 'x/a', expected: false, actual: true });
    expect(judgeCase(c, allowAll, { ignoreLoopback: true })).toHaveLength(24);
  });
});

// ---- the reference: NetworkPolicy semantics read off the manifests as written ----

type Labels = Readonly<Record<string, string>>;
interface RefSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface RefPeer {
  podSelector?: RefSelector;
  namespaceSelector?: RefSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface RefPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface RefPolicy {
  metadata: { name: string; namespace: string };
  spec: {
    podSelector: RefSelector;
    policyTypes?: string[];
    ingress?: { from?: RefPeer[]; ports?: RefPort[] }[];
    egress?: { to?: RefPeer[]; ports?: RefPort[] }[];
  };
}
interface RefPod {
  namespace: string;
  labels: Labels;
  ip: string;
  /** containerPort by "name/protocol". */
  named: Readonly<Record<string, number>>;
}

function selects(s: RefSelector, labels: Labels): boolean {
  const ok = (req: { key: string; operator: string; values?: string[] }) => {
    const has = Object.hasOwn(labels, req.key);
    if (req.operator === 'In') return has && (req.values ?? []).includes(labels[req.key]!);
    if (req.operator === 'NotIn') return !has || !(req.values ?? []).includes(labels[req.key]!);
    if (req.operator === 'Exists') return has;
    if (req.operator === 'DoesNotExist') return !has;
    throw new Error(`operator ${req.operator}`);
  };
  return Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v) && (s.matchExpressions ?? []).every(ok);
}

function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  return Math.floor(ipNumber(ip) / size) === Math.floor(ipNumber(net!) / size);
}

function refPeer(policyNs: string, peer: RefPeer, other: RefPod, nsLabels: (ns: string) => Labels): boolean {
  if (peer.ipBlock) return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((e) => inCidr(other.ip, e));
  const nsOk = peer.namespaceSelector ? selects(peer.namespaceSelector, nsLabels(other.namespace)) : other.namespace === policyNs;
  const podOk = peer.podSelector ? selects(peer.podSelector, other.labels) : true;
  return nsOk && podOk;
}

function refPort(p: RefPort, dst: RefPod, port: number, protocol: string): boolean {
  if ((p.protocol ?? 'TCP') !== protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'string') return dst.named[`${p.port}/${protocol}`] === port;
  return p.endPort === undefined ? port === p.port : port >= p.port && port <= p.endPort;
}

/** Isolated iff some policy of the pod's namespace selects it for the direction; then allowed iff some rule of one of them matches. */
function refDirection(
  policies: readonly RefPolicy[],
  pod: RefPod,
  dir: 'Ingress' | 'Egress',
  other: RefPod,
  dst: RefPod,
  port: number,
  protocol: string,
  nsLabels: (ns: string) => Labels,
): boolean {
  const types = (p: RefPolicy) => p.spec.policyTypes ?? ['Ingress', ...(p.spec.egress ? ['Egress'] : [])];
  const selecting = policies.filter((p) => p.metadata.namespace === pod.namespace && types(p).includes(dir) && selects(p.spec.podSelector, pod.labels));
  if (selecting.length === 0) return true;
  return selecting.some((p) => {
    const rules = dir === 'Ingress' ? (p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
    return rules.some(
      (r) =>
        (!r.peers?.length || r.peers.some((peer) => refPeer(p.metadata.namespace, peer, other, nsLabels))) &&
        (!r.ports?.length || r.ports.some((pp) => refPort(pp, dst, port, protocol))),
    );
  });
}

// Not from upstream (it has no endPort connectivity test): endPort ranges for the property only.
const END_PORT_POLICIES: object[] = [
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'range-80-81-into-y', namespace: 'y' },
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'UDP', port: 80, endPort: 81 }] }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'range-81-90-out-of-z-b', namespace: 'z' },
    spec: { podSelector: { matchLabels: { pod: 'b' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 81, endPort: 90 }] }] },
  },
];

/** Every case's policies, renamed by case so that none overwrites another, plus the endPort ones. */
const POOL: readonly object[] = [
  ...CONFORMANCE_CASES.flatMap((c, i) => (c.policies as RefPolicy[]).map((p) => ({ ...p, metadata: { ...p.metadata, name: `c${i}-${p.metadata.name}` } }))),
  ...END_PORT_POLICIES,
];

describe('any union of the cases’ policies', () => {
  it('gets the reference verdict for every pod pair, port and protocol', () => {
    const c0 = base();
    const refPods = new Map<string, RefPod>(
      MODEL_PODS.map((p) => {
        const pod = storedPod(c0, p);
        const named: Record<string, number> = {};
        for (const ctr of pod.spec.containers) for (const cp of ctr.ports ?? []) if (cp.name) named[`${cp.name}/${cp.protocol}`] = cp.containerPort;
        return [podKey(p), { namespace: p.namespace, labels: pod.metadata.labels ?? {}, ip: pod.status.podIP!, named }];
      }),
    );
    const nsLabels = (ns: string) => c0.state.namespaces[ns]?.metadata.labels ?? {};
    const probes = MODEL_PORTS.flatMap((port) => MODEL_PROTOCOLS.map((protocol) => ({ port, protocol })));
    let isolatedSeen = 0;
    let allowedSeen = 0;
    fc.assert(
      fc.property(fc.subarray([...POOL.keys()], { minLength: 1, maxLength: 8 }), (picked) => {
        const manifests = resolvePolicies(
          picked.map((i) => POOL[i]!),
          (p) => refPods.get(podKey(p))!.ip,
        ) as RefPolicy[];
        const judge = evaluatorJudge(c0.apply(manifests));
        for (const from of MODEL_PODS) {
          for (const to of MODEL_PODS) {
            const src = refPods.get(podKey(from))!;
            const dst = refPods.get(podKey(to))!;
            for (const { port, protocol } of probes) {
              const want =
                refDirection(manifests, dst, 'Ingress', src, dst, port, protocol, nsLabels) && refDirection(manifests, src, 'Egress', dst, dst, port, protocol, nsLabels);
              const got = judge(from, to, port, protocol as ConformanceProtocol);
              if (got !== want) throw new Error(`${podKey(from)} -> ${podKey(to)} ${port}/${protocol}: evaluator ${got}, reference ${want}`);
              if (want) allowedSeen++;
              else isolatedSeen++;
            }
          }
        }
      }),
      // The first run always includes the endPort policies (the last two of the pool).
      { numRuns: 60, examples: [[[POOL.length - 2, POOL.length - 1, 0]]] },
    );
    // Both verdicts actually occurred, so the property compared something on each side.
    expect(isolatedSeen).toBeGreaterThan(0);
    expect(allowedSeen).toBeGreaterThan(0);
  });
});
