// Properties of the search order over random names, search lists and zones, across the three libcs
// and the tools' candidate lists.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bindSearchCandidates, busyboxNslookupCandidates } from './candidates.js';
import { glibcLookup } from './glibc.js';
import { muslLookup } from './musl.js';
import { uclibcLookup } from './uclibc.js';
import type { DnsReply, QType, QueryFn, QueryOutcome, QueryRecord } from './wire.js';

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
