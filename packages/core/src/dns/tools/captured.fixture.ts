// What the tools' tests share: rows of real output pasted from bind9 9.18.49-1~deb12u3 and busybox
// 1.35.0 (Debian) run against the lab zone, checked the same way, and the query log's form.

import { describe, expect, it } from 'vitest';
import type { QueryRecord } from '../stub/index.js';
import type { ToolRun } from './output.js';

/** One captured run: its label (the command line), the call that replays it, stdout, exit status. */
export type Captured = [string, () => ToolRun, string, number];

/** "name TYPE RCODE" for each query sent. */
export const log = (qs: QueryRecord[]): string[] => qs.map((q) => `${q.name} ${q.type} ${q.rcode}`);

/** Each row replayed: the same stdout and exit status, nothing on stderr. */
export function describeCaptured(rows: readonly Captured[]): void {
  describe('captured output', () => {
    for (const [label, run, stdout, rc] of rows) {
      it(label, () => {
        const r = run();
        expect(r.stdout).toBe(stdout);
        expect(r.exitCode).toBe(rc === 0 ? 0 : rc);
        expect(r.stderr).toBe('');
      });
    }
  });
}
