// `kubectl describe configmap` (describe.go's ConfigMapDescriber).

import { goBase64DecodedLength } from '../../../api/gojson.js';
import type { ConfigMap } from '../../../api/types.js';
import type { ClusterEvent } from '../../../state/types.js';
import { compareStrings } from '../helpers.js';
import { PrefixWriter } from './prefix-writer.js';
import { describeEvents, eventsFor, printAnnotationsMultiline, printLabelsMultiline } from './sections.js';

/**
 * `kubectl describe configmap`. Values print verbatim under their key; kubectl walks the Go
 * maps in random order, we sort the keys so the output is stable.
 */
export function describeConfigMap(cm: ConfigMap, events: readonly ClusterEvent[], now: number): string {
  const w = new PrefixWriter();
  const meta = cm.metadata;
  w.write(0, `Name:\t${meta.name}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, '\nData\n====\n');
  const data = cm.data ?? {};
  for (const key of Object.keys(data).sort(compareStrings)) {
    w.write(0, `${key}:\n----\n`);
    w.write(0, `${data[key]}\n`);
    w.write(0, '\n');
  }
  w.write(0, '\nBinaryData\n====\n');
  const binary = cm.binaryData ?? {};
  for (const key of Object.keys(binary).sort(compareStrings)) {
    // binaryData is stored base64-encoded; kubectl prints the decoded size.
    const n = goBase64DecodedLength(binary[key]!);
    w.write(0, `${key}: ${typeof n === 'number' ? n : 0} bytes\n`);
  }
  w.write(0, '\n');
  describeEvents(w, eventsFor(events, 'ConfigMap', meta.name, meta.namespace ?? ''), now);
  return w.toString();
}
