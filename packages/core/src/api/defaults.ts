// The API server's defaulting (pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go),
// applied to decoded manifests. Missing non-pointer Go fields become their zero values here
// so validation sees what the server would (e.g. a port without containerPort is 0).

import type {
  ClusterRoleBinding,
  Container,
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
} from './schemas.js';
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
