// fast-check arbitrary of manifests the API server refuses: a valid object from arbManifests with
// exactly one mutation applied, and the field path the server's answer names
// (`The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: …`). Test-only.

import fc from 'fast-check';
import { arbManifests, manifestsToYaml, withToString, type KubeObject, type ManifestsArbOptions, type ServiceFlavour, type WorkloadKind } from './manifests.js';

/** A refused manifest: the object, the field path the API server's error names, and what was done to it. */
export interface InvalidManifest {
  manifest: KubeObject;
  /** The field path in the server's message, e.g. `spec.ports[0].port` (the message holds `<field>: `). */
  field: string;
  /** The mutation's name, e.g. `service port out of range`. */
  mutation: string;
}

type BaseKind = WorkloadKind | 'Service' | 'Ingress';

// The objects are plain JSON data; mutations write into a private deep copy.
// biome-ignore lint/suspicious/noExplicitAny: a mutation reaches into any field of any kind's manifest.
type Obj = any;

interface Mutation {
  name: string;
  kind: BaseKind;
  /** Service flavours the base object may have (Service mutations only). */
  flavours?: readonly ServiceFlavour[];
  /** The bad values to draw from (passed to `mutate`). */
  values: fc.Arbitrary<unknown>;
  /** Change the (copied) object; `field` is computed after. */
  mutate: (o: Obj, value: unknown) => void;
  field: string | ((o: Obj) => string);
}

const INTERNAL: readonly ServiceFlavour[] = ['ClusterIP', 'NodePort', 'LoadBalancer'];
const NODE_PORTS: readonly ServiceFlavour[] = ['NodePort', 'LoadBalancer'];

/** Names no kind accepts (not DNS subdomains, so not DNS-1035 labels either). */
const BAD_NAMES = ['Bad_Name', 'web_1', '-web', 'web-', 'Web', 'web.', 'a..b'];
const LONG_PORT_NAMES = ['a-very-long-port-name', 'metricsmetricsmet', 'http-alternative-1'];

const podSpecPath = (kind: BaseKind) => (kind === 'Pod' ? 'spec' : 'spec.template.spec');
const podSpecOf = (o: Obj, kind: BaseKind): Obj => (kind === 'Pod' ? o.spec : o.spec.template.spec);

