// A small seeded share of the fuzz suite (`pnpm fuzz`, README.md here), run by `pnpm test`
// through the same runner: worker processes, a time limit per case, minimised failures in the
// report. CI runs the larger share with `pnpm fuzz --cases 5000 --seed 1`.
//
// Every category is in the share: the classes the suite found were fixed (see the note in
// README.md here for what it found and where).
//
// The time limit here is generous: `pnpm test` runs other test files beside this one, so a case's
// wall time says little; hangs are `pnpm fuzz`'s job (5 s per case, CI alone on the machine).

import { expect, it } from 'vitest';
import { formatReport } from './report.js';
import { runFuzz } from './runner.js';

const PASSING = ['yaml', 'manifests', 'shell', 'scripts', 'trace', 'cli', 'options', 'exhaustion'];

it(`a seeded share of the fuzz suite passes (${PASSING.join(', ')})`, async () => {
  const summary = await runFuzz({ cases: 300, seed: 1, only: PASSING, timeoutMs: 30_000, workers: 2, minimise: 1, shrinkRuns: 50 });
  if (summary.failed > 0) expect.fail(formatReport(summary));
  expect(summary.passed).toBe(300);
}, 180_000);
