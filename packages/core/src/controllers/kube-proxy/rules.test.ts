import { describe, expect, it } from 'vitest';
import { normalizeRule } from '../../dataplane/netfilter/normalise.js';
import { parseIptablesRestore } from '../../dataplane/netfilter/restore-parse.js';
import { ruleSpec } from '../../dataplane/netfilter/save.js';
import type { Chain, Rule } from '../../net/netfilter.js';
import { iptablesSave } from '../../views/linux/iptables.js';
import { endpointProbability, kubeProxyBaseChains, kubeProxyTables, servicePortChains, type KubeProxyTables } from './rules.js';
import type { ProxyConfig, ProxyEndpoint, ProxyServicePort } from './types.js';

// ---------------------------------------------------------------------------------------------
// Helpers

const ready = (ip: string, port: number, nodeName?: string): ProxyEndpoint => ({ ip, port, ready: true, serving: true, terminating: false, ...(nodeName ? { nodeName } : {}) });
const servingTerminating = (ip: string, port: number, nodeName?: string): ProxyEndpoint => ({
  ip,
  port,
  ready: false,
  serving: true,
  terminating: true,
  ...(nodeName ? { nodeName } : {}),
});
const gone = (ip: string, port: number, nodeName?: string): ProxyEndpoint => ({ ip, port, ready: false, serving: false, terminating: true, ...(nodeName ? { nodeName } : {}) });

