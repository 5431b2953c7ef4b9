// Hand-built API objects for the kubectl view tests (typed against api/types.ts).

import type {
  ClusterRole,
  ClusterRoleBinding,
  ConfigMap,
  DaemonSet,
  Deployment,
  EndpointSlice,
  EndpointSliceEndpoint,
  Endpoints,
  Ingress,
  IngressClass,
  Namespace,
  Node,
  Pod,
  PodSpec,
  ReplicaSet,
  Service,
  ServiceAccount,
  ServiceSpec,
} from '../../api/types.js';

export const NOW = Date.parse('2024-05-01T12:00:00Z');

/** An RFC 3339 timestamp `ms` before NOW. */
export function ago(ms: number): string {
  return new Date(NOW - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const podSpec = (image: string, extra: Partial<PodSpec> = {}): PodSpec => ({
  containers: [{ name: image.split('/').pop()!.split(':')[0]!, image, imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
  restartPolicy: 'Always',
  dnsPolicy: 'ClusterFirst',
  schedulerName: 'default-scheduler',
  terminationGracePeriodSeconds: 30,
  ...extra,
});

export function runningPod(name: string, opts: { namespace?: string; node?: string; ip?: string; age?: number; restarts?: number } = {}): Pod {
  const created = ago(opts.age ?? 86_000);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      uid: `uid-${name}`,
      resourceVersion: '1234',
      creationTimestamp: created,
      labels: { app: 'nginx', 'pod-template-hash': '66b6c48dd5' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'nginx-deployment-66b6c48dd5', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }],
    },
    spec: podSpec('nginx:1.14.2', {
      nodeName: opts.node ?? 'node01',
      priority: 0,
      serviceAccountName: 'default',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    }),
    status: {
      phase: 'Running',
      hostIP: '172.30.1.2',
      podIP: opts.ip ?? '10.244.1.2',
      podIPs: [{ ip: opts.ip ?? '10.244.1.2' }],
      startTime: created,
      qosClass: 'BestEffort',
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: created },
        { type: 'Ready', status: 'True', lastTransitionTime: created },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: created },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: created },
      ],
      containerStatuses: [
        {
          name: 'nginx',
          image: 'nginx:1.14.2',
          imageID: 'docker-pullable://nginx@sha256:f7988fb6c02e0ce69257d9bd9cf37ae20a60f1df7563c3a2a6abe24160306b8d',
          containerID: 'docker://2bd71e1a8b07c18a6cf0e4fcd1a1bbca56a3e0b2d4e6c4ee1e69f0a0d1d4e9f0',
          ready: true,
          started: true,
          restartCount: opts.restarts ?? 0,
          state: { running: { startedAt: created } },
        },
      ],
    },
  };
}

/** A pod the scheduler has not placed yet. */
export function pendingPod(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '5', creationTimestamp: ago(5_000) },
    spec: podSpec('nginx:1.14.2'),
    status: {
      phase: 'Pending',
      qosClass: 'BestEffort',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/2 nodes are available: 2 node(s) were unschedulable.',
          lastTransitionTime: ago(5_000),
        },
      ],
    },
  };
}

/** A pod bound to a node whose sandbox is still being created. */
export function creatingPod(name: string): Pod {
  const p = runningPod(name, { age: 3_000 });
  p.status.podIP = undefined;
  p.status.podIPs = undefined;
  p.status.conditions = [{ type: 'PodScheduled', status: 'True', lastTransitionTime: ago(3_000) }];
  p.status.containerStatuses = [
    { ...p.status.containerStatuses![0]!, containerID: '', imageID: '', ready: false, started: false, state: { waiting: { reason: 'ContainerCreating' } } },
  ];
  p.status.phase = 'Pending';
  return p;
}

