// A fuzz worker process: runs the cases (or minimises a failure) the runner sends it, one at a
// time, announcing each before it starts so that a hang can be pinned on its case and the
// process killed. Each case's input comes from its own seed (protocol.caseSeed), so any case can
// be replayed alone and cases can be spread over processes in any order.

import fc from 'fast-check';
import { CATEGORIES } from './categories.js';
import { crash, Finding, type AnyCategory, type CaseContext, type FailureKind } from './harness.js';
import { caseSeed, type FailureRecord, type FromWorker, type ToWorker } from './protocol.js';

const send = (m: FromWorker) => process.send!(m);

const arbitraries = new Map<string, fc.Arbitrary<unknown>>();

function category(name: string): { cat: AnyCategory; arb: fc.Arbitrary<unknown> } {
  const cat = CATEGORIES.find((c) => c.name === name);
  if (!cat) throw new Error(`unknown fuzz category "${name}"`);
  let arb = arbitraries.get(name);
  if (!arb) {
    send({ type: 'warming', category: name });
    arb = cat.arbitrary();
    try {
      cat.warm?.();
    } catch {
      // The cases that need what failed to build report it, each as its own failure.
    }
    arbitraries.set(name, arb);
  }
  return { cat, arb };
}

function toRecord(e: unknown): FailureRecord {
  const f = e instanceof Finding ? e : crash('the case', e);
  return { kind: f.kind, signature: f.signature, detail: f.detail };
}

/** Run one input: the failure it shows, if any (slow cases are hangs). */
function runOne(cat: AnyCategory, input: unknown, ctx: CaseContext, timeoutMs: number, label: string): { ms: number; failure?: FailureRecord } {
  const t0 = performance.now();
  let failure: FailureRecord | undefined;
  try {
    cat.run(input, ctx);
  } catch (e) {
    failure = toRecord(e);
  }
  const ms = performance.now() - t0;
  if (!failure && ms > timeoutMs) failure = { kind: 'hang', signature: `slower than ${timeoutMs} ms: ${label}`, detail: `the case took ${Math.round(ms)} ms` };
  return failure ? { ms, failure } : { ms };
}

/** The input of case `index` (the first value fast-check draws from its seed). */
function inputOf(arb: fc.Arbitrary<unknown>, seed: number): unknown {
  let value: unknown;
  fc.check(
    fc.property(arb, (x) => {
      value = x;
      return true;
    }),
    { seed, numRuns: 1 },
  );
  return value;
}

/** Let the event loop flush the messages sent so far (the runner's watchdog reads them). */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function runCases(job: Extract<ToWorker, { type: 'cases' }>): Promise<void> {
  let built: ReturnType<typeof category>;
  try {
    built = category(job.category);
  } catch (e) {
    // No input can be made (a shared cluster the arbitrary reads failed to build): every case fails so.
    const f = toRecord(e);
    for (let index = job.from; index < job.to; index++) {
      send({ type: 'done', category: job.category, index, ms: 0, failure: { ...f, signature: `building the category's inputs: ${f.signature}` } });
    }
    send({ type: 'idle', category: job.category, typed: {} });
    return;
  }
  const { cat, arb } = built;
  const ctx: CaseContext = { typed: new Map() };
  for (let index = job.from; index < job.to; index++) {
    send({ type: 'start', category: job.category, index });
    const t0 = performance.now();
    let result: { ms: number; failure?: FailureRecord };
    try {
      const input = inputOf(arb, caseSeed(job.seed, job.category, index));
      const label = labelOf(cat, input);
      send({ type: 'label', category: job.category, index, label });
      result = runOne(cat, input, ctx, job.timeoutMs, label);
      // Generation counts towards the case's time, as the runner's watchdog sees it.
      result.ms = performance.now() - t0;
    } catch (e) {
      result = { ms: performance.now() - t0, failure: { ...toRecord(e), signature: `generating the input: ${toRecord(e).signature}` } };
    }
    send({ type: 'done', category: job.category, index, ...result });
    await tick();
  }
  send({ type: 'idle', category: job.category, typed: Object.fromEntries(ctx.typed) });
}

function labelOf(cat: AnyCategory, input: unknown): string {
  try {
    return cat.label(input);
  } catch {
    return '?';
  }
}

function sameFailure(f: FailureRecord | undefined, kind: FailureKind, signature: string): f is FailureRecord {
  return f !== undefined && f.kind === kind && f.signature === signature;
}

/**
 * Shrink a failing case with fast-check, keeping only smaller inputs that fail the same way
 * (same kind and signature, within the time limit), for at most `maxRuns` runs of the case.
 */
function minimise(job: Extract<ToWorker, { type: 'minimise' }>): void {
  const { cat, arb } = category(job.category);
  const ctx: CaseContext = { typed: new Map() };
  let runs = 0;
  let reproduced = false;
  let best: { input: string; detail: string } | undefined;
  let original: unknown;
  fc.check(
    fc.property(arb, (x) => {
      if (runs === 0) {
        original = x;
        send({ type: 'original', category: job.category, index: job.index, input: cat.show(x) });
      }
      if (runs >= job.maxRuns) return true;
      runs++;
      send({ type: 'start', category: job.category, index: job.index });
      const r = runOne(cat, x, ctx, job.timeoutMs, labelOf(cat, x));
      if (!sameFailure(r.failure, job.kind, job.signature)) return true;
      if (runs === 1) reproduced = true;
      best = { input: cat.show(x), detail: r.failure.detail };
      send({ type: 'smaller', category: job.category, index: job.index, ...best });
      return false;
    }),
    { seed: caseSeed(job.seed, job.category, job.index), numRuns: 1 },
  );
  const shown = best ?? { input: cat.show(original), detail: '' };
  send({ type: 'minimised', category: job.category, index: job.index, reproduced, runs, ...shown });
}

process.on('message', (m: ToWorker) => {
  if (m.type === 'cases') {
    void runCases(m);
    return;
  }
  try {
    if (m.type === 'minimise') minimise(m);
    else {
      const { cat, arb } = category(m.category);
      send({ type: 'shown', category: m.category, index: m.index, input: cat.show(inputOf(arb, caseSeed(m.seed, m.category, m.index))) });
    }
  } catch (e) {
    // The runner waits for an answer to every job: say what went wrong instead of the input.
    const input = `(the input could not be shown: ${toRecord(e).signature})`;
    if (m.type === 'minimise') send({ type: 'minimised', category: m.category, index: m.index, reproduced: false, runs: 0, input, detail: '' });
    else send({ type: 'shown', category: m.category, index: m.index, input });
  }
});
send({ type: 'ready' });
