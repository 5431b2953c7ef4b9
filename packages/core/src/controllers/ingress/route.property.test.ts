// routeIngress against a separate, plain reading of the rules (fast-check). The oracle below is
// written from the rules as a learner would state them, not from nginx's location machinery:
//
//   1. Hosts: a rule naming the request's host exactly (any case) applies; otherwise a
//      `*.suffix` rule whose `*` stands for exactly one label; otherwise the host-less rules.
//   2. Paths, over every applicable rule of every Ingress: an Exact path equal to the request
//      wins; else the longest Prefix/ImplementationSpecific path that is an element-wise prefix
//      (an empty path is "/"); equal paths: the oldest Ingress (then the greater
//      namespace/name, then rule and path order). Resource backends never match.
//   3. Nothing matched: the defaultBackend of the oldest Ingress naming that host; for
//      host-less requests the oldest Ingress that has a defaultBackend and no rules — which
//      also takes "/" away from host-less rules.
// Generated paths carry no trailing slash (that case is nginx's redirect, tested by example).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HTTPIngressPath, Ingress, IngressRule } from '../../api/types.js';
import { routeIngress } from './route.js';

const HOSTS = ['a.example.com', 'b.example.com', '*.example.com', '*.b.example.com', 'example.com'];
const SEGMENTS = ['a', 'ab'];

const segmentsArb = fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 2 });
const rulePathArb = segmentsArb.map((s) => `/${s.join('/')}`);

let serial = 0;
const pathArb: fc.Arbitrary<HTTPIngressPath> = fc
  .record({
    path: fc.oneof(rulePathArb, fc.constant(undefined)),
    pathType: fc.constantFrom('Exact', 'Prefix', 'ImplementationSpecific') as fc.Arbitrary<HTTPIngressPath['pathType']>,
    resource: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  })
  // Exact and Prefix need a path (validation); ImplementationSpecific may leave it out.
  .map(({ path, pathType, resource }) => {
    const p = path === undefined && pathType !== 'ImplementationSpecific' ? '/' : path;
    const backend = resource ? { resource: { kind: 'Bucket', name: 'b' } } : { service: { name: `svc-${serial++}`, port: { number: 80 } } };
    return { ...(p !== undefined ? { path: p } : {}), pathType, backend };
  });

const ruleArb: fc.Arbitrary<IngressRule> = fc
  .record({
    host: fc.option(fc.constantFrom(...HOSTS), { nil: undefined }),
    paths: fc.array(pathArb, { minLength: 1, maxLength: 4 }),
  })
  .map(({ host, paths }) => ({ ...(host ? { host } : {}), http: { paths } }));

const ingressArb = (name: string): fc.Arbitrary<Ingress> =>
  fc
    .record({
      namespace: fc.constantFrom('default', 'web'),
      minute: fc.integer({ min: 0, max: 2 }),
      rules: fc.array(ruleArb, { maxLength: 3 }),
      defaultBackend: fc.boolean(),
    })
    .map(({ namespace, minute, rules, defaultBackend }) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace, uid: name, resourceVersion: '1', creationTimestamp: `2024-05-01T10:0${minute}:00Z` },
      spec: {
        ...(defaultBackend || rules.length === 0 ? { defaultBackend: { service: { name: `${name}-default`, port: { number: 80 } } } } : {}),
        ...(rules.length ? { rules } : {}),
      },
      status: { loadBalancer: {} },
    }));

const ingressesArb = fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ingressArb(`ing-${i}`))));

const requestArb = fc.record({
  host: fc.constantFrom('a.example.com', 'A.Example.COM', 'b.example.com', 'x.example.com', 'x.b.example.com', 'x.y.example.com', 'example.com', 'other.org', ''),
  port: fc.constantFrom('', ':80'),
  path: fc.tuple(segmentsArb, fc.boolean()).map(([s, slash]) => `/${s.join('/')}${slash && s.length ? '/' : ''}`),
});

// ---------------------------------------------------------------------------------------------
// The oracle

const elements = (p: string) => p.split('/').filter((e) => e !== '');

function elementPrefix(rulePath: string, request: string): boolean {
  const r = elements(rulePath);
  const q = elements(request);
  return r.length <= q.length && r.every((e, i) => e === q[i]);
}

