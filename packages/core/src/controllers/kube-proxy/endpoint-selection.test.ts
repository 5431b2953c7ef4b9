// The endpoint helpers that rule generation, the walker and the fast path all share
// (normalizedEndpoints, usableEndpoints, endpointProbability in rules.ts), checked against
// kube-proxy's own expectations rather than against each other. From kubernetes/kubernetes:
//  - pkg/proxy/endpointslicecache.go, addEndpoints: one endpoint per "ip:port", an existing entry
//    replaced only by a non-terminating copy (`!exists || !terminating`); byEndpoint: sorted by
//    that string. pkg/proxy/endpointslicecache_test.go, TestEndpointsMapFromESC: the order of
//    "2 slices, overlapping endpoints, some endpoints unready and some endpoints terminating"
//    (10.0.1.10:80 sorts before 10.0.1.1:80) and "Different endpoints with duplicate IPs should
//    not be filtered" (10.0.1.1:80, 10.0.1.1:8080, …).
//  - pkg/proxy/topology.go, CategorizeEndpoints: the Ready endpoints, or if none is Ready the
//    Serving && Terminating ones (ProxyTerminatingEndpoints), separately for Cluster and Local.
//  - pkg/proxy/iptables/proxier.go: computeProbability(n) = fmt.Sprintf("%0.10f", 1.0/float64(n)),
//    and writeServiceToEndpointRules gives endpoint i of n `--probability` 1/(n−i), the last none.
//  - pkg/proxy/iptables/proxier_test.go: the expected iptables-restore input of
//    TestInternalTrafficPolicyE2E ("internalTrafficPolicy is cluster", "… is local and there are
//    local endpoints", "… is local and there are no local endpoints"), TestExternalTrafficPolicyLocal
//    and TestTerminatingEndpointsTrafficPolicyCluster ("ready endpoints exist", "only terminating
//    endpoints exist", "no usable endpoints on any node"), pasted with their own namespaces, names,
//    IPs and chain hashes; the fake proxier is node "test-node" (192.168.0.2) with a 10.0.0.0/8
//    cluster CIDR. One edit: MASQUERADE gains --random-fully (the fake iptables reports no
//    support; the model assumes real iptables ≥ 1.6.2).
//  - KUBE-SVC-NPX46M4PTMTKRN6Y: the chain every kubeadm cluster shows for default/kubernetes:https.

import { describe, expect, it } from 'vitest';
import { normalizeRule } from '../../dataplane/netfilter/normalise.js';
import { parseIptablesRestore } from '../../dataplane/netfilter/restore-parse.js';
import type { Chain, Rule } from '../../net/netfilter.js';
import { type Ep, endpointProbability, type KubeProxyTables, kubeProxyTables, normalizedEndpoints, servicePortChains, usableEndpoints } from './rules.js';
import type { ProxyConfig, ProxyEndpoint, ProxyServicePort } from './types.js';

// ---------------------------------------------------------------------------------------------
// Helpers

type Conditions = Pick<ProxyEndpoint, 'ready' | 'serving' | 'terminating'>;
const READY: Conditions = { ready: true, serving: true, terminating: false };
const SERVING_TERMINATING: Conditions = { ready: false, serving: true, terminating: true };
const TERMINATING: Conditions = { ready: false, serving: false, terminating: true };

const endpoint = (ip: string, port: number, c: Conditions = READY, nodeName?: string): ProxyEndpoint => ({ ip, port, ...c, ...(nodeName ? { nodeName } : {}) });

function servicePort(p: Partial<ProxyServicePort> & Pick<ProxyServicePort, 'namespace' | 'name'>): ProxyServicePort {
  return {
    portName: '',
    protocol: 'TCP',
    port: 80,
    externalIPs: [],
    loadBalancerIPs: [],
    loadBalancerSourceRanges: [],
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    endpoints: [],
    ...p,
  };
}

