// Which apiVersion/kind pairs exist in which Kubernetes release, and which of them the
// simulator handles. A pair the cluster does not serve fails like kubectl's REST mapping.

import type { Kind } from './types.js';
import { ApiError } from './errors.js';
import { quote as goQuote } from '../util/golang/strconv.js';
import { versionAtLeast } from './version.js';
import { ALL_KINDS, KINDS } from './resources.js';

/** Kinds validateManifest accepts. */
export const SUPPORTED_KINDS = [
  'Namespace',
  'Node',
  'Pod',
  'Deployment',
  'ReplicaSet',
  'DaemonSet',
  'ConfigMap',
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'Service',
  'Endpoints',
  'EndpointSlice',
  'Ingress',
  'IngressClass',
  'NetworkPolicy',
] as const satisfies readonly Kind[];

/** apiVersion of each supported kind (the version the simulator stores and prints). */
export const KIND_API_VERSION: Record<Kind, string> = Object.fromEntries(ALL_KINDS.map((k) => [k, KINDS[k].apiVersion])) as Record<Kind, string>;

/** API group of a kind ('' for core), as used in qualified kinds (`Deployment.apps`). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** [introduced, removed) as minor versions of 1.x; undefined bounds are open. */
interface Served {
  since?: number;
  until?: number;
}

// Built-in kinds that real clusters serve but the simulator does not model (yet), and
// legacy versions of the supported kinds. Later issues move entries into SUPPORTED_KINDS.
const OTHER_BUILTINS: Record<string, Record<string, Served>> = {
  Secret: { v1: {} },
  ReplicationController: { v1: {} },
  PersistentVolumeClaim: { v1: {} },
  PersistentVolume: { v1: {} },
  Event: { v1: {}, 'events.k8s.io/v1': { since: 19 } },
  LimitRange: { v1: {} },
  ResourceQuota: { v1: {} },
  NetworkPolicy: { 'extensions/v1beta1': { until: 16 } },
  StatefulSet: { 'apps/v1': { since: 9 }, 'apps/v1beta1': { until: 16 }, 'apps/v1beta2': { until: 16 } },
  Job: { 'batch/v1': {} },
  CronJob: { 'batch/v1': { since: 21 }, 'batch/v1beta1': { until: 25 } },
  Deployment: { 'extensions/v1beta1': { until: 16 }, 'apps/v1beta1': { until: 16 }, 'apps/v1beta2': { until: 16 } },
  ReplicaSet: { 'extensions/v1beta1': { until: 16 }, 'apps/v1beta2': { until: 16 } },
  DaemonSet: { 'extensions/v1beta1': { until: 16 }, 'apps/v1beta2': { until: 16 } },
  // RBAC beta/alpha were removed in 1.22: old manifests (e.g. flannel before 2020) fail there.
  ClusterRole: { 'rbac.authorization.k8s.io/v1beta1': { until: 22 }, 'rbac.authorization.k8s.io/v1alpha1': { until: 22 } },
  ClusterRoleBinding: { 'rbac.authorization.k8s.io/v1beta1': { until: 22 }, 'rbac.authorization.k8s.io/v1alpha1': { until: 22 } },
  Role: { 'rbac.authorization.k8s.io/v1': {}, 'rbac.authorization.k8s.io/v1beta1': { until: 22 } },
  RoleBinding: { 'rbac.authorization.k8s.io/v1': {}, 'rbac.authorization.k8s.io/v1beta1': { until: 22 } },
};

/**
 * Versions of supported kinds with a limited life, and older versions still decoded (they are
 * converted to the stored version). Other supported kinds are served at KIND_API_VERSION always.
 */
const SUPPORTED_VERSIONS: Partial<Record<Kind, Record<string, Served>>> = {
  EndpointSlice: { 'discovery.k8s.io/v1': { since: 21 }, 'discovery.k8s.io/v1beta1': { since: 17, until: 25 } },
  // The seed's extensions/v1beta1 Ingress loads on clusters before 1.22 (converted to v1).
  Ingress: {
    'networking.k8s.io/v1': { since: 19 },
    'networking.k8s.io/v1beta1': { since: 14, until: 22 },
    'extensions/v1beta1': { until: 22 },
  },
  IngressClass: { 'networking.k8s.io/v1': { since: 19 }, 'networking.k8s.io/v1beta1': { since: 18, until: 22 } },
};

