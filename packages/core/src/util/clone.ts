import { current, isDraft } from 'immer';

/** A deep plain copy of a value that may be an immer draft (structuredClone cannot copy proxies). */
export function plainCopy<T>(value: T): T {
  return structuredClone(isDraft(value) ? (current(value as never) as T) : value);
}
