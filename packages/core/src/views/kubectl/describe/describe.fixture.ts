// Helpers the describer tests share.
import type { ClusterEvent } from '../../../state/types.js';
import { NOW } from '../objects.fixture.js';

/** Expected output, one argument per line. */
export const lines = (...l: string[]): string => `${l.join('\n')}\n`;

/** A Pod event in default (override with `extra`), `secondsAgo` before NOW. */
export const ev = (name: string, reason: string, message: string, source: string, secondsAgo: number, extra: Partial<ClusterEvent> = {}): ClusterEvent => ({
  kind: 'Pod',
  namespace: 'default',
  name,
  type: 'Normal',
  reason,
  message,
  source,
  time: NOW - secondsAgo * 1000,
  ...extra,
});
