// fast-check arbitraries of Kubernetes manifests as a user writes them (plain objects, what a YAML
// file holds): Namespaces, Deployments, DaemonSets, bare Pods, Services of every type and
// Ingresses pointing at them. Every value is accepted by `Cluster.create().apply(manifests)`;
// a failing property prints it as multi-document YAML. Test-only (imports fast-check).

import fc from 'fast-check';
import yaml from 'js-yaml';

/** One Kubernetes object as a user writes it: apiVersion, kind, metadata and the kind's fields. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/**
 * Objects to apply together, in order (Namespaces first, then workloads, Services, Ingresses).
 * Prints as multi-document YAML in fast-check's reports (`fc.toStringMethod`).
 */
export type Manifests = readonly KubeObject[];

/** Workload kinds `arbManifests` generates. */
export type WorkloadKind = 'Deployment' | 'DaemonSet' | 'Pod';

/** Service flavours `arbManifests` generates (`Headless` is `type: ClusterIP` with `clusterIP: None`). */
export type ServiceFlavour = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'Headless' | 'ExternalName';

export interface ManifestsArbOptions {
  /**
   * Namespaces the objects go into (default `['default', 'apps']`; the first one is where values
   * shrink to). Each one other than `default` that an object uses gets a `kind: Namespace`
   * object at the front of the list.
   */
  namespaces?: readonly string[];
  /** Fewest Deployments + DaemonSets + Pods (default 0). */
  minWorkloads?: number;
  /** Most Deployments + DaemonSets + Pods (default 4). */
  maxWorkloads?: number;
  /** Workload kinds to draw from (default all three). */
  workloadKinds?: readonly WorkloadKind[];
  /** Most replicas of a Deployment (default 3; 0 replicas is drawn too). */
  maxReplicas?: number;
  /** Fewest Services (default 0). */
  minServices?: number;
  /** Most Services (default 4). */
  maxServices?: number;
  /** Service flavours to draw from (default all five). */
  serviceTypes?: readonly ServiceFlavour[];
  /**
   * Generate Services without a selector (their endpoints are the user's business) as well as
   * ones selecting a generated workload (default true).
   */
  selectorless?: boolean;
  /** Generate networking.k8s.io/v1 Ingresses (default true). */
  ingress?: boolean;
  /** Fewest Ingresses, when there is a Service with ports to point at (default 0). */
  minIngresses?: number;
  /** Most Ingresses (default 2). */
  maxIngresses?: number;
  /**
   * Sometimes request a nodePort (from the allocator's static band 30000-30085) or a ClusterIP
   * (10.96.0.16-10.96.0.250, which assumes the default service CIDR 10.96.0.0/12) by number
   * (default true). Two values applied to the same cluster may then ask for the same one.
   */
  fixedAllocations?: boolean;
}

// ---------------------------------------------------------------------------------------
// YAML rendering

/** Objects as multi-document YAML (js-yaml, block style, `---` between documents). */
export function manifestsToYaml(objects: readonly object[]): string {
  if (objects.length === 0) return '# (no objects)\n';
  return objects.map((o) => yaml.dump(o, { noRefs: true, lineWidth: 160 })).join('---\n');
}

/** Attach a non-enumerable `fc.toStringMethod` (fast-check prints values with it; JSON and spreads ignore it). */
export function withToString<T extends object>(value: T, print: () => string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: print, enumerable: false, configurable: true, writable: true });
  return value;
}

/** `undefined` most of the time (weight `none` against 1), else a value of `arb`; shrinks to `undefined`. */
function sometimes<T>(arb: fc.Arbitrary<T>, none = 3): fc.Arbitrary<T | undefined> {
  return fc.oneof({ withCrossShrink: true }, { weight: none, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

// ---------------------------------------------------------------------------------------
// Names

const WORDS = ['web', 'api', 'db', 'cache', 'echo', 'frontend', 'backend', 'worker', 'kubeserve', 'hello', 'store', 'auth'];

/**
 * DNS-1035 labels (what a Service name must be, and a valid name for every other kind too):
 * mostly readable words, sometimes random short labels, rarely the longest allowed (63).
 */
export const arbDns1035Name: fc.Arbitrary<string> = fc.oneof(
  { withCrossShrink: true },
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z][-a-z0-9]{61}[a-z0-9]$/) },
);

// ---------------------------------------------------------------------------------------
// Workloads

type Protocol = 'TCP' | 'UDP';

interface PortSpec {
  containerPort: number;
  protocol: Protocol;
  name: string;
}

