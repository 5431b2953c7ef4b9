import { describe, expect, it } from 'vitest';
import type { RR } from './message.js';
import { defaultUpstreamZone, isUnreachable, makeUpstream, unreachableUpstream, type UpstreamReply } from './upstream.js';

const up = makeUpstream(defaultUpstreamZone());

function reply(name: string, type: Parameters<typeof up>[0]['type']): UpstreamReply {
  const r = up({ name, type });
  if (isUnreachable(r)) throw new Error('unexpected timeout');
  return r;
}

const rr = (r: RR) => `${r.name} ${r.ttl} ${r.class} ${r.type} ${r.data}`;

describe('makeUpstream', () => {
  it('answers known names with TTL 300, not authoritative, keeping the asked spelling', () => {
    expect(reply('example.com', 'A')).toEqual({
      rcode: 'NOERROR',
      aa: false,
      answer: [{ name: 'example.com.', ttl: 300, class: 'IN', type: 'A', data: '93.184.215.14' }],
      authority: [],
    });
    expect(reply('Google.COM.', 'A').answer.map(rr)).toEqual(['Google.COM. 300 IN A 142.250.185.78']);
    expect(reply('dns.google', 'AAAA').answer.map((r) => r.data)).toEqual(['2001:4860:4860::8888', '2001:4860:4860::8844']);
  });

  it('follows CNAMEs inside its zone and returns the chain', () => {
    expect(reply('www.kubernetes.io', 'A').answer.map(rr)).toEqual([
      'www.kubernetes.io. 300 IN CNAME kubernetes.io.',
      'kubernetes.io. 300 IN A 15.197.167.90',
      'kubernetes.io. 300 IN A 3.33.186.135',
    ]);
    expect(reply('www.github.com', 'CNAME').answer.map(rr)).toEqual(['www.github.com. 300 IN CNAME github.com.']);
  });

  it('NODATA carries the SOA of the name’s domain', () => {
    const r = reply('kubernetes.io', 'AAAA');
    expect(r).toMatchObject({ rcode: 'NOERROR', answer: [] });
    expect(r.authority.map((x) => `${x.name} ${x.type}`)).toEqual(['kubernetes.io. SOA']);
  });

  it('NXDOMAIN carries the SOA of the closest enclosing zone: domain, TLD or root', () => {
    expect(reply('nope.example.com', 'A').authority.map((x) => `${x.name} ${x.type}`)).toEqual(['example.com. SOA']);
    expect(reply('no-such-domain-here.com', 'A').authority.map(rr)).toEqual(['com. 900 IN SOA a.gtld-servers.net. nstld.verisign-grs.com. 1764000000 1800 900 604800 900']);
    const root = reply('web.default.svc.cluster.local', 'A');
    expect(root.rcode).toBe('NXDOMAIN');
    expect(root.authority.map(rr)).toEqual(['. 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2025112500 1800 900 604800 86400']);
  });

  it('answers PTR for its own addresses; private ranges are NXDOMAIN from AS112', () => {
    expect(reply('8.8.8.8.in-addr.arpa', 'PTR').answer.map((r) => r.data)).toEqual(['dns.google.']);
    const priv = reply('10.0.96.10.in-addr.arpa', 'PTR');
    expect(priv.rcode).toBe('NXDOMAIN');
    expect(priv.authority[0]?.name).toBe('10.in-addr.arpa.');
  });

  it('a custom zone and TTL', () => {
    const custom = makeUpstream({ 'db.corp.example': { A: ['10.1.2.3'] } }, { ttl: 60 });
    expect(custom({ name: 'db.corp.example', type: 'A' })).toMatchObject({ rcode: 'NOERROR', answer: [{ ttl: 60, data: '10.1.2.3' }] });
  });

  it('an unreachable upstream times out', () => {
    expect(unreachableUpstream('8.8.8.8:53')({ name: 'x', type: 'A' })).toEqual({ unreachable: true, server: '8.8.8.8:53' });
  });
});
