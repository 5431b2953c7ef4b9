// Category `exhaustion`: running out of addresses and ports — pod IPs on a node (host-local on a
// small per-node CIDR), ClusterIPs (a small service CIDR), nodePorts (all 2768 taken), the MetalLB
// pool (a few addresses), node podCIDRs (a small pod CIDR for many nodes) — then freeing some and
// asking again. Every step either is refused with a typed error and changes nothing, or leaves
// a sound cluster.

import fc from 'fast-check';
import { advanceClock, Cluster, type ClusterOptions, type Kind } from '@k8s-netsim/core';
import { showValue, toYamlFlow } from './gen.js';
import { attempt, attemptExec, clip, expectInvariants as checkInvariantsNow, expectUnchanged, fold, guard, snapshotOf, type CaseContext, type Category } from './harness.js';

type Scenario = 'pod-ips' | 'cluster-ips' | 'node-ports' | 'lb-pool' | 'pod-cidrs';

type Op =
  | { op: 'deploy'; name: string; replicas: number; node?: string; via: 'apply' | 'kubectl' }
  | { op: 'pods'; count: number; node?: string }
  | { op: 'scale'; name: string; replicas: number; via: 'library' | 'kubectl' }
  | { op: 'delete'; kind: Kind; name: string; via: 'library' | 'kubectl' }
  | { op: 'delete-pod'; nth: number }
  | {
      op: 'services';
      count: number;
      type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
      prefix: string;
      clusterIP?: string;
      nodePort?: number;
      loadBalancerIP?: string;
      local?: boolean;
      shared?: boolean;
      via: 'apply' | 'kubectl';
    }
  | { op: 'patch-type'; name: string; type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' }
  | { op: 'add-node'; name: string; ip?: string }
  | { op: 'daemonset'; name: string }
  | { op: 'wait'; seconds: number };

export interface ExhaustionInput {
  scenario: Scenario;
  options: ClusterOptions;
  ops: Op[];
}

const meta = (name: string) => ({ name, namespace: 'default' });

function deployment(name: string, replicas: number, node?: string): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { ...(node ? { nodeSelector: { 'kubernetes.io/hostname': node } } : {}), containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

function pod(name: string, node?: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name),
    spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] },
  };
}

