// What a controller sees when it runs: the state to read, a draft to write, and what changed
// since it last looked (an informer's events). Reading the plain state and writing only the
// objects that change keeps immer's proxies off everything else.

import type { Delta } from '../state/diff.js';
import type { KindMap, NamespacedKind } from '../api/types.js';
import { getObject, listObjects, splitObjectKey } from '../state/store.js';
import type { ClusterState } from '../state/types.js';

export interface ControllerContext {
  /** The state as the previous controllers left it (plain and frozen: read from this). */
  readonly base: ClusterState;
  /** An immer draft of `base`: write here (and read back what this controller wrote). */
  readonly draft: ClusterState;
  /** What changed since this controller last ran on a converged state; absent: resync everything. */
  readonly delta?: Delta;
}

/** A reconciler: returns whether it changed anything. */
export type Controller = (ctx: ControllerContext) => boolean;

/** Keys `ns/name` in the order the API server lists objects (namespace, then name). */
export function sortedKeys(keys: Iterable<string>): [string, string][] {
  return [...keys]
    .map((k) => {
      const { namespace, name } = splitObjectKey(k);
      return [namespace, name] as [string, string];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

/** The objects to reconcile: those at the dirty keys (incremental), or all of the kind (resync). */
export function reconcileTargets<K extends NamespacedKind>(base: ClusterState, kind: K, dirty: Set<string> | undefined): KindMap[K][] {
  if (!dirty) return listObjects(base, kind);
  const out: KindMap[K][] = [];
  for (const [ns, name] of sortedKeys(dirty)) {
    const o = getObject(base, kind, ns, name);
    if (o) out.push(o);
  }
  return out;
}