const eps = (endpoints: ProxyEndpoint[]): Ep[] => normalizedEndpoints(servicePort({ namespace: 'ns1', name: 'svc1', clusterIP: '172.30.1.1', endpoints }));
const keys = (list: readonly Ep[]): string[] => list.map((e) => e.key);

/** kube-proxy's fake proxier (NewFakeProxier): node test-node, 192.168.0.2, pods in 10.0.0.0/8. */
const FAKE_PROXIER: ProxyConfig = { clusterCIDR: '10.0.0.0/8', masqueradeAll: false, nodeName: 'test-node', nodeIPs: ['192.168.0.2'] };

const SERVICE_CHAIN = /^KUBE-(SVC|SVL|EXT|FW|SEP)-/;

/**
 * Our tables hold exactly what kube-proxy's iptables-restore input declares: every chain it lists
 * has its rules (compared as data after parsing), and the per-service chains are the same set.
 */
function expectRestoreInput(tables: KubeProxyTables, text: string): void {
  for (const t of parseIptablesRestore(text).tables) {
    const ours = tables[t.name as 'nat' | 'filter'];
    for (const c of t.chains) {
      const mine = ours.find((x) => x.name === c.name);
      expect(mine, `${t.name} ${c.name}`).toBeDefined();
      expect(mine!.rules.map(normalizeRule), `${t.name} ${c.name}`).toEqual(c.rules);
    }
    const serviceChains = (list: Chain[]) =>
      list
        .map((c) => c.name)
        .filter((n) => SERVICE_CHAIN.test(n))
        .sort();
    expect(serviceChains(ours), t.name).toEqual(serviceChains(t.chains));
  }
}

const isStatistic = (m: Rule['matches'][number]): m is Extract<Rule['matches'][number], { m: 'statistic' }> => m.m === 'statistic';

/** The load-balancing rules of a SVC/SVL chain: [endpoint, probability as kube-proxy prints it]. */
function balancing(chain: Chain): [string, string | undefined][] {
  return chain.rules
    .filter((r) => r.target.t === 'jump' && r.target.chain.startsWith('KUBE-SEP-') && !r.matches.some((m) => m.m === 'recent'))
    .map((r) => [r.owner?.endpoint ?? '', r.matches.find(isStatistic)?.probability.toFixed(10)]);
}

// The lines every proxier_test.go expectation shares.
const FILTER_CHAINS = `:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]`;
const FILTER_FIXED = `-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`;
const NAT_FIXED = `-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully`;
const NODEPORTS_JUMP =
  '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS';

// ---------------------------------------------------------------------------------------------