interface ImageProfile {
  images: readonly string[];
  /** The port the image's process binds (the simulator knows these images), declared in the manifest or not. */
  listen?: PortSpec;
  commands?: readonly (readonly string[])[];
}

/** Images the simulator knows what they listen on (nginx :80, httpd :80, kubeserve :8080, busybox nothing). */
const IMAGES = {
  nginx: { images: ['nginx', 'nginx:1.27'], listen: { containerPort: 80, protocol: 'TCP', name: 'http' } },
  httpd: { images: ['httpd', 'httpd:2.4'], listen: { containerPort: 80, protocol: 'TCP', name: 'http' } },
  kubeserve: { images: ['chadmcrowell/kubeserve2'], listen: { containerPort: 8080, protocol: 'TCP', name: 'web' } },
  busybox: {
    images: ['busybox', 'busybox:1.36'],
    commands: [
      ['sleep', '3600'],
      ['sh', '-c', 'sleep 3600'],
    ],
  },
} as const satisfies Record<string, ImageProfile>;

type ImageName = keyof typeof IMAGES;

/** Extra ports a container may declare (the simulator opens a socket for each declared port). */
const EXTRA_PORTS: readonly PortSpec[] = [
  { containerPort: 9000, protocol: 'TCP', name: 'metrics' },
  { containerPort: 5353, protocol: 'UDP', name: 'dns' },
  { containerPort: 8443, protocol: 'TCP', name: 'https-alt' },
];

interface WorkloadDraft {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  image: ImageName;
  imageIndex: number;
  commandIndex: number;
  /** The image's port is declared in `ports:`, and with a name. */
  declare: boolean;
  named: boolean;
  extra: PortSpec | undefined;
  replicas: number;
  tolerateControlPlane: boolean;
  restartPolicy: 'Always' | 'OnFailure' | 'Never' | undefined;
  pullPolicy: 'IfNotPresent' | 'Always' | undefined;
}

/** A workload's ports as far as Services can target them: every port it listens on, with its declared name. */
interface TargetPort {
  port: number;
  protocol: Protocol;
  /** The containerPort name, when declared with one (Services may target it by name). */
  name: string | undefined;
}

function targetPorts(w: WorkloadDraft): TargetPort[] {
  const listen = (IMAGES[w.image] as ImageProfile).listen;
  const out: TargetPort[] = listen ? [{ port: listen.containerPort, protocol: listen.protocol, name: w.declare && w.named ? listen.name : undefined }] : [];
  if (w.extra) out.push({ port: w.extra.containerPort, protocol: w.extra.protocol, name: w.extra.name });
  return out;
}

function workloadDraftArb(o: Required<ManifestsArbOptions>): fc.Arbitrary<WorkloadDraft> {
  return fc.record({
    kind: fc.constantFrom(...o.workloadKinds),
    name: arbDns1035Name,
    namespace: fc.constantFrom(...o.namespaces),
    image: fc.constantFrom(...(Object.keys(IMAGES) as ImageName[])),
    imageIndex: fc.nat({ max: 3 }),
    commandIndex: fc.nat({ max: 3 }),
    declare: fc.boolean(),
    named: fc.boolean(),
    extra: sometimes(fc.constantFrom(...EXTRA_PORTS)),
    replicas: fc.integer({ min: 0, max: o.maxReplicas }),
    tolerateControlPlane: fc.boolean(),
    restartPolicy: sometimes(fc.constantFrom('Always' as const, 'OnFailure' as const, 'Never' as const)),
    pullPolicy: sometimes(fc.constantFrom('IfNotPresent' as const, 'Always' as const)),
  });
}

function renderContainer(w: WorkloadDraft): Record<string, unknown> {
  const profile: ImageProfile = IMAGES[w.image];
  const image = profile.images[w.imageIndex % profile.images.length]!;
  const ports: Record<string, unknown>[] = [];
  const p = profile.listen;
  if (p && w.declare) ports.push({ ...(w.named ? { name: p.name } : {}), containerPort: p.containerPort, ...(p.protocol !== 'TCP' ? { protocol: p.protocol } : {}) });
  if (w.extra) ports.push({ name: w.extra.name, containerPort: w.extra.containerPort, ...(w.extra.protocol !== 'TCP' ? { protocol: w.extra.protocol } : {}) });
  const command = profile.commands?.[w.commandIndex % profile.commands.length];
  return {
    name: w.image,
    image,
    ...(command ? { command: [...command] } : {}),
    ...(w.pullPolicy ? { imagePullPolicy: w.pullPolicy } : {}),
    ...(ports.length ? { ports } : {}),
  };
}

