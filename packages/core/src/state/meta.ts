// Server-side metadata: what the API server stamps on an object when it is created.

import type { ObjectMeta, OwnerReference } from '../api/types.js';
import { seededUuid } from '../util/seeded.js';
import { nextResourceVersion, rfc3339 } from './store.js';
import type { ClusterState } from './types.js';

export interface NewMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

/** Stamp uid, resourceVersion and creationTimestamp (inside a draft). */
export function createMeta(draft: ClusterState, kind: string, m: NewMeta): ObjectMeta {
  const resourceVersion = nextResourceVersion(draft);
  const meta: ObjectMeta = {
    name: m.name,
    uid: seededUuid(draft.config.seed, 'uid', kind, m.namespace ?? '', m.name, resourceVersion),
    resourceVersion,
    creationTimestamp: rfc3339(draft.clock),
  };
  if (m.namespace !== undefined) meta.namespace = m.namespace;
  if (m.generateName !== undefined) meta.generateName = m.generateName;
  if (m.labels && Object.keys(m.labels).length) meta.labels = { ...m.labels };
  if (m.annotations && Object.keys(m.annotations).length) meta.annotations = { ...m.annotations };
  if (m.ownerReferences?.length) meta.ownerReferences = m.ownerReferences.map((o) => ({ ...o }));
  return meta;
}

export function controllerRef(apiVersion: string, kind: string, meta: ObjectMeta): OwnerReference {
  return { apiVersion, kind, name: meta.name, uid: meta.uid, controller: true, blockOwnerDeletion: true };
}

export function controllerOf(meta: ObjectMeta): OwnerReference | undefined {
  return meta.ownerReferences?.find((o) => o.controller);
}
