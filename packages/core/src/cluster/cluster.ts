// The library's front door: an immutable Cluster wrapping a ClusterState. Every method that
// changes something returns a new Cluster; the old one is untouched (and still usable).

import { parseManifests } from '../api/yaml.js';
import { validateManifest } from '../api/manifest.js';
import type { Kind } from '../api/types.js';
import { badRequest, notFound } from '../api/errors.js';
import { trace, traceAll, type TraceOutcome } from '../packet/walker.js';
import { reach, type ReachMatrix, type ReachOptions } from '../packet/reach.js';
import { isPlainObject, NetsimInputError, ownEntry, unknownKey } from '../packet/request.js';
import { produce } from '../util/immer.js';
import type { TraceRequest, TraceResult } from '../packet/types.js';
import type { ShellContext, ShellEnv } from '../shell/context.js';
import { execLine, type ExecResult } from '../shell/exec.js';
import { runScript, type ScriptOptions, type ScriptResult } from '../shell/script.js';
import { applyObjects, deleteObject, scaleObject, settle, SETTLE_MAX_MS } from '../controllers/transitions.js';
import type { ApplyResult } from '../apiserver/storage.js';
import type { ClusterState } from '../state/types.js';
import { bootstrapCluster, joinNode, type ClusterOptions, type NodeSpecInput } from './bootstrap.js';
import { describeNode, describeService, listPods, type NodeInfo, type PodInfo, type PodQuery, type ServiceInfo } from './queries.js';

export interface ExecOptions {
  /** Run on this node (as after `ssh NODE`). */
  node?: string;
  /** Run inside this pod ("ns/name" or "name"), as `kubectl exec` does. */
  pod?: string;
  /** Run on the student's workstation outside the cluster (as after `netsim shell workstation`). */
  workstation?: boolean;
  stdin?: string;
  env?: ShellEnv;
}

const EXEC_OPTIONS = ['node', 'pod', 'workstation', 'stdin', 'env'] as const;

/** exec's arguments' types and keys (whether the node or pod exists is the API server's answer, below). */
function checkExec(line: unknown, options: unknown): asserts options is ExecOptions {
  if (typeof line !== 'string') throw new NetsimInputError('line', line, 'must be a command line (a string)');
  if (!isPlainObject(options)) throw new NetsimInputError('options', options, 'must be an object { node?, pod?, workstation?, stdin?, env? }');
  for (const key in options) if (Object.hasOwn(options, key) && !(EXEC_OPTIONS as readonly string[]).includes(key)) throw unknownKey('options', key, options[key], EXEC_OPTIONS);
  for (const key of ['node', 'pod'] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'string' || v === ''))
      throw new NetsimInputError(`options.${key}`, v, key === 'node' ? 'must be a node name' : 'must be a pod, "ns/name" or "name" (in default)');
  }
  if (options.node !== undefined && options.pod !== undefined)
    throw new NetsimInputError('options.pod', options.pod, 'options.node is given too: a command runs on a node or in a pod, not both');
  if (options.workstation !== undefined && typeof options.workstation !== 'boolean') throw new NetsimInputError('options.workstation', options.workstation, 'must be a boolean');
  if (options.workstation && (options.node !== undefined || options.pod !== undefined))
    throw new NetsimInputError(
      'options.workstation',
      options.workstation,
      `options.${options.node !== undefined ? 'node' : 'pod'} is given too: the workstation is outside the cluster`,
    );
  if (options.stdin !== undefined && typeof options.stdin !== 'string') throw new NetsimInputError('options.stdin', options.stdin, 'must be a string');
  const env = options.env;
  if (env === undefined) return;
  if (!isPlainObject(env)) throw new NetsimInputError('options.env', env, 'must be an object { readFile?, cwd? }');
  for (const key in env) if (Object.hasOwn(env, key) && key !== 'readFile' && key !== 'cwd') throw unknownKey('options.env', key, env[key], ['readFile', 'cwd']);
  if (env.readFile !== undefined && typeof env.readFile !== 'function') throw new NetsimInputError('options.env.readFile', env.readFile, 'must be a function (path) => text');
  if (env.cwd !== undefined && typeof env.cwd !== 'string') throw new NetsimInputError('options.env.cwd', env.cwd, 'must be a string');
}

/** The top-level keys every ClusterState has: what tells a snapshot from other JSON. */
const STATE_KEYS = ['config', 'clock', 'nodes', 'pods', 'nodeAgents', 'events'] as const;

/** The state `snapshotLines()` wrote, put together line by line. */
function fromLines(lines: readonly unknown[]): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  lines.forEach((line, i) => {
    const field = `snapshot[${i}]`;
    if (typeof line !== 'string') throw new NetsimInputError(field, line, 'must be a line from snapshotLines()');
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch (e) {
      throw new NetsimInputError(field, line, `not JSON: ${(e as Error).message}`);
    }
    const shape = 'not a snapshot line (["key", value] or ["key", "name", value])';
    if (!Array.isArray(entry) || (entry.length !== 2 && entry.length !== 3) || typeof entry[0] !== 'string' || entry[0] === '__proto__')
      throw new NetsimInputError(field, line, shape);
    if (entry.length === 2) {
      state[entry[0]] = entry[1];
      return;
    }
    const holder = state[entry[0]];
    if (typeof entry[1] !== 'string' || entry[1] === '__proto__') throw new NetsimInputError(field, line, shape);
    if (!isPlainObject(holder)) throw new NetsimInputError(field, line, `no earlier ["${entry[0]}", {}] line to hold it`);
    holder[entry[1]] = entry[2];
  });
  return state;
}