const CONTROL_PLANE_TOLERATION = { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' };

function renderWorkload(w: WorkloadDraft): KubeObject {
  const labels = () => ({ app: w.name });
  const meta = { name: w.name, ...(w.namespace !== 'default' ? { namespace: w.namespace } : {}), labels: labels() };
  const podSpec = (pod: boolean): Record<string, unknown> => ({
    containers: [renderContainer(w)],
    ...(pod && w.restartPolicy ? { restartPolicy: w.restartPolicy } : {}),
    ...(w.kind === 'DaemonSet' && w.tolerateControlPlane ? { tolerations: [{ ...CONTROL_PLANE_TOLERATION }] } : {}),
  });
  switch (w.kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: podSpec(true) };
    case 'Deployment':
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta,
        spec: { replicas: w.replicas, selector: { matchLabels: labels() }, template: { metadata: { labels: labels() }, spec: podSpec(false) } },
      };
    case 'DaemonSet':
      return {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: meta,
        spec: { selector: { matchLabels: labels() }, template: { metadata: { labels: labels() }, spec: podSpec(false) } },
      };
  }
}

// ---------------------------------------------------------------------------------------
// Services

interface ServicePortDraft {
  /** Which of the target's ports (modulo their count). */
  pick: number;
  /** The Service port, when it differs from the target port. */
  port: number | undefined;
  /** targetPort as a number, as the container port's name, or left out (= port). */
  targetMode: 'number' | 'name' | 'omit';
  /** Protocol when the target has no ports to follow (selector-less, busybox). */
  protocol: Protocol;
  /** A fixed nodePort (offset in the static band 30000-30085), else the allocator picks one. */
  nodePortOffset: number | undefined;
}

interface ServiceDraft {
  name: string;
  flavour: ServiceFlavour;
  /** Index (modulo) of the workload it selects. */
  target: number;
  selectorless: boolean;
  /** Namespace when selector-less (or no workload to select). */
  namespace: string;
  ports: ServicePortDraft[];
  externalTrafficPolicy: 'Cluster' | 'Local' | undefined;
  internalTrafficPolicy: 'Cluster' | 'Local' | undefined;
  affinity: { timeoutSeconds: number | undefined } | undefined;
  externalIPs: string[];
  sourceRanges: string[];
  /** A fixed ClusterIP in the allocator's static band (10.96.0.16-10.96.0.250). */
  clusterIPOffset: number | undefined;
  externalName: string;
}

/**
 * nodePorts 30000-30085: the allocator's static band (KEP-3668), which it only hands out when
 * asked by number, so fixed ports there never meet a port the cluster picked on its own.
 */
const NODE_PORT_STATIC_BASE = 30000;
const NODE_PORT_STATIC_SIZE = 86;
/** ClusterIPs 10.96.0.1-10.96.1.0 are the static band of 10.96.0.0/12 (kubernetes .1 and kube-dns .10 live there). */
const CLUSTER_IP_STATIC_FIRST = 16;
const CLUSTER_IP_STATIC_LAST = 250;

const SERVICE_PORTS = [80, 443, 8080, 8000, 53, 9376, 5000];
const EXTERNAL_IPS = Array.from({ length: 8 }, (_, i) => `203.0.113.${10 + i}`);
const SOURCE_RANGES = ['192.168.56.0/24', '203.0.113.0/25', '10.0.0.0/8', '198.51.100.7/32', '0.0.0.0/0'];
const EXTERNAL_NAMES = ['example.com', 'db.example.org', 'api.internal.example.net', 'my.database.example.com.'];

