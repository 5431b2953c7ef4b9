import { current, isDraft } from 'immer';

/** A deep copy of JSON-shaped data (plain objects, arrays, primitives): what the state holds. */
function copyData<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copyData(v[i]);
    return out as T;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = copyData((v as Record<string, unknown>)[k]);
  return out as T;
}

/**
 * A deep plain copy of a value that may be an immer draft (structuredClone cannot copy proxies).
 * Plain data is copied field by field (several times faster than structuredClone, which a pod
 * template per new pod makes count); anything else goes through structuredClone.
 */
export function plainCopy<T>(value: T): T {
  return copyData(isDraft(value) ? (current(value as never) as T) : value);
}
