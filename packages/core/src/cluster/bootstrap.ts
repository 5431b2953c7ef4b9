// The default lab: what `kubeadm init` + `kubectl apply -f kube-flannel.yml` + `kubeadm join`
// leave behind. Built in the order a real lab is: the control-plane node comes up with its static
// pods, kube-proxy, Flannel and CoreDNS (so CoreDNS lands on the control plane, as it does when
// workers join later), then the workers join.

import { produce } from '../util/immer.js';
import type { Container, DaemonSet, Deployment, Node, Pod, Toleration } from '../api/types.js';
import { DEFAULT_KUBERNETES_VERSION, versionAtLeast } from '../api/version.js';
import { validateManifest } from '../api/manifest.js';
import { parseManifests } from '../api/yaml.js';
import { applyObjects } from '../controllers/transitions.js';
import type { ObjectInput } from '../apiserver/storage.js';
import { KUBE_FLANNEL_YML } from '../addons/kube-flannel.js';
import { kubeadmCorefile } from '../dns/corefile/index.js';
import { defaultUpstreamZone } from '../dns/upstream.js';
import { converge } from '../controllers/converge.js';
import { newNodeAgent } from '../state/node-agent.js';
import { nodeInternalIP } from '../state/queries.js';
import { ipToString, networkOf, parseCIDR } from '../net/ipv4.js';
import { createMeta } from '../state/meta.js';
import { putObject, putAgent } from '../state/store.js';
import type { ClusterConfig, ClusterState, ExternalHost } from '../state/types.js';
import { seededHex, seededUuid } from '../util/seeded.js';

export interface NodeSpecInput {
  name: string;
  role?: 'control-plane' | 'worker';
  /** eth0 address; default: the node network's .10, .11, … */
  ip?: string;
}

export interface ClusterOptions {
  seed?: number;
  kubernetesVersion?: string;
  /** Node count (first is the control plane) or explicit nodes. Default: controlplane, node01, node02. */
  nodes?: number | NodeSpecInput[];
  podCIDR?: string;
  nodeCIDRMaskSize?: number;
  serviceCIDR?: string;
  clusterDomain?: string;
  nodeNetwork?: string;
  nodeGateway?: string;
  /** Install Flannel at creation (default), or leave the cluster without a CNI, as after `kubeadm init`. */
  cni?: 'flannel' | 'none';
  /** Flannel's backend in net-conf.json (default vxlan). */
  flannelBackend?: 'vxlan' | 'host-gw';
  containerRuntime?: 'docker' | 'containerd';
  /** MetalLB's L2 address pool (default `192.168.56.240-192.168.56.250` on the node network), or false for no provider. */
  loadBalancerPool?: string[] | false;
  /** Install ingress-nginx (default true): IngressClass `nginx` (default), its LoadBalancer Service. */
  ingressController?: boolean;
  /** Extra names the simulated internet's DNS answers (e.g. `{ 'kubeserve.example.com': { A: ['192.168.56.240'] } }`). */
  dnsZone?: Record<string, { A?: string[]; AAAA?: string[]; CNAME?: string; TXT?: string[] }>;
  /** Hosts on the simulated internet (default: 8.8.8.8, 1.1.1.1, example.com). */
  externalHosts?: ExternalHost[];
  /** When the control plane was initialised (RFC 3339). */
  startTime?: string;
}

export { DEFAULT_KUBERNETES_VERSION };

function nodeSpecs(opts: ClusterOptions, config: ClusterConfig): Required<NodeSpecInput>[] {
  const given = opts.nodes ?? 3;
  const list: NodeSpecInput[] =
    typeof given === 'number'
      ? Array.from({ length: given }, (_, i) => ({ name: i === 0 ? 'controlplane' : `node${String(i).padStart(2, '0')}`, role: i === 0 ? 'control-plane' : 'worker' }))
      : given;
  if (list.length === 0) throw new Error('a cluster needs at least one node');
  const { ip, prefixLen } = parseCIDR(config.nodeNetwork);
  const base = networkOf(ip, prefixLen);
  const capacity = 2 ** (32 - prefixLen) - 12;
  if (list.length > capacity) throw new Error(`nodeNetwork ${config.nodeNetwork} has room for ${capacity} nodes, not ${list.length}`);
  return list.map((n, i) => ({
    name: n.name,
    role: n.role ?? (i === 0 ? 'control-plane' : 'worker'),
    ip: n.ip ?? ipToString((base + 10 + i) >>> 0),
  }));
}

