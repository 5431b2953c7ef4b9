// Synthetic large clusters: a seeded set of namespaces, Deployments, one Service per Deployment
// (of a seeded type) and a few Ingresses, applied on top of the default kubeadm + Flannel lab.
// Same options, same objects, same state: every choice is a `seeded()` hash of what it is for.

import type { Container, ServiceType } from '../api/types.js';
import { advanceClock, applyObjects } from '../controllers/transitions.js';
import type { ObjectInput } from '../api/manifest-types.js';
import type { ClusterState } from '../state/types.js';
import { NODE_PORT_RANGE } from '../apiserver/service-alloc.js';
import { parseCidr, rangeText, subRange } from '../net/cidr.js';
import { seeded } from '../util/seeded.js';
import { bootstrapCluster } from './bootstrap.js';
import type { ClusterOptions } from './options.js';

export type GeneratedServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'headless' | 'ExternalName';

export type TypeMix = Record<GeneratedServiceType, number>;

export interface GenerateOptions {
  seed: number;
  /** How many namespaces (`ns-000`, …) the services are spread over, round-robin. */
  namespaces: number;
  /** How many Deployment + Service pairs. */
  services: number;
  /** Replicas per Deployment: a fixed count, or a seeded pick in [min, max]. */
  podsPerService: { min: number; max: number } | number;
  /** Relative weights; default 70/10/5/10/5. Counts are exact (largest remainder), types seeded-shuffled. */
  typeMix?: TypeMix;
  /** How many Ingresses (default: one per 50 services, at most 20). */
  ingresses?: number;
}

export interface GenerateClusterOptions extends GenerateOptions {
  nodes: number;
  /** Objects per `applyObjects` transition (default GENERATE_BATCH_SIZE; pod names depend on it). */
  batchSize?: number;
  /** Called before the first batch and after every batch of each phase. */
  onProgress?: (done: number, total: number, phase: string) => void;
  /** Extra bootstrap options (nodeNetwork, podCIDR, … default to sizes fit for `nodes`). */
  cluster?: Omit<ClusterOptions, 'nodes' | 'seed'>;
}

export const DEFAULT_TYPE_MIX: TypeMix = { ClusterIP: 70, NodePort: 10, LoadBalancer: 5, headless: 10, ExternalName: 5 };

const TYPES: GeneratedServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'headless', 'ExternalName'];

/**
 * nodePorts left for generated NodePort/LoadBalancer Services (one port each): the range minus
 * ingress-nginx's two ports and its healthCheckNodePort, minus some slack. Surplus becomes ClusterIP.
 */
export const GENERATED_NODE_PORT_BUDGET = NODE_PORT_RANGE.size - 3 - 65;

const podDefaults = { restartPolicy: 'Always' as const, dnsPolicy: 'ClusterFirst' as const, schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 };

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Exact counts per type for `total` services: largest remainder, ties in TYPES order. */
export function typeCounts(total: number, mix: TypeMix = DEFAULT_TYPE_MIX): TypeMix {
  const weights = TYPES.map((t) => Math.max(0, mix[t] ?? 0));
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) throw new Error('typeMix: at least one weight must be positive');
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  const out = Object.fromEntries(TYPES.map((t, i) => [t, counts[i]!])) as TypeMix;
  // nodePort budget: NodePort and LoadBalancer both take one; the surplus falls back to ClusterIP.
  let over = out.NodePort + out.LoadBalancer - GENERATED_NODE_PORT_BUDGET;
  if (over > 0) {
    const fromLb = Math.min(over, Math.max(0, out.LoadBalancer - Math.floor((GENERATED_NODE_PORT_BUDGET * out.LoadBalancer) / (out.NodePort + out.LoadBalancer))));
    out.LoadBalancer -= fromLb;
    over -= fromLb;
    out.NodePort -= over;
    out.ClusterIP += fromLb + over;
  }
  return out;
}

/** The seeded type of each service index (exact counts, shuffled by seed). */
function serviceTypes(seed: number, total: number, mix: TypeMix): GeneratedServiceType[] {
  const counts = typeCounts(total, mix);
  const types: GeneratedServiceType[] = [];
  for (const t of TYPES) for (let i = 0; i < counts[t]; i++) types.push(t);
  const keyed = types.map((t, i) => ({ t, k: seeded(seed, 'generate', 'type-order', i), i }));
  keyed.sort((a, b) => a.k - b.k || a.i - b.i);
  return keyed.map((x) => x.t);
}

function replicasFor(seed: number, i: number, pps: GenerateOptions['podsPerService']): number {
  if (typeof pps === 'number') return pps;
  const lo = Math.min(pps.min, pps.max);
  const hi = Math.max(pps.min, pps.max);
  return lo + (seeded(seed, 'generate', 'replicas', i) % (hi - lo + 1));
}

