// The API server's defaulting (pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go),
// applied to decoded manifests. Missing non-pointer Go fields become their zero values here
// so validation sees what the server would (e.g. a port without containerPort is 0).

import type {
  ClusterRoleBinding,
  Container,
  EndpointAddress,
  EndpointPort,
  EndpointSlice,
  EndpointSliceEndpoint,
  EndpointSubset,
  HTTPIngressPath,
  Ingress,
  IngressBackend,
  IngressClass,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  IngressRule,
  ObjectReference,
  ServicePort,
  ServiceSpec,
  ServiceType,
  PolicyRule,
  Subject,
  ContainerPort,
  DeploymentSpec,
  LabelSelector,
  PodDNSConfig,
  PodSpec,
  PodTemplateSpec,
  Protocol,
  Taint,
  Toleration,
} from './types.js';
import type {
  RawClusterRole,
  RawClusterRoleBinding,
  RawConfigMap,
  RawContainer,
  RawDaemonSetSpec,
  RawDeploymentSpec,
  RawLabelSelector,
  RawNamespaceSpec,
  RawNodeSpec,
  RawObjectMeta,
  RawPodSpec,
  RawPodTemplateSpec,
  RawReplicaSetSpec,
  RawServiceAccount,
  RawServiceSpec,
  RawEndpoints,
  RawEndpointSlice,
  RawEndpointSliceV1beta1,
  RawIngressBackend,
  RawIngressClassSpec,
  RawNetworkPolicySpec,
  RawIngressClassSpecV1beta1,
  RawIngressSpec,
  RawLegacyIngressBackend,
  RawLegacyIngressSpec,
} from './schemas.js';
import { versionAtLeast } from './version.js';
import type { ManifestMeta } from './manifest-types.js';

