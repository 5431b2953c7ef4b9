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

/** The status type of a kind (`never` for kinds without one). */
type StatusOf<K extends Kind> = KindMap[K] extends { status: infer S } ? S : never;

/**
 * What a write (applyObjects) takes: a validated, defaulted manifest of kind K (every
 * Manifest<K>, which validateManifest returns, is one) — for K = Kind a union of every kind told
 * apart by `kind`. The server sets a new object's status itself, keeping only a registering
 * Node's (its kubelet's report); a Namespace may leave out its spec (the server sets its finalizers).
 */
export type ObjectInput<K extends Kind = Kind> = K extends 'Namespace'
  ? Omit<Manifest<'Namespace'>, 'spec'> & { spec?: KindMap['Namespace']['spec']; status?: StatusOf<'Namespace'> }
  : K extends Kind
    ? Manifest<K> & { status?: StatusOf<K> }
    : never;
