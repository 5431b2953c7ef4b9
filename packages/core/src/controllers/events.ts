// Events, as `kubectl describe` and `kubectl get events` show them. Bounded: the API server
// also expires events (after one hour by default); we keep the most recent ones.

import type { ClusterState } from '../state/types.js';

const MAX_EVENTS = 2000;

export function recordEvent(
  draft: ClusterState,
  obj: { kind: string; metadata: { name: string; namespace?: string } },
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: string,
): void {
  const ev = { kind: obj.kind, name: obj.metadata.name, type, reason, message, source, time: draft.clock } as ClusterState['events'][number];
  if (obj.metadata.namespace !== undefined) ev.namespace = obj.metadata.namespace;
  draft.events.push(ev);
  if (draft.events.length > MAX_EVENTS) draft.events.splice(0, draft.events.length - MAX_EVENTS);
}
