// Types of validated, defaulted manifests: what the API server accepts before it assigns
// uid, resourceVersion, creationTimestamp and status.

import type { Kind, KindMap, Labels, OwnerReference } from './types.js';

export interface ManifestMeta {
  /** '' when only generateName was given (the store generates the name). */
  name: string;
  generateName?: string;
  /** Set (defaulted) for namespaced kinds, absent for cluster-scoped ones. */
  namespace?: string;
  labels?: Labels;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

/** KindMap[K] with input metadata and no status; distributes over unions of kinds. */
export type Manifest<K extends Kind> = K extends Kind ? Omit<KindMap[K], 'metadata' | 'status'> & { metadata: ManifestMeta } : never;

export type AnyManifest = Manifest<Kind>;
