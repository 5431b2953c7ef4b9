import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endpointChainName, servicePortChainName, servicePortNameString } from './hash.js';

describe('kube-proxy chain names', () => {
  it("matches kube-proxy's own check values", () => {
    // pkg/proxy/iptables/proxier_test.go: the kubernetes service's chain, and ns1/svc1:p80's endpoint chain.
    expect(servicePortChainName('KUBE-SVC-', 'default/kubernetes:https', 'tcp')).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y');
    expect(endpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
  });

  it('uses one hash for the SVC, SVL, EXT and FW chains of a port, and the lower-cased protocol', () => {
    const h = (p: 'KUBE-SVC-' | 'KUBE-SVL-' | 'KUBE-EXT-' | 'KUBE-FW-') => servicePortChainName(p, 'default/web:http', 'TCP');
    expect([h('KUBE-SVC-'), h('KUBE-SVL-'), h('KUBE-EXT-'), h('KUBE-FW-')]).toEqual([
      'KUBE-SVC-CDGGSHYLG3RE2FKL',
      'KUBE-SVL-CDGGSHYLG3RE2FKL',
      'KUBE-EXT-CDGGSHYLG3RE2FKL',
      'KUBE-FW-CDGGSHYLG3RE2FKL',
    ]);
    expect(endpointChainName('default/web:http', 'TCP', '10.244.1.5:8080')).toBe('KUBE-SEP-AFGSLHOD2HFNCBX4');
  });

  it('names the port only when it has a name', () => {
    expect(servicePortNameString('default', 'web', 'http')).toBe('default/web:http');
    expect(servicePortNameString('default', 'web', '')).toBe('default/web');
  });

  it('gives distinct inputs distinct names of at most 28 characters in A-Z2-7', () => {
    const spn = fc
      .tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), fc.stringMatching(/^([a-z][a-z0-9-]{0,6})?$/))
      .map(([ns, n, p]) => servicePortNameString(ns, n, p));
    const input = fc.record({
      spn,
      proto: fc.constantFrom('tcp', 'udp', 'sctp'),
      ep: fc.option(
        fc.tuple(fc.ipV4(), fc.integer({ min: 1, max: 65535 })).map(([i, p]) => `${i}:${p}`),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(fc.uniqueArray(input, { minLength: 2, maxLength: 40, selector: (x) => `${x.spn}|${x.proto}|${x.ep ?? ''}` }), (inputs) => {
        const names = inputs.map((x) => (x.ep === undefined ? servicePortChainName('KUBE-SVC-', x.spn, x.proto) : endpointChainName(x.spn, x.proto, x.ep)));
        expect(new Set(names).size).toBe(names.length);
        for (const n of names) {
          expect(n.length).toBeLessThanOrEqual(28);
          expect(n).toMatch(/^KUBE-(SVC|SEP)-[A-Z2-7]{16}$/);
        }
      }),
    );
    for (const p of ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-'] as const) expect(servicePortChainName(p, 'a/b', 'tcp').length).toBeLessThanOrEqual(28);
  });
});
