// Category `manifests`: objects the API server should refuse or that sit at the edge of what it
// accepts — arbInvalidManifest, random field and type mutations of valid objects of every kind,
// wrong kinds and apiVersions, out-of-range numbers and addresses — applied as objects
// (Cluster.apply) or as YAML (kubectl apply -f -). An accepted object must leave a sound cluster
// that kubectl can still show.

import fc from 'fast-check';
import { arbInvalidManifest, type KubeObject } from '@k8s-netsim/testing';
import type { Cluster } from '@k8s-netsim/core';
import { arbGarbage, arbOddNumber, arbOddString, arbValidObject, pathsOf, setPath, showValue, toYamlFlow } from './gen.js';
import { attempt, attemptExec, clip, defaultLab, expectation, expectInvariants, expectUnchanged, guard, snapshotOf, fold, type CaseContext, type Category } from './harness.js';

export interface ManifestInput {
  tag: string;
  /** The documents applied together (usually one). */
  docs: unknown[];
  route: 'object' | 'kubectl';
  /** arbInvalidManifest: the API server refuses it, naming this field. */
  refusedField?: string;
}

type Path = (string | number)[];

/** Field mutations of a valid object: a value replaced by garbage, removed, retyped, or an extra field. */
const arbFieldMutation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), pick: fc.nat(), value: arbGarbage }),
  fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('wrap' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('stringify' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('extra' as const), pick: fc.nat(), key: fc.constantFrom('x', 'status', 'metadata', '__proto__', 'kind', 'spec', 'items'), value: arbGarbage }),
);

type FieldMutation = typeof arbFieldMutation extends fc.Arbitrary<infer T> ? T : never;

function applyFieldMutation(o: KubeObject, m: FieldMutation): string {
  const paths = pathsOf(o);
  if (paths.length === 0) return 'nothing';
  const path = paths[m.pick % paths.length]!;
  const at = path.join('.');
  const get = () => path.reduce<unknown>((acc, k) => (acc as Record<string | number, unknown>)?.[k], o);
  switch (m.op) {
    case 'set':
      setPath(o, path, m.value);
      return `${at} = ${showValue(m.value)}`;
    case 'remove':
      setPath(o, path, undefined, true);
      return `${at} removed`;
    case 'wrap':
      setPath(o, path, [get()]);
      return `${at} wrapped in a list`;
    case 'stringify': {
      const v = get();
      setPath(o, path, typeof v === 'object' ? JSON.stringify(v) : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : String(v));
      return `${at} retyped`;
    }
    case 'extra': {
      const parent = path.slice(0, -1);
      const target = parent.length ? parent.reduce<unknown>((acc, k) => (acc as Record<string | number, unknown>)?.[k], o) : o;
      if (typeof target === 'object' && target !== null) setPath(target, [m.key], m.value);
      return `${[...parent, m.key].join('.')} added = ${showValue(m.value)}`;
    }
  }
}

const arbMutatedObject: fc.Arbitrary<Omit<ManifestInput, 'route'>> = fc.tuple(arbValidObject, fc.array(arbFieldMutation, { minLength: 1, maxLength: 3 })).map(([o, muts]) => {
  const copy = structuredClone(o);
  const what = muts.map((m) => applyFieldMutation(copy, m));
  return { tag: `field mutation of a ${o.kind}: ${what.join('; ')}`, docs: [copy] };
});

const REAL_KINDS = ['StatefulSet', 'Job', 'CronJob', 'Secret', 'PersistentVolumeClaim', 'NetworkPolicy', 'Role', 'RoleBinding', 'ReplicationController', 'Event', 'LimitRange'];
const API_VERSIONS = [
  'v1',
  'apps/v1',
  'v2',
  'apps/v1beta1',
  'extensions/v1beta1',
  'networking.k8s.io/v1beta1',
  'batch/v1',
  'discovery.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1beta1',
  'apps',
  '/v1',
  'v1/',
  'apps//v1',
  '',
];

