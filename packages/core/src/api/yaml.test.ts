import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ApiError, kubectlErrorLine } from './errors.js';
import { allowedAliasRatio, depthExceededAt, MAX_DEPTH, parseManifests } from './yaml.js';

function parseError(text: string, source = 'bad.yaml'): ApiError {
  try {
    parseManifests(text, source);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected a parse error');
}

describe('parseManifests', () => {
  test('multi-document files, empty documents skipped', () => {
    const docs = parseManifests('---\napiVersion: v1\nkind: Pod\n---\n# only a comment\n---\n\n---\napiVersion: v1\nkind: Service\n...\n');
    expect(docs).toEqual([
      { apiVersion: 'v1', kind: 'Pod' },
      { apiVersion: 'v1', kind: 'Service' },
    ]);
  });

  test('separators may carry a comment', () => {
    expect(parseManifests('a: 1\n--- # next\nb: 2\n')).toEqual([{ a: 1 }, { b: 2 }]);
  });

  test('kind: List is flattened, typed lists fill in kind and apiVersion', () => {
    const docs = parseManifests(`apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: a}
- apiVersion: v1
  kind: List
  items:
  - {apiVersion: v1, kind: Pod, metadata: {name: b}}
---
apiVersion: v1
kind: PodList
items:
- metadata: {name: c}
`);
    expect(docs).toEqual([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c' } },
    ]);
  });

  test('YAML 1.1 scalars as go-yaml v2 reads them', () => {
    expect(parseManifests('a: yes\nb: "yes"\nc: off\nd: true\ne: 0755\nf: 0x1F\ng: 1_000\nh: 2020-01-01\non: 1\ni: "3600"\n')).toEqual([
      { a: true, b: 'yes', c: false, d: true, e: 493, f: 31, g: 1000, h: '2020-01-01', true: 1, i: '3600' },
    ]);
  });

  test('merge keys', () => {
    expect(parseManifests('base: &b {x: 1}\nd:\n  <<: *b\n  z: 2\n')).toEqual([{ base: { x: 1 }, d: { x: 1, z: 2 } }]);
  });

  test('the seed Service and Ingress manifests parse', () => {
    const docs = parseManifests(`apiVersion: v1
kind: Service
metadata:
  name: nginx-nodeport
spec:
  type: NodePort
  ports:
  - protocol: TCP
    port: 80
    targetPort: 80
    nodePort: 30080
  selector:
    app: nginx
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: service-ingress
spec:
  rules:
  - host: kubeserve.example.com
    http:
      paths:
      - backend:
          serviceName: kubeserve2
          servicePort: 80
  - http:
      paths:
      - backend:
          serviceName: httpd
          servicePort: 80
`);
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatchObject({ kind: 'Service', spec: { type: 'NodePort', ports: [{ nodePort: 30080, port: 80 }] } });
    expect(docs[1]).toMatchObject({ kind: 'Ingress', spec: { rules: [{ host: 'kubeserve.example.com' }, {}] } });
  });
});

describe('YAML syntax errors read like kubectl', () => {
  test('mis-indented key', () => {
    const e = parseError('apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   labels: y\n', 'pod.yaml');
    expect(e.origin).toBe('yaml');
    expect(e.message).toBe('error parsing pod.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context');
    expect(kubectlErrorLine(e)).toBe('error: error parsing pod.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context');
  });
  test('go-yaml omits the line number on the first line', () => {
    expect(parseError('a: b: c\n').message).toBe('error parsing bad.yaml: error converting YAML to JSON: yaml: mapping values are not allowed in this context');
  });
  test('tabs', () => {
    expect(parseError('spec:\n\tname: x\n').message).toBe('error parsing bad.yaml: error converting YAML to JSON: yaml: line 2: found character that cannot start any token');
  });
  test('line numbers restart in each document', () => {
    expect(parseError('a: 1\n---\nb: 2\nc:\n  d: 1\n   e: 2\n').message).toBe(
      'error parsing bad.yaml: error converting YAML to JSON: yaml: line 4: mapping values are not allowed in this context',
    );
  });
  test('duplicate keys', () => {
    expect(parseError('metadata:\n  name: a\n  name: b\n').message).toBe(
      'error parsing bad.yaml: error converting YAML to JSON: yaml: unmarshal errors:\n  line 3: key "name" already set in map',
    );
  });
  test('unterminated quote', () => {
    expect(parseError('a: "abc\nb: c\n').message).toBe('error parsing bad.yaml: error converting YAML to JSON: yaml: line 3: found unexpected end of stream');
  });
  test('a bad document separator', () => {
    expect(parseError('a: 1\n---b: 2\n').message).toBe('error parsing bad.yaml: invalid Yaml document separator: b: 2');
  });
  test('default source is STDIN', () => {
    try {
      parseManifests('a: b: c');
    } catch (e) {
      expect((e as ApiError).message).toMatch(/^error parsing STDIN: /);
    }
  });
});

describe('robustness', () => {
  test('any text either parses or fails with an ApiError', () => {
    const piece = fc.constantFrom('a', ':', ' ', '\n', '-', '"', "'", '{', '}', '[', ']', '---', '\t', '#', '&x', '*x', '!!str', '|', '>', 'yes', '<<', '0x1', 'List');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 120 }),
          fc.array(piece, { maxLength: 40 }).map((p) => p.join('')),
        ),
        (text) => {
          try {
            parseManifests(text);
          } catch (e) {
            if (!(e instanceof ApiError)) throw e;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("go-yaml's limits (decode.go allowedAliasRatio, scannerc.go max_flow_level / max_indents)", () => {
  /** a0 is a list of `fanout` scalars; each next level lists `fanout` aliases of the one before. */
  const laughs = (levels: number, fanout: number, last = fanout): string => {
    let text = `a0: &a0 [${Array(fanout).fill('"lol"').join(', ')}]\n`;
    for (let l = 1; l <= levels; l++)
      text += `a${l}: &a${l} [${Array(l === levels ? last : fanout)
        .fill(`*a${l - 1}`)
        .join(', ')}]\n`;
    return text;
  };

  test('a billion laughs is refused at once, in kubectl words', () => {
    const e = parseError(laughs(9, 9), 'x.yaml');
    expect(kubectlErrorLine(e)).toBe('error: error parsing x.yaml: error converting YAML to JSON: yaml: document contains excessive aliasing');
  });

  test('allowedAliasRatio: 99% up to 400,000 decodes, 10% from 4,000,000, linear between', () => {
    expect(allowedAliasRatio(1001)).toBe(0.99);
    expect(allowedAliasRatio(400_000)).toBe(0.99);
    expect(allowedAliasRatio(2_200_000)).toBeCloseTo(0.545, 12);
    expect(allowedAliasRatio(4_000_000)).toBe(0.1);
  });

  test('the ratio is checked as each node is entered (counts worked by hand from decode.go)', () => {
    // Document 1, mapping 2, a0: key, list, 10 scalars (14); a1: key, list, 10 × (alias node +
    // list + 10 scalars) → 136 decoded, 110 aliased; a2 → 1358 decoded, 1320 aliased (97.2%).
    expect(parseManifests(laughs(2, 10))).toHaveLength(1);
    // a3 with two aliases of a2: 3804 decoded, 3762 aliased (98.9%): accepted.
    expect(parseManifests(laughs(3, 10, 2))).toHaveLength(1);
    // A third: past 99% (4983 / 5026 at its end) while it is decoded.
    expect(parseError(laughs(3, 10, 3)).message).toBe('error parsing bad.yaml: error converting YAML to JSON: yaml: document contains excessive aliasing');
  });

  test('an alias of an anchored scalar counts as an alias node plus an aliased scalar', () => {
    // a0..a4 decode ~910 nodes, ~880 through aliases (96.7%); a5's four *a4 add ~2,700 aliased
    // nodes, passing 99% after ~2,090 of them. Counting *a0 as a plain copy (what js-yaml hands
    // back) would stay under the ratio.
    const levels = [1, 2, 3, 4, 5].map((n) => `a${n}: &a${n} [*a${n - 1}, *a${n - 1}, *a${n - 1}, *a${n - 1}]`).join(', ');
    const text = `x-defs: {a0: &a0 "lol", ${levels}}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n`;
    expect(parseError(text).message).toBe('error parsing bad.yaml: error converting YAML to JSON: yaml: document contains excessive aliasing');
    // Scalar aliases still load as their values.
    expect(parseManifests('a: &x 5\nb: [*x, *x]\n')).toEqual([{ a: 5, b: [5, 5] }]);
  });

  test("go-yaml's own limit tests, with its expected results", () => {
    const maps = (kb: number) => `a: &a [{a}${',{a}'.repeat((kb * 1024) / 4 - 1)}]`;
    for (const kb of [1, 10, 100, 1000]) expect(parseManifests(maps(kb))).toHaveLength(1);
    const aliases = `{a: &a [{a}${',{a}'.repeat((1000 * 1024) / 4 - 100)}], b: &b [*a${',*a'.repeat(99)}]}`;
    expect(parseError(aliases).message).toMatch(/yaml: document contains excessive aliasing$/);
    const depth = 'error parsing bad.yaml: error converting YAML to JSON: yaml: exceeded max depth of 10000';
    expect(parseError('['.repeat(1000 * 1024)).message).toBe(depth);
    expect(parseError(`x: ${'{'.repeat(1000 * 1024)}`).message).toBe(depth);
    expect(parseError('- '.repeat(1000 * 1024)).message).toBe(depth);
  });

  test('an alias inside its own anchor', () => {
    expect(parseError('a: &x {b: *x}\n').message).toBe("error parsing bad.yaml: error converting YAML to JSON: yaml: anchor 'x' value contains itself");
    expect(parseError('a: &loop\n  b:\n    c: *loop\n').message).toMatch(/yaml: anchor 'loop' value contains itself$/);
  });

  test('10,000 levels are allowed, the 10,001st is not; the line is the scanner’s (from 1, none on the first)', () => {
    expect(depthExceededAt(`${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}`)).toBeUndefined();
    expect(depthExceededAt(`${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}`)).toBe(0);
    expect(depthExceededAt(`${'- '.repeat(MAX_DEPTH)}x`)).toBeUndefined();
    expect(depthExceededAt(`${'- '.repeat(MAX_DEPTH + 1)}x`)).toBe(0);
    const block = (n: number) => `a: 1\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} x\n`;
    expect(depthExceededAt(block(MAX_DEPTH))).toBeUndefined();
    expect(depthExceededAt(block(MAX_DEPTH + 1))).toBe(MAX_DEPTH + 1);
    expect(parseError(`a: 1\nb: ${'['.repeat(MAX_DEPTH + 1)}\n`).message).toBe('error parsing bad.yaml: error converting YAML to JSON: yaml: line 2: exceeded max depth of 10000');
    // Brackets inside scalars and comments are no nesting.
    const scalars = `a: "${'['.repeat(MAX_DEPTH + 1)}"\nb: '${'{'.repeat(MAX_DEPTH + 1)}'\nc: x${'['.repeat(MAX_DEPTH + 1)}\n# ${'['.repeat(MAX_DEPTH + 1)}\nd: |\n  ${'['.repeat(MAX_DEPTH + 1)}\n`;
    expect(depthExceededAt(scalars)).toBeUndefined();
    expect(parseManifests(scalars)).toHaveLength(1);
  });

  test('nesting past js-yaml’s own default (100) is read as go-yaml reads it', () => {
    expect(parseManifests(`a: ${'['.repeat(150)}1${']'.repeat(150)}`)).toHaveLength(1);
  });

  test('nesting go-yaml takes but the simulator’s parser cannot follow is said so, not a crash', () => {
    const e = parseError(`a: ${'['.repeat(8000)}${']'.repeat(8000)}`, 'deep.yaml');
    expect(e.message).toBe("error parsing deep.yaml: netsim: the document nests deeper than the simulator's YAML parser can follow (kubectl accepts up to 10000 levels)");
  });
});
