// The fuzz suite's oracle, shared by every category: what counts as a failure, how a failure is
// named (its class: same kind, same error, same place in the source), and the checks each case
// runs after calling the library — typed errors only, a refused change changes nothing, an
// accepted state keeps every invariant.

import type fc from 'fast-check';
import { ApiError, advanceClock, Cluster, execLine, type ScriptResult, TraceError } from '@k8s-netsim/core';
import { checkInvariants } from '@k8s-netsim/testing';

/**
 * - `crash`: an exception other than the library's typed errors escaped (or a script step / the
 *   CLI reported an internal error, or the CLI printed a stack trace);
 * - `hang`: the case ran longer than `--timeout-ms` (or never ended and its process was killed);
 * - `state-change-after-refusal`: the change was refused, yet the cluster is not what it was;
 * - `invariant`: an accepted change left a state that breaks `checkInvariants` (or a snapshot
 *   that does not restore to itself);
 * - `expectation`: a refusal the real tools make is missing (go-yaml's `excessive aliasing`, an
 *   `arbInvalidManifest` the API server refuses), or a result breaks its documented contract.
 */
export type FailureKind = 'crash' | 'hang' | 'state-change-after-refusal' | 'invariant' | 'expectation';

/** A failed case: thrown by a category's `run`, caught by the worker. */
export class Finding extends Error {
  constructor(
    readonly kind: FailureKind,
    /** The failure class: cases with the same signature are the same bug. */
    readonly signature: string,
    /** What happened on this input (message, stack excerpt, diff). */
    readonly detail: string,
  ) {
    super(`${kind}: ${signature}`);
    this.name = 'Finding';
  }
}

/** Per-worker bookkeeping a category may add to: the typed errors it saw, by class. */
export interface CaseContext {
  typed: Map<string, number>;
}

/** One fuzz category: its inputs, the case (throws a Finding on failure) and how to print an input. */
export interface Category<T> {
  name: string;
  /** One line for the report. */
  summary: string;
  /** Built once per worker process (it may close over shared clusters). */
  arbitrary: () => fc.Arbitrary<T>;
  /** Build the shared clusters the cases use, before the first case (so no case's time pays for them). */
  warm?: () => void;
  run: (input: T, ctx: CaseContext) => void;
  /** The input as a reader wants to see it (YAML as text, argv as a command line). */
  show: (input: T) => string;
  /** A few words saying which kind of input it is (which generator, which route), to tell hangs apart. */
  label: (input: T) => string;
}

/** Any category, for tables of them (the input type is the category's own business). */
// biome-ignore lint/suspicious/noExplicitAny: a registry of categories with different input types.
export type AnyCategory = Category<any>;

const BUILTIN_ERRORS: readonly unknown[] = [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError];

/** The class name an error is recorded under. */
export function errorClass(e: unknown): string {
  if (e instanceof Error) return e.constructor?.name || e.name;
  return `non-Error ${typeof e}`;
}

/**
 * The library's typed errors: ApiError, TraceError, and any other Error subclass (a typed
 * validation error for options, the CLI's usage errors…) — not plain Error/TypeError/RangeError/
 * SyntaxError (and the other built-ins), which are what a bug throws.
 */
export function isTypedError(e: unknown): e is Error {
  if (e instanceof ApiError || e instanceof TraceError) return true;
  return e instanceof Error && !BUILTIN_ERRORS.includes(e.constructor);
}

const FRAME = /at (?:(.+?) \()?(?:file:\/\/)?[^()\s]*?(packages\/[^/]+\/src\/[^:)]+)(?::\d+)*\)?\s*$/;

function projectFrames(e: unknown): { file: string; fn?: string }[] {
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  const out: { file: string; fn?: string }[] = [];
  for (const line of stack.split('\n').slice(1)) {
    const m = FRAME.exec(line.trim());
    if (m) out.push(m[1] ? { file: m[2]!, fn: m[1].replace(/^Object\./, '') } : { file: m[2]! });
  }
  return out;
}

/**
 * Where an error was thrown, for its class: the first frame inside the project's packages
 * (`packages/core/src/packet/walker.ts walk`), and when a shell command or the CLI called into
 * it from another file, that caller too (`← packages/core/src/shell/commands/dns.ts fn`).
 */
export function topFrame(e: unknown): string {
  const frames = projectFrames(e);
  const top = frames[0];
  if (!top) {
    const first = (e instanceof Error ? (e.stack ?? '') : '').split('\n')[1]?.trim();
    return first ? first.replace(/:\d+:\d+\)?$/, '').replace(/^at /, '') : '(no stack)';
  }
  const show = (f: { file: string; fn?: string }) => `${f.file}${f.fn ? ` ${f.fn}` : ''}`;
  const entry = frames.find((f) => f.file !== top.file && /packages\/core\/src\/(shell\/commands|dns\/tools)\/|packages\/cli\/src\//.test(f.file));
  return entry ? `${show(top)} ← ${show(entry)}` : show(top);
}

