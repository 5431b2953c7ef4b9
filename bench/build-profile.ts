// Profile one generated build: `node --cpu-prof --import tsx bench/build-profile.ts [--nodes N] [--services N] [--min 5 --max 25]`.
import { generateCluster } from '../packages/core/src/cluster/generate.js';
import { setAutoFreeze } from '../packages/core/src/util/immer.js';

setAutoFreeze(false);
function arg(name: string, d: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
}
const services = arg('services', 2000);
const nodes = arg('nodes', 1000);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const phases: Record<string, number> = {};
let last = t0;
let lastPhase = '';
const state = generateCluster({
  seed: 1,
  nodes,
  namespaces: Math.ceil(services / 100),
  services,
  podsPerService: { min: arg('min', 5), max: arg('max', 25) },
  batchSize: arg('batch', 500),
  onProgress: (_d, _t, phase) => {
    const now = performance.now();
    if (lastPhase) phases[lastPhase] = (phases[lastPhase] ?? 0) + (now - last);
    last = now;
    lastPhase = phase;
  },
});
const pods = Object.values(state.pods).reduce((a, s) => a + Object.keys(s).length, 0);
const cpu = process.cpuUsage(cpu0);
console.log(`${services} services, ${nodes} nodes, ${pods} pods: ${((performance.now() - t0) / 1000).toFixed(2)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s)`);
for (const [p, ms] of Object.entries(phases)) console.log(`  ${p}: ${(ms / 1000).toFixed(2)} s`);
