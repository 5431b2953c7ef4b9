// The one table of kinds the simulator stores: API version, REST resource name, short names,
// scope. Everything that maps between kinds and what users type (kubectl), what errors say
// (`deployments.apps "x" not found`) and where the store keeps objects reads it from here.

import type { Kind } from './types.js';

export interface KindInfo {
  apiVersion: string;
  /** Plural resource name (`pods`). */
  plural: string;
  /** What kubectl also accepts (`po`, `deploy`). */
  shortNames: readonly string[];
  namespaced: boolean;
}

// Literal-typed so the plural names form a type (views use it for `kubectl get <resource>`).
const KIND_TABLE = {
  Namespace: { apiVersion: 'v1', plural: 'namespaces', shortNames: ['ns'], namespaced: false },
  Node: { apiVersion: 'v1', plural: 'nodes', shortNames: ['no'], namespaced: false },
  Pod: { apiVersion: 'v1', plural: 'pods', shortNames: ['po'], namespaced: true },
  ConfigMap: { apiVersion: 'v1', plural: 'configmaps', shortNames: ['cm'], namespaced: true },
  ServiceAccount: { apiVersion: 'v1', plural: 'serviceaccounts', shortNames: ['sa'], namespaced: true },
  Deployment: { apiVersion: 'apps/v1', plural: 'deployments', shortNames: ['deploy'], namespaced: true },
  ReplicaSet: { apiVersion: 'apps/v1', plural: 'replicasets', shortNames: ['rs'], namespaced: true },
  DaemonSet: { apiVersion: 'apps/v1', plural: 'daemonsets', shortNames: ['ds'], namespaced: true },
  ClusterRole: { apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'clusterroles', shortNames: [], namespaced: false },
  ClusterRoleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'clusterrolebindings', shortNames: [], namespaced: false },
  Service: { apiVersion: 'v1', plural: 'services', shortNames: ['svc'], namespaced: true },
  Endpoints: { apiVersion: 'v1', plural: 'endpoints', shortNames: ['ep'], namespaced: true },
  EndpointSlice: { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', shortNames: [], namespaced: true },
  Ingress: { apiVersion: 'networking.k8s.io/v1', plural: 'ingresses', shortNames: ['ing'], namespaced: true },
  IngressClass: { apiVersion: 'networking.k8s.io/v1', plural: 'ingressclasses', shortNames: [], namespaced: false },
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', plural: 'networkpolicies', shortNames: ['netpol'], namespaced: true },
} as const satisfies Record<Kind, KindInfo>;

export const KINDS: Record<Kind, KindInfo> = KIND_TABLE;

/** The plural resource name of every stored kind (`pods`, `clusterrolebindings`). */
export type ResourcePlural = (typeof KIND_TABLE)[Kind]['plural'];

export const ALL_KINDS = Object.keys(KINDS) as Kind[];

/** API group ('' for the core group). */
export function groupOf(kind: Kind): string {
  const v = KINDS[kind].apiVersion;
  const slash = v.indexOf('/');
  return slash < 0 ? '' : v.slice(0, slash);
}

/** `deployments.apps`: the group-qualified resource of API error messages. */
export function qualifiedResource(kind: Kind): string {
  const g = groupOf(kind);
  return g ? `${KINDS[kind].plural}.${g}` : KINDS[kind].plural;
}

/** `deployment.apps`: the singular, group-qualified form kubectl prints in `deployment.apps/x created`. */
export function kindRef(kind: Kind): string {
  const g = groupOf(kind);
  return g ? `${kind.toLowerCase()}.${g}` : kind.toLowerCase();
}

const BY_NAME = new Map<string, Kind>();
for (const kind of ALL_KINDS) {
  const info = KINDS[kind];
  const g = groupOf(kind);
  for (const n of [info.plural, kind.toLowerCase(), ...info.shortNames]) {
    BY_NAME.set(n, kind);
    if (g) BY_NAME.set(`${n}.${g}`, kind);
  }
}

/** The kind a kubectl resource argument names (`po`, `pods`, `deployment.apps`), case-insensitive. */
export function kindFromResource(word: string): Kind | undefined {
  return BY_NAME.get(word.toLowerCase());
}