const arbWrongKind: fc.Arbitrary<Omit<ManifestInput, 'route'>> = fc
  .tuple(
    arbValidObject,
    fc.oneof(fc.constantFrom(...REAL_KINDS), fc.constantFrom('pod', 'POD', 'Pods', 'deployment', 'List', 'PodList', 'Status', 'kind', ''), arbGarbage),
    fc.oneof(fc.constantFrom(...API_VERSIONS), arbGarbage, fc.constant(undefined)),
    fc.constantFrom('kind', 'apiVersion', 'both'),
  )
  .map(([o, kind, apiVersion, which]) => {
    const copy = structuredClone(o) as Record<string, unknown>;
    if (which !== 'apiVersion') copy.kind = kind;
    if (which !== 'kind') copy.apiVersion = apiVersion;
    return { tag: `wrong ${which} on a ${o.kind}: kind ${showValue(copy.kind)}, apiVersion ${showValue(copy.apiVersion)}`, docs: [copy] };
  });

/** Numeric and address fields at and beyond their ranges. */
const RANGE_TARGETS: { kind: string; field: Path | ((o: KubeObject) => Path | undefined); values: fc.Arbitrary<unknown> }[] = [
  { kind: 'Deployment', field: ['spec', 'replicas'], values: arbOddNumber },
  { kind: 'Deployment', field: ['spec', 'revisionHistoryLimit'], values: arbOddNumber },
  { kind: 'Deployment', field: ['spec', 'minReadySeconds'], values: arbOddNumber },
  { kind: 'Deployment', field: ['spec', 'progressDeadlineSeconds'], values: arbOddNumber },
  { kind: 'Deployment', field: ['spec', 'template', 'spec', 'terminationGracePeriodSeconds'], values: arbOddNumber },
  { kind: 'Deployment', field: ['spec', 'template', 'spec', 'containers', 0, 'ports'], values: arbOddNumber.map((n) => [{ containerPort: n }]) },
  { kind: 'Pod', field: ['spec', 'containers', 0, 'ports'], values: arbOddNumber.map((n) => [{ containerPort: 80, hostPort: n }]) },
  { kind: 'Pod', field: ['spec', 'activeDeadlineSeconds'], values: arbOddNumber },
  { kind: 'Pod', field: ['spec', 'priority'], values: arbOddNumber },
  { kind: 'Pod', field: ['spec', 'nodeName'], values: fc.constantFrom('node01', 'node99', 'Node01', '', 'a'.repeat(300)) },
  { kind: 'Pod', field: ['spec', 'hostNetwork'], values: fc.constantFrom(true, 'true', 1) },
  {
    kind: 'Pod',
    field: ['spec', 'dnsConfig'],
    values: fc.constantFrom({ nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9', '4.4.4.4'] }, { searches: Array(40).fill('a.b') }, { options: [{ name: '' }] }),
  },
  { kind: 'Service', field: ['spec', 'ports', 0, 'port'], values: arbOddNumber },
  { kind: 'Service', field: ['spec', 'ports', 0, 'targetPort'], values: fc.oneof(arbOddNumber, arbOddString) },
  { kind: 'Service', field: ['spec', 'ports', 0, 'nodePort'], values: arbOddNumber },
  { kind: 'Service', field: ['spec', 'healthCheckNodePort'], values: arbOddNumber },
  {
    kind: 'Service',
    field: ['spec', 'clusterIP'],
    values: fc.constantFrom('10.96.0.0', '10.111.255.255', '10.112.0.1', '10.96.0.1', '10.96.0.10', 'None', '', '1.2.3.4', '10.96.0.010', '::1', '10.96.0.300'),
  },
  { kind: 'Service', field: ['spec', 'clusterIPs'], values: fc.constantFrom(['10.96.5.5', '10.96.5.6'], [], ['None'], ['10.96.5.5', '::1'], 'x') },
  {
    kind: 'Service',
    field: ['spec', 'loadBalancerIP'],
    values: fc.constantFrom('192.168.56.240', '192.168.56.245', '192.168.56.251', '10.0.0.1', '', 'x', '192.168.56.240/32'),
  },
  { kind: 'Service', field: ['spec', 'externalIPs'], values: fc.constantFrom(['0.0.0.0'], ['192.168.56.11'], ['10.96.0.1'], ['x'], ['1.2.3.4', '1.2.3.4'], [''], ['224.0.0.1']) },
  { kind: 'Service', field: ['spec', 'loadBalancerSourceRanges'], values: fc.constantFrom(['0.0.0.0/0'], ['10.0.0.0/33'], ['x'], ['10.0.0.1/8'], []) },
  { kind: 'Service', field: ['spec', 'sessionAffinityConfig'], values: arbOddNumber.map((n) => ({ clientIP: { timeoutSeconds: n } })) },
  { kind: 'Service', field: ['spec', 'ipFamilies'], values: fc.constantFrom(['IPv6'], ['IPv4', 'IPv6'], ['IPv4', 'IPv4'], ['x']) },
  { kind: 'Service', field: ['spec', 'ipFamilyPolicy'], values: fc.constantFrom('RequireDualStack', 'PreferDualStack', 'SingleStack', 'x') },
  { kind: 'Service', field: ['spec', 'type'], values: fc.constantFrom('NodePort', 'LoadBalancer', 'ExternalName', 'ClusterIP', 'nodeport', '') },
  { kind: 'Service', field: ['spec', 'externalName'], values: fc.constantFrom('example.com', '', 'a'.repeat(300), '10.0.0.1', 'Bad_Name.com', '.') },
  { kind: 'Service', field: ['spec', 'selector'], values: fc.constantFrom({}, null, { '': 'x' }, { app: '' }, { 'a/b/c': 'x' }) },
  {
    kind: 'Endpoints',
    field: ['subsets', 0, 'addresses'],
    values: fc.constantFrom([{ ip: 'x' }], [{ ip: '127.0.0.1' }], [{ ip: '10.96.0.1' }], [{ ip: '169.254.169.254' }], [{}], []),
  },
  { kind: 'Endpoints', field: ['subsets', 0, 'ports', 0, 'port'], values: arbOddNumber },
  { kind: 'EndpointSlice', field: ['endpoints', 0, 'addresses'], values: fc.constantFrom(['x'], [], ['1.2.3.4', '1.2.3.5'], Array(101).fill('1.2.3.4'), ['::1']) },
  { kind: 'EndpointSlice', field: ['addressType'], values: fc.constantFrom('IPv6', 'FQDN', 'x', '') },
  { kind: 'EndpointSlice', field: ['ports', 0, 'port'], values: arbOddNumber },
  { kind: 'Node', field: ['spec', 'podCIDR'], values: fc.constantFrom('10.244.0.0/24', '10.244.1.0/24', 'x', '10.244.0.0/33', '10.0.0.0/8', '', '10.244.9.1/24') },
  { kind: 'Node', field: ['spec', 'taints'], values: fc.constantFrom([{ key: 'a', effect: 'NoSchedule' }], [{ key: '', effect: 'x' }], [{}]) },
  { kind: 'Node', field: ['metadata', 'name'], values: fc.constantFrom('controlplane', 'node01', 'Node_1', 'a'.repeat(254)) },
  { kind: 'ConfigMap', field: ['data'], values: fc.constantFrom({ '': 'x' }, { 'a/b': 'x' }, { k: 1 }, { k: null }, { ['k'.repeat(254)]: 'v' }) },
  { kind: 'ConfigMap', field: ['binaryData'], values: fc.constantFrom({ k: 'aGVsbG8=' }, { k: '!!' }, { key: 'aGVsbG8=' }) },
  { kind: 'Ingress', field: ['spec', 'rules'], values: fc.constantFrom([{ host: '*.*.example.com' }], [{ host: '1.2.3.4' }], [{ http: { paths: [] } }], [{ host: 'A.com' }]) },
  { kind: 'IngressClass', field: ['spec', 'controller'], values: fc.constantFrom('', 'x', 'k8s.io/ingress-nginx', 'a'.repeat(300)) },
  {
    kind: 'ClusterRoleBinding',
    field: ['roleRef'],
    values: fc.constantFrom({ apiGroup: 'x', kind: 'Role', name: 'r' }, {}, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: '' }),
  },
  { kind: '*', field: ['metadata', 'name'], values: fc.constantFrom('a'.repeat(63), 'a'.repeat(64), 'a'.repeat(253), 'a'.repeat(254), '0', '0abc', 'a.b', 'a-', '') },
  { kind: '*', field: ['metadata', 'namespace'], values: fc.constantFrom('kube-system', 'nope', 'Default', '', 'a'.repeat(64), 'kube-public') },
  {
    kind: '*',
    field: ['metadata', 'labels'],
    values: fc.constantFrom({ ['a'.repeat(63)]: 'b' }, { ['a'.repeat(64)]: 'b' }, { 'x/y': 'b' }, { [`${'p'.repeat(254)}/k`]: 'v' }, { k: 'v'.repeat(64) }, { '': '' }),
  },
  { kind: '*', field: ['metadata', 'annotations'], values: fc.constantFrom({ k: 'v'.repeat(300_000) }, { 'a/b/c': 'x' }, { k: 5 }) },
  { kind: '*', field: ['metadata', 'generateName'], values: fc.constantFrom('web-', 'Bad_', '') },
  { kind: '*', field: ['metadata', 'uid'], values: fc.constantFrom('x', '') },
  { kind: '*', field: ['metadata', 'resourceVersion'], values: fc.constantFrom('1', 'x', '99999999999') },
  { kind: '*', field: ['metadata', 'deletionTimestamp'], values: fc.constantFrom('2020-01-01T00:00:00Z', 'x') },
  { kind: '*', field: ['metadata', 'ownerReferences'], values: fc.constantFrom([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'u', controller: true }], [{}]) },
  { kind: '*', field: ['status'], values: fc.constantFrom({ phase: 'Failed' }, { podIP: '10.244.1.99' }, { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }, 'x') },
];

