// bind9's per-try error lines, shared by nslookup, host and dig (captured with a closed port).

import { describe, expect, it } from 'vitest';
import type { QueryFn } from '../stub/index.js';
import { podConf } from '../lab-zone.fixture.js';
import { runBindNslookup } from './bind-nslookup.js';
import { runDig } from './dig.js';
import { runHost } from './host.js';

describe('captured query sequences', () => {
  it('ICMP port unreachable: connection refused lines (captured with a closed port)', () => {
    const refused: QueryFn = () => ({ error: 'unreachable' });
    const line = ';; communications error to 10.96.0.10#53: connection refused\n';
    expect(runBindNslookup('kubernetes', podConf, refused).stdout).toBe(`${line.repeat(3)};; no servers could be reached\n\n`);
    expect(runHost('kubernetes', podConf, refused).stdout).toBe(`${line.repeat(2)};; no servers could be reached\n`);
    const d = runDig('kubernetes.default.svc.cluster.local', 'A', podConf, refused, { short: true });
    expect(d.stdout).toBe(`${line.repeat(3)};; no servers could be reached\n`);
    expect(d.exitCode).toBe(9);
  });
});
