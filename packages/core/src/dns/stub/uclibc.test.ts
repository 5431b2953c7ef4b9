// uClibc-ng's getaddrinfo sequences (busybox:1.28.4), from its source, against the lab zone.

import { describe, expect, it } from 'vitest';
import { labZone, podConf } from '../lab-zone.fixture.js';
import { uclibcLookup } from './uclibc.js';
import type { QueryRecord } from './wire.js';

/** "name TYPE RCODE" as the lab server logged it. */
const log = (qs: QueryRecord[]): string[] => qs.map((q) => `${q.name} ${q.type} ${q.rcode}`);

describe('uclibcLookup (busybox:1.28.4, from uClibc-ng source)', () => {
  it('undotted: search domains first; AAAA lookup, then A lookup; NODATA stops that lookup', () => {
    const r = uclibcLookup('kubernetes', podConf, labZone);
    expect(log(r.queries)).toEqual(['kubernetes.default.svc.cluster.local AAAA NOERROR', 'kubernetes.default.svc.cluster.local A NOERROR']);
    expect(r.addresses).toEqual(['10.96.0.1']);
  });
  it('dotted: as-is first whatever ndots says, then the search domains', () => {
    const r = uclibcLookup('kubernetes.default', podConf, labZone);
    expect(log(r.queries)).toEqual([
      'kubernetes.default AAAA NXDOMAIN',
      'kubernetes.default.default.svc.cluster.local AAAA NXDOMAIN',
      'kubernetes.default.svc.cluster.local AAAA NOERROR',
      'kubernetes.default A NXDOMAIN',
      'kubernetes.default.default.svc.cluster.local A NXDOMAIN',
      'kubernetes.default.svc.cluster.local A NOERROR',
    ]);
    expect(r.status).toBe('ok');
  });
  it('nothing found: four NXDOMAIN per type', () => {
    const r = uclibcLookup('nosuch', podConf, labZone);
    expect(r.queries).toHaveLength(8);
    expect(r.status).toBe('nxdomain');
  });
  it('SERVFAIL moves to the next candidate; on the last one it restarts with the next try', () => {
    const r = uclibcLookup('broken.example', podConf, labZone, 'inet');
    expect(r.queries.map((q) => q.name)).toEqual([
      'broken.example',
      'broken.example.default.svc.cluster.local',
      'broken.example.svc.cluster.local',
      'broken.example.cluster.local',
    ]);
    expect(r.status).toBe('nxdomain');
  });
  it('a CNAME-first answer is followed with a lookup of its target', () => {
    const r = uclibcLookup('ext.default.svc.cluster.local', podConf, labZone, 'inet');
    expect(log(r.queries)).toEqual(['ext.default.svc.cluster.local A NOERROR', 'example.com A NOERROR']);
    expect(r.addresses).toEqual(['93.184.215.14']);
    expect(r.canonicalName).toBe('example.com');
  });
  it('timeouts: every try restarts the list (2 attempts × 1 server)', () => {
    const r = uclibcLookup('kubernetes', podConf, () => ({ error: 'timeout' }), 'inet');
    expect(r.queries.map((q) => q.name)).toEqual(['kubernetes.default.svc.cluster.local', 'kubernetes.default.svc.cluster.local']);
    expect(r.status).toBe('timeout');
  });
});