const arbOutOfRange: fc.Arbitrary<Omit<ManifestInput, 'route'>> = fc.tuple(arbValidObject, fc.nat(), fc.nat()).chain(([o, pick]) => {
  const targets = RANGE_TARGETS.filter((t) => t.kind === o.kind || t.kind === '*');
  const t = targets[pick % targets.length]!;
  return t.values.map((v) => {
    const copy = structuredClone(o);
    const path = typeof t.field === 'function' ? t.field(copy) : t.field;
    if (path) {
      // Create the parents the path needs (a Pod without ports, a Service without a clusterIP…).
      let cur = copy as unknown as Record<string | number, unknown>;
      for (const [i, k] of path.slice(0, -1).entries()) {
        if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = typeof path[i + 1] === 'number' ? [] : {};
        cur = cur[k] as Record<string | number, unknown>;
      }
      setPath(copy, path, v);
    }
    return { tag: `out of range: ${o.kind} ${(path ?? []).join('.')} = ${showValue(v).slice(0, 80)}`, docs: [copy] };
  });
});

const arbInvalid: fc.Arbitrary<Omit<ManifestInput, 'route'>> = arbInvalidManifest().map((x) => ({
  tag: `arbInvalidManifest: ${x.mutation}`,
  docs: [x.manifest],
  refusedField: x.field,
}));

