// Typed access to the objects in ClusterState. Namespaced kinds are sharded by namespace
// (Record<ns, Record<name, T>>) so that an immer change to one pod copies one shard, not all.
//
// The records are plain objects (immer drafts them, JSON snapshots them), so every lookup by
// a name goes through `own`: `constructor` is a valid Kubernetes name, and `rec.constructor`
// on a record without it is Object's own constructor (writing through it would even write
// onto the global Object). Object.hasOwn works on immer drafts too (their
// getOwnPropertyDescriptor trap answers from the draft's latest copy).

import { freezeStored } from '../util/immer.js';
import type { ClusterKind, Kind, KindMap, NamespacedKind, ObjectMeta } from '../api/types.js';
import { isNamespaced } from '../api/types.js';
import type { NodeAgentState } from './node-agent.js';
import type { ClusterState, Namespaced } from './types.js';
import { fnv1a32 } from '../util/seeded.js';

export const NAMESPACED_FIELD = {
  Pod: 'pods',
  Deployment: 'deployments',
  ReplicaSet: 'replicaSets',
  DaemonSet: 'daemonSets',
  ConfigMap: 'configMaps',
  ServiceAccount: 'serviceAccounts',
  Service: 'services',
  Endpoints: 'endpoints',
  EndpointSlice: 'endpointSlices',
  Ingress: 'ingresses',
  NetworkPolicy: 'networkPolicies',
} as const satisfies Record<NamespacedKind, keyof ClusterState>;

// Each kind's slice as a typed accessor: TypeScript follows a generic K through a mapped type
// like these (and checks that each field holds its kind's objects), not through the field names
// of NAMESPACED_FIELD (which diff.ts goes by).
const NAMESPACED_SLICE: { readonly [K in NamespacedKind]: (state: ClusterState) => Namespaced<KindMap[K]> } = {
  Pod: (s) => s.pods,
  Deployment: (s) => s.deployments,
  ReplicaSet: (s) => s.replicaSets,
  DaemonSet: (s) => s.daemonSets,
  ConfigMap: (s) => s.configMaps,
  ServiceAccount: (s) => s.serviceAccounts,
  Service: (s) => s.services,
  Endpoints: (s) => s.endpoints,
  EndpointSlice: (s) => s.endpointSlices,
  Ingress: (s) => s.ingresses,
  NetworkPolicy: (s) => s.networkPolicies,
};

const CLUSTER_SLICE: { readonly [K in ClusterKind]: (state: ClusterState) => Record<string, KindMap[K]> } = {
  Namespace: (s) => s.namespaces,
  Node: (s) => s.nodes,
  ClusterRole: (s) => s.clusterRoles,
  ClusterRoleBinding: (s) => s.clusterRoleBindings,
  IngressClass: (s) => s.ingressClasses,
};

export function shardOf<K extends NamespacedKind>(state: ClusterState, kind: K): Namespaced<KindMap[K]> {
  return NAMESPACED_SLICE[kind](state);
}

function clusterRecord<K extends ClusterKind>(state: ClusterState, kind: K): Record<string, KindMap[K]> {
  return CLUSTER_SLICE[kind](state);
}

/**
 * `record[key]` when the record itself holds the key; undefined otherwise (never an inherited
 * property). The records hold objects only, and what a plain object inherits is a function
 * (`constructor`, `toString`, …) or, for `__proto__`, Object.prototype itself: one property read
 * tells them apart, cheaper than Object.hasOwn and then the read (lookups are the hot path).
 */
export function own<T extends object>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  if (record === undefined) return undefined;
  const v: unknown = record[key];
  return isInherited(v) ? undefined : (v as T);
}

/** Whether a value read from a record is something every object inherits (see `own`), or nothing. */
function isInherited(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || v === Object.prototype;
}

export function getObject<K extends Kind>(state: ClusterState, kind: K, namespace: string | undefined, name: string): KindMap[K] | undefined {
  if (isNamespaced(kind)) {
    const shard: unknown = shardOf(state, kind)[namespace ?? 'default'];
    if (isInherited(shard)) return undefined;
    const obj: unknown = (shard as Record<string, unknown>)[name];
    return isInherited(obj) ? undefined : (obj as KindMap[K]);
  }
  const obj: unknown = clusterRecord(state, kind as ClusterKind)[name];
  return isInherited(obj) ? undefined : (obj as KindMap[K]);
}

