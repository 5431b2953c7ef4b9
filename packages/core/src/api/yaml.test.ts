import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ApiError, kubectlErrorLine } from './errors.js';
import { parseManifests } from './yaml.js';

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
