// PTR names and getnameinfo-style reverse lookups against the lab zone.

import { describe, expect, it } from 'vitest';
import { labZone, podConf } from '../lab-zone.fixture.js';
import { ptrName, reverseLookup } from './reverse.js';
import type { QueryRecord } from './wire.js';

/** "name TYPE RCODE" as the lab server logged it. */
const log = (qs: QueryRecord[]): string[] => qs.map((q) => `${q.name} ${q.type} ${q.rcode}`);

describe('reverse lookups', () => {
  it('ptrName', () => {
    expect(ptrName('10.96.0.1')).toBe('1.0.96.10.in-addr.arpa');
    expect(ptrName('fd00:10:96::20')).toBe('0.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa');
  });
  it('reverseLookup: one PTR query, no search', () => {
    const r = reverseLookup('10.96.0.10', podConf, labZone);
    expect(r.name).toBe('kube-dns.kube-system.svc.cluster.local');
    expect(log(r.queries)).toEqual(['10.0.96.10.in-addr.arpa PTR NOERROR']);
    expect(reverseLookup('10.96.0.99', podConf, labZone, 'glibc').name).toBeNull();
  });
});
