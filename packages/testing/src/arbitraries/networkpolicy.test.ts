// Every generated policy and scenario is accepted by the API server, and the vocabulary is small
// enough that policies select the scenario's pods (and sometimes do not).

import fc from 'fast-check';
import { Cluster, storedPolicies, policiesSelecting, getObject } from '@k8s-netsim/core';
import { describe, expect, it } from 'vitest';
import { arbNetworkPolicy, arbPolicyScenario } from './networkpolicy.js';

const lab = Cluster.create();

describe('NetworkPolicy arbitraries', () => {
  it('arbNetworkPolicy: valid (apply accepts it) in any namespace', () => {
    fc.assert(
      fc.property(arbNetworkPolicy({ name: 'p' }), (np) => {
        lab.apply(np);
      }),
      { numRuns: 200 },
    );
  });

  it('arbPolicyScenario: applies whole; policies select some pods and miss others', () => {
    let selected = 0;
    let missed = 0;
    fc.assert(
      fc.property(arbPolicyScenario({ policies: { min: 1, max: 3 } }), (manifests) => {
        const c = lab.apply(manifests);
        const pods = manifests.filter((o) => o.kind === 'Pod').map((o) => getObject(c.state, 'Pod', o.metadata.namespace, o.metadata.name)!);
        expect(pods.every((p) => p.status.podIP)).toBe(true);
        const world = { policies: storedPolicies(c.state), namespaces: c.state.namespaces };
        expect(world.policies.length).toBe(manifests.filter((o) => o.kind === 'NetworkPolicy').length);
        for (const p of pods) {
          if (policiesSelecting(world, p, 'Ingress').length) selected++;
          else missed++;
        }
      }),
      { numRuns: 50 },
    );
    expect(selected).toBeGreaterThan(0);
    expect(missed).toBeGreaterThan(0);
  });
});
