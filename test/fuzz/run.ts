// `pnpm fuzz [--cases N] [--seed S] [--only CATEGORY[,CATEGORY…]] [--timeout-ms T] [--workers W]
//            [--minimise K] [--shrink-runs R] [--case I[,I…]]`
// Runs the fuzz suite and prints its report; exit 1 when any case failed, 2 on a usage error.

import { parseArgs } from 'node:util';
import { formatReport } from './report.js';
import { categoryNames, runFuzz } from './runner.js';

const USAGE = `usage: pnpm fuzz [options]

  --cases N          cases in all, shared evenly by the categories (default 1000)
  --seed S           seed of every input (default 1): the same seed gives the same cases
  --only C[,C…]      run only these categories
  --timeout-ms T     a case slower than T ms fails as a hang (default 5000)
  --workers W        worker processes (default: CPUs, at most 4)
  --minimise K       failure classes minimised per category (default 3)
  --shrink-runs R    runs fast-check may spend minimising one failure (default 150)
  --case I[,I…]      replay these case indexes of the one category given with --only
  -h, --help         this help
`;

function int(name: string, raw: string | undefined, dflt: number, min: number): number {
  if (raw === undefined) return dflt;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min) {
    process.stderr.write(`fuzz: --${name}: an integer >= ${min}, not "${raw}"\n${USAGE}`);
    process.exit(2);
  }
  return Number(raw);
}

/** Each category with its one-line summary (the library is loaded for it; names alone if it does not load). */
async function categoryList(): Promise<string> {
  try {
    const { CATEGORIES } = await import('./categories.js');
    return CATEGORIES.map((c) => `  ${c.name.padEnd(11)} ${c.summary}\n`).join('');
  } catch {
    return `  ${categoryNames().join(', ')}\n`;
  }
}

async function cli(): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        cases: { type: 'string' },
        seed: { type: 'string' },
        only: { type: 'string' },
        'timeout-ms': { type: 'string' },
        workers: { type: 'string' },
        minimise: { type: 'string' },
        'shrink-runs': { type: 'string' },
        case: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\ncategories:\n${await categoryList()}`);
    return 0;
  }
  const only = typeof values.only === 'string' ? values.only.split(',').filter(Boolean) : undefined;
  const known = categoryNames();
  for (const o of only ?? []) {
    if (!known.includes(o)) {
      process.stderr.write(`fuzz: --only: unknown category "${o}" (categories: ${known.join(', ')})\n`);
      return 2;
    }
  }
  const caseIndexes = typeof values.case === 'string' ? values.case.split(',').map((c) => int('case', c, 0, 0)) : undefined;
  if (caseIndexes && only?.length !== 1) {
    process.stderr.write('fuzz: --case replays cases of one category: give it with --only\n');
    return 2;
  }
  const summary = await runFuzz({
    cases: int('cases', values.cases as string | undefined, 1000, 1),
    seed: int('seed', values.seed as string | undefined, 1, Number.MIN_SAFE_INTEGER),
    timeoutMs: int('timeout-ms', values['timeout-ms'] as string | undefined, 5000, 1),
    workers: int('workers', values.workers as string | undefined, 0, 0) || undefined,
    minimise: int('minimise', values.minimise as string | undefined, caseIndexes ? caseIndexes.length : 3, 0),
    shrinkRuns: int('shrink-runs', values['shrink-runs'] as string | undefined, 150, 1),
    ...(only ? { only } : {}),
    ...(caseIndexes ? { caseIndexes } : {}),
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(formatReport(summary));
  return summary.failed > 0 ? 1 : 0;
}

cli().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`fuzz: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
