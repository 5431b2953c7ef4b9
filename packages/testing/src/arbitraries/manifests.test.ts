import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { Cluster } from '@k8s-netsim/core';
import { arbManifests, manifestsToYaml, type KubeObject } from './manifests.js';

const lab = Cluster.create();
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

describe('arbManifests', () => {
  it('is always accepted by the default lab; every pod with an IP runs on a Ready node', () => {
    fc.assert(
      fc.property(arbManifests(), (manifests) => {
        const before = JSON.stringify(manifests);
        const c = lab.apply(manifests);
        expect(JSON.stringify(manifests)).toBe(before); // apply does not touch its input
        for (const p of c.pods()) {
          if (!p.ip) continue;
          expect(p.phase, `${p.namespace}/${p.name}`).toBe('Running');
          expect(c.node(p.node!).ready, `${p.namespace}/${p.name} on ${p.node}`).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('names are DNS-1035 labels, unique per kind and namespace; Namespaces come first', () => {
    fc.assert(
      fc.property(arbManifests({ namespaces: ['default', 'team-a', 'team-b'] }), (manifests) => {
        const keys = new Set<string>();
        let bodyStarted = false;
        for (const o of manifests) {
          expect(o.metadata.name).toMatch(DNS1035);
          expect(o.metadata.name.length).toBeLessThanOrEqual(63);
          const key = `${o.kind}/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
          expect(keys.has(key), key).toBe(false);
          keys.add(key);
          if (o.kind === 'Namespace') expect(bodyStarted).toBe(false);
          else bodyStarted = true;
        }
        const used = new Set(manifests.filter((o) => o.kind !== 'Namespace').map((o) => o.metadata.namespace ?? 'default'));
        const declared = new Set(manifests.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
        for (const ns of used) expect(['default', 'team-a', 'team-b']).toContain(ns);
        for (const ns of used) if (ns !== 'default') expect(declared.has(ns), ns).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('fixed nodePorts are unique and in the static band; Ingress backends exist in the Ingress namespace', () => {
    fc.assert(
      fc.property(arbManifests({ maxServices: 6, maxIngresses: 3 }), (manifests) => {
        const nodePorts: number[] = [];
        const services = new Set<string>();
        for (const o of manifests) {
          if (o.kind !== 'Service') continue;
          services.add(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`);
          for (const p of (o.spec as { ports?: { nodePort?: number }[] }).ports ?? []) if (p.nodePort) nodePorts.push(p.nodePort);
        }
        expect(new Set(nodePorts).size).toBe(nodePorts.length);
        for (const n of nodePorts) expect(n >= 30000 && n <= 30085, String(n)).toBe(true);
        for (const o of manifests.filter((m) => m.kind === 'Ingress')) {
          const ns = o.metadata.namespace ?? 'default';
          const spec = o.spec as { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] };
          for (const r of spec.rules) for (const p of r.http.paths) expect(services.has(`${ns}/${p.backend.service.name}`)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('fixedAllocations: false leaves every nodePort and ClusterIP to the allocators', () => {
    fc.assert(
      fc.property(arbManifests({ fixedAllocations: false, maxServices: 6 }), (manifests) => {
        for (const o of manifests.filter((m) => m.kind === 'Service')) {
          const spec = o.spec as { clusterIP?: string; ports?: { nodePort?: number }[] };
          expect(spec.clusterIP === undefined || spec.clusterIP === 'None').toBe(true);
          for (const p of spec.ports ?? []) expect(p.nodePort).toBeUndefined();
        }
      }),
      { numRuns: 100 },
    );
  });

  it('covers every Service flavour, workload kind and Ingress path type', () => {
    const seen = new Set<string>();
    for (const ms of fc.sample(arbManifests({ maxServices: 6 }), { numRuns: 200, seed: 1 })) {
      for (const o of ms) {
        seen.add(o.kind);
        const spec = o.spec as Record<string, unknown> | undefined;
        if (o.kind === 'Service') {
          seen.add(`Service:${String(spec?.type ?? (spec?.clusterIP === 'None' ? 'Headless' : 'ClusterIP'))}`);
          if (!spec?.selector && spec?.type !== 'ExternalName') seen.add('selectorless');
          if (spec?.externalIPs) seen.add('externalIPs');
          if (spec?.loadBalancerSourceRanges) seen.add('loadBalancerSourceRanges');
          if (spec?.sessionAffinity === 'ClientIP') seen.add('ClientIP');
          if (spec?.externalTrafficPolicy === 'Local') seen.add('etp:Local');
          if (spec?.internalTrafficPolicy === 'Local') seen.add('itp:Local');
          if ((spec?.ports as { targetPort?: unknown }[] | undefined)?.some((p) => typeof p.targetPort === 'string')) seen.add('named targetPort');
        }
        if (o.kind === 'Ingress') for (const m of JSON.stringify(spec).matchAll(/"pathType":"(\w+)"/g)) seen.add(`pathType:${m[1]}`);
      }
    }
    for (const k of [
      'Namespace',
      'Deployment',
      'DaemonSet',
      'Pod',
      'Ingress',
      'Service:ClusterIP',
      'Service:NodePort',
      'Service:LoadBalancer',
      'Service:Headless',
      'Service:ExternalName',
      'selectorless',
      'externalIPs',
      'loadBalancerSourceRanges',
      'ClientIP',
      'etp:Local',
      'itp:Local',
      'named targetPort',
      'pathType:Exact',
      'pathType:Prefix',
    ]) {
      expect(seen.has(k), k).toBe(true);
    }
  });

  it('prints a shrunk counterexample as small multi-document YAML', () => {
    // A property that fails as soon as there is a NodePort Service: shrinking leaves just that.
    const details = fc.check(
      fc.property(arbManifests(), (ms) => !ms.some((o) => o.kind === 'Service' && (o.spec as { type?: string }).type === 'NodePort')),
      { seed: 42, numRuns: 200 },
    );
    expect(details.failed).toBe(true);
    const [shrunk] = details.counterexample!;
    const text = fc.stringify(shrunk);
    expect(text).toBe(['apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  type: NodePort', '  ports:', '    - port: 80', ''].join('\n'));
    expect(yaml.loadAll(text)).toEqual(JSON.parse(JSON.stringify(shrunk)));
    // Several documents are joined with `---` and read back as the same objects.
    const two: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }, ...shrunk];
    expect(manifestsToYaml(two)).toContain('\n---\n');
    expect(yaml.loadAll(manifestsToYaml(two))).toEqual(JSON.parse(JSON.stringify(two)));
    expect(fc.stringify(details.counterexample)).toContain('kind: Service');
  });
});