function checkCount(name: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}: expected an integer >= ${min}, got ${n}`);
}

export interface GeneratedName {
  namespace: string;
  name: string;
  type: GeneratedServiceType;
  replicas: number;
}

/** Where service `i` lives and what it is (the plan `generateClusterObjects` follows). */
export function generatedPlan(opts: GenerateOptions): GeneratedName[] {
  checkCount('namespaces', opts.namespaces, 1);
  checkCount('services', opts.services, 0);
  if (typeof opts.podsPerService === 'number') checkCount('podsPerService', opts.podsPerService, 0);
  else {
    checkCount('podsPerService.min', opts.podsPerService.min, 0);
    checkCount('podsPerService.max', opts.podsPerService.max, 0);
  }
  const types = serviceTypes(opts.seed, opts.services, opts.typeMix ?? DEFAULT_TYPE_MIX);
  const nsWidth = Math.max(3, String(opts.namespaces - 1).length);
  const svcWidth = Math.max(5, String(opts.services - 1).length);
  return types.map((type, i) => ({
    namespace: `ns-${pad(i % opts.namespaces, nsWidth)}`,
    name: `svc-${pad(i, svcWidth)}`,
    type,
    replicas: replicasFor(opts.seed, i, opts.podsPerService),
  }));
}

function namespaceInput(name: string): ObjectInput<'Namespace'> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'netsim.dev/generated': 'true' } } };
}

function deploymentInput(p: GeneratedName): ObjectInput<'Deployment'> {
  const labels = { app: p.name };
  const c: Container = { name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }] };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: p.name, namespace: p.namespace, labels },
    spec: {
      replicas: p.replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { ...podDefaults, containers: [c] } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
  };
}

function serviceInput(p: GeneratedName): ObjectInput<'Service'> {
  const type: ServiceType = p.type === 'headless' ? 'ClusterIP' : p.type;
  const base = { sessionAffinity: 'None' as const, internalTrafficPolicy: 'Cluster' as const };
  const meta = { name: p.name, namespace: p.namespace, labels: { app: p.name } };
  if (type === 'ExternalName') {
    return { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { ...base, type, externalName: `${p.name}.${p.namespace}.example.com` } };
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta,
    spec: {
      ...base,
      type,
      ...(type !== 'ClusterIP' ? { externalTrafficPolicy: 'Cluster' as const } : {}),
      ...(p.type === 'headless' ? { clusterIP: 'None' } : {}),
      selector: { app: p.name },
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }],
    },
  };
}

function ingressInput(seed: number, k: number, plan: GeneratedName[]): ObjectInput<'Ingress'> | undefined {
  // Backends: ClusterIP-backed services (not headless/ExternalName), seeded picks, 1-3 paths.
  const candidates = plan.filter((p) => p.type === 'ClusterIP' || p.type === 'NodePort' || p.type === 'LoadBalancer');
  if (!candidates.length) return undefined;
  const first = candidates[seeded(seed, 'generate', 'ingress', k) % candidates.length]!;
  const same = candidates.filter((p) => p.namespace === first.namespace);
  const paths = 1 + (seeded(seed, 'generate', 'ingress-paths', k) % 3);
  const picked: GeneratedName[] = [];
  for (let j = 0; j < paths; j++) {
    const p = same[seeded(seed, 'generate', 'ingress-backend', k, j) % same.length]!;
    if (!picked.includes(p)) picked.push(p);
  }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: `ing-${pad(k, 3)}`, namespace: first.namespace },
    spec: {
      rules: [
        {
          host: `app${k}.example.test`,
          http: {
            paths: picked.map((p, j) => ({ path: j === 0 ? '/' : `/${p.name}`, pathType: 'Prefix' as const, backend: { service: { name: p.name, port: { number: 80 } } } })),
          },
        },
      ],
    },
  };
}

export function defaultIngressCount(services: number): number {
  return Math.min(20, Math.ceil(services / 50));
}

/** The objects of a synthetic workload, in apply order: namespaces, Deployments, Services, Ingresses. */
export function generateClusterObjects(opts: GenerateOptions): ObjectInput[] {
  const plan = generatedPlan(opts);
  const nsWidth = Math.max(3, String(opts.namespaces - 1).length);
  const out: ObjectInput[] = [];
  for (let n = 0; n < opts.namespaces; n++) out.push(namespaceInput(`ns-${pad(n, nsWidth)}`));
  // Grouped by namespace (stable), as one would apply a directory per namespace: a batch then
  // touches a few namespaces, not a little of every one.
  const byNamespace = [...plan].sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0));
  for (const p of byNamespace) out.push(deploymentInput(p));
  for (const p of byNamespace) out.push(serviceInput(p));
  const ingresses = opts.ingresses ?? defaultIngressCount(opts.services);
  for (let k = 0; k < ingresses; k++) {
    const ing = ingressInput(opts.seed, k, plan);
    if (ing) out.push(ing);
  }
  return out;
}

/**
 * Bootstrap options sized for `nodes`: node network 10.0.0.0/16 (room for 65,524 nodes), pod
 * CIDR 10.128.0.0/9 (/24 per node: 32,768 nodes), and a MetalLB pool on the node network's upper
 * half with room for every LoadBalancer Service. Service CIDR stays 10.96.0.0/12 (no overlap).
 */
export function generatedClusterOptions(nodes: number, loadBalancers: number): ClusterOptions {
  const nodeNetwork = '10.0.0.0/16';
  const pool = subRange(parseCidr(nodeNetwork), 32768, Math.max(16, loadBalancers + 16));
  return {
    nodes,
    nodeNetwork,
    podCIDR: '10.128.0.0/9',
    nodeCIDRMaskSize: 24,
    loadBalancerPool: [rangeText(pool)],
  };
}

/** Objects in the order applied, grouped into phases for progress reports. */
function phaseOf(input: ObjectInput): string {
  switch (input.kind) {
    case 'Namespace':
      return 'applying namespaces';
    case 'Deployment':
      return 'applying deployments';
    case 'Service':
      return 'applying services';
    default:
      return 'applying ingresses';
  }
}

/**
 * Objects per transition when generating. Larger batches cost less per object: each transition
 * has each controller copy the records it writes once, and at 2,000 the envelope builds in ~0.8×
 * the time it takes at 500 (the default before). Generated pod names depend on the batch (they
 * are drawn from the seed and the resourceVersion, which counts writes in another order), so a
 * seed gives the same cluster for the same batch size: `batchSize: 500` reproduces clusters
 * generated before.
 */
export const GENERATE_BATCH_SIZE = 2000;

/**
 * Bootstrap a `nodes`-node lab and apply a generated workload in batches (one transition per
 * batch), then advance the clock 5 s so MetalLB hands out LoadBalancer addresses.
 */
export function generateCluster(opts: GenerateClusterOptions): ClusterState {
  checkCount('nodes', opts.nodes, 1);
  const batchSize = opts.batchSize ?? GENERATE_BATCH_SIZE;
  checkCount('batchSize', batchSize, 1);
  const objects = generateClusterObjects(opts);
  const lbs = objects.filter((o) => o.kind === 'Service' && (o as ObjectInput<'Service'>).spec.type === 'LoadBalancer').length;
  const progress = opts.onProgress ?? (() => {});
  const bootPhase = `bootstrapping ${opts.nodes} nodes`;
  progress(0, 1, bootPhase);
  let state = bootstrapCluster({ ...generatedClusterOptions(opts.nodes, lbs), ...(opts.cluster ?? {}), seed: opts.seed });
  progress(1, 1, bootPhase);
  // Phases in order; each is cut into batches that never straddle two phases.
  const phases: { phase: string; items: ObjectInput[] }[] = [];
  for (const o of objects) {
    const ph = phaseOf(o);
    const last = phases[phases.length - 1];
    if (last?.phase === ph) last.items.push(o);
    else phases.push({ phase: ph, items: [o] });
  }
  for (const { phase, items } of phases) {
    progress(0, items.length, phase);
    for (let i = 0; i < items.length; i += batchSize) {
      const batch = items.slice(i, i + batchSize);
      state = applyObjects(state, batch).state;
      progress(Math.min(i + batchSize, items.length), items.length, phase);
    }
  }
  progress(0, 1, 'provisioning load balancers');
  state = advanceClock(state, 5_000);
  progress(1, 1, 'provisioning load balancers');
  return state;
}

/** Counts for a summary line. */
export function clusterStats(state: ClusterState): {
  nodes: number;
  pods: number;
  runningPods: number;
  services: number;
  endpoints: number;
  ingresses: number;
  deployments: number;
} {
  let pods = 0;
  let runningPods = 0;
  for (const shard of Object.values(state.pods)) {
    for (const p of Object.values(shard)) {
      pods++;
      if (p.status.phase === 'Running') runningPods++;
    }
  }
  const count = (m: Record<string, Record<string, unknown>>) => Object.values(m).reduce((a, s) => a + Object.keys(s).length, 0);
  let endpoints = 0;
  for (const shard of Object.values(state.endpoints)) {
    for (const e of Object.values(shard)) for (const s of e.subsets ?? []) endpoints += (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0);
  }
  return {
    nodes: Object.keys(state.nodes).length,
    pods,
    runningPods,
    services: count(state.services),
    endpoints,
    ingresses: count(state.ingresses),
    deployments: count(state.deployments),
  };
}