function service(op: Extract<Op, { op: 'services' }>, i: number): object {
  const annotations = op.shared ? { 'metallb.universe.tf/allow-shared-ip': 'key' } : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...meta(`${op.prefix}${i}`), ...(annotations ? { annotations } : {}) },
    spec: {
      type: op.type,
      selector: { app: 'w0' },
      ...(op.clusterIP && i === 0 ? { clusterIP: op.clusterIP } : {}),
      ...(op.loadBalancerIP && i === 0 ? { loadBalancerIP: op.loadBalancerIP } : {}),
      ...(op.local && op.type !== 'ClusterIP' ? { externalTrafficPolicy: 'Local' } : {}),
      ports: [{ port: 80, ...(op.nodePort !== undefined && i === 0 && op.type !== 'ClusterIP' ? { nodePort: op.nodePort } : {}) }],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Generators per scenario.

/** NodePort Services filling the range (30000-32767, 2768 ports) beside ingress-nginx's three. */
const NODE_PORT_FILL = 2765;

const NAMES = ['w0', 'w1', 'w2'];
const arbName = fc.constantFrom(...NAMES);
const arbVia = fc.constantFrom<'apply' | 'kubectl'>('apply', 'apply', 'kubectl');
const arbLibVia = fc.constantFrom<'library' | 'kubectl'>('library', 'kubectl');

const arbDeploy = (nodes: string[], max: number) =>
  fc.record({ op: fc.constant('deploy' as const), name: arbName, replicas: fc.integer({ min: 0, max }), node: fc.constantFrom(undefined, ...nodes), via: arbVia });
const arbScale = (max: number) => fc.record({ op: fc.constant('scale' as const), name: arbName, replicas: fc.integer({ min: 0, max }), via: arbLibVia });
const arbDeleteDeploy = fc.record({ op: fc.constant('delete' as const), kind: fc.constant<Kind>('Deployment'), name: arbName, via: arbLibVia });
const arbDeletePod = fc.record({ op: fc.constant('delete-pod' as const), nth: fc.nat() });
const arbWait = fc.record({ op: fc.constant('wait' as const), seconds: fc.constantFrom(1, 3, 60) });

function arbServices(
  type: fc.Arbitrary<'ClusterIP' | 'NodePort' | 'LoadBalancer'>,
  max: number,
  extra: Partial<Record<'clusterIP' | 'nodePort' | 'loadBalancerIP', fc.Arbitrary<unknown>>> = {},
) {
  return fc
    .record({
      count: fc.integer({ min: 1, max }),
      type,
      prefix: fc.constantFrom('s', 't'),
      clusterIP: extra.clusterIP ?? fc.constant(undefined),
      nodePort: extra.nodePort ?? fc.constant(undefined),
      loadBalancerIP: extra.loadBalancerIP ?? fc.constant(undefined),
      local: fc.boolean(),
      shared: fc.oneof({ withCrossShrink: true }, { weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      via: arbVia,
    })
    .map((r) => {
      const out: Record<string, unknown> = { op: 'services' };
      for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
      return out as Extract<Op, { op: 'services' }>;
    });
}

const arbDeleteService = fc.record({
  op: fc.constant('delete' as const),
  kind: fc.constant<Kind>('Service'),
  name: fc.tuple(fc.constantFrom('s', 't'), fc.nat({ max: 12 })).map(([p, i]) => `${p}${i}`),
  via: arbLibVia,
});

const SCENARIOS: Record<Scenario, fc.Arbitrary<Omit<ExhaustionInput, 'scenario'>>> = {
  // host-local on a /26../30 per node: a handful of addresses, some taken by the lab's own pods.
  'pod-ips': fc.record({
    options: fc.record({ nodes: fc.constantFrom(1, 2, 3), nodeCIDRMaskSize: fc.constantFrom(26, 27, 28, 29, 30) }),
    ops: fc.array(
      fc.oneof(
        arbDeploy(['node01', 'controlplane'], 20),
        fc.record({ op: fc.constant('pods' as const), count: fc.integer({ min: 1, max: 10 }), node: fc.constantFrom(undefined, 'node01', 'controlplane') }),
        arbScale(20),
        arbDeleteDeploy,
        arbDeletePod,
        arbWait,
      ),
      { minLength: 1, maxLength: 5 },
    ),
  }),
  // A service CIDR of 8..64 addresses (kubernetes .1 and kube-dns .10 are taken at bootstrap).
  'cluster-ips': fc.record({
    options: fc.record({ serviceCIDR: fc.constantFrom('10.96.0.0/26', '10.96.0.0/27', '10.96.0.0/28', '10.96.0.0/29') }),
    ops: fc.array(
      fc.oneof(
        arbServices(fc.constantFrom('ClusterIP', 'NodePort'), 20, {
          clusterIP: fc.constantFrom(undefined, '10.96.0.2', '10.96.0.10', '10.96.0.14', '10.96.0.15', '10.96.0.63', '10.96.1.1', 'None'),
        }),
        arbDeleteService,
        fc.record({ op: fc.constant('patch-type' as const), name: fc.constantFrom('s0', 's1', 't0'), type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer') }),
      ),
      { minLength: 1, maxLength: 5 },
    ),
  }),
  // Every nodePort taken (a shared cluster with all 2768 ports allocated), then more asked.
  'node-ports': fc.record({
    options: fc.constant({}),
    ops: fc.array(
      fc.oneof(
        arbServices(fc.constantFrom('NodePort', 'LoadBalancer'), 6, { nodePort: fc.constantFrom(undefined, 30000, 30080, 32767, 32768, 29999) }),
        arbDeleteService,
        fc.record({ op: fc.constant('delete' as const), kind: fc.constant<Kind>('Service'), name: fc.nat({ max: NODE_PORT_FILL - 1 }).map((i) => `fill-${i}`), via: arbLibVia }),
        fc.record({ op: fc.constant('patch-type' as const), name: fc.constantFrom('fill-0', 'fill-1', 's0'), type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer') }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  }),
  // A MetalLB pool of 1..4 addresses (ingress-nginx's LoadBalancer takes one at bootstrap).
  'lb-pool': fc.record({
    options: fc.record({
      loadBalancerPool: fc.constantFrom(
        ['192.168.56.240-192.168.56.242'],
        ['192.168.56.240/32'],
        ['192.168.56.240/31', '192.168.56.250-192.168.56.250'],
        ['192.168.56.240-192.168.56.241'],
        [],
      ),
    }),
    ops: fc.array(
      fc.oneof(
        arbServices(fc.constant('LoadBalancer' as const), 5, {
          loadBalancerIP: fc.constantFrom(undefined, '192.168.56.240', '192.168.56.241', '192.168.56.250', '192.168.56.249', '10.0.0.1'),
        }),
        arbDeleteService,
        fc.record({ op: fc.constant('patch-type' as const), name: fc.constantFrom('s0', 's1', 't0', 't1'), type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer') }),
        arbDeploy(['node01'], 3),
        arbWait,
      ),
      { minLength: 1, maxLength: 6 },
    ),
  }),
  // A pod CIDR with room for 1..4 node CIDRs, more nodes than that, nodes joining and leaving.
  'pod-cidrs': fc.record({
    options: fc.record({
      podCIDR: fc.constantFrom('10.244.0.0/22', '10.244.0.0/23', '10.244.0.0/24'),
      nodeCIDRMaskSize: fc.constantFrom(24, 25),
      nodes: fc.constantFrom(2, 3, 5, 7),
    }),
    ops: fc.array(
      fc.oneof(
        fc.record({
          op: fc.constant('add-node' as const),
          name: fc.constantFrom('node07', 'node08', 'node09', 'node01', 'extra'),
          ip: fc.constantFrom(undefined, '192.168.56.40', '192.168.56.11'),
        }),
        fc.record({
          op: fc.constant('delete' as const),
          kind: fc.constant<Kind>('Node'),
          name: fc.constantFrom('node01', 'node02', 'node05', 'controlplane', 'node08'),
          via: arbLibVia,
        }),
        fc.record({ op: fc.constant('daemonset' as const), name: fc.constantFrom('ds0', 'ds1') }),
        arbDeploy(['node02', 'node05'], 6),
        arbWait,
      ),
      { minLength: 1, maxLength: 6 },
    ),
  }),
};

// ---------------------------------------------------------------------------------------------
// Bases (built once per process for each distinct options) and the steps.

/** Each distinct start, built once per process: the cluster, or the typed refusal, or the failure it showed. */
const bases = new Map<string, { cluster?: Cluster; failure?: unknown }>();

/**
 * The nodePort-exhausted cluster: one node, and 2765 NodePort Services besides ingress-nginx's
 * LoadBalancer (which holds 3 of the range's 2768 ports). One node keeps the rulesets small.
 */
function nodePortBase(): Cluster {
  const fill = Array.from({ length: NODE_PORT_FILL }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(`fill-${i}`),
    spec: { type: 'NodePort', ports: [{ port: 80 }] },
  }));
  return Cluster.create({ nodes: 1 }).apply(fill);
}

/** The cluster a case starts from; undefined when creating it was refused (typed). A crash or broken invariant fails every case that starts there. */
function base(ctx: CaseContext, input: Pick<ExhaustionInput, 'scenario' | 'options'>): Cluster | undefined {
  const key = `${input.scenario}:${JSON.stringify(input.options)}`;
  let b = bases.get(key);
  if (b === undefined) {
    const what = input.scenario === 'node-ports' ? 'the nodePort-exhausted cluster' : `Cluster.create(${JSON.stringify(input.options)})`;
    try {
      const r = attempt(ctx, what, () => (input.scenario === 'node-ports' ? nodePortBase() : Cluster.create(input.options)));
      if (r.ok) checkInvariantsNow(what, r.value);
      b = r.ok ? { cluster: r.value } : {};
    } catch (e) {
      b = { failure: e };
    }
    bases.set(key, b);
  }
  if (b.failure !== undefined) throw b.failure;
  return b.cluster;
}

function describeOp(o: Op): string {
  switch (o.op) {
    case 'deploy':
      return `${o.via === 'kubectl' ? 'kubectl apply' : 'apply'} Deployment ${o.name} ×${o.replicas}${o.node ? ` on ${o.node}` : ''}`;
    case 'pods':
      return `apply ${o.count} Pods${o.node ? ` on ${o.node}` : ''}`;
    case 'scale':
      return `${o.via === 'kubectl' ? 'kubectl scale' : 'scale'} Deployment ${o.name} to ${o.replicas}`;
    case 'delete':
      return `${o.via === 'kubectl' ? 'kubectl delete' : 'delete'} ${o.kind} ${o.name}`;
    case 'delete-pod':
      return `delete the ${o.nth}th pod of the default namespace`;
    case 'services': {
      const extra = [
        o.clusterIP && `clusterIP ${o.clusterIP}`,
        o.nodePort !== undefined && `nodePort ${o.nodePort}`,
        o.loadBalancerIP && `loadBalancerIP ${o.loadBalancerIP}`,
        o.local && 'ETP Local',
        o.shared && 'allow-shared-ip',
      ].filter(Boolean);
      return `${o.via === 'kubectl' ? 'kubectl apply' : 'apply'} ${o.count} ${o.type} Services ${o.prefix}0..${o.prefix}${o.count - 1}${extra.length ? ` (first: ${extra.join(', ')})` : ''}`;
    }
    case 'patch-type':
      return `kubectl patch svc ${o.name} to type ${o.type}`;
    case 'add-node':
      return `addNode(${showValue(o.ip ? { name: o.name, ip: o.ip } : { name: o.name })})`;
    case 'daemonset':
      return `apply DaemonSet ${o.name}`;
    case 'wait':
      return `sleep ${o.seconds}`;
  }
}

/**
 * One step: the library call or kubectl line, then the oracle. `invariants: false` leaves the
 * invariants to the end of the case (the nodePort cluster is large: a check costs ~100 ms).
 */
function step(ctx: CaseContext, c: Cluster, o: Op, invariants = true): Cluster {
  const expectInvariants: typeof checkInvariantsNow = invariants ? checkInvariantsNow : () => {};
  const what = describeOp(o);
  const before = snapshotOf(c);
  const library = (fn: () => Cluster): Cluster => {
    const r = attempt(ctx, what, fn);
    if (!r.ok) {
      expectUnchanged(`${what} refused`, before, c, r.error.message);
      return c;
    }
    expectInvariants(`after ${what}`, r.value);
    return r.value;
  };
  const kubectl = (line: string, stdin?: string): Cluster => {
    const r = attemptExec(ctx, `${what} (Cluster.exec)`, () => c.exec(line, stdin !== undefined ? { stdin } : {}));
    if (!r.ok) return c;
    if (r.value.exitCode !== 0 && r.value.stdout === '') expectUnchanged(`${what} failed`, before, r.value.cluster, r.value.stderr);
    if (r.value.cluster !== c) expectInvariants(`after ${what}`, r.value.cluster);
    return r.value.cluster;
  };
  const objects = (list: object[], via: 'apply' | 'kubectl') =>
    via === 'apply' ? library(() => c.apply(list)) : kubectl('kubectl apply -f -', list.map((x) => `${toYamlFlow(x)}\n`).join('---\n'));
  switch (o.op) {
    case 'deploy':
      return objects([deployment(o.name, o.replicas, o.node)], o.via);
    case 'pods':
      return objects(
        Array.from({ length: o.count }, (_, i) => pod(`p${i}`, o.node)),
        'apply',
      );
    case 'scale':
      return o.via === 'library' ? library(() => c.scale('Deployment', o.name, o.replicas)) : kubectl(`kubectl scale deployment ${o.name} --replicas=${o.replicas}`);
    case 'delete':
      return o.via === 'library'
        ? library(() => c.delete(o.kind, o.name, o.kind === 'Node' ? undefined : 'default'))
        : kubectl(`kubectl delete ${o.kind === 'Node' ? 'node' : o.kind === 'Service' ? 'svc' : 'deployment'} ${o.name}`);
    case 'delete-pod': {
      const pods = Object.keys(c.state.pods.default ?? {}).sort();
      if (pods.length === 0) return c;
      return library(() => c.delete('Pod', pods[o.nth % pods.length]!, 'default'));
    }
    case 'services':
      return objects(
        Array.from({ length: o.count }, (_, i) => service(o, i)),
        o.via,
      );
    case 'patch-type':
      return kubectl(`kubectl patch svc ${o.name} -p '{"spec":{"type":"${o.type}"}}'`);
    case 'add-node':
      return library(() => c.addNode(o.ip ? { name: o.name, ip: o.ip } : { name: o.name }));
    case 'daemonset':
      return objects(
        [
          {
            apiVersion: 'apps/v1',
            kind: 'DaemonSet',
            metadata: meta(o.name),
            spec: {
              selector: { matchLabels: { app: o.name } },
              template: { metadata: { labels: { app: o.name } }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } },
            },
          },
        ],
        'apply',
      );
    case 'wait':
      return library(() => Cluster.fromState(advanceClock(c.state, o.seconds * 1000)));
  }
}

export const exhaustionCategory: Category<ExhaustionInput> = {
  name: 'exhaustion',
  summary: 'running out: pod IPs on a node, ClusterIPs, nodePorts, the MetalLB pool, node podCIDRs — then freeing and asking again',
  label: (input) => input.scenario,
  // The nodePort-exhausted cluster takes a second or two to build and check: not in a case's time.
  warm: () => void base({ typed: new Map() }, { scenario: 'node-ports', options: {} }),
  arbitrary: () =>
    fc.oneof(
      ...(Object.keys(SCENARIOS) as Scenario[]).map((scenario) => ({
        weight: scenario === 'node-ports' ? 1 : 4,
        arbitrary: SCENARIOS[scenario].map((x): ExhaustionInput => ({ scenario, ...x })),
      })),
    ),
  run: (input, ctx) => {
    const start = base(ctx, input);
    if (!start) return;
    let c = start;
    const each = input.scenario !== 'node-ports';
    for (const o of input.ops) c = step(ctx, c, o, each);
    if (!each && c !== start) checkInvariantsNow('at the end', c);
    guard('kubectl get pods,svc -A -o wide (at the end)', () => c.exec('kubectl get pods,svc -A -o wide'));
  },
  show: (input) => {
    const start =
      input.scenario === 'node-ports'
        ? `Cluster.create({ nodes: 1 }).apply(${NODE_PORT_FILL} NodePort Services fill-0..fill-${NODE_PORT_FILL - 1}) (every nodePort taken)`
        : `Cluster.create(${showValue(input.options)})`;
    return clip(fold(`${input.scenario}: ${start}, then\n${input.ops.map((o, i) => `  ${i + 1}. ${describeOp(o)}`).join('\n')}`), 3000);
  },
};
