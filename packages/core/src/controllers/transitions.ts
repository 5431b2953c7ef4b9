// The pure transitions: (state, change) → state. Each is a write as the API server stores it
// (apiserver/storage.ts) followed by the controllers converging on what it changed, as real
// controllers follow watch events. They assume the state they are given is converged; every
// state they return is. A rejected write throws and leaves the input state untouched.

import type { Kind } from '../api/types.js';
import { applyToStore, deleteFromStore, scaleInStore, type ApplyResult, type ObjectInput } from '../apiserver/storage.js';
import type { ClusterState } from '../state/types.js';
import { produce } from '../util/immer.js';
import { converge } from './converge.js';

/** The controllers' reaction to a write: they look only at what changed since `before`. */
function settle(written: ClusterState, before: ClusterState): ClusterState {
  return written === before ? before : converge(written, before);
}

/** Apply manifests as one transition: all land, or none does. */
export function applyObjects(state: ClusterState, inputs: readonly ObjectInput[]): { state: ClusterState; results: ApplyResult[] } {
  const written = applyToStore(state, inputs);
  return { state: settle(written.state, state), results: written.results };
}

/** Delete one object; owned objects go with it (foreground-free cascading, as the GC does). */
export function deleteObject(state: ClusterState, kind: Kind, namespace: string | undefined, name: string): ClusterState {
  return settle(deleteFromStore(state, kind, namespace, name), state);
}

/** `kubectl scale deployment/NAME --replicas=N` (also replicasets). */
export function scaleObject(state: ClusterState, kind: 'Deployment' | 'ReplicaSet', namespace: string, name: string, replicas: number): ClusterState {
  return settle(scaleInStore(state, kind, namespace, name, replicas), state);
}

/** Advance the simulated clock (the shell does this between commands); time-driven controllers act. */
export function advanceClock(state: ClusterState, ms: number): ClusterState {
  return settle(
    produce(state, (draft) => {
      draft.clock += ms;
    }),
    state,
  );
}

/**
 * Run every controller over the whole cluster (a resync): for a state that did not come out of
 * a transition — restored from a snapshot or edited by hand. Transitions assume their input is
 * converged and look only at what they changed.
 */
export function reconcile(state: ClusterState): ClusterState {
  return converge(state);
}