/** A valid object and a bad one applied together (the library applies all or nothing). */
const arbPair: fc.Arbitrary<Omit<ManifestInput, 'route'>> = fc
  .tuple(arbValidObject, fc.oneof(arbMutatedObject, arbOutOfRange, arbInvalid), fc.boolean())
  .map(([good, bad, first]) => ({ tag: `with a valid object: ${bad.tag}`, docs: first ? [good, ...bad.docs] : [...bad.docs, good] }));

/** `kubectl get`/`describe` of what was applied: an accepted object must be viewable. */
function viewCommands(doc: unknown): string[] {
  const o = doc as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  if (typeof o?.kind !== 'string') return [];
  const resource = `${o.kind.toLowerCase()}${o.kind.endsWith('s') ? 'es' : 's'}`;
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '';
  const ns = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : 'default';
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [`kubectl get ${resource} -A -o wide`, `kubectl get ${resource} ${q(name)} -n ${q(ns)} -o yaml`, `kubectl describe ${o.kind.toLowerCase()} ${q(name)} -n ${q(ns)}`];
}

function view(c: Cluster, docs: unknown[]): void {
  for (const cmd of docs.flatMap(viewCommands)) guard(`${cmd} (after the object was accepted)`, () => c.exec(cmd));
}

export function applyDocs(ctx: CaseContext, base: Cluster, input: Omit<ManifestInput, 'tag'>): Cluster {
  const before = snapshotOf(base);
  const copies = JSON.stringify(input.docs.map((d) => showValue(d)));
  if (input.route === 'object') {
    const r = attempt(ctx, 'Cluster.apply(objects)', () => base.apply(input.docs.length === 1 ? (input.docs[0] as object) : (input.docs as object[])));
    if (JSON.stringify(input.docs.map((d) => showValue(d))) !== copies)
      throw expectation('Cluster.apply changed the caller’s objects', 'the objects passed to apply were modified');
    if (!r.ok) {
      expectUnchanged('Cluster.apply refused', before, base, r.error.message);
      return base;
    }
    if (input.refusedField)
      throw expectation(`arbInvalidManifest accepted (${input.refusedField})`, `the API server refuses it naming ${input.refusedField}; Cluster.apply accepted it`);
    expectUnchanged('Cluster.apply (the cluster it was called on)', before, base, 'a new cluster was returned');
    expectInvariants('after Cluster.apply(objects)', r.value);
    view(r.value, input.docs);
    return r.value;
  }
  const text = input.docs.map((d) => `${toYamlFlow(d)}\n`).join('---\n');
  const r = attemptExec(ctx, 'kubectl apply -f - (Cluster.exec)', () => base.exec('kubectl apply -f -', { stdin: text }));
  if (!r.ok) return base;
  const res = r.value;
  if (res.exitCode !== 0 && res.stdout === '') expectUnchanged('kubectl apply -f - refused', before, res.cluster, res.stderr);
  if (input.refusedField && res.stdout !== '' && input.docs.length === 1) {
    throw expectation(
      `arbInvalidManifest accepted by kubectl apply (${input.refusedField})`,
      `the API server refuses it naming ${input.refusedField}; kubectl printed: ${res.stdout.slice(0, 200)}`,
    );
  }
  if (res.cluster !== base) {
    expectInvariants('after kubectl apply -f -', res.cluster);
    view(res.cluster, input.docs);
  }
  return res.cluster;
}

