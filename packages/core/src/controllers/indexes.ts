// Lookup indexes the controllers share, like an informer's indexers. Each is derived from the
// immutable state and cached by the identity of what it is built from: a namespace shard's
// index is rebuilt only when that shard changes, and the cluster-wide pod index is moved from
// the state it was built for to the one asked about by applying their diff.

import { splitObjectKey } from '../state/store.js';
import type { Labels, Pod } from '../api/types.js';
import { diffNamespaced, type Change } from '../state/diff.js';
import { controllerOf } from '../state/meta.js';
import type { Namespaced } from '../state/types.js';

/** Objects that carry a map selector (Services, ReplicaSet-less matchLabels users). */
interface Selecting {
  spec: { selector?: Labels };
}

const pairKey = (k: string, v: string) => `${k}\u0000${v}`;

function cached<S extends object, V>(cache: WeakMap<S, V>, shard: S, build: (s: S) => V): V {
  let v = cache.get(shard);
  if (v === undefined) cache.set(shard, (v = build(shard)));
  return v;
}

/**
 * Pods of a namespace that can match a map selector: those carrying its rarest `key=value` pair
 * (the caller still checks the whole selector). An empty selector matches every pod.
 */
export function selectorCandidates(index: PodIndex, shard: Record<string, Pod> | undefined, namespace: string, selector: Labels): Iterable<Pod> {
  if (!shard) return [];
  const keys = Object.keys(selector);
  if (keys.length === 0) return Object.values(shard);
  let best: Map<string, Pod> | undefined;
  for (const k of keys) {
    const l = index.byLabel.get(labelKey(namespace, k, selector[k]!));
    if (!l) return [];
    if (!best || l.size < best.size) best = l;
  }
  return best?.values() ?? [];
}

const selectorIndexes = new WeakMap<object, { byPair: Map<string, string[]>; matchAll: string[] }>();

/** Names of the objects in a shard whose map selector might select a pod with these labels. */
export function selectingNames<T extends Selecting>(shard: Record<string, T> | undefined, labels: Labels | undefined): string[] {
  if (!shard) return [];
  const idx = cached(selectorIndexes, shard as object, () => {
    const s = shard;
    const byPair = new Map<string, string[]>();
    const matchAll: string[] = [];
    for (const name in s) {
      const sel = s[name]!.spec.selector;
      if (!sel) continue;
      const keys = Object.keys(sel);
      if (keys.length === 0) {
        matchAll.push(name);
        continue;
      }
      // Indexed under its first pair: any pod it selects carries that pair.
      const key = pairKey(keys[0]!, sel[keys[0]!]!);
      let l = byPair.get(key);
      if (!l) byPair.set(key, (l = []));
      l.push(name);
    }
    return { byPair, matchAll };
  });
  const out = [...idx.matchAll];
  for (const k in labels ?? {}) {
    const l = idx.byPair.get(pairKey(k, labels![k]!));
    if (l) out.push(...l);
  }
  return out;
}

const ownerIndexes = new WeakMap<object, Map<string, string[]>>();

/** Names of a shard's objects by their controller's uid. */
export function namesByController<T extends { metadata: Pod['metadata'] }>(shard: Record<string, T> | undefined): Map<string, string[]> {
  if (!shard) return new Map();
  return cached(ownerIndexes, shard as object, () => {
    const s = shard;
    const m = new Map<string, string[]>();
    for (const name in s) {
      const uid = controllerOf(s[name]!.metadata)?.uid;
      if (uid === undefined) continue;
      let l = m.get(uid);
      if (!l) m.set(uid, (l = []));
      l.push(name);
    }
    return m;
  });
}

const byLabelValue = new WeakMap<object, Map<string, Map<string, string[]>>>();

