// Category `yaml`: manifest text that is not what kubectl expects — byte mutations of valid
// manifests, alias bombs, deep nesting, huge documents, duplicate keys, odd YAML features, and
// multi-document files with one bad document — through `Cluster.apply(text)`, through
// `kubectl apply -f -` (Cluster.exec with stdin), and through a script's here-document.

import fc from 'fast-check';
import { arbInvalidManifest, arbManifests, manifestsToYaml } from '@k8s-netsim/testing';
import type { Cluster } from '@k8s-netsim/core';
import { arbValidObject, OTHER_KIND_BASES } from './gen.js';
import {
  attempt,
  attemptExec,
  clip,
  defaultLab,
  expectation,
  expectInvariants,
  expectNoInternalError,
  expectUnchanged,
  snapshotOf,
  type CaseContext,
  type Category,
} from './harness.js';
import { printable } from './report.js';
import { alias, block, expandedSize, flow, goYamlRefusesAliasing, map, scalar, seq, type YNode } from './yaml-model.js';

export type YamlRoute = 'library' | 'kubectl' | 'script';

export interface YamlInput {
  /** Which generator made it (a class of inputs). */
  tag: string;
  text: string;
  route: YamlRoute;
  /** For alias bombs: whether go-yaml refuses the text (`excessive aliasing`). */
  goYamlRefuses?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Byte mutations of valid manifests.

const YAML_BITS = [
  ':',
  ': ',
  '-',
  '- ',
  ' ',
  '  ',
  '\t',
  '\n',
  '{',
  '}',
  '[',
  ']',
  ',',
  "'",
  '"',
  '&a ',
  '*a',
  '*undefined',
  '!',
  '!!str ',
  '!!int ',
  '!!binary ',
  '!!set ',
  '!!omap ',
  '!!timestamp ',
  '!custom ',
  '|',
  '|-',
  '>',
  '#',
  '%',
  '@',
  '`',
  '? ',
  '<<: ',
  '<<: *a',
  '\u0000',
  '\ufeff',
  '\r',
  '\r\n',
  '\u2028',
  '\u0085',
  '---\n',
  '--- x\n',
  '...\n',
  '~',
  'null',
  '.nan',
  '.inf',
  '-.inf',
  '0x',
  '0o7',
  '0b2',
  '1_000',
  '0777',
  '1e400',
  'yes',
  'on',
  'No',
  '\\',
  '\\u',
  '"\\x"',
  '\ud83d\udca5',
  '\ud800',
  'é',
];

type Mutation =
  | { op: 'insert'; at: number; bit: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'replace'; at: number; bit: string }
  | { op: 'flip'; at: number; byte: number }
  | { op: 'dup-line'; line: number }
  | { op: 'swap-lines'; line: number; other: number }
  | { op: 'indent'; line: number; by: number }
  | { op: 'truncate'; at: number };

const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bit: fc.constantFrom(...YAML_BITS) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), bit: fc.constantFrom(...YAML_BITS) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 0xff }) }),
  fc.record({ op: fc.constant('dup-line' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('swap-lines' as const), line: fc.nat(), other: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

export function mutate(text: string, m: Mutation): string {
  const n = Math.max(1, text.length);
  const lines = text.split('\n');
  switch (m.op) {
    case 'insert':
      return text.slice(0, m.at % (n + 1)) + m.bit + text.slice(m.at % (n + 1));
    case 'delete':
      return text.slice(0, m.at % n) + text.slice((m.at % n) + m.len);
    case 'replace':
      return text.slice(0, m.at % n) + m.bit + text.slice((m.at % n) + 1);
    case 'flip':
      return text.slice(0, m.at % n) + String.fromCharCode(m.byte) + text.slice((m.at % n) + 1);
    case 'dup-line': {
      const i = m.line % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'swap-lines': {
      const i = m.line % lines.length;
      const j = m.other % lines.length;
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 'indent': {
      const i = m.line % lines.length;
      const l = lines[i]!;
      lines[i] = m.by >= 0 ? ' '.repeat(m.by) + l : l.replace(new RegExp(`^ {0,${-m.by}}`), '');
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, m.at % n);
  }
}

const arbValidYaml: fc.Arbitrary<string> = fc.oneof(
  arbManifests({ maxWorkloads: 2, maxServices: 2, maxReplicas: 2, namespaces: ['default'] }).map((m) => manifestsToYaml(m)),
  arbValidObject.map((o) => manifestsToYaml([o])),
);

const arbByteMutated: fc.Arbitrary<Omit<YamlInput, 'route'>> = fc
  .tuple(arbValidYaml, fc.array(arbMutation, { minLength: 1, maxLength: 4 }))
  .map(([text, muts]) => ({ tag: `mutated (${[...new Set(muts.map((m) => m.op))].join(', ')})`, text: muts.reduce(mutate, text) }));

/** Valid manifests with a few byte mutations, as text. */
export const arbMutatedYaml: fc.Arbitrary<string> = arbByteMutated.map((x) => x.text);

// ---------------------------------------------------------------------------------------------
// Alias bombs ("billion laughs"): level i is a collection of `fan` aliases of level i-1.

export interface BombSpec {
  levels: number;
  fan: number;
  base: 'string' | 'map' | 'long-string' | 'configmap';
  shape: 'seq' | 'map';
  placement: 'top' | 'labels' | 'annotations' | 'data' | 'list-items' | 'containers' | 'merge' | 'key';
  style: 'flow' | 'block';
}

export function bombDocument(b: BombSpec): { text: string; refuses: boolean | undefined } {
  const baseValue: YNode =
    b.base === 'string'
      ? scalar('"lol"', 'a0')
      : b.base === 'long-string'
        ? scalar(JSON.stringify('lol'.repeat(300)), 'a0')
        : b.base === 'map'
          ? map(
              [
                ['name', scalar('"c"')],
                ['image', scalar('"nginx"')],
              ],
              'a0',
            )
          : map(
              [
                ['apiVersion', scalar('v1')],
                ['kind', scalar('ConfigMap')],
                ['metadata', map([['name', scalar('"b"')]])],
              ],
              'a0',
            );
  const levels: YNode[] = [baseValue];
  for (let i = 1; i <= b.levels; i++) {
    const prev = levels[i - 1]!;
    const items = Array.from({ length: b.fan }, () => alias(prev));
    levels.push(
      b.shape === 'seq'
        ? seq(items, `a${i}`)
        : map(
            items.map((x, j) => [`k${j}`, x]),
            `a${i}`,
          ),
    );
  }
  const top = levels[levels.length - 1]!;
  const defs = map(levels.map((l, i) => [`a${i}`, l]));
  const name = map([['name', scalar('"bomb"')]]);
  let pairs: [string, YNode][];
  const cm = (extra: [string, YNode][]): [string, YNode][] => [['x-defs', defs], ['apiVersion', scalar('v1')], ['kind', scalar('ConfigMap')], ...extra];
  switch (b.placement) {
    case 'top':
      pairs = cm([['metadata', name]]);
      break;
    case 'labels':
      pairs = cm([
        [
          'metadata',
          map([
            ['name', scalar('"bomb"')],
            ['labels', alias(top)],
          ]),
        ],
      ]);
      break;
    case 'annotations':
      pairs = cm([
        [
          'metadata',
          map([
            ['name', scalar('"bomb"')],
            ['annotations', alias(top)],
          ]),
        ],
      ]);
      break;
    case 'data':
      pairs = cm([
        ['metadata', name],
        ['data', alias(top)],
      ]);
      break;
    case 'key':
      pairs = cm([
        ['metadata', name],
        ['data', map([['k', alias(top)]])],
      ]);
      break;
    case 'list-items':
      pairs = [
        ['x-defs', defs],
        ['apiVersion', scalar('v1')],
        ['kind', scalar('List')],
        ['items', alias(top)],
      ];
      break;
    case 'containers':
      pairs = [
        ['x-defs', defs],
        ['apiVersion', scalar('v1')],
        ['kind', scalar('Pod')],
        ['metadata', name],
        ['spec', map([['containers', alias(top)]])],
      ];
      break;
    case 'merge':
      pairs = cm([
        [
          'metadata',
          map([
            ['<<', alias(top)],
            ['name', scalar('"bomb"')],
          ]),
        ],
      ]);
      break;
  }
  const doc = map(pairs);
  const text = b.style === 'block' ? `${block(doc, 0, 2)}\n` : `${pairs.map(([k, v]) => `${k}: ${flow(v)}`).join('\n')}\n`;
  // Merge keys are not in the model; the size cap keeps the accounting cheap.
  const refuses = b.placement === 'merge' || expandedSize(doc) > 5e7 ? undefined : goYamlRefusesAliasing(doc);
  return { text, refuses };
}

/** Mostly bombs go-yaml still accepts or refuses early; now and then a real billion-laughs. */
const arbBomb: fc.Arbitrary<Omit<YamlInput, 'route'>> = fc
  .record({
    levels: fc.oneof({ withCrossShrink: true }, { weight: 8, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.integer({ min: 6, max: 10 }) }),
    fan: fc.integer({ min: 1, max: 10 }),
    base: fc.constantFrom('string', 'map', 'long-string', 'configmap'),
    shape: fc.constantFrom('seq', 'map'),
    placement: fc.constantFrom('top', 'labels', 'annotations', 'data', 'list-items', 'containers', 'merge', 'key'),
    style: fc.constantFrom('flow', 'block'),
  })
  .map((b: BombSpec) => {
    const { text, refuses } = bombDocument(b);
    return {
      tag: `alias bomb (${b.placement})`,
      text,
      ...(refuses !== undefined ? { goYamlRefuses: refuses } : {}),
    };
  });

// ---------------------------------------------------------------------------------------------
// Deep nesting, huge documents, duplicate keys, odd features, one bad document among good ones.

const arbDepth = fc.oneof(fc.integer({ min: 1, max: 120 }), fc.constantFrom(99, 100, 101, 1000, 5000, 20000));

const arbDeep: fc.Arbitrary<Omit<YamlInput, 'route'>> = fc
  .record({
    depth: arbDepth,
    style: fc.constantFrom('flow-seq', 'flow-map', 'block-map', 'block-seq', 'mixed'),
    placement: fc.constantFrom('top', 'labels', 'data', 'spec', 'list'),
  })
  .map(({ depth, style, placement }) => {
    let nested: string;
    let multiline = false;
    const d = style.startsWith('block') ? Math.min(depth, 400) : depth;
    switch (style) {
      case 'flow-seq':
        nested = `${'['.repeat(d)}1${']'.repeat(d)}`;
        break;
      case 'flow-map':
        nested = `${'{a: '.repeat(d)}1${'}'.repeat(d)}`;
        break;
      case 'mixed':
        nested = `${'[{a: '.repeat(d)}1${'}]'.repeat(d)}`;
        break;
      case 'block-seq':
        nested = `${'- '.repeat(d)}1`;
        multiline = true;
        break;
      default:
        nested = `${Array.from({ length: d }, (_, i) => `${'  '.repeat(i + 1)}a:`).join('\n')} 1`;
        multiline = true;
    }
    const value = (indent: number) => (multiline ? `\n${nested.replace(/^/gm, ' '.repeat(indent + (style === 'block-seq' ? 2 : 0))).replace(/^\s+$/gm, '')}` : ` ${nested}`);
    let text: string;
    switch (placement) {
      case 'top':
        text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\nextra:${value(0)}\n`;
        break;
      case 'labels':
        text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n  labels:${value(2)}\n`;
        break;
      case 'data':
        text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  k:${value(2)}\n`;
        break;
      case 'spec':
        text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec:\n  containers:\n  - name: c\n    image: nginx\n    command:${value(4)}\n`;
        break;
      default:
        text = `apiVersion: v1\nkind: List\nitems:${value(0)}\n`;
    }
    return { tag: `deep nesting (${style}, ${placement})`, text };
  });

const arbHuge: fc.Arbitrary<Omit<YamlInput, 'route'>> = fc.oneof(
  fc.record({ n: fc.constantFrom(10, 100, 1000, 10000), kind: fc.constantFrom('labels', 'annotations', 'data') }).map(({ n, kind }) => {
    const entries = Array.from({ length: n }, (_, i) => `    k${i}: "v${i}"`).join('\n');
    const text =
      kind === 'data'
        ? `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n${entries.replace(/^ {2}/gm, '')}\n`
        : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\n  ${kind}:\n${entries}\n`;
    return { tag: `huge (${n} ${kind})`, text };
  }),
  fc
    .record({
      len: fc.constantFrom(63, 64, 253, 254, 10_000, 250_000, 1_100_000),
      field: fc.constantFrom('name', 'label-value', 'label-key', 'annotation', 'data', 'image', 'namespace'),
    })
    .map(({ len, field }) => {
      const s = 'a'.repeat(len);
      const meta =
        field === 'name'
          ? `  name: ${s}`
          : field === 'namespace'
            ? `  name: long\n  namespace: ${s}`
            : field === 'label-value'
              ? `  name: long\n  labels:\n    k: ${s}`
              : field === 'label-key'
                ? `  name: long\n  labels:\n    ${s}: v`
                : field === 'annotation'
                  ? `  name: long\n  annotations:\n    k: ${s}`
                  : '  name: long';
      const text =
        field === 'image'
          ? `apiVersion: v1\nkind: Pod\nmetadata:\n  name: long\nspec:\n  containers:\n  - name: c\n    image: ${s}\n`
          : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n${meta}\n${field === 'data' ? `data:\n  k: ${s}\n` : ''}`;
      return { tag: `huge (${field} of ${len})`, text };
    }),
  fc.record({ n: fc.constantFrom(10, 100, 400), kind: fc.constantFrom('ConfigMap', 'Namespace', 'Service') }).map(({ n, kind }) => {
    const one = (i: number) =>
      kind === 'Service'
        ? `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  ports:\n  - port: 80\n`
        : `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${kind.toLowerCase()}-${i}\n`;
    return { tag: `huge (${n} documents)`, text: Array.from({ length: n }, (_, i) => one(i)).join('---\n') };
  }),
  fc
    .constantFrom(10_000, 200_000)
    .map((n) => ({ tag: `huge (${n} blank and comment lines)`, text: `${'# c\n\n'.repeat(n / 2)}apiVersion: v1\nkind: Namespace\nmetadata:\n  name: after-blanks\n` })),
);

const arbDuplicateKeys: fc.Arbitrary<Omit<YamlInput, 'route'>> = fc.tuple(arbValidYaml, fc.nat(), fc.nat(), fc.boolean()).map(([text, pick, where, sameValue]) => {
  const lines = text.split('\n');
  const keyLines = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[\w.\-/"']+:( |$)/.test(l));
  if (keyLines.length === 0) return { tag: 'duplicate key', text: `${text}\nkind: Pod\nkind: Service\n` };
  const [line, i] = keyLines[pick % keyLines.length]!;
  const indent = /^\s*/.exec(line)![0];
  const dup = sameValue ? line : `${line.replace(/:.*$/, ':')} duplicated`;
  // The duplicate goes right after the key's block, at the same indentation (same mapping).
  // Right after the key's line, or after its whole block: either way in the same mapping.
  let end = i + 1;
  while (end < lines.length && lines[end]!.startsWith(`${indent} `)) end++;
  lines.splice(where % 2 === 0 ? i + 1 : end, 0, dup);
  return { tag: `duplicate key${sameValue ? ' (same value)' : ''}`, text: lines.join('\n') };
});

const ODD_DOCUMENTS: readonly [string, string][] = [
  ['empty', ''],
  ['only a separator', '---\n'],
  ['only separators', '---\n---\n---\n'],
  ['document end markers', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ends\n...\n---\n...\n'],
  ['a scalar', 'hello\n'],
  ['a number', '42\n'],
  ['null document', '~\n'],
  ['a sequence', '- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n'],
  ['YAML directive', '%YAML 1.2\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: directive\n'],
  ['bad YAML directive', '%YAML 9.9\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: directive\n'],
  ['TAG directive', '%TAG !k! tag:k8s.io,2024:\n---\napiVersion: v1\nkind: !k!Namespace Namespace\nmetadata:\n  name: tagdir\n'],
  ['BOM', '\ufeffapiVersion: v1\nkind: Namespace\nmetadata:\n  name: bom\n'],
  ['CRLF', 'apiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: crlf\r\n'],
  ['CR only', 'apiVersion: v1\rkind: Namespace\rmetadata:\r  name: cr\r'],
  ['tabs', 'apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: tabs\n'],
  ['NUL byte', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\u0000ul\n'],
  ['binary tag', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bin\ndata:\n  k: !!binary aGVsbG8=\n'],
  ['binary tag, bad base64', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bin\ndata:\n  k: !!binary "not base64!"\n'],
  ['set tag', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: set\n  labels: !!set {a, b}\n'],
  ['omap tag', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: omap\ndata: !!omap [a: x, b: y]\n'],
  ['pairs tag', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pairs\ndata: !!pairs [a: x, a: y]\n'],
  ['timestamp tag', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ts\ndata:\n  k: !!timestamp 2001-12-14t21:59:43.10-05:00\n'],
  ['timestamp value', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ts\n  creationTimestamp: 2001-12-14\ndata:\n  k: 2001-12-14\n'],
  ['unknown tag', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unk\ndata:\n  k: !foo bar\n'],
  ['js tag', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: js\ndata:\n  k: !!js/function "function(){}"\n'],
  ['str tag on a map', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata: !!str {a: b}\n'],
  ['int tag on a string', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: !!int abc\n'],
  ['complex key', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ck\ndata:\n  ? [a, b]\n  : c\n'],
  ['map as key', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ck\ndata:\n  {a: b}: c\n'],
  ['null key', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nk\ndata:\n  ~: c\n  null: d\n'],
  ['numeric keys', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nk\n  labels:\n    80: x\n    1.5: y\ndata:\n  0x10: a\n'],
  ['boolean keys', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bk\ndata:\n  on: a\n  yes: b\n  n: c\n'],
  ['anchor on a key', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ak\ndata:\n  &k key: v\n  other: *k\n'],
  ['undefined alias', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: *nothing\n'],
  ['alias of itself', 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: self\n  labels: *m\n'],
  ['merge of a scalar', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: x\n  name: m\n'],
  ['merge of a list of scalars', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: [1, 2]\n  name: m\n'],
  ['merge twice', 'b: &b {name: m}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: *b\n  <<: *b\n'],
  [
    'special floats',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: f\nspec:\n  replicas: .inf\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: nginx}]}}\n',
  ],
  [
    'NaN replicas',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: f\nspec:\n  replicas: .nan\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: nginx}]}}\n',
  ],
  ['octal port', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: o\nspec:\n  ports:\n  - port: 0777\n    targetPort: 0x50\n'],
  ['huge integer', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: o\nspec:\n  ports:\n  - port: 99999999999999999999999\n'],
  ['underscore integer', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: o\nspec:\n  ports:\n  - port: 8_0\n'],
  ['float port', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: o\nspec:\n  ports:\n  - port: 80.0\n'],
  ['List of nothing', 'apiVersion: v1\nkind: List\nitems: []\n'],
  ['List of nulls', 'apiVersion: v1\nkind: List\nitems: [~, ~]\n'],
  ['List of scalars', 'apiVersion: v1\nkind: List\nitems: [1, a, true]\n'],
  ['List of Lists', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Namespace\n    metadata: {name: nested}\n'],
  ['typed list', 'apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: p}\n  spec: {containers: [{name: c, image: nginx}]}\n'],
  ['typed list of a kind with no list', 'apiVersion: v1\nkind: FooList\nitems:\n- metadata: {name: p}\n'],
  ['items not a list', 'apiVersion: v1\nkind: List\nitems: {a: b}\n'],
  ['kind List without items', 'apiVersion: v1\nkind: List\n'],
  ['separator with text', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n--- !!map\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n'],
  ['separator with a comment', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n--- # next\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n'],
  ['separator inside a block scalar', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blk\ndata:\n  k: |\n    line\n---\n    more\n'],
  ['indented separator', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  ---\n'],
  ['block scalar indicators', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blk\ndata:\n  a: |+\n\n  b: >-9\n    x\n  c: |0\n'],
  ['quoted escapes', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: esc\ndata:\n  k: "\\x00\\uD800\\U0010FFFF\\N\\_\\L\\P"\n'],
  ['bad escape', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: esc\ndata:\n  k: "\\q"\n'],
  ['JSON document', '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"json"}}\n'],
  ['JSON with trailing comma', '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"json",},}\n'],
  ['two JSON documents', '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"j1"}}\n{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"j2"}}\n'],
  ['flow mapping over lines', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {\n  name: fl,\n  labels: {a: b,\n}\n}\n'],
  ['unclosed flow', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n'],
  ['unclosed quote', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "x\n'],
  ['key without value', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name:\n'],
  ['metadata null', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n'],
  ['everything null', 'apiVersion:\nkind:\nmetadata:\n'],
  ['proto keys', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: proto\n  labels:\n    __proto__: x\n    constructor: y\ndata:\n  __proto__: {polluted: yes}\n'],
  ['proto at the top', '__proto__: {kind: Pod}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: proto\n'],
];

const arbOddDocument: fc.Arbitrary<Omit<YamlInput, 'route'>> = fc.constantFrom(...ODD_DOCUMENTS).map(([tag, text]) => ({ tag: `odd YAML: ${tag}`, text }));

const arbBadDocument: fc.Arbitrary<string> = fc.oneof(
  arbByteMutated.map((x) => x.text),
  arbInvalidManifest().map((x) => manifestsToYaml([x.manifest])),
  arbOddDocument.map((x) => x.text),
  fc.constantFrom('- a\n- b\n', '{\n', 'kind: StatefulSet\napiVersion: apps/v1\nmetadata: {name: s}\n', 'apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name}\n'),
);

const arbOneBad: fc.Arbitrary<Omit<YamlInput, 'route'>> = fc
  .tuple(
    fc.array(fc.constantFrom(...OTHER_KIND_BASES.slice(0, 8)), { minLength: 1, maxLength: 4 }),
    arbBadDocument,
    fc.nat(),
    fc.constantFrom('---\n', '---\n---\n', '--- # sep\n'),
  )
  .map(([good, bad, at, sep]) => {
    const docs = good.map((o) => manifestsToYaml([o]).replace(/\n*$/, '\n'));
    docs.splice(at % (docs.length + 1), 0, bad.endsWith('\n') ? bad : `${bad}\n`);
    return { tag: 'multi-document, one bad', text: docs.join(sep) };
  });

const arbYamlText: fc.Arbitrary<Omit<YamlInput, 'route'>> = fc.oneof(
  { withCrossShrink: true },
  { weight: 5, arbitrary: arbByteMutated },
  { weight: 2, arbitrary: arbBomb },
  { weight: 2, arbitrary: arbDeep },
  { weight: 1, arbitrary: arbHuge },
  { weight: 2, arbitrary: arbDuplicateKeys },
  { weight: 2, arbitrary: arbOddDocument },
  { weight: 3, arbitrary: arbOneBad },
);

// ---------------------------------------------------------------------------------------------
// The case.

/** A here-document delimiter that no line of the text equals. */
export function heredocDelimiter(text: string): string {
  const lines = new Set(text.split('\n').map((l) => l.trim()));
  let d = 'EOF';
  for (let i = 0; lines.has(d); i++) d = `EOF_${i}`;
  return d;
}

/** Apply text through one route on `base`; returns the cluster after, checks the oracle on the way. */
export function applyText(ctx: CaseContext, base: Cluster, text: string, route: YamlRoute, expectRefusal?: { signature: string; message: RegExp }): Cluster {
  const before = snapshotOf(base);
  if (route === 'library') {
    const r = attempt(ctx, 'Cluster.apply(text)', () => base.apply(text));
    if (!r.ok) {
      expectUnchanged('Cluster.apply refused', before, base, r.error.message);
      if (expectRefusal && !expectRefusal.message.test(r.error.message)) {
        throw expectation(`${expectRefusal.signature}: refused with another error`, `refused with: ${r.error.message.slice(0, 300)}`);
      }
      return base;
    }
    if (expectRefusal) throw expectation(`${expectRefusal.signature}: accepted`, 'Cluster.apply accepted it');
    expectUnchanged('Cluster.apply (the cluster it was called on)', before, base, 'a new cluster was returned');
    expectInvariants('after Cluster.apply(text)', r.value);
    return r.value;
  }
  if (route === 'kubectl') {
    const r = attemptExec(ctx, 'kubectl apply -f - (Cluster.exec)', () => base.exec('kubectl apply -f -', { stdin: text }));
    if (!r.ok) return base;
    const res = r.value;
    if (res.exitCode !== 0 && res.stdout === '') expectUnchanged('kubectl apply -f - refused', before, res.cluster, res.stderr);
    if (expectRefusal && res.stdout !== '') throw expectation(`${expectRefusal.signature}: kubectl applied it`, res.stdout.slice(0, 300));
    if (res.cluster !== base) expectInvariants('after kubectl apply -f -', res.cluster);
    return res.cluster;
  }
  const delim = heredocDelimiter(text);
  const script = `kubectl apply -f - <<${delim}\n${text.replace(/\n$/, '')}\n${delim}\nkubectl get all -A -o wide\n`;
  const r = attempt(ctx, 'Cluster.run(script)', () => base.run(script));
  if (!r.ok) return base;
  expectNoInternalError('script', base, script, r.value);
  expectInvariants('after the script', r.value.cluster);
  return r.value.cluster;
}

export const yamlCategory: Category<YamlInput> = {
  name: 'yaml',
  summary: 'manifest text: byte mutations, alias bombs, deep nesting, huge documents, duplicate keys, one bad document (apply, kubectl apply -f -, script)',
  label: (input) => `${input.tag} via ${input.route}`,
  arbitrary: () =>
    fc
      .tuple(arbYamlText, fc.constantFrom<YamlRoute>('library', 'library', 'kubectl', 'script'))
      .map(([x, route]) => ({ ...x, route }))
      .filter((x) => x.text.length < 2_000_000),
  warm: () => void defaultLab(),
  run: (input, ctx) => {
    const expect = input.goYamlRefuses ? { signature: 'alias bomb go-yaml refuses (excessive aliasing)', message: /excessive aliasing/ } : undefined;
    applyText(ctx, defaultLab(), input.text, input.route, expect);
  },
  show: (input) => {
    const how =
      input.route === 'library'
        ? 'Cluster.create().apply(text)'
        : input.route === 'kubectl'
          ? "Cluster.create().exec('kubectl apply -f -', { stdin: text })"
          : 'Cluster.create().run(`kubectl apply -f - <<EOF … EOF`)';
    return `${input.tag} via ${how}${input.goYamlRefuses ? ' (go-yaml refuses it: excessive aliasing)' : ''}\ntext (${input.text.length} characters):\n${showText(input.text)}`;
  },
};

/** Text for a report: long runs of one character folded, control characters escaped, clipped. */
export function showText(text: string, maxLines = 40): string {
  const folded = text.replace(/(.)\1{39,}/gs, (run, c: string) => `⟪${JSON.stringify(c).slice(1, -1)}×${run.length}⟫`);
  const lines = folded.split('\n');
  const shown = lines.slice(0, maxLines).map((l) => `  | ${printable(l) !== l || /[\u2028\u2029\ufeff]/.test(l) ? JSON.stringify(l).slice(1, -1) : l}`);
  if (lines.length > maxLines) shown.push(`  | … (${lines.length - maxLines} more lines)`);
  return clip(shown.join('\n'), 4000);
}
