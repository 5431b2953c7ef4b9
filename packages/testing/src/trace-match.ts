// The predicates behind the vitest matchers, usable without vitest: each takes a trace (or every
// outcome of traceAll) and says whether it holds, and why not, with the trace hop by hop.

import { formatTrace, type TraceOutcome, type TraceResult } from '@k8s-netsim/core';

/** A delivery target: a pod ("ns/name", or "name" in default), a node, or an address. */
export type DeliveryTarget = string | { pod: string } | { node: string } | { ip: string; port?: number };

export interface MatchResult {
  pass: boolean;
  /** What was expected and what happened (the trace, hop by hop). */
  message: string;
}

type Traced = TraceResult | readonly TraceOutcome[];

function results(t: Traced): TraceResult[] {
  return Array.isArray(t) ? (t as readonly TraceOutcome[]).map((o) => o.result) : [t as TraceResult];
}

function podRef(ref: string): string {
  return ref.includes('/') ? ref : `default/${ref}`;
}

function deliveredTo(r: TraceResult, target: DeliveryTarget): boolean {
  if (r.verdict !== 'delivered' || !r.to) return false;
  if (typeof target === 'string') return r.to.pod === podRef(target);
  if ('pod' in target) return r.to.pod === podRef(target.pod);
  if ('node' in target) return r.to.node === target.node && !r.to.pod;
  return r.to.ip === target.ip && (target.port === undefined || r.to.port === target.port);
}

function describeTarget(target: DeliveryTarget): string {
  if (typeof target === 'string') return `pod ${podRef(target)}`;
  if ('pod' in target) return `pod ${podRef(target.pod)}`;
  if ('node' in target) return `node ${target.node}`;
  return target.port === undefined ? target.ip : `${target.ip}:${target.port}`;
}

function check(t: Traced, expected: string, holds: (r: TraceResult) => boolean): MatchResult {
  const all = results(t);
  const failing = all.filter((r) => !holds(r));
  const shown = failing.length ? failing : all;
  const paths = Array.isArray(t) ? ` (every one of ${all.length} paths)` : '';
  const body = shown.map((r) => formatTrace(r).trimEnd()).join('\n\n');
  return { pass: all.length > 0 && failing.length === 0, message: `expected the packet to be ${expected}${paths}; the trace:\n${body}` };
}

export const traceMatchers = {
  delivered: (t: Traced): MatchResult => check(t, 'delivered', (r) => r.verdict === 'delivered'),
  deliveredTo: (t: Traced, target: DeliveryTarget): MatchResult => check(t, `delivered to ${describeTarget(target)}`, (r) => deliveredTo(r, target)),
  rejected: (t: Traced): MatchResult => check(t, 'rejected', (r) => r.verdict === 'rejected'),
  dropped: (t: Traced): MatchResult => check(t, 'dropped', (r) => r.verdict === 'dropped'),
  /** Delivered with its source address rewritten (MASQUERADE/SNAT on the way). */
  masqueraded: (t: Traced): MatchResult =>
    check(t, 'delivered with its source masqueraded', (r) => r.verdict === 'delivered' && r.source !== undefined && r.source.ip !== r.packet.src.ip),
  /** Delivered with the client's own address as source (no SNAT on the way). */
  keepsClientIP: (t: Traced): MatchResult =>
    check(t, "delivered with the client's IP kept", (r) => r.verdict === 'delivered' && r.source !== undefined && r.source.ip === r.packet.src.ip),
  /**
   * Dropped by an enforcing CNI's NetworkPolicy: a denial decision, in `direction` if given (at
   * the destination for ingress, the source for egress).
   */
  deniedByPolicy: (t: Traced, direction?: 'ingress' | 'egress'): MatchResult =>
    check(
      t,
      `denied by NetworkPolicy${direction ? ` (${direction})` : ''}`,
      (r) => r.verdict === 'dropped' && !!r.policy?.enforced && !!r.policy.decisions?.some((d) => d.verdict === 'deny' && (!direction || d.direction === direction)),
    ),
  /** Allowed in some direction by this NetworkPolicy ("ns/name" or "name"), and rule index if given. */
  allowedByPolicy: (t: Traced, policy: string, rule?: number): MatchResult =>
    check(
      t,
      `allowed by NetworkPolicy ${podRef(policy)}${rule === undefined ? '' : ` rule ${rule}`}`,
      (r) =>
        !!r.policy?.decisions?.some(
          (d) => d.verdict === 'allow' && d.policy && `${d.policy.namespace}/${d.policy.name}` === podRef(policy) && (rule === undefined || d.rule === rule),
        ),
    ),
};