function serviceDraftArb(o: Required<ManifestsArbOptions>): fc.Arbitrary<ServiceDraft> {
  const portDraft: fc.Arbitrary<ServicePortDraft> = fc.record({
    pick: fc.nat({ max: 7 }),
    port: sometimes(fc.constantFrom(...SERVICE_PORTS), 1),
    targetMode: fc.constantFrom('omit' as const, 'number' as const, 'name' as const),
    protocol: fc.oneof({ withCrossShrink: true }, { weight: 3, arbitrary: fc.constant('TCP' as const) }, { weight: 1, arbitrary: fc.constant('UDP' as const) }),
    nodePortOffset: sometimes(fc.nat({ max: NODE_PORT_STATIC_SIZE - 1 }), 2),
  });
  const policy = sometimes(fc.constantFrom('Cluster' as const, 'Local' as const), 2);
  return fc.record({
    name: arbDns1035Name,
    flavour: fc.constantFrom(...o.serviceTypes),
    target: fc.nat({ max: 15 }),
    selectorless: o.selectorless
      ? fc.oneof({ withCrossShrink: true }, { weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) })
      : fc.constant(false),
    namespace: fc.constantFrom(...o.namespaces),
    ports: fc.array(portDraft, { minLength: 1, maxLength: 3 }),
    externalTrafficPolicy: policy,
    internalTrafficPolicy: policy,
    affinity: sometimes(fc.record({ timeoutSeconds: sometimes(fc.integer({ min: 1, max: 86400 }), 1) })),
    externalIPs: fc.oneof(
      { withCrossShrink: true },
      { weight: 4, arbitrary: fc.constant([] as string[]) },
      { weight: 1, arbitrary: fc.subarray(EXTERNAL_IPS, { minLength: 1, maxLength: 2 }) },
    ),
    sourceRanges: fc.oneof(
      { withCrossShrink: true },
      { weight: 3, arbitrary: fc.constant([] as string[]) },
      { weight: 1, arbitrary: fc.subarray(SOURCE_RANGES, { minLength: 1, maxLength: 2 }) },
    ),
    clusterIPOffset: sometimes(fc.integer({ min: CLUSTER_IP_STATIC_FIRST, max: CLUSTER_IP_STATIC_LAST }), 5),
    externalName: fc.constantFrom(...EXTERNAL_NAMES),
  });
}

interface RenderedService {
  object: KubeObject;
  namespace: string;
  name: string;
  flavour: ServiceFlavour;
  /** Ports an Ingress may point at: number, and name when it has one. */
  ports: { port: number; name: string | undefined; protocol: Protocol }[];
}

/** Cluster-wide bookkeeping while rendering: values that must be unique across Services. */
interface RenderState {
  nodePorts: Set<number>;
  clusterIPs: Set<number>;
}

