// Vitest matchers for traces: `import '@k8s-netsim/testing/vitest'` registers them and declares
// them on vitest's Assertion. Each takes `c.trace(req)` or `c.traceAll(req)` (then it must hold
// for every path); a failure prints the trace hop by hop, so the reason is in the report.

import { expect } from 'vitest';
import type { TraceOutcome, TraceResult } from '@k8s-netsim/core';
import { traceMatchers, type DeliveryTarget, type MatchResult } from './trace-match.js';

export type { DeliveryTarget } from './trace-match.js';

export interface NetsimMatchers<R = unknown> {
  /** The packet reached a socket (every path, for traceAll). */
  toBeDelivered(): R;
  /** Delivered to this pod ("ns/name" or "name"), `{ node }` (its host network), or `{ ip, port? }`. */
  toBeDeliveredTo(target: DeliveryTarget): R;
  /** Refused on the way: TCP RST or ICMP unreachable (`Connection refused`, a REJECT rule). */
  toBeRejected(): R;
  /** Silently lost (no route, a DROP rule, no listener on a dropped path): the client times out. */
  toBeDropped(): R;
  /** Delivered with its source address rewritten (MASQUERADE/SNAT). */
  toBeMasqueraded(): R;
  /** Delivered with the client's own source address. */
  toKeepClientIP(): R;
  /** Dropped by NetworkPolicy under an enforcing CNI (canal), in `direction` if given. */
  toBeDeniedByPolicy(direction?: 'ingress' | 'egress'): R;
  /** A direction allowed by this NetworkPolicy ("ns/name" or "name"), by rule `rule` if given. */
  toBeAllowedByPolicy(policy: string, rule?: number): R;
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: the augmentation must repeat vitest's own declaration.
  interface Matchers<T = any> extends NetsimMatchers<T> {}
}

type Traced = TraceResult | readonly TraceOutcome[];

function matcher<A extends unknown[]>(fn: (t: Traced, ...args: A) => MatchResult) {
  return function (this: { isNot: boolean }, received: unknown, ...args: A) {
    const r = fn(received as Traced, ...args);
    return { pass: r.pass, message: () => (this.isNot ? r.message.replace('expected the packet to be', 'expected the packet not to be') : r.message) };
  };
}

expect.extend({
  toBeDelivered: matcher(traceMatchers.delivered),
  toBeDeliveredTo: matcher(traceMatchers.deliveredTo),
  toBeRejected: matcher(traceMatchers.rejected),
  toBeDropped: matcher(traceMatchers.dropped),
  toBeMasqueraded: matcher(traceMatchers.masqueraded),
  toKeepClientIP: matcher(traceMatchers.keepsClientIP),
  toBeDeniedByPolicy: matcher(traceMatchers.deniedByPolicy),
  toBeAllowedByPolicy: matcher(traceMatchers.allowedByPolicy),
});