function checkSnapshot(state: unknown, original: unknown): asserts state is ClusterState {
  if (!isPlainObject(state)) throw new NetsimInputError('snapshot', original, 'not a cluster snapshot (a JSON object from snapshot())');
  const missing = STATE_KEYS.find((k) => state[k] === undefined);
  if (missing) throw new NetsimInputError('snapshot', original, `not a cluster snapshot (no "${missing}")`);
}

export class Cluster {
  private constructor(readonly state: ClusterState) {}

  /** The default lab (kubeadm, 1 control plane + 2 workers, Flannel) or a configured one. */
  static create(options: ClusterOptions = {}): Cluster {
    return new Cluster(bootstrapCluster(options));
  }

  static fromState(state: ClusterState): Cluster {
    return new Cluster(state);
  }

  /**
   * Restore a snapshot taken with `snapshot()` (its JSON text, or the state object, copied) or
   * with `snapshotLines()` (its lines): the exact inverse, `Cluster.restore(s).snapshot() === s`.
   * Nothing runs on the way in — a snapshot is of a converged state, as every Cluster's is. After
   * editing one by hand, run the controllers: `Cluster.fromState(reconcile(JSON.parse(text)))`.
   */
  static restore(snapshot: string | ClusterState | readonly string[]): Cluster {
    let state: unknown;
    if (typeof snapshot === 'string') {
      try {
        state = JSON.parse(snapshot);
      } catch (e) {
        throw new NetsimInputError('snapshot', snapshot, `not JSON: ${(e as Error).message}`);
      }
    } else if (Array.isArray(snapshot)) state = fromLines(snapshot);
    else if (isPlainObject(snapshot)) state = structuredClone(snapshot);
    else throw new NetsimInputError('snapshot', snapshot, 'must be the text snapshot() returns, its lines from snapshotLines(), or a ClusterState');
    checkSnapshot(state, snapshot);
    // A no-op produce deep-freezes the copy when auto-freeze is on, as every produced state is.
    return new Cluster(produce(state, () => {}));
  }

  /**
   * The state as one JSON text. A state whose text would be longer than a JavaScript string can
   * be (2^29 − 24 characters in V8: Kubernetes' envelope of 165,000 pods is ~700 MB) throws;
   * `snapshotLines()` gives the same snapshot in pieces.
   */
  snapshot(): string {
    try {
      return JSON.stringify(this.state);
    } catch (e) {
      if (e instanceof RangeError) throw new RangeError(`snapshot: the cluster's JSON is longer than a JavaScript string can be; take it with snapshotLines()`);
      throw e;
    }
  }

  /**
   * The snapshot as lines of JSON, for states too large for one string and for writing as JSON
   * Lines: `["key", value]` sets a top-level field, `["key", "name", value]` one entry of an
   * object-valued one (a namespace's pods, a bucket of node agents), in the state's own order.
   * `Cluster.restore(lines)` is its inverse; `JSON.parse(snapshot())` equals the state the lines
   * put together.
   */
  snapshotLines(): string[] {
    const out: string[] = [];
    const state = this.state as unknown as Record<string, unknown>;
    for (const key of Object.keys(state)) {
      const value = state[key];
      if (value === undefined) continue;
      if (!isPlainObject(value)) {
        out.push(JSON.stringify([key, value]));
        continue;
      }
      out.push(JSON.stringify([key, {}]));
      for (const name of Object.keys(value)) if (value[name] !== undefined) out.push(JSON.stringify([key, name, value[name]]));
    }
    return out;
  }

  /**
   * Apply manifests (YAML text, one object or several) as one transition: every object lands,
   * or an ApiError is thrown and nothing changes.
   */
  apply(manifests: string | object | readonly object[]): Cluster {
    return this.applyWithResults(manifests).cluster;
  }

  applyWithResults(manifests: string | object | readonly object[]): { cluster: Cluster; results: ApplyResult[] } {
    const docs: unknown[] = typeof manifests === 'string' ? parseManifests(manifests) : Array.isArray(manifests) ? [...manifests] : [manifests];
    const inputs = docs.map((d) => validateManifest(d, { kubernetesVersion: this.state.config.kubernetesVersion }));
    const { state, results } = applyObjects(this.state, inputs);
    return { cluster: new Cluster(state), results };
  }

  /** A node joins (kubeadm join); every other node's overlay tables learn its lease. */
  addNode(spec: NodeSpecInput): Cluster {
    return new Cluster(joinNode(this.state, spec));
  }

  delete(kind: Kind, name: string, namespace?: string): Cluster {
    return new Cluster(deleteObject(this.state, kind, namespace, name));
  }

