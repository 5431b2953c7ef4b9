// The library's own immer instance. States are deep-frozen by default, so an accidental mutation
// throws. Freezing walks every new or copied object, which at 5,000 nodes is most of the cost of
// one small change: a caller that trusts its code (the benchmark) turns it off with
// setAutoFreeze(false). Our tests run frozen.

import { enablePatches, freeze, Immer } from 'immer';

enablePatches();

let autoFreeze = true;
const immer = new Immer({ autoFreeze });

/** Whether produced states are deep-frozen (default true). Returns the previous setting. */
export function setAutoFreeze(enabled: boolean): boolean {
  const previous = autoFreeze;
  autoFreeze = enabled;
  immer.setAutoFreeze(enabled);
  return previous;
}

export const produce: Immer['produce'] = immer.produce;
export const produceWithPatches: Immer['produceWithPatches'] = immer.produceWithPatches;

/**
 * Freeze an object about to be stored in a draft, so immer's finalisation does not walk it
 * looking for drafts (a frozen value is skipped whole). Deep when states are deep-frozen; with
 * auto-freeze off (the benchmark), the top object is enough for immer, and walking the rest is
 * most of what storing a new pod costs.
 */
export function freezeStored<T>(obj: T): T {
  if (autoFreeze) return freeze(obj, true);
  return Object.isFrozen(obj) ? obj : Object.freeze(obj);
}
