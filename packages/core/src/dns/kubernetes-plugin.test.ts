// Properties of the kubernetes plugin's answers over random clusters, asked through the server.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { deploymentInput, serviceInput } from '@k8s-netsim/testing';
import { applyObjects, deleteObject } from '../controllers/transitions.js';
import type { ObjectInput } from '../apiserver/storage.js';
import type { ClusterState } from '../state/types.js';
import { KUBEADM_COREFILE, parseCorefile } from './corefile/index.js';
import { dnsData } from './informer.js';
import { answer, type AnswerContext } from './server.js';
import { defaultUpstreamZone, makeUpstream } from './upstream.js';

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
