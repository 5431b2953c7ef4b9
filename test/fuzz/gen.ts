// Building blocks of the fuzz inputs: odd strings and numbers, garbage JSON-ish values, and
// valid objects of every kind the simulator stores (the bases that mutations start from).

import fc from 'fast-check';
import { arbManifests, type KubeObject } from '@k8s-netsim/testing';

/** Strings that break parsers: empty, blanks, shell and YAML metacharacters, huge, control and non-ASCII characters. */
export const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '-',
  '--',
  '---',
  '=',
  ':',
  '/',
  '//',
  '.',
  '..',
  '*',
  '~',
  '%',
  '#',
  '\t',
  '\\',
  "'",
  '"',
  '`',
  '$(',
  ')',
  '$()',
  '|',
  '||',
  '<<',
  '<<EOF',
  '&&',
  ';',
  '{}',
  '[]',
  '{{',
  '{{.}}',
  '%s%d',
  'null',
  'undefined',
  'NaN',
  'true',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '\u0000',
  '\u007f',
  '\u00e9',
  '\u200b',
  '\ud83d\udca5',
  '\ud800',
  'x'.repeat(64),
  'a'.repeat(254),
  'z'.repeat(5000),
  '-1',
  '0',
  '00',
  '1e309',
  '-0',
  '0x1F',
  '1.5',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '65536',
  '10.96.0.10',
  '10.96.0.10:53',
  '0.0.0.0',
  '255.255.255.255',
  '999.1.1.1',
  '10.244.0.0/16',
  '::1',
  'kube-system/coredns',
  'default/',
  '/x',
  'node01',
  'controlplane',
  'external',
  'external:',
];

export const arbOddString: fc.Arbitrary<string> = fc.oneof(
  { withCrossShrink: true },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);

/** Numbers at and beyond every edge (integers, floats, non-finite, negative zero). */
export const ODD_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  1,
  1.5,
  0.1,
  -2.5,
  65535,
  65536,
  70000,
  30000,
  29999,
  32767,
  32768,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  1e21,
  1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

export const arbOddNumber: fc.Arbitrary<number> = fc.oneof(
  { withCrossShrink: true },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_NUMBERS) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
);

/** Any value a decoded document (or a careless caller) may put in a field. */
export const arbGarbage: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: arbOddString },
    { weight: 4, arbitrary: arbOddNumber },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, undefined, true, false) },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'name', 'port', 'kind', '__proto__', ''), tie('value'), { maxKeys: 3 }) },
  ),
})).value;

const meta = (name: string, namespace?: string) => (namespace ? { name, namespace } : { name });
const podTemplate = (app: string) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: app, image: 'nginx', ports: [{ containerPort: 80, name: 'http' }] }] },
});

/** One valid object of every kind `validateManifest` accepts, in the default namespace. */
export const OTHER_KIND_BASES: readonly KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: meta('fuzz') },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cfg', 'default'), data: { key: 'value', 'app.conf': 'a=1\n' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('robot', 'default') },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: meta('reader'),
    rules: [{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta('reader'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: 'default' }],
  },
  {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta('manual', 'default'),
    subsets: [{ addresses: [{ ip: '192.168.56.50' }], ports: [{ port: 8080, name: 'http', protocol: 'TCP' }] }],
  },
  {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'manual-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'manual' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['192.168.56.51'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: meta('other'),
    spec: { controller: 'example.com/ingress-controller' },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta('rs', 'default'),
    spec: { replicas: 2, selector: { matchLabels: { app: 'rs' } }, template: podTemplate('rs') },
  },
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node09', labels: { 'kubernetes.io/hostname': 'node09' } },
    spec: { podCIDR: '10.244.9.0/24' },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('manual', 'default'),
    spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  },
];

/** Rewrite a generated object into the default namespace (arbManifests spreads objects over its own). */
export function inDefaultNamespace(o: KubeObject): KubeObject {
  const copy = structuredClone(o) as KubeObject & { metadata: { namespace?: string } };
  if (copy.kind !== 'Namespace' && copy.metadata.namespace !== undefined) copy.metadata.namespace = 'default';
  return copy;
}

/** One valid object (a small generated workload, Service or Ingress, or a base of another kind). */
export const arbValidObject: fc.Arbitrary<KubeObject> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(arbManifests({ maxWorkloads: 2, maxServices: 2, maxReplicas: 2, namespaces: ['default'] }), fc.nat())
      .filter(([m]) => m.some((o) => o.kind !== 'Namespace'))
      .map(([m, i]) => {
        const objects = m.filter((o) => o.kind !== 'Namespace');
        return inDefaultNamespace(objects[i % objects.length]!);
      }),
  },
  { weight: 1, arbitrary: fc.constantFrom(...OTHER_KIND_BASES).map((o) => structuredClone(o)) },
);

/** Every path into a plain object (`spec.ports.0.port`), leaves and inner nodes. */
export function pathsOf(o: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof o !== 'object' || o === null) return out;
  const entries: [string | number, unknown][] = Array.isArray(o) ? o.map((v, i) => [i, v]) : Object.entries(o);
  for (const [k, v] of entries) {
    const p = [...prefix, k];
    out.push(p);
    pathsOf(v, p, out);
  }
  return out;
}

/** Set (or, with `undefined` and `remove`, delete) the value at a path of a plain object. */
export function setPath(o: unknown, path: readonly (string | number)[], value: unknown, remove = false): void {
  let cur = o as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) {
    const next = cur[k];
    if (typeof next !== 'object' || next === null) return;
    cur = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(cur) && typeof last === 'number') cur.splice(last, 1);
    else delete cur[last];
  } else {
    Object.defineProperty(cur, last, { value, enumerable: true, writable: true, configurable: true });
  }
}

/** Show a value as JavaScript-ish text: like JSON, but NaN, Infinity, -0 and undefined stay visible. */
export function showValue(v: unknown, indent = 0): string {
  const pad = '  '.repeat(indent);
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inner = v.map((x) => showValue(x, indent + 1));
    const flat = `[${inner.join(', ')}]`;
    return flat.length < 100 && !flat.includes('\n') ? flat : `[\n${inner.map((x) => `${pad}  ${x}`).join(',\n')}\n${pad}]`;
  }
  const entries = Object.entries(v).map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${showValue(x, indent + 1)}`);
  if (entries.length === 0) return '{}';
  const flat = `{ ${entries.join(', ')} }`;
  return flat.length < 100 && !flat.includes('\n') ? flat : `{\n${entries.map((x) => `${pad}  ${x}`).join(',\n')}\n${pad}}`;
}

/** A value as one line of YAML flow style: like JSON, but NaN, ±Infinity and -0 kept (`.nan`, `.inf`), undefined left out. */
export function toYamlFlow(v: unknown): string {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (v === Number.POSITIVE_INFINITY) return '.inf';
    if (v === Number.NEGATIVE_INFINITY) return '-.inf';
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : toYamlFlow(x))).join(', ')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}: ${toYamlFlow(x)}`).join(', ')}}`;
  }
  if (v === undefined) return 'null';
  return JSON.stringify(v);
}