function order(ings: Ingress[]): Ingress[] {
  const k = (i: Ingress) => `${i.metadata.namespace}/${i.metadata.name}`;
  return [...ings].sort((a, b) => Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp) || (k(a) < k(b) ? 1 : k(a) > k(b) ? -1 : 0));
}

function expectedService(ings: Ingress[], host: string, path: string): string | undefined {
  const h = host.toLowerCase();
  const named = ings.flatMap((i) => (i.spec.rules ?? []).map((r) => r.host).filter((x): x is string => !!x));
  let group = '';
  if (h && named.includes(h)) group = h;
  else {
    const oneLabel = (w: string) => {
      const suffix = w.slice(1);
      const label = h.slice(0, h.length - suffix.length);
      return h.endsWith(suffix) && label !== '' && !label.includes('.');
    };
    const wild = named.find((w) => w.startsWith('*.') && oneLabel(w));
    if (wild) group = wild;
  }
  const sorted = order(ings);
  const catchAllOwner = sorted.find((i) => i.spec.defaultBackend?.service && (i.spec.rules ?? []).length === 0);

  const candidates: { path: string; exact: boolean; service: string }[] = [];
  for (const ing of sorted) {
    for (const rule of ing.spec.rules ?? []) {
      if ((rule.host ?? '') !== group) continue;
      for (const p of rule.http?.paths ?? []) {
        if (!p.backend.service) continue;
        const rp = p.path ?? '/';
        const exact = p.pathType === 'Exact';
        if (!exact && group === '' && catchAllOwner && elements(rp).length === 0) continue;
        if (exact ? rp === path : elementPrefix(rp, path)) candidates.push({ path: rp, exact, service: p.backend.service.name });
      }
    }
  }
  const exact = candidates.find((c) => c.exact);
  if (exact) return exact.service;
  let best: (typeof candidates)[number] | undefined;
  for (const c of candidates) if (!best || elements(c.path).length > elements(best.path).length) best = c;
  if (best) return best.service;

  const owner = group === '' ? catchAllOwner : sorted.find((i) => (i.spec.rules ?? []).some((r) => r.host === group));
  return owner?.spec.defaultBackend?.service?.name;
}

describe('routeIngress properties', () => {
  it('agrees with a plain reading of the rules', () => {
    fc.assert(
      fc.property(ingressesArb, requestArb, (ings, req) => {
        const d = routeIngress(ings, { host: req.host + req.port, path: req.path });
        expect(d?.backend.service?.name).toBe(expectedService(ings, req.host, req.path));
        expect(d?.redirect).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('the order the Ingresses are listed in does not matter', () => {
    fc.assert(
      fc.property(ingressesArb, requestArb, fc.integer({ min: 0, max: 23 }), (ings, req, rot) => {
        const shuffled = [...ings.slice(rot % ings.length), ...ings.slice(0, rot % ings.length)].reverse();
        expect(routeIngress(shuffled, { host: req.host, path: req.path })).toEqual(routeIngress(ings, { host: req.host, path: req.path }));
      }),
    );
  });

  it('a wildcard rule never serves a host two labels deeper', () => {
    fc.assert(
      fc.property(ingressesArb, segmentsArb, (ings, s) => {
        const d = routeIngress(ings, { host: 'x.y.example.com', path: `/${s.join('/')}` });
        expect(d?.host).not.toBe('*.example.com');
      }),
    );
  });

  it('a decision names a real rule path or a defaultBackend of the Ingress it cites', () => {
    fc.assert(
      fc.property(ingressesArb, requestArb, (ings, req) => {
        const d = routeIngress(ings, { host: req.host, path: req.path });
        if (!d) return;
        const ing = ings.find((i) => i.metadata.namespace === d.ingress.namespace && i.metadata.name === d.ingress.name)!;
        expect(d.namespace).toBe(ing.metadata.namespace);
        if (d.ruleIndex === undefined) expect(d.backend).toBe(ing.spec.defaultBackend);
        else expect(d.backend).toBe(ing.spec.rules![d.ruleIndex]!.http!.paths[d.pathIndex!]!.backend);
        expect(d.reason.length).toBeGreaterThan(0);
      }),
    );
  });
});
