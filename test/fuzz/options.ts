// Category `options`: `Cluster.create(options)` with garbage and edge values in every option —
// node counts and lists, versions, CIDRs and mask sizes, the node network and its gateway,
// CNI and backend, the MetalLB pool, DNS zone, external hosts, start time. The library must
// refuse with a typed error or build a sound cluster that answers the basics (kubectl, ip route,
// a trace to kube-dns, snapshot/restore).

import fc from 'fast-check';
import { Cluster, type ClusterOptions } from '@k8s-netsim/core';
import { arbGarbage, arbOddNumber, showValue } from './gen.js';
import { attempt, clip, expectInvariants, Finding, fold, guard, stateDiff, type Category } from './harness.js';

type Options = Record<string, unknown>;

const VERSIONS = [
  '1.34.2',
  '1.17.4',
  '1.17.0',
  '1.18.0',
  '1.21.0',
  '1.22.0',
  '1.25.0',
  '1.30.0',
  '1.99.0',
  '2.0.0',
  'v1.20.0',
  '1.17',
  '1',
  '',
  'x',
  '0.0.0',
  '1.5.0',
  '1.34.2-rc.1',
  '1.17.4.1',
  ' 1.20.0',
];
const CIDRS = [
  '10.244.0.0/16',
  '10.244.0.0/8',
  '10.244.0.0/20',
  '10.244.0.0/22',
  '10.244.0.0/23',
  '10.244.0.0/24',
  '10.244.0.0/30',
  '10.244.0.0/32',
  '10.244.0.1/16',
  '0.0.0.0/0',
  '10.96.0.0/12',
  '192.168.56.0/24',
  '10.244.0.0/33',
  '10.244.0.0',
  '10.244.0.0/-1',
  '300.0.0.0/8',
  'x',
  '',
  '::/0',
  '172.16.0.0/12',
];
const SERVICE_CIDRS = [
  '10.96.0.0/12',
  '10.96.0.0/16',
  '10.96.0.0/24',
  '10.96.0.0/28',
  '10.96.0.0/29',
  '10.96.0.0/30',
  '10.96.0.0/31',
  '10.96.0.0/32',
  '10.100.0.0/16',
  '10.244.0.0/16',
  '192.168.56.0/24',
  'x',
  '',
  '10.96.0.0/8',
];
const NODE_NETWORKS = [
  '192.168.56.0/24',
  '192.168.56.0/28',
  '192.168.56.0/29',
  '192.168.56.0/30',
  '192.168.56.0/31',
  '192.168.56.0/32',
  '10.0.0.0/16',
  '10.244.0.0/16',
  '10.96.0.0/24',
  '192.168.56.10/24',
  'x',
  '',
];
const GATEWAYS = ['192.168.56.1', '192.168.56.10', '192.168.56.254', '192.168.56.255', '10.0.0.1', '0.0.0.0', 'x', ''];
const NODE_NAMES = ['controlplane', 'node01', 'node02', 'worker-a', 'Node_1', '', 'a'.repeat(64), 'a'.repeat(254), 'node.with.dots', '-x', 'x-', 'NODE'];
const NODE_IPS = [undefined, '192.168.56.10', '192.168.56.11', '192.168.56.1', '192.168.56.255', '192.168.56.0', '10.0.0.5', '192.168.57.10', '300.1.1.1', 'x', ''];

const arbNodeSpec: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ name: fc.constantFrom(...NODE_NAMES), role: fc.constantFrom(undefined, 'control-plane', 'worker', 'master', 'x'), ip: fc.constantFrom(...NODE_IPS) }),
  },
  { weight: 1, arbitrary: arbGarbage },
);