describe('normalizedEndpoints (EndpointSliceCache.addEndpoints, sorted byEndpoint)', () => {
  // generateEndpointSlice("svc1", "ns1", 1, 10, 6, 5, …): every 6th unready, every 5th terminating.
  const fixture = Array.from({ length: 10 }, (_, k) => {
    const i = k + 1;
    const serving = i % 6 !== 0;
    const terminating = i % 5 === 0;
    return endpoint(`10.0.1.${i}`, 80, { ready: serving && !terminating, serving, terminating });
  });
  const SORTED = ['10.0.1.10:80', '10.0.1.1:80', '10.0.1.2:80', '10.0.1.3:80', '10.0.1.4:80', '10.0.1.5:80', '10.0.1.6:80', '10.0.1.7:80', '10.0.1.8:80', '10.0.1.9:80'];

  it('sorts by the "ip:port" string, as TestEndpointsMapFromESC lists them (10.0.1.10:80 first)', () => {
    expect(keys(eps([...fixture].reverse()))).toEqual(SORTED);
    expect(keys(eps(fixture))).toEqual(SORTED);
  });

  it('keeps each endpoint with its own conditions and node', () => {
    const list = eps([...fixture, endpoint('10.0.2.1', 80, READY, 'host1')]);
    const byKey = new Map(list.map((e) => [e.key, e.src]));
    expect(byKey.get('10.0.1.5:80')).toMatchObject({ ready: false, serving: true, terminating: true });
    expect(byKey.get('10.0.1.6:80')).toMatchObject({ ready: false, serving: false, terminating: false });
    expect(byKey.get('10.0.1.10:80')).toMatchObject({ ready: false, serving: true, terminating: true });
    expect(byKey.get('10.0.1.1:80')).toMatchObject({ ready: true, serving: true, terminating: false });
    expect(byKey.get('10.0.2.1:80')?.nodeName).toBe('host1');
    expect(list.find((e) => e.key === '10.0.1.10:80')).toMatchObject({ port: 80, ip: (10 << 24) | (1 << 8) | 10 });
  });

  it('"Different endpoints with duplicate IPs should not be filtered": one IP on two ports is two endpoints', () => {
    expect(keys(eps([endpoint('10.0.1.2', 8080), endpoint('10.0.1.1', 8080), endpoint('10.0.1.2', 80), endpoint('10.0.1.1', 80)]))).toEqual([
      '10.0.1.1:80',
      '10.0.1.1:8080',
      '10.0.1.2:80',
      '10.0.1.2:8080',
    ]);
  });

  it('keeps the non-terminating copy of a duplicate, whichever comes first', () => {
    const ready = endpoint('10.0.1.1', 80, READY, 'host-new');
    const old = endpoint('10.0.1.1', 80, SERVING_TERMINATING, 'host-old');
    for (const list of [
      [old, ready],
      [ready, old],
    ]) {
      const out = eps([...list, endpoint('10.0.1.2', 80)]);
      expect(keys(out)).toEqual(['10.0.1.1:80', '10.0.1.2:80']);
      expect(out[0]!.src).toBe(ready);
    }
  });

  it('between two terminating copies the first one stays (only a non-terminating copy replaces)', () => {
    const first = endpoint('10.0.1.1', 80, SERVING_TERMINATING);
    const second = endpoint('10.0.1.1', 80, TERMINATING);
    expect(eps([first, second]).map((e) => e.src)).toEqual([first]);
    expect(eps([second, first]).map((e) => e.src)).toEqual([second]);
  });

  it('ignores an endpoint with port 0 ("Ignoring invalid endpoint port")', () => {
    expect(keys(eps([endpoint('10.0.1.1', 0), endpoint('10.0.1.2', 80)]))).toEqual(['10.0.1.2:80']);
  });

  it('orders the SVC chain rules, and so the probabilities, by that string', () => {
    const readyOnes = fixture.filter((e) => e.ready);
    const sp = servicePort({ namespace: 'ns1', name: 'svc1', clusterIP: '172.30.1.1', endpoints: [...readyOnes].reverse() });
    const svc = servicePortChains(sp, FAKE_PROXIER).nat.chains.find((c) => c.name.startsWith('KUBE-SVC-'))!;
    expect(balancing(svc)).toEqual([
      ['10.0.1.1:80', '0.1428571429'],
      ['10.0.1.2:80', '0.1666666667'],
      ['10.0.1.3:80', '0.2000000000'],
      ['10.0.1.4:80', '0.2500000000'],
      ['10.0.1.7:80', '0.3333333333'],
      ['10.0.1.8:80', '0.5000000000'],
      ['10.0.1.9:80', undefined],
    ]);
  });
});