function osImage(): string {
  return 'Ubuntu 24.04.3 LTS';
}

function newNode(draft: ClusterState, spec: Required<NodeSpecInput>): Node {
  const v = draft.config.kubernetesVersion;
  const cp = spec.role === 'control-plane';
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': 'linux',
  };
  if (cp) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  const runtime = draft.config.containerRuntime;
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: createMeta(draft, 'Node', {
      name: spec.name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': runtime === 'docker' ? 'unix:///var/run/cri-dockerd.sock' : 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    }),
    spec: cp ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
    status: {
      addresses: [
        { type: 'InternalIP', address: spec.ip },
        { type: 'Hostname', address: spec.name },
      ],
      conditions: [],
      capacity: { cpu: '2', 'ephemeral-storage': '40470732Ki', 'hugepages-2Mi': '0', memory: '4012156Ki', pods: '110' },
      allocatable: { cpu: '2', 'ephemeral-storage': '37298826528', 'hugepages-2Mi': '0', memory: '3909756Ki', pods: '110' },
      nodeInfo: {
        machineID: seededHex(draft.config.seed, 32, 'machine-id', spec.name),
        systemUUID: seededUuid(draft.config.seed, 'system-uuid', spec.name),
        bootID: seededUuid(draft.config.seed, 'boot-id', spec.name),
        kernelVersion: '6.8.0-88-generic',
        osImage: osImage(),
        containerRuntimeVersion: runtime === 'docker' ? 'docker://28.2.2' : 'containerd://2.1.4',
        kubeletVersion: `v${v}`,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
  putObject(draft, node);
  draft.nodeOrder.push(spec.name);
  putAgent(draft, spec.name, newNodeAgent(draft.config.seed, spec.name, runtime));
  return node;
}

function container(name: string, image: string, extra: Partial<Container> = {}): Container {
  return { name, image, imagePullPolicy: 'IfNotPresent', ...extra };
}

function podSpecDefaults() {
  return {
    restartPolicy: 'Always' as const,
    dnsPolicy: 'ClusterFirst' as const,
    schedulerName: 'default-scheduler',
    terminationGracePeriodSeconds: 30,
  };
}

/** kubeadm's static pods, seen through their mirror pods (`<component>-<node>`). */
function staticPods(draft: ClusterState, node: Node): void {
  const v = draft.config.kubernetesVersion;
  const ip = nodeInternalIP(node) ?? '';
  const components: [string, string][] = [
    ['etcd', 'registry.k8s.io/etcd:3.6.4-0'],
    ['kube-apiserver', `registry.k8s.io/kube-apiserver:v${v}`],
    ['kube-controller-manager', `registry.k8s.io/kube-controller-manager:v${v}`],
    ['kube-scheduler', `registry.k8s.io/kube-scheduler:v${v}`],
  ];
  for (const [component, image] of components) {
    const annotations: Record<string, string> = {
      'kubernetes.io/config.hash': seededHex(draft.config.seed, 32, 'config.hash', component, node.metadata.name),
      'kubernetes.io/config.mirror': seededHex(draft.config.seed, 32, 'config.hash', component, node.metadata.name),
      'kubernetes.io/config.seen': new Date(draft.clock).toISOString().replace('Z', '000000Z'),
      'kubernetes.io/config.source': 'file',
    };
    if (component === 'kube-apiserver') annotations['kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint'] = `${ip}:6443`;
    if (component === 'etcd') annotations['kubeadm.kubernetes.io/etcd.advertise-client-urls'] = `https://${ip}:2379`;
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: createMeta(draft, 'Pod', {
        name: `${component}-${node.metadata.name}`,
        namespace: 'kube-system',
        labels: { component, tier: 'control-plane' },
        annotations,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid, controller: true }],
      }),
      spec: {
        ...podSpecDefaults(),
        containers: [container(component, image, { command: [component] })],
        hostNetwork: true,
        nodeName: node.metadata.name,
        priorityClassName: 'system-node-critical',
        priority: 2000001000,
        tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      },
      status: { phase: 'Pending', qosClass: 'Burstable' },
    };
    putObject(draft, pod);
  }
}

