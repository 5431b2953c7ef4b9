// glibc's getaddrinfo sequences, as captured from glibc 2.36 against the lab zone.

import { describe, expect, it } from 'vitest';
import { labZone, podConf } from '../lab-zone.fixture.js';
import { glibcLookup, glibcOptions } from './glibc.js';
import { muslOptions } from './musl.js';
import type { QueryFn, QueryRecord } from './wire.js';

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