describe('usableEndpoints (CategorizeEndpoints: Ready, else Serving && Terminating)', () => {
  it('TestTerminatingEndpointsTrafficPolicyCluster "ready endpoints exist": only the Ready ones', () => {
    const list = eps([
      endpoint('10.0.1.1', 80, READY, 'test-node'),
      endpoint('10.0.1.2', 80, READY, 'test-node'),
      endpoint('10.0.1.3', 80, SERVING_TERMINATING, 'another-host'),
      endpoint('10.0.1.4', 80, TERMINATING, 'another-host'),
      endpoint('10.0.1.5', 80, READY, 'another-host'),
    ]);
    expect(keys(usableEndpoints(list))).toEqual(['10.0.1.1:80', '10.0.1.2:80', '10.0.1.5:80']);
  });

  it('"only terminating endpoints exist": the serving and terminating ones (ProxyTerminatingEndpoints)', () => {
    const list = eps([
      endpoint('10.0.1.2', 80, SERVING_TERMINATING, 'test-node'),
      endpoint('10.0.1.3', 80, SERVING_TERMINATING, 'test-node'),
      endpoint('10.0.1.4', 80, TERMINATING, 'another-host'),
      endpoint('10.0.1.5', 80, SERVING_TERMINATING, 'another-host'),
    ]);
    expect(keys(usableEndpoints(list))).toEqual(['10.0.1.2:80', '10.0.1.3:80', '10.0.1.5:80']);
  });

  it('"no usable endpoints on any node": nothing when none is Ready or serving-and-terminating', () => {
    expect(usableEndpoints(eps([endpoint('10.0.1.5', 80, TERMINATING, 'test-node'), endpoint('10.0.1.5', 80, TERMINATING, 'host-1')]))).toEqual([]);
  });

  it('serving without terminating, or terminating without serving, is never a fallback', () => {
    const notReady = { ready: false, serving: false, terminating: false };
    const servingOnly = { ready: false, serving: true, terminating: false };
    expect(usableEndpoints(eps([endpoint('10.0.1.1', 80, servingOnly), endpoint('10.0.1.2', 80, TERMINATING), endpoint('10.0.1.3', 80, notReady)]))).toEqual([]);
    expect(keys(usableEndpoints(eps([endpoint('10.0.1.1', 80, servingOnly), endpoint('10.0.1.2', 80, SERVING_TERMINATING)])))).toEqual(['10.0.1.2:80']);
  });

  it('Ready is Ready, whatever serving and terminating say; one Ready endpoint hides every terminating one', () => {
    const odd = { ready: true, serving: false, terminating: true };
    expect(keys(usableEndpoints(eps([endpoint('10.0.1.1', 80, odd), endpoint('10.0.1.2', 80, SERVING_TERMINATING)])))).toEqual(['10.0.1.1:80']);
  });
});

describe('endpointProbability (computeProbability: "%0.10f" of 1/n)', () => {
  const PRINTED: [number, string][] = [
    [2, '0.5000000000'],
    [3, '0.3333333333'],
    [4, '0.2500000000'],
    [5, '0.2000000000'],
    [6, '0.1666666667'],
    [7, '0.1428571429'],
    [8, '0.1250000000'],
    [9, '0.1111111111'],
    [10, '0.1000000000'],
    [11, '0.0909090909'],
    [12, '0.0833333333'],
    [13, '0.0769230769'],
    [17, '0.0588235294'],
    [24, '0.0416666667'],
    [100, '0.0100000000'],
    [1000, '0.0010000000'],
    [3000, '0.0003333333'],
  ];

  it('is 1/n rounded to 10 decimals, the value kube-proxy writes after --probability', () => {
    for (const [n, printed] of PRINTED) {
      expect(endpointProbability(n), `n=${n}`).toBe(Number(printed));
      expect(endpointProbability(n).toFixed(10), `n=${n}`).toBe(printed);
    }
  });

  it('rounds an exact tie in the 11th decimal to even, as Go formats it (1/2048 = 0.00048828125 → 0.0004882812)', () => {
    expect(endpointProbability(2048)).toBe(0.0004882812);
  });

  it('gives endpoint i of n the probability 1/(n−i) and the last one none: 1/n, …, 1/3, 1/2, then unconditional', () => {
    const expected: Record<number, (string | undefined)[]> = {
      1: [undefined],
      2: ['0.5000000000', undefined],
      3: ['0.3333333333', '0.5000000000', undefined],
      4: ['0.2500000000', '0.3333333333', '0.5000000000', undefined],
      5: ['0.2000000000', '0.2500000000', '0.3333333333', '0.5000000000', undefined],
      6: ['0.1666666667', '0.2000000000', '0.2500000000', '0.3333333333', '0.5000000000', undefined],
    };
    for (const [n, probs] of Object.entries(expected)) {
      const endpoints = Array.from({ length: Number(n) }, (_, i) => endpoint(`10.180.0.${i + 1}`, 80));
      const svc = servicePortChains(servicePort({ namespace: 'ns1', name: `svc${n}`, clusterIP: '172.30.0.41', endpoints }), FAKE_PROXIER).nat.chains.find((c) =>
        c.name.startsWith('KUBE-SVC-'),
      )!;
      expect(
        balancing(svc).map(([, p]) => p),
        `${n} endpoints`,
      ).toEqual(probs);
    }
  });
});

