// NetworkPolicy conformance cases translated from the upstream e2e suite
// (kubernetes/kubernetes, test/e2e/network/netpol/network_policy.go), as data: the policies each
// test creates, the ports and protocols it probes, and the truth table it expects, built with the
// same ExpectPeer / ExpectAllIngress / ExpectAllEgress / Expect calls from the same start.
//
// Over the full model (model.ts: x, y, z × a, b, c). Recent upstream runs each test on a subset of
// those pods; the calls are the same, so the tables here are those calls applied to all nine.
// A test that changes something mid-way (updates a policy, relabels a pod or namespace, deletes
// policies) becomes one case per step, named "(step N)", each with the state at that step.
//
// Not covered here: upstream has no connectivity test for `endPort` (its only endPort e2e is the
// API round trip in network_policy_api.go), so no case claims one; the property test in
// cases.test.ts exercises endPort against its own reference instead.

import type { ConformanceProtocol, ModelLabels } from './model.js';
import { Reachability, type TruthTable } from './reachability.js';

export * from './model.js';
export * from './reachability.js';

export interface ConformanceProbe {
  port: number;
  protocol: ConformanceProtocol;
}

export interface ConformanceCase {
  /** Unique among the cases. */
  name: string;
  /** The upstream test: its Describe / Context / It text, without the [Feature:…] tags. */
  upstream: string;
  /** NetworkPolicy manifests as plain objects; ipBlock CIDRs as `$(ns/pod)/prefix` (resolvePolicies). */
  policies: object[];
  /** Labels the step adds to the model (conformanceModel(labels)). */
  labels?: ModelLabels;
  probes: ConformanceProbe[];
  /** One table per probe, in the same order. */
  expected: TruthTable[];
}

const TCP_SUITE = 'Netpol NetworkPolicy between server and client';
const UDP_SUITE = 'Netpol [LinuxOnly] NetworkPolicy between server and client using UDP';
const SCTP_SUITE = 'Netpol [LinuxOnly] NetworkPolicy between server and client using SCTP';

// ---- manifest helpers, mirroring upstream's GenNetworkPolicy* / SetSpec*Rules ----

interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}
interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Requirement[];
}
interface PortSpec {
  protocol?: ConformanceProtocol;
  port?: number | string;
  endPort?: number;
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface IngressRule {
  from?: Peer[];
  ports?: PortSpec[];
}
interface EgressRule {
  to?: Peer[];
  ports?: PortSpec[];
}

/**
 * A NetworkPolicy as upstream's GenNetworkPolicyWithNameAndPodSelector builds it: SetSpecIngressRules
 * (SetSpecEgressRules) sets the rule list, possibly empty, and appends "Ingress" ("Egress") to
 * policyTypes; `policyTypes` overrides (as the Ingress+Egress test assigns it).
 */
function netpol(name: string, namespace: string, podSelector: Selector, spec: { ingress?: IngressRule[]; egress?: EgressRule[]; policyTypes?: string[] }): object {
  const policyTypes = spec.policyTypes ?? [...(spec.ingress ? ['Ingress'] : []), ...(spec.egress ? ['Egress'] : [])];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: { podSelector, policyTypes, ...(spec.ingress ? { ingress: spec.ingress } : {}), ...(spec.egress ? { egress: spec.egress } : {}) },
  };
}

const pod = (name: string): Selector => ({ matchLabels: { pod: name } });
const nsName = (name: string): Selector => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
const all: Selector = {};

const allTrue = () => new Reachability(true);
const tcp = (port: number): ConformanceProbe => ({ port, protocol: 'TCP' });
const udp = (port: number): ConformanceProbe => ({ port, protocol: 'UDP' });
const sctp = (port: number): ConformanceProbe => ({ port, protocol: 'SCTP' });

/** Truth tables shared by several tests. */
const denyIntoX = () => allTrue().expectPeer({}, { namespace: 'x' }, false).table();
const denyOutOfX = () => allTrue().expectPeer({ namespace: 'x' }, {}, false).table();
const denyIntoXA = () => allTrue().expectAllIngress('x/a', false).table();
const onlyYIntoXA = () => allTrue().expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false).table();
const onlyYAIntoXA = () => allTrue().expectAllIngress('x/a', false).expect('y/a', 'x/a', true).table();
const everything = () => allTrue().table();