/** Container mutations, for Pods and the pod templates of Deployments and DaemonSets. */
function containerMutations(kind: WorkloadKind): Mutation[] {
  const p = podSpecPath(kind);
  const ps = (o: Obj) => podSpecOf(o, kind);
  const list: Mutation[] = [
    { name: 'missing containers', kind, values: fc.constant([]), mutate: (o, v) => void (ps(o).containers = v), field: `${p}.containers` },
    {
      name: 'invalid imagePullPolicy',
      kind,
      values: fc.constantFrom('Sometimes', 'always', 'IfNeeded'),
      mutate: (o, v) => void (ps(o).containers[0].imagePullPolicy = v),
      field: `${p}.containers[0].imagePullPolicy`,
    },
    {
      name: 'invalid container name',
      kind,
      values: fc.constantFrom('Web_Server', 'NGINX', 'web.server'),
      mutate: (o, v) => void (ps(o).containers[0].name = v),
      field: `${p}.containers[0].name`,
    },
    {
      name: 'duplicate container name',
      kind,
      values: fc.constant(undefined),
      mutate: (o) => {
        const c = ps(o).containers[0];
        ps(o).containers.push({ name: c.name, image: 'busybox', command: ['sleep', '3600'] });
      },
      field: `${p}.containers[1].name`,
    },
    {
      name: 'containerPort out of range',
      kind,
      values: fc.constantFrom(65536, 70000, -1),
      mutate: (o, v) => void (ps(o).containers[0].ports = [{ containerPort: v }]),
      field: `${p}.containers[0].ports[0].containerPort`,
    },
    {
      name: 'containerPort missing',
      kind,
      values: fc.constant(0),
      mutate: (o, v) => void (ps(o).containers[0].ports = [{ name: 'http', containerPort: v }]),
      field: `${p}.containers[0].ports[0].containerPort`,
    },
    {
      name: 'container port name too long',
      kind,
      values: fc.constantFrom(...LONG_PORT_NAMES),
      mutate: (o, v) => void (ps(o).containers[0].ports = [{ name: v, containerPort: 80 }]),
      field: `${p}.containers[0].ports[0].name`,
    },
    {
      name: 'duplicate container port name',
      kind,
      values: fc.constantFrom('http', 'web'),
      mutate: (o, v) =>
        void (ps(o).containers[0].ports = [
          { name: v, containerPort: 80 },
          { name: v, containerPort: 8080 },
        ]),
      field: `${p}.containers[0].ports[1].name`,
    },
    {
      name: 'invalid container port protocol',
      kind,
      values: fc.constantFrom('HTTP', 'tcp', 'ICMP'),
      mutate: (o, v) => void (ps(o).containers[0].ports = [{ containerPort: 80, protocol: v }]),
      field: `${p}.containers[0].ports[0].protocol`,
    },
    {
      name: 'invalid dnsPolicy',
      kind,
      values: fc.constantFrom('Google', 'clusterfirst'),
      mutate: (o, v) => void (ps(o).dnsPolicy = v),
      field: `${p}.dnsPolicy`,
    },
  ];
  if (kind === 'Pod') {
    list.push(
      {
        name: 'image with surrounding whitespace',
        kind,
        values: fc.constantFrom(' ', '\t'),
        mutate: (o, v) => void (o.spec.containers[0].image = `${o.spec.containers[0].image}${v}`),
        field: 'spec.containers[0].image',
      },
      { name: 'invalid restartPolicy', kind, values: fc.constantFrom('Sometimes', 'always'), mutate: (o, v) => void (o.spec.restartPolicy = v), field: 'spec.restartPolicy' },
      {
        name: 'hostPort out of range',
        kind,
        values: fc.constantFrom(65536, 70000),
        mutate: (o, v) => void (o.spec.containers[0].ports = [{ containerPort: 80, hostPort: v }]),
        field: 'spec.containers[0].ports[0].hostPort',
      },
    );
  } else {
    list.push(
      {
        name: 'template restartPolicy not Always',
        kind,
        values: fc.constantFrom('Never', 'OnFailure'),
        mutate: (o, v) => void (o.spec.template.spec.restartPolicy = v),
        field: 'spec.template.spec.restartPolicy',
      },
      {
        name: 'selector does not match template labels',
        kind,
        values: fc.constantFrom({ tier: 'mismatch' }, { run: 'other' }),
        mutate: (o, v) => void (o.spec.template.metadata.labels = { ...(v as object) }),
        field: 'spec.template.metadata.labels',
      },
      {
        name: 'empty selector',
        kind,
        values: fc.constant({}),
        mutate: (o, v) => void (o.spec.selector = v),
        field: 'spec.selector',
      },
    );
  }
  return list;
}

function metaMutations(kind: BaseKind, flavours?: readonly ServiceFlavour[]): Mutation[] {
  const tooLong = kind === 'Service' ? 'a'.repeat(64) : 'a'.repeat(254);
  return [
    {
      name: 'invalid metadata.name',
      kind,
      flavours,
      values: fc.constantFrom(...BAD_NAMES, tooLong),
      mutate: (o, v) => void (o.metadata.name = v),
      field: 'metadata.name',
    },
    {
      name: 'invalid label value',
      kind,
      flavours,
      values: fc.constantFrom('not valid!', '-x', 'a'.repeat(64)),
      mutate: (o, v) => void (o.metadata.labels = { ...o.metadata.labels, tier: v }),
      field: 'metadata.labels',
    },
  ];
}

