// The simulated clock as the shell moves it: a second per script command, `sleep N`, `kubectl get
// -w`. It stops at MAX_CLOCK_MS, so `sleep 1e300` or `sleep inf` leaves a cluster every tool can
// still print (timestamps, ages, dig's `;; WHEN:`), instead of a time no date type can hold.

import { MAX_CLOCK_MS } from '../controllers/timers.js';
import { advanceClock } from '../controllers/transitions.js';
import type { ClusterState } from '../state/types.js';

/** The latest simulated time, 9999-12-31T23:59:59Z (defined beside the controllers' timers, which settle stops at too). */
export { MAX_CLOCK_MS };

/** Advance the clock by `ms` (any number: huge, Infinity), saturating at MAX_CLOCK_MS. */
export function tick(state: ClusterState, ms: number): ClusterState {
  const room = MAX_CLOCK_MS - state.clock;
  const step = Math.min(Number.isNaN(ms) ? 0 : Math.round(ms), room);
  return step > 0 ? advanceClock(state, step) : state;
}