function port(p: Partial<ProxyServicePort> & Pick<ProxyServicePort, 'namespace' | 'name'>): ProxyServicePort {
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

const SERVICE_CHAIN = /^KUBE-(SVC|SVL|EXT|FW|SEP)-/;

/**
 * Compares our tables with kube-proxy's iptables-restore input: every chain it declares has
 * exactly its rules (compared as data, after parsing), and it declares exactly our per-service chains.
 */
function expectSameAsRestoreInput(tables: KubeProxyTables, text: string): void {
  const parsed = parseIptablesRestore(text);
  for (const t of parsed.tables) {
    const ours = tables[t.name as 'nat' | 'filter'];
    for (const c of t.chains) {
      const mine = ours.find((x) => x.name === c.name);
      expect(mine, `${t.name} ${c.name}`).toBeDefined();
      expect(mine!.rules.map(normalizeRule), `${t.name} ${c.name}`).toEqual(c.rules);
    }
    const serviceChains = (list: Chain[]) =>
      list
        .filter((c) => SERVICE_CHAIN.test(c.name))
        .map((c) => c.name)
        .sort();
    expect(serviceChains(ours)).toEqual(serviceChains(t.chains));
  }
}

const saveLines = (tables: KubeProxyTables, table: 'mangle' | 'nat' | 'filter') =>
  iptablesSave({ tables: [{ name: table, chains: tables[table] }] }, { now: 0 })
    .split('\n')
    .filter((l) => l.startsWith('-A') || l.startsWith(':'));

// ---------------------------------------------------------------------------------------------
// (a) The reference example

describe('the example in kube-proxy-iptables.md', () => {
  const cfg: ProxyConfig = { clusterCIDR: '10.244.0.0/16', masqueradeAll: false, nodeName: 'node1', nodeIPs: ['192.168.1.11'] };
  const services = [
    port({ namespace: 'default', name: 'web', portName: 'http', clusterIP: '10.96.12.34', endpoints: [ready('10.244.2.7', 8080, 'node2'), ready('10.244.1.5', 8080, 'node1')] }),
    port({ namespace: 'default', name: 'nothing', portName: 'http', clusterIP: '10.96.7.7' }),
  ];
  const tables = kubeProxyTables(services, cfg);

  it('produces exactly its rules (kube-proxy input form, compared as data)', () => {
    expectSameAsRestoreInput(
      tables,
      `*filter
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A KUBE-SERVICES -m comment --comment "default/nothing:http has no endpoints" -m tcp -p tcp -d 10.96.7.7 --dport 80 -j REJECT
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SEP-AFGSLHOD2HFNCBX4 - [0:0]
:KUBE-SEP-2RIJ5GIYXEFH6G4D - [0:0]
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.12.34 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.12.34 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-AFGSLHOD2HFNCBX4
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.2.7:8080" -j KUBE-SEP-2RIJ5GIYXEFH6G4D
-A KUBE-SEP-AFGSLHOD2HFNCBX4 -m comment --comment default/web:http -s 10.244.1.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-AFGSLHOD2HFNCBX4 -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:8080
-A KUBE-SEP-2RIJ5GIYXEFH6G4D -m comment --comment default/web:http -s 10.244.2.7 -j KUBE-MARK-MASQ
-A KUBE-SEP-2RIJ5GIYXEFH6G4D -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.2.7:8080
COMMIT
`,
    );
  });

  it('prints in iptables-save form as a kernel gives it back (line by line)', () => {
    const chainLines = (table: 'nat' | 'filter', name: string) => tables[table].find((c) => c.name === name)!.rules.map((r) => ruleSpec(name, r));
    expect([
      ...chainLines('nat', 'KUBE-SERVICES'),
      ...chainLines('nat', 'KUBE-SVC-CDGGSHYLG3RE2FKL'),
      ...chainLines('nat', 'KUBE-SEP-AFGSLHOD2HFNCBX4'),
      ...chainLines('nat', 'KUBE-SEP-2RIJ5GIYXEFH6G4D'),
    ]).toEqual([
      '-A KUBE-SERVICES -d 10.96.12.34/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL',
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
      '-A KUBE-SVC-CDGGSHYLG3RE2FKL ! -s 10.244.0.0/16 -d 10.96.12.34/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-AFGSLHOD2HFNCBX4',
      '-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.2.7:8080" -j KUBE-SEP-2RIJ5GIYXEFH6G4D',
      '-A KUBE-SEP-AFGSLHOD2HFNCBX4 -s 10.244.1.5/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-AFGSLHOD2HFNCBX4 -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.1.5:8080',
      '-A KUBE-SEP-2RIJ5GIYXEFH6G4D -s 10.244.2.7/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-2RIJ5GIYXEFH6G4D -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.2.7:8080',
    ]);
    expect(chainLines('filter', 'KUBE-SERVICES')).toEqual([
      '-A KUBE-SERVICES -d 10.96.7.7/32 -p tcp -m comment --comment "default/nothing:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    ]);
  });

  it('builds rules in the kernel canonical form, each naming its Service (and endpoint)', () => {
    for (const t of [tables.nat, tables.filter]) {
      for (const c of t) {
        for (const r of c.rules) {
          const { owner, ...bare } = r;
          expect(normalizeRule(r)).toEqual(bare);
          expect(owner?.by).toMatch(/^kube(-proxy|let)$/);
        }
      }
    }
    const sep = tables.nat.find((c) => c.name === 'KUBE-SEP-AFGSLHOD2HFNCBX4')!;
    expect(sep.rules.map((r) => r.owner)).toEqual([
      { by: 'kube-proxy', kind: 'Service', namespace: 'default', name: 'web', endpoint: '10.244.1.5:8080' },
      { by: 'kube-proxy', kind: 'Service', namespace: 'default', name: 'web', endpoint: '10.244.1.5:8080' },
    ]);
    expect(tables.filter.find((c) => c.name === 'KUBE-SERVICES')!.rules[0]!.owner).toEqual({ by: 'kube-proxy', kind: 'Service', namespace: 'default', name: 'nothing' });
  });
});

// ---------------------------------------------------------------------------------------------
// The chains every node has

describe('kubeProxyBaseChains', () => {
  const base = kubeProxyBaseChains({ clusterCIDR: '10.244.0.0/16', masqueradeAll: false, nodeName: 'n', nodeIPs: [] });

  it('jumps from the built-in chains in the order prepending leaves them (kube-proxy first, then kubelet)', () => {
    expect(saveLines(base, 'filter').filter((l) => /^-A (INPUT|FORWARD|OUTPUT|KUBE-FIREWALL) /.test(l))).toEqual([
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
      '-A INPUT -j KUBE-FIREWALL',
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
      '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A OUTPUT -j KUBE-FIREWALL',
      '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    ]);
    expect(saveLines(base, 'nat').filter((l) => /^-A (PREROUTING|OUTPUT|POSTROUTING|KUBE-MARK-MASQ|KUBE-POSTROUTING) /.test(l))).toEqual([
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
      '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
      '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0',
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ]);
  });

  it('has the hint and canary chains a kubelet + kube-proxy node has, and no KUBE-MARK-DROP', () => {
    expect(saveLines(base, 'mangle').filter((l) => l.startsWith(':KUBE'))).toEqual([':KUBE-IPTABLES-HINT - [0:0]', ':KUBE-KUBELET-CANARY - [0:0]', ':KUBE-PROXY-CANARY - [0:0]']);
    expect(base.nat.map((c) => c.name)).toEqual(expect.arrayContaining(['KUBE-KUBELET-CANARY', 'KUBE-PROXY-CANARY']));
    expect(base.filter.map((c) => c.name)).toEqual(expect.arrayContaining(['KUBE-KUBELET-CANARY', 'KUBE-PROXY-CANARY', 'KUBE-FIREWALL']));
    expect([...base.nat, ...base.filter].some((c) => c.name === 'KUBE-MARK-DROP')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// kube-proxy's own expected outputs (pkg/proxy/iptables/proxier_test.go), with two edits for
// what the model leaves out or what kube-proxy's fake iptables differs in from a real node:
//  - MASQUERADE gains --random-fully (the fake reports no support; real iptables ≥1.6.2 has it);
//  - the `-m nfacct` localhost NodePort rules are dropped and KUBE-FORWARD's INVALID rule loses
//    its `-m nfacct` match (counters, not modelled);

describe("kube-proxy's expected outputs", () => {
  const POSTROUTING = `-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully`;
  const FILTER_FIXED = `-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`;
  const FILTER_CHAINS = `:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]`;

  it('TestOverallIPTablesRules', () => {
    const cfg: ProxyConfig = { clusterCIDR: '10.0.0.0/8', masqueradeAll: false, nodeName: 'test-node', nodeIPs: ['192.168.0.2'] };
    const p80 = { portName: 'p80', port: 80, protocol: 'TCP' as const };
    const services = [
      port({ namespace: 'ns1', name: 'svc1', ...p80, clusterIP: '172.30.0.41', endpoints: [ready('10.180.0.1', 80)] }),
      port({
        namespace: 'ns2',
        name: 'svc2',
        ...p80,
        clusterIP: '172.30.0.42',
        nodePort: 3001,
        loadBalancerIPs: ['1.2.3.4'],
        externalIPs: ['192.168.99.22'],
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: 30000,
        endpoints: [ready('10.180.0.2', 80)],
      }),
      port({ namespace: 'ns3', name: 'svc3', ...p80, clusterIP: '172.30.0.43', nodePort: 3003, endpoints: [ready('10.180.0.3', 80)] }),
      port({
        namespace: 'ns4',
        name: 'svc4',
        ...p80,
        clusterIP: '172.30.0.44',
        externalIPs: ['192.168.99.33'],
        endpoints: [ready('10.180.0.4', 80), ready('10.180.0.5', 80, 'test-node')],
      }),
      port({
        namespace: 'ns5',
        name: 'svc5',
        ...p80,
        clusterIP: '172.30.0.45',
        nodePort: 3002,
        loadBalancerIPs: ['5.6.7.8'],
        // Ignored: only LoadBalancer + Local services have a health check.
        healthCheckNodePort: 30000,
        loadBalancerSourceRanges: [' 203.0.113.0/25'],
        sessionAffinity: { timeoutSeconds: 10800 },
        endpoints: [ready('10.180.0.3', 80)],
      }),
      port({ namespace: 'ns6', name: 'svc6', ...p80, clusterIP: '172.30.0.46' }),
    ];
    expectSameAsRestoreInput(
      kubeProxyTables(services, cfg),
      `*filter
${FILTER_CHAINS}
-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP
${FILTER_FIXED}
-A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXT-4SW47YFZTEDKD3PK - [0:0]
:KUBE-EXT-GNZBNJ2PO5MGZ6GT - [0:0]
:KUBE-EXT-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-EXT-X27LE4BHSL4DOUIK - [0:0]
:KUBE-FW-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
:KUBE-SEP-I77PXRDZVX7PMWMN - [0:0]
:KUBE-SEP-OYPFS5VJICHGATKP - [0:0]
:KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
:KUBE-SEP-UKSFD7AGPMPPLUHC - [0:0]
:KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
:KUBE-SVC-GNZBNJ2PO5MGZ6GT - [0:0]
:KUBE-SVC-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK
-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C
-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C
-A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK
-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"
${POSTROUTING}
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN
-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
COMMIT
`,
    );
  });

  describe('TestTerminatingEndpointsTrafficPolicyLocal', () => {
    const cfg: ProxyConfig = { clusterCIDR: '10.0.0.0/8', masqueradeAll: false, nodeName: 'test-hostname', nodeIPs: ['192.168.0.2'] };
    const me = 'test-hostname';
    const svc = (endpoints: ProxyEndpoint[]) =>
      port({
        namespace: 'ns1',
        name: 'svc1',
        clusterIP: '172.30.1.1',
        loadBalancerIPs: ['1.2.3.4'],
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: 30000,
        sessionAffinity: { timeoutSeconds: 10800 },
        endpoints,
      });
    const natHead = (seps: string[], svl: boolean) => `*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXT-AQI2S6QIMU7PVVRP - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
${seps.map((s) => `:${s} - [0:0]`).join('\n')}
:KUBE-SVC-AQI2S6QIMU7PVVRP - [0:0]
${svl ? ':KUBE-SVL-AQI2S6QIMU7PVVRP - [0:0]\n' : ''}-A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j KUBE-SVC-AQI2S6QIMU7PVVRP
-A KUBE-SERVICES -m comment --comment "ns1/svc1 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-AQI2S6QIMU7PVVRP
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-EXT-AQI2S6QIMU7PVVRP -m comment --comment "pod traffic for ns1/svc1 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-AQI2S6QIMU7PVVRP
-A KUBE-EXT-AQI2S6QIMU7PVVRP -m comment --comment "masquerade LOCAL traffic for ns1/svc1 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-EXT-AQI2S6QIMU7PVVRP -m comment --comment "route LOCAL traffic for ns1/svc1 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-AQI2S6QIMU7PVVRP
${svl ? '-A KUBE-EXT-AQI2S6QIMU7PVVRP -j KUBE-SVL-AQI2S6QIMU7PVVRP\n' : ''}${POSTROUTING}`;
    const sep = (name: string, ip: string) => `-A ${name} -m comment --comment ns1/svc1 -s ${ip} -j KUBE-MARK-MASQ
-A ${name} -m comment --comment ns1/svc1 -m recent --name ${name} --set -m tcp -p tcp -j DNAT --to-destination ${ip}:80`;
    const masq = '-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ';
    const sticky = (chain: string, ip: string, sepName: string) =>
      `-A ${chain} -m comment --comment "ns1/svc1 -> ${ip}:80" -m recent --name ${sepName} --rcheck --seconds 10800 --reap -j ${sepName}`;
    const S1 = 'KUBE-SEP-3JOIVZTXZZRGORX4';
    const S2 = 'KUBE-SEP-IO5XOSKPAXIFQXAJ';
    const S3 = 'KUBE-SEP-XGJFVO3L2O5SRFNT';
    const S5 = 'KUBE-SEP-EQCHZ7S2PJ72OHAY';
    const SVC = 'KUBE-SVC-AQI2S6QIMU7PVVRP';
    const SVL = 'KUBE-SVL-AQI2S6QIMU7PVVRP';
    const filter = (extra: string) => `*filter
${FILTER_CHAINS}
-A KUBE-NODEPORTS -m comment --comment "ns1/svc1 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
${extra}${FILTER_FIXED}
COMMIT
`;

    it('ready endpoints exist: SVL gets the local ready ones only', () => {
      const tables = kubeProxyTables(
        [svc([ready('10.0.1.1', 80, me), ready('10.0.1.2', 80, me), servingTerminating('10.0.1.3', 80, me), gone('10.0.1.4', 80, me), ready('10.0.1.5', 80, 'host-1')])],
        cfg,
      );
      expectSameAsRestoreInput(
        tables,
        `${filter('')}${natHead([S1, S5, S2], true)}
${sep(S1, '10.0.1.1')}
${sep(S5, '10.0.1.5')}
${sep(S2, '10.0.1.2')}
${masq}
${sticky(SVC, '10.0.1.1', S1)}
${sticky(SVC, '10.0.1.2', S2)}
${sticky(SVC, '10.0.1.5', S5)}
-A ${SVC} -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -m statistic --mode random --probability 0.3333333333 -j ${S1}
-A ${SVC} -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -m statistic --mode random --probability 0.5000000000 -j ${S2}
-A ${SVC} -m comment --comment "ns1/svc1 -> 10.0.1.5:80" -j ${S5}
${sticky(SVL, '10.0.1.1', S1)}
${sticky(SVL, '10.0.1.2', S2)}
-A ${SVL} -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -m statistic --mode random --probability 0.5000000000 -j ${S1}
-A ${SVL} -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -j ${S2}
COMMIT
`,
      );
    });

    it('only terminating endpoints exist locally: SVL falls back to them, SVC keeps the remote ready one', () => {
      const tables = kubeProxyTables(
        [svc([servingTerminating('10.0.1.2', 80, me), servingTerminating('10.0.1.3', 80, me), gone('10.0.1.4', 80, me), ready('10.0.1.5', 80, 'host-1')])],
        cfg,
      );
      expectSameAsRestoreInput(
        tables,
        `${filter('')}${natHead([S5, S2, S3], true)}
${sep(S5, '10.0.1.5')}
${sep(S2, '10.0.1.2')}
${sep(S3, '10.0.1.3')}
${masq}
${sticky(SVC, '10.0.1.5', S5)}
-A ${SVC} -m comment --comment "ns1/svc1 -> 10.0.1.5:80" -j ${S5}
${sticky(SVL, '10.0.1.2', S2)}
${sticky(SVL, '10.0.1.3', S3)}
-A ${SVL} -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -m statistic --mode random --probability 0.5000000000 -j ${S2}
-A ${SVL} -m comment --comment "ns1/svc1 -> 10.0.1.3:80" -j ${S3}
COMMIT
`,
      );
    });

    it('terminating endpoints on a remote node: no SVL, external traffic DROPped', () => {
      const tables = kubeProxyTables([svc([servingTerminating('10.0.1.5', 80, 'host-1')])], cfg);
      expectSameAsRestoreInput(
        tables,
        `${filter('-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP\n')}${natHead([S5], false)}
${sep(S5, '10.0.1.5')}
${masq}
${sticky(SVC, '10.0.1.5', S5)}
-A ${SVC} -m comment --comment "ns1/svc1 -> 10.0.1.5:80" -j ${S5}
COMMIT
`,
      );
    });

    it('no usable endpoints on any node: REJECT, no nat chains', () => {
      const tables = kubeProxyTables([svc([gone('10.0.1.5', 80, me), gone('10.0.1.5', 80, 'host-1')])], cfg);
      expectSameAsRestoreInput(
        tables,
        `${filter(`-A KUBE-SERVICES -m comment --comment "ns1/svc1 has no endpoints" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j REJECT
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1 has no endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j REJECT
`)}*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
${POSTROUTING}
COMMIT
`,
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Individual semantics

describe('servicePortChains', () => {
  const cfg: ProxyConfig = { clusterCIDR: '10.244.0.0/16', masqueradeAll: false, nodeName: 'node1', nodeIPs: ['192.168.1.11'] };
  const specs = (rules: Rule[], chain = 'C') => rules.map((r) => ruleSpec(chain, r));

  it('gives headless services (no clusterIP) no rules at all', () => {
    const r = servicePortChains(port({ namespace: 'default', name: 'db', endpoints: [ready('10.244.1.5', 5432)] }), cfg);
    expect([...r.nat.services, ...r.nat.nodePorts, ...r.nat.chains, ...r.filter.services, ...r.filter.externalServices]).toEqual([]);
  });

  it('masqueradeAll marks every cluster IP connection; no cluster CIDR marks none', () => {
    const sp = port({ namespace: 'default', name: 'web', clusterIP: '10.96.0.20', endpoints: [ready('10.244.1.5', 80)] });
    const first = (c: ProxyConfig) => ruleSpec('SVC', servicePortChains(sp, c).nat.chains.find((c) => c.name.startsWith('KUBE-SVC-'))!.rules[0]!);
    expect(first({ ...cfg, masqueradeAll: true })).toBe('-A SVC -d 10.96.0.20/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ');
    expect(first({ ...cfg, clusterCIDR: '' })).toMatch(/^-A SVC -m comment --comment "default\/web -> 10\.244\.1\.5:80" -j KUBE-SEP-[A-Z2-7]{16}$/);
  });

  it('internalTrafficPolicy Local: the cluster IP goes to SVL, or is DROPped without local endpoints', () => {
    const sp = (eps: ProxyEndpoint[]) => port({ namespace: 'default', name: 'web', clusterIP: '10.96.0.20', internalTrafficPolicy: 'Local', endpoints: eps });
    const withLocal = servicePortChains(sp([ready('10.244.1.5', 80, 'node1'), ready('10.244.2.5', 80, 'node2')]), cfg);
    expect(specs(withLocal.nat.services)[0]).toMatch(/-j KUBE-SVL-/);
    expect(withLocal.nat.chains.map((c) => c.name.slice(0, 9))).toEqual(['KUBE-SVL-', 'KUBE-SEP-']);
    expect(specs(withLocal.nat.chains[0]!.rules)[0]).toMatch(/^-A C ! -s 10\.244\.0\.0\/16 -d 10\.96\.0\.20\/32 .* -j KUBE-MARK-MASQ$/);
    const elsewhere = servicePortChains(sp([ready('10.244.2.5', 80, 'node2')]), cfg);
    expect(elsewhere.nat.chains).toEqual([]);
    expect(specs(elsewhere.filter.services, 'KUBE-SERVICES')).toEqual([
      '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/web has no local endpoints" -m tcp --dport 80 -j DROP',
    ]);
  });

  it('UDP and SCTP ports match their own protocol module', () => {
    for (const protocol of ['UDP', 'SCTP'] as const) {
      const r = servicePortChains(
        port({ namespace: 'kube-system', name: 'kube-dns', portName: 'dns', protocol, port: 53, clusterIP: '10.96.0.10', endpoints: [ready('10.244.0.2', 53)] }),
        cfg,
      );
      const p = protocol.toLowerCase();
      expect(specs(r.nat.services, 'KUBE-SERVICES')).toEqual([
        `-A KUBE-SERVICES -d 10.96.0.10/32 -p ${p} -m comment --comment "kube-system/kube-dns:dns cluster IP" -m ${p} --dport 53 -j ${r.nat.chains[0]!.name}`,
      ]);
      expect(specs(r.nat.chains.at(-1)!.rules).at(-1)).toBe(`-A C -p ${p} -m comment --comment "kube-system/kube-dns:dns" -m ${p} -j DNAT --to-destination 10.244.0.2:53`);
    }
  });

  it('sends NodePort traffic to the node itself only when a source range contains the node IP', () => {
    const sp = port({
      namespace: 'default',
      name: 'lb',
      clusterIP: '10.96.0.30',
      nodePort: 31000,
      loadBalancerIPs: ['192.168.9.1'],
      loadBalancerSourceRanges: ['192.168.1.0/24'],
      endpoints: [ready('10.244.1.5', 80)],
    });
    const fw = (c: ProxyConfig) =>
      servicePortChains(sp, c)
        .nat.chains.find((x) => x.name.startsWith('KUBE-FW-'))!
        .rules.map((r) => ruleSpec('FW', r).replace(/KUBE-EXT-\w+/, 'EXT'));
    const last = '-A FW -m comment --comment "other traffic to default/lb will be dropped by KUBE-PROXY-FIREWALL"';
    expect(fw(cfg)).toEqual([
      '-A FW -s 192.168.1.0/24 -m comment --comment "default/lb loadbalancer IP" -j EXT',
      '-A FW -s 192.168.9.1/32 -m comment --comment "default/lb loadbalancer IP" -j EXT',
      last,
    ]);
    expect(fw({ ...cfg, nodeIPs: ['172.16.0.5'] })).toEqual(['-A FW -s 192.168.1.0/24 -m comment --comment "default/lb loadbalancer IP" -j EXT', last]);
    // A 0.0.0.0/0 range means no filtering: no FW chain at all.
    const open = servicePortChains({ ...sp, loadBalancerSourceRanges: ['192.168.1.0/24', '0.0.0.0/0'] }, cfg);
    expect(open.nat.chains.some((c) => c.name.startsWith('KUBE-FW-'))).toBe(false);
    expect(open.filter.proxyFirewall).toEqual([]);
  });

  it('no endpoints: NodePort and external IPs REJECT in KUBE-EXTERNAL-SERVICES', () => {
    const r = servicePortChains(port({ namespace: 'default', name: 'np', clusterIP: '10.96.0.40', nodePort: 30080, externalIPs: ['203.0.113.9'] }), cfg);
    expect(r.nat.services).toEqual([]);
    expect(r.nat.nodePorts).toEqual([]);
    expect(specs(r.filter.externalServices, 'KUBE-EXTERNAL-SERVICES')).toEqual([
      '-A KUBE-EXTERNAL-SERVICES -d 203.0.113.9/32 -p tcp -m comment --comment "default/np has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
      '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/np has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable',
    ]);
  });

  it('orders endpoints by their "ip:port" string and merges duplicates (keeping the non-terminating copy)', () => {
    const r = servicePortChains(
      port({
        namespace: 'default',
        name: 'web',
        clusterIP: '10.96.0.50',
        endpoints: [ready('10.244.2.7', 80), ready('10.244.10.1', 80), servingTerminating('10.244.2.7', 80), ready('10.244.1.5', 80)],
      }),
      cfg,
    );
    const svc = r.nat.chains.find((c) => c.name.startsWith('KUBE-SVC-'))!;
    expect(svc.rules.slice(1).map((x) => x.owner?.endpoint)).toEqual(['10.244.1.5:80', '10.244.10.1:80', '10.244.2.7:80']);
    expect(r.nat.chains.filter((c) => c.name.startsWith('KUBE-SEP-'))).toHaveLength(3);
  });

  it("shares a port's output between nodes that look the same to it", () => {
    const sp = port({ namespace: 'default', name: 'web', clusterIP: '10.96.0.60', endpoints: [ready('10.244.1.5', 80, 'node1')] });
    expect(servicePortChains(sp, cfg)).toBe(servicePortChains(sp, { ...cfg, nodeName: 'node2', nodeIPs: ['192.168.1.12'] }));
    expect(servicePortChains(sp, cfg)).not.toBe(servicePortChains(sp, { ...cfg, masqueradeAll: true }));
    const local = { ...sp, internalTrafficPolicy: 'Local' as const };
    const n1 = servicePortChains(local, cfg);
    const n2 = servicePortChains(local, { ...cfg, nodeName: 'node2' });
    expect(n1.nat.chains.length).toBeGreaterThan(0);
    expect(n2.nat.chains).toEqual([]);
    // Nodes without local endpoints all get the same (shared) rules.
    expect(servicePortChains(local, { ...cfg, nodeName: 'node3' })).toBe(n2);
    expect(servicePortChains(local, { ...cfg, nodeName: 'node1', nodeIPs: ['192.168.1.99'] })).toBe(n1);
  });
});

describe('large clusters', () => {
  const cfg: ProxyConfig = { clusterCIDR: '10.244.0.0/16', masqueradeAll: false, nodeName: 'node1', nodeIPs: [] };
  const many = (count: number, name: string, clusterIP: string) =>
    port({ namespace: 'default', name, clusterIP, endpoints: Array.from({ length: count }, (_, i) => ready(`10.244.${(i >> 8) + 1}.${i & 255}`, 80)) });

  it('drops the per-endpoint comments above 1000 endpoints in total, and only those', () => {
    const commented = (t: KubeProxyTables, prefix: string) =>
      t.nat
        .filter((c) => c.name.startsWith(prefix))
        .flatMap((c) =>
          c.rules.filter((r) => !r.target.t.startsWith('MARK') && !(r.target.t === 'jump' && r.target.chain === 'KUBE-MARK-MASQ' && r.matches.some((m) => m.m === 'dst'))),
        );
    const hasComment = (r: Rule) => r.matches.some((m) => m.m === 'comment');
    const at = kubeProxyTables([many(600, 'a', '10.96.1.1'), many(400, 'b', '10.96.1.2')], cfg);
    expect(commented(at, 'KUBE-SEP-').every(hasComment)).toBe(true);
    const over = kubeProxyTables([many(600, 'a', '10.96.1.1'), many(401, 'b', '10.96.1.2')], cfg);
    expect(commented(over, 'KUBE-SEP-').some(hasComment)).toBe(false);
    expect(commented(over, 'KUBE-SVC-').some(hasComment)).toBe(false);
    // The service-level rules keep theirs.
    expect(over.nat.find((c) => c.name === 'KUBE-SERVICES')!.rules.every(hasComment)).toBe(true);
    expect(over.nat.filter((c) => c.name.startsWith('KUBE-SVC-')).every((c) => hasComment(c.rules[0]!))).toBe(true);
  });
});

describe('endpointProbability', () => {
  it('is 1/n as kube-proxy prints it with %0.10f', () => {
    expect([2, 3, 4, 6, 7].map(endpointProbability)).toEqual([0.5, 0.3333333333, 0.25, 0.1666666667, 0.1428571429]);
    // An exact tie in the 11th digit rounds to even, as Go does (JavaScript's toFixed rounds up).
    expect(endpointProbability(2048)).toBe(0.0004882812);
  });
});
