import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as dnsPacket from 'dns-packet';
import type { Packet } from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '@k8s-netsim/core';
import { hasTool, realToolsRequired, requireTool } from '@k8s-netsim/testing/kernel';
import { checkAddress, dnsResponder, serveDns, toWireRecord, type DnsServer } from './dns-serve.js';

const run = promisify(execFile);
// Under CI a missing dig fails these tests (requireTool in beforeAll) instead of skipping them.
const hasDig = hasTool('dig', ['-v']);
if (!hasDig && !realToolsRequired()) console.warn('dns-serve.test: `dig` is not installed (apt-get install bind9-dnsutils); skipping the real-dig tests');

const cluster = Cluster.create();

function query(name: string, type: 'A' | 'SRV' | 'PTR' | 'TXT' | 'MX', edns = false): Buffer {
  const q: Packet = { type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] };
  if (edns) q.additionals = [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }];
  return dnsPacket.encode(q);
}

describe('dns serve: wire format (no network)', () => {
  const respond = dnsResponder(cluster.state);

  it('answers an A query with the id, flags, question and record', () => {
    const r = dnsPacket.decode(respond(query('kubernetes.default.svc.cluster.local', 'A'), 'udp')!);
    expect(r.id).toBe(4242);
    expect(r.type).toBe('response');
    expect([r.flag_qr, r.flag_aa, r.flag_rd, r.flag_ra]).toEqual([true, true, true, false]);
    expect(r.flags! & 0xf).toBe(0);
    expect(r.questions).toEqual([{ name: 'kubernetes.default.svc.cluster.local', type: 'A', class: 'IN' }]);
    expect(r.answers).toMatchObject([{ name: 'kubernetes.default.svc.cluster.local', type: 'A', class: 'IN', data: '10.96.0.1' }]);
    expect(r.additionals).toEqual([]);
  });

  it('answers SRV and NXDOMAIN (with the SOA) and echoes EDNS', () => {
    const srv = dnsPacket.decode(respond(query('_https._tcp.kubernetes.default.svc.cluster.local', 'SRV', true), 'udp')!);
    expect(srv.answers?.[0]).toMatchObject({ type: 'SRV', data: { priority: 0, weight: 100, port: 443, target: 'kubernetes.default.svc.cluster.local' } });
    expect(srv.additionals?.find((a) => a.type === 'OPT')).toMatchObject({ name: '.', udpPayloadSize: 1232, ednsVersion: 0 });

    const nx = dnsPacket.decode(respond(query('nope.default.svc.cluster.local', 'A'), 'udp')!);
    expect(nx.flags! & 0xf).toBe(3);
    expect(nx.answers).toEqual([]);
    expect(nx.authorities?.[0]).toMatchObject({ type: 'SOA', name: 'cluster.local', data: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', minimum: 30 } });
  });

  it('converts TXT and SOA presentation data, answers unmodelled types with NOTIMP', () => {
    expect(toWireRecord({ name: 'x.', ttl: 5, class: 'IN', type: 'TXT', data: '"a b" "c\\"d"' })).toMatchObject({ data: [Buffer.from('a b'), Buffer.from('c"d')] });
    const txt = dnsPacket.decode(respond(query('dns-version.cluster.local', 'TXT'), 'udp')!);
    expect((txt.answers![0] as { data: Buffer[] }).data.map(String)).toEqual(['1.1.0']);
    const mx = dnsPacket.decode(respond(query('kubernetes.default.svc.cluster.local', 'MX'), 'udp')!);
    expect(mx.flags! & 0xf).toBe(4);
  });

  it('refuses to bind anything but 127.0.0.1', async () => {
    expect(() => checkAddress('0.0.0.0')).toThrow(/only 127\.0\.0\.1/);
    await expect(serveDns(cluster, { address: '10.0.0.1', port: 0 })).rejects.toThrow(/refusing to listen on 10\.0\.0\.1/);
  });
});

describe.skipIf(!hasDig && !realToolsRequired())('dns serve: real dig against 127.0.0.1', () => {
  let srv: DnsServer;
  beforeAll(async () => {
    requireTool('dig', 'bind9-dnsutils', ['-v']);
    srv = await serveDns(cluster, { port: 0, address: '127.0.0.1' });
  });
  afterAll(async () => {
    await srv?.close();
  });

  const dig = async (...args: string[]) => (await run('dig', ['@127.0.0.1', '-p', String(srv.port), '+time=2', '+tries=1', ...args], { timeout: 10_000 })).stdout;

  it('binds an ephemeral port on 127.0.0.1', () => {
    expect(srv.address).toBe('127.0.0.1');
    expect(srv.port).toBeGreaterThan(0);
  });

  it('A', async () => {
    expect((await dig('kubernetes.default.svc.cluster.local', '+short')).trim()).toBe('10.96.0.1');
  });

  it('A over TCP', async () => {
    expect((await dig('kubernetes.default.svc.cluster.local', '+short', '+tcp')).trim()).toBe('10.96.0.1');
  });

  it('SRV', async () => {
    expect((await dig('_https._tcp.kubernetes.default.svc.cluster.local', 'SRV', '+short')).trim()).toBe('0 100 443 kubernetes.default.svc.cluster.local.');
  });

  it('NXDOMAIN', async () => {
    const out = await dig('nope.default.svc.cluster.local');
    expect(out).toMatch(/status: NXDOMAIN/);
    expect(out).toMatch(/flags: qr aa rd;/);
  });

  it('PTR', async () => {
    expect((await dig('-x', '10.96.0.1', '+short')).trim()).toBe('kubernetes.default.svc.cluster.local.');
  });
});
