// What kubeadm leaves on a node: `kubeadm init` creates the initial namespaces and registers the
// control-plane node with its static pods (etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler, seen through their mirror pods), and the API server its `kubernetes` Service;
// `kubeadm join` registers a worker (or another control-plane node). Objects written straight into
// a draft, as the components write them; kubeadm's add-ons are in addons.ts.

import type { Container, Node, Pod } from '../api/types.js';
import type { ObjectInput } from '../api/manifest-types.js';
import { newNodeAgent } from '../state/node-agent.js';
import { nodeInternalIP } from '../state/queries.js';
import { nthAddress, parseCidr } from '../net/cidr.js';
import { ipToString } from '../net/ipv4.js';
import { createMeta } from '../state/meta.js';
import { putObject, putAgent } from '../state/store.js';
import type { ClusterConfig, ClusterState } from '../state/types.js';
import { seededHex, seededUuid } from '../util/seeded.js';
import type { NodeSpecInput } from './options.js';

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

export function container(name: string, image: string, extra: Partial<Container> = {}): Container {
  return { name, image, imagePullPolicy: 'IfNotPresent', ...extra };
}

/** The API server's defaults for a pod spec, as the system pods and the add-ons' templates carry them. */
export function podSpecDefaults() {
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

function addNamespace(draft: ClusterState, name: string, labels: Record<string, string> = {}): void {
  putObject(draft, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: createMeta(draft, 'Namespace', { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
}

/** `kubeadm init`: the initial namespaces, then the control-plane node with its static pods. */
export function kubeadmInit(draft: ClusterState, spec: Required<NodeSpecInput>): Node {
  for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) addNamespace(draft, ns);
  const node = newNode(draft, spec);
  staticPods(draft, node);
  return node;
}

/** `kubeadm join`: the node registers; a control-plane node brings its static pods. */
export function kubeadmJoin(draft: ClusterState, spec: Required<NodeSpecInput>): Node {
  const node = newNode(draft, spec);
  if (spec.role === 'control-plane') staticPods(draft, node);
  return node;
}

/** The defaulted fields kubeadm's Services (`kubernetes`, `kube-dns`) carry. */
export function systemServiceDefaults() {
  return { sessionAffinity: 'None' as const, internalTrafficPolicy: 'Cluster' as const, ipFamilies: ['IPv4' as const], ipFamilyPolicy: 'SingleStack' as const };
}

/** The API server's `default/kubernetes` Service: the first address of the service range (10.96.0.1:443 → :6443). */
export function kubernetesService(config: ClusterConfig): ObjectInput<'Service'> {
  const first = ipToString(nthAddress(parseCidr(config.serviceCIDR), 1));
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { ...systemServiceDefaults(), type: 'ClusterIP', clusterIP: first, clusterIPs: [first], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  };
}