const workloadOnly: Mutation[] = [
  { name: 'negative replicas', kind: 'Deployment', values: fc.integer({ min: -5, max: -1 }), mutate: (o, v) => void (o.spec.replicas = v), field: 'spec.replicas' },
  {
    name: 'negative revisionHistoryLimit',
    kind: 'Deployment',
    values: fc.integer({ min: -5, max: -1 }),
    mutate: (o, v) => void (o.spec.revisionHistoryLimit = v),
    field: 'spec.revisionHistoryLimit',
  },
  {
    name: 'unknown deployment strategy',
    kind: 'Deployment',
    values: fc.constantFrom('BlueGreen', 'Canary'),
    mutate: (o, v) => void (o.spec.strategy = { type: v }),
    field: 'spec.strategy',
  },
  {
    name: 'progressDeadlineSeconds not above minReadySeconds',
    kind: 'Deployment',
    values: fc.integer({ min: 1, max: 30 }),
    mutate: (o, v) => {
      o.spec.minReadySeconds = v;
      o.spec.progressDeadlineSeconds = v;
    },
    field: 'spec.progressDeadlineSeconds',
  },
];

const serviceMutations: Mutation[] = [
  {
    name: 'service port out of range',
    kind: 'Service',
    values: fc.constantFrom(0, 65536, 70000),
    mutate: (o, v) => void (o.spec.ports[0] = { ...o.spec.ports[0], port: v, targetPort: 8080 }),
    field: 'spec.ports[0].port',
  },
  {
    name: 'duplicate service port',
    kind: 'Service',
    values: fc.constant(undefined),
    mutate: (o) => {
      const ports = o.spec.ports;
      ports.forEach((p: Obj, i: number) => {
        p.name ??= `p${i}`;
      });
      const { nodePort: _n, ...copy } = ports[0];
      ports.push({ ...copy, name: 'dup' });
    },
    field: (o) => `spec.ports[${o.spec.ports.length - 1}]`,
  },
  {
    name: 'unnamed service ports',
    kind: 'Service',
    flavours: INTERNAL,
    values: fc.constant(undefined),
    mutate: (o) => {
      const ports = o.spec.ports.slice(0, 1).map(({ name: _n, ...p }: Obj) => p);
      ports.push({ port: ports[0].port === 9999 ? 9998 : 9999, ...(ports[0].protocol ? { protocol: ports[0].protocol } : {}) });
      o.spec.ports = ports;
    },
    field: 'spec.ports[0].name',
  },
  {
    name: 'invalid service port name',
    kind: 'Service',
    values: fc.constantFrom('Web_Port', 'HTTP', '-http'),
    mutate: (o, v) => void (o.spec.ports[0].name = v),
    field: 'spec.ports[0].name',
  },
  {
    name: 'invalid service port protocol',
    kind: 'Service',
    values: fc.constantFrom('HTTP', 'tcp', 'ICMP'),
    mutate: (o, v) => void (o.spec.ports[0].protocol = v),
    field: 'spec.ports[0].protocol',
  },
  {
    name: 'targetPort name too long',
    kind: 'Service',
    flavours: INTERNAL,
    values: fc.constantFrom(...LONG_PORT_NAMES),
    mutate: (o, v) => void (o.spec.ports[0].targetPort = v),
    field: 'spec.ports[0].targetPort',
  },
  {
    name: 'targetPort out of range',
    kind: 'Service',
    flavours: INTERNAL,
    values: fc.constantFrom(65536, 70000, -1),
    mutate: (o, v) => void (o.spec.ports[0].targetPort = v),
    field: 'spec.ports[0].targetPort',
  },
  {
    name: 'nodePort out of range',
    kind: 'Service',
    flavours: NODE_PORTS,
    values: fc.constantFrom(80, 8080, 29999, 32768, 40000),
    mutate: (o, v) => void (o.spec.ports[0].nodePort = v),
    field: 'spec.ports[0].nodePort',
  },
  {
    name: 'nodePort on a ClusterIP service',
    kind: 'Service',
    flavours: ['ClusterIP'],
    values: fc.integer({ min: 30000, max: 32767 }),
    mutate: (o, v) => void (o.spec.ports[0].nodePort = v),
    field: 'spec.ports[0].nodePort',
  },
  {
    name: 'clusterIP outside the service CIDR',
    kind: 'Service',
    flavours: INTERNAL,
    values: fc.constantFrom('10.0.0.5', '192.168.1.1', '10.112.0.1', '8.8.8.8'),
    mutate: (o, v) => void (o.spec.clusterIP = v),
    field: 'spec.clusterIPs',
  },
  {
    name: 'clusterIP already allocated',
    kind: 'Service',
    flavours: INTERNAL,
    values: fc.constantFrom('10.96.0.1', '10.96.0.10'),
    mutate: (o, v) => void (o.spec.clusterIP = v),
    field: 'spec.clusterIPs',
  },
  {
    name: 'clusterIP not an IP',
    kind: 'Service',
    flavours: INTERNAL,
    values: fc.constantFrom('abc', '10.96.0', '10.96.0.300'),
    mutate: (o, v) => void (o.spec.clusterIP = v),
    field: 'spec.clusterIPs[0]',
  },
  {
    name: 'headless NodePort or LoadBalancer',
    kind: 'Service',
    flavours: NODE_PORTS,
    values: fc.constant('None'),
    mutate: (o, v) => {
      o.spec.clusterIP = v;
      for (const p of o.spec.ports) delete p.nodePort;
    },
    field: 'spec.clusterIPs[0]',
  },
  {
    name: 'missing service ports',
    kind: 'Service',
    flavours: INTERNAL,
    values: fc.constant([]),
    mutate: (o, v) => void (o.spec.ports = v),
    field: 'spec.ports',
  },
  {
    name: 'unknown service type',
    kind: 'Service',
    flavours: ['ClusterIP'],
    values: fc.constantFrom('Internal', 'nodeport', 'External'),
    mutate: (o, v) => void (o.spec.type = v),
    field: 'spec.type',
  },
  {
    name: 'unknown sessionAffinity',
    kind: 'Service',
    flavours: INTERNAL,
    values: fc.constantFrom('Cookie', 'clientip'),
    mutate: (o, v) => {
      o.spec.sessionAffinity = v;
      delete o.spec.sessionAffinityConfig;
    },
    field: 'spec.sessionAffinity',
  },
  {
    name: 'ClientIP affinity timeout out of range',
    kind: 'Service',
    flavours: INTERNAL,
    values: fc.constantFrom(86401, 100000, -5),
    mutate: (o, v) => {
      o.spec.sessionAffinity = 'ClientIP';
      o.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: v } };
    },
    field: 'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
  },
  {
    name: 'externalTrafficPolicy on an internal service',
    kind: 'Service',
    flavours: ['ClusterIP'],
    values: fc.constantFrom('Local', 'Cluster'),
    mutate: (o, v) => {
      delete o.spec.externalIPs;
      o.spec.externalTrafficPolicy = v;
    },
    field: 'spec.externalTrafficPolicy',
  },
  {
    name: 'unknown internalTrafficPolicy',
    kind: 'Service',
    flavours: INTERNAL,
    values: fc.constantFrom('Nearby', 'local'),
    mutate: (o, v) => void (o.spec.internalTrafficPolicy = v),
    field: 'spec.internalTrafficPolicy',
  },
  {
    name: 'loadBalancerSourceRanges without LoadBalancer',
    kind: 'Service',
    flavours: ['ClusterIP', 'NodePort'],
    values: fc.constantFrom(['10.0.0.0/8'], ['192.168.56.0/24', '203.0.113.0/25']),
    mutate: (o, v) => void (o.spec.loadBalancerSourceRanges = v),
    field: 'spec.LoadBalancerSourceRanges',
  },
  {
    name: 'invalid loadBalancerSourceRange',
    kind: 'Service',
    flavours: ['LoadBalancer'],
    values: fc.constantFrom('10.0.0.0/33', '10.0.0.0', 'everywhere'),
    mutate: (o, v) => void (o.spec.loadBalancerSourceRanges = [v]),
    field: 'spec.LoadBalancerSourceRanges[0]',
  },
  {
    name: 'invalid externalIP',
    kind: 'Service',
    flavours: INTERNAL,
    values: fc.constantFrom('not-an-ip', '203.0.113.300', '127.0.0.1', '0.0.0.0'),
    mutate: (o, v) => void (o.spec.externalIPs = [v]),
    field: 'spec.externalIPs[0]',
  },
  {
    name: 'invalid selector label value',
    kind: 'Service',
    flavours: INTERNAL,
    values: fc.constantFrom('not valid!', '-x'),
    mutate: (o, v) => void (o.spec.selector = { app: v }),
    field: 'spec.selector',
  },
  {
    name: 'invalid externalName',
    kind: 'Service',
    flavours: ['ExternalName'],
    values: fc.constantFrom('bad_name.example.com', 'Example..com', '-db.example.com'),
    mutate: (o, v) => void (o.spec.externalName = v),
    field: 'spec.externalName',
  },
];

