// Label selector matching, as k8s.io/apimachinery/pkg/labels does it behind
// metav1.LabelSelectorAsSelector: the one implementation the API server's validation, the
// controllers, kubectl's -l and the library's queries share.

import type { LabelSelector, Labels } from './types.js';

/**
 * metav1.LabelSelectorAsSelector(...).Matches(labels). A nil selector matches nothing, an empty
 * one everything; a requirement with an unknown operator makes the conversion fail, so nothing
 * matches.
 */
export function selectorMatches(selector: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  const has = (k: string) => Object.hasOwn(l, k);
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!has(k) || l[k] !== v) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!has(req.key) || !values.includes(l[req.key]!)) return false;
        break;
      case 'NotIn':
        if (has(req.key) && values.includes(l[req.key]!)) return false;
        break;
      case 'Exists':
        if (!has(req.key)) return false;
        break;
      case 'DoesNotExist':
        if (has(req.key)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
