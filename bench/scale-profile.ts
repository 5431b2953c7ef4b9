// Scale profile: build generated clusters of increasing size and print build time, heap and time
// per applied object, then time ONE incremental change (scale a Deployment by +1) at the largest
// size built. Stops after the first step that takes longer than 60 s.
//   npx tsx bench/scale-profile.ts [--steps 50x100,500x1000,2000x5000] [--limit-s 60]
//   node --import tsx --cpu-prof --cpu-prof-dir=prof bench/scale-profile.ts --steps 200x400
// (add --expose-gc to node for steadier heap figures). Figures are one run's, read them as ratios.

import { generateCluster, generateClusterObjects, type GenerateOptions } from '../packages/core/src/cluster/generate.js';
import { scaleObject } from '../packages/core/src/controllers/transitions.js';
import type { ClusterState } from '../packages/core/src/state/types.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const steps = (arg('steps') ?? '50x100,500x1000,2000x5000').split(',').map((s) => {
  const [n, sv] = s.split('x').map(Number);
  if (!n || sv === undefined || Number.isNaN(sv)) throw new Error(`--steps: NODESxSERVICES, not "${s}"`);
  return { nodes: n, services: sv };
});
const limitMs = Number(arg('limit-s') ?? 60) * 1000;
const gc = (globalThis as { gc?: () => void }).gc;

interface Row {
  nodes: number;
  services: number;
  objects: number;
  pods: number;
  bootMs: number;
  applyMs: number;
  totalMs: number;
  heapMB: number;
  perObjectMs: number;
}

const rows: Row[] = [];
let largest: { state: ClusterState; opts: GenerateOptions } | undefined;
for (const { nodes, services } of steps) {
  const opts: GenerateOptions = { seed: 1, namespaces: Math.max(1, Math.ceil(services / 100)), services, podsPerService: { min: 1, max: 5 } };
  const objects = generateClusterObjects(opts).length;
  largest = undefined;
  gc?.();
  const t0 = performance.now();
  let bootEnd = t0;
  const state = generateCluster({
    ...opts,
    nodes,
    onProgress: (done, total, phase) => {
      if (phase.startsWith('bootstrapping') && done === total) bootEnd = performance.now();
      process.stderr.write(`\r  ${nodes}/${services}: ${phase} ${done}/${total} (${((performance.now() - t0) / 1000).toFixed(1)} s)\x1b[K`);
    },
  });
  const t1 = performance.now();
  process.stderr.write('\r\x1b[K');
  gc?.();
  const pods = Object.values(state.pods).reduce((a, s) => a + Object.keys(s).length, 0);
  const row: Row = {
    nodes,
    services,
    objects,
    pods,
    bootMs: bootEnd - t0,
    applyMs: t1 - bootEnd,
    totalMs: t1 - t0,
    heapMB: process.memoryUsage().heapUsed / 2 ** 20,
    perObjectMs: (t1 - bootEnd) / objects,
  };
  rows.push(row);
  largest = { state, opts };
  console.log(`built ${nodes} nodes / ${services} services in ${(row.totalMs / 1000).toFixed(1)} s`);
  if (row.totalMs > limitMs) {
    console.log(`step took > ${limitMs / 1000} s: stopping`);
    break;
  }
}

const pad = (s: string | number, w: number) => String(s).padStart(w);
console.log(`\n${['nodes', 'services', 'objects', 'pods', 'boot s', 'apply s', 'total s', 'heap MB', 'ms/object', 'ms/object ×'].map((h, i) => pad(h, i < 4 ? 8 : 11)).join(' ')}`);
const base = rows[0]?.perObjectMs ?? 1;
for (const r of rows) {
  console.log(
    [
      pad(r.nodes, 8),
      pad(r.services, 8),
      pad(r.objects, 8),
      pad(r.pods, 8),
      pad((r.bootMs / 1000).toFixed(2), 11),
      pad((r.applyMs / 1000).toFixed(2), 11),
      pad((r.totalMs / 1000).toFixed(2), 11),
      pad(r.heapMB.toFixed(0), 11),
      pad(r.perObjectMs.toFixed(3), 11),
      pad(`${(r.perObjectMs / base).toFixed(1)}×`, 11),
    ].join(' '),
  );
}

if (largest) {
  const { state } = largest;
  const ns = Object.keys(state.deployments).find((n) => n.startsWith('ns-'));
  const name = ns ? Object.keys(state.deployments[ns] ?? {})[0] : undefined;
  if (ns && name) {
    const before = state.deployments[ns]![name]!.spec.replicas;
    const t = performance.now();
    const next = scaleObject(state, 'Deployment', ns, name, before + 1);
    const ms = performance.now() - t;
    const pods = Object.values(next.pods[ns] ?? {}).filter((p) => p.metadata.labels?.app === name && p.status.phase === 'Running').length;
    console.log(`\nincremental: scale ${ns}/${name} ${before} → ${before + 1} at ${Object.keys(state.nodes).length} nodes: ${ms.toFixed(0)} ms (${pods} running pods after)`);
  }
}
