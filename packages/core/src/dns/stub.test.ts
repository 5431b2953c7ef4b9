import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bindSearchCandidates,
  busyboxNslookupCandidates,
  busyboxVersionOf,
  glibcLookup,
  glibcOptions,
  imageResolver,
  muslLookup,
  muslOptions,
  ptrName,
  reverseLookup,
  uclibcLookup,
  type DnsReply,
  type QType,
  type QueryFn,
  type QueryOutcome,
  type QueryRecord,
} from './stub.js';

import { labZone, podConf } from './lab-zone.fixture.js';

const S = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];

/** "name TYPE RCODE" as the lab server logged it. */
const log = (qs: QueryRecord[]): string[] => qs.map((q) => `${q.name} ${q.type} ${q.rcode}`);
const pairs = (lines: [string, string][]): string[] => lines.flatMap(([n, rc]) => [`${n} A ${rc.split('/')[0]}`, `${n} AAAA ${rc.split('/')[1] ?? rc}`]);

describe('glibcLookup (sequences captured from glibc 2.36 getaddrinfo AF_UNSPEC)', () => {
  const cases: { name: string; queries: string[]; status: string; error?: number; addresses?: string[] }[] = [
    { name: 'kubernetes', queries: pairs([['kubernetes.default.svc.cluster.local', 'NOERROR']]), status: 'ok', addresses: ['10.96.0.1'] },
    {
      name: 'kubernetes.default',
      queries: pairs([
        ['kubernetes.default.default.svc.cluster.local', 'NXDOMAIN'],
        ['kubernetes.default.svc.cluster.local', 'NOERROR'],
      ]),
      status: 'ok',
      addresses: ['10.96.0.1'],
    },
    {
      name: 'example.com',
      queries: pairs([...S.map((d): [string, string] => [`example.com.${d}`, 'NXDOMAIN']), ['example.com', 'NOERROR']]),
      status: 'ok',
      addresses: ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    },
    { name: 'nosuch', queries: pairs([...S.map((d): [string, string] => [`nosuch.${d}`, 'NXDOMAIN']), ['nosuch', 'NXDOMAIN']]), status: 'nxdomain', error: -2 },
    {
      name: 'default',
      queries: pairs([
        ['default.default.svc.cluster.local', 'NXDOMAIN'],
        ['default.svc.cluster.local', 'NOERROR'],
        ['default.cluster.local', 'NXDOMAIN'],
        ['default', 'NXDOMAIN'],
      ]),
      status: 'nodata',
      error: -5,
    },
    {
      name: 'svc',
      queries: pairs([
        ['svc.default.svc.cluster.local', 'NXDOMAIN'],
        ['svc.svc.cluster.local', 'NXDOMAIN'],
        ['svc.cluster.local', 'NOERROR'],
        ['svc', 'NXDOMAIN'],
      ]),
      status: 'nodata',
      error: -5,
    },
    {
      name: 'broken.example',
      queries: pairs([
        ['broken.example.default.svc.cluster.local', 'SERVFAIL'],
        ['broken.example.default.svc.cluster.local', 'SERVFAIL'],
        ['broken.example.svc.cluster.local', 'NXDOMAIN'],
        ['broken.example.cluster.local', 'NXDOMAIN'],
        ['broken.example', 'SERVFAIL'],
        ['broken.example', 'SERVFAIL'],
      ]),
      status: 'servfail',
      error: -3,
    },
    {
      name: 'a.b.c.d.e.f',
      queries: pairs([['a.b.c.d.e.f', 'NXDOMAIN'], ...S.map((d): [string, string] => [`a.b.c.d.e.f.${d}`, 'NXDOMAIN'])]),
      status: 'nxdomain',
      error: -2,
    },
    { name: 'kubernetes.default.svc.cluster.local.', queries: pairs([['kubernetes.default.svc.cluster.local', 'NOERROR']]), status: 'ok', addresses: ['10.96.0.1'] },
    { name: 'v6only', queries: pairs([['v6only.default.svc.cluster.local', 'NOERROR']]), status: 'ok', addresses: ['fd00:10:96::21'] },
    {
      name: 'silent.example',
      queries: pairs([...S.map((d): [string, string] => [`silent.example.${d}`, 'NXDOMAIN']), ['silent.example', 'TIMEOUT'], ['silent.example', 'TIMEOUT']]),
      status: 'timeout',
      error: -3,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = glibcLookup(c.name, podConf, labZone);
      expect(log(r.queries)).toEqual(c.queries);
      expect(r.status).toBe(c.status);
      expect(r.error?.code).toBe(c.error);
      if (c.addresses) expect(r.addresses).toEqual(c.addresses);
    });
  }

  it('preferIPv6 puts AAAA answers first (as in the capture, where the netns had a global IPv6 address)', () => {
    expect(glibcLookup('example.com', podConf, labZone, 'unspec', { preferIPv6: true }).addresses).toEqual(['2606:2800:21f:cb07:6820:80da:af6b:8b2c', '93.184.215.14']);
  });
  it('AF_INET sends A only', () => {
    expect(log(glibcLookup('kubernetes', podConf, labZone, 'inet').queries)).toEqual(['kubernetes.default.svc.cluster.local A NOERROR']);
  });
  it('ICMP port unreachable (kube-dns without endpoints) stops the search at once', () => {
    const r = glibcLookup('nosuch', podConf, () => ({ error: 'unreachable' }), 'inet');
    expect(log(r.queries)).toEqual(['nosuch.default.svc.cluster.local A UNREACHABLE', 'nosuch.default.svc.cluster.local A UNREACHABLE']);
    expect(r.status).toBe('unreachable');
    expect(r.error?.name).toBe('EAI_AGAIN');
  });
  it('a timeout mid-search ends the search but the as-is name is still tried', () => {
    const q: QueryFn = (n, t, s) => (n === 'x.svc.cluster.local' ? { error: 'timeout' } : labZone(n, t, s));
    const r = glibcLookup('x', podConf, q, 'inet');
    expect(r.queries.map((x) => x.name)).toEqual(['x.default.svc.cluster.local', 'x.svc.cluster.local', 'x.svc.cluster.local', 'x']);
  });
  it('second nameserver is asked when the first gives SERVFAIL', () => {
    const conf = { ...podConf, nameservers: ['10.96.0.10', '10.96.0.11'] };
    const q: QueryFn = (n, t, s) => (s === '10.96.0.10' ? { rcode: 'SERVFAIL', aa: false, answer: [], authority: [], additional: [] } : labZone(n, t, s));
    const r = glibcLookup('kubernetes', conf, q, 'inet');
    expect(r.queries.map((x) => `${x.server} ${x.rcode}`)).toEqual(['10.96.0.10 SERVFAIL', '10.96.0.11 NOERROR']);
    expect(r.status).toBe('ok');
  });
  it('a "." search entry stands for the as-is name', () => {
    const r = glibcLookup('nosuch', { ...podConf, searches: ['default.svc.cluster.local', '.'] }, labZone, 'inet');
    expect(r.queries.map((x) => x.name)).toEqual(['nosuch.default.svc.cluster.local', 'nosuch']);
  });
  it('options: last ndots wins, capped at 15', () => {
    expect(glibcOptions({ nameservers: [], searches: [], options: ['ndots:2', 'ndots:30'] }).ndots).toBe(15);
    expect(muslOptions({ nameservers: [], searches: [], options: ['ndots:2', 'ndots:30'] }).ndots).toBe(2);
  });
});

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

