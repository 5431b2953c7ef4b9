// Map selectors (nodeSelector, a Service's selector) and taint/toleration matching, as the API
// defines them. Label selectors (metav1.LabelSelector) match in api/labels.ts.

import type { Labels, Taint, Toleration } from '../api/types.js';

/** nodeSelector: every key must be present with the same value. */
export function mapSelectorMatches(selector: Labels | undefined, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  return Object.entries(selector ?? {}).every(([k, v]) => l[k] === v);
}

/** v1.Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  // An empty key with operator Exists matches every taint.
  if (!t.key && t.operator !== 'Exists') return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

export function toleratesAll(tolerations: Toleration[] | undefined, taints: Taint[] | undefined, effects: Taint['effect'][]): Taint | undefined {
  for (const taint of taints ?? []) {
    if (!effects.includes(taint.effect)) continue;
    if (!(tolerations ?? []).some((t) => toleratesTaint(t, taint))) return taint;
  }
  return undefined;
}
