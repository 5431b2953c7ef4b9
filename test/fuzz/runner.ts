// The fuzz runner: spreads each category's cases over worker processes (chunks of consecutive
// cases), watches every case's wall time, kills a worker whose case runs past the time limit
// (a hang cannot be interrupted in-process: everything is synchronous) and goes on in a new one,
// then minimises the first failure of each class with fast-check's shrinking. The results are a
// function of the seed: case inputs come from per-case seeds, whichever worker runs them.

import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FailureKind } from './harness.js';
import { CATEGORY_NAMES, type FailureRecord, type FromWorker, type ToWorker } from './protocol.js';

export interface FuzzOptions {
  /** Cases in all, shared evenly by the categories run. */
  cases: number;
  seed: number;
  /** Categories to run (default all). */
  only?: readonly string[];
  /** A case slower than this is a failure (hang); its process is killed a little after. */
  timeoutMs: number;
  /** Worker processes (default: the CPU count, at most 4). */
  workers?: number;
  /** Failure classes minimised per category (the first ones, by case index). */
  minimise?: number;
  /** Runs of the case fast-check may spend shrinking one failure. */
  shrinkRuns?: number;
  /** Cases per job sent to a worker. */
  chunk?: number;
  /** Run only these case indexes (with one category in `only`): replay. */
  caseIndexes?: readonly number[];
  /** Progress lines (a category finished…). */
  onProgress?: (line: string) => void;
}

export interface CaseResult {
  category: string;
  index: number;
  ms: number;
  failure?: FailureRecord;
}

export interface FailureClass {
  category: string;
  kind: FailureKind;
  signature: string;
  count: number;
  /** Case indexes, in order. */
  indexes: number[];
  /** The first case's failure detail. */
  detail: string;
  /** The first case's input, minimised when `minimised` (or as generated). */
  input?: string;
  minimised?: boolean;
  /** Why it was not minimised / how the minimisation went. */
  note?: string;
}

export interface CategorySummary {
  name: string;
  cases: number;
  passed: number;
  failures: Record<FailureKind, number>;
  /** Sum of the cases' wall times. */
  ms: number;
  slowestMs: number;
  typed: Record<string, number>;
}

export interface FuzzSummary {
  options: Required<Omit<FuzzOptions, 'onProgress' | 'only' | 'caseIndexes'>> & { only: string[]; caseIndexes?: readonly number[] };
  categories: CategorySummary[];
  classes: FailureClass[];
  passed: number;
  failed: number;
  wallMs: number;
}

const KINDS: readonly FailureKind[] = ['crash', 'hang', 'state-change-after-refusal', 'invariant', 'expectation'];
const GRACE_MS = 1500;
/** Time allowed for building a category's arbitrary and shared clusters in a new worker. */
const WARM_MS = 120_000;

interface Job {
  msg: ToWorker;
  /** For case jobs: the indexes still to run. */
  remaining?: number[];
}

interface Worker {
  child: ChildProcess;
  ready: boolean;
  job?: Job;
  /** The case (or shrink run) in progress, when it started, and its time limit. */
  current?: { category: string; index: number; since: number; limit: number; label?: string };
  stderr: string;
  killed: boolean;
}

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The categories' names, in report order. */
export function categoryNames(): string[] {
  return [...CATEGORY_NAMES];
}

