// Profile incremental changes on a generated cluster: `node --import tsx bench/change-profile.ts
// [--nodes N] [--services N] [--changes N] [--prof FILE]` — builds it, then times chained Deployment
// scales (+1/−1 in turn) and, with --prof, writes a CPU profile of the change loop only.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { generateCluster } from '../packages/core/src/cluster/generate.js';
import { scaleObject } from '../packages/core/src/controllers/transitions.js';
import { setAutoFreeze } from '../packages/core/src/util/immer.js';

setAutoFreeze(false);
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const services = Number(arg('services') ?? 2000);
const nodes = Number(arg('nodes') ?? 1000);
const n = Number(arg('changes') ?? 200);
const prof = arg('prof');
let state = generateCluster({ seed: 1, nodes, namespaces: Math.ceil(services / 100), services, podsPerService: { min: 5, max: 25 } });
const deps = Object.keys(state.deployments)
  .filter((ns) => ns.startsWith('ns-'))
  .slice(0, 10)
  .map((ns) => Object.values(state.deployments[ns]!)[0]!);
const session = new Session();
if (prof) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const times: number[] = [];
for (let i = 0; i < n; i++) {
  const d = deps[i % deps.length]!;
  const live = state.deployments[d.metadata.namespace!]![d.metadata.name]!;
  const t = performance.now();
  state = scaleObject(state, 'Deployment', d.metadata.namespace!, d.metadata.name, live.spec.replicas + (Math.floor(i / deps.length) % 2 ? -1 : 1));
  times.push(performance.now() - t);
}
if (prof) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(prof, JSON.stringify(profile));
}
times.sort((a, b) => a - b);
console.log(`${n} changes: p50 ${times[n >> 1]!.toFixed(2)} ms, p90 ${times[Math.floor(n * 0.9)]!.toFixed(2)} ms, max ${times[n - 1]!.toFixed(2)} ms`);
