import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.js';
import { clusterStats, DEFAULT_TYPE_MIX, GENERATED_NODE_PORT_BUDGET, generateCluster, generateClusterObjects, typeCounts, type GenerateOptions } from './generate.js';
import type { ObjectInput } from '../apiserver/storage.js';

const small: GenerateOptions = { seed: 7, namespaces: 4, services: 50, podsPerService: { min: 1, max: 3 } };

function serviceKinds(objs: ObjectInput[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of objs) {
    if (o.kind !== 'Service') continue;
    const s = (o as ObjectInput<'Service'>).spec;
    const t = s.clusterIP === 'None' ? 'headless' : s.type;
    out[t] = (out[t] ?? 0) + 1;
  }
  return out;
}

describe('generateClusterObjects', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(JSON.stringify(generateClusterObjects(small))).toBe(JSON.stringify(generateClusterObjects(small)));
    expect(JSON.stringify(generateClusterObjects({ ...small, seed: 8 }))).not.toBe(JSON.stringify(generateClusterObjects(small)));
  });

  it('emits namespaces, one Deployment and one Service per service, and the Ingresses', () => {
    const objs = generateClusterObjects({ ...small, ingresses: 3 });
    const by = (k: string) => objs.filter((o) => o.kind === k);
    expect(by('Namespace')).toHaveLength(4);
    expect(by('Deployment')).toHaveLength(50);
    expect(by('Service')).toHaveLength(50);
    expect(by('Ingress')).toHaveLength(3);
    for (const d of by('Deployment') as ObjectInput<'Deployment'>[]) {
      expect(d.spec.replicas).toBeGreaterThanOrEqual(1);
      expect(d.spec.replicas).toBeLessThanOrEqual(3);
    }
    expect(new Set((by('Deployment') as ObjectInput<'Deployment'>[]).map((d) => d.spec.replicas))).toEqual(new Set([1, 2, 3]));
    const fixed = generateClusterObjects({ ...small, podsPerService: 2 }).filter((o) => o.kind === 'Deployment') as ObjectInput<'Deployment'>[];
    expect(fixed.every((d) => d.spec.replicas === 2)).toBe(true);
  });

  it('follows the type mix exactly, seeded-shuffled', () => {
    const objs = generateClusterObjects({ ...small, services: 200, typeMix: { ClusterIP: 2, NodePort: 1, LoadBalancer: 1, headless: 0, ExternalName: 0 } });
    expect(serviceKinds(objs)).toEqual({ ClusterIP: 100, NodePort: 50, LoadBalancer: 50 });
    expect(serviceKinds(generateClusterObjects({ ...small, services: 1000 }))).toEqual({ ClusterIP: 700, NodePort: 100, LoadBalancer: 50, headless: 100, ExternalName: 50 });
    // The types are not in blocks: the first 20 services are not all ClusterIP.
    const first = generateClusterObjects({ ...small, services: 1000 })
      .filter((o) => o.kind === 'Service')
      .slice(0, 40);
    expect(Object.keys(serviceKinds(first)).length).toBeGreaterThan(1);
  });

  it('keeps NodePort + LoadBalancer within the nodePort range', () => {
    const c = typeCounts(10_000, { ClusterIP: 0, NodePort: 1, LoadBalancer: 1, headless: 0, ExternalName: 0 });
    expect(c.NodePort + c.LoadBalancer).toBe(GENERATED_NODE_PORT_BUDGET);
    expect(c.ClusterIP + c.NodePort + c.LoadBalancer).toBe(10_000);
    expect(typeCounts(10_000, DEFAULT_TYPE_MIX).NodePort).toBe(1000);
  });
});

describe('generateCluster', () => {
  const opts = { ...small, nodes: 20 };
  const phases: string[] = [];
  const state = generateCluster({ ...opts, batchSize: 20, onProgress: (_d, _t, phase) => void (phases.includes(phase) || phases.push(phase)) });

  it('builds a 20-node, 50-service cluster with every pod Running', () => {
    const stats = clusterStats(state);
    expect(stats.nodes).toBe(20);
    expect(stats.services).toBe(50 + 3); // + kubernetes, kube-dns, ingress-nginx-controller
    expect(stats.pods).toBe(stats.runningPods);
    const generatedPods = Object.entries(state.pods)
      .filter(([ns]) => ns.startsWith('ns-'))
      .reduce((a, [, s]) => a + Object.keys(s).length, 0);
    const wanted = (generateClusterObjects(small).filter((o) => o.kind === 'Deployment') as ObjectInput<'Deployment'>[]).reduce((a, d) => a + d.spec.replicas, 0);
    expect(generatedPods).toBe(wanted);
    for (const shard of Object.values(state.services)) {
      for (const s of Object.values(shard)) if (s.spec.type === 'LoadBalancer') expect(s.status.loadBalancer.ingress?.[0]?.ip).toBeDefined();
    }
    expect(phases).toEqual(['bootstrapping 20 nodes', 'applying namespaces', 'applying deployments', 'applying services', 'applying ingresses', 'provisioning load balancers']);
  });

  it('is deterministic: same seed, same snapshot JSON', () => {
    expect(Cluster.fromState(generateCluster({ ...opts, batchSize: 20 })).snapshot()).toBe(Cluster.fromState(state).snapshot());
  });
});