/** Run the fuzz suite; resolves with the summary (never rejects for a failing case). */
export async function runFuzz(opts: FuzzOptions): Promise<FuzzSummary> {
  const started = performance.now();
  const all = categoryNames();
  const only = opts.only && opts.only.length > 0 ? [...opts.only] : all;
  for (const o of only) if (!all.includes(o)) throw new Error(`unknown category "${o}" (categories: ${all.join(', ')})`);
  const names = all.filter((n) => only.includes(n));
  const workers = Math.max(1, opts.workers ?? Math.min(4, cpus().length));
  const options = {
    cases: opts.cases,
    seed: opts.seed,
    timeoutMs: opts.timeoutMs,
    workers,
    minimise: opts.minimise ?? 3,
    shrinkRuns: opts.shrinkRuns ?? 150,
    chunk: opts.chunk ?? 25,
    only: names,
    ...(opts.caseIndexes ? { caseIndexes: opts.caseIndexes } : {}),
  };
  const progress = opts.onProgress ?? (() => {});

  // Cases per category: an even share (the first categories take the remainder).
  const share = new Map(names.map((n, i) => [n, Math.floor(opts.cases / names.length) + (i < opts.cases % names.length ? 1 : 0)]));
  const results = new Map<string, CaseResult[]>(names.map((n) => [n, []]));
  const typed = new Map<string, Record<string, number>>(names.map((n) => [n, {}]));
  const expected = new Map<string, number>();

  const queue: Job[] = [];
  if (opts.caseIndexes) {
    for (const n of names) {
      expected.set(n, opts.caseIndexes.length);
      queue.push({ msg: { type: 'cases', category: n, from: 0, to: 0, seed: opts.seed, timeoutMs: opts.timeoutMs }, remaining: [...opts.caseIndexes] });
    }
  } else {
    // Chunks interleaved across categories, so every worker sees a mix (costs differ by category).
    const chunks = names.map((n) => {
      const list: Job[] = [];
      const total = share.get(n)!;
      expected.set(n, total);
      for (let from = 0; from < total; from += options.chunk) {
        const to = Math.min(total, from + options.chunk);
        list.push({ msg: { type: 'cases', category: n, from, to, seed: opts.seed, timeoutMs: opts.timeoutMs }, remaining: range(from, to) });
      }
      return list;
    });
    for (let i = 0; chunks.some((c) => c.length > i); i++) for (const c of chunks) if (c[i]) queue.push(c[i]!);
  }

  const pool = new Pool(workers, opts.timeoutMs);
  const done = new Set<string>();
  pool.onResult = (r) => {
    results.get(r.category)!.push(r);
    if (results.get(r.category)!.length === expected.get(r.category) && !done.has(r.category)) {
      done.add(r.category);
      const failed = results.get(r.category)!.filter((x) => x.failure).length;
      progress(`${r.category}: ${expected.get(r.category)} cases, ${failed} failed (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
  };
  pool.onTyped = (category, counts) => {
    const t = typed.get(category)!;
    for (const [k, v] of Object.entries(counts)) t[k] = (t[k] ?? 0) + v;
  };
  await pool.run(queue);

  // Failure classes, in category order then by first case.
  const classes: FailureClass[] = [];
  for (const n of names) {
    const byKey = new Map<string, FailureClass>();
    for (const r of [...results.get(n)!].sort((a, b) => a.index - b.index)) {
      if (!r.failure) continue;
      const key = `${r.failure.kind}\u0000${r.failure.signature}`;
      const c = byKey.get(key);
      if (c) {
        c.count++;
        c.indexes.push(r.index);
      } else byKey.set(key, { category: n, kind: r.failure.kind, signature: r.failure.signature, count: 1, indexes: [r.index], detail: r.failure.detail });
    }
    classes.push(...byKey.values());
  }

  // Inputs: minimise the first classes of each category; show the others' first input as generated.
  const minimiseJobs: Job[] = [];
  const showJobs: Job[] = [];
  for (const n of names) {
    const mine = classes.filter((c) => c.category === n);
    mine.forEach((c, i) => {
      const index = c.indexes[0]!;
      if (i < options.minimise && c.kind !== 'hang') {
        minimiseJobs.push({
          msg: { type: 'minimise', category: n, index, seed: opts.seed, timeoutMs: opts.timeoutMs, kind: c.kind, signature: c.signature, maxRuns: options.shrinkRuns },
        });
      } else showJobs.push({ msg: { type: 'show', category: n, index, seed: opts.seed } });
    });
  }
  const classOf = (category: string, index: number) => classes.find((c) => c.category === category && c.indexes[0] === index);
  pool.onMinimised = (m) => {
    const c = classOf(m.category, m.index);
    if (!c) return;
    c.input = m.input;
    if (m.type === 'minimised') {
      c.minimised = m.reproduced;
      c.note = m.reproduced ? `minimised in ${m.runs} runs` : 'did not fail the same way when run again (flaky or time-dependent): the input as generated';
      if (m.detail) c.detail = m.detail;
    } else if (m.type === 'smaller') {
      c.minimised = true;
      c.detail = m.detail;
    } else if (m.type === 'original') {
      c.minimised = false;
    } else c.note ??= c.kind === 'hang' ? 'not minimised (a hang)' : `not minimised (only the first ${options.minimise} classes of a category are)`;
  };
  pool.onShrinkKilled = (category, index) => {
    const c = classOf(category, index);
    if (c) c.note = `minimisation stopped: a smaller input ran past ${opts.timeoutMs} ms${c.input ? ' (the smallest failing input so far)' : ''}`;
  };
  await pool.run([...minimiseJobs, ...showJobs]);
  pool.close();

  const categories: CategorySummary[] = names.map((n) => {
    const rs = results.get(n)!;
    const failures = Object.fromEntries(KINDS.map((k) => [k, rs.filter((r) => r.failure?.kind === k).length])) as Record<FailureKind, number>;
    return {
      name: n,
      cases: rs.length,
      passed: rs.filter((r) => !r.failure).length,
      failures,
      ms: rs.reduce((a, r) => a + r.ms, 0),
      slowestMs: rs.reduce((a, r) => Math.max(a, r.ms), 0),
      typed: typed.get(n)!,
    };
  });
  const passed = categories.reduce((a, c) => a + c.passed, 0);
  const total = categories.reduce((a, c) => a + c.cases, 0);
  return { options, categories, classes, passed, failed: total - passed, wallMs: performance.now() - started };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** Worker processes taking jobs from a queue, with a watchdog on every case. */
class Pool {
  onResult: (r: CaseResult) => void = () => {};
  onTyped: (category: string, counts: Record<string, number>) => void = () => {};
  onMinimised: (m: Extract<FromWorker, { type: 'minimised' | 'smaller' | 'shown' | 'original' }>) => void = () => {};
  onShrinkKilled: (category: string, index: number) => void = () => {};
  private workers: Worker[] = [];
  private queue: Job[] = [];
  private resolve?: () => void;
  private reject?: (e: Error) => void;
  private timer?: NodeJS.Timeout;
  private deaths = 0;

  constructor(
    private size: number,
    private timeoutMs: number,
  ) {}

  run(jobs: Job[]): Promise<void> {
    this.queue.push(...jobs);
    return new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      while (this.workers.length < this.size) this.spawn();
      this.timer ??= setInterval(() => this.watch(), 100);
      for (const w of this.workers) this.feed(w);
      this.checkDone();
    });
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const w of this.workers) {
      w.killed = true;
      w.child.kill('SIGKILL');
    }
    this.workers = [];
  }

  private spawn(): Worker {
    const child = fork(workerPath, [], {
      execArgv: ['--conditions=@k8s-netsim/source', '--import', tsxLoader, '--max-old-space-size=3072', '--max-semi-space-size=32'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // Whatever a case writes to a relative path lands outside the repository.
      cwd: tmpdir(),
    });
    const w: Worker = { child, ready: false, stderr: '', killed: false };
    child.stderr?.on('data', (d: Buffer) => {
      w.stderr = (w.stderr + d.toString()).slice(-4000);
    });
    child.on('message', (m: FromWorker) => this.message(w, m));
    child.on('exit', (code, signal) => this.exit(w, code, signal));
    this.workers.push(w);
    return w;
  }

  private message(w: Worker, m: FromWorker): void {
    switch (m.type) {
      case 'ready':
        w.ready = true;
        this.deaths = 0;
        this.feed(w);
        return;
      case 'warming':
        w.current = { category: m.category, index: -1, since: performance.now(), limit: WARM_MS };
        return;
      case 'start':
        w.current = { category: m.category, index: m.index, since: performance.now(), limit: this.timeoutMs + GRACE_MS };
        return;
      case 'original':
        this.onMinimised(m);
        return;
      case 'label':
        if (w.current?.index === m.index) w.current.label = m.label;
        return;
      case 'done': {
        w.current = undefined;
        const job = w.job;
        if (job?.remaining) job.remaining = job.remaining.filter((i) => i !== m.index);
        this.onResult({ category: m.category, index: m.index, ms: m.ms, ...(m.failure ? { failure: m.failure } : {}) });
        return;
      }
      case 'idle':
        this.onTyped(m.category, m.typed);
        this.next(w);
        return;
      case 'smaller':
        w.current = undefined;
        this.onMinimised(m);
        return;
      case 'minimised':
      case 'shown':
        this.onMinimised(m);
        this.next(w);
        return;
    }
  }

  private next(w: Worker): void {
    w.job = undefined;
    w.current = undefined;
    this.feed(w);
    this.checkDone();
  }

  private feed(w: Worker): void {
    if (!w.ready || w.job || w.killed) return;
    const job = this.queue.shift();
    if (!job) return;
    w.job = job;
    let msg = job.msg;
    // A case job resumed after a kill (or a replay) runs the indexes left, in consecutive runs.
    if (msg.type === 'cases' && job.remaining) {
      const r = job.remaining;
      let end = 1;
      while (end < r.length && r[end] === r[0]! + end) end++;
      msg = { ...msg, from: r[0] ?? 0, to: (r[0] ?? 0) + (r.length ? end : 0) };
      if (end < r.length) this.queue.unshift({ msg: job.msg, remaining: r.slice(end) });
      job.remaining = r.slice(0, end);
    }
    w.child.send(msg);
  }

  private checkDone(): void {
    if (this.queue.length === 0 && this.workers.every((w) => !w.job)) {
      const r = this.resolve;
      this.resolve = undefined;
      r?.();
    }
  }

  private watch(): void {
    const now = performance.now();
    for (const w of this.workers) {
      if (!w.current || w.killed) continue;
      const ms = now - w.current.since;
      if (ms > w.current.limit) {
        w.killed = true;
        w.child.kill('SIGKILL');
        const warming = w.current.index < 0;
        this.lose(
          w,
          warming
            ? { kind: 'hang', signature: `building the category's shared clusters took over ${WARM_MS} ms (killed)`, detail: `killed after ${Math.round(ms)} ms` }
            : {
                kind: 'hang',
                signature: `did not finish within ${this.timeoutMs} ms (killed)${w.current.label ? `: ${w.current.label}` : ''}`,
                detail: `killed after ${Math.round(ms)} ms`,
              },
          ms,
        );
      }
    }
  }

  private exit(w: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.workers.includes(w)) return;
    if (!w.killed) {
      const heap = /heap out of memory|Reached heap limit/i.test(w.stderr);
      const why = heap ? 'out of memory' : signal ? `killed by ${signal}` : `exit code ${code}`;
      if (!w.ready && ++this.deaths > 3) {
        // The library does not even load (a syntax error, a missing export): no case can run.
        this.workers = this.workers.filter((x) => x !== w);
        const reject = this.reject;
        this.resolve = undefined;
        this.close();
        reject?.(new Error(`fuzz workers fail to start (${why}):\n${w.stderr.trim()}`));
        return;
      }
      this.lose(w, { kind: 'crash', signature: `the worker process died (${why})`, detail: `the worker process died (${why}); its stderr ends:\n${w.stderr.slice(-1500)}` }, 0);
    }
  }

  /** A worker is gone in the middle of its job: record the case, requeue the rest, replace it. */
  private lose(w: Worker, failure: FailureRecord, ms: number): void {
    this.workers = this.workers.filter((x) => x !== w);
    const job = w.job;
    const cur = w.current;
    if (job && job.msg.type === 'cases') {
      if (cur && cur.index < 0) {
        // Died while warming up: the first case of the job takes the blame.
        const first = job.remaining?.[0];
        if (first !== undefined) {
          this.onResult({ category: cur.category, index: first, ms, failure });
          job.remaining = job.remaining?.slice(1);
        }
      } else if (cur) {
        this.onResult({ category: cur.category, index: cur.index, ms, failure });
        job.remaining = job.remaining?.filter((i) => i !== cur.index);
      }
      if (job.remaining?.length) this.queue.unshift({ msg: job.msg, remaining: job.remaining });
    } else if (job && job.msg.type === 'minimise') {
      this.onShrinkKilled(job.msg.category, job.msg.index);
    } else if (job && job.msg.type === 'show') {
      this.onMinimised({ type: 'shown', category: job.msg.category, index: job.msg.index, input: '(the input could not be generated again: its worker died)' });
    }
    if (this.resolve) this.feed(this.spawn());
    this.checkDone();
  }
}
