// musl's getaddrinfo sequences, as captured from musl 1.2.3 against the lab zone.

import { describe, expect, it } from 'vitest';
import { labZone, podConf } from '../lab-zone.fixture.js';
import { muslLookup, muslOptions } from './musl.js';
import type { QueryRecord } from './wire.js';

const S = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];

/** "name TYPE RCODE" as the lab server logged it. */
const log = (qs: QueryRecord[]): string[] => qs.map((q) => `${q.name} ${q.type} ${q.rcode}`);
const pairs = (lines: [string, string][]): string[] => lines.flatMap(([n, rc]) => [`${n} A ${rc.split('/')[0]}`, `${n} AAAA ${rc.split('/')[1] ?? rc}`]);

describe('muslLookup (sequences captured from musl 1.2.3 getaddrinfo AF_UNSPEC)', () => {
  const sf = (n: string): string[] => Array.from({ length: 6 }, () => [`${n} A SERVFAIL`, `${n} AAAA SERVFAIL`]).flat();
  const cases: { name: string; queries: string[]; status: string; error?: number }[] = [
    { name: 'kubernetes', queries: pairs([['kubernetes.default.svc.cluster.local', 'NOERROR']]), status: 'ok' },
    {
      name: 'kubernetes.default',
      queries: pairs([
        ['kubernetes.default.default.svc.cluster.local', 'NXDOMAIN'],
        ['kubernetes.default.svc.cluster.local', 'NOERROR'],
      ]),
      status: 'ok',
    },
    { name: 'example.com', queries: pairs([...S.map((d): [string, string] => [`example.com.${d}`, 'NXDOMAIN']), ['example.com', 'NOERROR']]), status: 'ok' },
    { name: 'nosuch', queries: pairs([...S.map((d): [string, string] => [`nosuch.${d}`, 'NXDOMAIN']), ['nosuch', 'NXDOMAIN']]), status: 'nxdomain', error: -2 },
    {
      name: 'default',
      queries: pairs([
        ['default.default.svc.cluster.local', 'NXDOMAIN'],
        ['default.svc.cluster.local', 'NOERROR'],
      ]),
      status: 'nodata',
      error: -2,
    },
    {
      name: 'svc',
      queries: pairs([
        ['svc.default.svc.cluster.local', 'NXDOMAIN'],
        ['svc.svc.cluster.local', 'NXDOMAIN'],
        ['svc.cluster.local', 'NOERROR'],
      ]),
      status: 'nodata',
      error: -2,
    },
    { name: 'broken.example', queries: sf('broken.example.default.svc.cluster.local'), status: 'servfail', error: -3 },
    { name: 'a.b.c.d.e.f', queries: pairs([['a.b.c.d.e.f', 'NXDOMAIN']]), status: 'nxdomain', error: -2 },
    { name: 'kubernetes.default.svc.cluster.local.', queries: pairs([['kubernetes.default.svc.cluster.local', 'NOERROR']]), status: 'ok' },
    { name: 'v6only', queries: pairs([['v6only.default.svc.cluster.local', 'NOERROR']]), status: 'ok' },
    {
      name: 'silent.example',
      queries: pairs([...S.map((d): [string, string] => [`silent.example.${d}`, 'NXDOMAIN']), ['silent.example', 'TIMEOUT'], ['silent.example', 'TIMEOUT']]),
      status: 'timeout',
      error: -3,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = muslLookup(c.name, podConf, labZone);
      expect(log(r.queries)).toEqual(c.queries);
      expect(r.status).toBe(c.status);
      expect(r.error?.code).toBe(c.error);
    });
  }
  it('a search line longer than 254 characters is ignored: no search at all', () => {
    const long = { ...podConf, searches: [...S, ...Array.from({ length: 20 }, (_, i) => `d${i}.example.internal`)] };
    expect(muslOptions(long).searches).toEqual([]);
    expect(log(muslLookup('kubernetes', long, labZone).queries)).toEqual(pairs([['kubernetes', 'NXDOMAIN']]));
  });
  it('sends every query to every nameserver at once', () => {
    const conf = { ...podConf, nameservers: ['10.96.0.10', '10.96.0.11'] };
    const r = muslLookup('kubernetes', conf, labZone);
    expect(r.queries.map((q) => `${q.type} ${q.server}`)).toEqual(['A 10.96.0.10', 'A 10.96.0.11', 'AAAA 10.96.0.10', 'AAAA 10.96.0.11']);
  });
});
