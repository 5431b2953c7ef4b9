// `netsim generate`: build a large synthetic cluster and print (or save) it.
//   netsim generate --nodes N --services S [--namespaces N] [--pods-per-service A-B|N] [--seed N]
//                   [--ingresses N] [--batch N] [--progress auto|always|never] [-o snapshot.json|snapshot.jsonl]
// The progress bar goes to stderr, redrawn in place with `\r`; by default (`auto`) only when
// stderr is a TTY, so logs and pipes stay clean. The summary line goes to stdout.
// `-o FILE.jsonl` (or .ndjson) writes the snapshot as JSON Lines (Cluster.snapshotLines, one line
// at a time): the only form Kubernetes' envelope fits in, its JSON being longer than a string.

import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { Cluster } from '@k8s-netsim/core';
// Not (yet) exported from @k8s-netsim/core's index: see the report.
import { clusterStats, GENERATE_BATCH_SIZE, generateCluster } from '@k8s-netsim/core';

export class GenerateUsageError extends Error {}

function int(flags: Record<string, string>, name: string, dflt: number | undefined, min: number): number {
  const raw = flags[name];
  if (raw === undefined) {
    if (dflt === undefined) throw new GenerateUsageError(`generate: --${name} is required`);
    return dflt;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new GenerateUsageError(`generate: --${name}: an integer >= ${min}, not "${raw}"`);
  return n;
}

export function parsePodsPerService(raw: string | undefined): { min: number; max: number } | number {
  if (raw === undefined) return { min: 1, max: 5 };
  const m = /^(\d+)(?:-(\d+))?$/.exec(raw.trim());
  if (!m) throw new GenerateUsageError(`generate: --pods-per-service: N or A-B, not "${raw}"`);
  const a = Number(m[1]);
  if (m[2] === undefined) return a;
  const b = Number(m[2]);
  if (b < a) throw new GenerateUsageError(`generate: --pods-per-service: ${a}-${b} is an empty range`);
  return { min: a, max: b };
}

/** `[#####     ]  42% applying services` */
export function progressLine(done: number, total: number, phase: string, width = 30): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const fill = Math.round(frac * width);
  return `\r[${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${phase}\x1b[K`;
}

export interface GenerateIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Whether stderr is a terminal (for `--progress auto`); default process.stderr.isTTY. */
  isTTY?: boolean;
  now?: () => number;
  writeFile?: (path: string, text: string) => void;
  /** Write JSON Lines, one at a time (default: to the file, each line and a newline). */
  writeLines?: (path: string, lines: readonly string[]) => void;
}

function writeLinesToFile(path: string, lines: readonly string[]): void {
  const fd = openSync(path, 'w');
  try {
    for (const line of lines) writeSync(fd, `${line}\n`);
  } finally {
    closeSync(fd);
  }
}

function saveSnapshot(cluster: Cluster, path: string, io: GenerateIo): void {
  if (/\.(jsonl|ndjson)$/i.test(path)) {
    (io.writeLines ?? writeLinesToFile)(path, cluster.snapshotLines());
    return;
  }
  let text: string;
  try {
    text = cluster.snapshot();
  } catch (e) {
    if (e instanceof RangeError)
      throw new GenerateUsageError(
        `generate: -o ${path}: the snapshot is longer than a JavaScript string can be; write it as JSON Lines (-o FILE.jsonl), which Cluster.restore(lines) reads`,
      );
    throw e;
  }
  (io.writeFile ?? ((p, t) => writeFileSync(p, t)))(path, text);
}

export function runGenerate(flags: Record<string, string>, io: GenerateIo): number {
  const nodes = int(flags, 'nodes', undefined, 1);
  const services = int(flags, 'services', undefined, 0);
  const namespaces = int(flags, 'namespaces', Math.max(1, Math.min(100, Math.ceil(services / 100))), 1);
  const seed = int(flags, 'seed', 1, 0);
  const batchSize = int(flags, 'batch', GENERATE_BATCH_SIZE, 1);
  const podsPerService = parsePodsPerService(flags['pods-per-service']);
  const mode = flags.progress ?? 'auto';
  if (mode !== 'auto' && mode !== 'always' && mode !== 'never') throw new GenerateUsageError(`generate: --progress: auto, always or never, not "${mode}"`);
  const show = mode === 'always' || (mode === 'auto' && (io.isTTY ?? process.stderr.isTTY === true));
  const now = io.now ?? (() => performance.now());
  const started = now();
  let lastDraw = '';
  const state = generateCluster({
    seed,
    nodes,
    services,
    namespaces,
    podsPerService,
    batchSize,
    ...(flags.ingresses !== undefined ? { ingresses: int(flags, 'ingresses', 0, 0) } : {}),
    onProgress: show
      ? (done, total, phase) => {
          const line = progressLine(done, total, phase);
          if (line !== lastDraw) io.err(line);
          lastDraw = line;
        }
      : undefined,
  });
  if (show) io.err('\r\x1b[K');
  const secs = (now() - started) / 1000;
  if (flags.output) saveSnapshot(Cluster.fromState(state), flags.output, io);
  const s = clusterStats(state);
  io.out(`cluster: ${s.nodes} nodes, ${s.pods} pods, ${s.services} services, ${s.endpoints} endpoints (built in ${secs.toFixed(1)} s)\n`);
  return 0;
}
