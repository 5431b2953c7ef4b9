// fast-check arbitraries of NetworkPolicies as a user writes them, over a small label vocabulary
// so that selectors actually select: pods are labelled `app` ∈ {a, b, c} and sometimes `tier` ∈
// {web, db}; namespaces `team` ∈ {red, blue}. Every value passes the API server's validation
// (ValidateNetworkPolicy): In/NotIn with values, Exists/DoesNotExist without; a peer is an ipBlock
// alone or a pod and/or namespace selector; `except` a strict subset of `cidr`; `endPort` only
// after a numeric port, never below it; named ports IANA service names. `arbPolicyScenario`
// puts namespaces, labelled pods and policies together. Test-only (imports fast-check).

import fc from 'fast-check';
import { toManifests, type KubeObject, type Manifests } from './manifests.js';

/** The pod and namespace labels the policies select on. */
export const POLICY_LABELS = {
  pod: { app: ['a', 'b', 'c'], tier: ['web', 'db'] },
  namespace: { team: ['red', 'blue'] },
} as const;

/** Ports the policies name and the scenarios probe: nginx listens on 80, nothing on 81. */
export const POLICY_PORTS = [80, 81] as const;

/** The named container port every scenario pod declares (80/TCP). */
export const POLICY_PORT_NAME = 'http';

type Vocabulary = Readonly<Record<string, readonly string[]>>;

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/** A label selector over `vocab`: often empty (everything), else matchLabels and/or matchExpressions. */
export function arbLabelSelector(vocab: Vocabulary = POLICY_LABELS.pod): fc.Arbitrary<LabelSelector> {
  const keys = Object.keys(vocab);
  const pair = fc.constantFrom(...keys).chain((k) => fc.constantFrom(...vocab[k]!).map((v) => [k, v] as const));
  const matchLabels = fc.uniqueArray(pair, { minLength: 1, maxLength: 2, selector: ([k]) => k }).map((ps) => Object.fromEntries(ps));
  const expression = fc
    .constantFrom(...keys)
    .chain((key) =>
      fc.oneof(
        fc.record({ key: fc.constant(key), operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.subarray([...vocab[key]!], { minLength: 1 }) }),
        fc.record({ key: fc.constant(key), operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
      ),
    );
  const matchExpressions = fc.array(expression, { minLength: 1, maxLength: 2 });
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 2, arbitrary: fc.constant({}) },
    { weight: 3, arbitrary: matchLabels.map((m) => ({ matchLabels: m })) },
    { weight: 1, arbitrary: matchExpressions.map((e) => ({ matchExpressions: e })) },
    { weight: 1, arbitrary: fc.tuple(matchLabels, matchExpressions).map(([m, e]) => ({ matchLabels: m, matchExpressions: e })) },
  );
}

/** An ipBlock over the lab's pod network 10.244.0.0/16: all of it, everything, or a node's /24 less a /26. */
export function arbIpBlock(): fc.Arbitrary<{ cidr: string; except?: string[] }> {
  return fc.oneof<fc.Arbitrary<{ cidr: string; except?: string[] }>[]>(
    { withCrossShrink: true },
    fc.constant({ cidr: '0.0.0.0/0' }),
    fc.constant({ cidr: '10.244.0.0/16' }),
    fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([n, q]) => ({ cidr: `10.244.${n}.0/24`, except: [`10.244.${n}.${q * 64}/26`] })),
    fc.constant({ cidr: '10.244.0.0/16', except: ['10.244.1.0/24'] }),
  );
}

/** One element of `from`/`to`. */
export function arbNetworkPolicyPeer(): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 4, arbitrary: arbLabelSelector().map((podSelector) => ({ podSelector })) },
    { weight: 2, arbitrary: arbLabelSelector(POLICY_LABELS.namespace).map((namespaceSelector) => ({ namespaceSelector })) },
    {
      weight: 2,
      arbitrary: fc.tuple(arbLabelSelector(POLICY_LABELS.namespace), arbLabelSelector()).map(([namespaceSelector, podSelector]) => ({ namespaceSelector, podSelector })),
    },
    { weight: 1, arbitrary: arbIpBlock().map((ipBlock) => ({ ipBlock })) },
  );
}

