// Label selectors (metav1.LabelSelector) and taint/toleration matching, as the API defines them.

import type { Labels, LabelSelector, Taint, Toleration } from '../api/types.js';

/** An empty selector matches everything (for Deployments/ReplicaSets the API forbids it anyway). */
export function selectorMatches(selector: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(l, req.key);
    const value = l[req.key];
    switch (req.operator) {
      case 'In':
        if (!has || !(req.values ?? []).includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && (req.values ?? []).includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

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
