// Cluster.create's options are checked at run time: one NetsimInputError naming the field and the
// value, with the exact message; valid options still build the lab.

import { describe, expect, it } from 'vitest';
import { NetsimInputError, TraceError } from '../index.js';
import { bootstrapCluster } from './bootstrap.js';
import { Cluster } from './cluster.js';
import type { ClusterOptions } from './options.js';

/** The error Cluster.create throws for `options` (and bootstrapCluster the same one). */
function refusal(options: unknown): NetsimInputError {
  let caught: unknown;
  try {
    Cluster.create(options as ClusterOptions);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(NetsimInputError);
  expect(() => bootstrapCluster(options as ClusterOptions)).toThrow((caught as Error).message);
  return caught as NetsimInputError;
}

const RFC1123 =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

// [options, field, value, message]
const CASES: [string, unknown, string, unknown, string][] = [
  // seed
  ['negative seed', { seed: -1 }, 'options.seed', -1, 'options.seed: Invalid value: -1: must be an integer from 0 to 4294967295'],
  ['fractional seed', { seed: 1.5 }, 'options.seed', 1.5, 'options.seed: Invalid value: 1.5: must be an integer from 0 to 4294967295'],
  ['seed 2^32', { seed: 2 ** 32 }, 'options.seed', 2 ** 32, 'options.seed: Invalid value: 4294967296: must be an integer from 0 to 4294967295'],
  ['seed as text', { seed: '7' }, 'options.seed', '7', 'options.seed: Invalid value: "7": must be an integer from 0 to 4294967295'],
  // kubernetesVersion
  [
    'banana',
    { kubernetesVersion: 'banana' },
    'options.kubernetesVersion',
    'banana',
    'options.kubernetesVersion: Invalid value: "banana": must be a semantic version (MAJOR.MINOR.PATCH, e.g. "1.34.2")',
  ],
  [
    'v prefix',
    { kubernetesVersion: 'v1.20.0' },
    'options.kubernetesVersion',
    'v1.20.0',
    'options.kubernetesVersion: Invalid value: "v1.20.0": must be a semantic version (MAJOR.MINOR.PATCH, e.g. "1.34.2")',
  ],
  [
    'too old',
    { kubernetesVersion: '1.16.15' },
    'options.kubernetesVersion',
    '1.16.15',
    'options.kubernetesVersion: Unsupported value: "1.16.15": the simulator supports Kubernetes 1.17.0 to 1.34.x',
  ],
  [
    'too new',
    { kubernetesVersion: '1.35.0' },
    'options.kubernetesVersion',
    '1.35.0',
    'options.kubernetesVersion: Unsupported value: "1.35.0": the simulator supports Kubernetes 1.17.0 to 1.34.x',
  ],
  [
    'major 2',
    { kubernetesVersion: '2.0.0' },
    'options.kubernetesVersion',
    '2.0.0',
    'options.kubernetesVersion: Unsupported value: "2.0.0": the simulator supports Kubernetes 1.17.0 to 1.34.x',
  ],
  // enums
  ['cni', { cni: 'calico' }, 'options.cni', 'calico', 'options.cni: Unsupported value: "calico": supported values: "flannel", "canal", "none"'],
  ['backend', { flannelBackend: 'udp' }, 'options.flannelBackend', 'udp', 'options.flannelBackend: Unsupported value: "udp": supported values: "vxlan", "host-gw"'],
  ['runtime', { containerRuntime: 'cri-o' }, 'options.containerRuntime', 'cri-o', 'options.containerRuntime: Unsupported value: "cri-o": supported values: "docker", "containerd"'],
  // unknown keys
  ['misspelt option', { podCidr: '10.0.0.0/16' }, 'options.podCidr', '10.0.0.0/16', 'options.podCidr: Invalid value: "10.0.0.0/16": unknown field; did you mean "podCIDR"?'],
  [
    'unknown option',
    { workers: 2 },
    'options.workers',
    2,
    'options.workers: Invalid value: 2: unknown field; known: "seed", "kubernetesVersion", "nodes", "podCIDR", "nodeCIDRMaskSize", "serviceCIDR", "clusterDomain", "nodeNetwork", "nodeGateway", "cni", "flannelBackend", "hairpinMode", "containerRuntime", "loadBalancerPool", "ingressController", "dnsZone", "externalHosts", "startTime"',
  ],
  ['not an object', null, 'options', null, 'options: Invalid value: null: must be an object of cluster options'],
  // nodes: a count
  ['no nodes', { nodes: 0 }, 'options.nodes', 0, 'options.nodes: Invalid value: 0: must be a positive integer (a node count) or a list of nodes { name, role?, ip? }'],
  [
    'a word for a count',
    { nodes: 'three' },
    'options.nodes',
    'three',
    'options.nodes: Invalid value: "three": must be a positive integer (a node count) or a list of nodes { name, role?, ip? }',
  ],
  ['half a node', { nodes: 1.5 }, 'options.nodes', 1.5, 'options.nodes: Invalid value: 1.5: must be a positive integer (a node count) or a list of nodes { name, role?, ip? }'],
  [
    'more nodes than room',
    { nodes: 231 },
    'options.nodes',
    231,
    'options.nodes: Invalid value: 231: nodeNetwork "192.168.56.0/24" has room for 230 nodes (192.168.56.10 to 192.168.56.239), not 231',
  ],
  // nodes: a list
  ['empty list', { nodes: [] }, 'options.nodes', [], 'options.nodes: Invalid value: []: must list at least one node'],
  ['bad name', { nodes: [{ name: 'cp' }, { name: 'Node_1' }] }, 'options.nodes[1].name', 'Node_1', `options.nodes[1].name: Invalid value: "Node_1": ${RFC1123}`],
  ['no name', { nodes: [{ ip: '192.168.56.20' }] }, 'options.nodes[0].name', undefined, 'options.nodes[0].name: Required value: a node name (a DNS-1123 subdomain)'],
  ['same name', { nodes: [{ name: 'cp' }, { name: 'cp' }] }, 'options.nodes[1].name', 'cp', 'options.nodes[1].name: Duplicate value: "cp": options.nodes[0] has the same name'],
  [
    'role',
    { nodes: [{ name: 'cp', role: 'master' }] },
    'options.nodes[0].role',
    'master',
    'options.nodes[0].role: Unsupported value: "master": supported values: "control-plane", "worker"',
  ],
  [
    'node key',
    { nodes: [{ name: 'cp', address: '192.168.56.10' }] },
    'options.nodes[0].address',
    '192.168.56.10',
    'options.nodes[0].address: Invalid value: "192.168.56.10": unknown field; known: "name", "role", "ip"',
  ],
  [
    'ip not a quad',
    { nodes: [{ name: 'cp' }, { name: 'w', ip: '192.168.56.300' }] },
    'options.nodes[1].ip',
    '192.168.56.300',
    'options.nodes[1].ip: Invalid value: "192.168.56.300": must be an IPv4 address (dotted quad, e.g. "192.168.56.10")',
  ],
  [
    'ip outside',
    { nodes: [{ name: 'cp' }, { name: 'w', ip: '192.168.57.3' }] },
    'options.nodes[1].ip',
    '192.168.57.3',
    'options.nodes[1].ip: Invalid value: "192.168.57.3": is not inside nodeNetwork "192.168.56.0/24"',
  ],
  [
    'ip gateway',
    { nodes: [{ name: 'cp' }, { name: 'w', ip: '192.168.56.1' }] },
    'options.nodes[1].ip',
    '192.168.56.1',
    'options.nodes[1].ip: Invalid value: "192.168.56.1": is the node network\'s gateway',
  ],
  [
    'ip broadcast',
    { nodes: [{ name: 'cp', ip: '192.168.56.255' }] },
    'options.nodes[0].ip',
    '192.168.56.255',
    'options.nodes[0].ip: Invalid value: "192.168.56.255": is nodeNetwork "192.168.56.0/24"\'s broadcast address',
  ],
  [
    'ip in the pool',
    { nodes: [{ name: 'cp', ip: '192.168.56.245' }] },
    'options.nodes[0].ip',
    '192.168.56.245',
    'options.nodes[0].ip: Invalid value: "192.168.56.245": is in the MetalLB pool ("192.168.56.240-192.168.56.250")',
  ],
  [
    'ip of another node',
    { nodes: [{ name: 'cp' }, { name: 'w', ip: '192.168.56.10' }] },
    'options.nodes[1].ip',
    '192.168.56.10',
    'options.nodes[1].ip: Duplicate value: "192.168.56.10": 192.168.56.10 is also options.nodes[0]\'s default address',
  ],
  [
    'two explicit ips',
    {
      nodes: [
        { name: 'a', ip: '192.168.56.20' },
        { name: 'b', ip: '192.168.56.20' },
      ],
    },
    'options.nodes[1].ip',
    '192.168.56.20',
    'options.nodes[1].ip: Duplicate value: "192.168.56.20": 192.168.56.20 is also options.nodes[0].ip',
  ],
  // CIDRs
  [
    'bad CIDR',
    { podCIDR: '10.244.0.0/33' },
    'options.podCIDR',
    '10.244.0.0/33',
    'options.podCIDR: Invalid value: "10.244.0.0/33": must be an IPv4 CIDR (a.b.c.d/prefix, e.g. "10.244.0.0/16")',
  ],
  [
    'pod network over the Service network',
    { podCIDR: '10.96.0.0/16' },
    'options.podCIDR',
    '10.96.0.0/16',
    'options.podCIDR: Invalid value: "10.96.0.0/16": overlaps serviceCIDR "10.96.0.0/12": the pod network and the Service network must not overlap (kubeadm does not check this and has no message for it; the simulator refuses it)',
  ],
  [
    'Service network over the pod network',
    { serviceCIDR: '10.244.0.0/16' },
    'options.serviceCIDR',
    '10.244.0.0/16',
    'options.serviceCIDR: Invalid value: "10.244.0.0/16": overlaps podCIDR "10.244.0.0/16": the pod network and the Service network must not overlap (kubeadm does not check this and has no message for it; the simulator refuses it)',
  ],
  [
    'pod network over the node network',
    { podCIDR: '192.168.0.0/16' },
    'options.podCIDR',
    '192.168.0.0/16',
    'options.podCIDR: Invalid value: "192.168.0.0/16": overlaps nodeNetwork "192.168.56.0/24": the pod, Service and node networks must not overlap',
  ],
  [
    "pod network over docker0's",
    { podCIDR: '172.16.0.0/12' },
    'options.podCIDR',
    '172.16.0.0/12',
    'options.podCIDR: Invalid value: "172.16.0.0/12": overlaps docker0\'s network "172.17.0.0/16" (the docker runtime\'s bridge on every node): choose another range, or containerRuntime "containerd"',
  ],
  [
    'pod network too small',
    { podCIDR: '10.244.0.0/29' },
    'options.podCIDR',
    '10.244.0.0/29',
    'options.podCIDR: Invalid value: "10.244.0.0/29": subnet with 8 address(es) is too small, the minimum is 14',
  ],
  [
    'pod network smaller than a node subnet',
    { podCIDR: '10.244.0.0/28' },
    'options.podCIDR',
    '10.244.0.0/28',
    'options.podCIDR: Invalid value: "10.244.0.0/28": the size of pod subnet with mask 28 is smaller than the size of node subnet with mask 24',
  ],
  [
    'Service network too small',
    { serviceCIDR: '10.96.0.0/29' },
    'options.serviceCIDR',
    '10.96.0.0/29',
    'options.serviceCIDR: Invalid value: "10.96.0.0/29": subnet with 8 address(es) is too small, the minimum is 10',
  ],
  [
    'Service network too large',
    { serviceCIDR: '10.0.0.0/8', podCIDR: '172.20.0.0/16' },
    'options.serviceCIDR',
    '10.0.0.0/8',
    'options.serviceCIDR: Invalid value: "10.0.0.0/8": specified service subnet is too large; for 32-bit addresses, the mask must be >= 12',
  ],
  // nodeCIDRMaskSize
  [
    'mask 31',
    { nodeCIDRMaskSize: 31 },
    'options.nodeCIDRMaskSize',
    31,
    "options.nodeCIDRMaskSize: Invalid value: 31: must be an integer from 1 to 30 (a node's pod subnet needs room for cni0's address and a pod)",
  ],
  [
    'mask below the pod prefix',
    { nodeCIDRMaskSize: 8 },
    'options.nodeCIDRMaskSize',
    8,
    'options.nodeCIDRMaskSize: Invalid value: 8: must be at least podCIDR\'s prefix length 16 (kubeadm: "the size of pod subnet with mask 16 is smaller than the size of node subnet with mask 8")',
  ],
  [
    'mask too far from the pod prefix',
    { podCIDR: '10.0.0.0/8', serviceCIDR: '172.20.0.0/16', nodeCIDRMaskSize: 25 },
    'options.nodeCIDRMaskSize',
    25,
    'options.nodeCIDRMaskSize: Invalid value: 25: must be at most podCIDR\'s prefix length + 16 (kubeadm: "pod subnet mask (8) and node-mask (25) difference is greater than 16")',
  ],
  // node network, gateway, MetalLB pool
  [
    'node network /29',
    { nodeNetwork: '192.168.56.0/29' },
    'options.nodeNetwork',
    '192.168.56.0/29',
    'options.nodeNetwork: Invalid value: "192.168.56.0/29": must be a /28 or larger (nodes take addresses from .10 on)',
  ],
  [
    'node network too small for the default pool',
    { nodeNetwork: '192.168.56.0/28' },
    'options.nodeNetwork',
    '192.168.56.0/28',
    'options.nodeNetwork: Invalid value: "192.168.56.0/28": too small for the default MetalLB pool ("192.168.56.0-192.168.56.10" here), which must be clear of the node network\'s network and broadcast addresses; give loadBalancerPool, or false',
  ],
  [
    'gateway outside',
    { nodeGateway: '10.0.0.1' },
    'options.nodeGateway',
    '10.0.0.1',
    'options.nodeGateway: Invalid value: "10.0.0.1": is not inside nodeNetwork "192.168.56.0/24"',
  ],
  [
    'pool outside',
    { loadBalancerPool: ['10.0.0.1-10.0.0.5'] },
    'options.loadBalancerPool[0]',
    '10.0.0.1-10.0.0.5',
    'options.loadBalancerPool[0]: Invalid value: "10.0.0.1-10.0.0.5": must be inside nodeNetwork "192.168.56.0/24"',
  ],
  [
    'pool over the gateway',
    { loadBalancerPool: ['192.168.56.1-192.168.56.5'] },
    'options.loadBalancerPool[0]',
    '192.168.56.1-192.168.56.5',
    'options.loadBalancerPool[0]: Invalid value: "192.168.56.1-192.168.56.5": must be clear of the gateway 192.168.56.1',
  ],
  [
    'pool entry',
    { loadBalancerPool: ['192.168.56.250-192.168.56.240'] },
    'options.loadBalancerPool[0]',
    '192.168.56.250-192.168.56.240',
    'options.loadBalancerPool[0]: Invalid value: "192.168.56.250-192.168.56.240": must be an IPv4 range (a.b.c.d-e.f.g.h) or CIDR',
  ],
  [
    'pool true',
    { loadBalancerPool: true },
    'options.loadBalancerPool',
    true,
    'options.loadBalancerPool: Invalid value: true: must be a list of IPv4 ranges or CIDRs, or false (no load-balancer provider)',
  ],
  [
    'pool empty',
    { loadBalancerPool: [] },
    'options.loadBalancerPool',
    [],
    'options.loadBalancerPool: Invalid value: []: must list at least one range or CIDR (or be false: no load-balancer provider)',
  ],
  // the rest
  ['cluster domain', { clusterDomain: 'Cluster.Local' }, 'options.clusterDomain', 'Cluster.Local', `options.clusterDomain: Invalid value: "Cluster.Local": ${RFC1123}`],
  [
    'start time',
    { startTime: 'yesterday' },
    'options.startTime',
    'yesterday',
    'options.startTime: Invalid value: "yesterday": must be an RFC 3339 time (e.g. "2026-11-25T09:00:00Z")',
  ],
  ['ingress flag', { ingressController: 'yes' }, 'options.ingressController', 'yes', 'options.ingressController: Invalid value: "yes": must be a boolean'],
  ['hairpin flag', { hairpinMode: 'on' }, 'options.hairpinMode', 'on', 'options.hairpinMode: Invalid value: "on": must be a boolean'],
  [
    'zone address',
    { dnsZone: { 'a.example': { A: ['1.2.3'] } } },
    'options.dnsZone["a.example"].A[0]',
    '1.2.3',
    'options.dnsZone["a.example"].A[0]: Invalid value: "1.2.3": must be an IPv4 address (dotted quad, e.g. "192.168.56.10")',
  ],
  [
    'external host port',
    { externalHosts: [{ ip: '8.8.4.4', name: 'odd', listens: [{ port: 70000, protocol: 'TCP' }], replyTtl: 64 }] },
    'options.externalHosts[0].listens[0].port',
    70000,
    'options.externalHosts[0].listens[0].port: Invalid value: 70000: must be an integer from 1 to 65535',
  ],
];

describe('Cluster.create checks its options', () => {
  it.each(CASES)('%s', (_, options, field, value, message) => {
    const e = refusal(options);
    expect(e.message).toBe(message);
    expect(e.field).toBe(field);
    expect(e.value).toEqual(value);
    expect(e.name).toBe('NetsimInputError');
  });

  it('is a TraceError too, so code that catches those (the CLI) catches it', () => {
    expect(refusal({ kubernetesVersion: 'banana' })).toBeInstanceOf(TraceError);
  });

  it('accepts every option it documents, and undefined as absent', () => {
    const c = Cluster.create({
      seed: 0,
      kubernetesVersion: '1.17.0',
      nodes: [
        { name: 'cp', role: 'control-plane' },
        { name: 'w1', ip: '10.0.0.20' },
      ],
      podCIDR: '10.128.0.0/16',
      nodeCIDRMaskSize: 26,
      serviceCIDR: '10.96.0.0/16',
      clusterDomain: 'lab.local',
      nodeNetwork: '10.0.0.0/24',
      nodeGateway: '10.0.0.254',
      cni: 'flannel',
      flannelBackend: 'host-gw',
      hairpinMode: false,
      containerRuntime: 'containerd',
      loadBalancerPool: ['10.0.0.200/29', '10.0.0.210-10.0.0.212'],
      ingressController: false,
      dnsZone: { 'app.example.com': { A: ['10.0.0.200'] } },
      externalHosts: [{ ip: '8.8.8.8', name: 'dns.google', listens: [{ port: 53, protocol: 'UDP' }], replyTtl: 118 }],
      startTime: '2026-01-01T00:00:00Z',
    } as ClusterOptions);
    expect(c.node('w1')).toMatchObject({ internalIP: '10.0.0.20', podCIDR: '10.128.0.64/26', ready: true });
    expect(Cluster.create({ seed: undefined, nodes: 2 }).state.nodeOrder).toEqual(['controlplane', 'node01']);
    expect(Cluster.create({ kubernetesVersion: '1.34.2-rc.1' }).state.config.kubernetesVersion).toBe('1.34.2-rc.1');
    expect(Cluster.create({ nodes: 230 }).state.nodeOrder).toHaveLength(230);
  });

  it('addNode checks the joining node the same way', () => {
    const lab = Cluster.create();
    const message = (spec: unknown) => {
      try {
        lab.addNode(spec as never);
      } catch (e) {
        expect(e).toBeInstanceOf(NetsimInputError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(message({ name: 'node01' })).toBe('spec.name: Duplicate value: "node01": a node named "node01" already exists');
    expect(message({ name: 'node03', ip: '192.168.56.11' })).toBe('spec.ip: Duplicate value: "192.168.56.11": node "node01" has this address');
    expect(message({ name: 'node03', ip: '192.168.56.241' })).toBe('spec.ip: Invalid value: "192.168.56.241": is in the MetalLB pool ("192.168.56.240-192.168.56.250")');
    expect(message({ name: 'node03', zone: 'a' })).toBe('spec.zone: Invalid value: "a": unknown field; known: "name", "role", "ip"');
    expect(lab.addNode({ name: 'node03' }).node('node03').internalIP).toBe('192.168.56.13');
  });
});