/** One element of `ports`: a protocol (sometimes left to default to TCP) and a port, a range, a name or none. */
export function arbNetworkPolicyPort(): fc.Arbitrary<Record<string, unknown>> {
  const protocol = fc.constantFrom(undefined, 'TCP', 'UDP', 'SCTP');
  const port = fc.oneof(
    { withCrossShrink: true },
    fc.constantFrom(...POLICY_PORTS).map((p) => ({ port: p })),
    fc.constant({}),
    fc.constant({ port: POLICY_PORT_NAME }),
    fc.constantFrom(...POLICY_PORTS).chain((p) => fc.integer({ min: p, max: p + 2 }).map((endPort) => ({ port: p, endPort }))),
  );
  return fc.tuple(protocol, port).map(([proto, p]) => ({ ...(proto ? { protocol: proto } : {}), ...p }));
}

function arbRule(peerKey: 'from' | 'to'): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      peers: fc.option(fc.array(arbNetworkPolicyPeer(), { maxLength: 2 }), { nil: undefined }),
      ports: fc.option(fc.array(arbNetworkPolicyPort(), { maxLength: 2 }), { nil: undefined }),
    })
    .map(({ peers, ports }) => ({ ...(peers ? { [peerKey]: peers } : {}), ...(ports ? { ports } : {}) }));
}

export interface NetworkPolicyArbOptions {
  /** Default 'default'. */
  namespace?: string;
  /** Default 'np'. */
  name?: string;
}

/**
 * One networking.k8s.io/v1 NetworkPolicy: a podSelector over the vocabulary, ingress and/or
 * egress rules (absent, `[]` — deny all — or up to two), and policyTypes stated or left to the
 * API server's default (Ingress, plus Egress when there are egress rules).
 */
export function arbNetworkPolicy(opts: NetworkPolicyArbOptions = {}): fc.Arbitrary<KubeObject> {
  const rules = (key: 'from' | 'to') => fc.option(fc.array(arbRule(key), { maxLength: 2 }), { nil: undefined });
  return fc
    .record({
      podSelector: arbLabelSelector(),
      ingress: rules('from'),
      egress: rules('to'),
      types: fc.constantFrom<readonly ('Ingress' | 'Egress')[] | undefined>(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
    })
    .map(({ podSelector, ingress, egress, types }) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: opts.name ?? 'np', namespace: opts.namespace ?? 'default' },
      spec: { podSelector, ...(ingress ? { ingress } : {}), ...(egress ? { egress } : {}), ...(types ? { policyTypes: [...types] } : {}) },
    }));
}

export interface PolicyScenarioOptions {
  /** Namespaces for pods and policies (default ['default', 'other']); each but default gets a Namespace object with a `team` label. */
  namespaces?: readonly string[];
  /** Pods in all (default 2..4). */
  pods?: { min?: number; max?: number };
  /** NetworkPolicies in all (default 0..3). */
  policies?: { min?: number; max?: number };
}

/**
 * Namespaces (labelled from the vocabulary), bare nginx Pods labelled from it (each declaring
 * container port 80/TCP named `http`), and NetworkPolicies over it: ready for `apply`.
 */
export function arbPolicyScenario(opts: PolicyScenarioOptions = {}): fc.Arbitrary<Manifests> {
  const namespaces = opts.namespaces ?? ['default', 'other'];
  const pod = fc.record({
    namespace: fc.constantFrom(...namespaces),
    app: fc.constantFrom(...POLICY_LABELS.pod.app),
    tier: fc.option(fc.constantFrom(...POLICY_LABELS.pod.tier), { nil: undefined }),
  });
  const policy = fc.constantFrom(...namespaces).chain((namespace) => arbNetworkPolicy({ namespace }));
  const teams = fc.array(fc.option(fc.constantFrom(...POLICY_LABELS.namespace.team), { nil: undefined }), { minLength: namespaces.length, maxLength: namespaces.length });
  return fc
    .record({
      teams,
      pods: fc.array(pod, { minLength: opts.pods?.min ?? 2, maxLength: opts.pods?.max ?? 4 }),
      policies: fc.array(policy, { minLength: opts.policies?.min ?? 0, maxLength: opts.policies?.max ?? 3 }),
    })
    .map(({ teams, pods, policies }) => {
      const objects: KubeObject[] = [];
      namespaces.forEach((ns, i) => {
        if (ns === 'default') return;
        const team = teams[i];
        objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, ...(team ? { labels: { team } } : {}) } });
      });
      pods.forEach((p, i) => {
        const labels: Record<string, string> = { app: p.app, ...(p.tier ? { tier: p.tier } : {}) };
        objects.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `pod-${i}`, namespace: p.namespace, labels },
          spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: POLICY_PORT_NAME, containerPort: 80, protocol: 'TCP' }] }] },
        });
      });
      for (const [i, np] of policies.entries()) objects.push({ ...np, metadata: { ...np.metadata, name: `np-${i}` } });
      return toManifests(objects);
    });
}
