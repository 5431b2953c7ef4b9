// The library's own immer instance. States are deep-frozen (so an accidental mutation throws)
// except when NODE_ENV is "production", immer's old default: freezing walks every new or copied
// object, which at 5,000 nodes is most of the cost of one small change. Our tests run frozen.

import { enablePatches, Immer } from 'immer';

enablePatches();

const immer = new Immer({ autoFreeze: process.env.NODE_ENV !== 'production' });

export const produce: Immer['produce'] = immer.produce;
export const produceWithPatches: Immer['produceWithPatches'] = immer.produceWithPatches;
