// Memoised pure functions of a string key, for values that many objects share read-only (the
// same image in thousands of containers, one ConfigMap text read by every node).

/**
 * The value for `key` in `cache`, made by `make(key)` on a miss. The cache is emptied whole
 * when it holds `limit` entries: bounded, and cheaper than tracking use.
 */
export function memoIn<V>(cache: Map<string, V>, limit: number, key: string, make: (key: string) => V): V {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size >= limit) cache.clear();
    cache.set(key, (v = make(key)));
  }
  return v;
}