function renderService(s: ServiceDraft, workloads: readonly WorkloadDraft[], st: RenderState, fixed: boolean): RenderedService {
  const target = s.selectorless || s.flavour === 'ExternalName' || workloads.length === 0 ? undefined : workloads[s.target % workloads.length];
  const namespace = target?.namespace ?? s.namespace;
  const tps = target ? targetPorts(target) : [];
  const isExternalName = s.flavour === 'ExternalName';
  const allocatesNodePorts = s.flavour === 'NodePort' || s.flavour === 'LoadBalancer';

  // Ports, unique by protocol/port; named when there is more than one.
  const seen = new Set<string>();
  const ports: { name?: string; protocol: Protocol; port: number; targetPort?: number | string; nodePort?: number }[] = [];
  for (const d of s.ports) {
    const tp = tps.length ? tps[d.pick % tps.length]! : undefined;
    const protocol = tp?.protocol ?? d.protocol;
    const port = d.port ?? tp?.port ?? 80;
    const key = `${protocol}/${port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let targetPort: number | string | undefined;
    if (!isExternalName) {
      const number = tp?.port ?? port;
      if (d.targetMode === 'name' && tp?.name) targetPort = tp.name;
      else if (d.targetMode === 'omit' && number === port) targetPort = undefined;
      else targetPort = number;
    }
    let nodePort: number | undefined;
    if (fixed && allocatesNodePorts && d.nodePortOffset !== undefined) {
      const candidate = NODE_PORT_STATIC_BASE + d.nodePortOffset;
      if (!st.nodePorts.has(candidate)) {
        st.nodePorts.add(candidate);
        nodePort = candidate;
      }
    }
    ports.push({ protocol, port, ...(targetPort !== undefined ? { targetPort } : {}), ...(nodePort !== undefined ? { nodePort } : {}) });
  }
  const named = ports.length > 1;
  const portsOut = ports.map((p) => {
    const { protocol, ...rest } = p;
    return { ...(named ? { name: `${protocol.toLowerCase()}-${p.port}` } : {}), ...rest, ...(protocol !== 'TCP' ? { protocol } : {}) };
  });

  const spec: Record<string, unknown> = {};
  if (isExternalName) {
    spec.type = 'ExternalName';
    spec.externalName = s.externalName;
  } else {
    if (s.flavour !== 'ClusterIP' && s.flavour !== 'Headless') spec.type = s.flavour;
    if (s.flavour === 'Headless') spec.clusterIP = 'None';
    else if (fixed && s.clusterIPOffset !== undefined && !st.clusterIPs.has(s.clusterIPOffset)) {
      st.clusterIPs.add(s.clusterIPOffset);
      spec.clusterIP = `10.96.0.${s.clusterIPOffset}`;
    }
    if (target) spec.selector = { app: target.name };
  }
  spec.ports = portsOut;
  if (!isExternalName) {
    const externalIPs = s.flavour === 'Headless' ? [] : s.externalIPs;
    if (externalIPs.length) spec.externalIPs = [...externalIPs];
    const external = allocatesNodePorts || externalIPs.length > 0;
    if (external && s.externalTrafficPolicy) spec.externalTrafficPolicy = s.externalTrafficPolicy;
    if (s.internalTrafficPolicy) spec.internalTrafficPolicy = s.internalTrafficPolicy;
    if (s.affinity) {
      spec.sessionAffinity = 'ClientIP';
      if (s.affinity.timeoutSeconds !== undefined) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: s.affinity.timeoutSeconds } };
    }
    if (s.flavour === 'LoadBalancer' && s.sourceRanges.length) spec.loadBalancerSourceRanges = [...s.sourceRanges];
  }
  return {
    object: { apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, ...(namespace !== 'default' ? { namespace } : {}) }, spec },
    namespace,
    name: s.name,
    flavour: s.flavour,
    ports: ports.map((p, i) => ({ port: p.port, name: portsOut[i]!.name, protocol: p.protocol })),
  };
}

// ---------------------------------------------------------------------------------------
// Ingresses

interface IngressPathDraft {
  path: string;
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  service: number;
  port: number;
  byName: boolean;
}

interface IngressDraft {
  name: string;
  service: number;
  rules: { host: string | undefined; paths: IngressPathDraft[] }[];
  defaultBackend: boolean;
  className: boolean;
}

const HOSTS = ['web.example.com', 'api.example.com', 'shop.example.test', '*.apps.example.com'];
const PATHS = ['/', '/api', '/app', '/v1/items', '/static/'];

function ingressDraftArb(): fc.Arbitrary<IngressDraft> {
  const path: fc.Arbitrary<IngressPathDraft> = fc.record({
    path: fc.constantFrom(...PATHS),
    pathType: fc.constantFrom('Prefix' as const, 'Exact' as const, 'Prefix' as const, 'ImplementationSpecific' as const),
    service: fc.nat({ max: 7 }),
    port: fc.nat({ max: 3 }),
    byName: fc.boolean(),
  });
  return fc.record({
    name: arbDns1035Name,
    service: fc.nat({ max: 15 }),
    rules: fc.array(
      fc.record({
        host: sometimes(fc.constantFrom(...HOSTS), 1),
        paths: fc.uniqueArray(path, { minLength: 1, maxLength: 3, selector: (p) => `${p.pathType} ${p.path}` }),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    defaultBackend: fc.oneof({ withCrossShrink: true }, { weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    className: fc.boolean(),
  });
}

function renderIngress(d: IngressDraft, services: readonly RenderedService[]): KubeObject | undefined {
  // Backends: TCP ports of Services (not ExternalName), all in the Ingress's namespace.
  const eligible = services
    .filter((s) => s.flavour !== 'ExternalName')
    .map((s) => ({ ...s, ports: s.ports.filter((p) => p.protocol === 'TCP') }))
    .filter((s) => s.ports.length > 0);
  if (eligible.length === 0) return undefined;
  const namespace = eligible[d.service % eligible.length]!.namespace;
  const local = eligible.filter((s) => s.namespace === namespace);
  const backend = (i: number, portIndex: number, byName: boolean) => {
    const svc = local[i % local.length]!;
    const p = svc.ports[portIndex % svc.ports.length]!;
    return { service: { name: svc.name, port: byName && p.name ? { name: p.name } : { number: p.port } } };
  };
  const spec: Record<string, unknown> = {};
  if (d.className) spec.ingressClassName = 'nginx';
  if (d.defaultBackend) spec.defaultBackend = backend(0, 0, false);
  spec.rules = d.rules.map((r) => ({
    ...(r.host !== undefined ? { host: r.host } : {}),
    http: { paths: r.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: backend(p.service, p.port, p.byName) })) },
  }));
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: d.name, ...(namespace !== 'default' ? { namespace } : {}) }, spec };
}

// ---------------------------------------------------------------------------------------
// Everything together

function withDefaults(opts: ManifestsArbOptions): Required<ManifestsArbOptions> {
  const o: Required<ManifestsArbOptions> = {
    namespaces: opts.namespaces ?? ['default', 'apps'],
    minWorkloads: opts.minWorkloads ?? 0,
    maxWorkloads: opts.maxWorkloads ?? 4,
    workloadKinds: opts.workloadKinds ?? ['Deployment', 'DaemonSet', 'Pod'],
    maxReplicas: opts.maxReplicas ?? 3,
    minServices: opts.minServices ?? 0,
    maxServices: opts.maxServices ?? 4,
    serviceTypes: opts.serviceTypes ?? ['ClusterIP', 'NodePort', 'LoadBalancer', 'Headless', 'ExternalName'],
    selectorless: opts.selectorless ?? true,
    ingress: opts.ingress ?? true,
    minIngresses: opts.minIngresses ?? 0,
    maxIngresses: opts.maxIngresses ?? 2,
    fixedAllocations: opts.fixedAllocations ?? true,
  };
  if (o.namespaces.length === 0) throw new Error('arbManifests: namespaces must name at least one namespace');
  if (o.workloadKinds.length === 0) throw new Error('arbManifests: workloadKinds must name at least one kind');
  if (o.serviceTypes.length === 0) throw new Error('arbManifests: serviceTypes must name at least one type');
  return o;
}

/**
 * Kubernetes manifests a user could write, always accepted by `Cluster.create().apply(...)` (and
 * by any cluster from `arbCluster`): Deployments, DaemonSets (some tolerating the control
 * plane) and bare Pods running nginx, httpd, busybox (`sleep`) or kubeserve2, with container
 * ports declared or not, named or not; Services of every type — ClusterIP, NodePort (fixed
 * nodePorts in the allocator's static band 30000-30085, unique, or allocated), LoadBalancer,
 * headless, ExternalName, selector-less — with traffic policies, ClientIP affinity,
 * externalIPs from 203.0.113.0/24, loadBalancerSourceRanges and named targetPorts; and Ingresses
 * (Exact/Prefix paths, hosts) pointing at those Services by port number or name.
 *
 * Names are unique per kind (so per kind and namespace) and DNS-1035 labels; each workload's
 * pods carry `app: <name>`, which Services select. Non-default namespaces get a Namespace
 * object first. Values shrink towards fewer, simpler objects in the first namespace, and print
 * in fast-check's reports as multi-document YAML.
 */
export function arbManifests(opts: ManifestsArbOptions = {}): fc.Arbitrary<Manifests> {
  const o = withDefaults(opts);
  const workloads = fc.uniqueArray(workloadDraftArb(o), { minLength: o.minWorkloads, maxLength: Math.max(o.minWorkloads, o.maxWorkloads), selector: (w) => w.name });
  const services = fc.uniqueArray(serviceDraftArb(o), { minLength: o.minServices, maxLength: Math.max(o.minServices, o.maxServices), selector: (s) => s.name });
  const ingresses = o.ingress
    ? fc.uniqueArray(ingressDraftArb(), { minLength: o.minIngresses, maxLength: Math.max(o.minIngresses, o.maxIngresses), selector: (i) => i.name })
    : fc.constant([] as IngressDraft[]);
  return fc.record({ workloads, services, ingresses }).map(({ workloads, services, ingresses }) => renderManifests(workloads, services, ingresses, o.fixedAllocations));
}

function renderManifests(workloads: readonly WorkloadDraft[], serviceDrafts: readonly ServiceDraft[], ingressDrafts: readonly IngressDraft[], fixed: boolean): Manifests {
  const st: RenderState = { nodePorts: new Set(), clusterIPs: new Set() };
  const services = serviceDrafts.map((s) => renderService(s, workloads, st, fixed));
  const ingresses = ingressDrafts.flatMap((d) => renderIngress(d, services) ?? []);
  const body: KubeObject[] = [...workloads.map(renderWorkload), ...services.map((s) => s.object), ...ingresses];
  const namespaces = [...new Set(body.map((b) => b.metadata.namespace ?? 'default'))].filter((n) => n !== 'default');
  const nsObjects: KubeObject[] = namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  return toManifests([...nsObjects, ...body]);
}

/** A copy of `objects` as `Manifests`: the same array, printing as YAML in fast-check's reports. */
export function toManifests(objects: readonly KubeObject[]): Manifests {
  const list = [...objects];
  return withToString(list, () => manifestsToYaml(list));
}
