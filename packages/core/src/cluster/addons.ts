// The add-ons as the lab installs them: kubeadm's kube-proxy and CoreDNS (written by kubeadm
// init; CoreDNS's Service and ConfigMap applied after it), Flannel (`kubectl apply -f
// kube-flannel.yml`), then MetalLB in L2 mode and ingress-nginx behind it.

import type { Container, DaemonSet, Deployment, Toleration, PodSpec } from '../api/types.js';
import { versionAtLeast } from '../api/version.js';
import { validateManifest } from '../api/manifest.js';
import type { ObjectInput } from '../api/manifest-types.js';
import { parseManifests } from '../api/yaml.js';
import { KUBE_FLANNEL_YML } from '../addons/kube-flannel.js';
import { CANAL_YML } from '../addons/canal.js';
import { KUBE_PROXY_CONFIG_KEY, kubeadmKubeProxyConfigConf, kubeadmKubeProxyKubeconfig } from '../addons/kube-proxy-config.js';
import { nodeInternalIP } from '../state/queries.js';
import { kubeadmCorefile } from '../dns/corefile/index.js';
import { nthAddress, parseCidr } from '../net/cidr.js';
import { ipToString } from '../net/ipv4.js';
import { createMeta } from '../state/meta.js';
import { putObject } from '../state/store.js';
import type { ClusterConfig, ClusterState } from '../state/types.js';
import { container, podSpecDefaults, systemServiceDefaults } from './kubeadm.js';

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
    metadata: { ...createMeta(draft, 'DaemonSet', { name, namespace, labels, annotations: { 'deprecated.daemonset.template.generation': '1' } }), generation: 1 },
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

/**
 * kube-proxy as kubeadm init installs it: the kube-system/kube-proxy ConfigMap (config.conf, the
 * KubeProxyConfiguration for the pod subnet, and kubeconfig.conf for the control-plane endpoint
 * `https://<advertise address>:6443`), then the DaemonSet whose pods read it.
 */
export function kubeProxy(draft: ClusterState): void {
  const cp = draft.nodes[draft.nodeOrder[0] ?? ''];
  const server = `https://${(cp && nodeInternalIP(cp)) ?? '127.0.0.1'}:6443`;
  putObject(draft, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: createMeta(draft, 'ConfigMap', { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } }),
    data: { [KUBE_PROXY_CONFIG_KEY]: kubeadmKubeProxyConfigConf(draft.config.podCIDR), 'kubeconfig.conf': kubeadmKubeProxyKubeconfig(server) },
  });
  daemonSet(
    draft,
    'kube-system',
    'kube-proxy',
    { 'k8s-app': 'kube-proxy' },
    [
      container('kube-proxy', `registry.k8s.io/kube-proxy:v${draft.config.kubernetesVersion}`, {
        command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
      }),
    ],
    [{ operator: 'Exists' }],
    { serviceAccountName: 'kube-proxy' },
  );
}

/** CoreDNS's Deployment (kubeadm's add-on), as kubeadm init writes it: Pending until a CNI is installed. */
export function coreDNS(draft: ClusterState): void {
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

function corednsConfigMap(config: ClusterConfig): ObjectInput<'ConfigMap'> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'coredns', namespace: 'kube-system' },
    data: { Corefile: kubeadmCorefile(config.clusterDomain, config.kubernetesVersion) },
  };
}

/** CoreDNS's `kube-system/kube-dns` Service: the tenth address of the service range (10.96.0.10, kubeadm's pick). */
function kubeDnsService(config: ClusterConfig): ObjectInput<'Service'> {
  const tenth = ipToString(nthAddress(parseCidr(config.serviceCIDR), 10));
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      ...systemServiceDefaults(),
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
  };
}

/** CoreDNS's objects applied after init: the kube-dns Service and the coredns ConfigMap with its Corefile. */
export function corednsObjects(config: ClusterConfig): ObjectInput[] {
  return [kubeDnsService(config), corednsConfigMap(config)];
}

/**
 * The objects of kube-flannel.yml, validated like any manifest; net-conf.json's Network is set
 * to the cluster's pod CIDR, as the Flannel docs tell kubeadm users to do, and cni-conf.json's
 * delegate gets the lab's hairpinMode.
 */
export function flannelManifests(config: ClusterConfig, backend: 'vxlan' | 'host-gw' = 'vxlan', hairpinMode = true): ObjectInput[] {
  const text = KUBE_FLANNEL_YML.replace('"Network": "10.244.0.0/16"', `"Network": "${config.podCIDR}"`)
    .replace('"Type": "vxlan"', `"Type": "${backend}"`)
    .replace('"hairpinMode": true', `"hairpinMode": ${hairpinMode}`);
  return parseManifests(text, 'kube-flannel.yml').map((doc) => validateManifest(doc, { kubernetesVersion: config.kubernetesVersion }));
}

/** The objects of canal.yaml, with net-conf.json's Network set to the cluster's pod CIDR (as canal's docs tell kubeadm users). */
export function canalManifests(config: ClusterConfig, backend: 'vxlan' | 'host-gw' = 'vxlan'): ObjectInput[] {
  const text = CANAL_YML.replace('"Network": "10.244.0.0/16"', `"Network": "${config.podCIDR}"`).replace('"Type": "vxlan"', `"Type": "${backend}"`);
  return parseManifests(text, 'canal.yaml').map((doc) => validateManifest(doc, { kubernetesVersion: config.kubernetesVersion }));
}

function deploymentOf(name: string, namespace: string, labels: Record<string, string>, containers: Container[], extra: Partial<PodSpec> = {}): ObjectInput<'Deployment'> {
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
      template: { metadata: { labels }, spec: { ...podSpecDefaults(), containers, ...extra } },
    },
  };
}

function namespaceOf(name: string, labels: Record<string, string> = {}): ObjectInput<'Namespace'> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

/** MetalLB v0.15 (native manifest): its controller Deployment and speaker DaemonSet. */
export function metallbManifests(config: ClusterConfig): ObjectInput[] {
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
            ...podSpecDefaults(),
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
    },
  ];
}

/** ingress-nginx's cloud manifest: namespace, controller Deployment, its LoadBalancer Service, IngressClass `nginx`. */
export function ingressNginxManifests(config: ClusterConfig): ObjectInput[] {
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
    },
    ...(hasIngressClass
      ? [
          {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'IngressClass',
            metadata: { name: 'nginx', labels, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
            spec: { controller: 'k8s.io/ingress-nginx' },
          } satisfies ObjectInput<'IngressClass'>,
        ]
      : []),
  ];
}