export function node(name: string, opts: { controlPlane?: boolean; ready?: boolean; unschedulable?: boolean; ip?: string; age?: number } = {}): Node {
  const created = ago(opts.age ?? 10 * 24 * 3600_000);
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
  };
  if (opts.controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  const heartbeat = ago(3 * 60_000);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion: '900',
      creationTimestamp: created,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/cri-dockerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: '10.244.0.0/24',
      podCIDRs: ['10.244.0.0/24'],
      taints: opts.controlPlane ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : undefined,
      unschedulable: opts.unschedulable,
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: opts.ip ?? '172.30.1.2' },
        { type: 'Hostname', address: name },
      ],
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          message: 'kubelet has sufficient memory available',
          lastHeartbeatTime: heartbeat,
          lastTransitionTime: created,
        },
        opts.ready === false
          ? {
              type: 'Ready',
              status: 'False',
              reason: 'KubeletNotReady',
              message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized',
              lastHeartbeatTime: heartbeat,
              lastTransitionTime: created,
            }
          : {
              type: 'Ready',
              status: 'True',
              reason: 'KubeletReady',
              message: 'kubelet is posting ready status',
              lastHeartbeatTime: heartbeat,
              lastTransitionTime: created,
            },
      ],
      capacity: { cpu: '2', 'ephemeral-storage': '20134592Ki', 'hugepages-2Mi': '0', memory: '2030940Ki', pods: '110' },
      allocatable: { cpu: '2', 'ephemeral-storage': '18556039957', 'hugepages-2Mi': '0', memory: '1928540Ki', pods: '110' },
      nodeInfo: {
        machineID: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
        systemUUID: 'ec2a1b2c-3d4e-5f60-7182-93a4b5c6d7e8',
        bootID: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        kernelVersion: '5.4.0-1026-gcp',
        osImage: 'Ubuntu 20.04.6 LTS',
        containerRuntimeVersion: 'docker://24.0.7',
        kubeletVersion: 'v1.29.0',
        kubeProxyVersion: 'v1.29.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

export function namespace(name: string, age: number, phase: 'Active' | 'Terminating' = 'Active'): Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: ago(age), labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase },
  };
}

export function deployment(name: string, replicas: number, ready: number, namespaceName = 'default'): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: namespaceName, uid: `uid-${name}`, resourceVersion: '10', generation: 1, creationTimestamp: ago(3 * 60_000), labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: podSpec('nginx:1.14.2') },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
    status: { observedGeneration: 1, replicas, updatedReplicas: replicas, readyReplicas: ready, availableReplicas: ready },
  };
}

export function replicaSet(name: string, replicas: number, ready: number): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '11', creationTimestamp: ago(3 * 60_000) },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'nginx', 'pod-template-hash': '66b6c48dd5' } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: podSpec('nginx:1.14.2') },
    },
    status: { replicas, readyReplicas: ready, availableReplicas: ready },
  };
}

export function daemonSet(name: string, namespaceName: string, desired: number): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: namespaceName, uid: `uid-${name}`, resourceVersion: '12', creationTimestamp: ago(10 * 24 * 3600_000) },
    spec: {
      selector: { matchLabels: { 'k8s-app': name } },
      template: {
        metadata: { labels: { 'k8s-app': name } },
        spec: podSpec('registry.k8s.io/kube-proxy:v1.29.0', { nodeSelector: { 'kubernetes.io/os': 'linux' } }),
      },
    },
    status: {
      currentNumberScheduled: desired,
      desiredNumberScheduled: desired,
      numberReady: desired,
      numberAvailable: desired,
      updatedNumberScheduled: desired,
      numberMisscheduled: 0,
    },
  };
}

const meta = (name: string, age: number, namespaceName?: string) => ({
  name,
  ...(namespaceName ? { namespace: namespaceName } : {}),
  uid: `uid-${name}`,
  resourceVersion: '20',
  creationTimestamp: ago(age),
});

export const NET_CONF = '{\n  "Network": "10.244.0.0/16",\n  "EnableNFTables": false,\n  "Backend": {\n    "Type": "vxlan"\n  }\n}\n';

