// state/networkpolicy.ts: the concepts page's examples, then a property test against a small
// reference written here in another style (one flat list of "allow grants", filtered).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Labels, Namespace, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Pod, Protocol } from '../api/types.js';
import { denyingPolicies, evaluateNetworkPolicy, type PolicyEndpoint, type PolicyWorld } from './networkpolicy.js';

function ns(name: string, labels: Labels = {}): Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, uid: `ns-${name}`, resourceVersion: '1', creationTimestamp: '2026-11-25T09:45:00Z', labels: { 'kubernetes.io/metadata.name': name, ...labels } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function pod(namespace: string, name: string, ip: string, labels: Labels, ports: { name?: string; containerPort: number; protocol?: Protocol }[] = []): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: `pod-${name}`, resourceVersion: '1', creationTimestamp: '2026-11-25T09:45:00Z', labels },
    spec: {
      containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'IfNotPresent', ports: ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' })) }],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
    } as Pod['spec'],
    status: { phase: 'Running', podIP: ip },
  };
}

function policy(namespace: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, uid: `np-${name}`, resourceVersion: '1', creationTimestamp: '2026-11-25T09:45:00Z' },
    spec,
  };
}

// kubernetes.io/docs/concepts/services-networking/network-policies/ "The NetworkPolicy resource".
const testNetworkPolicy = policy('default', 'test-network-policy', {
  podSelector: { matchLabels: { role: 'db' } },
  policyTypes: ['Ingress', 'Egress'],
  ingress: [
    {
      from: [
        { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
        { namespaceSelector: { matchLabels: { project: 'myproject' } } },
        { podSelector: { matchLabels: { role: 'frontend' } } },
      ],
      ports: [{ protocol: 'TCP', port: 6379 }],
    },
  ],
  egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
});

const world: PolicyWorld = {
  policies: [testNetworkPolicy],
  namespaces: { default: ns('default'), myproject: ns('myproject', { project: 'myproject' }), other: ns('other') },
};
const db = pod('default', 'db', '10.244.1.2', { role: 'db' }, [{ name: 'redis', containerPort: 6379 }]);
const frontend = pod('default', 'frontend', '10.244.2.3', { role: 'frontend' });
const otherFrontend = pod('other', 'frontend', '10.244.2.4', { role: 'frontend' });
const inProject = pod('myproject', 'client', '10.244.1.5', {});
const ref = { namespace: 'default', name: 'test-network-policy' };

describe('evaluateNetworkPolicy: the concepts page example (test-network-policy)', () => {
  it('allows role=frontend pods in the policy namespace to reach role=db on TCP 6379, by rule 0', () => {
    const v = evaluateNetworkPolicy(world, { source: { pod: frontend }, destination: db, port: 6379, protocol: 'TCP' });
    expect(v).toEqual({
      allowed: true,
      ingress: { selectedBy: [ref], isolated: true, allowed: true, allowedBy: { policy: ref, rule: 0 } },
      egress: { selectedBy: [], isolated: false, allowed: true },
    });
  });

  it('denies another port, UDP, and role=frontend in a namespace the podSelector does not cover', () => {
    expect(evaluateNetworkPolicy(world, { source: { pod: frontend }, destination: db, port: 6380, protocol: 'TCP' }).allowed).toBe(false);
    expect(evaluateNetworkPolicy(world, { source: { pod: frontend }, destination: db, port: 6379, protocol: 'UDP' }).allowed).toBe(false);
    const v = evaluateNetworkPolicy(world, { source: { pod: otherFrontend }, destination: db, port: 6379, protocol: 'TCP' });
    expect(v.allowed).toBe(false);
    expect(denyingPolicies(v)).toEqual([ref]);
  });

  it('allows any pod of a namespace labelled project=myproject', () => {
    expect(evaluateNetworkPolicy(world, { source: { pod: inProject }, destination: db, port: 6379, protocol: 'TCP' }).allowed).toBe(true);
  });

  it('ipBlock 172.17.0.0/16 except 172.17.1.0/24', () => {
    const from = (ip: string) => evaluateNetworkPolicy(world, { source: { ip }, destination: db, port: 6379, protocol: 'TCP' }).allowed;
    expect([from('172.17.0.9'), from('172.17.1.9'), from('172.17.255.1'), from('172.18.0.1')]).toEqual([true, false, true, false]);
  });

  it('egress from role=db only to 10.0.0.0/24 on TCP 5978', () => {
    const target = (ip: string) => pod('default', `t-${ip}`, ip, {});
    const out = (ip: string, port: number) => evaluateNetworkPolicy(world, { source: { pod: db }, destination: target(ip), port, protocol: 'TCP' });
    expect(out('10.0.0.7', 5978).egress).toEqual({ selectedBy: [ref], isolated: true, allowed: true, allowedBy: { policy: ref, rule: 0 } });
    expect(out('10.0.0.7', 5979).allowed).toBe(false);
    expect(out('10.244.2.3', 5978).allowed).toBe(false);
  });

  it('pods no policy selects are not isolated', () => {
    const v = evaluateNetworkPolicy(world, { source: { pod: db }, destination: frontend, port: 80, protocol: 'TCP' });
    expect(v.ingress).toEqual({ selectedBy: [], isolated: false, allowed: true });
  });
});

describe('evaluateNetworkPolicy: the concepts page defaults and ports', () => {
  it('default-deny-ingress selects every pod and allows nothing; allow-all-ingress allows everything', () => {
    const deny = policy('default', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
    const allow = policy('default', 'allow-all-ingress', { podSelector: {}, ingress: [{}], policyTypes: ['Ingress'] });
    const q = { source: { pod: frontend }, destination: db, port: 6379, protocol: 'TCP' as const };
    expect(evaluateNetworkPolicy({ ...world, policies: [deny] }, q).allowed).toBe(false);
    const both = evaluateNetworkPolicy({ ...world, policies: [deny, allow] }, q);
    expect(both.ingress.selectedBy.map((p) => p.name)).toEqual(['default-deny-ingress', 'allow-all-ingress']);
    expect(both.ingress.allowedBy).toEqual({ policy: { namespace: 'default', name: 'allow-all-ingress' }, rule: 0 });
  });

  it('namespaceSelector and podSelector in one element are ANDed; in two elements ORed', () => {
    const and = policy('default', 'and', {
      podSelector: { matchLabels: { role: 'db' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { project: 'myproject' } }, podSelector: { matchLabels: { role: 'client' } } }] }],
    });
    const q = (p: Pod) => evaluateNetworkPolicy({ ...world, policies: [and] }, { source: { pod: p }, destination: db, port: 6379, protocol: 'TCP' }).allowed;
    expect([q(inProject), q(pod('myproject', 'c2', '10.244.1.6', { role: 'client' })), q(pod('other', 'c3', '10.244.1.7', { role: 'client' }))]).toEqual([false, true, false]);
  });

  it('port 32000 endPort 32768 (the concepts page range example); a named port resolves on the destination', () => {
    const range = policy('default', 'multi-port-egress', {
      podSelector: { matchLabels: { role: 'db' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }] }],
    });
    const target = pod('default', 't', '10.0.0.1', {});
    const out = (port: number) => evaluateNetworkPolicy({ ...world, policies: [range] }, { source: { pod: db }, destination: target, port, protocol: 'TCP' }).allowed;
    expect([out(31999), out(32000), out(32768), out(32769)]).toEqual([false, true, true, false]);
    const named = policy('default', 'named', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'TCP', port: 'redis' }] }] });
    const into = (dst: Pod, port: number) => evaluateNetworkPolicy({ ...world, policies: [named] }, { source: { pod: frontend }, destination: dst, port, protocol: 'TCP' }).allowed;
    expect([into(db, 6379), into(db, 6380), into(frontend, 6379)]).toEqual([true, false, false]);
  });
});

