import { describe, expect, it } from 'vitest';
import { toKubectlJson, toKubectlYaml, yamlKeyLess } from './goyaml.js';

const y = (v: unknown): string => toKubectlYaml(v);

describe('toKubectlYaml (sigs.k8s.io/yaml, i.e. yaml.v2 emitter)', () => {
  it('sorts keys and does not indent sequences under their key', () => {
    const out = y({ spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] }, kind: 'Pod', apiVersion: 'v1' });
    expect(out).toBe(['apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  - image: nginx', '    name: nginx', '    ports:', '    - containerPort: 80', ''].join('\n'));
  });

  it('double-quotes strings that would read back as something else', () => {
    expect(
      y({
        a: '1234',
        b: 'true',
        c: 'yes',
        d: 'null',
        e: '',
        f: '2024-01-01T00:00:00Z',
        g: '2024-01-01',
        h: '0x1F',
        i: '1e3',
        j: '1:20',
        k: '.5',
        l: '~',
        m: 'Off',
      }),
    ).toBe(
      [
        'a: "1234"',
        'b: "true"',
        'c: "yes"',
        'd: "null"',
        'e: ""',
        'f: "2024-01-01T00:00:00Z"',
        'g: "2024-01-01"',
        'h: "0x1F"',
        'i: "1e3"',
        'j: "1:20"',
        'k: ".5"',
        'l: "~"',
        'm: "Off"',
        '',
      ].join('\n'),
    );
  });

  it('leaves ordinary strings plain', () => {
    expect(y({ a: 'nginx:1.14.2', b: '10.244.1.2', c: '<none>', d: 'v1.29.0', e: 'a-b', f: '2024-13-45', g: 'unix:///run/x.sock' })).toBe(
      'a: nginx:1.14.2\nb: 10.244.1.2\nc: <none>\nd: v1.29.0\ne: a-b\nf: 2024-13-45\ng: unix:///run/x.sock\n',
    );
  });

  it('single-quotes strings a plain scalar cannot carry', () => {
    expect(y({ a: '*', b: 'key: value', c: '- item', d: "it's #1", e: ' lead', f: 'x #y', g: '@at' })).toBe(
      "a: '*'\nb: 'key: value'\nc: '- item'\nd: 'it''s #1'\ne: ' lead'\nf: 'x #y'\ng: '@at'\n",
    );
    expect(y({ a: "'quoted'" })).toBe("a: '''quoted'''\n");
  });

  it('double-quotes and escapes control characters', () => {
    expect(y({ a: 'tab\there', b: 'bell\x07' })).toBe('a: "tab\\there"\nb: "bell\\a"\n');
  });

  it('writes multi-line text as a literal block with the right chomping', () => {
    expect(y({ a: 'line1\nline2', b: 'line1\n', c: 'x\n\n' })).toBe('a: |-\n  line1\n  line2\nb: |\n  line1\nc: |+\n  x\n\n');
    expect(y({ a: [{ b: 'p\n\nq\n' }] })).toBe('a:\n- b: |\n    p\n\n    q\n');
  });

  it('folds long plain strings at the first space past column 80', () => {
    const long = 'a very long string that might have to be broken into multiple lines in order to fit nicely in the output pane';
    expect(y({ foo: long })).toBe('foo: a very long string that might have to be broken into multiple lines in order\n  to fit nicely in the output pane\n');
  });

  it('folds long single-quoted strings (sigs.k8s.io/yaml issue #116)', () => {
    const v = `${'1234567890'.repeat(6)}1234${'1234567890'.repeat(6)}1234: .s`;
    expect(y({ a: v })).toBe(`a: '${v.slice(0, -3)}\n  .s'\n`);
  });

  it('writes empty collections in flow style and scalars of other types plainly', () => {
    expect(y({ a: {}, b: [], c: null, d: false, e: 3, f: 0.5, g: [[1, 2], []] })).toBe('a: {}\nb: []\nc: null\nd: false\ne: 3\nf: 0.5\ng:\n- - 1\n  - 2\n- []\n');
  });

  it("formats floats like strconv.FormatFloat(f, 'g', -1, 64)", () => {
    expect(y({ a: 1234567.5, b: 0.00001, c: 123456.5 })).toBe('a: 1.2345675e+06\nb: 1e-05\nc: 123456.5\n');
  });

  it('drops undefined fields, as JSON encoding does', () => {
    expect(y({ a: 1, b: undefined })).toBe('a: 1\n');
  });
});

describe('yamlKeyLess (yaml.v2 key order)', () => {
  it('orders digits numerically and non-letters before letters', () => {
    const keys = ['a10', 'a9', 'b', 'a_b', 'aB', 'ab', 'A'];
    expect([...keys].sort((p, q) => (yamlKeyLess(p, q) ? -1 : yamlKeyLess(q, p) ? 1 : 0))).toEqual(['A', 'a_b', 'a9', 'a10', 'aB', 'ab', 'b']);
  });
});

describe('toKubectlJson (json.MarshalIndent)', () => {
  it('sorts keys, indents by four spaces and escapes <, > and &', () => {
    expect(toKubectlJson({ b: '<none> & more', a: [1, {}], c: [] })).toBe(
      '{\n    "a": [\n        1,\n        {}\n    ],\n    "b": "\\u003cnone\\u003e \\u0026 more",\n    "c": []\n}\n',
    );
  });
});
