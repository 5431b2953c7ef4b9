// `pnpm bench`: the performance table of issue 7, one generated cluster per size.
//   pnpm bench [--quick] [--sizes 100,1000,10000] [--nodes N] [--limit-s 120]
// Each size N builds a seeded cluster with N services (1-5 pods each) over N/2 nodes (min 3),
// then measures: build time and heap, one incremental change (scale a Deployment +1, then the
// fast path rebuilt on the new state), untraced fast-path resolutions/s for pod → ClusterIP →
// pod, traced walker packets/s on the same requests, and one node's `iptables-save`.
// Sizes stop once a build exceeds --limit-s. Figures are one run's: read them as ratios.
// --quick is CI's smoke run (small sizes, short windows).

import { compileFastPath, PROTO_TCP, ResolveOut, VERDICT_DELIVERED } from '../packages/core/src/packet/fastpath.js';
import { clusterStats, generateCluster } from '../packages/core/src/cluster/generate.js';
import { scaleObject } from '../packages/core/src/state/transitions.js';
import { trace } from '../packages/core/src/packet/walker.js';
import { nodeRuleset } from '../packages/core/src/dataplane/netfilter/ruleset.js';
import { iptablesSave } from '../packages/core/src/views/linux/iptables.js';
import { parseIPv4 } from '../packages/core/src/net/ipv4.js';
import type { ClusterState } from '../packages/core/src/state/types.js';
import type { TraceRequest } from '../packages/core/src/packet/types.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const quick = process.argv.includes('--quick');
const sizes = (arg('sizes') ?? (quick ? '100,300' : '100,1000,10000')).split(',').map(Number);
const limitMs = Number(arg('limit-s') ?? (quick ? 30 : 120)) * 1000;
/** Fixed node count for every size (default: services/2, min 3). */
const fixedNodes = arg('nodes') === undefined ? undefined : Number(arg('nodes'));
const windowMs = quick ? 200 : 1000;
const gc = (globalThis as { gc?: () => void }).gc;

interface Row {
  services: number;
  nodes: number;
  pods: number;
  endpoints: number;
  buildS: number;
  heapMB: number;
  changeMs: number;
  recompileMs: number;
  fastPerS: number;
  walkerPerS: number;
  saveMs: number;
  saveLines: number;
}

/** Runs `body` in batches until `windowMs` has passed; returns calls per second. */
function rate(body: () => number): { perS: number; total: number } {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < windowMs) {
    n += body();
    t = performance.now();
  }
  return { perS: n / ((t - t0) / 1000), total: n };
}

function firstClientPod(state: ClusterState): string {
  for (const [ns, shard] of Object.entries(state.pods)) {
    if (!ns.startsWith('ns-')) continue;
    for (const p of Object.values(shard)) if (p.status.phase === 'Running' && !p.spec.hostNetwork) return `${ns}/${p.metadata.name}`;
  }
  throw new Error('no running pod to send from');
}

/** ClusterIP and first port of every generated service that has a ready endpoint. */
function targets(state: ClusterState): { ip: string; port: number }[] {
  const out: { ip: string; port: number }[] = [];
  for (const [ns, shard] of Object.entries(state.services)) {
    if (!ns.startsWith('ns-')) continue;
    for (const s of Object.values(shard)) {
      const ip = s.spec.clusterIP;
      const port = s.spec.ports?.[0];
      const eps = state.endpoints[ns]?.[s.metadata.name]?.subsets?.some((x) => (x.addresses?.length ?? 0) > 0);
      if (ip && ip !== 'None' && port && eps && (port.protocol ?? 'TCP') === 'TCP') out.push({ ip, port: port.port });
    }
  }
  return out;
}