function daemonSet(
  draft: ClusterState,
  namespace: string,
  name: string,
  labels: Record<string, string>,
  containers: Container[],
  tolerations: Toleration[],
  extra: { initContainers?: Container[]; serviceAccountName?: string } = {},
): void {
  const ds: DaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: createMeta(draft, 'DaemonSet', { name, namespace, labels, annotations: { 'deprecated.daemonset.template.generation': '1' } }),
    spec: {
      selector: { matchLabels: { [Object.keys(labels)[0] ?? 'app']: Object.values(labels)[0] ?? name } },
      template: {
        metadata: { labels },
        spec: {
          ...podSpecDefaults(),
          containers,
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          priority: 2000001000,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations,
          ...extra,
        },
      },
    },
    status: { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberReady: 0, numberMisscheduled: 0 },
  };
  putObject(draft, ds);
}

function coreDNS(draft: ClusterState): void {
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      ...createMeta(draft, 'Deployment', {
        name: 'coredns',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns' },
        annotations: { 'deployment.kubernetes.io/revision': '1' },
      }),
      generation: 1,
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          ...podSpecDefaults(),
          dnsPolicy: 'Default',
          containers: [
            container('coredns', 'registry.k8s.io/coredns/coredns:v1.12.1', {
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
            }),
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          priorityClassName: 'system-cluster-critical',
          priority: 2000000000,
          serviceAccountName: 'coredns',
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
        },
      },
    },
    status: {},
  };
  putObject(draft, d);
}

/**
 * The objects of kube-flannel.yml, validated like any manifest; net-conf.json's Network is set
 * to the cluster's pod CIDR, as the Flannel docs tell kubeadm users to do.
 */
export function flannelManifests(config: ClusterConfig, backend: 'vxlan' | 'host-gw' = 'vxlan'): ObjectInput[] {
  const text = KUBE_FLANNEL_YML.replace('"Network": "10.244.0.0/16"', `"Network": "${config.podCIDR}"`).replace('"Type": "vxlan"', `"Type": "${backend}"`);
  return parseManifests(text, 'kube-flannel.yml').map((doc) => validateManifest(doc, { kubernetesVersion: config.kubernetesVersion }) as unknown as ObjectInput);
}