/** Objects of a kind, in one namespace or all, sorted by (namespace, name) like the API server. */
export function listObjects<K extends Kind>(state: ClusterState, kind: K, namespace?: string): KindMap[K][] {
  if (!isNamespaced(kind)) {
    const rec = clusterRecord(state, kind as ClusterKind);
    return Object.keys(rec)
      .sort()
      .map((n) => rec[n] as KindMap[K]);
  }
  const shards = shardOf(state, kind);
  const namespaces = namespace === undefined ? Object.keys(shards).sort() : [namespace];
  const out: KindMap[K][] = [];
  for (const ns of namespaces) {
    const shard = own(shards, ns);
    if (!shard) continue;
    for (const name of Object.keys(shard).sort()) out.push(shard[name] as KindMap[K]);
  }
  return out;
}

/** Store an object (inside an immer draft). */
export function putObject<K extends Kind>(draft: ClusterState, obj: KindMap[K]): void {
  const kind = obj.kind as K;
  // A new object holds no drafts: frozen, immer does not walk it looking for some.
  freezeStored(obj);
  if (isNamespaced(kind)) {
    const shards = shardOf(draft, kind) as Namespaced<KindMap[K]>;
    const ns = obj.metadata.namespace ?? 'default';
    if (!Object.hasOwn(shards, ns)) shards[ns] = {};
    shards[ns]![obj.metadata.name] = obj;
  } else {
    (clusterRecord(draft, kind as ClusterKind) as Record<string, KindMap[K]>)[obj.metadata.name] = obj;
  }
}

/** Remove an object (inside an immer draft); returns whether it existed. */
export function removeObject(draft: ClusterState, kind: Kind, namespace: string | undefined, name: string): boolean {
  if (isNamespaced(kind)) {
    const shards = shardOf(draft, kind);
    const ns = namespace ?? 'default';
    const shard = own(shards, ns);
    if (!shard || !Object.hasOwn(shard, name)) return false;
    delete shard[name];
    // Reflect.ownKeys, not Object.keys: on an immer draft the latter asks for every key's descriptor.
    if (Reflect.ownKeys(shard).length === 0) delete shards[ns];
    return true;
  }
  const rec = clusterRecord(draft, kind as ClusterKind);
  if (!Object.hasOwn(rec, name)) return false;
  delete rec[name];
  return true;
}

export function rfc3339(ms: number): string {
  // Every object a transition writes carries the same clock: format it once.
  if (ms !== lastStamp.ms) lastStamp = { ms, text: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  return lastStamp.text;
}
let lastStamp = { ms: Number.NaN, text: '' };

/** Next resourceVersion (inside a draft). */
export function nextResourceVersion(draft: ClusterState): string {
  draft.resourceVersion += 1;
  return String(draft.resourceVersion);
}

export function objectKey(meta: Pick<ObjectMeta, 'namespace' | 'name'>): string {
  return meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name;
}

/** A `namespace/name` key split at its first slash; a bare name is in the default namespace. */
export function splitObjectKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: 'default', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/**
 * Node agents are kept in buckets by a hash of the node name: an immer write into one agent
 * copies its bucket (a few dozen agents), not a record of every node's (V8 copies a large
 * object at ~400 ns a key).
 */
const AGENT_BUCKETS = 64;

export function agentBucket(node: string): string {
  return String(fnv1a32(node) % AGENT_BUCKETS);
}

export function getAgent(state: ClusterState, node: string): NodeAgentState | undefined {
  const bucket: unknown = state.nodeAgents[agentBucket(node)];
  if (isInherited(bucket)) return undefined;
  const agent: unknown = (bucket as Record<string, unknown>)[node];
  return isInherited(agent) ? undefined : (agent as NodeAgentState);
}

/** Store a node's agent (inside an immer draft). */
export function putAgent(draft: ClusterState, node: string, agent: NodeAgentState): void {
  const bucket = agentBucket(node);
  if (!Object.hasOwn(draft.nodeAgents, bucket)) draft.nodeAgents[bucket] = {};
  draft.nodeAgents[bucket]![node] = agent;
}

/** Remove a node's agent (inside an immer draft). */
export function removeAgent(draft: ClusterState, node: string): void {
  const bucket = agentBucket(node);
  const agents = own(draft.nodeAgents, bucket);
  if (!agents || !Object.hasOwn(agents, node)) return;
  delete agents[node];
  if (Reflect.ownKeys(agents).length === 0) delete draft.nodeAgents[bucket];
}

/** Every node's agent, by node name. */
export function* allAgents(state: ClusterState): Generator<[string, NodeAgentState]> {
  for (const bucket in state.nodeAgents) {
    const agents = state.nodeAgents[bucket]!;
    for (const node in agents) yield [node, agents[node]!];
  }
}