describe('reverse lookups and candidates', () => {
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
  it('images', () => {
    expect(imageResolver('busybox:1.28.4')).toBe('uclibc');
    expect(imageResolver('busybox:1.36-glibc')).toBe('glibc');
    expect(imageResolver('docker.io/library/busybox:1.28-musl')).toBe('musl');
    expect(imageResolver('alpine:3.19')).toBe('musl');
    expect(imageResolver('nginx:1.25-alpine')).toBe('musl');
    expect(imageResolver('nginx')).toBe('glibc');
    expect(imageResolver('registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3')).toBe('glibc');
    expect(busyboxVersionOf('busybox:1.28.4')).toBe('1.28');
    expect(busyboxVersionOf('busybox:1.29.3')).toBe('1.29');
    expect(busyboxVersionOf('busybox:1.36')).toBe('modern');
    expect(busyboxVersionOf('busybox')).toBe('modern');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const nameArb = fc.array(label, { minLength: 1, maxLength: 7 }).map((ls) => ls.join('.'));
const searchArb = fc.uniqueArray(
  fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => `${ls.join('.')}.test`),
  { maxLength: 6 },
);
type Kind = 'NXDOMAIN' | 'NODATA' | 'ANSWER';
const kindArb = fc.constantFrom<Kind>('NXDOMAIN', 'NODATA', 'ANSWER');

function zoneOf(kind: (name: string, type: QType) => Kind): QueryFn {
  return (name, type): QueryOutcome => {
    const k = kind(name, type);
    const reply: DnsReply = { rcode: k === 'NXDOMAIN' ? 'NXDOMAIN' : 'NOERROR', aa: true, answer: [], authority: [], additional: [] };
    if (k === 'ANSWER') reply.answer.push({ name, ttl: 30, class: 'IN', type, data: type === 'AAAA' ? 'fd00::1' : '10.0.0.1' });
    return reply;
  };
}

const allNx: QueryFn = () => ({ rcode: 'NXDOMAIN', aa: true, answer: [], authority: [], additional: [] });

describe('properties', () => {
  it('glibc, ndots:5: a name with fewer dots is tried with every search domain, in order, before as-is', () => {
    fc.assert(
      fc.property(
        nameArb.filter((n) => n.split('.').length - 1 < 5),
        searchArb,
        (name, searches) => {
          const r = glibcLookup(name, { nameservers: ['10.96.0.10'], searches, options: ['ndots:5'] }, allNx);
          const names = r.queries.filter((q) => q.type === 'A').map((q) => q.name);
          expect(names).toEqual([...searches.map((d) => `${name}.${d}`), name]);
          expect(r.queries.map((q) => q.type)).toEqual(names.flatMap(() => ['A', 'AAAA']));
        },
      ),
    );
  });

  it('glibc: with dots ≥ ndots the as-is name goes first', () => {
    fc.assert(
      fc.property(nameArb, searchArb, fc.integer({ min: 0, max: 6 }), (name, searches, ndots) => {
        fc.pre(name.split('.').length - 1 >= ndots);
        const r = glibcLookup(name, { nameservers: ['10.96.0.10'], searches, options: [`ndots:${ndots}`] }, allNx, 'inet');
        expect(r.queries[0]?.name).toBe(name);
        expect(r.queries.map((q) => q.name)).toEqual([name, ...searches.map((d) => `${name}.${d}`)]);
      }),
    );
  });

  it('a trailing-dot name is queried exactly once (per address family)', () => {
    fc.assert(
      fc.property(nameArb, searchArb, fc.func(kindArb), (name, searches, kind) => {
        const conf = { nameservers: ['10.96.0.10'], searches, options: ['ndots:5'] };
        const q = zoneOf((n, t) => kind(n, t));
        for (const r of [glibcLookup(`${name}.`, conf, q), muslLookup(`${name}.`, conf, q)]) {
          expect(r.queries.map((x) => `${x.name} ${x.type}`)).toEqual([`${name} A`, `${name} AAAA`]);
        }
        expect(uclibcLookup(`${name}.`, conf, q).queries.map((x) => `${x.name} ${x.type}`)).toEqual([`${name} AAAA`, `${name} A`]);
        expect(bindSearchCandidates(`${name}.`, conf)).toEqual([name]);
      }),
    );
  });

  it('musl stops at the first candidate whose reply is not NXDOMAIN', () => {
    fc.assert(
      fc.property(label, searchArb, fc.func(kindArb), (name, searches, kind) => {
        const conf = { nameservers: ['10.96.0.10'], searches, options: ['ndots:5'] };
        const r = muslLookup(
          name,
          conf,
          zoneOf((n) => kind(n, 'A')),
          'inet',
        );
        const cands = [...searches.map((d) => `${name}.${d}`), name];
        const stop = cands.findIndex((c) => kind(c, 'A') !== 'NXDOMAIN');
        expect(r.queries.map((q) => q.name)).toEqual(stop < 0 ? cands : cands.slice(0, stop + 1));
        if (stop >= 0) expect(r.status).toBe(kind(cands[stop] as string, 'A') === 'ANSWER' ? 'ok' : 'nodata');
      }),
    );
  });

  it('glibc continues past NODATA but stops at the first answer', () => {
    fc.assert(
      fc.property(label, searchArb, fc.func(kindArb), (name, searches, kind) => {
        const conf = { nameservers: ['10.96.0.10'], searches, options: ['ndots:5'] };
        const r = glibcLookup(
          name,
          conf,
          zoneOf((n) => kind(n, 'A')),
          'inet',
        );
        const cands = [...searches.map((d) => `${name}.${d}`), name];
        const stop = cands.findIndex((c) => kind(c, 'A') === 'ANSWER');
        expect(r.queries.map((q) => q.name)).toEqual(stop < 0 ? cands : cands.slice(0, stop + 1));
      }),
    );
  });

  it('without SERVFAIL or timeouts, queries never exceed (search list + 1) per address family', () => {
    fc.assert(
      fc.property(nameArb, searchArb, fc.integer({ min: 0, max: 15 }), fc.func(kindArb), (name, searches, ndots, kind) => {
        const conf = { nameservers: ['10.96.0.10'], searches, options: [`ndots:${ndots}`] };
        const q = zoneOf((n, t) => kind(n, t));
        const bound = searches.length + 1;
        const perType = (qs: QueryRecord[], t: QType) => qs.filter((x) => x.type === t).length;
        for (const r of [glibcLookup(name, conf, q), muslLookup(name, conf, q), uclibcLookup(name, conf, q)]) {
          expect(perType(r.queries, 'A')).toBeLessThanOrEqual(bound);
          expect(perType(r.queries, 'AAAA')).toBeLessThanOrEqual(bound);
        }
        const bb = busyboxNslookupCandidates(name, conf) ?? [];
        expect(bb.filter((c) => c.type === 'A').length).toBeLessThanOrEqual(bound);
        expect(bindSearchCandidates(name, conf).length).toBeLessThanOrEqual(bound);
      }),
    );
  });

  it('glibc with SERVFAIL everywhere: each candidate is retried attempts × servers times', () => {
    fc.assert(
      fc.property(label, searchArb, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), (name, searches, nservers, attempts) => {
        const conf = { nameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3'].slice(0, nservers), searches, options: ['ndots:5', `attempts:${attempts}`] };
        const r = glibcLookup(name, conf, () => ({ rcode: 'SERVFAIL', aa: false, answer: [], authority: [], additional: [] }));
        expect(r.queries).toHaveLength((searches.length + 1) * 2 * attempts * nservers);
        expect(r.status).toBe('servfail');
      }),
    );
  });
});