const path0 = 'spec.rules[0].http.paths[0]';
const ingressMutations: Mutation[] = [
  {
    name: 'unknown pathType',
    kind: 'Ingress',
    values: fc.constantFrom('Regex', 'prefix', 'Glob'),
    mutate: (o, v) => void (o.spec.rules[0].http.paths[0].pathType = v),
    field: `${path0}.pathType`,
  },
  {
    name: 'missing pathType',
    kind: 'Ingress',
    values: fc.constant(undefined),
    mutate: (o) => void delete o.spec.rules[0].http.paths[0].pathType,
    field: `${path0}.pathType`,
  },
  {
    name: 'relative path',
    kind: 'Ingress',
    values: fc.record({ path: fc.constantFrom('api', 'v1/items'), pathType: fc.constantFrom('Prefix', 'Exact') }),
    mutate: (o, v) => Object.assign(o.spec.rules[0].http.paths[0], v),
    field: `${path0}.path`,
  },
  {
    name: 'path with an invalid sequence',
    kind: 'Ingress',
    values: fc.constantFrom('/a//b', '/a/../b', '/static/.'),
    mutate: (o, v) => Object.assign(o.spec.rules[0].http.paths[0], { path: v, pathType: 'Prefix' }),
    field: `${path0}.path`,
  },
  {
    name: 'host is an IP address',
    kind: 'Ingress',
    values: fc.constantFrom('192.168.56.10', '10.96.0.1'),
    mutate: (o, v) => void (o.spec.rules[0].host = v),
    field: 'spec.rules[0].host',
  },
  {
    name: 'invalid host',
    kind: 'Ingress',
    values: fc.constantFrom('Web.Example.com', 'web_app.example.com', 'web..example.com'),
    mutate: (o, v) => void (o.spec.rules[0].host = v),
    field: 'spec.rules[0].host',
  },
  {
    name: 'backend port number out of range',
    kind: 'Ingress',
    values: fc.constantFrom(65536, 70000, -1),
    mutate: (o, v) => void (o.spec.rules[0].http.paths[0].backend.service.port = { number: v }),
    field: `${path0}.backend.service.port.number`,
  },
  {
    name: 'backend port name too long',
    kind: 'Ingress',
    values: fc.constantFrom(...LONG_PORT_NAMES),
    mutate: (o, v) => void (o.spec.rules[0].http.paths[0].backend.service.port = { name: v }),
    field: `${path0}.backend.service.port.name`,
  },
  {
    name: 'backend port name and number',
    kind: 'Ingress',
    values: fc.constant({ name: 'http', number: 80 }),
    mutate: (o, v) => void (o.spec.rules[0].http.paths[0].backend.service.port = v),
    field: `${path0}.backend`,
  },
  {
    name: 'invalid backend service name',
    kind: 'Ingress',
    values: fc.constantFrom('Web_Svc', '1web', 'web.svc'),
    mutate: (o, v) => void (o.spec.rules[0].http.paths[0].backend.service.name = v),
    field: `${path0}.backend.service.name`,
  },
  {
    name: 'neither rules nor defaultBackend',
    kind: 'Ingress',
    values: fc.constant(undefined),
    mutate: (o) => {
      delete o.spec.rules;
      delete o.spec.defaultBackend;
    },
    field: 'spec',
  },
  {
    name: 'invalid ingressClassName',
    kind: 'Ingress',
    values: fc.constantFrom('Nginx_Class', 'nginx.'),
    mutate: (o, v) => void (o.spec.ingressClassName = v),
    field: 'spec.ingressClassName',
  },
];