  scale(kind: 'Deployment' | 'ReplicaSet', name: string, replicas: number, namespace = 'default'): Cluster {
    return new Cluster(scaleObject(this.state, kind, namespace, name, replicas));
  }

  /**
   * Let simulated time pass until no controller has work only time brings: MetalLB assigns
   * pending LoadBalancer addresses (2 s after creation), a Node without a kubelet goes Unknown
   * after its grace period, a ReplicaSet past its 500-pod burst finishes. The clock moves in whole
   * seconds, at most `maxMs` (default and ceiling 10 simulated minutes); what is due later stays
   * pending (`nextTimer(c.state)` says when). A settled cluster is returned as is (`this`).
   * @example Cluster.create().apply(lbServiceYaml).settle().service('web').loadBalancerIPs
   */
  settle(options: { maxMs?: number } = {}): Cluster {
    if (!isPlainObject(options)) throw new NetsimInputError('options', options, 'must be an object { maxMs? }');
    for (const key in options) if (Object.hasOwn(options, key) && key !== 'maxMs') throw unknownKey('options', key, (options as Record<string, unknown>)[key], ['maxMs']);
    const maxMs = options.maxMs;
    if (maxMs !== undefined && !(typeof maxMs === 'number' && Number.isInteger(maxMs) && maxMs >= 0 && maxMs <= SETTLE_MAX_MS))
      throw new NetsimInputError('options.maxMs', maxMs, `must be an integer from 0 to ${SETTLE_MAX_MS} (simulated milliseconds)`);
    const next = settle(this.state, maxMs === undefined ? {} : { maxMs });
    return next === this.state ? this : new Cluster(next);
  }

  /**
   * Trace one packet hop by hop. Random choices (kube-proxy's `-m statistic`) are drawn from the
   * cluster's seed and the connection, so the same request always takes the same path.
   */
  trace(request: TraceRequest): TraceResult {
    return trace(this.state, request);
  }

  /**
   * Every path the packet can take, each with its probability (they sum to 1), as
   * `netsim trace --all` prints them: one outcome per endpoint kube-proxy may pick.
   */
  traceAll(request: TraceRequest): TraceOutcome[] {
    return traceAll(this.state, request);
  }

  /**
   * The NetworkPolicy reachability matrix: one trace from every source pod to every destination
   * pod IP on each port (default 80/TCP), classified allowed / denied / unreachable, with the
   * policy and rule that decided, as `netsim reach` prints it.
   * @example c.reach({ ports: [80, 443], groupBy: 'namespace' }).groups
   */
  reach(options: ReachOptions = {}): ReachMatrix {
    return reach(this.state, options);
  }

  /**
   * Pods with their address and node, sorted by namespace then name.
   * @example c.pods({ selector: 'app=web' }).map((p) => p.ip)
   */
  pods(query: PodQuery = {}): PodInfo[] {
    return listPods(this.state, query);
  }

  /**
   * A Service ("ns/name", or "name" in default): ClusterIPs, ports, load-balancer and external
   * IPs, and its endpoints as kube-proxy sees them (EndpointSlices). Throws the API server's
   * NotFound error (`services "x" not found`) when there is none.
   */
  service(ref: string): ServiceInfo {
    const info = describeService(this.state, ref);
    if (!info) throw notFound('services', ref.slice(ref.indexOf('/') + 1));
    return info;
  }

  /** A node's internal IP, podCIDR, readiness and roles; NotFound (`nodes "x" not found`) otherwise. */
  node(name: string): NodeInfo {
    const info = describeNode(this.state, name);
    if (!info) throw notFound('nodes', name);
    return info;
  }

  /** Run one shell command line; `result.cluster` carries any change it made. */
  exec(line: string, options: ExecOptions = {}): ExecResult & { cluster: Cluster } {
    checkExec(line, options);
    let ctx: ShellContext = options.workstation ? { kind: 'workstation' } : { kind: 'host' };
    if (options.node) {
      if (!ownEntry(this.state.nodes, options.node)) throw notFound('nodes', options.node);
      ctx = { kind: 'node', node: options.node };
    }
    if (options.pod) {
      const key = options.pod.includes('/') ? options.pod : `default/${options.pod}`;
      const [ns = '', name = ''] = key.split('/');
      const pod = ownEntry(ownEntry(this.state.pods, ns), name);
      // What the API server answers kubectl exec (pods/exec): NotFound, or BadRequest when unbound.
      if (!pod) throw notFound('pods', name);
      const node = pod.spec.nodeName;
      if (!node) throw badRequest(`pod ${name} does not have a host assigned`);
      ctx = { kind: 'pod', pod: key, node };
    }
    const r = execLine(this.state, line, ctx, options.env ?? {}, options.stdin ?? '');
    return { ...r, cluster: r.state === this.state ? this : new Cluster(r.state) };
  }

  /** Run a lesson script and return its transcript. */
  run(script: string, env: ShellEnv = {}, options: ScriptOptions = {}): ScriptResult & { cluster: Cluster } {
    const r = runScript(this.state, script, env, { kind: 'host' }, options);
    return { ...r, cluster: new Cluster(r.state) };
  }
}
