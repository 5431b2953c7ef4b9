// The sections every describer shares (describe.go's printLabelsMultiline,
// printAnnotationsMultiline and DescribeEvents), and the selection of an object's own events.

import type { ClusterEvent } from '../../../state/types.js';
import { humanDuration } from '../../../util/golang/apimachinery-duration.js';
import { compareStrings } from '../helpers.js';
import type { PrefixWriter } from './prefix-writer.js';

const MAX_ANNOTATION_LEN = 140;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function printLabelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort(compareStrings);
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${key}=${labels![key]}\n`);
  });
}

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== LAST_APPLIED)
    .sort(compareStrings);
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = annotations![key]!.replace(/\n$/, '');
    // Long or multi-line values go on their own lines, each cut at 138 characters.
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${key}:\n`);
      for (const line of value.split('\n')) w.write(0, `\t  ${shorten(line, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(0, `${key}: ${value}\n`);
    }
  });
}

// ---------------------------------------------------------------------------------------
// Events

interface AggregatedEvent {
  type: string;
  reason: string;
  source: string;
  message: string;
  first: number;
  last: number;
  count: number;
}

/**
 * The event recorder folds repeats of the same event (same object, type, reason, source
 * and message) into one Event with a count; the simulator's log keeps each occurrence, so
 * they are folded here.
 */
function aggregateEvents(events: readonly ClusterEvent[]): AggregatedEvent[] {
  const byKey = new Map<string, AggregatedEvent>();
  for (const e of events) {
    const key = JSON.stringify([e.kind, e.namespace ?? '', e.name, e.type, e.reason, e.source, e.message]);
    const agg = byKey.get(key);
    if (agg) {
      agg.count++;
      agg.first = Math.min(agg.first, e.time);
      agg.last = Math.max(agg.last, e.time);
    } else {
      byKey.set(key, { type: e.type, reason: e.reason, source: e.source, message: e.message, first: e.time, last: e.time, count: 1 });
    }
  }
  // SortableEvents: by last timestamp (stable, so equal times keep log order).
  return [...byKey.values()].sort((a, b) => a.last - b.last);
}

export function describeEvents(w: PrefixWriter, events: readonly ClusterEvent[], now: number): void {
  const list = aggregateEvents(events);
  if (list.length === 0) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of list) {
    const interval = e.count > 1 ? `${humanDuration(now - e.last)} (x${e.count} over ${humanDuration(now - e.first)})` : humanDuration(now - e.first);
    w.write(1, `${e.type}\t${e.reason}\t${interval}\t${e.source}\t${e.message.trim()}\n`);
  }
}

export function eventsFor(events: readonly ClusterEvent[], kind: string, name: string, namespace?: string): ClusterEvent[] {
  return events.filter((e) => e.kind.toLowerCase() === kind.toLowerCase() && e.name === name && (namespace === undefined || (e.namespace ?? '') === namespace));
}