function measure(services: number): Row {
  const nodes = fixedNodes ?? Math.max(3, Math.floor(services / 2));
  gc?.();
  const t0 = performance.now();
  const state = generateCluster({
    seed: 1,
    nodes,
    namespaces: Math.max(1, Math.ceil(services / 100)),
    services,
    podsPerService: { min: 1, max: 5 },
    onProgress: (done, total, phase) => process.stderr.isTTY && process.stderr.write(`\r  ${services} services: ${phase} ${done}/${total} (${((performance.now() - t0) / 1000).toFixed(1)} s)\x1b[K`),
  });
  const buildS = (performance.now() - t0) / 1000;
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  gc?.();
  const heapMB = process.memoryUsage().heapUsed / 2 ** 20;
  const stats = clusterStats(state);

  // One incremental change, then the fast path for the new state.
  const ns = Object.keys(state.deployments).find((n) => n.startsWith('ns-'))!;
  const dep = Object.values(state.deployments[ns]!)[0]!;
  let t = performance.now();
  const next = scaleObject(state, 'Deployment', ns, dep.metadata.name, dep.spec.replicas + 1);
  const changeMs = performance.now() - t;
  compileFastPath(state);
  t = performance.now();
  compileFastPath(next);
  const recompileMs = performance.now() - t;

  const client = firstClientPod(state);
  const tgt = targets(state);
  if (tgt.length === 0) throw new Error('no service with endpoints');
  const fp = compileFastPath(state);
  if (!fp.supported) throw new Error('fast path declined the generated cluster');
  const src = fp.sourceOf({ pod: client });
  const vips = Uint32Array.from(tgt.map((x) => parseIPv4(x.ip)));
  const ports = Uint16Array.from(tgt.map((x) => x.port));
  const out = new ResolveOut();
  const k = vips.length;
  let delivered = 0;
  let i = 0;
  const fast = rate(() => {
    for (let j = 0; j < 100_000; j++, i++) {
      const s = i % k;
      if (fp.resolve(src, vips[s]!, ports[s]!, PROTO_TCP, (i % 997) / 997, out) === VERDICT_DELIVERED) delivered++;
    }
    return 100_000;
  });
  if (delivered !== fast.total) throw new Error(`fast path delivered ${delivered}/${fast.total}`);

  const reqs: TraceRequest[] = tgt.slice(0, 50).map((x) => ({ from: { pod: client }, to: { ip: x.ip, port: x.port } }));
  for (const q of reqs) trace(state, q); // warm the per-node netns/ruleset caches first
  let r = 0;
  const walker = rate(() => {
    trace(state, reqs[r++ % reqs.length]!);
    return 1;
  });

  const node = state.nodeOrder[state.nodeOrder.length - 1]!;
  t = performance.now();
  const text = iptablesSave(nodeRuleset(state, node), { now: state.clock });
  const saveMs = performance.now() - t;

  return {
    services,
    nodes,
    pods: stats.pods,
    endpoints: stats.endpoints,
    buildS,
    heapMB,
    changeMs,
    recompileMs,
    fastPerS: fast.perS,
    walkerPerS: walker.perS,
    saveMs,
    saveLines: text.split('\n').length,
  };
}

const rows: Row[] = [];
for (const n of sizes) {
  const row = measure(n);
  rows.push(row);
  // Each row as soon as it is measured, so a run stopped at a larger size keeps the smaller ones.
  console.error(`measured ${n} services: ${JSON.stringify(row)}`);
  if (row.buildS * 1000 > limitMs) {
    console.error(`build took > ${limitMs / 1000} s: larger sizes skipped`);
    break;
  }
}

const fmt = (x: number, d = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const cols: [string, (r: Row) => string][] = [
  ['services', (r) => fmt(r.services)],
  ['nodes', (r) => fmt(r.nodes)],
  ['pods', (r) => fmt(r.pods)],
  ['endpoints', (r) => fmt(r.endpoints)],
  ['build s', (r) => fmt(r.buildS, 1)],
  ['heap MB', (r) => fmt(r.heapMB)],
  ['change ms', (r) => fmt(r.changeMs, 1)],
  ['fp rebuild ms', (r) => fmt(r.recompileMs, 1)],
  ['fast /s', (r) => fmt(r.fastPerS)],
  ['traced /s', (r) => fmt(r.walkerPerS)],
  ['fast:walker', (r) => `${fmt(r.fastPerS / r.walkerPerS)}×`],
  ['iptables-save ms', (r) => `${fmt(r.saveMs, 1)} (${fmt(r.saveLines)} lines)`],
];
const cells = rows.map((r) => cols.map(([, f]) => f(r)));
const widths = cols.map(([h], c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
const line = (vals: string[]): string => '| ' + vals.map((v, c) => v.padStart(widths[c]!)).join(' | ') + ' |';
console.log(line(cols.map(([h]) => h)));
console.log('|' + widths.map((w) => '-'.repeat(w + 1) + ':').join('|') + '|');
for (const c of cells) console.log(line(c));
if (rows.length > 1) {
  const a = rows[0]!;
  const b = rows[rows.length - 1]!;
  console.log(`\nper-packet cost, fast path, ${fmt(b.services)} vs ${fmt(a.services)} services: ${(a.fastPerS / b.fastPerS).toFixed(2)}× (target ≤ 1.3×)`);
}
console.log(`machine: ${process.platform} ${process.arch}, Node ${process.version}, ${(await import('node:os')).cpus().length} CPUs (${(await import('node:os')).cpus()[0]?.model ?? '?'})`);
