// The library's own immer instance. States are deep-frozen by default, so an accidental mutation
// throws. Freezing walks every new or copied object, which at 5,000 nodes is most of the cost of
// one small change: a caller that trusts its code (the benchmark) turns it off with
// setAutoFreeze(false). Our tests run frozen.

import { enablePatches, Immer } from 'immer';

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