// ---- property test: a reference that enumerates every grant, then asks whether one fits. ----

type Grant = { dir: 'in' | 'out'; policy: string; owner: string; ns: string; peer?: NetworkPolicyPeer; port?: NetworkPolicyPort };

function grants(p: NetworkPolicy): Grant[] {
  const out: Grant[] = [];
  const ns = p.metadata.namespace!;
  const expand = (dir: 'in' | 'out', peers: NetworkPolicyPeer[] | undefined, ports: NetworkPolicyPort[] | undefined) => {
    const ps: (NetworkPolicyPeer | undefined)[] = peers?.length ? peers : [undefined];
    const qs: (NetworkPolicyPort | undefined)[] = ports?.length ? ports : [undefined];
    for (const peer of ps) for (const port of qs) out.push({ dir, policy: p.metadata.name, owner: ns, ns, peer, port });
  };
  if (p.spec.policyTypes.includes('Ingress')) for (const r of p.spec.ingress ?? []) expand('in', r.from, r.ports);
  if (p.spec.policyTypes.includes('Egress')) for (const r of p.spec.egress ?? []) expand('out', r.to, r.ports);
  return out;
}

const labelsMatch = (want: Labels | undefined, have: Labels) => Object.keys(want ?? {}).every((k) => have[k] === want![k]);
const ipNum = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const inCidr = (ip: string, cidr: string) => {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipNum(ip) / size) === Math.floor(ipNum(base!) / size);
};

