// Admission: the plugins of kube-apiserver's default chain that need the cluster, run on a write
// after the object is decoded, defaulted and validated (validateManifest) and before it is
// stored. NamespaceLifecycle refuses objects in a namespace that does not exist; DefaultIngressClass
// gives a new class-less Ingress the cluster's default IngressClass.

import { ApiError } from '../api/errors.js';
import { admitDefaultIngressClass } from '../api/ingress-admission.js';
import type { Ingress } from '../api/types.js';
import { listObjects } from '../state/store.js';
import type { ClusterState } from '../state/types.js';

/** NamespaceLifecycle: a namespaced object needs its namespace. */
export function admitNamespace(state: ClusterState, namespace: string | undefined): void {
  if (namespace !== undefined && !state.namespaces[namespace]) {
    throw new ApiError({ reason: 'NotFound', code: 404, message: `namespaces "${namespace}" not found` });
  }
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
