// Calico's label selectors, as Felix sees a Kubernetes NetworkPolicy's: the converter
// (libcalico-go k8s/conversion) writes them as Calico selector text, the syncer scopes rule
// selectors to namespaces (updateprocessors/rules.go), and the parser's canonical rendering —
// double quotes, `&&` groups in parentheses, `in` sets sorted — is what is hashed into ipset names.
// Built here as the parsed tree directly (no text round trip): parentheses in the source text
// survive as nested groups, so the tree records them as the parser would.

import { createHash } from 'node:crypto';
import type { LabelSelector } from '../../api/types.js';

export type CalicoSelector =
  | { op: '=='; label: string; value: string }
  | { op: 'in' | 'not in'; label: string; values: string[] }
  | { op: 'has'; label: string }
  | { op: '!'; operand: CalicoSelector }
  | { op: '&&'; operands: CalicoSelector[] }
  | { op: 'all' };

/** The labels Calico gives a pod's workload endpoint on top of its own. */
export const LABEL_NAMESPACE = 'projectcalico.org/namespace';
export const LABEL_ORCHESTRATOR = 'projectcalico.org/orchestrator';
export const LABEL_SERVICE_ACCOUNT = 'projectcalico.org/serviceaccount';
/** A namespace's labels reach its endpoints' profile with this prefix. */
export const NAMESPACE_LABEL_PREFIX = 'pcns.';

function and(operands: CalicoSelector[]): CalicoSelector {
  return operands.length === 1 ? operands[0]! : { op: '&&', operands };
}

function quoted(s: string): string {
  return s.includes('"') ? `'${s}'` : `"${s}"`;
}

/** The parser's canonical text (parser/ast.go collectFragments). */
export function selectorText(s: CalicoSelector): string {
  switch (s.op) {
    case '==':
      return `${s.label} == ${quoted(s.value)}`;
    case 'in':
    case 'not in':
      return `${s.label} ${s.op} {${[...new Set(s.values)].sort().map(quoted).join(', ')}}`;
    case 'has':
      return `has(${s.label})`;
    case '!':
      return `!${selectorText(s.operand)}`;
    case '&&':
      return `(${s.operands.map(selectorText).join(' && ')})`;
    case 'all':
      return 'all()';
  }
}

/**
 * k8sSelectorToCalico: a pod selector is prefixed with the orchestrator test; matchLabels in key
 * order, then matchExpressions in order. An empty namespace selector means all().
 */
export function k8sSelector(sel: LabelSelector | undefined, kind: 'pod' | 'namespace', labelPrefix = ''): CalicoSelector | undefined {
  const terms: CalicoSelector[] = kind === 'pod' ? [{ op: '==', label: LABEL_ORCHESTRATOR, value: 'k8s' }] : [];
  if (!sel) return terms.length ? and(terms) : undefined;
  const labels = sel.matchLabels ?? {};
  const exprs = sel.matchExpressions ?? [];
  if (kind === 'namespace' && Object.keys(labels).length === 0 && exprs.length === 0) return { op: 'all' };
  for (const k of Object.keys(labels).sort()) terms.push({ op: '==', label: labelPrefix + k, value: labels[k]! });
  for (const e of exprs) {
    const label = labelPrefix + e.key;
    if (e.operator === 'In') terms.push({ op: 'in', label, values: e.values ?? [] });
    else if (e.operator === 'NotIn') terms.push({ op: 'not in', label, values: e.values ?? [] });
    else if (e.operator === 'Exists') terms.push({ op: 'has', label });
    else terms.push({ op: '!', operand: { op: 'has', label } });
  }
  return terms.length ? and(terms) : undefined;
}

/** A namespaced policy's own selector: `(projectcalico.org/namespace == NS) && (podSelector)`. */
export function policySelector(namespace: string, podSelector: LabelSelector): CalicoSelector {
  return { op: '&&', operands: [{ op: '==', label: LABEL_NAMESPACE, value: namespace }, k8sSelector(podSelector, 'pod')!] };
}

/**
 * A rule peer's endpoints (getEndpointSelector): the peer's pod selector (the orchestrator test
 * even when absent), scoped to the policy's namespace, or to the namespaces its
 * namespaceSelector picks (labels prefixed `pcns.`, all() meaning any namespace).
 */
export function peerSelector(policyNamespace: string, peer: { podSelector?: LabelSelector; namespaceSelector?: LabelSelector }): CalicoSelector {
  const pods = k8sSelector(peer.podSelector, 'pod')!;
  let ns: CalicoSelector;
  if (peer.namespaceSelector) {
    const s = k8sSelector(peer.namespaceSelector, 'namespace', NAMESPACE_LABEL_PREFIX)!;
    ns = s.op === 'all' ? { op: 'has', label: LABEL_NAMESPACE } : s;
  } else {
    ns = { op: '==', label: LABEL_NAMESPACE, value: policyNamespace };
  }
  return { op: '&&', operands: [ns, pods] };
}

/** Evaluate a selector against an endpoint's labels. */
export function selects(s: CalicoSelector, labels: Readonly<Record<string, string>>): boolean {
  switch (s.op) {
    case '==':
      return labels[s.label] === s.value;
    case 'in':
      return labels[s.label] !== undefined && s.values.includes(labels[s.label]!);
    case 'not in':
      return labels[s.label] === undefined || !s.values.includes(labels[s.label]!);
    case 'has':
      return labels[s.label] !== undefined;
    case '!':
      return !selects(s.operand, labels);
    case '&&':
      return s.operands.every((o) => selects(o, labels));
    case 'all':
      return true;
  }
}

function b64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** hash.MakeUniqueID: `prefix:` and the URL-safe base64 of SHA-224 over `prefix:content`. */
export function uniqueID(prefix: string, content: string): string {
  return `${prefix}:${b64url(createHash('sha224').update(`${prefix}:${content}`).digest())}`;
}

/** The main ipset name for an ipset ID: `cali40` + the ID, cut to ipset's 31 characters. */
export function ipsetName(id: string): string {
  return `cali40${id}`.slice(0, 31);
}

/** A selector's ipset: `cali40s:` and its hash. */
export function selectorIpset(s: CalicoSelector): string {
  return ipsetName(uniqueID('s', selectorText(s)));
}

/**
 * hash.GetLengthLimitedID: the prefix and the suffix when they fit `max`, else `_` and the
 * suffix's SHA-256 in URL-safe base64, cut to fit.
 */
export function lengthLimitedID(prefix: string, suffix: string, max: number): string {
  const s = suffix === '' ? '_' : suffix;
  const total = prefix.length + s.length;
  if (total > max || (total === max && s.startsWith('_'))) return `${prefix}_${b64url(createHash('sha256').update(s).digest()).slice(0, max - 1 - prefix.length)}`;
  return prefix + s;
}
