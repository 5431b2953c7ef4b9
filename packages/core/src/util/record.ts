// Shallow copies of keyed records (names → values), the shape every slice of a ClusterState has.

/** Records with more keys than this are copied key by key into a dictionary-mode object. */
const SMALL = 16;

/**
 * A shallow copy of a keyed record. Spread is fastest for a few keys, but from a large record
 * (which V8 keeps as a hash table) it builds a fast-mode object with a hidden class of its own,
 * 2–3× slower than copying into a hash table from the start.
 */
export function copyRecord<T>(rec: Readonly<Record<string, T>>): Record<string, T> {
  const keys = Object.keys(rec);
  if (keys.length <= SMALL) return { ...rec };
  // Deleting a property other than the last one added switches V8 to dictionary mode.
  const out: Record<string, T> = { a: undefined as T, b: undefined as T };
  delete out.a;
  delete out.b;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    // An own "__proto__" key is data, not the prototype (plain assignment would set that).
    if (k === '__proto__') Object.defineProperty(out, k, { value: rec[k], writable: true, enumerable: true, configurable: true });
    else out[k] = rec[k]!;
  }
  return out;
}