const ALL_MUTATIONS: readonly Mutation[] = [
  ...metaMutations('Deployment'),
  ...metaMutations('DaemonSet'),
  ...metaMutations('Pod'),
  ...metaMutations('Service', INTERNAL),
  ...metaMutations('Ingress'),
  ...workloadOnly,
  ...containerMutations('Deployment'),
  ...containerMutations('DaemonSet'),
  ...containerMutations('Pod'),
  ...serviceMutations,
  ...ingressMutations,
];

/** Every mutation `arbInvalidManifest` may apply, as `<Kind>: <mutation>`. */
export const INVALID_MUTATIONS: readonly string[] = ALL_MUTATIONS.map((m) => `${m.kind}: ${m.name}`);

const bases = new Map<string, fc.Arbitrary<KubeObject>>();

/** Valid single objects of a kind (in the default namespace), from arbManifests. */
function baseArb(kind: BaseKind, flavours: readonly ServiceFlavour[] | undefined): fc.Arbitrary<KubeObject> {
  const key = `${kind}:${flavours?.join(',') ?? ''}`;
  let arb = bases.get(key);
  if (arb) return arb;
  const common: ManifestsArbOptions = { namespaces: ['default'], maxIngresses: 0, ingress: false, maxServices: 0 };
  let opts: ManifestsArbOptions;
  switch (kind) {
    case 'Deployment':
    case 'DaemonSet':
    case 'Pod':
      opts = { ...common, workloadKinds: [kind], minWorkloads: 1, maxWorkloads: 1 };
      break;
    case 'Service':
      opts = { ...common, workloadKinds: ['Deployment'], maxWorkloads: 1, minServices: 1, maxServices: 1, serviceTypes: flavours ?? INTERNAL, selectorless: true };
      break;
    case 'Ingress':
      opts = { ...common, workloadKinds: ['Deployment'], maxWorkloads: 1, minServices: 1, maxServices: 2, serviceTypes: INTERNAL, ingress: true, minIngresses: 1, maxIngresses: 1 };
      break;
  }
  arb = arbManifests(opts)
    .map((ms) => ms.find((o) => o.kind === kind))
    .filter((o): o is KubeObject => o !== undefined);
  bases.set(key, arb);
  return arb;
}