/** Each option: mostly edge values of the right type, sometimes anything at all. */
const OPTION_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  seed: fc.oneof(arbOddNumber, fc.constantFrom<unknown>('7', null)),
  kubernetesVersion: fc.oneof({ withCrossShrink: true }, { weight: 4, arbitrary: fc.constantFrom(...VERSIONS) }, { weight: 1, arbitrary: arbGarbage }),
  nodes: fc.oneof(
    { withCrossShrink: true },
    { weight: 3, arbitrary: fc.constantFrom<unknown>(1, 2, 3, 4, 6, 0, -1, 1.5, 12, 50, 241, 245, 1e9, Number.NaN, Number.POSITIVE_INFINITY, '3', null) },
    { weight: 3, arbitrary: fc.array(arbNodeSpec, { maxLength: 4 }) },
    { weight: 1, arbitrary: arbGarbage },
  ),
  podCIDR: fc.oneof({ withCrossShrink: true }, { weight: 4, arbitrary: fc.constantFrom(...CIDRS) }, { weight: 1, arbitrary: arbGarbage }),
  nodeCIDRMaskSize: fc.oneof(
    { withCrossShrink: true },
    { weight: 4, arbitrary: fc.constantFrom<unknown>(24, 16, 8, 0, 15, 17, 20, 23, 25, 26, 28, 29, 30, 31, 32, 33, -1, 24.5, Number.NaN, '24') },
    { weight: 1, arbitrary: arbGarbage },
  ),
  serviceCIDR: fc.oneof({ withCrossShrink: true }, { weight: 4, arbitrary: fc.constantFrom(...SERVICE_CIDRS) }, { weight: 1, arbitrary: arbGarbage }),
  clusterDomain: fc.constantFrom<unknown>('cluster.local', 'example.com', 'cluster.local.', '', '.', 'UPPER.case', 'a'.repeat(300), 'under_score.local', '..', 'local', 5),
  nodeNetwork: fc.oneof({ withCrossShrink: true }, { weight: 4, arbitrary: fc.constantFrom(...NODE_NETWORKS) }, { weight: 1, arbitrary: arbGarbage }),
  nodeGateway: fc.oneof({ withCrossShrink: true }, { weight: 4, arbitrary: fc.constantFrom(...GATEWAYS) }, { weight: 1, arbitrary: arbGarbage }),
  cni: fc.constantFrom<unknown>('flannel', 'none', 'calico', '', null, 1),
  flannelBackend: fc.constantFrom<unknown>('vxlan', 'host-gw', 'udp', 'wireguard', '', null),
  hairpinMode: fc.constantFrom<unknown>(true, false, 'on', 1, null),
  containerRuntime: fc.constantFrom<unknown>('docker', 'containerd', 'cri-o', '', null),
  loadBalancerPool: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom<unknown>(
        false,
        true,
        [],
        ['192.168.56.240-192.168.56.250'],
        ['192.168.56.240-192.168.56.240'],
        ['192.168.56.250-192.168.56.240'],
        ['192.168.56.240/32'],
        ['192.168.56.240/28'],
        ['192.168.56.240/31', '192.168.56.250-192.168.56.250'],
        ['192.168.56.10-192.168.56.12'],
        ['10.96.0.0/30'],
        ['0.0.0.0/0'],
        ['x'],
        [''],
        ['192.168.56.240-'],
        '192.168.56.240-192.168.56.250',
        ['192.168.56.240-192.168.56.250', '192.168.56.240-192.168.56.250'],
      ),
    },
    { weight: 1, arbitrary: arbGarbage },
  ),
  ingressController: fc.constantFrom<unknown>(true, false, 'yes', 0, null),
  dnsZone: fc.oneof(
    fc.constantFrom<unknown>(
      {},
      { 'kubeserve.example.com': { A: ['192.168.56.240'] } },
      { 'x.example.com': { A: ['x'] } },
      { 'x.example.com': { A: [] } },
      { 'x.example.com': { CNAME: 'x.example.com' } },
      { 'a.example.com': { CNAME: 'b.example.com' }, 'b.example.com': { CNAME: 'a.example.com' } },
      { '': { A: ['1.2.3.4'] } },
      { 'example.com': { TXT: ['a'.repeat(300)] } },
      { 'x.example.com': { AAAA: ['::1', 'x'] } },
      { 'cluster.local': { A: ['1.2.3.4'] } },
      { '.': { A: ['1.2.3.4'] } },
    ),
    arbGarbage,
  ),
  externalHosts: fc.oneof(
    fc.constantFrom<unknown>(
      [],
      [{ ip: '8.8.8.8', name: 'dns.google', listens: [{ port: 53, protocol: 'UDP' }], replyTtl: 118 }],
      [{ ip: 'x', name: 'x', listens: [], replyTtl: 1 }],
      [{ ip: '10.244.1.5', name: 'inside', listens: [{ port: 80, protocol: 'TCP' }], replyTtl: 64 }],
      [{ ip: '192.168.56.11', name: 'a-node', listens: [{ port: 80, protocol: 'TCP' }], replyTtl: 64 }],
      [
        { ip: '1.1.1.1', name: 'dup', listens: [], replyTtl: 1 },
        { ip: '1.1.1.1', name: 'dup2', listens: [], replyTtl: 1 },
      ],
      [
        {
          ip: '8.8.4.4',
          name: 'odd',
          listens: [
            { port: 0, protocol: 'SCTP' },
            { port: 70000, protocol: 'TCP' },
          ],
          replyTtl: -1,
        },
      ],
      [{}],
    ),
    arbGarbage,
  ),
  startTime: fc.constantFrom<unknown>(
    '2026-11-25T09:00:00Z',
    '1970-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '9999-12-31T23:59:59Z',
    '+275760-09-13T00:00:00Z',
    '2026-02-30T00:00:00Z',
    'x',
    '',
    '2026',
    0,
    null,
  ),
};

