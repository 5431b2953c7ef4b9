// kube-proxy's own packet-flow cases (pkg/proxy/iptables/proxier_test.go, v1.34: the
// runPacketFlowTests tables of TestInternalExternalMasquerade, TestNodePorts,
// TestHealthCheckNodePort, TestExternalTrafficPolicyLocal and TestExternalTrafficPolicyCluster),
// replayed on the lab: the settings they vary are set in the kube-system/kube-proxy ConfigMap
// and picked up with `kubectl -n kube-system rollout restart ds kube-proxy`, then the walker
// traces each packet through node01's ruleset. The expected endpoints and masquerade are the
// upstream ones, translated address for address:
//
//   upstream                                lab
//   test node 192.168.0.2                   node01 192.168.56.11
//   pod 10.0.0.2 (in the pod CIDR)          pod default/client on node01
//   127.0.0.1 (localhost)                   node01 to 127.0.0.1
//   external client 203.0.113.2             the workstation 192.168.56.1 (its routes send
//                                           ClusterIPs and the extra addresses to node01)
//   secondary node IP 192.168.1.2           node01's docker0 address 172.17.0.1
//   ClusterIPs 172.30.0.4N                  10.96.0.4N
//   LB IPs 1.2.3.4, 5.6.7.8, 9.10.11.12     the MetalLB addresses of svc1..svc3 (node01, the
//                                           only worker, announces them all)
//   external IP 192.168.99.11               192.168.56.20N (routed to node01)
//   NodePorts 300N, health check 30000      3100N, 30000
//   local endpoint 10.180.0.N / 10.180.2.1  a pod on node01
//   remote endpoint 10.180.1.N / 10.180.0.1 a pod on the control plane
//   --detect-local by 10.0.0.0/8            detectLocalMode ClusterCIDR, 10.244.0.0/16
//   no LocalTrafficDetector                 clusterCIDR: "" (ClusterCIDR mode without a CIDR)
//
// "output" is the set of endpoints kube-proxy can DNAT to (every path of `traceAll`), or ""
// when no kube-proxy rule decides; "masq" is whether the packet went through KUBE-MARK-MASQ.
// Not expressible: TestNodePorts' three IPv6 cases (the lab is IPv4 only).

import { beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster.js';
import { getAgent } from '../state/store.js';
import type { TraceRequest } from './types.js';

const NODE = '192.168.56.11';
const ALT = '172.17.0.1';
const WORKSTATION = '192.168.56.1';

/** A flow as upstream writes it (upstream names and addresses). */
interface Flow {
  name: string;
  sourceIP: string;
  destIP: string;
  destPort: number;
  output: string;
  masq?: boolean;
}

const ns = (n: number, extra: string) => `apiVersion: v1
kind: Namespace
metadata: { name: ns${n} }
---
apiVersion: v1
kind: Pod
metadata: { name: local${n}, namespace: ns${n}, labels: { app: web${n} } }
spec: { nodeName: node01, containers: [{ name: web, image: nginx }] }
---
apiVersion: v1
kind: Pod
metadata: { name: remote${n}, namespace: ns${n}, labels: { app: web${n} } }
spec: { nodeName: controlplane, containers: [{ name: web, image: nginx }] }
---
apiVersion: v1
kind: Service
metadata: { name: svc${n}, namespace: ns${n} }
spec: { type: LoadBalancer, clusterIP: 10.96.0.4${n}, selector: { app: web${n} }, ports: [{ name: p80, port: 80, nodePort: 3100${n} }]${extra} }
---
`;

/**
 * The lab the cases run on: controlplane and node01. svc1..svc3 as TestInternalExternalMasquerade
 * sets them up (eTP Cluster; eTP Local; iTP Local), svc4 and svc5 as
 * TestExternalTrafficPolicyLocal / Cluster (with an external IP), svc6 as TestHealthCheckNodePort
 * (eTP Local, health check node port 30000, no endpoints).
 */
function buildLab(): Cluster {
  const manifests =
    ns(1, '') +
    ns(2, ', externalTrafficPolicy: Local') +
    ns(3, ', internalTrafficPolicy: Local') +
    ns(4, ', externalTrafficPolicy: Local, externalIPs: [192.168.56.204]') +
    ns(5, ', externalTrafficPolicy: Cluster, externalIPs: [192.168.56.205]') +
    `apiVersion: v1
kind: Namespace
metadata: { name: ns6 }
---
apiVersion: v1
kind: Service
metadata: { name: svc6, namespace: ns6 }
spec: { type: LoadBalancer, clusterIP: 10.96.0.46, externalTrafficPolicy: Local, healthCheckNodePort: 30000, ports: [{ name: p80, port: 80, nodePort: 31006 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: default }
spec: { nodeName: node01, containers: [{ name: client, image: busybox }] }
`;
  let c = Cluster.create({ nodes: 2 }).apply(manifests).settle();
  for (const route of ['10.96.0.0/12', `${ALT}/32`, '192.168.56.204/32', '192.168.56.205/32']) {
    const r = c.exec(`sudo ip route add ${route} via ${NODE}`, { workstation: true });
    expect(r.exitCode).toBe(0);
    c = r.cluster;
  }
  return c;
}

/** The lab with kube-proxy restarted on this config.conf (each edit replaces one line of kubeadm's). */
function withConfig(lab: Cluster, edits: readonly [string, string][]): Cluster {
  let c = lab;
  if (edits.length === 0) return c;
  let text = c.state.configMaps['kube-system']!['kube-proxy']!.data!['config.conf']!;
  for (const [from, to] of edits) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  for (const line of [
    `kubectl -n kube-system patch cm kube-proxy --type merge -p '${JSON.stringify({ data: { 'config.conf': text } })}'`,
    'kubectl -n kube-system rollout restart ds kube-proxy',
  ]) {
    const r = c.exec(line);
    expect(r.exitCode, r.stderr).toBe(0);
    c = r.cluster;
  }
  const rec = getAgent(c.state, 'node01')!.kubeProxy!;
  expect(rec.error).toBeUndefined();
  expect(rec.programmed?.frozen).toBeUndefined();
  return c;
}

/** Upstream address → lab address. */
function labAddresses(c: Cluster): Map<string, string> {
  const ip = (ref: string) => c.pods({}).find((p) => `${p.namespace}/${p.name}` === ref)!.ip!;
  const lb = (n: number) => c.service(`ns${n}/svc${n}`).loadBalancerIPs[0]!;
  return new Map([
    ['172.30.0.41', '10.96.0.41'],
    ['172.30.0.42', '10.96.0.42'],
    ['172.30.0.43', '10.96.0.43'],
    ['1.2.3.4', lb(1)],
    ['5.6.7.8', lb(2)],
    ['9.10.11.12', lb(3)],
    ['192.168.0.2', NODE],
    ['192.168.1.2', ALT],
    ['127.0.0.1', '127.0.0.1'],
    ['10.180.0.1', ip('ns1/local1')],
    ['10.180.1.1', ip('ns1/remote1')],
    ['10.180.0.2', ip('ns2/local2')],
    ['10.180.1.2', ip('ns2/remote2')],
    ['10.180.0.3', ip('ns3/local3')],
    ['10.180.1.3', ip('ns3/remote3')],
  ]);
}

/** The trace request for an upstream source. */
function from(sourceIP: string): TraceRequest['from'] {
  if (sourceIP === '10.0.0.2') return { pod: 'default/client' };
  if (sourceIP === '192.168.0.2' || sourceIP === '127.0.0.1') return { node: 'node01' };
  if (sourceIP === '203.0.113.2' || sourceIP === '1.2.3.4') return { external: WORKSTATION };
  throw new Error(`no lab source for ${sourceIP}`);
}

/** What node01's kube-proxy rules did with the packet, on every path: as upstream's tracer reports it. */
function observe(c: Cluster, req: TraceRequest): { output: string; masq: boolean } {
  const dnat = new Set<string>();
  const verdicts = new Set<string>();
  let masq = false;
  for (const o of c.traceAll(req)) {
    for (const h of o.result.hops) {
      if (h.kind !== 'netfilter' || h.at.node !== 'node01' || !h.chain?.startsWith('KUBE-')) continue;
      const to = h.rule?.match(/ -j DNAT --to-destination (\S+)$/);
      if (to && h.chain.startsWith('KUBE-SEP-')) dnat.add(to[1]!);
      if (h.chain === 'KUBE-MARK-MASQ') masq = true;
      const v = h.rule?.match(/ -j (DROP|REJECT|ACCEPT)\b/);
      if (v) verdicts.add(v[1]!);
    }
  }
  const output = dnat.size ? [...dnat].sort().join(', ') : [...verdicts].join(', ');
  return { output, masq };
}

/** Runs upstream flows on a configured lab, translating addresses both ways. */
function runFlows(c: Cluster, flows: readonly Flow[], extra: Map<string, string> = new Map()): void {
  const addr = new Map([...labAddresses(c), ...extra]);
  const lab = (ip: string) => {
    const v = addr.get(ip);
    if (v === undefined) throw new Error(`no lab address for ${ip}`);
    return v;
  };
  for (const f of flows) {
    const got = observe(c, { from: from(f.sourceIP), to: { ip: lab(f.destIP), port: ports.get(f.destPort) ?? f.destPort } });
    const output = /^(|DROP|REJECT|ACCEPT)$/.test(f.output)
      ? f.output
      : f.output
          .split(', ')
          .map((hp) => `${lab(hp.slice(0, hp.lastIndexOf(':')))}${hp.slice(hp.lastIndexOf(':'))}`)
          .sort()
          .join(', ');
    expect({ flow: f.name, ...got }).toEqual({ flow: f.name, output, masq: f.output === '' || /^(DROP|REJECT|ACCEPT)$/.test(f.output) ? false : (f.masq ?? false) });
  }
}

/** Upstream NodePorts → the lab's (the API server only takes 30000-32767). */
const ports = new Map([
  [3001, 31001],
  [3002, 31002],
  [3003, 31003],
]);

// TestInternalExternalMasquerade's flowTests: the normal case (a working local detector, no masqueradeAll).
const TEST_NODE_IP = '192.168.0.2';
const EXTERNAL = '203.0.113.2';
const INTERNAL_EXTERNAL_FLOWS: Flow[] = [
  { name: 'pod to ClusterIP', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80, 10.180.1.1:80', masq: false },
  { name: 'pod to NodePort', sourceIP: '10.0.0.2', destIP: TEST_NODE_IP, destPort: 3001, output: '10.180.0.1:80, 10.180.1.1:80', masq: true },
  { name: 'pod to LB', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: '10.180.0.1:80, 10.180.1.1:80', masq: true },
  { name: 'node to ClusterIP', sourceIP: TEST_NODE_IP, destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80, 10.180.1.1:80', masq: true },
  { name: 'node to NodePort', sourceIP: TEST_NODE_IP, destIP: TEST_NODE_IP, destPort: 3001, output: '10.180.0.1:80, 10.180.1.1:80', masq: true },
  { name: 'localhost to NodePort', sourceIP: '127.0.0.1', destIP: '127.0.0.1', destPort: 3001, output: '10.180.0.1:80, 10.180.1.1:80', masq: true },
  { name: 'node to LB', sourceIP: TEST_NODE_IP, destIP: '1.2.3.4', destPort: 80, output: '10.180.0.1:80, 10.180.1.1:80', masq: true },
  { name: 'external to ClusterIP', sourceIP: EXTERNAL, destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80, 10.180.1.1:80', masq: true },
  { name: 'external to NodePort', sourceIP: EXTERNAL, destIP: TEST_NODE_IP, destPort: 3001, output: '10.180.0.1:80, 10.180.1.1:80', masq: true },
  { name: 'external to LB', sourceIP: EXTERNAL, destIP: '1.2.3.4', destPort: 80, output: '10.180.0.1:80, 10.180.1.1:80', masq: true },
  { name: 'pod to ClusterIP with eTP:Local', sourceIP: '10.0.0.2', destIP: '172.30.0.42', destPort: 80, output: '10.180.0.2:80, 10.180.1.2:80', masq: false },
  { name: 'pod to NodePort with eTP:Local', sourceIP: '10.0.0.2', destIP: TEST_NODE_IP, destPort: 3002, output: '10.180.0.2:80, 10.180.1.2:80', masq: false },
  { name: 'pod to LB with eTP:Local', sourceIP: '10.0.0.2', destIP: '5.6.7.8', destPort: 80, output: '10.180.0.2:80, 10.180.1.2:80', masq: false },
  { name: 'node to ClusterIP with eTP:Local', sourceIP: TEST_NODE_IP, destIP: '172.30.0.42', destPort: 80, output: '10.180.0.2:80, 10.180.1.2:80', masq: true },
  // (upstream sends this one to svc1's NodePort, 3001)
  { name: 'node to NodePort with eTP:Local', sourceIP: TEST_NODE_IP, destIP: TEST_NODE_IP, destPort: 3001, output: '10.180.0.1:80, 10.180.1.1:80', masq: true },
  { name: 'localhost to NodePort with eTP:Local', sourceIP: '127.0.0.1', destIP: '127.0.0.1', destPort: 3002, output: '10.180.0.2:80, 10.180.1.2:80', masq: true },
  { name: 'node to LB with eTP:Local', sourceIP: TEST_NODE_IP, destIP: '5.6.7.8', destPort: 80, output: '10.180.0.2:80, 10.180.1.2:80', masq: true },
  { name: 'external to ClusterIP with eTP:Local', sourceIP: EXTERNAL, destIP: '172.30.0.42', destPort: 80, output: '10.180.0.2:80, 10.180.1.2:80', masq: true },
  { name: 'external to NodePort with eTP:Local', sourceIP: EXTERNAL, destIP: TEST_NODE_IP, destPort: 3002, output: '10.180.0.2:80', masq: false },
  { name: 'external to LB with eTP:Local', sourceIP: EXTERNAL, destIP: '5.6.7.8', destPort: 80, output: '10.180.0.2:80', masq: false },
  { name: 'pod to ClusterIP with iTP:Local', sourceIP: '10.0.0.2', destIP: '172.30.0.43', destPort: 80, output: '10.180.0.3:80', masq: false },
  { name: 'pod to NodePort with iTP:Local', sourceIP: '10.0.0.2', destIP: TEST_NODE_IP, destPort: 3003, output: '10.180.0.3:80, 10.180.1.3:80', masq: true },
  { name: 'pod to LB with iTP:Local', sourceIP: '10.0.0.2', destIP: '9.10.11.12', destPort: 80, output: '10.180.0.3:80, 10.180.1.3:80', masq: true },
  { name: 'node to ClusterIP with iTP:Local', sourceIP: TEST_NODE_IP, destIP: '172.30.0.43', destPort: 80, output: '10.180.0.3:80', masq: true },
  { name: 'node to NodePort with iTP:Local', sourceIP: TEST_NODE_IP, destIP: TEST_NODE_IP, destPort: 3003, output: '10.180.0.3:80, 10.180.1.3:80', masq: true },
  { name: 'localhost to NodePort with iTP:Local', sourceIP: '127.0.0.1', destIP: '127.0.0.1', destPort: 3003, output: '10.180.0.3:80, 10.180.1.3:80', masq: true },
  { name: 'node to LB with iTP:Local', sourceIP: TEST_NODE_IP, destIP: '9.10.11.12', destPort: 80, output: '10.180.0.3:80, 10.180.1.3:80', masq: true },
  { name: 'external to ClusterIP with iTP:Local', sourceIP: EXTERNAL, destIP: '172.30.0.43', destPort: 80, output: '10.180.0.3:80', masq: true },
  { name: 'external to NodePort with iTP:Local', sourceIP: EXTERNAL, destIP: TEST_NODE_IP, destPort: 3003, output: '10.180.0.3:80, 10.180.1.3:80', masq: true },
  { name: 'external to LB with iTP:Local', sourceIP: EXTERNAL, destIP: '9.10.11.12', destPort: 80, output: '10.180.0.3:80, 10.180.1.3:80', masq: true },
];

type Override = { output?: string; masq?: boolean };
const NO_DETECTOR: Record<string, Override> = {
  'node to ClusterIP': { masq: false },
  'node to ClusterIP with eTP:Local': { masq: false },
  'node to ClusterIP with iTP:Local': { masq: false },
  'external to ClusterIP': { masq: false },
  'external to ClusterIP with eTP:Local': { masq: false },
  'external to ClusterIP with iTP:Local': { masq: false },
  'pod to NodePort with eTP:Local': { output: '10.180.0.2:80' },
  'pod to LB with eTP:Local': { output: '10.180.0.2:80' },
};
const MASQUERADE_ALL: Record<string, Override> = {
  'pod to ClusterIP': { masq: true },
  'pod to ClusterIP with eTP:Local': { masq: true },
  'pod to ClusterIP with iTP:Local': { masq: true },
};
// Upstream's "masqueradeAll, no LocalTrafficDetector": masqueradeAll's overrides and the missing
// eTP:Local short-circuit (node and external traffic to a ClusterIP stays masqueraded).
const MASQUERADE_ALL_NO_DETECTOR: Record<string, Override> = {
  ...MASQUERADE_ALL,
  'pod to NodePort with eTP:Local': { output: '10.180.0.2:80' },
  'pod to LB with eTP:Local': { output: '10.180.0.2:80' },
};

function overridden(overrides: Record<string, Override>): Flow[] {
  const names = new Set(INTERNAL_EXTERNAL_FLOWS.map((f) => f.name));
  for (const n of Object.keys(overrides)) expect(names.has(n), n).toBe(true);
  return INTERNAL_EXTERNAL_FLOWS.map((f) => ({ ...f, ...overrides[f.name] }));
}

const NO_CLUSTER_CIDR: [string, string] = ['clusterCIDR: 10.244.0.0/16', 'clusterCIDR: ""'];
const MASQ_ALL: [string, string] = ['  masqueradeAll: false', '  masqueradeAll: true'];

/** Cases translated (and, for the report, the upstream ones that cannot be). */
let translated = 0;

describe("kube-proxy's packet-flow cases on the lab", () => {
  let lab: Cluster;
  beforeAll(() => {
    lab = buildLab();
  });

  describe('TestInternalExternalMasquerade', () => {
    const variants: [string, [string, string][], Record<string, Override>][] = [
      ['base', [], {}],
      ['no LocalTrafficDetector', [NO_CLUSTER_CIDR], NO_DETECTOR],
      ['masqueradeAll', [MASQ_ALL], MASQUERADE_ALL],
      ['masqueradeAll, no LocalTrafficDetector', [MASQ_ALL, NO_CLUSTER_CIDR], MASQUERADE_ALL_NO_DETECTOR],
    ];
    for (const [name, edits, overrides] of variants) {
      it(`${name}: ${INTERNAL_EXTERNAL_FLOWS.length} flows`, () => {
        const c = withConfig(lab, edits);
        runFlows(c, overridden(overrides));
        translated += INTERNAL_EXTERNAL_FLOWS.length;
      });
    }

    // Beyond upstream's table: the other detectors classify the lab's sources as the CIDR one
    // does (pods arrive on cni0, from 10.244.1.0/24), so the base expectations hold; and another
    // masquerade bit changes the mark, not the verdicts.
    const same: [string, [string, string][]][] = [
      ['detectLocalMode NodeCIDR', [['detectLocalMode: ""', 'detectLocalMode: NodeCIDR']]],
      [
        'detectLocalMode BridgeInterface (cni0)',
        [
          ['detectLocalMode: ""', 'detectLocalMode: BridgeInterface'],
          ['  bridgeInterface: ""', '  bridgeInterface: cni0'],
        ],
      ],
      ['masqueradeBit 12', [['  masqueradeBit: null', '  masqueradeBit: 12']]],
    ];
    for (const [name, edits] of same) {
      it(`${name}: the base expectations`, () => {
        runFlows(withConfig(lab, edits), INTERNAL_EXTERNAL_FLOWS);
      });
    }

    it('detectLocalMode InterfaceNamePrefix veth on a bridge CNI: iptables sees cni0, not the veth, so pods look external', () => {
      // A routed packet's input device is the bridge; `-i veth+` never matches on Flannel's cni0.
      // Pods then get what outside traffic gets: masqueraded to ClusterIPs, no eTP:Local short-circuit.
      const c = withConfig(lab, [
        ['detectLocalMode: ""', 'detectLocalMode: InterfaceNamePrefix'],
        ['  interfaceNamePrefix: ""', '  interfaceNamePrefix: veth'],
      ]);
      runFlows(
        c,
        overridden({
          'pod to ClusterIP': { masq: true },
          'pod to ClusterIP with eTP:Local': { masq: true },
          'pod to ClusterIP with iTP:Local': { masq: true },
          'pod to NodePort with eTP:Local': { output: '10.180.0.2:80' },
          'pod to LB with eTP:Local': { output: '10.180.0.2:80' },
        }),
      );
    });
  });

  describe('TestNodePorts (IPv4)', () => {
    // svc1 stands for upstream's NodePort svc1: epIP1 (no node) is remote1, epIP2 local1.
    const output = '10.180.0.1:80, 10.180.1.1:80';
    const cases: [string, [string, string][], { localhost: boolean; alt: boolean }][] = [
      ['ipv4, localhost-nodeports enabled', [], { localhost: true, alt: true }],
      ['ipv4, localhost-nodeports disabled', [['  localhostNodePorts: null', '  localhostNodePorts: false']], { localhost: false, alt: true }],
      [
        'ipv4, localhost-nodeports disabled, localhost in nodeport-addresses',
        [
          ['  localhostNodePorts: null', '  localhostNodePorts: false'],
          ['nodePortAddresses: null', 'nodePortAddresses:\n- 192.168.56.0/24\n- 127.0.0.1/32'],
        ],
        { localhost: false, alt: false },
      ],
      [
        'ipv4, localhost-nodeports enabled, multiple nodeport-addresses',
        [
          ['  localhostNodePorts: null', '  localhostNodePorts: false'],
          ['nodePortAddresses: null', 'nodePortAddresses:\n- 192.168.56.0/24\n- 172.17.0.0/16\n- 2001:db8::/64'],
        ],
        { localhost: false, alt: true },
      ],
    ];
    for (const [name, edits, expect_] of cases) {
      it(name, () => {
        const c = withConfig(lab, edits);
        const flows: Flow[] = [
          { name: 'pod to cluster IP', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output, masq: false },
          { name: 'external to nodePort', sourceIP: EXTERNAL, destIP: TEST_NODE_IP, destPort: 3001, output, masq: true },
          { name: 'node to nodePort', sourceIP: TEST_NODE_IP, destIP: TEST_NODE_IP, destPort: 3001, output, masq: true },
          expect_.localhost
            ? { name: 'localhost to nodePort gets masqueraded', sourceIP: '127.0.0.1', destIP: '127.0.0.1', destPort: 3001, output, masq: true }
            : { name: 'localhost to nodePort is ignored', sourceIP: '127.0.0.1', destIP: '127.0.0.1', destPort: 3001, output: '' },
          expect_.alt
            ? { name: 'external to nodePort on secondary IP', sourceIP: EXTERNAL, destIP: '192.168.1.2', destPort: 3001, output, masq: true }
            : { name: 'secondary nodeIP ignores NodePorts', sourceIP: EXTERNAL, destIP: '192.168.1.2', destPort: 3001, output: '' },
        ];
        runFlows(c, flows);
        translated += flows.length;
        // (upstream's expectFirewall looks at kube-proxy's own restore input; on a node the
        // kubelet writes the identical KUBE-FIREWALL rule whatever kube-proxy does, so
        // iptables-save shows it in every case.)
      });
    }

    it('beyond upstream: nodePortAddresses [primary] answers on the node IP only', () => {
      const c = withConfig(lab, [['nodePortAddresses: null', 'nodePortAddresses:\n- primary']]);
      runFlows(c, [
        { name: 'external to nodePort', sourceIP: EXTERNAL, destIP: TEST_NODE_IP, destPort: 3001, output: '10.180.0.1:80, 10.180.1.1:80', masq: true },
        { name: 'secondary nodeIP ignores NodePorts', sourceIP: EXTERNAL, destIP: '192.168.1.2', destPort: 3001, output: '' },
        { name: 'localhost to nodePort is ignored', sourceIP: '127.0.0.1', destIP: '127.0.0.1', destPort: 3001, output: '' },
      ]);
    });
  });

  describe('TestHealthCheckNodePort', () => {
    it('nodePortAddresses 127.0.0.0/8: the firewall still accepts the health check node port; once the Service is gone, no rule', () => {
      const c = withConfig(lab, [['nodePortAddresses: null', 'nodePortAddresses:\n- 127.0.0.0/8']]);
      runFlows(c, [{ name: 'firewall accepts HealthCheckNodePort', sourceIP: '1.2.3.4', destIP: TEST_NODE_IP, destPort: 30000, output: 'ACCEPT', masq: false }]);
      const gone = c.exec('kubectl -n ns6 delete svc svc6').cluster;
      runFlows(gone, [{ name: 'HealthCheckNodePort no longer has any rule', sourceIP: '1.2.3.4', destIP: TEST_NODE_IP, destPort: 30000, output: '' }]);
      translated += 2;
    });
  });

  for (const [test, n, etp] of [
    ['TestExternalTrafficPolicyLocal', 4, 'Local'],
    ['TestExternalTrafficPolicyCluster', 5, 'Cluster'],
  ] as const) {
    describe(test, () => {
      it(`eTP ${etp}: the seven flows`, () => {
        // epIP1 (no node) is remoteN, epIP2 (the test node) localN; svcN has the external IP 192.168.56.20N.
        const extra = new Map([
          ['172.30.0.41', `10.96.0.4${n}`],
          ['1.2.3.4', lab.service(`ns${n}/svc${n}`).loadBalancerIPs[0]!],
          ['192.168.99.11', `192.168.56.20${n}`],
          ['10.180.0.1', lab.pods({ namespace: `ns${n}` }).find((p) => p.name === `remote${n}`)!.ip!],
          ['10.180.2.1', lab.pods({ namespace: `ns${n}` }).find((p) => p.name === `local${n}`)!.ip!],
        ]);
        const both = '10.180.0.1:80, 10.180.2.1:80';
        const local = etp === 'Local';
        const flows: Flow[] = local
          ? [
              { name: 'pod to cluster IP hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: both, masq: false },
              { name: 'pod to external IP hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '192.168.99.11', destPort: 80, output: both, masq: false },
              {
                name: 'external to external IP hits only local endpoint, unmasqueraded',
                sourceIP: EXTERNAL,
                destIP: '192.168.99.11',
                destPort: 80,
                output: '10.180.2.1:80',
                masq: false,
              },
              { name: 'pod to LB IP hits only both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: both, masq: false },
              { name: 'external to LB IP hits only local endpoint, unmasqueraded', sourceIP: EXTERNAL, destIP: '1.2.3.4', destPort: 80, output: '10.180.2.1:80', masq: false },
              { name: 'pod to NodePort hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: TEST_NODE_IP, destPort: 3001, output: both, masq: false },
              {
                name: 'external to NodePort hits only local endpoint, unmasqueraded',
                sourceIP: EXTERNAL,
                destIP: TEST_NODE_IP,
                destPort: 3001,
                output: '10.180.2.1:80',
                masq: false,
              },
            ]
          : [
              { name: 'pod to cluster IP hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: both, masq: false },
              { name: 'pod to external IP hits both endpoints, masqueraded', sourceIP: '10.0.0.2', destIP: '192.168.99.11', destPort: 80, output: both, masq: true },
              { name: 'external to external IP hits both endpoints, masqueraded', sourceIP: EXTERNAL, destIP: '192.168.99.11', destPort: 80, output: both, masq: true },
              { name: 'pod to LB IP hits both endpoints, masqueraded', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: both, masq: true },
              { name: 'external to LB IP hits both endpoints, masqueraded', sourceIP: EXTERNAL, destIP: '1.2.3.4', destPort: 80, output: both, masq: true },
              { name: 'pod to NodePort hits both endpoints, masqueraded', sourceIP: '10.0.0.2', destIP: TEST_NODE_IP, destPort: 3001, output: both, masq: true },
              { name: 'external to NodePort hits both endpoints, masqueraded', sourceIP: EXTERNAL, destIP: TEST_NODE_IP, destPort: 3001, output: both, masq: true },
            ];
        ports.set(3001, 31000 + n);
        try {
          runFlows(lab, flows, extra);
        } finally {
          ports.set(3001, 31001);
        }
        translated += flows.length;
      });
    });
  }

  it('counts the translated cases: 120 + 20 + 2 + 14; the 15 IPv6 TestNodePorts flows cannot be expressed', () => {
    expect(translated).toBe(156);
  });
});
