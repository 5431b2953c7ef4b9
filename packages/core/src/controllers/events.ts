// Events, as `kubectl describe` and `kubectl get events` show them. Bounded: the API server
// also expires events (after one hour by default); we keep the most recent ones.

import { isDraft } from 'immer';
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
  const at = log.length - 1;
  // The last chunk as stored, read without making a draft of it (which a plain read would).
  const last: ClusterEvent[] | undefined = at >= 0 ? Reflect.getOwnPropertyDescriptor(log, at)?.value : undefined;
  if (last && last.length < CHUNK) {
    // Made earlier in this transition, or already a draft of a stored chunk: appended as it is.
    if (writtenIn.get(last) === draft || isDraft(last)) last.push(ev);
    else {
      // A stored chunk: a copy of it, written in place for the rest of this transition. Pushed
      // through a draft, each event costs a proxy trap per index and length, and a callback.
      const copy = [...last, ev];
      writtenIn.set(copy, draft);
      log[at] = copy;
    }
  } else {
    const chunk = [ev];
    writtenIn.set(chunk, draft);
    log.push(chunk);
  }
  if ((log.length - 1) * CHUNK > MAX_EVENTS) log.shift();
}

/**
 * Chunks made in a transition, by the draft (one per transition) they were made in: such a
 * chunk is in no stored state yet, so that transition appends to it in place.
 */
const writtenIn = new WeakMap<ClusterEvent[], ClusterState>();

/** The events kept, oldest first. */
export function clusterEvents(state: ClusterState): ClusterEvent[] {
  return state.events.flat();
}