const arbOptions: fc.Arbitrary<Options> = fc
  .uniqueArray(fc.constantFrom(...Object.keys(OPTION_VALUES)), { minLength: 1, maxLength: 4 })
  .chain((keys) => fc.tuple(...keys.map((k) => OPTION_VALUES[k]!)).map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i]]))));

/** What a user does first on a new cluster: look at it, route table, a DNS packet, snapshot and restore. */
function smoke(c: Cluster): void {
  const first = c.state.nodeOrder[0];
  guard('kubectl get nodes,pods (on the new cluster)', () => c.exec('kubectl get nodes -o wide'));
  guard('kubectl get pods -A (on the new cluster)', () => c.exec('kubectl get pods -A -o wide'));
  if (first) guard(`ip route on ${first}`, () => c.exec('ip route', { node: first }));
  const dns = guard('c.service(kube-dns)', () => (c.state.services['kube-system']?.['kube-dns'] ? c.service('kube-system/kube-dns') : undefined));
  if (first && dns?.clusterIPs[0]) guard('trace node → kube-dns', () => c.trace({ from: { node: first }, to: { ip: dns.clusterIPs[0]!, port: 53 }, proto: 'udp' }));
  const snap = guard('snapshot()', () => c.snapshot());
  const again = guard('Cluster.restore(snapshot)', () => Cluster.restore(snap).snapshot());
  if (again !== snap) {
    const diff = stateDiff(snap, again);
    throw new Finding(
      'invariant',
      `snapshot → restore → snapshot differs (${[...new Set(diff.map((d) => d.split('.')[0]))].join(', ')})`,
      `Cluster.restore(c.snapshot()).snapshot() differs from c.snapshot() at ${diff.join(', ')}`,
    );
  }
}

export const optionsCategory: Category<Options> = {
  name: 'options',
  summary: 'Cluster.create(options) with garbage and edge values in every option',
  // The node count decides most of a case's cost: hangs are told apart by it.
  label: (options) => ('nodes' in options ? `Cluster.create with nodes: ${showValue(options.nodes).slice(0, 40)}` : `Cluster.create({ ${Object.keys(options).join(', ')} })`),
  arbitrary: () => arbOptions,
  run: (options, ctx) => {
    const r = attempt(ctx, 'Cluster.create(options)', () => Cluster.create(options as ClusterOptions));
    if (!r.ok) return;
    expectInvariants('after Cluster.create(options)', r.value);
    smoke(r.value);
  },
  show: (options) => clip(fold(`Cluster.create(${showValue(options)})`), 3000),
};