/** The frames of the stack inside the project (for the detail), line numbers kept. */
export function projectStack(e: unknown, max = 6): string {
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  const lines = stack
    .split('\n')
    .slice(1)
    .filter((l) => l.includes('/packages/') || l.includes('/test/fuzz/'))
    .slice(0, max)
    .map((l) => `    ${l.trim().replace(/\(?file:\/\/[^()]*?\/(packages|test)\//, '($1/')}`);
  return lines.join('\n');
}

/**
 * A message with its variable parts blanked, for grouping: addresses, numbers, quoted words,
 * the value V8 prints after `… in `, and the value after a final `: ` (`not an IPv4 address: x`).
 */
export function normalizeMessage(message: string): string {
  let m = message.split('\n')[0]!;
  m = m.replace(/^(Cannot use 'in' operator to search for '[^']*' in ).*$/s, '$1…');
  const colon = m.lastIndexOf(': ');
  if (colon > 0 && /\w+ \w+/.test(m.slice(0, colon)) && !/^(Cannot|Invalid|Maximum)/.test(m)) m = `${m.slice(0, colon)}: …`;
  return m
    .replace(/\d+\.\d+\.\d+\.\d+(\/\d+)?/g, 'IP')
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"…"')
    .replace(/\b\d+(\.\d+)?(e[+-]?\d+)?\b/g, 'N')
    .replace(/\s+/g, ' ')
    .slice(0, 140);
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A Finding for an untyped exception that escaped `what`. */
export function crash(what: string, e: unknown): Finding {
  if (e instanceof Finding) return e;
  const cls = errorClass(e);
  const message = errorMessage(e);
  return new Finding('crash', `${cls}: ${normalizeMessage(message)} @ ${topFrame(e)}`, `${what} threw ${cls}: ${message.slice(0, 600)}\n${projectStack(e)}`);
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; error: Error };

/** Call the library: its value, or the typed error it refused with (recorded); anything else is a crash. */
export function attempt<T>(ctx: CaseContext, what: string, fn: () => T): Attempt<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof Finding) throw e;
    if (isTypedError(e)) {
      const cls = errorClass(e);
      ctx.typed.set(cls, (ctx.typed.get(cls) ?? 0) + 1);
      return { ok: false, error: e };
    }
    throw crash(what, e);
  }
}

/**
 * `Cluster.exec`: its own typed refusals (an unknown node or pod) are fine, but an error thrown
 * from inside the shell (through execLine), typed or not, is a command that did not handle its
 * failure: a script prints `netsim: internal error` for it, the CLI exits 70.
 */
export function attemptExec<T>(ctx: CaseContext, what: string, fn: () => T): Attempt<T> {
  const r = attempt(ctx, what, fn);
  if (!r.ok && /\bexecLine\b/.test(r.error.stack ?? '')) throw crash(`${what} (thrown from inside the shell)`, r.error);
  return r;
}

/** Run a check that is not the operation under test (views, invariants): any exception is a crash. */
export function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw crash(what, e);
  }
}

// Snapshots of shared clusters, taken once: comparing against them catches a state changed in place.
const snapshots = new WeakMap<Cluster, string>();

export function snapshotOf(c: Cluster): string {
  let s = snapshots.get(c);
  if (s === undefined) {
    s = guard('snapshot()', () => c.snapshot());
    snapshots.set(c, s);
  }
  return s;
}

/** Which parts of two states differ (`services.default.web`, `clock`), a few of them. */
export function stateDiff(a: string, b: string, max = 6): string[] {
  const x = JSON.parse(a) as Record<string, unknown>;
  const y = JSON.parse(b) as Record<string, unknown>;
  const out: string[] = [];
  const walk = (p: unknown, q: unknown, path: string, depth: number) => {
    if (out.length >= max) return;
    if (JSON.stringify(p) === JSON.stringify(q)) return;
    if (depth >= 3 || typeof p !== 'object' || typeof q !== 'object' || p === null || q === null) {
      out.push(path || '(root)');
      return;
    }
    const keys = new Set([...Object.keys(p), ...Object.keys(q)]);
    for (const k of keys) walk((p as Record<string, unknown>)[k], (q as Record<string, unknown>)[k], path ? `${path}.${k}` : k, depth + 1);
  };
  walk(x, y, '', 0);
  return out;
}

/**
 * A refused change must leave the cluster as it was: `after` (the cluster the caller holds after
 * the refusal, often the same object) against `before`'s snapshot taken earlier.
 */
