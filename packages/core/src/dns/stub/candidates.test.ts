// The names busybox and bind9 tools try, as captured from busybox 1.35 and nslookup/host 9.18.

import { describe, expect, it } from 'vitest';
import { podConf } from '../lab-zone.fixture.js';
import { bindSearchCandidates, busyboxNslookupCandidates } from './candidates.js';

const S = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];

describe('tool candidates', () => {
  it('busybox ≥ 1.30: search only for names without a dot, bare name not asked', () => {
    expect(busyboxNslookupCandidates('kubernetes', podConf)).toEqual([
      ...S.map((d) => ({ name: `kubernetes.${d}`, type: 'A' })),
      ...S.map((d) => ({ name: `kubernetes.${d}`, type: 'AAAA' })),
    ]);
    expect(busyboxNslookupCandidates('kubernetes.default', podConf)).toEqual([
      { name: 'kubernetes.default', type: 'A' },
      { name: 'kubernetes.default', type: 'AAAA' },
    ]);
    expect(busyboxNslookupCandidates('10.96.0.1', podConf)).toEqual([{ name: '1.0.96.10.in-addr.arpa', type: 'PTR' }]);
    expect(busyboxNslookupCandidates('kubernetes', podConf, '1.29')).toEqual([
      { name: 'kubernetes', type: 'A' },
      { name: 'kubernetes', type: 'AAAA' },
    ]);
    expect(busyboxNslookupCandidates('kubernetes', podConf, '1.28')).toBeNull();
  });
  it('bind search candidates (captured from nslookup/host 9.18)', () => {
    expect(bindSearchCandidates('kubernetes.default', podConf)).toEqual([
      'kubernetes.default.default.svc.cluster.local',
      'kubernetes.default.svc.cluster.local',
      'kubernetes.default.cluster.local',
      'kubernetes.default',
    ]);
    expect(bindSearchCandidates('a.b.c.d.e.f', podConf)).toEqual(['a.b.c.d.e.f']);
    expect(bindSearchCandidates('x.', podConf)).toEqual(['x']);
  });
});