/** kube-flannel-cfg as kubectl apply leaves it (values end in a newline: YAML `|` blocks). */
export function flannelConfigMap(age = 10 * 60_000): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { ...meta('kube-flannel-cfg', age, 'kube-flannel'), labels: { app: 'flannel', 'k8s-app': 'flannel', tier: 'node' } },
    data: { 'net-conf.json': NET_CONF, 'cni-conf.json': '{\n  "name": "cbr0"\n}\n' },
  };
}

export function configMap(name: string, namespaceName: string, data: Record<string, string>, binaryData?: Record<string, string>, age = 60_000): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name, age, namespaceName), data, ...(binaryData ? { binaryData } : {}) };
}

export function serviceAccount(name: string, namespaceName: string, age = 10 * 60_000): ServiceAccount {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name, age, namespaceName) };
}

export function clusterRole(name: string, age = 10 * 60_000): ClusterRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: meta(name, age),
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
  };
}

export function clusterRoleBinding(name: string, subjects: ClusterRoleBinding['subjects'], role = name, age = 10 * 60_000): ClusterRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta(name, age),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    ...(subjects ? { subjects } : {}),
  };
}

/** A Service as the API server stores it after defaulting and allocation. */
export function service(
  name: string,
  spec: Partial<ServiceSpec>,
  opts: { namespace?: string; age?: number; ingress?: Service['status']['loadBalancer']['ingress']; labels?: Record<string, string> } = {},
): Service {
  const type = spec.type ?? 'ClusterIP';
  const external = type === 'NodePort' || type === 'LoadBalancer';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...meta(name, opts.age ?? 5 * 60_000, opts.namespace ?? 'default'), ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: {
      type,
      sessionAffinity: 'None',
      ...(type === 'ExternalName' ? {} : { ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' }),
      ...(external ? { externalTrafficPolicy: 'Cluster' } : {}),
      ...(type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: true } : {}),
      ...spec,
    } as ServiceSpec,
    status: { loadBalancer: opts.ingress ? { ingress: opts.ingress } : {} },
  };
}

export function endpoints(name: string, subsets: Endpoints['subsets'], opts: { namespace?: string; age?: number } = {}): Endpoints {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: meta(name, opts.age ?? 5 * 60_000, opts.namespace ?? 'default'), ...(subsets ? { subsets } : {}) };
}

/** A ready pod endpoint as the EndpointSlice controller writes it. */
export function sliceEndpoint(ip: string, node: string, ready = true): EndpointSliceEndpoint {
  return {
    addresses: [ip],
    conditions: { ready, serving: ready, terminating: false },
    nodeName: node,
    targetRef: { kind: 'Pod', namespace: 'default', name: `pod-${ip.split('.').pop()}`, uid: `uid-${ip}` },
  };
}

export function endpointSlice(
  name: string,
  serviceName: string,
  endpointList: EndpointSliceEndpoint[],
  ports: EndpointSlice['ports'],
  opts: { namespace?: string; age?: number; addressType?: EndpointSlice['addressType'] } = {},
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      ...meta(name, opts.age ?? 5 * 60_000, opts.namespace ?? 'default'),
      labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': serviceName },
    },
    addressType: opts.addressType ?? 'IPv4',
    endpoints: endpointList,
    ...(ports ? { ports } : {}),
  };
}

/** An Ingress as stored (networking.k8s.io/v1), with the controller's status address if given. */
export function ingress(
  name: string,
  spec: Ingress['spec'],
  opts: {
    namespace?: string;
    age?: number;
    address?: NonNullable<Ingress['status']['loadBalancer']['ingress']>;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      ...meta(name, opts.age ?? 5 * 60_000, opts.namespace ?? 'default'),
      ...(opts.labels ? { labels: opts.labels } : {}),
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
      generation: 1,
    },
    spec,
    status: { loadBalancer: opts.address ? { ingress: opts.address } : {} },
  };
}

export function ingressClass(name: string, spec: IngressClass['spec'], opts: { age?: number; annotations?: Record<string, string> } = {}): IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { ...meta(name, opts.age ?? 10 * 60_000), ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec,
  };
}
