// The library's front door: an immutable Cluster wrapping a ClusterState. Every method that
// changes something returns a new Cluster; the old one is untouched (and still usable).

import { parseManifests } from '../api/yaml.js';
import { validateManifest } from '../api/manifest.js';
import type { Kind } from '../api/types.js';
import { badRequest, notFound } from '../api/errors.js';
import { trace, traceAll, type TraceOutcome } from '../packet/walker.js';
import type { TraceRequest, TraceResult } from '../packet/types.js';
import type { ShellContext, ShellEnv } from '../shell/context.js';
import { execLine, type ExecResult } from '../shell/exec.js';
import { runScript, type ScriptOptions, type ScriptResult } from '../shell/script.js';
import { applyObjects, deleteObject, reconcile, scaleObject } from '../controllers/transitions.js';
import type { ApplyResult } from '../apiserver/storage.js';
import type { ClusterState } from '../state/types.js';
import { bootstrapCluster, joinNode, type ClusterOptions, type NodeSpecInput } from './bootstrap.js';
import { describeNode, describeService, listPods, type NodeInfo, type PodInfo, type PodQuery, type ServiceInfo } from './queries.js';

export interface ExecOptions {
  /** Run on this node (as after `ssh NODE`). */
  node?: string;
  /** Run inside this pod ("ns/name" or "name"), as `kubectl exec` does. */
  pod?: string;
  stdin?: string;
  env?: ShellEnv;
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

  /** Restore a snapshot taken with `snapshot()`. */
  static restore(snapshot: string | ClusterState): Cluster {
    const state = typeof snapshot === 'string' ? (JSON.parse(snapshot) as ClusterState) : structuredClone(snapshot);
    return new Cluster(reconcile(state));
  }

  snapshot(): string {
    return JSON.stringify(this.state);
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
    let ctx: ShellContext = { kind: 'host' };
    if (options.node) {
      if (!this.state.nodes[options.node]) throw notFound('nodes', options.node);
      ctx = { kind: 'node', node: options.node };
    }
    if (options.pod) {
      const key = options.pod.includes('/') ? options.pod : `default/${options.pod}`;
      const [ns = '', name = ''] = key.split('/');
      const pod = this.state.pods[ns]?.[name];
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
