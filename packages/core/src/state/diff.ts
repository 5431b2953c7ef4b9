// What changed between two states. ClusterState is immutable and structurally shared (immer):
// an unchanged namespace shard, object or node agent is the very same object in both states, so
// a diff costs one identity comparison per shard plus one per object of the shards that differ.
// Controllers use it the way real ones use their informers' watch events: to act on what
// changed since they last looked, not on the whole cluster.

import type { KindMap, NamespacedKind, Node, ObjectMeta } from '../api/types.js';
import { controllerOf } from './meta.js';
import type { NodeAgentState } from './node-agent.js';
import { shardOf } from './store.js';
import type { ClusterState, Namespaced } from './types.js';

/** One object added (no before), removed (no after) or replaced. */
export interface Change<T> {
  namespace: string;
  name: string;
  before?: T;
  after?: T;
}

function diffRecord<T>(namespace: string, prev: Record<string, T> | undefined, next: Record<string, T> | undefined, out: Change<T>[]): void {
  if (prev === next) return;
  if (next) {
    for (const name in next) {
      const a = next[name];
      const b = prev?.[name];
      if (a !== b) out.push(b === undefined ? { namespace, name, after: a } : { namespace, name, before: b, after: a });
    }
  }
  if (prev) {
    for (const name in prev) if (next?.[name] === undefined) out.push({ namespace, name, before: prev[name] });
  }
}

/** Changed objects of sharded records, namespaces and names in key order. */
export function diffNamespaced<T>(prev: Namespaced<T>, next: Namespaced<T>): Change<T>[] {
  const out: Change<T>[] = [];
  if (prev === next) return out;
  for (const ns in next) diffRecord(ns, prev[ns], next[ns], out);
  for (const ns in prev) if (next[ns] === undefined) diffRecord(ns, prev[ns], undefined, out);
  return out;
}

/** Changed entries of a flat record (namespace ''). */
export function diffFlat<T>(prev: Record<string, T>, next: Record<string, T>): Change<T>[] {
  const out: Change<T>[] = [];
  diffRecord('', prev, next, out);
  return out;
}

/**
 * The changes from `prev` to `next`, computed per slice on first use. `prev` must be a state
 * the controllers had converged; what is not listed here is as they left it.
 */
export class Delta {
  readonly #memo = new Map<string, Change<unknown>[]>();
  constructor(
    readonly prev: ClusterState,
    readonly next: ClusterState,
  ) {}

  /** Changed objects of a namespaced kind. */
  of<K extends NamespacedKind>(kind: K): Change<KindMap[K]>[] {
    let c = this.#memo.get(kind);
    if (!c) this.#memo.set(kind, (c = diffNamespaced(shardOf(this.prev, kind), shardOf(this.next, kind)) as Change<unknown>[]));
    return c as Change<KindMap[K]>[];
  }

  get nodes(): Change<Node>[] {
    let c = this.#memo.get('Node');
    if (!c) this.#memo.set('Node', (c = diffFlat(this.prev.nodes, this.next.nodes) as Change<unknown>[]));
    return c as Change<Node>[];
  }

  get nodeAgents(): Change<NodeAgentState>[] {
    let c = this.#memo.get('agents');
    if (!c) this.#memo.set('agents', (c = diffFlat(this.prev.nodeAgents, this.next.nodeAgents) as Change<unknown>[]));
    return c as Change<NodeAgentState>[];
  }

  get nodeOrderChanged(): boolean {
    return this.prev.nodeOrder !== this.next.nodeOrder;
  }

  get clockChanged(): boolean {
    return this.prev.clock !== this.next.clock;
  }

  /** Nothing any controller reads differs. */
  get empty(): boolean {
    const a = this.prev;
    const b = this.next;
    return (
      a.pods === b.pods && a.nodes === b.nodes && a.nodeAgents === b.nodeAgents && a.nodeOrder === b.nodeOrder && a.clock === b.clock &&
      a.deployments === b.deployments && a.replicaSets === b.replicaSets && a.daemonSets === b.daemonSets && a.configMaps === b.configMaps &&
      a.services === b.services && a.endpoints === b.endpoints && a.endpointSlices === b.endpointSlices && a.ingresses === b.ingresses &&
      a.ingressClasses === b.ingressClasses && a.coredns === b.coredns && a.namespaces === b.namespaces
    );
  }
}

/** Namespaces and names of changes, deduplicated, as `ns/name` keys (added to `into`). */
export function changedKeys<T>(changes: readonly Change<T>[], into = new Set<string>()): Set<string> {
  for (const c of changes) into.add(`${c.namespace}/${c.name}`);
  return into;
}

/** `ns/name` keys of the `kind` controllers that changed objects belong to, before or after. */
export function changedOwners(changes: readonly Change<{ metadata: ObjectMeta }>[], kind: string, into = new Set<string>()): Set<string> {
  for (const c of changes) {
    for (const o of [c.before, c.after]) {
      const ref = o && controllerOf(o.metadata);
      if (ref?.kind === kind) into.add(`${c.namespace}/${ref.name}`);
    }
  }
  return into;
}