describe('the default cluster kubernetes Service', () => {
  it('default/kubernetes:https is KUBE-SVC-NPX46M4PTMTKRN6Y, one endpoint and no statistic match', () => {
    const sp = servicePort({ namespace: 'default', name: 'kubernetes', portName: 'https', port: 443, clusterIP: '10.96.0.1', endpoints: [endpoint('192.168.56.10', 6443)] });
    const r = servicePortChains(sp, { clusterCIDR: '10.244.0.0/16', masqueradeAll: false, nodeName: 'controlplane', nodeIPs: ['192.168.56.10'] });
    const svc = r.nat.chains.find((c) => c.name.startsWith('KUBE-SVC-'))!;
    expect(svc.name).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y');
    expect(balancing(svc)).toEqual([['192.168.56.10:6443', undefined]]);
  });
});

// ---------------------------------------------------------------------------------------------
// kube-proxy's expected rules, pasted

describe('TestInternalTrafficPolicyE2E (three Ready endpoints: 10.0.1.1 on test-node, 10.0.1.2 on host1, 10.0.1.3 on host2)', () => {
  const svc = (internalTrafficPolicy: 'Cluster' | 'Local', nodes: [string, string, string]) =>
    servicePort({
      namespace: 'ns1',
      name: 'svc1',
      clusterIP: '172.30.1.1',
      internalTrafficPolicy,
      endpoints: [endpoint('10.0.1.1', 80, READY, nodes[0]), endpoint('10.0.1.2', 80, READY, nodes[1]), endpoint('10.0.1.3', 80, READY, nodes[2])],
    });
  const FILTER = (extra: string) => `*filter
${FILTER_CHAINS}
${extra}${FILTER_FIXED}
COMMIT
`;

  it('internalTrafficPolicy is cluster: 1/3, 1/2, then the last endpoint', () => {
    expectRestoreInput(
      kubeProxyTables([svc('Cluster', ['test-node', 'host1', 'host2'])], FAKE_PROXIER),
      `${FILTER('')}*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-3JOIVZTXZZRGORX4 - [0:0]
:KUBE-SEP-IO5XOSKPAXIFQXAJ - [0:0]
:KUBE-SEP-XGJFVO3L2O5SRFNT - [0:0]
:KUBE-SVC-AQI2S6QIMU7PVVRP - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j KUBE-SVC-AQI2S6QIMU7PVVRP
${NODEPORTS_JUMP}
${NAT_FIXED}
-A KUBE-SEP-3JOIVZTXZZRGORX4 -m comment --comment ns1/svc1 -s 10.0.1.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-3JOIVZTXZZRGORX4 -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80
-A KUBE-SEP-IO5XOSKPAXIFQXAJ -m comment --comment ns1/svc1 -s 10.0.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-IO5XOSKPAXIFQXAJ -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.2:80
-A KUBE-SEP-XGJFVO3L2O5SRFNT -m comment --comment ns1/svc1 -s 10.0.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-XGJFVO3L2O5SRFNT -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.3:80
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-3JOIVZTXZZRGORX4
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-IO5XOSKPAXIFQXAJ
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.3:80" -j KUBE-SEP-XGJFVO3L2O5SRFNT
COMMIT
`,
    );
  });

  it('internalTrafficPolicy is local and there are local endpoints: SVL with the local one only', () => {
    expectRestoreInput(
      kubeProxyTables([svc('Local', ['test-node', 'host1', 'host2'])], FAKE_PROXIER),
      `${FILTER('')}*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-3JOIVZTXZZRGORX4 - [0:0]
:KUBE-SVL-AQI2S6QIMU7PVVRP - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j KUBE-SVL-AQI2S6QIMU7PVVRP
${NODEPORTS_JUMP}
${NAT_FIXED}
-A KUBE-SEP-3JOIVZTXZZRGORX4 -m comment --comment ns1/svc1 -s 10.0.1.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-3JOIVZTXZZRGORX4 -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80
-A KUBE-SVL-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVL-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -j KUBE-SEP-3JOIVZTXZZRGORX4
COMMIT
`,
    );
  });

  it('internalTrafficPolicy is local and there are no local endpoints: DROP, no nat chains', () => {
    expectRestoreInput(
      kubeProxyTables([svc('Local', ['host0', 'host1', 'host2'])], FAKE_PROXIER),
      `${FILTER('-A KUBE-SERVICES -m comment --comment "ns1/svc1 has no local endpoints" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j DROP\n')}*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
${NODEPORTS_JUMP}
${NAT_FIXED}
COMMIT
`,
    );
  });
});

