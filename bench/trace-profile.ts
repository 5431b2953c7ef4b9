// Traced walker throughput (issue 18): pod → ClusterIP → pod packets traced hop by hop on a
// generated cluster, as bench/run.ts measures its "traced /s" column, in a loop long enough to
// profile.
//   NODE_ENV=production node --expose-gc --max-semi-space-size=64 --conditions=@k8s-netsim/source \
//     --import tsx bench/trace-profile.ts [--services 100] [--nodes 50] [--pods 1-5] [--seconds 2]
// The envelope: --services 10000 --nodes 5000 --pods 5-25 (add --max-old-space-size=14000).
// (add --prof FILE for a CPU profile of the timed loop, or --trace-gc). Figures are one run's: read them as ratios.

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { generateCluster } from '../packages/core/src/cluster/generate.js';
import { trace } from '../packages/core/src/packet/walker.js';
import type { TraceRequest } from '../packages/core/src/packet/types.js';
import { setAutoFreeze } from '../packages/core/src/util/immer.js';
import { firstClientPod, targets } from './requests.js';

// Unfrozen states, as bench/run.ts builds them.
setAutoFreeze(false);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const services = Number(arg('services') ?? 100);
const nodes = Number(arg('nodes') ?? Math.max(3, Math.floor(services / 2)));
const [podsMin = 1, podsMax = podsMin] = (arg('pods') ?? '1-5').split('-').map(Number);
const seconds = Number(arg('seconds') ?? 2);
const gc = (globalThis as { gc?: () => void }).gc;

const t0 = performance.now();
const state = generateCluster({ seed: 1, nodes, namespaces: Math.max(1, Math.ceil(services / 100)), services, podsPerService: { min: podsMin, max: podsMax } });
console.error(`built ${services} services (${podsMin}-${podsMax} pods each) on ${nodes} nodes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const client = firstClientPod(state);
const reqs: TraceRequest[] = targets(state)
  .slice(0, 50)
  .map((x) => ({ from: { pod: client }, to: { ip: x.ip, port: x.port } }));
let hops = 0;
for (const q of reqs) hops += trace(state, q).hops.length; // warms the per-node caches
console.error(`${reqs.length} requests, ${(hops / reqs.length).toFixed(1)} hops per trace`);
gc?.();

// --prof FILE: a CPU profile of the timed loop only (not of the build).
const prof = arg('prof');
const session = new Session();
if (prof) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
let n = 0;
let r = 0;
const start = performance.now();
let now = start;
while (now - start < seconds * 1000) {
  for (let j = 0; j < 100; j++) trace(state, reqs[r++ % reqs.length]!);
  n += 100;
  now = performance.now();
}
const perS = n / ((now - start) / 1000);
if (prof) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(prof, JSON.stringify(profile));
}
console.log(`traced: ${Math.round(perS).toLocaleString('en-US')}/s (${(1e6 / perS).toFixed(1)} µs per trace, ${services} services, ${nodes} nodes)`);