/** Names of a shard's objects whose `label` is `value`. */
export function namesWithLabel<T extends { metadata: { labels?: Labels } }>(shard: Record<string, T> | undefined, label: string, value: string): readonly string[] {
  if (!shard) return [];
  let perLabel = byLabelValue.get(shard);
  if (!perLabel) byLabelValue.set(shard, (perLabel = new Map()));
  let m = perLabel.get(label);
  if (!m) {
    perLabel.set(label, (m = new Map()));
    for (const name in shard) {
      const v = shard[name]!.metadata.labels?.[label];
      if (v === undefined) continue;
      let l = m.get(v);
      if (!l) m.set(v, (l = []));
      l.push(name);
    }
  }
  return m.get(value) ?? [];
}

const labelKey = (ns: string, k: string, v: string) => `${ns}\u0000${k}\u0000${v}`;

/** Where every pod is: by node, by controller, by label, and which wait for the scheduler. */
export interface PodIndex {
  /** `ns\0key\0value` → `ns/name` → pod */
  readonly byLabel: Map<string, Map<string, Pod>>;
  /** node name → `ns/name` → pod */
  readonly byNode: Map<string, Map<string, Pod>>;
  /** controller uid → `ns/name` → pod */
  readonly byOwner: Map<string, Map<string, Pod>>;
  /** `ns/name` → pod, for pods without spec.nodeName */
  readonly unscheduled: Map<string, Pod>;
  /**
   * node name → how many of its pods hold their place (not Succeeded or Failed): what counts
   * against its allocatable `pods`, kept here so the scheduler does not count it per pass.
   */
  readonly placesTaken: Map<string, number>;
}

/** Whether a pod still holds its place on a node (the scheduler's cache leaves out finished pods). */
export function podCountsOnNode(p: Pod): boolean {
  return p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed';
}

function addTo(m: Map<string, Map<string, Pod>>, k: string, key: string, p: Pod): void {
  let inner = m.get(k);
  if (!inner) m.set(k, (inner = new Map()));
  inner.set(key, p);
}

function removeFrom(m: Map<string, Map<string, Pod>>, k: string, key: string): void {
  const inner = m.get(k);
  if (!inner) return;
  inner.delete(key);
  if (inner.size === 0) m.delete(k);
}

// The byLabel keys of a labels object (pods keep theirs across status writes; replicas share their template's).
const labelKeyMemo = new WeakMap<object, { ns: string; keys: string[] }>();

function labelKeys(ns: string, labels: Pod['metadata']['labels']): readonly string[] {
  if (!labels) return [];
  const hit = labelKeyMemo.get(labels);
  if (hit?.ns === ns) return hit.keys;
  const keys: string[] = [];
  for (const k in labels) keys.push(labelKey(ns, k, labels[k]!));
  labelKeyMemo.set(labels, { ns, keys });
  return keys;
}

/**
 * A pod written again on the same node, by the same controller, with the same labels (a status
 * or spec write): the same index entries, pointing at the new object.
 */
function repointPod(idx: PodIndex, key: string, before: Pod, after: Pod): boolean {
  const node = after.spec.nodeName;
  if (node !== before.spec.nodeName || after.metadata.labels !== before.metadata.labels) return false;
  const owner = controllerOf(after.metadata)?.uid;
  if (owner !== controllerOf(before.metadata)?.uid) return false;
  if (node) {
    idx.byNode.get(node)!.set(key, after);
    const delta = (podCountsOnNode(after) ? 1 : 0) - (podCountsOnNode(before) ? 1 : 0);
    if (delta) {
      const n = (idx.placesTaken.get(node) ?? 0) + delta;
      if (n) idx.placesTaken.set(node, n);
      else idx.placesTaken.delete(node);
    }
  } else idx.unscheduled.set(key, after);
  if (owner) idx.byOwner.get(owner)!.set(key, after);
  for (const lk of labelKeys(after.metadata.namespace ?? 'default', after.metadata.labels)) idx.byLabel.get(lk)!.set(key, after);
  return true;
}