describe('TestExternalTrafficPolicyLocal', () => {
  it('external traffic goes to the local endpoint only (SVL); the cluster IP to both (SVC, 1/2)', () => {
    const sp = servicePort({
      namespace: 'ns1',
      name: 'svc1',
      portName: 'p80',
      clusterIP: '172.30.0.41',
      nodePort: 3001,
      healthCheckNodePort: 30000,
      externalIPs: ['192.168.99.11'],
      loadBalancerIPs: ['1.2.3.4'],
      externalTrafficPolicy: 'Local',
      endpoints: [endpoint('10.180.0.1', 80), endpoint('10.180.2.1', 80, READY, 'test-node')],
    });
    expectRestoreInput(
      kubeProxyTables([sp], FAKE_PROXIER),
      `*filter
${FILTER_CHAINS}
-A KUBE-NODEPORTS -m comment --comment "ns1/svc1:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
${FILTER_FIXED}
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXT-XPGD46QRK7WJZT7O - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
:KUBE-SEP-ZX7GRIZKSNUQ3LAJ - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
:KUBE-SVL-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 external IP" -m tcp -p tcp -d 192.168.99.11 --dport 80 -j KUBE-EXT-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-XPGD46QRK7WJZT7O
${NODEPORTS_JUMP}
-A KUBE-EXT-XPGD46QRK7WJZT7O -m comment --comment "pod traffic for ns1/svc1:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-EXT-XPGD46QRK7WJZT7O -m comment --comment "masquerade LOCAL traffic for ns1/svc1:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-EXT-XPGD46QRK7WJZT7O -m comment --comment "route LOCAL traffic for ns1/svc1:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-EXT-XPGD46QRK7WJZT7O -j KUBE-SVL-XPGD46QRK7WJZT7O
${NAT_FIXED}
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
-A KUBE-SEP-ZX7GRIZKSNUQ3LAJ -m comment --comment ns1/svc1:p80 -s 10.180.2.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZX7GRIZKSNUQ3LAJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.2.1:80
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-SXIVWICOYRO3J4NJ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.2.1:80" -j KUBE-SEP-ZX7GRIZKSNUQ3LAJ
-A KUBE-SVL-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.2.1:80" -j KUBE-SEP-ZX7GRIZKSNUQ3LAJ
COMMIT
`,
    );
  });
});