export const manifestsCategory: Category<ManifestInput> = {
  name: 'manifests',
  summary: 'objects: arbInvalidManifest, field/type mutations, wrong kinds and apiVersions, out-of-range values (Cluster.apply, kubectl apply)',
  label: (input) => `${input.tag.split(':')[0]} via ${input.route}`,
  arbitrary: () =>
    fc
      .tuple(
        fc.oneof(
          { withCrossShrink: true },
          { weight: 3, arbitrary: arbInvalid },
          { weight: 4, arbitrary: arbMutatedObject },
          { weight: 2, arbitrary: arbWrongKind },
          { weight: 4, arbitrary: arbOutOfRange },
          { weight: 1, arbitrary: arbPair },
        ),
        fc.constantFrom<ManifestInput['route']>('object', 'object', 'kubectl'),
      )
      .map(([x, route]) => ({ ...x, route })),
  warm: () => void defaultLab(),
  run: (input, ctx) => {
    applyDocs(ctx, defaultLab(), input);
  },
  show: (input) => {
    const how = input.route === 'object' ? 'Cluster.create().apply(object)' : "Cluster.create().exec('kubectl apply -f -', { stdin: yaml })";
    return clip(fold(`${input.tag}\nvia ${how}:\n${input.docs.map((d) => showValue(d)).join('\n')}`), 4000);
  },
};