// Policies shared by several tests.
const denyIngressX = (name: string) => netpol(name, 'x', all, { ingress: [] });
const denyAllX = (name: string) => netpol(name, 'x', all, { ingress: [], egress: [] });
const allowYIntoXA = (name: string, port: PortSpec) => netpol(name, 'x', pod('a'), { ingress: [{ from: [{ namespaceSelector: nsName('y') }], ports: [port] }] });
const allowYAIntoXA = netpol('allow-ns-y-pod-a-via-namespace-pod-selector', 'x', pod('a'), {
  ingress: [{ from: [{ namespaceSelector: nsName('y'), podSelector: pod('a') }] }],
});
const allowXBIntoXA = netpol('x-a-allows-x-b', 'x', pod('a'), { ingress: [{ from: [{ podSelector: pod('b') }] }] });
const notInX: Selector = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }] };
const allowIngressPort80 = netpol('allow-ingress-port-80', 'x', { matchLabels: {} }, { ingress: [{ ports: [{ port: 80 }] }] });
const allowEgressPort80 = netpol('allow-egress-port-80', 'x', { matchLabels: {} }, { egress: [{ ports: [{ port: 80 }] }] });
const egressExceptXB = netpol('allow-client-a-via-cidr-egress-rule', 'x', pod('a'), { egress: [{ to: [{ ipBlock: { cidr: '$(x/b)/4', except: ['$(x/b)/32'] } }] }] });
const allowEgressForXA = netpol('allow-egress-for-target', 'x', pod('a'), { egress: [{}] });