function addNamespace(draft: ClusterState, name: string, labels: Record<string, string> = {}): void {
  putObject(draft, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: createMeta(draft, 'Namespace', { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
}

function defaultLoadBalancer(opts: ClusterOptions): ClusterConfig['loadBalancer'] {
  if (opts.loadBalancerPool === false) return { provider: 'none', pool: [], provisionDelayMs: 0 };
  if (opts.loadBalancerPool) return { provider: 'metallb', pool: opts.loadBalancerPool, provisionDelayMs: 2000 };
  // The top of the node network's /24, as lab guides carve out for MetalLB.
  const { ip, prefixLen } = parseCIDR(opts.nodeNetwork ?? '192.168.56.0/24');
  const last = (networkOf(ip, prefixLen) + 2 ** (32 - prefixLen) - 1) >>> 0;
  return { provider: 'metallb', pool: [`${ipToString((last - 15) >>> 0)}-${ipToString((last - 5) >>> 0)}`], provisionDelayMs: 2000 };
}

/** Well-known public hosts, so pods and nodes have somewhere real-looking to reach. */
export const DEFAULT_EXTERNAL_HOSTS: ExternalHost[] = [
  {
    ip: '8.8.8.8',
    name: 'dns.google',
    listens: [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
      { port: 443, protocol: 'TCP' },
    ],
    replyTtl: 118,
  },
  {
    ip: '1.1.1.1',
    name: 'one.one.one.one',
    listens: [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
      { port: 80, protocol: 'TCP' },
      { port: 443, protocol: 'TCP' },
    ],
    replyTtl: 57,
  },
  {
    ip: '93.184.215.14',
    name: 'example.com',
    listens: [
      { port: 80, protocol: 'TCP' },
      { port: 443, protocol: 'TCP' },
    ],
    replyTtl: 56,
  },
];

function corednsConfigMap(config: ClusterConfig): ObjectInput {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'coredns', namespace: 'kube-system' },
    data: { Corefile: kubeadmCorefile(config.clusterDomain, config.kubernetesVersion) },
  } as unknown as ObjectInput;
}

/** `default/kubernetes` (10.96.0.1:443 → :6443) and `kube-system/kube-dns` (10.96.0.10, kubeadm's pick). */
function systemServices(config: ClusterConfig): ObjectInput[] {
  const { ip, prefixLen } = parseCIDR(config.serviceCIDR);
  const first = ipToString((networkOf(ip, prefixLen) + 1) >>> 0);
  const tenth = ipToString((networkOf(ip, prefixLen) + 10) >>> 0);
  const common = { sessionAffinity: 'None' as const, internalTrafficPolicy: 'Cluster' as const, ipFamilies: ['IPv4' as const], ipFamilyPolicy: 'SingleStack' as const };
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { ...common, type: 'ClusterIP', clusterIP: first, clusterIPs: [first], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kube-dns',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      },
      spec: {
        ...common,
        type: 'ClusterIP',
        clusterIP: tenth,
        clusterIPs: [tenth],
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    },
  ] as unknown as ObjectInput[];
}

const podDefaults = { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 } as const;

function deploymentOf(name: string, namespace: string, labels: Record<string, string>, containers: Container[], extra: Record<string, unknown> = {}): ObjectInput {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels }, spec: { ...podDefaults, containers, ...extra } },
    },
  } as unknown as ObjectInput;
}

function namespaceOf(name: string, labels: Record<string, string> = {}): ObjectInput {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } } as unknown as ObjectInput;
}

/** MetalLB v0.15 (native manifest): its controller Deployment and speaker DaemonSet. */
function metallbManifests(config: ClusterConfig): ObjectInput[] {
  void config;
  const image = (c: string) => `quay.io/metallb/${c}:v0.15.2`;
  return [
    namespaceOf('metallb-system', { 'pod-security.kubernetes.io/enforce': 'privileged' }),
    deploymentOf(
      'controller',
      'metallb-system',
      { app: 'metallb', component: 'controller' },
      [container('controller', image('controller'), { args: ['--port=7472', '--log-level=info'], ports: [{ name: 'monitoring', containerPort: 7472, protocol: 'TCP' }] })],
      { serviceAccountName: 'controller', nodeSelector: { 'kubernetes.io/os': 'linux' } },
    ),
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'speaker', namespace: 'metallb-system', labels: { app: 'metallb', component: 'speaker' } },
      spec: {
        selector: { matchLabels: { app: 'metallb', component: 'speaker' } },
        template: {
          metadata: { labels: { app: 'metallb', component: 'speaker' } },
          spec: {
            ...podDefaults,
            hostNetwork: true,
            serviceAccountName: 'speaker',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [
              { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
              { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
            ],
            containers: [
              container('speaker', image('speaker'), {
                args: ['--port=7472', '--log-level=info'],
                ports: [
                  { name: 'monitoring', containerPort: 7472, protocol: 'TCP' },
                  { name: 'memberlist-tcp', containerPort: 7946, protocol: 'TCP' },
                  { name: 'memberlist-udp', containerPort: 7946, protocol: 'UDP' },
                ],
              }),
            ],
          },
        },
      },
    } as unknown as ObjectInput,
  ];
}

