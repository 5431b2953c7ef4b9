// What changed between two states. ClusterState is immutable and structurally shared (immer):
// an unchanged namespace shard, object or node agent is the very same object in both states, so
// a diff costs one identity comparison per shard plus one per object of the shards that differ.
// Controllers use it the way real ones use their informers' watch events: to act on what
// changed since they last looked, not on the whole cluster.

import type { KindMap, NamespacedKind, Node, ObjectMeta } from '../api/types.js';
import { controllerOf } from './meta.js';
import type { NodeAgentState } from './node-agent.js';
import type { Patch } from 'immer';
import { NAMESPACED_FIELD } from './store.js';
import type { ClusterState, Namespaced } from './types.js';

/** One object added (no before), removed (no after) or replaced. */
export interface Change<T> {
  namespace: string;
  name: string;
  before?: T;
  after?: T;
}

/**
 * Key counts of records already walked as the newer side of a diff. States are immutable, so a
 * record's count never changes, and the next diff, which has it as the older side, needs no walk
 * of it to find removals when every one of its keys was met again (a large namespace's pods are
 * a hash table that V8 enumerates at ~100 ns a key).
 */
const sizes = new WeakMap<object, number>();

function diffRecord<T>(namespace: string, prev: Record<string, T> | undefined, next: Record<string, T> | undefined, out: Change<T>[]): void {
  if (prev === next) return;
  // Keys of `prev` met again in `next` (values are never undefined in a state's records).
  let kept = 0;
  if (next) {
    let size = 0;
    for (const name in next) {
      size++;
      const a = next[name];
      const b = prev?.[name];
      if (b !== undefined) kept++;
      if (a !== b) out.push(b === undefined ? { namespace, name, after: a } : { namespace, name, before: b, after: a });
    }
    sizes.set(next, size);
  }
  if (prev && sizes.get(prev) !== kept) {
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
 * Which entries of each slice of the state were written, as `ns/name` keys for namespaced kinds
 * and names for flat records; `true` when the slice was replaced wholesale (then it is diffed).
 */
export type Touched = Map<string, Set<string> | true>;

// Two-level records: namespaced kinds (namespace → name) and node agents (bucket → node).
type NamespacedSlice = (typeof NAMESPACED_FIELD)[NamespacedKind] | 'nodeAgents';
const NAMESPACED_SLICES = new Set<string>([...Object.values(NAMESPACED_FIELD), 'nodeAgents'] satisfies NamespacedSlice[]);
/** Bookkeeping no controller acts on: writing it alone wakes nobody. */
const UNREAD_SLICES = new Set<string>(['events', 'resourceVersion', 'workstationHosts', 'workstationRoutes', 'scheduler'] satisfies (keyof ClusterState)[]);
type FlatSlice = 'nodes' | 'namespaces' | 'ingressClasses' | 'clusterRoles' | 'clusterRoleBindings';
const FLAT_SLICES = new Set<string>(['nodes', 'namespaces', 'ingressClasses', 'clusterRoles', 'clusterRoleBindings'] satisfies FlatSlice[]);

const isNamespacedSlice = (slice: string): slice is NamespacedSlice => NAMESPACED_SLICES.has(slice);
const isFlatSlice = (slice: string): slice is FlatSlice => FLAT_SLICES.has(slice);

/** Whether a slice's touched entries are named (objects by namespace/name, or by name), not the whole value. */
export function isKeyedSlice(slice: string): boolean {
  return isNamespacedSlice(slice) || isFlatSlice(slice);
}

function touch(t: Touched, slice: string): Set<string> | undefined {
  let s = t.get(slice);
  if (s === true) return undefined;
  if (!s) t.set(slice, (s = new Set()));
  return s;
}

/**
 * What immer's patches of one transition say was written: the entries their paths name. A
 * shard added or removed whole counts every object in it.
 */
export function touchedByPatches(patches: readonly Patch[], prev: ClusterState, into: Touched = new Map()): Touched {
  for (const { path, op, value } of patches) {
    const slice = String(path[0]);
    if (isNamespacedSlice(slice)) {
      if (path.length === 1) {
        into.set(slice, true);
        continue;
      }
      const keys = touch(into, slice);
      if (!keys) continue;
      const ns = String(path[1]);
      if (path.length >= 3) {
        keys.add(`${ns}/${String(path[2])}`);
        continue;
      }
      // A whole shard: the objects it had and the ones it has now.
      const before = prev[slice][ns];
      for (const name in before ?? {}) keys.add(`${ns}/${name}`);
      if (op !== 'remove') for (const name in (value as Record<string, unknown>) ?? {}) keys.add(`${ns}/${name}`);
    } else if (isFlatSlice(slice) && path.length >= 2) {
      touch(into, slice)?.add(String(path[1]));
    } else {
      into.set(slice, true);
    }
  }
  return into;
}

/** Touched keys from `prev` to `next` by comparing them (for changes made without patches). */
export function touchedByDiff(prev: ClusterState, next: ClusterState): Touched {
  const t: Touched = new Map();
  // Object.keys gives string[]; a ClusterState's own keys are its fields (TypeScript allows extra ones).
  for (const slice of Object.keys(next) as (keyof ClusterState)[]) {
    if (prev[slice] === next[slice]) continue;
    if (isNamespacedSlice(slice)) {
      const keys = new Set<string>();
      for (const c of diffNamespaced<unknown>(prev[slice], next[slice])) keys.add(`${c.namespace}/${c.name}`);
      t.set(slice, keys);
    } else if (isFlatSlice(slice)) {
      t.set(slice, new Set(diffFlat<unknown>(prev[slice], next[slice]).map((c) => c.name)));
    } else t.set(slice, true);
  }
  for (const slice of Object.keys(prev)) if (!(slice in next)) t.set(slice, true);
  return t;
}

function pushChange(out: Change<unknown>[], namespace: string, name: string, before: unknown, after: unknown): void {
  if (before === after) return;
  const ch: Change<unknown> = { namespace, name };
  if (before !== undefined) ch.before = before;
  if (after !== undefined) ch.after = after;
  out.push(ch);
}

/** The changes among touched `ns/name` keys of a sharded record. */
function keyedChanges(keys: Iterable<string>, prev: Namespaced<unknown>, next: Namespaced<unknown>): Change<unknown>[] {
  const out: Change<unknown>[] = [];
  for (const k of keys) {
    const i = k.indexOf('/');
    const ns = k.slice(0, i);
    const name = k.slice(i + 1);
    pushChange(out, ns, name, prev[ns]?.[name], next[ns]?.[name]);
  }
  return out;
}

/** The changes among touched names of a flat record (namespace ''). */
function keyedFlatChanges(keys: Iterable<string>, prev: Record<string, unknown>, next: Record<string, unknown>): Change<unknown>[] {
  const out: Change<unknown>[] = [];
  for (const name of keys) pushChange(out, '', name, prev[name], next[name]);
  return out;
}

/** Merge `from` into `into` (the keys touched over several steps). */
export function mergeTouched(into: Touched, from: Touched): Touched {
  for (const [slice, keys] of from) {
    if (keys === true) into.set(slice, true);
    else {
      const s = touch(into, slice);
      if (s) for (const k of keys) s.add(k);
    }
  }
  return into;
}

/**
 * The changes from `prev` to `next`: the touched entries whose object differs, computed per
 * slice on first use. `prev` must be a state the controllers had converged; what is not listed
 * here is as they left it.
 */
export class Delta {
  readonly #memo = new Map<string, Change<unknown>[]>();
  constructor(
    readonly prev: ClusterState,
    readonly next: ClusterState,
    readonly touched: Touched = touchedByDiff(prev, next),
  ) {}

  #changes(slice: NamespacedSlice | FlatSlice): Change<unknown>[] {
    let c = this.#memo.get(slice);
    if (c) return c;
    const keys = this.touched.get(slice);
    if (!keys) c = [];
    else if (isNamespacedSlice(slice)) {
      c = keys === true ? diffNamespaced<unknown>(this.prev[slice], this.next[slice]) : keyedChanges(keys, this.prev[slice], this.next[slice]);
    } else c = keys === true ? diffFlat<unknown>(this.prev[slice], this.next[slice]) : keyedFlatChanges(keys, this.prev[slice], this.next[slice]);
    this.#memo.set(slice, c);
    return c;
  }

  /** Changed objects of a namespaced kind. */
  of<K extends NamespacedKind>(kind: K): Change<KindMap[K]>[] {
    return this.#changes(NAMESPACED_FIELD[kind]) as Change<KindMap[K]>[];
  }

  get nodes(): Change<Node>[] {
    return this.#changes('nodes') as Change<Node>[];
  }

  get nodeAgents(): Change<NodeAgentState>[] {
    return this.#changes('nodeAgents') as Change<NodeAgentState>[];
  }

  get nodeOrderChanged(): boolean {
    return this.prev.nodeOrder !== this.next.nodeOrder;
  }

  get clockChanged(): boolean {
    return this.prev.clock !== this.next.clock;
  }

  /** Nothing a controller reads was written since `prev`. */
  get empty(): boolean {
    for (const slice of this.touched.keys()) if (!UNREAD_SLICES.has(slice)) return false;
    return true;
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