function refAllowed(w: PolicyWorld, src: PolicyEndpoint, dst: Pod, port: number, protocol: Protocol): boolean {
  const nsLabels = (n: string) => w.namespaces[n]?.metadata.labels ?? {};
  const endOk = (who: Pod, dir: 'in' | 'out', other: PolicyEndpoint) => {
    const selecting = w.policies.filter(
      (p) =>
        p.metadata.namespace === who.metadata.namespace &&
        labelsMatch(p.spec.podSelector.matchLabels, who.metadata.labels ?? {}) &&
        p.spec.policyTypes.includes(dir === 'in' ? 'Ingress' : 'Egress'),
    );
    if (selecting.length === 0) return true;
    const all = selecting.flatMap(grants).filter((g) => g.dir === dir);
    return all.some((g) => {
      let peerOk = true;
      if (g.peer?.ipBlock) {
        const ip = 'pod' in other ? other.pod.status.podIP! : other.ip;
        peerOk = inCidr(ip, g.peer.ipBlock.cidr) && !(g.peer.ipBlock.except ?? []).some((x) => inCidr(ip, x));
      } else if (g.peer) {
        if (!('pod' in other)) peerOk = false;
        else {
          const o = other.pod;
          const nsOk = g.peer.namespaceSelector ? labelsMatch(g.peer.namespaceSelector.matchLabels, nsLabels(o.metadata.namespace!)) : o.metadata.namespace === g.owner;
          const podOk = g.peer.podSelector ? labelsMatch(g.peer.podSelector.matchLabels, o.metadata.labels ?? {}) : true;
          peerOk = nsOk && podOk;
        }
      }
      let portOk = true;
      if (g.port) {
        if (g.port.protocol !== protocol) portOk = false;
        else if (typeof g.port.port === 'number') portOk = g.port.endPort === undefined ? g.port.port === port : g.port.port <= port && port <= g.port.endPort;
        else if (typeof g.port.port === 'string') {
          const name = g.port.port;
          portOk = dst.spec.containers.some((c) => (c.ports ?? []).some((cp) => cp.name === name && cp.protocol === protocol && cp.containerPort === port));
        }
      }
      return peerOk && portOk;
    });
  };
  const inOk = endOk(dst, 'in', src);
  const outOk = 'pod' in src ? endOk(src.pod, 'out', { pod: dst }) : true;
  return inOk && outOk;
}