function indexPod(idx: PodIndex, key: string, p: Pod, add: boolean): void {
  const node = p.spec.nodeName;
  const owner = controllerOf(p.metadata)?.uid;
  const labels = p.metadata.labels;
  const ns = p.metadata.namespace ?? 'default';
  if (node && podCountsOnNode(p)) {
    const n = (idx.placesTaken.get(node) ?? 0) + (add ? 1 : -1);
    if (n) idx.placesTaken.set(node, n);
    else idx.placesTaken.delete(node);
  }
  if (add) {
    if (node) addTo(idx.byNode, node, key, p);
    else idx.unscheduled.set(key, p);
    if (owner) addTo(idx.byOwner, owner, key, p);
    for (const lk of labelKeys(ns, labels)) addTo(idx.byLabel, lk, key, p);
  } else {
    if (node) removeFrom(idx.byNode, node, key);
    else idx.unscheduled.delete(key);
    if (owner) removeFrom(idx.byOwner, owner, key);
    for (const lk of labelKeys(ns, labels)) removeFrom(idx.byLabel, lk, key);
  }
}

let current: { pods: Namespaced<Pod>; index: PodIndex; size: number } | undefined;

function move(to: Namespaced<Pod>, changes: Iterable<Change<Pod>>): PodIndex {
  const c = current!;
  let size = c.size;
  for (const ch of changes) {
    const key = `${ch.namespace}/${ch.name}`;
    if (ch.before && ch.after && repointPod(c.index, key, ch.before, ch.after)) continue;
    if (ch.before) {
      indexPod(c.index, key, ch.before, false);
      size--;
    }
    if (ch.after) {
      indexPod(c.index, key, ch.after, true);
      size++;
    }
  }
  current = { pods: to, index: c.index, size };
  return c.index;
}

/**
 * Move the index along a step whose written pods are known (`ns/name` keys, from immer's
 * patches): no diff of the shards needed. Does nothing unless the index is at `from`.
 */
export function advancePodIndex(from: Namespaced<Pod>, to: Namespaced<Pod>, keys: Iterable<string>): void {
  if (current?.pods !== from || from === to) return;
  const changes: Change<Pod>[] = [];
  for (const k of keys) {
    const { namespace, name } = splitObjectKey(k);
    const before = from[namespace]?.[name];
    const after = to[namespace]?.[name];
    if (before === after) continue;
    const ch: Change<Pod> = { namespace, name };
    if (before) ch.before = before;
    if (after) ch.after = after;
    changes.push(ch);
  }
  move(to, changes);
}

/**
 * The pod index of a state's pods. One index is kept and moved along by diffs, so asking for
 * the next state's costs as much as what changed (any two states work: the diff is symmetric).
 */
export function podIndex(pods: Namespaced<Pod>): PodIndex {
  if (current?.pods === pods) return current.index;
  if (current) {
    const changes = diffNamespaced(current.pods, pods);
    if (changes.length <= current.size / 2 + 64) return move(pods, changes);
  }
  const index: PodIndex = { byLabel: new Map(), byNode: new Map(), byOwner: new Map(), unscheduled: new Map(), placesTaken: new Map() };
  let size = 0;
  for (const ns in pods) {
    const shard = pods[ns]!;
    for (const name in shard) {
      indexPod(index, `${ns}/${name}`, shard[name]!, true);
      size++;
    }
  }
  current = { pods, index, size };
  return index;
}

const positions = new WeakMap<readonly string[], Map<string, number>>();

/** Each node's index in registration order (cached per `nodeOrder` array). */
export function nodePositions(nodeOrder: readonly string[]): Map<string, number> {
  return cached(positions, nodeOrder, (o) => new Map(o.map((n, i) => [n, i])));
}

/** The given nodes in registration order, leaving out names that are not (or no longer) nodes. */
export function inNodeOrder(nodeOrder: readonly string[], names: Iterable<string>): string[] {
  const at = nodePositions(nodeOrder);
  const out: string[] = [];
  for (const n of names) if (at.has(n)) out.push(n);
  return out.sort((a, b) => at.get(a)! - at.get(b)!);
}
