// `crictl ps` as cri-tools prints it (cmd/crictl/container.go): Go tabwriter with minwidth 20,
// padding 3; IDs cut to 13 characters; an image given as "sha256:<hex>" (what kubelet passes)
// cut to 13 hex digits; CREATED is go-units HumanDuration + " ago"; newest first. Sandbox
// (pause) containers are not containers to CRI and are not listed.
//
// crictl v1.26-1.29 print "… POD ID POD"; newer releases append a NAMESPACE column
// (`namespaceColumn: true`). All modelled containers are running.

import { splitObjectKey } from '../../state/store.js';
import type { PodSandbox, RuntimeContainer } from '../../state/node-agent.js';
import { goUnitsHumanDuration } from '../../util/golang/go-units.js';
import { tabwrite, type TabWriterOptions } from '../../util/golang/tabwriter.js';
import { parseTime } from './timestamps.js';

/** cri-tools' table: tabwriter.NewWriter(os.Stdout, 20, 1, 3, ' ', 0). */
const CRICTL_TABWRITER: TabWriterOptions = { minwidth: 20, tabwidth: 1, padding: 3, padchar: ' ' };

export interface CrictlPsOptions {
  /** `-a` (all modelled containers are running, so no difference). */
  all?: boolean;
  /** `-q`: full container IDs only. */
  quiet?: boolean;
  /** `--no-trunc`. */
  noTrunc?: boolean;
  /** Add crictl ≥ 1.30's NAMESPACE column. */
  namespaceColumn?: boolean;
}

const cut13 = (s: string): string => (s.length > 13 ? s.slice(0, 13) : s);

function imageColumn(image: string, noTrunc: boolean): string {
  if (noTrunc) return image;
  const m = /^([a-z0-9]+):([a-f0-9]{32,})$/.exec(image);
  return m ? cut13(m[2]!) : image;
}

/** `crictl ps` over the node's pod sandboxes at simulated time `now` (epoch ms). */
export function crictlPs(sandboxes: readonly PodSandbox[], now: number, opts: CrictlPsOptions = {}): string {
  const rows: { c: RuntimeContainer; s: PodSandbox; t: number }[] = [];
  for (const s of sandboxes) {
    for (const c of s.containers) {
      if (c.container === 'POD' || c.id === s.sandboxId) continue;
      rows.push({ c, s, t: parseTime(c.created, now) });
    }
  }
  rows.sort((a, b) => b.t - a.t || (a.c.id < b.c.id ? -1 : 1));
  if (opts.quiet) return rows.map(({ c }) => `${c.id}\n`).join('');

  const header = ['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD'];
  if (opts.namespaceColumn) header.push('NAMESPACE');
  const table: string[][] = [header];
  for (const { c, s, t } of rows) {
    const pod = splitObjectKey(s.pod);
    const row = [
      opts.noTrunc ? c.id : cut13(c.id),
      imageColumn(c.image, opts.noTrunc ?? false),
      `${goUnitsHumanDuration(now - t)} ago`,
      'Running',
      c.container,
      /_(\d+)$/.exec(c.name)?.[1] ?? '0',
      opts.noTrunc ? s.sandboxId : cut13(s.sandboxId),
      pod.name,
    ];
    if (opts.namespaceColumn) row.push(pod.namespace);
    table.push(row);
  }
  return tabwrite(table.map((row) => `${row.join('\t')}\n`).join(''), CRICTL_TABWRITER);
}
