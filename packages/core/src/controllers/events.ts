// Events, as `kubectl describe` and `kubectl get events` show them. Bounded: the API server
// also expires events (after one hour by default); we keep the most recent ones.

import type { ClusterEvent, ClusterState } from '../state/types.js';

const MAX_EVENTS = 2000;
/**
 * Events are kept in chunks: recording one copies (through immer) the last chunk and the short
 * list of chunks, not every event kept; the oldest chunk goes once there are enough.
 */
const CHUNK = 128;

export function recordEvent(
  draft: ClusterState,
  obj: { kind: string; metadata: { name: string; namespace?: string } },
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: string,
): void {
  const ev = { kind: obj.kind, name: obj.metadata.name, type, reason, message, source, time: draft.clock } as ClusterEvent;
  if (obj.metadata.namespace !== undefined) ev.namespace = obj.metadata.namespace;
  const log = draft.events;
  const last = log[log.length - 1];
  if (last && last.length < CHUNK) last.push(ev);
  else log.push([ev]);
  if ((log.length - 1) * CHUNK > MAX_EVENTS) log.shift();
}

/** The events kept, oldest first. */
export function clusterEvents(state: ClusterState): ClusterEvent[] {
  return state.events.flat();
}
