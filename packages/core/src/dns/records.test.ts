import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { deploymentInput, serviceInput } from '@k8s-netsim/testing';
import { applyObjects, deleteObject } from '../controllers/transitions.js';
import type { ObjectInput } from '../apiserver/storage.js';
import type { ClusterState } from '../state/types.js';
import { KUBEADM_COREFILE, parseCorefile } from './corefile/index.js';
import { addressFromReverse, canonicalIP, dnsData, endpointHostname, formatIPv6, reverseName } from './records.js';
import { answer, type AnswerContext } from './server.js';
import { defaultUpstreamZone, makeUpstream } from './upstream.js';

describe('addresses', () => {
  it('formats IPv6 as Go does (RFC 5952, v4-mapped as IPv4)', () => {
    expect(canonicalIP('2001:DB8:0:0:0:0:0:1')?.text).toBe('2001:db8::1');
    expect(canonicalIP('2001:db8:0:0:1:0:0:1')?.text).toBe('2001:db8::1:0:0:1');
    expect(canonicalIP('fd00:0:0:1::')?.text).toBe('fd00:0:0:1::');
    expect(canonicalIP('::')?.text).toBe('::');
    expect(canonicalIP('::ffff:10.0.0.1')).toEqual({ text: '10.0.0.1', family: 4 });
    expect(canonicalIP('2001:db8::1::2')).toBeUndefined();
    expect(canonicalIP('10.0.0.01')).toBeUndefined();
    expect(formatIPv6([1, 0, 2, 0, 0, 3, 0, 0])).toBe('1:0:2::3:0:0');
  });

  it('builds and reads reverse names', () => {
    expect(reverseName('10.96.0.10')).toBe('10.0.96.10.in-addr.arpa.');
    expect(reverseName('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.');
    expect(addressFromReverse('10.0.96.10.IN-ADDR.ARPA.')).toBe('10.96.0.10');
    expect(addressFromReverse('0.96.10.in-addr.arpa.')).toBe('');
  });

  it('reverse names round-trip for any address', () => {
    const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
    const v6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(':'));
    fc.assert(
      fc.property(fc.oneof(v4, v6), (ip) => {
        expect(addressFromReverse(reverseName(ip))).toBe(canonicalIP(ip)?.text);
      }),
    );
  });

  it('names endpoints like endpointHostname', () => {
    const a = { ip: '172.0.0.2', hostname: '', targetRefName: 'web-abc' };
    expect(endpointHostname(a, false)).toBe('172-0-0-2');
    expect(endpointHostname(a, true)).toBe('web-abc');
    expect(endpointHostname({ ...a, hostname: 'db-0' }, true)).toBe('db-0');
    expect(endpointHostname({ ip: '1234:abcd::', hostname: '', targetRefName: '' }, false)).toBe('1234-abcd--0');
    expect(endpointHostname({ ip: '5678:abcd::1', hostname: '', targetRefName: '' }, false)).toBe('5678-abcd--1');
    expect(endpointHostname({ ...a, targetRefName: 'x'.repeat(64) }, true)).toBe('172-0-0-2');
  });
});

// --- properties over random clusters -------------------------------------------------------------

const base: ClusterState = applyObjects(bootstrapCluster(), [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' }, spec: { finalizers: ['kubernetes'] } } as unknown as ObjectInput,
]).state;
const kubeadm = parseCorefile(KUBEADM_COREFILE);
const ctx: AnswerContext = { clientIP: '10.244.1.5', upstream: makeUpstream(defaultUpstreamZone()) };

const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/).filter((s) => !['kubernetes', 'kube-dns', 'svc', 'pod'].includes(s));
const svcSpec = fc.record({ name: label, namespace: fc.constantFrom('default', 'team-a'), ports: fc.integer({ min: 1, max: 3 }) });
const svcSpecs = fc.uniqueArray(svcSpec, { minLength: 1, maxLength: 6, selector: (s) => `${s.namespace}/${s.name}` });

function withServices(specs: { name: string; namespace: string; ports: number }[]): ClusterState {
  return applyObjects(
    base,
    specs.map((s) =>
      serviceInput(
        s.name,
        { app: s.name },
        Array.from({ length: s.ports }, (_, i) => ({ port: 80 + i, name: `p${i}` })),
        { namespace: s.namespace },
      ),
    ),
  ).state;
}