function mutationArb(m: Mutation): fc.Arbitrary<InvalidManifest> {
  return fc.tuple(baseArb(m.kind, m.flavours), m.values).map(([base, value]) => {
    const manifest = structuredClone(base) as Obj;
    m.mutate(manifest, value);
    const field = typeof m.field === 'string' ? m.field : m.field(manifest);
    const out: InvalidManifest = { manifest, field, mutation: `${m.kind}: ${m.name}` };
    return withToString(out, () => `# mutation: ${out.mutation}\n# expected field: ${field}\n${manifestsToYaml([manifest])}`);
  });
}

export interface InvalidManifestArbOptions {
  /** Only these mutations (names from `INVALID_MUTATIONS`, `<Kind>: <mutation>`); default all. */
  mutations?: readonly string[];
}

/**
 * Manifests the API server refuses: a valid Deployment, DaemonSet, Pod, Service or Ingress from
 * `arbManifests` with ONE mutation (invalid metadata.name or label, negative replicas, selector
 * not matching the template labels, missing containers, bad imagePullPolicy / restartPolicy /
 * dnsPolicy, port 0 or 65536, duplicate port, nodePort out of range, targetPort name longer
 * than 15, clusterIP outside the service CIDR or already allocated, bad pathType, relative
 * path, …; the full list is `INVALID_MUTATIONS`). `field` is the path the server names:
 * applying `manifest` to the default lab throws an ApiError whose message holds `<field>: `.
 *
 * The objects live in the default namespace, so the failure is the object's own.
 */
export function arbInvalidManifest(opts: InvalidManifestArbOptions = {}): fc.Arbitrary<InvalidManifest> {
  const chosen = opts.mutations ? ALL_MUTATIONS.filter((m) => opts.mutations!.includes(`${m.kind}: ${m.name}`)) : ALL_MUTATIONS;
  if (chosen.length === 0) throw new Error(`arbInvalidManifest: no mutation named ${JSON.stringify(opts.mutations)}; see INVALID_MUTATIONS`);
  return fc.oneof(...chosen.map(mutationArb));
}
