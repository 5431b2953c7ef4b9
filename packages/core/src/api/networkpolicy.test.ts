// NetworkPolicy through validateManifest: SetDefaults_NetworkPolicy(Port) and ValidateNetworkPolicy's
// messages (pkg/apis/networking/validation/validation.go), worded as kubectl prints them.
import { describe, expect, test } from 'vitest';
import { ApiError, kubectlErrorLine } from './errors.js';
import { validateManifest } from './manifest.js';

const np = (spec: unknown, name = 'np') => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec });
const specOf = (m: unknown): unknown => (m as { spec: unknown }).spec;

function causes(obj: unknown, kubernetesVersion = '1.34.2'): string[] {
  try {
    validateManifest(obj, { kubernetesVersion });
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    const text = kubectlErrorLine(e as ApiError);
    const head = 'The NetworkPolicy "np" is invalid: ';
    expect(text.startsWith(head)).toBe(true);
    const body = text.slice(head.length);
    return body.startsWith('\n')
      ? body
          .trim()
          .split('\n')
          .map((l) => l.replace(/^\* /, ''))
      : [body];
  }
  throw new Error('expected validateManifest to throw');
}

describe('NetworkPolicy defaulting (SetDefaults_NetworkPolicy, SetDefaults_NetworkPolicyPort)', () => {
  test('policyTypes: ["Ingress"] without egress rules, ["Ingress", "Egress"] with; port protocol TCP', () => {
    expect(specOf(validateManifest(np({ podSelector: {} }), {}))).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const m = validateManifest(
      np({ podSelector: { matchLabels: { role: 'db' } }, ingress: [{ ports: [{ port: 6379 }] }], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }] }] }),
      {},
    );
    expect(specOf(m)).toEqual({
      podSelector: { matchLabels: { role: 'db' } },
      ingress: [{ ports: [{ protocol: 'TCP', port: 6379 }] }],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }] }],
      policyTypes: ['Ingress', 'Egress'],
    });
  });

  test('given policyTypes are kept (Egress only stays Egress only); a missing podSelector is the empty one', () => {
    expect(specOf(validateManifest(np({ policyTypes: ['Egress'] }), {}))).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
  });

  test('strict decoding knows every field and refuses others', () => {
    expect(() => validateManifest(np({ podSelector: {}, ingress: [{ from: [{ podSelectr: {} }] }] }), { kubernetesVersion: '1.34.2' })).toThrow(
      /unknown field "spec.ingress\[0\].from\[0\].podSelectr"/,
    );
  });
});

describe('ValidateNetworkPolicy', () => {
  test('ports: endPort must be >= port, and needs a numeric port', () => {
    expect(causes(np({ podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 79 }] }] }))).toEqual([
      'spec.ingress[0].ports[0].endPort: Invalid value: 79: must be greater than or equal to `port`',
    ]);
    expect(causes(np({ podSelector: {}, egress: [{ ports: [{ port: 'http', endPort: 90 }] }] }))).toEqual([
      'spec.egress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
    ]);
    expect(causes(np({ podSelector: {}, ingress: [{ ports: [{ endPort: 90 }] }] }))).toEqual([
      'spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified',
    ]);
  });

  test('ports: protocol values, port range', () => {
    expect(causes(np({ podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP', port: 70000 }] }] }))).toEqual([
      'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
      'spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
  });

  test('peers: one is required; ipBlock may not be mixed with selectors', () => {
    expect(causes(np({ podSelector: {}, ingress: [{ from: [{}] }] }))).toEqual(['spec.ingress[0].from[0]: Required value: must specify a peer']);
    expect(causes(np({ podSelector: {}, ingress: [{ from: [{ podSelector: {}, ipBlock: { cidr: '10.0.0.0/8' } }] }] }))).toEqual([
      'spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer',
    ]);
  });

  test('ipBlock: cidr required and valid; except a strict subset of cidr', () => {
    expect(causes(np({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '' } }] }] }))).toEqual(['spec.egress[0].to[0].ipBlock.cidr: Required value']);
    expect(causes(np({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] }))).toEqual([
      'spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
    expect(
      causes(np({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24', '172.17.0.0/16', '172.18.0.0/24', '10.0.0.0/8'] } }] }] })),
    ).toEqual([
      'spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "172.17.0.0/16": must be a strict subset of `cidr`',
      'spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: "172.18.0.0/24": must be a strict subset of `cidr`',
      'spec.ingress[0].from[0].ipBlock.except[3]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
    ]);
  });

  test('policyTypes: only Ingress and Egress, at most two', () => {
    expect(causes(np({ podSelector: {}, policyTypes: ['Ingress', 'Foo'] }))).toEqual(['spec.policyTypes[1]: Unsupported value: "Foo": supported values: "Ingress", "Egress"']);
    expect(causes(np({ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] }))).toEqual([
      'spec.policyTypes: Invalid value: ["Ingress","Egress","Ingress"]: may not specify more than two policyTypes',
    ]);
    expect(causes(np({ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] }), '1.31.4')).toEqual([
      'spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes',
    ]);
  });

  test('selectors are validated with their paths', () => {
    expect(causes(np({ podSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }))).toEqual([
      "spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
  });
});
