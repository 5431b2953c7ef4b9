// The fuzz categories' code, in report order (protocol.ts lists their names for the runner).

import { cliCategory } from './cli.js';
import { exhaustionCategory } from './exhaustion.js';
import type { AnyCategory } from './harness.js';
import { manifestsCategory } from './manifests.js';
import { optionsCategory } from './options.js';
import { CATEGORY_NAMES } from './protocol.js';
import { scriptsCategory } from './scripts.js';
import { shellCategory } from './shell.js';
import { traceCategory } from './trace.js';
import { yamlCategory } from './yaml.js';

export const CATEGORIES: readonly AnyCategory[] = [
  yamlCategory,
  manifestsCategory,
  shellCategory,
  scriptsCategory,
  traceCategory,
  cliCategory,
  optionsCategory,
  exhaustionCategory,
];

if (CATEGORIES.map((c) => c.name).join() !== CATEGORY_NAMES.join()) throw new Error('test/fuzz: CATEGORY_NAMES and CATEGORIES disagree');