/** Copies only the defined properties (keeps defaulted objects free of `key: undefined`). */
function defined<T extends object>(o: T): T {
  const out = {} as T;
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Image pull policy default: Always when the tag is `latest` or absent (and no digest),
 * IfNotPresent otherwise — SetDefaults_Container via parsers.ParseImageName.
 */
export function defaultPullPolicy(image: string): Container['imagePullPolicy'] {
  const ref = parseImageReference(image);
  if (!ref) return 'IfNotPresent';
  const tag = ref.tag ?? (ref.digest ? '' : 'latest');
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

// docker/distribution reference grammar, enough to tell tags and digests apart and to
// reject names ParseNormalizedNamed would refuse (unparsable images default to IfNotPresent).
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const REFERENCE = new RegExp(
  `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);

export function parseImageReference(image: string): { name: string; tag?: string; digest?: string } | null {
  const m = REFERENCE.exec(image);
  if (!m) return null;
  return defined({ name: m[1]!, tag: m[2], digest: m[3] });
}

export function defaultMeta(raw: RawObjectMeta | undefined, namespace: string | undefined): ManifestMeta {
  return defined({
    name: raw?.name ?? '',
    generateName: raw?.generateName || undefined,
    namespace,
    labels: raw?.labels,
    annotations: raw?.annotations,
    ownerReferences: raw?.ownerReferences?.map((r) =>
      defined({
        apiVersion: r.apiVersion ?? '',
        kind: r.kind ?? '',
        name: r.name ?? '',
        uid: r.uid ?? '',
        controller: r.controller,
        blockOwnerDeletion: r.blockOwnerDeletion,
      }),
    ),
  });
}

function defaultContainer(raw: RawContainer, hostNetwork: boolean): Container {
  const image = raw.image ?? '';
  const ports = raw.ports?.map(
    (p): ContainerPort =>
      defined({
        name: p.name || undefined,
        containerPort: p.containerPort ?? 0,
        // With hostNetwork the pod's ports are the node's: hostPort defaults to containerPort.
        hostPort: p.hostPort || (hostNetwork ? p.containerPort : undefined) || undefined,
        protocol: (p.protocol || 'TCP') as Protocol,
      }),
  );
  return defined({
    name: raw.name ?? '',
    image,
    command: raw.command,
    args: raw.args,
    ports,
    imagePullPolicy: (raw.imagePullPolicy || defaultPullPolicy(image)) as Container['imagePullPolicy'],
  });
}

function defaultDNSConfig(raw: RawPodSpec['dnsConfig']): PodDNSConfig | undefined {
  if (!raw) return undefined;
  return defined({
    nameservers: raw.nameservers,
    searches: raw.searches,
    options: raw.options?.map((o) => defined({ name: o.name ?? '', value: o.value })),
  });
}

export function defaultPodSpec(raw: RawPodSpec | undefined): PodSpec {
  const r = raw ?? {};
  const hostNetwork = r.hostNetwork ?? false;
  return defined({
    containers: (r.containers ?? []).map((c) => defaultContainer(c, hostNetwork)),
    initContainers: r.initContainers?.map((c) => defaultContainer(c, hostNetwork)),
    nodeName: r.nodeName || undefined,
    nodeSelector: r.nodeSelector,
    tolerations: r.tolerations?.map(
      (t): Toleration =>
        defined({
          key: t.key || undefined,
          operator: (t.operator || undefined) as Toleration['operator'],
          value: t.value || undefined,
          effect: (t.effect || undefined) as Toleration['effect'],
          tolerationSeconds: t.tolerationSeconds,
        }),
    ),
    hostNetwork: r.hostNetwork,
    restartPolicy: (r.restartPolicy || 'Always') as PodSpec['restartPolicy'],
    dnsPolicy: (r.dnsPolicy || 'ClusterFirst') as PodSpec['dnsPolicy'],
    dnsConfig: defaultDNSConfig(r.dnsConfig),
    hostname: r.hostname || undefined,
    subdomain: r.subdomain || undefined,
    priorityClassName: r.priorityClassName || undefined,
    priority: r.priority,
    serviceAccountName: r.serviceAccountName || undefined,
    schedulerName: r.schedulerName || 'default-scheduler',
    terminationGracePeriodSeconds: r.terminationGracePeriodSeconds ?? 30,
  });
}

export function defaultTemplate(raw: RawPodTemplateSpec | undefined): PodTemplateSpec {
  return {
    metadata: defined({ labels: raw?.metadata?.labels, annotations: raw?.metadata?.annotations }),
    spec: defaultPodSpec(raw?.spec),
  };
}

export function defaultSelector(raw: RawLabelSelector | undefined): LabelSelector | undefined {
  if (!raw) return undefined;
  return defined({
    matchLabels: raw.matchLabels,
    matchExpressions: raw.matchExpressions?.map((e) =>
      defined({
        key: e.key ?? '',
        operator: (e.operator ?? '') as NonNullable<LabelSelector['matchExpressions']>[number]['operator'],
        values: e.values,
      }),
    ),
  });
}

/**
 * apps/v1 Deployment defaults. `selector` may stay undefined: the type says required, but
 * a missing selector must reach validation ("spec.selector: Required value").
 */
export function defaultDeploymentSpec(raw: RawDeploymentSpec | undefined): DeploymentSpec {
  const r = raw ?? {};
  const type = (r.strategy?.type || 'RollingUpdate') as DeploymentSpec['strategy']['type'];
  const strategy: DeploymentSpec['strategy'] =
    type === 'RollingUpdate'
      ? {
          type,
          rollingUpdate: {
            maxUnavailable: r.strategy?.rollingUpdate?.maxUnavailable ?? '25%',
            maxSurge: r.strategy?.rollingUpdate?.maxSurge ?? '25%',
          },
        }
      : defined({
          type,
          // Not defaulted for other types; kept (nil fields as 0) so validation can reject it.
          rollingUpdate: r.strategy?.rollingUpdate && {
            maxUnavailable: r.strategy.rollingUpdate.maxUnavailable ?? 0,
            maxSurge: r.strategy.rollingUpdate.maxSurge ?? 0,
          },
        });
  return defined({
    replicas: r.replicas ?? 1,
    selector: defaultSelector(r.selector) as LabelSelector,
    template: defaultTemplate(r.template),
    strategy,
    revisionHistoryLimit: r.revisionHistoryLimit ?? 10,
    progressDeadlineSeconds: r.progressDeadlineSeconds ?? 600,
  });
}

export function defaultReplicaSetSpec(raw: RawReplicaSetSpec | undefined) {
  const r = raw ?? {};
  return defined({
    replicas: r.replicas ?? 1,
    selector: defaultSelector(r.selector) as LabelSelector,
    template: defaultTemplate(r.template),
  });
}

export function defaultDaemonSetSpec(raw: RawDaemonSetSpec | undefined) {
  const r = raw ?? {};
  return defined({ selector: defaultSelector(r.selector) as LabelSelector, template: defaultTemplate(r.template) });
}

export function defaultNodeSpec(raw: RawNodeSpec | undefined) {
  const r = raw ?? {};
  // The API returns both fields; podCIDRs[0] mirrors podCIDR.
  const podCIDRs = r.podCIDRs ?? (r.podCIDR ? [r.podCIDR] : undefined);
  return defined({
    podCIDR: r.podCIDR || podCIDRs?.[0],
    podCIDRs,
    taints: r.taints?.map((t): Taint => defined({ key: t.key ?? '', value: t.value || undefined, effect: (t.effect ?? '') as Taint['effect'] })),
    unschedulable: r.unschedulable,
  });
}

/** The namespace registry always adds the `kubernetes` finalizer. */
export function defaultNamespaceSpec(raw: RawNamespaceSpec | undefined) {
  const finalizers = [...(raw?.finalizers ?? [])];
  if (!finalizers.includes('kubernetes')) finalizers.push('kubernetes');
  return { finalizers };
}

// ConfigMap and ServiceAccount have no defaulting; only the fields the simulator keeps are copied.

export function defaultConfigMapFields(raw: RawConfigMap) {
  return defined({ data: raw.data, binaryData: raw.binaryData, immutable: raw.immutable });
}

export function defaultServiceAccountFields(raw: RawServiceAccount) {
  return defined({ automountServiceAccountToken: raw.automountServiceAccountToken });
}

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Missing slices stay absent; verbs is a required (non-omitempty) field, so it becomes []. */
export function defaultClusterRoleFields(raw: RawClusterRole): { rules?: PolicyRule[] } {
  return defined({
    rules: raw.rules?.map((r) =>
      defined({
        apiGroups: r.apiGroups,
        resources: r.resources,
        resourceNames: r.resourceNames,
        verbs: r.verbs ?? [],
        nonResourceURLs: r.nonResourceURLs,
      }),
    ),
  });
}

/** SetDefaults_Subject: User and Group subjects default to the RBAC group, ServiceAccounts to the core group. */
function defaultSubject(raw: NonNullable<RawClusterRoleBinding['subjects']>[number]): Subject {
  const kind = raw.kind ?? '';
  const apiGroup = raw.apiGroup || (kind === 'User' || kind === 'Group' ? RBAC_GROUP : '');
  return defined({ kind: kind as Subject['kind'], apiGroup: apiGroup || undefined, name: raw.name ?? '', namespace: raw.namespace || undefined });
}

/** SetDefaults_ClusterRoleBinding: roleRef.apiGroup defaults to the RBAC group. */
export function defaultClusterRoleBindingFields(raw: RawClusterRoleBinding): Pick<ClusterRoleBinding, 'roleRef' | 'subjects'> {
  return defined({
    roleRef: {
      apiGroup: raw.roleRef?.apiGroup || RBAC_GROUP,
      kind: (raw.roleRef?.kind ?? '') as ClusterRoleBinding['roleRef']['kind'],
      name: raw.roleRef?.name ?? '',
    },
    subjects: raw.subjects?.map(defaultSubject),
  });
}

// ---------------------------------------------------------------------------------------
// Service, Endpoints, EndpointSlice

const omitEmptyList = <T>(list: T[] | undefined): T[] | undefined => (list && list.length > 0 ? list : undefined);
const omitEmptyMap = <T extends object>(map: T | undefined): T | undefined => (map && Object.keys(map).length > 0 ? map : undefined);

/**
 * Whether traffic can reach the Service from outside the cluster (apiservice.ExternallyAccessible):
 * only those get an externalTrafficPolicy.
 */
export function externallyAccessible(spec: { type?: string; externalIPs?: readonly string[] }): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
}

/** v1.DefaultClientIPServiceAffinitySeconds (3 hours). */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

function defaultServicePort(raw: NonNullable<RawServiceSpec['ports']>[number]): ServicePort {
  const port = raw.port ?? 0;
  // intstr zero values (0 or "") mean "same as port".
  const targetPort = raw.targetPort === undefined || raw.targetPort === 0 || raw.targetPort === '' ? port : raw.targetPort;
  return defined({
    name: raw.name || undefined,
    protocol: (raw.protocol || 'TCP') as Protocol,
    appProtocol: raw.appProtocol,
    port,
    targetPort,
    nodePort: raw.nodePort || undefined,
  });
}

/**
 * SetDefaults_Service plus the create strategy's field handling (normalizeClusterIPs, and
 * dropping fields whose feature gates were still off in older releases). ipFamilies and
 * ipFamilyPolicy are not defaults: the allocator infers them (see initServiceIPFamilies).
 */
export function defaultServiceSpec(raw: RawServiceSpec | undefined, kubernetesVersion?: string): ServiceSpec {
  const r = raw ?? {};
  const at = (minor: number) => versionAtLeast(kubernetesVersion, 1, minor);
  const type = (r.type || 'ClusterIP') as ServiceType;
  const sessionAffinity = (r.sessionAffinity || 'None') as ServiceSpec['sessionAffinity'];
  let sessionAffinityConfig: ServiceSpec['sessionAffinityConfig'];
  if (sessionAffinity === 'ClientIP') {
    const timeout = r.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    sessionAffinityConfig = { clientIP: { timeoutSeconds: timeout ?? DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  } else if (sessionAffinity !== 'None' && r.sessionAffinityConfig) {
    // Kept for an unsupported affinity type, so the stored shape matches what validation saw.
    sessionAffinityConfig = defined({ clientIP: r.sessionAffinityConfig.clientIP && defined({ timeoutSeconds: r.sessionAffinityConfig.clientIP.timeoutSeconds }) });
  }
  const externalIPs = omitEmptyList(r.externalIPs);
  const clusterIP = r.clusterIP || undefined;
  // ClusterIPs appeared in 1.20; an old client's singular clusterIP seeds the plural.
  const clusterIPs = at(20) ? (omitEmptyList(r.clusterIPs) ?? (clusterIP ? [clusterIP] : undefined)) : undefined;
  const internalTrafficPolicy = at(22)
    ? ((r.internalTrafficPolicy || (type === 'ClusterIP' || type === 'NodePort' || type === 'LoadBalancer' ? 'Cluster' : undefined)) as ServiceSpec['internalTrafficPolicy'])
    : undefined;
  return defined({
    type,
    selector: omitEmptyMap(r.selector),
    ports: omitEmptyList(r.ports?.map(defaultServicePort)),
    clusterIP,
    clusterIPs,
    ipFamilies: at(21) ? (omitEmptyList(r.ipFamilies) as ServiceSpec['ipFamilies']) : undefined,
    ipFamilyPolicy: at(21) ? ((r.ipFamilyPolicy ?? undefined) as ServiceSpec['ipFamilyPolicy']) : undefined,
    externalIPs,
    externalName: r.externalName || undefined,
    sessionAffinity,
    sessionAffinityConfig,
    externalTrafficPolicy: (r.externalTrafficPolicy || (externallyAccessible({ type, externalIPs }) ? 'Cluster' : undefined)) as ServiceSpec['externalTrafficPolicy'],
    internalTrafficPolicy,
    healthCheckNodePort: r.healthCheckNodePort || undefined,
    loadBalancerIP: r.loadBalancerIP || undefined,
    loadBalancerSourceRanges: omitEmptyList(r.loadBalancerSourceRanges),
    loadBalancerClass: at(22) ? r.loadBalancerClass : undefined,
    allocateLoadBalancerNodePorts: at(22) ? (r.allocateLoadBalancerNodePorts ?? (type === 'LoadBalancer' ? true : undefined)) : undefined,
    publishNotReadyAddresses: r.publishNotReadyAddresses || undefined,
  });
}

type RawObjectReference = NonNullable<NonNullable<NonNullable<RawEndpoints['subsets']>[number]['addresses']>[number]['targetRef']>;

function defaultObjectReference(raw: RawObjectReference | undefined): ObjectReference | undefined {
  if (!raw) return undefined;
  return defined({ kind: raw.kind || undefined, namespace: raw.namespace || undefined, name: raw.name || undefined, uid: raw.uid || undefined }) as ObjectReference;
}

/** SetDefaults_Endpoints: port protocols default to TCP. Empty lists are omitted, as the API stores them. */
export function defaultEndpointsFields(raw: RawEndpoints): { subsets?: EndpointSubset[] } {
  const address = (a: NonNullable<NonNullable<RawEndpoints['subsets']>[number]['addresses']>[number]): EndpointAddress =>
    defined({ ip: a.ip ?? '', hostname: a.hostname || undefined, nodeName: a.nodeName, targetRef: defaultObjectReference(a.targetRef) });
  return defined({
    subsets: omitEmptyList(
      raw.subsets?.map((s) =>
        defined({
          addresses: omitEmptyList(s.addresses?.map(address)),
          notReadyAddresses: omitEmptyList(s.notReadyAddresses?.map(address)),
          ports: omitEmptyList(
            s.ports?.map((p): EndpointPort => defined({ name: p.name || undefined, port: p.port ?? 0, protocol: (p.protocol || 'TCP') as Protocol, appProtocol: p.appProtocol })),
          ),
        }),
      ),
    ),
  });
}

/** Topology keys that v1 turned into fields of their own. */
const HOSTNAME_LABEL = 'kubernetes.io/hostname';
const ZONE_LABEL = 'topology.kubernetes.io/zone';

/**
 * discovery SetDefaults_EndpointPort (name "", protocol TCP) for v1 and v1beta1, converting
 * v1beta1's topology map to v1's nodeName and zone. Conditions are not defaulted: an unset
 * `ready` means "unknown", which consumers read as ready.
 */
export function defaultEndpointSliceFields(raw: RawEndpointSlice | RawEndpointSliceV1beta1): Pick<EndpointSlice, 'addressType' | 'endpoints' | 'ports'> {
  const endpoints = (raw.endpoints ?? []).map((e): EndpointSliceEndpoint => {
    const topology = 'topology' in e ? e.topology : undefined;
    return defined({
      addresses: e.addresses ?? [],
      conditions: defined({ ready: e.conditions?.ready, serving: e.conditions?.serving, terminating: e.conditions?.terminating }),
      hostname: e.hostname,
      nodeName: e.nodeName ?? topology?.[HOSTNAME_LABEL],
      zone: ('zone' in e ? e.zone : undefined) ?? topology?.[ZONE_LABEL],
      targetRef: defaultObjectReference(e.targetRef),
    });
  });
  return defined({
    addressType: (raw.addressType ?? '') as EndpointSlice['addressType'],
    endpoints,
    ports: raw.ports?.map((p) => defined({ name: p.name ?? '', protocol: (p.protocol ?? 'TCP') as Protocol, port: p.port, appProtocol: p.appProtocol })),
  });
}

// ---------------------------------------------------------------------------------------
// Ingress, IngressClass

function defaultTypedReference(raw: { apiGroup?: string; kind?: string; name?: string } | undefined) {
  if (!raw) return undefined;
  // apiGroup is a pointer: an explicit "" is kept (and rejected by validation).
  return defined({ apiGroup: raw.apiGroup, kind: raw.kind ?? '', name: raw.name ?? '' });
}

function defaultIngressBackend(raw: RawIngressBackend | undefined): IngressBackend {
  const service = raw?.service;
  return defined({
    service: service && {
      name: service.name ?? '',
      // Zero values mean "not set": validation asks for exactly one of name and number.
      port: defined({ name: service.port?.name || undefined, number: service.port?.number || undefined }),
    },
    resource: defaultTypedReference(raw?.resource),
  });
}

/**
 * Convert_v1beta1_IngressBackend_To_networking_IngressBackend: serviceName/servicePort become a
 * service backend when either is set (a string servicePort, even "", counts as set); a string
 * port is a port name, a number a port number.
 */
function convertLegacyIngressBackend(raw: RawLegacyIngressBackend | undefined): IngressBackend {
  const name = raw?.serviceName ?? '';
  const port = raw?.servicePort;
  const hasService = name !== '' || typeof port === 'string' || (typeof port === 'number' && port !== 0);
  return defined({
    service: hasService ? { name, port: typeof port === 'string' ? defined({ name: port || undefined }) : defined({ number: port || undefined }) } : undefined,
    resource: defaultTypedReference(raw?.resource),
  });
}

type AnyRawIngressSpec = RawIngressSpec | RawLegacyIngressSpec;
type RawRule = NonNullable<AnyRawIngressSpec['rules']>[number];

function ingressSpecFields<B>(
  raw: { ingressClassName?: string; tls?: RawIngressSpec['tls']; rules?: RawRule[] },
  backend: (b: B | undefined) => IngressBackend,
  pathType: (p: string | undefined) => string | undefined,
): Omit<Ingress['spec'], 'defaultBackend'> {
  const rules = raw.rules?.map(
    (r): IngressRule =>
      defined({
        host: r.host || undefined,
        http: r.http && {
          paths: (r.http.paths ?? []).map(
            (p): HTTPIngressPath =>
              defined({
                path: p.path || undefined,
                pathType: pathType(p.pathType) as HTTPIngressPath['pathType'],
                backend: backend(p.backend as B | undefined),
              }),
          ),
        },
      }),
  );
  return defined({
    // A pointer: an explicit "" is kept (and rejected by validation).
    ingressClassName: raw.ingressClassName,
    tls: omitEmptyList(raw.tls?.map((t) => defined({ hosts: t.hosts, secretName: t.secretName || undefined }))),
    rules: omitEmptyList(rules),
  });
}

/** networking.k8s.io/v1 Ingress: no defaults; zero values filled in for validation. */
export function defaultIngressSpec(raw: RawIngressSpec | undefined): Ingress['spec'] {
  const r = raw ?? {};
  return defined({
    ...ingressSpecFields<RawIngressBackend>(r, defaultIngressBackend, (p) => p),
    defaultBackend: r.defaultBackend && defaultIngressBackend(r.defaultBackend),
  });
}

/**
 * extensions/v1beta1 and networking.k8s.io/v1beta1 Ingress, converted to the v1 shape the
 * simulator stores: `backend` becomes `defaultBackend`, serviceName/servicePort a service
 * backend, and SetDefaults_HTTPIngressPath gives a missing pathType ImplementationSpecific.
 * A missing path stays empty (conversion copies it; ImplementationSpecific allows it).
 */
export function convertLegacyIngressSpec(raw: RawLegacyIngressSpec | undefined): Ingress['spec'] {
  const r = raw ?? {};
  return defined({
    ...ingressSpecFields<RawLegacyIngressBackend>(r, convertLegacyIngressBackend, (p) => p ?? 'ImplementationSpecific'),
    defaultBackend: r.backend && convertLegacyIngressBackend(r.backend),
  });
}

/** SetDefaults_IngressClass: parameters without a scope are cluster-scoped (1.21+, with the field). */
export function defaultIngressClassSpec(raw: RawIngressClassSpec | RawIngressClassSpecV1beta1 | undefined, kubernetesVersion?: string): IngressClass['spec'] {
  const p = raw?.parameters as RawIngressClassSpec['parameters'];
  const at21 = versionAtLeast(kubernetesVersion, 1, 21);
  return defined({
    controller: raw?.controller ?? '',
    parameters: p && {
      ...defaultTypedReference(p)!,
      ...defined({ scope: at21 ? (p.scope ?? 'Cluster') : undefined, namespace: at21 ? p.namespace : undefined }),
    },
  });
}

// NetworkPolicy

type RawPolicyPort = NonNullable<NonNullable<RawNetworkPolicySpec['ingress']>[number]['ports']>[number];
type RawPolicyPeer = NonNullable<NonNullable<RawNetworkPolicySpec['ingress']>[number]['from']>[number];

/** SetDefaults_NetworkPolicyPort: a port without a protocol is TCP. */
function defaultPolicyPort(p: RawPolicyPort): NetworkPolicyPort {
  return defined({ protocol: (p.protocol ?? 'TCP') as NetworkPolicyPort['protocol'], port: p.port, endPort: p.endPort });
}

function defaultPolicyPeer(p: RawPolicyPeer): NetworkPolicyPeer {
  return defined({
    podSelector: defaultSelector(p.podSelector),
    namespaceSelector: defaultSelector(p.namespaceSelector),
    ipBlock: p.ipBlock && defined({ cidr: p.ipBlock.cidr ?? '', except: p.ipBlock.except }),
  });
}

/**
 * SetDefaults_NetworkPolicy (pkg/apis/networking/v1/defaults.go): no policyTypes means
 * ["Ingress"], plus "Egress" when there are egress rules; each port's protocol defaults to TCP.
 * podSelector is a struct in Go, so a missing one is the empty selector (every pod).
 */
export function defaultNetworkPolicySpec(raw: RawNetworkPolicySpec | undefined): NetworkPolicy['spec'] {
  const r = raw ?? {};
  const ingress = r.ingress?.map((rule) => defined({ ports: rule.ports?.map(defaultPolicyPort), from: rule.from?.map(defaultPolicyPeer) }));
  const egress = r.egress?.map((rule) => defined({ ports: rule.ports?.map(defaultPolicyPort), to: rule.to?.map(defaultPolicyPeer) }));
  const given = (r.policyTypes ?? []) as NetworkPolicy['spec']['policyTypes'];
  const policyTypes: NetworkPolicy['spec']['policyTypes'] = given.length > 0 ? given : egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  return defined({ podSelector: defaultSelector(r.podSelector) ?? {}, ingress, egress, policyTypes });
}
