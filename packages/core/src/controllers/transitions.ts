// The pure transitions: (state, change) → state. Each is a write as the API server stores it
// (apiserver/storage.ts) followed by the controllers converging on what it changed, as real
// controllers follow watch events. They assume the state they are given is converged; every
// state they return is. A rejected write throws and leaves the input state untouched.

import type { Kind } from '../api/types.js';
import { applyToStore, deleteFromStore, scaleInStore, type ApplyResult, type ObjectInput } from '../apiserver/storage.js';
import type { ClusterState } from '../state/types.js';
import { produce } from '../util/immer.js';
import { converge } from './converge.js';
import { MAX_CLOCK_MS, nextTimer } from './timers.js';

/** The controllers' reaction to a write: they look only at what changed since `before`. */
function react(written: ClusterState, before: ClusterState): ClusterState {
  return written === before ? before : converge(written, before);
}

/** Apply manifests as one transition: all land, or none does. */
export function applyObjects(state: ClusterState, inputs: readonly ObjectInput[]): { state: ClusterState; results: ApplyResult[] } {
  const written = applyToStore(state, inputs);
  return { state: react(written.state, state), results: written.results };
}

/** Delete one object; owned objects go with it (foreground-free cascading, as the GC does). */
export function deleteObject(state: ClusterState, kind: Kind, namespace: string | undefined, name: string): ClusterState {
  return react(deleteFromStore(state, kind, namespace, name), state);
}

/** `kubectl scale deployment/NAME --replicas=N` (also replicasets). */
export function scaleObject(state: ClusterState, kind: 'Deployment' | 'ReplicaSet', namespace: string, name: string, replicas: number): ClusterState {
  return react(scaleInStore(state, kind, namespace, name, replicas), state);
}

/** Advance the simulated clock (the shell does this between commands); time-driven controllers act. */
export function advanceClock(state: ClusterState, ms: number): ClusterState {
  return react(
    produce(state, (draft) => {
      draft.clock += ms;
    }),
    state,
  );
}

/** The longest `settle` lets simulated time run: 10 minutes. */
export const SETTLE_MAX_MS = 10 * 60_000;

/** How `settle` moves the clock: in whole seconds, as the shell does between commands. */
const SETTLE_STEP_MS = 1000;

/**
 * Let simulated time pass until no controller has work that only time brings (timers.ts: MetalLB
 * provisioning a LoadBalancer address, a kubelet-less Node's grace period, a ReplicaSet's burst
 * going on): the clock jumps, in whole seconds, to the next instant a controller acts, and the
 * controllers converge there; again until none is pending. A settled state comes back as is (the
 * same object). Deterministic: the same state always settles to the same state.
 *
 * Bounded: time runs at most `maxMs` (default and ceiling SETTLE_MAX_MS, 10 simulated minutes;
 * never past MAX_CLOCK_MS). Work due later is left pending, and the state comes back as it is at
 * the last instant inside the bound — `nextTimer(result)` then says when the rest is due, and
 * settling again goes on from there (a ReplicaSet of 1,000,000 replicas grows 500 a second, so it
 * needs more than one settle). A ReplicaSet whose pods the kubelet keeps rejecting is not waited
 * for (replicaSetTimer).
 */
export function settle(state: ClusterState, options: { maxMs?: number } = {}): ClusterState {
  const maxMs = Math.min(Math.max(0, options.maxMs ?? SETTLE_MAX_MS), SETTLE_MAX_MS);
  const limit = Math.min(state.clock + maxMs, MAX_CLOCK_MS);
  let cur = state;
  for (;;) {
    const due = nextTimer(cur);
    if (due === undefined) return cur;
    // At least one step, so a timer due now (or overdue) cannot hold the clock still.
    const step = Math.max(SETTLE_STEP_MS, Math.ceil((due - cur.clock) / SETTLE_STEP_MS) * SETTLE_STEP_MS);
    if (!(cur.clock + step <= limit)) return cur;
    cur = advanceClock(cur, step);
  }
}

/**
 * Run every controller over the whole cluster (a resync): for a state that did not come out of
 * a transition — restored from a snapshot or edited by hand. Transitions assume their input is
 * converged and look only at what they changed.
 */
export function reconcile(state: ClusterState): ClusterState {
  return converge(state);
}