/** Deprecation warnings the API server attaches to requests for a version (kubectl prints `Warning: …`). */
const DEPRECATIONS: readonly { apiVersion: string; kind: string; since: number; removed?: number; replacement: string }[] = [
  { apiVersion: 'v1', kind: 'Endpoints', since: 33, replacement: 'discovery.k8s.io/v1 EndpointSlice' },
  { apiVersion: 'discovery.k8s.io/v1beta1', kind: 'EndpointSlice', since: 21, removed: 25, replacement: 'discovery.k8s.io/v1 EndpointSlice' },
  { apiVersion: 'extensions/v1beta1', kind: 'Ingress', since: 14, removed: 22, replacement: 'networking.k8s.io/v1 Ingress' },
  { apiVersion: 'networking.k8s.io/v1beta1', kind: 'Ingress', since: 19, removed: 22, replacement: 'networking.k8s.io/v1 Ingress' },
  { apiVersion: 'networking.k8s.io/v1beta1', kind: 'IngressClass', since: 19, removed: 22, replacement: 'networking.k8s.io/v1 IngressClassList' },
];

/** API servers send warnings (the Warning header kubectl prints) from 1.19 on. */
const WARNINGS_SINCE = 19;

/**
 * The warning text for requests on apiVersion/kind at this cluster version, e.g.
 * `v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice`; undefined when none.
 */
export function deprecationWarning(apiVersion: string, kind: string, kubernetesVersion?: string): string | undefined {
  const d = DEPRECATIONS.find((x) => x.apiVersion === apiVersion && x.kind === kind);
  if (!d || !versionAtLeast(kubernetesVersion, 1, Math.max(d.since, WARNINGS_SINCE))) return undefined;
  const removed = d.removed !== undefined ? `, unavailable in v1.${d.removed}+` : '';
  return `${apiVersion} ${kind} is deprecated in v1.${d.since}+${removed}; use ${d.replacement}`;
}

function served(s: Served, version: string | undefined): boolean {
  if (s.since !== undefined && !versionAtLeast(version, 1, s.since)) return false;
  if (s.until !== undefined && versionAtLeast(version, 1, s.until)) return false;
  return true;
}

export interface KindLookup {
  apiVersion: string;
  kind: string;
  /** For the kubectl message: the object's metadata.name / namespace as written. */
  name?: string;
  namespace?: string;
  source?: string;
  kubernetesVersion?: string;
}

/**
 * Resolves apiVersion/kind to a supported Kind, or throws an ApiError with origin
 * 'mapping': reason 'NoKindMatch' when the cluster would not serve it either,
 * 'KindNotSupported' when it is a served built-in the simulator does not model yet.
 */
export function resolveKind(q: KindLookup): Kind {
  const supported = (SUPPORTED_KINDS as readonly string[]).includes(q.kind) ? (q.kind as Kind) : undefined;
  const limited = supported ? SUPPORTED_VERSIONS[supported]?.[q.apiVersion] : undefined;
  if (limited) {
    if (served(limited, q.kubernetesVersion)) return supported!;
  } else if (supported && KIND_API_VERSION[supported] === q.apiVersion) {
    return supported;
  }
  const other = OTHER_BUILTINS[q.kind]?.[q.apiVersion];
  const reason = !limited && other && served(other, q.kubernetesVersion) ? 'KindNotSupported' : 'NoKindMatch';
  throw new ApiError({
    reason,
    origin: 'mapping',
    message: `no matches for kind ${goQuote(q.kind)} in version ${goQuote(q.apiVersion)}`,
    kind: q.kind,
    name: q.name,
    namespace: q.namespace,
    source: q.source,
    noMatch: { apiVersion: q.apiVersion, kind: q.kind },
    kubernetesVersion: q.kubernetesVersion,
  });
}