/** Flip the case of letters by a mask, as a client might send the name. */
function mixCase(name: string, mask: number[]): string {
  return [...name].map((c, i) => ((mask[i % mask.length] ?? 0) % 2 ? c.toUpperCase() : c)).join('');
}

describe('properties', () => {
  it('every Service name resolves to its ClusterIP; other names are NXDOMAIN', () => {
    fc.assert(
      fc.property(svcSpecs, label, (specs, other) => {
        const s = withServices(specs);
        const d = dnsData(s);
        for (const spec of specs) {
          const a = answer(d, kubeadm, { name: `${spec.name}.${spec.namespace}.svc.cluster.local`, type: 'A' }, ctx);
          expect(a.rcode).toBe('NOERROR');
          expect(a.answer.map((r) => r.data)).toEqual([s.services[spec.namespace]![spec.name]!.spec.clusterIP]);
        }
        if (!specs.some((x) => x.name === other && x.namespace === 'team-a')) {
          expect(answer(d, kubeadm, { name: `${other}.team-a.svc.cluster.local`, type: 'A' }, ctx).rcode).toBe('NXDOMAIN');
        }
      }),
      { numRuns: 25 },
    );
  });

  it('deleted Services are NXDOMAIN, the others still resolve', () => {
    fc.assert(
      fc.property(svcSpecs, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (specs, drop) => {
        let s = withServices(specs);
        const gone = specs.filter((_, i) => drop[i]);
        for (const g of gone) s = deleteObject(s, 'Service', g.namespace, g.name);
        const d = dnsData(s);
        for (const spec of specs) {
          const a = answer(d, kubeadm, { name: `${spec.name}.${spec.namespace}.svc.cluster.local`, type: 'A' }, ctx);
          expect(a.rcode).toBe(gone.includes(spec) ? 'NXDOMAIN' : 'NOERROR');
        }
      }),
      { numRuns: 20 },
    );
  });

  it('lookups are case-insensitive and answer with the name as asked', () => {
    fc.assert(
      fc.property(svcSpecs, fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), fc.constantFrom<'A' | 'SRV' | 'AAAA'>('A', 'SRV', 'AAAA'), (specs, mask, type) => {
        const d = dnsData(withServices(specs));
        for (const spec of specs) {
          const lower = `${spec.name}.${spec.namespace}.svc.cluster.local.`;
          const asked = mixCase(lower, mask);
          const a = answer(d, kubeadm, { name: asked, type }, ctx);
          const b = answer(d, kubeadm, { name: lower, type }, ctx);
          expect(a.rcode).toBe(b.rcode);
          // SRV targets keep the query's spelling of the zone, as CoreDNS builds them from it.
          expect(a.answer.map((r) => r.data.toLowerCase())).toEqual(b.answer.map((r) => r.data));
          expect(a.answer.every((r) => r.name === asked)).toBe(true);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('SRV weights: floor(100 / N) (at least 1), N = SRV records for the question', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), (replicas, ports) => {
        const portList = Array.from({ length: ports }, (_, i) => ({ port: 8000 + i, name: `p${i}` }));
        const s = applyObjects(base, [
          deploymentInput('app', replicas),
          serviceInput('app', { app: 'app' }, portList),
          serviceInput('app-hl', { app: 'app' }, portList, { clusterIP: 'None' }),
        ]).state;
        const d = dnsData(s);
        const weight = (n: number) => Math.max(1, Math.floor(100 / n));
        const cip = answer(d, kubeadm, { name: 'app.default.svc.cluster.local', type: 'SRV' }, ctx);
        expect(cip.answer).toHaveLength(ports);
        expect(cip.answer.every((r) => r.data.startsWith(`0 ${weight(ports)} `))).toBe(true);
        const hl = answer(d, kubeadm, { name: 'app-hl.default.svc.cluster.local', type: 'SRV' }, ctx);
        expect(hl.answer).toHaveLength(replicas * ports);
        expect(hl.answer.every((r) => r.data.startsWith(`0 ${weight(replicas * ports)} `))).toBe(true);
        const one = answer(d, kubeadm, { name: '_p0._tcp.app-hl.default.svc.cluster.local', type: 'SRV' }, ctx);
        expect(one.answer.map((r) => r.data.split(' ')[1])).toEqual(new Array(replicas).fill(String(weight(replicas))));
      }),
      { numRuns: 15 },
    );
  });
});