describe('evaluateNetworkPolicy agrees with a reference over random small worlds', () => {
  const namespaces = ['a', 'b'];
  const labelSet = fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('x', 'y'), { maxKeys: 2 });
  const selector = fc.record({ matchLabels: labelSet });
  const cidr = fc.constantFrom('10.244.0.0/16', '10.244.1.0/24', '10.244.1.4/30', '192.168.0.0/16', '0.0.0.0/0');
  const peer: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
    fc.record({ podSelector: selector }),
    fc.record({ namespaceSelector: selector }),
    fc.record({ podSelector: selector, namespaceSelector: selector }),
    fc.record({ ipBlock: fc.record({ cidr, except: fc.array(fc.constantFrom('10.244.1.0/24', '10.244.1.4/31'), { maxLength: 1 }) }) }),
  );
  const protocol = fc.constantFrom<Protocol>('TCP', 'UDP');
  const portSpec: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
    fc.record({ protocol }),
    fc.record({ protocol, port: fc.constantFrom(80, 443) }),
    fc.record({ protocol, port: fc.constant(80), endPort: fc.constantFrom(80, 90, 443) }),
    fc.record({ protocol, port: fc.constantFrom('http', 'dns') }),
  );
  const rule = fc.record({ peers: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }), ports: fc.option(fc.array(portSpec, { maxLength: 2 }), { nil: undefined }) });
  const pol = fc.record({
    ns: fc.constantFrom(...namespaces),
    podSelector: selector,
    types: fc.subarray(['Ingress', 'Egress'] as const, { minLength: 1 }),
    ingress: fc.array(rule, { maxLength: 2 }),
    egress: fc.array(rule, { maxLength: 2 }),
  });
  const podArb = fc.record({ ns: fc.constantFrom(...namespaces), labels: labelSet, host: fc.integer({ min: 1, max: 8 }), http: fc.constantFrom(80, 85, 443) });

  it('on random policies, pods, IPs, ports and protocols (and both verdicts occur often)', () => {
    const seen = { allowed: 0, denied: 0 };
    fc.assert(
      fc.property(
        fc.array(pol, { maxLength: 4 }),
        podArb,
        podArb,
        fc.boolean(),
        fc.constantFrom('10.244.1.5', '192.168.3.3', '8.8.8.8'),
        fc.constantFrom(53, 80, 85, 90, 443),
        protocol,
        fc.record({ a: labelSet, b: labelSet }),
        (ps, s, d, fromIP, ip, port, proto, nsl) => {
          const policies = ps.map((p, i) =>
            policy(p.ns, `p${i}`, {
              podSelector: p.podSelector,
              policyTypes: [...p.types],
              ingress: p.ingress.map((r) => ({ ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })),
              egress: p.egress.map((r) => ({ ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })),
            }),
          );
          const w: PolicyWorld = { policies, namespaces: { a: ns('a', nsl.a), b: ns('b', nsl.b) } };
          const mk = (p: typeof s, name: string) =>
            pod(p.ns, name, `10.244.1.${p.host}`, p.labels, [
              { name: 'http', containerPort: p.http },
              { name: 'dns', containerPort: 53, protocol: 'UDP' },
            ]);
          const src: PolicyEndpoint = fromIP ? { ip } : { pod: mk(s, 'src') };
          const dst = mk(d, 'dst');
          const v = evaluateNetworkPolicy(w, { source: src, destination: dst, port, protocol: proto });
          expect(v.allowed).toBe(refAllowed(w, src, dst, port, proto));
          seen[v.allowed ? 'allowed' : 'denied']++;
        },
      ),
      { seed: 17, numRuns: 2000 },
    );
    expect(seen.allowed).toBeGreaterThan(400);
    expect(seen.denied).toBeGreaterThan(400);
  });
});