export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  {
    name: 'default-deny-ingress',
    upstream: `${TCP_SUITE} should support a 'default-deny-ingress' policy`,
    policies: [denyIngressX('deny-ingress')],
    probes: [tcp(80)],
    expected: [denyIntoX()],
  },
  {
    name: 'default-deny-all',
    upstream: `${TCP_SUITE} should support a 'default-deny-all' policy`,
    policies: [denyAllX('deny-all')],
    probes: [tcp(80)],
    expected: [allTrue().expectPeer({}, { namespace: 'x' }, false).expectPeer({ namespace: 'x' }, {}, false).table()],
  },
  {
    name: 'podSelector: allow x/b into x/a',
    upstream: `${TCP_SUITE} should enforce policy to allow traffic from pods within server namespace based on PodSelector`,
    policies: [allowXBIntoXA],
    probes: [tcp(80)],
    expected: [allTrue().expectAllIngress('x/a', false).expect('x/b', 'x/a', true).table()],
  },
  {
    name: 'deny-all plus allow-all to one target',
    upstream: `${TCP_SUITE} should enforce policy to allow ingress traffic for a target`,
    policies: [denyIngressX('deny-all'), netpol('allow-all-to-a', 'x', pod('a'), { ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }] })],
    probes: [tcp(80)],
    expected: [allTrue().expectAllIngress('x/a', true).expectAllIngress('x/b', false).expectAllIngress('x/c', false).table()],
  },
  {
    name: 'namespaceSelector {}: ingress from all namespaces',
    upstream: `${TCP_SUITE} should enforce policy to allow ingress traffic from pods in all namespaces`,
    policies: [netpol('allow-from-another-ns', 'x', pod('a'), { ingress: [{ from: [{ namespaceSelector: { matchLabels: {} } }] }] })],
    probes: [tcp(80)],
    expected: [everything()],
  },
  {
    name: 'namespaceSelector: only from namespace y',
    upstream: `${TCP_SUITE} should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector`,
    policies: [netpol('allow-client-a-via-ns-selector', 'x', pod('a'), { ingress: [{ from: [{ namespaceSelector: nsName('y') }] }] })],
    probes: [tcp(80)],
    expected: [onlyYIntoXA()],
  },
  {
    name: 'podSelector matchExpressions In',
    upstream: `${TCP_SUITE} should enforce policy based on PodSelector with MatchExpressions`,
    policies: [netpol('x-a-allows-x-b', 'x', pod('a'), { ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }] }] })],
    probes: [tcp(80)],
    expected: [allTrue().expectAllIngress('x/a', false).expect('x/b', 'x/a', true).table()],
  },
  {
    name: 'namespaceSelector matchExpressions In',
    upstream: `${TCP_SUITE} should enforce policy based on NamespaceSelector with MatchExpressions`,
    policies: [
      netpol('allow-ns-y-match-selector', 'x', pod('a'), {
        ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['y'] }] } }] }],
      }),
    ],
    probes: [tcp(80)],
    expected: [onlyYIntoXA()],
  },
  {
    name: 'two peers (OR): namespaceSelector NotIn x, or podSelector pod=b',
    upstream: `${TCP_SUITE} should enforce policy based on PodSelector or NamespaceSelector`,
    policies: [netpol('allow-ns-y-match-selector', 'x', pod('a'), { ingress: [{ from: [{ namespaceSelector: notInX }, { podSelector: pod('b') }] }] })],
    probes: [tcp(80)],
    expected: [allTrue().expect('x/a', 'x/a', false).expect('x/c', 'x/a', false).table()],
  },
  {
    name: 'one peer (AND): namespaceSelector NotIn x and podSelector pod=b',
    upstream: `${TCP_SUITE} should enforce policy based on PodSelector and NamespaceSelector`,
    policies: [netpol('allow-ns-y-podselector-and-nsselector', 'x', pod('a'), { ingress: [{ from: [{ namespaceSelector: notInX, podSelector: pod('b') }] }] })],
    probes: [tcp(80)],
    expected: [allTrue().expectAllIngress('x/a', false).expect('y/b', 'x/a', true).expect('z/b', 'x/a', true).table()],
  },
  {
    name: 'one peer (AND): namespaceSelector NotIn x and pod In (b, c)',
    upstream: `${TCP_SUITE} should enforce policy based on Multiple PodSelectors and NamespaceSelectors`,
    policies: [
      netpol('allow-ns-y-z-pod-b-c', 'x', pod('a'), {
        ingress: [{ from: [{ namespaceSelector: notInX, podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] } }] }],
      }),
    ],
    probes: [tcp(80)],
    expected: [allTrue().expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expect('y/a', 'x/a', false).expect('z/a', 'x/a', false).table()],
  },
  {
    name: 'two podSelector peers: pod=b or pod=c',
    upstream: `${TCP_SUITE} should enforce policy based on any PodSelectors`,
    policies: [netpol('allow-ns-x-pod-b-c', 'x', pod('a'), { ingress: [{ from: [{ podSelector: pod('b') }, { podSelector: pod('c') }] }] })],
    probes: [tcp(80)],
    expected: [allTrue().expectAllIngress('x/a', false).expect('x/b', 'x/a', true).expect('x/c', 'x/a', true).table()],
  },
  {
    name: 'one peer (AND): namespace y and pod a',
    upstream: `${TCP_SUITE} should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector`,
    policies: [allowYAIntoXA],
    probes: [tcp(80)],
    expected: [onlyYAIntoXA()],
  },
  {
    name: 'numeric port 81 from namespace y',
    upstream: `${TCP_SUITE} should enforce policy based on Ports`,
    policies: [allowYIntoXA('allow-client-a-via-ns-selector', { port: 81, protocol: 'TCP' })],
    probes: [tcp(81)],
    expected: [
      allTrue()
        .expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
        .expectPeer({ namespace: 'y' }, { namespace: 'x', pod: 'a' }, true)
        .expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false)
        .table(),
    ],
  },
  {
    name: 'stacked policies (step 1): port 81 only',
    upstream: `${TCP_SUITE} should enforce multiple, stacked policies with overlapping podSelectors`,
    policies: [allowYIntoXA('allow-client-a-via-ns-selector', { port: 81, protocol: 'TCP' })],
    probes: [tcp(81), tcp(80)],
    expected: [onlyYIntoXA(), denyIntoXA()],
  },
  {
    name: 'stacked policies (step 2): a second policy opens port 80',
    upstream: `${TCP_SUITE} should enforce multiple, stacked policies with overlapping podSelectors`,
    policies: [allowYIntoXA('allow-client-a-via-ns-selector', { port: 81, protocol: 'TCP' }), allowYIntoXA('allow-client-a-via-ns-selector-80', { port: 80, protocol: 'TCP' })],
    probes: [tcp(81), tcp(80)],
    expected: [onlyYIntoXA(), onlyYIntoXA()],
  },
  {
    name: 'allow-all: one empty ingress rule',
    upstream: `${TCP_SUITE} should support allow-all policy`,
    policies: [netpol('allow-all', 'x', { matchLabels: {} }, { ingress: [{}] })],
    probes: [tcp(80), tcp(81)],
    expected: [everything(), everything()],
  },
  {
    name: 'named port serve-81-tcp, no protocol',
    upstream: `${TCP_SUITE} should allow ingress access on one named port`,
    policies: [netpol('allow-all', 'x', { matchLabels: {} }, { ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })],
    probes: [tcp(81), tcp(80)],
    expected: [everything(), denyIntoX()],
  },
  {
    name: 'named port serve-80-tcp from namespace y',
    upstream: `${TCP_SUITE} should allow ingress access from namespace on one named port`,
    policies: [allowYIntoXA('allow-client-a-via-ns-selector-80', { port: 'serve-80-tcp', protocol: 'TCP' })],
    probes: [tcp(80), tcp(81)],
    expected: [onlyYIntoXA(), denyIntoXA()],
  },
  {
    name: 'egress named port serve-80-tcp',
    upstream: `${TCP_SUITE} should allow egress access on one named port`,
    policies: [netpol('allow-egress', 'x', { matchLabels: {} }, { egress: [{ ports: [{ port: 'serve-80-tcp' }] }] })],
    probes: [tcp(80), tcp(81)],
    expected: [everything(), denyOutOfX()],
  },
  {
    name: 'updated policy (step 1): allow all',
    upstream: `${TCP_SUITE} should enforce updated policy`,
    policies: [netpol('allow-all-mutate-to-deny-all', 'x', { matchLabels: {} }, { ingress: [{}] })],
    probes: [tcp(81)],
    expected: [everything()],
  },
  {
    name: 'updated policy (step 2): ingress emptied to deny all',
    upstream: `${TCP_SUITE} should enforce updated policy`,
    policies: [netpol('allow-all-mutate-to-deny-all', 'x', { matchLabels: {} }, { ingress: [] })],
    probes: [tcp(81)],
    expected: [denyIntoX()],
  },
  {
    name: 'updated namespace (step 1): no namespace has ns2=updated',
    upstream: `${TCP_SUITE} should allow ingress access from updated namespace`,
    policies: [netpol('allow-client-a-via-ns-selector', 'x', pod('a'), { ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }] }] })],
    probes: [tcp(80)],
    expected: [denyIntoXA()],
  },
  {
    name: 'updated namespace (step 2): namespace y labelled ns2=updated',
    upstream: `${TCP_SUITE} should allow ingress access from updated namespace`,
    policies: [netpol('allow-client-a-via-ns-selector', 'x', pod('a'), { ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }] }] })],
    labels: { namespaces: { y: { ns2: 'updated' } } },
    probes: [tcp(80)],
    expected: [allTrue().expectAllIngress('x/a', false).expectPeer({ namespace: 'y' }, {}, true).table()],
  },
  {
    name: 'updated pod (step 1): no pod has pod2=updated',
    upstream: `${TCP_SUITE} should allow ingress access from updated pod`,
    policies: [netpol('allow-client-a-via-pod-selector', 'x', pod('a'), { ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b', pod2: 'updated' } } }] }] })],
    probes: [tcp(80)],
    expected: [denyIntoXA()],
  },
  {
    name: 'updated pod (step 2): x/b labelled pod2=updated',
    upstream: `${TCP_SUITE} should allow ingress access from updated pod`,
    policies: [netpol('allow-client-a-via-pod-selector', 'x', pod('a'), { ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b', pod2: 'updated' } } }] }] })],
    labels: { pods: { 'x/b': { pod2: 'updated' } } },
    probes: [tcp(80)],
    expected: [allTrue().expectAllIngress('x/a', false).expect('x/b', 'x/a', true).table()],
  },
  {
    name: 'empty podSelector peer: same namespace only',
    upstream: `${TCP_SUITE} should deny ingress from pods on other namespaces`,
    policies: [netpol('deny-empty-policy', 'x', all, { ingress: [{ from: [{ podSelector: { matchLabels: {} } }] }] })],
    probes: [tcp(80)],
    expected: [allTrue().expectPeer({ namespace: 'y' }, { namespace: 'x' }, false).expectPeer({ namespace: 'z' }, { namespace: 'x' }, false).table()],
  },
  {
    name: 'relabelled pod (step 1): x/a not yet target=isolated',
    upstream: `${TCP_SUITE} should deny ingress access to updated pod`,
    policies: [netpol('deny-ingress-via-label-selector', 'x', { matchLabels: { target: 'isolated' } }, { ingress: [] })],
    probes: [tcp(80)],
    expected: [everything()],
  },
  {
    name: 'relabelled pod (step 2): x/a labelled target=isolated',
    upstream: `${TCP_SUITE} should deny ingress access to updated pod`,
    policies: [netpol('deny-ingress-via-label-selector', 'x', { matchLabels: { target: 'isolated' } }, { ingress: [] })],
    labels: { pods: { 'x/a': { target: 'isolated' } } },
    probes: [tcp(80)],
    expected: [denyIntoXA()],
  },
  {
    name: 'deny egress from x/a',
    upstream: `${TCP_SUITE} should deny egress from pods based on PodSelector`,
    policies: [netpol('deny-egress-pod-a', 'x', pod('a'), { egress: [] })],
    probes: [tcp(80)],
    expected: [allTrue().expectAllEgress('x/a', false).table()],
  },
  {
    name: 'deny egress from namespace x',
    upstream: `${TCP_SUITE} should deny egress from all pods in a namespace`,
    policies: [netpol('deny-egress-ns-x', 'x', all, { egress: [] })],
    probes: [tcp(80)],
    expected: [denyOutOfX()],
  },
  {
    name: 'ingress and egress in one policy',
    upstream: `${TCP_SUITE} should work with Ingress, Egress specified together`,
    policies: [
      netpol('allow-client-a-via-pod-selector', 'x', pod('a'), {
        ingress: [{ from: [{ podSelector: pod('b') }] }],
        egress: [{ ports: [{ port: 80 }] }],
        policyTypes: ['Egress', 'Ingress'],
      }),
    ],
    probes: [tcp(80), tcp(81)],
    expected: [
      allTrue().expectAllIngress('x/a', false).expect('x/b', 'x/a', true).table(),
      allTrue().expectAllIngress('x/a', false).expectAllEgress('x/a', false).expect('x/b', 'x/a', true).table(),
    ],
  },
  {
    name: 'client egress denies what the server ingress allows',
    upstream: `${TCP_SUITE} should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)`,
    policies: [
      netpol('allow-to-ns-y-pod-a', 'x', pod('a'), { egress: [{ to: [{ namespaceSelector: nsName('y'), podSelector: pod('a') }] }] }),
      netpol('allow-from-xa-on-ya-match-selector', 'y', pod('a'), { ingress: [{ from: [{ namespaceSelector: nsName('x'), podSelector: pod('a') }] }] }),
      netpol('allow-from-xa-on-yb-match-selector', 'y', pod('b'), { ingress: [{ from: [{ namespaceSelector: nsName('x'), podSelector: pod('a') }] }] }),
    ],
    probes: [tcp(80)],
    expected: [
      allTrue()
        .expectPeer({ namespace: 'x', pod: 'a' }, {}, false)
        .expectPeer({}, { namespace: 'y', pod: 'a' }, false)
        .expectPeer({ namespace: 'x', pod: 'a' }, { namespace: 'y', pod: 'a' }, true)
        .expectPeer({}, { namespace: 'y', pod: 'b' }, false)
        .table(),
    ],
  },
  {
    name: 'egress to one peer (AND): namespace y and pod a',
    upstream: `${TCP_SUITE} should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector`,
    policies: [netpol('allow-to-ns-y-pod-a', 'x', pod('a'), { egress: [{ to: [{ namespaceSelector: nsName('y'), podSelector: pod('a') }] }] })],
    probes: [tcp(80)],
    expected: [allTrue().expectAllEgress('x/a', false).expect('x/a', 'y/a', true).table()],
  },
  {
    name: 'protocol without port: TCP allowed, UDP not',
    upstream: `${TCP_SUITE} should enforce ingress policy allowing any port traffic to a server on a specific protocol`,
    policies: [netpol('allow-ingress-by-proto', 'x', pod('a'), { ingress: [{ ports: [{ protocol: 'TCP' }] }] })],
    probes: [tcp(80), udp(80)],
    expected: [everything(), allTrue().expectPeer({}, { namespace: 'x', pod: 'a' }, false).table()],
  },
  {
    name: 'ingress allow-all precedence (step 1): port 80 only',
    upstream: `${TCP_SUITE} should enforce multiple ingress policies with ingress allow-all policy taking precedence`,
    policies: [allowIngressPort80],
    probes: [tcp(81)],
    expected: [denyIntoX()],
  },
  {
    name: 'ingress allow-all precedence (step 2): plus allow-all',
    upstream: `${TCP_SUITE} should enforce multiple ingress policies with ingress allow-all policy taking precedence`,
    policies: [allowIngressPort80, netpol('allow-ingress', 'x', { matchLabels: {} }, { ingress: [{}] })],
    probes: [tcp(81)],
    expected: [everything()],
  },
  {
    name: 'egress allow-all precedence (step 1): port 80 only',
    upstream: `${TCP_SUITE} should enforce multiple egress policies with egress allow-all policy taking precedence`,
    policies: [allowEgressPort80],
    probes: [tcp(81)],
    expected: [denyOutOfX()],
  },
  {
    name: 'egress allow-all precedence (step 2): plus allow-all',
    upstream: `${TCP_SUITE} should enforce multiple egress policies with egress allow-all policy taking precedence`,
    policies: [allowEgressPort80, netpol('allow-egress', 'x', { matchLabels: {} }, { egress: [{}] })],
    probes: [tcp(81)],
    expected: [everything()],
  },
  {
    name: 'deleted policies (step 1): deny-all in x',
    upstream: `${TCP_SUITE} should stop enforcing policies after they are deleted`,
    policies: [denyAllX('deny-all')],
    probes: [tcp(80)],
    expected: [allTrue().expectPeer({ namespace: 'x' }, {}, false).expectPeer({}, { namespace: 'x' }, false).table()],
  },
  {
    name: 'deleted policies (step 2): none left',
    upstream: `${TCP_SUITE} should stop enforcing policies after they are deleted`,
    policies: [],
    probes: [tcp(80)],
    expected: [everything()],
  },
  {
    name: 'ipBlock: egress to y/b/32 only',
    upstream: `${TCP_SUITE} should allow egress access to server in CIDR block`,
    policies: [netpol('allow-client-a-via-cidr-egress-rule', 'x', pod('a'), { egress: [{ to: [{ ipBlock: { cidr: '$(y/b)/32' } }] }] })],
    probes: [tcp(80)],
    expected: [allTrue().expectAllEgress('x/a', false).expect('x/a', 'y/b', true).table()],
  },
  {
    name: 'ipBlock except: a /4 without x/b',
    upstream: `${TCP_SUITE} should enforce except clause while egress access to server in CIDR block`,
    policies: [egressExceptXB],
    probes: [tcp(80)],
    expected: [allTrue().expect('x/a', 'x/b', false).table()],
  },
  {
    name: 'ipBlock cidr and except overlap (step 1): except wins',
    upstream: `${TCP_SUITE} should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed`,
    policies: [egressExceptXB],
    probes: [tcp(80)],
    expected: [allTrue().expect('x/a', 'x/b', false).table()],
  },
  {
    name: 'ipBlock cidr and except overlap (step 2): policy updated to x/b/32',
    upstream: `${TCP_SUITE} should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed`,
    policies: [netpol('allow-client-a-via-cidr-egress-rule', 'x', pod('a'), { egress: [{ to: [{ ipBlock: { cidr: '$(x/b)/32' } }] }] })],
    probes: [tcp(80)],
    expected: [allTrue().expectAllEgress('x/a', false).expect('x/a', 'x/b', true).table()],
  },
  {
    name: 'independent directions (step 1): allow-all egress for x/a',
    upstream: `${TCP_SUITE} should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector`,
    policies: [allowEgressForXA],
    probes: [tcp(80)],
    expected: [everything()],
  },
  {
    name: 'independent directions (step 2): plus deny ingress to x/a',
    upstream: `${TCP_SUITE} should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector`,
    policies: [allowEgressForXA, netpol('deny-ingress-via-label-selector', 'x', pod('a'), { ingress: [] })],
    probes: [tcp(80)],
    expected: [denyIntoXA()],
  },
  {
    name: 'SCTP 81 rule does not open TCP 81',
    upstream: `${TCP_SUITE} should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP`,
    policies: [denyIngressX('deny-ingress'), netpol('allow-only-sctp-ingress-on-port-81', 'x', pod('a'), { ingress: [{ ports: [{ port: 81, protocol: 'SCTP' }] }] })],
    probes: [tcp(81)],
    expected: [denyIntoX()],
  },
  {
    name: 'SCTP-only policy still isolates for TCP',
    upstream: `${TCP_SUITE} should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP`,
    policies: [netpol('allow-only-sctp-ingress-on-port-80', 'x', pod('a'), { ingress: [{ ports: [{ port: 80, protocol: 'SCTP' }] }] })],
    probes: [tcp(81)],
    expected: [denyIntoXA()],
  },
  {
    name: 'UDP-only rule does not open TCP',
    upstream: `${TCP_SUITE} should not allow access by TCP when a policy specifies only UDP`,
    policies: [netpol('allow-only-udp-ingress-on-port-81', 'x', pod('a'), { ingress: [{ ports: [{ port: 81, protocol: 'UDP' }] }] })],
    probes: [tcp(81)],
    expected: [denyIntoXA()],
  },
  {
    name: 'namespaceSelector matchLabels on the default name label',
    upstream: `${TCP_SUITE} should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label`,
    policies: [netpol('allow-client-a-via-ns-selector-for-immutable-ns-label', 'x', pod('a'), { ingress: [{ from: [{ namespaceSelector: nsName('y') }] }] })],
    probes: [tcp(80)],
    expected: [onlyYIntoXA()],
  },
  {
    name: 'egress namespaceSelector NotIn y on the default name label',
    upstream: `${TCP_SUITE} should enforce policy based on NamespaceSelector with MatchExpressions using default ns label`,
    policies: [
      netpol('allow-ns-y-match-selector-for-immutable-ns-label', 'x', pod('a'), {
        egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['y'] }] } }] }],
      }),
    ],
    probes: [tcp(80)],
    expected: [allTrue().expectPeer({ namespace: 'x', pod: 'a' }, { namespace: 'y' }, false).table()],
  },
  {
    name: 'UDP: default-deny-ingress',
    upstream: `${UDP_SUITE} should support a 'default-deny-ingress' policy`,
    policies: [denyIngressX('deny-all')],
    probes: [udp(80)],
    expected: [denyIntoX()],
  },
  {
    name: 'UDP: port 81 from namespace y',
    upstream: `${UDP_SUITE} should enforce policy based on Ports`,
    policies: [allowYIntoXA('allow-ingress-on-port-81-ns-x', { port: 81, protocol: 'UDP' })],
    probes: [udp(81)],
    expected: [onlyYIntoXA()],
  },
  {
    name: 'UDP: one peer (AND): namespace y and pod a',
    upstream: `${UDP_SUITE} should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector`,
    policies: [allowYAIntoXA],
    probes: [udp(80)],
    expected: [onlyYAIntoXA()],
  },
  {
    name: 'SCTP: default-deny-ingress',
    upstream: `${SCTP_SUITE} should support a 'default-deny-ingress' policy`,
    policies: [denyIngressX('deny-all')],
    probes: [sctp(80)],
    expected: [denyIntoX()],
  },
  {
    name: 'SCTP: port 81 from namespace y',
    upstream: `${SCTP_SUITE} should enforce policy based on Ports`,
    policies: [allowYIntoXA('allow-ingress-on-port-81-ns-x', { port: 81, protocol: 'SCTP' })],
    probes: [sctp(81)],
    expected: [onlyYIntoXA()],
  },
  {
    name: 'SCTP: one peer (AND): namespace y and pod a',
    upstream: `${SCTP_SUITE} should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector`,
    policies: [allowYAIntoXA],
    probes: [sctp(80)],
    expected: [onlyYAIntoXA()],
  },
];