describe('TestTerminatingEndpointsTrafficPolicyCluster (LoadBalancer 1.2.3.4, externalTrafficPolicy Cluster, ClientIP affinity)', () => {
  const svc = (endpoints: ProxyEndpoint[]) =>
    servicePort({
      namespace: 'ns1',
      name: 'svc1',
      clusterIP: '172.30.1.1',
      loadBalancerIPs: ['1.2.3.4'],
      healthCheckNodePort: 30000,
      sessionAffinity: { timeoutSeconds: 10800 },
      endpoints,
    });
  const S1 = 'KUBE-SEP-3JOIVZTXZZRGORX4';
  const S2 = 'KUBE-SEP-IO5XOSKPAXIFQXAJ';
  const S3 = 'KUBE-SEP-XGJFVO3L2O5SRFNT';
  const S5 = 'KUBE-SEP-EQCHZ7S2PJ72OHAY';
  const natHead = (seps: string[]) => `*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXT-AQI2S6QIMU7PVVRP - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
${seps.map((s) => `:${s} - [0:0]`).join('\n')}
:KUBE-SVC-AQI2S6QIMU7PVVRP - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j KUBE-SVC-AQI2S6QIMU7PVVRP
-A KUBE-SERVICES -m comment --comment "ns1/svc1 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-AQI2S6QIMU7PVVRP
${NODEPORTS_JUMP}
-A KUBE-EXT-AQI2S6QIMU7PVVRP -m comment --comment "masquerade traffic for ns1/svc1 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-AQI2S6QIMU7PVVRP -j KUBE-SVC-AQI2S6QIMU7PVVRP
${NAT_FIXED}`;
  const FILTER = `*filter
${FILTER_CHAINS}
${FILTER_FIXED}
COMMIT
`;

  it('ready endpoints exist: the three Ready ones, 1/3 and 1/2; the serving-terminating one is left out', () => {
    const tables = kubeProxyTables(
      [
        svc([
          endpoint('10.0.1.1', 80, READY, 'test-node'),
          endpoint('10.0.1.2', 80, READY, 'test-node'),
          endpoint('10.0.1.3', 80, SERVING_TERMINATING, 'another-host'),
          endpoint('10.0.1.4', 80, TERMINATING, 'another-host'),
          endpoint('10.0.1.5', 80, READY, 'another-host'),
        ]),
      ],
      FAKE_PROXIER,
    );
    expectRestoreInput(
      tables,
      `${FILTER}${natHead([S1, S5, S2])}
-A KUBE-SEP-3JOIVZTXZZRGORX4 -m comment --comment ns1/svc1 -s 10.0.1.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-3JOIVZTXZZRGORX4 -m comment --comment ns1/svc1 -m recent --name KUBE-SEP-3JOIVZTXZZRGORX4 --set -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80
-A KUBE-SEP-EQCHZ7S2PJ72OHAY -m comment --comment ns1/svc1 -s 10.0.1.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-EQCHZ7S2PJ72OHAY -m comment --comment ns1/svc1 -m recent --name KUBE-SEP-EQCHZ7S2PJ72OHAY --set -m tcp -p tcp -j DNAT --to-destination 10.0.1.5:80
-A KUBE-SEP-IO5XOSKPAXIFQXAJ -m comment --comment ns1/svc1 -s 10.0.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-IO5XOSKPAXIFQXAJ -m comment --comment ns1/svc1 -m recent --name KUBE-SEP-IO5XOSKPAXIFQXAJ --set -m tcp -p tcp -j DNAT --to-destination 10.0.1.2:80
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -m recent --name KUBE-SEP-3JOIVZTXZZRGORX4 --rcheck --seconds 10800 --reap -j KUBE-SEP-3JOIVZTXZZRGORX4
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -m recent --name KUBE-SEP-IO5XOSKPAXIFQXAJ --rcheck --seconds 10800 --reap -j KUBE-SEP-IO5XOSKPAXIFQXAJ
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.5:80" -m recent --name KUBE-SEP-EQCHZ7S2PJ72OHAY --rcheck --seconds 10800 --reap -j KUBE-SEP-EQCHZ7S2PJ72OHAY
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-3JOIVZTXZZRGORX4
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-IO5XOSKPAXIFQXAJ
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.5:80" -j KUBE-SEP-EQCHZ7S2PJ72OHAY
COMMIT
`,
    );
  });

  it('only terminating endpoints exist: the three serving-terminating ones, 1/3 and 1/2', () => {
    const tables = kubeProxyTables(
      [
        svc([
          endpoint('10.0.1.2', 80, SERVING_TERMINATING, 'test-node'),
          endpoint('10.0.1.3', 80, SERVING_TERMINATING, 'test-node'),
          endpoint('10.0.1.4', 80, TERMINATING, 'another-host'),
          endpoint('10.0.1.5', 80, SERVING_TERMINATING, 'another-host'),
        ]),
      ],
      FAKE_PROXIER,
    );
    expectRestoreInput(
      tables,
      `${FILTER}${natHead([S5, S2, S3])}
-A KUBE-SEP-EQCHZ7S2PJ72OHAY -m comment --comment ns1/svc1 -s 10.0.1.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-EQCHZ7S2PJ72OHAY -m comment --comment ns1/svc1 -m recent --name KUBE-SEP-EQCHZ7S2PJ72OHAY --set -m tcp -p tcp -j DNAT --to-destination 10.0.1.5:80
-A KUBE-SEP-IO5XOSKPAXIFQXAJ -m comment --comment ns1/svc1 -s 10.0.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-IO5XOSKPAXIFQXAJ -m comment --comment ns1/svc1 -m recent --name KUBE-SEP-IO5XOSKPAXIFQXAJ --set -m tcp -p tcp -j DNAT --to-destination 10.0.1.2:80
-A KUBE-SEP-XGJFVO3L2O5SRFNT -m comment --comment ns1/svc1 -s 10.0.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-XGJFVO3L2O5SRFNT -m comment --comment ns1/svc1 -m recent --name KUBE-SEP-XGJFVO3L2O5SRFNT --set -m tcp -p tcp -j DNAT --to-destination 10.0.1.3:80
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -m recent --name KUBE-SEP-IO5XOSKPAXIFQXAJ --rcheck --seconds 10800 --reap -j KUBE-SEP-IO5XOSKPAXIFQXAJ
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.3:80" -m recent --name KUBE-SEP-XGJFVO3L2O5SRFNT --rcheck --seconds 10800 --reap -j KUBE-SEP-XGJFVO3L2O5SRFNT
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.5:80" -m recent --name KUBE-SEP-EQCHZ7S2PJ72OHAY --rcheck --seconds 10800 --reap -j KUBE-SEP-EQCHZ7S2PJ72OHAY
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-IO5XOSKPAXIFQXAJ
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.3:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-XGJFVO3L2O5SRFNT
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.5:80" -j KUBE-SEP-EQCHZ7S2PJ72OHAY
COMMIT
`,
    );
  });

  it('no usable endpoints on any node: REJECT the cluster IP and the LoadBalancer IP', () => {
    const tables = kubeProxyTables([svc([endpoint('10.0.1.5', 80, TERMINATING, 'test-node'), endpoint('10.0.1.5', 80, TERMINATING, 'host-1')])], FAKE_PROXIER);
    expectRestoreInput(
      tables,
      `*filter
${FILTER_CHAINS}
-A KUBE-SERVICES -m comment --comment "ns1/svc1 has no endpoints" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j REJECT
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1 has no endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j REJECT
${FILTER_FIXED}
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
${NODEPORTS_JUMP}
${NAT_FIXED}
COMMIT
`,
    );
  });
});
