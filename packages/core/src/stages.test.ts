// Core's folders are stages: a folder may import its own files and earlier stages, never a later
// one (types included). This test reads every source file's imports and lists each edge that
// goes the wrong way, or to a folder that is not a stage. It also holds each folder's index.ts
// to being that folder's way in: other folders import through it, never past it.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** The stages in order; folders on one line are one stage (they may import each other). */
const STAGES: readonly (readonly string[])[] = [
  ['util', 'net'],
  ['api'],
  ['addons'],
  ['state'],
  ['dns'],
  ['apiserver'],
  ['controllers'],
  ['dataplane'],
  ['packet'],
  ['views'],
  ['shell'],
  ['cluster'],
  ['index.ts'],
];

/**
 * Backward edges allowed until a move under way elsewhere lands: each exactly as the failure
 * lists it (`importer → imported`, paths relative to src/), with a comment naming that move.
 * Anything not listed fails. Empty now: the last one, controllers/kube-proxy/rules.ts →
 * dataplane/netfilter/types.ts, went when the netfilter types moved to net/netfilter.ts.
 */
const KNOWN_UNTIL_MOVED: readonly string[] = [];

const SRC = dirname(fileURLToPath(import.meta.url));

const RANK = new Map<string, number>(STAGES.flatMap((folders, rank) => folders.map((f): [string, number] => [f, rank])));

/** Source files: `.ts` minus tests and fixtures (neither is part of the published build). */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.fixture.ts')) out.push(path);
  }
  return out;
}

/** `a/b/c.ts` → `a`; a file at the top of src/ is its own stage (`index.ts`). */
const stageOf = (path: string): string => path.split('/')[0]!;

/** Every module specifier the file imports or re-exports: static, type-only, dynamic and `import()` types. */
function specifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

interface Edge {
  from: string;
  to: string;
}

/** A source file's path relative to src/, with `/`. */
const srcPath = (file: string): string => relative(SRC, file).split(sep).join('/');

/** Relative imports between files of src/, as paths relative to src/ (`.js` spelled as the `.ts` it is). */
function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = srcPath(file);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const to = posix.normalize(posix.join(posix.dirname(from), spec)).replace(/\.js$/, '.ts');
      out.push({ from, to });
    }
  }
  return out.sort((a, b) => (a.from === b.from ? a.to.localeCompare(b.to) : a.from.localeCompare(b.from)));
}

/** Why an edge breaks the order, or undefined when it does not. */
function violation({ from, to }: Edge): string | undefined {
  const a = RANK.get(stageOf(from));
  const b = RANK.get(stageOf(to));
  if (a === undefined) return `${from} is in ${stageOf(from)}/, which is not a stage`;
  if (b === undefined) return `${from} → ${to}: ${stageOf(to)} is not a stage`;
  if (b > a) return `${from} → ${to}`;
  return undefined;
}

describe('core stages', () => {
  const all = edges();

  it('reads every import form, and only imports', () => {
    const text = [
      "import a from './a.js';",
      "import type { B } from './b.js';",
      "import { type C, d } from './c.js';",
      "export * from './e.js';",
      "export type { F } from './f.js';",
      'export {',
      '  g,',
      "} from './g.js';",
      "import './h.js';",
      "const i = await import('./i.js');",
      "type J = typeof import('./j.js');",
      "// import k from './k.js';",
      'const l = "import m from \'./m.js\'";',
    ].join('\n');
    expect(specifiers(text)).toEqual(['./a.js', './b.js', './c.js', './e.js', './f.js', './g.js', './h.js', './i.js', './j.js']);
  });

  it('finds the imports it checks', () => {
    // A parser that saw nothing would pass everything.
    expect(all.length).toBeGreaterThan(500);
    expect(all).toContainEqual({ from: 'index.ts', to: 'cluster/cluster.ts' });
  });

  it('never imports a later stage', () => {
    const found = [...new Set(all.map(violation).filter((v): v is string => v !== undefined))];
    const unexpected = found.filter((v) => !KNOWN_UNTIL_MOVED.includes(v));
    expect(unexpected, `imports of a later stage (order: ${STAGES.map((s) => s.join(', ')).join(' → ')}):\n${unexpected.join('\n')}\n`).toEqual([]);
  });

  it('enters a folder that has an index.ts only through it', () => {
    const folders = sourceFiles(SRC)
      .map(srcPath)
      .filter((f) => f.endsWith('/index.ts'))
      .map((f) => f.slice(0, -'index.ts'.length));
    const bypass = all.filter(({ from, to }) => folders.some((d) => to.startsWith(d) && !from.startsWith(d) && to !== `${d}index.ts`)).map(({ from, to }) => `${from} → ${to}`);
    expect(bypass, `imports past a folder's index.ts:\n${bypass.join('\n')}\n`).toEqual([]);
  });
});

describe('core sources', () => {
  it('read no environment variable, wall clock or unseeded randomness (options and the simulated clock come from callers)', () => {
    const forbidden = /\bprocess\.env\b|\bDate\.now\s*\(|\bnew Date\(\s*\)|\bperformance\.now\s*\(|\bMath\.random\s*\(/;
    const found = sourceFiles(SRC).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (forbidden.test(line) ? [`${srcPath(file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });
});