export function expectUnchanged(what: string, beforeSnapshot: string, after: Cluster, refusal: string): void {
  const now = guard('snapshot()', () => after.snapshot());
  if (now === beforeSnapshot) return;
  const diff = stateDiff(beforeSnapshot, now);
  throw new Finding(
    'state-change-after-refusal',
    `${what}: ${diff
      .slice(0, 3)
      .map((d) => d.split('.').slice(0, 2).join('.'))
      .join(', ')}`,
    `${what} was refused (${refusal.split('\n')[0]!.slice(0, 300)}) but the state changed: ${diff.join(', ')}`,
  );
}

// Invariants of clusters already checked (shared clusters are checked once).
const checked = new WeakSet<Cluster>();

/** An accepted state must keep every invariant. */
export function expectInvariants(what: string, c: Cluster): void {
  if (checked.has(c)) return;
  const violations = guard('checkInvariants', () => checkInvariants(c));
  if (violations.length > 0) {
    const ids = [...new Set(violations.map((v) => v.invariant))].sort();
    throw new Finding(
      'invariant',
      `${what}: ${ids.join(', ')}`,
      violations
        .slice(0, 4)
        .map((v) => `${v.invariant}: ${v.message}`)
        .join('\n'),
    );
  }
  checked.add(c);
}

/** A failed expectation (a contract broken without an exception). */
export function expectation(signature: string, detail: string): Finding {
  return new Finding('expectation', signature, detail);
}

let lab: Cluster | undefined;

/** The default lab, built once per process (clusters are immutable: one serves every case). */
export function defaultLab(): Cluster {
  return (lab ??= guard('Cluster.create()', () => Cluster.create()));
}

/** Keep `s` readable in a report: at most `max` characters, saying how much was left out. */
export function clip(s: string, max = 1500): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max)}… (${s.length - max} more characters)`;
}

/** Long runs of one character folded (`⟪a×5000⟫`), so a huge input stays readable. */
export function fold(s: string): string {
  return s.replace(/(.)\1{39,}/gs, (run, c: string) => `⟪${JSON.stringify(c).slice(1, -1)}×${run.length}⟫`);
}

/** A string as a reader can see it: control characters escaped, quoted when needed. */
export function visible(s: string): string {
  return JSON.stringify(s);
}

/**
 * `Cluster.create` memoised by its options, for cases that build a cluster per call only because
 * the code under test does (the CLI): clusters are immutable and creation is deterministic, so
 * a cached one is the same value. Restored after `fn`.
 */
export function withMemoisedCreate<T>(fn: () => T): T {
  const original = Cluster.create;
  (Cluster as { create: typeof Cluster.create }).create = (options = {}) => {
    const key = JSON.stringify(options);
    let c = createCache.get(key);
    if (!c) {
      c = original.call(Cluster, options);
      if (createCache.size >= 32) createCache.delete(createCache.keys().next().value!);
      createCache.set(key, c);
    }
    return c;
  };
  try {
    return fn();
  } finally {
    (Cluster as { create: typeof Cluster.create }).create = original;
  }
}
const createCache = new Map<string, Cluster>();

/** Where each command of a script starts (as runScript reads it: blank and `#` lines skipped, here-documents consumed). */
function commandPositions(script: string): { line: number; heredoc?: string[] }[] {
  const lines = script.split('\n');
  const out: { line: number; heredoc?: string[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === '' || t.startsWith('#')) continue;
    const m = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(t);
    const start = i;
    if (m) {
      const body: string[] = [];
      while (++i < lines.length && lines[i]!.trim() !== m[2]) body.push(lines[i]!);
      out.push({ line: start, heredoc: body });
    } else out.push({ line: start });
  }
  return out;
}

/**
 * A script step must not be an internal error. To name the failure by where it happened, the
 * failing command is run again alone (`execLine` on the state and context the script had reached
 * just before it) so that its exception and stack are seen; when that does not reproduce it, the
 * class is the message the transcript printed.
 */
export function expectNoInternalError(what: string, base: Cluster, script: string, r: ScriptResult): void {
  const k = r.steps.findIndex((s) => s.internalError !== undefined);
  if (k < 0) return;
  const step = r.steps[k]!;
  const where = `${what}: line ${JSON.stringify(step.line.slice(0, 200))}`;
  const pos = commandPositions(script)[k];
  let thrown: unknown;
  if (pos) {
    try {
      const prefix = script.split('\n').slice(0, pos.line).join('\n');
      const before = base.run(`${prefix}\n`);
      const stdin = pos.heredoc?.length ? `${pos.heredoc.join('\n')}\n` : '';
      execLine(advanceClock(before.state, 1000), step.line, before.ctx, {}, stdin);
    } catch (e) {
      thrown = e;
    }
  }
  if (thrown !== undefined && errorMessage(thrown) === step.internalError) {
    const f = crash(where, thrown);
    throw new Finding('crash', f.signature, `${where}: netsim: internal error: ${step.internalError}\n${projectStack(thrown)}`);
  }
  throw new Finding('crash', `script internal error: ${normalizeMessage(step.internalError!)}`, `${where}: netsim: internal error: ${step.internalError}`);
}