/** ingress-nginx's cloud manifest: namespace, controller Deployment, its LoadBalancer Service, IngressClass `nginx`. */
function ingressNginxManifests(config: ClusterConfig): ObjectInput[] {
  // IngressClass arrived in 1.18 (v1 in 1.19); older controllers serve every class-less Ingress.
  const hasIngressClass = versionAtLeast(config.kubernetesVersion, 1, 19);
  const labels = { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' };
  return [
    namespaceOf('ingress-nginx', { 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' }),
    deploymentOf(
      'ingress-nginx-controller',
      'ingress-nginx',
      labels,
      [
        container('controller', 'registry.k8s.io/ingress-nginx/controller:v1.14.0', {
          args: [
            '/nginx-ingress-controller',
            '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller',
            '--election-id=ingress-nginx-leader',
            '--controller-class=k8s.io/ingress-nginx',
            '--ingress-class=nginx',
          ],
          ports: [
            { name: 'http', containerPort: 80, protocol: 'TCP' },
            { name: 'https', containerPort: 443, protocol: 'TCP' },
            { name: 'webhook', containerPort: 8443, protocol: 'TCP' },
          ],
        }),
      ],
      { serviceAccountName: 'ingress-nginx', nodeSelector: { 'kubernetes.io/os': 'linux' } },
    ),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx', labels },
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        internalTrafficPolicy: 'Cluster',
        sessionAffinity: 'None',
        allocateLoadBalancerNodePorts: true,
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        selector: labels,
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', appProtocol: 'http' },
          { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https', appProtocol: 'https' },
        ],
      },
    } as unknown as ObjectInput,
    ...(hasIngressClass
      ? [
          {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'IngressClass',
            metadata: { name: 'nginx', labels, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
            spec: { controller: 'k8s.io/ingress-nginx' },
          } as unknown as ObjectInput,
        ]
      : []),
  ];
}

export function defaultConfig(opts: ClusterOptions = {}): ClusterConfig {
  return {
    kubernetesVersion: opts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    seed: opts.seed ?? 1,
    podCIDR: opts.podCIDR ?? '10.244.0.0/16',
    nodeCIDRMaskSize: opts.nodeCIDRMaskSize ?? 24,
    serviceCIDR: opts.serviceCIDR ?? '10.96.0.0/12',
    clusterDomain: opts.clusterDomain ?? 'cluster.local',
    nodeNetwork: opts.nodeNetwork ?? '192.168.56.0/24',
    nodeGateway:
      opts.nodeGateway ?? ipToString((networkOf(parseCIDR(opts.nodeNetwork ?? '192.168.56.0/24').ip, parseCIDR(opts.nodeNetwork ?? '192.168.56.0/24').prefixLen) + 1) >>> 0),
    nodeMTU: 1500,
    loadBalancer: defaultLoadBalancer(opts),
    internet: { gatewayPublicIP: '203.0.113.1', hosts: opts.externalHosts ?? DEFAULT_EXTERNAL_HOSTS, dnsZone: { ...defaultUpstreamZone(), ...(opts.dnsZone ?? {}) } },
    containerRuntime: opts.containerRuntime ?? 'docker',
  };
}

const DEFAULT_START = '2026-11-25T09:00:00Z';

/** Up to this many nodes, bootstrap lets the controllers settle after each join. */
const LAB_SIZE = 50;

/** Build the initial ClusterState of a kubeadm + Flannel lab. */
export function bootstrapCluster(opts: ClusterOptions = {}): ClusterState {
  const config = defaultConfig(opts);
  const start = Date.parse(opts.startTime ?? DEFAULT_START);
  if (Number.isNaN(start)) throw new Error(`startTime: not an RFC 3339 time: ${opts.startTime}`);
  const empty: ClusterState = {
    config,
    clock: start,
    resourceVersion: 0,
    namespaces: {},
    nodes: {},
    nodeOrder: [],
    pods: {},
    deployments: {},
    replicaSets: {},
    daemonSets: {},
    configMaps: {},
    serviceAccounts: {},
    services: {},
    endpoints: {},
    endpointSlices: {},
    ingresses: {},
    ingressClasses: {},
    workstationHosts: {},
    coredns: { corefile: kubeadmCorefile(config.clusterDomain, config.kubernetesVersion) },
    clusterRoles: {},
    clusterRoleBindings: {},
    nodeAgents: {},
    events: [],
  };
  const specs = nodeSpecs(opts, config);
  const cps = specs.filter((s) => s.role === 'control-plane');
  const first = cps[0] ?? specs[0]!;
  // kubeadm init: namespaces, the control-plane node and its static pods, kube-proxy, CoreDNS
  // (Pending until a CNI is installed).
  let state = produce(empty, (draft) => {
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) addNamespace(draft, ns);
    const cpNode = newNode(draft, first);
    staticPods(draft, cpNode);
    daemonSet(
      draft,
      'kube-system',
      'kube-proxy',
      { 'k8s-app': 'kube-proxy' },
      [
        container('kube-proxy', `registry.k8s.io/kube-proxy:v${config.kubernetesVersion}`, {
          command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
        }),
      ],
      [{ operator: 'Exists' }],
      { serviceAccountName: 'kube-proxy' },
    );
    coreDNS(draft);
  });
  state = produce(converge(state), (draft) => {
    draft.clock += 60_000;
  });
  // The API server's `kubernetes` Service (first address of the range), kubeadm's kube-dns and
  // the coredns ConfigMap with its Corefile.
  state = applyObjects(state, [...systemServices(config), corednsConfigMap(config)]).state;
  // kubectl apply -f kube-flannel.yml, a minute later.
  if ((opts.cni ?? 'flannel') === 'flannel') state = applyObjects(state, flannelManifests(config, opts.flannelBackend)).state;
  // kubeadm join, a few minutes later each. In a lab-sized cluster the controllers settle after
  // every join, as they would; for large generated clusters the nodes join together and the
  // controllers settle once (converging per node made bootstrap quadratic).
  const settleEachJoin = specs.length <= LAB_SIZE;
  const join = (draft: ClusterState, spec: Required<NodeSpecInput>, afterMs: number) => {
    draft.clock += afterMs;
    const n = newNode(draft, spec);
    if (spec.role === 'control-plane') staticPods(draft, n);
  };
  const joining = specs.filter((s) => s !== first);
  if (settleEachJoin) {
    for (const spec of joining)
      state = converge(
        produce(state, (draft) => join(draft, spec, 120_000)),
        state,
      );
  } else {
    state = converge(
      produce(state, (draft) =>
        joining.forEach((spec) => {
          join(draft, spec, 1_000);
        }),
      ),
      state,
    );
  }
  state = produce(state, (draft) => {
    draft.clock += 60_000;
  });
  // The lab's add-ons: MetalLB (L2) for LoadBalancer Services, then ingress-nginx behind it.
  if (config.loadBalancer.provider === 'metallb') state = applyObjects(state, metallbManifests(config)).state;
  if (opts.ingressController !== false) state = applyObjects(state, ingressNginxManifests(config)).state;
  // The student logs in some time after the lab was built.
  return converge(
    produce(state, (draft) => {
      draft.clock = Math.max(draft.clock, start + 45 * 60_000);
    }),
    state,
  );
}

/** `kubeadm join`: a new node registers, gets a podCIDR, and the DaemonSets and Flannel follow. */
export function joinNode(state: ClusterState, spec: NodeSpecInput): ClusterState {
  if (state.nodes[spec.name]) throw new Error(`a node named "${spec.name}" already exists`);
  const { ip, prefixLen } = parseCIDR(state.config.nodeNetwork);
  const used = new Set(Object.values(state.nodes).map((n) => nodeInternalIP(n)));
  let address = spec.ip;
  for (let i = 10; !address; i++) {
    if (i >= 2 ** (32 - prefixLen) - 1) throw new Error(`nodeNetwork ${state.config.nodeNetwork} has no free address for "${spec.name}"`);
    const candidate = ipToString((networkOf(ip, prefixLen) + i) >>> 0);
    if (!used.has(candidate)) address = candidate;
  }
  const joined = produce(state, (draft) => {
    const n = newNode(draft, { name: spec.name, role: spec.role ?? 'worker', ip: address });
    if (spec.role === 'control-plane') staticPods(draft, n);
  });
  return converge(joined, state);
}
