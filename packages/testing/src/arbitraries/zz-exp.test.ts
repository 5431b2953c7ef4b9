import { Cluster, isApiError } from '@k8s-netsim/core';
import fc from 'fast-check';
import { it } from 'vitest';
import { arbManifests } from './manifests.js';
it('x', () => {
  const base = Cluster.create();
  const samples = fc.sample(arbManifests(), { numRuns: 300, seed: 42 });
  console.log(fc.stringify(samples[5]));
  let fails = 0;
  const t0 = Date.now();
  for (const m of samples) {
    try { base.apply(m); } catch (e) { fails++; if (fails < 6) console.log(String((e as Error).message).slice(0, 400), '\n', fc.stringify(m)); }
  }
  console.log('fails', fails, Date.now() - t0, 'ms');
});
