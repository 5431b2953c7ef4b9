// Admission: the plugins of kube-apiserver's default chain that need the cluster, run on a write
// after the object is decoded, defaulted and validated (validateManifest) and before it is
// stored. NamespaceLifecycle refuses objects in a namespace that does not exist and the deletion
// of the immortal namespaces; TaintNodesByCondition taints every new Node not-ready;
// DefaultIngressClass gives a new class-less Ingress the cluster's default IngressClass.
//
// Namespaces are deleted at once here (their content with them), so none is ever Terminating
// and NamespaceLifecycle's `unable to create new content in namespace x because it is being
// terminated` cannot happen.

import { ApiError } from '../api/errors.js';
import { admitDefaultIngressClass } from '../api/ingress-admission.js';
import type { Ingress, Kind, Taint } from '../api/types.js';
import { quote as goQuote } from '../util/golang/strconv.js';
import { listObjects, own } from '../state/store.js';
import type { ClusterState } from '../state/types.js';

/** NamespaceLifecycle: a namespaced object needs its namespace. */
export function admitNamespace(state: ClusterState, namespace: string | undefined): void {
  if (namespace !== undefined && !own(state.namespaces, namespace)) {
    throw new ApiError({ reason: 'NotFound', code: 404, message: `namespaces ${goQuote(namespace)} not found`, name: namespace });
  }
}

/** NamespaceLifecycle's immortal namespaces (metav1.NamespaceDefault, NamespaceSystem, NamespacePublic). */
export const IMMORTAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public'];

/** NamespaceLifecycle on delete: `namespaces "kube-system" is forbidden: this namespace may not be deleted`. */
export function admitDelete(kind: Kind, name: string): void {
  if (kind === 'Namespace' && IMMORTAL_NAMESPACES.includes(name)) {
    throw new ApiError({ reason: 'Forbidden', message: `namespaces ${goQuote(name)} is forbidden: this namespace may not be deleted`, kind: 'Namespace', name });
  }
}

/** TaintNodesByCondition on create: a new Node gets node.kubernetes.io/not-ready:NoSchedule unless it has it. */
export function admitNodeTaints(taints: readonly Taint[] | undefined): Taint[] {
  const list = [...(taints ?? [])];
  if (!list.some((t) => t.key === 'node.kubernetes.io/not-ready' && t.effect === 'NoSchedule')) list.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
  return list;
}

/**
 * DefaultIngressClass on create: the Ingress's user-owned fields (`spec`), with
 * spec.ingressClassName filled in when the plugin would (see api/ingress-admission.ts: only from
 * 1.18, only when exactly one default exists — from 1.25 the newest of several, before that
 * Forbidden).
 */
export function admitIngressCreate<T extends { spec?: Ingress['spec'] }>(state: ClusterState, name: string, annotations: Record<string, string> | undefined, content: T): T {
  if (!content.spec) return content;
  const ingress = { spec: content.spec, metadata: { name, ...(annotations ? { annotations } : {}) } };
  const admitted = admitDefaultIngressClass(ingress, listObjects(state, 'IngressClass'), state.config.kubernetesVersion);
  return admitted === ingress ? content : { ...content, spec: admitted.spec };
}
