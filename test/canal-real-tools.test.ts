// Felix's rules and sets, as the simulator prints them for a canal node, loaded into the real
// tools in a throwaway network namespace: `ipset restore` of our `ipset save`, then
// `iptables-restore` of our `iptables-save` (which names those sets), read back unchanged. The
// policies are the upstream e2e cases' (the kit's CONFORMANCE_CASES) on their x/y/z model, then
// random ones (the kit's arbPolicyScenario: named ports, endPort ranges, ipBlocks with except).
// Needs root, iproute2, iptables and ipset; skipped otherwise, except under CI, where it fails.

import { Cluster, ipsetSave, iptablesSave, nodeRuleset } from '@k8s-netsim/core';
import fc from 'fast-check';
import { arbPolicyScenario, CONFORMANCE_CASES, conformanceModel, resolvePolicies } from '@k8s-netsim/testing';
import { hasTool, realIptables, realToolsRequired, requireRealIptables, requireTool, withNetns, withoutComments } from '@k8s-netsim/testing/kernel';
import { describe, expect, it } from 'vitest';

const real = realIptables() && hasTool('ipset', ['version']) ? realIptables() : undefined;

/** `ipset save` with each set's random initval and the kernel's member order set aside. */
function normaliseSets(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/ initval 0x[0-9a-f]+$/, ''))
    .sort();
}

describe('canal nodes against the real iptables-restore and ipset', () => {
  it.skipIf(!real && !realToolsRequired())(
    `every node's Felix rules and sets load and read back unchanged${real ? '' : ' (skipped: needs root, ip netns, iptables and ipset)'}`,
    () => {
      const { version, backend } = real ?? requireRealIptables();
      requireTool('ipset', 'ipset', ['version']);
      const base = Cluster.create({ cni: 'canal' }).apply(conformanceModel()).settle();
      const ip = (ns: string, name: string) => base.state.pods[ns]![name]!.status.podIP!;
      // Every fourth case, without relabelling: ipBlocks, named ports, both directions, groups.
      const cases = CONFORMANCE_CASES.filter((k, i) => !k.labels && i % 4 === 0);
      expect(cases.length).toBeGreaterThanOrEqual(10);
      let sets = 0;
      for (const k of cases) {
        const c = k.policies.length ? base.apply(resolvePolicies(k.policies, (p) => ip(p.namespace, p.name))) : base;
        for (const node of c.state.nodeOrder) {
          const ruleset = nodeRuleset(c.state, node);
          const savedSets = ipsetSave(ruleset, c.state.config.seed);
          const saved = iptablesSave(ruleset, { version, backend });
          sets += ruleset.ipsets?.size ?? 0;
          withNetns('netsim-canal', (exec) => {
            if (savedSets) exec(['ipset', 'restore'], savedSets);
            exec(['iptables-restore', '--test'], saved);
            exec(['iptables-restore'], saved);
            expect(withoutComments(exec(['iptables-save']))).toBe(withoutComments(saved));
            expect(normaliseSets(exec(['ipset', 'save']))).toEqual(normaliseSets(savedSets));
          });
        }
      }
      // The sample did exercise selector and named-port sets.
      expect(sets).toBeGreaterThan(0);
    },
  );

  it.skipIf(!real && !realToolsRequired())('random policies: the same, on every node', () => {
    const { version, backend } = real ?? requireRealIptables();
    requireTool('ipset', 'ipset', ['version']);
    const check = (manifests: string | readonly object[]) => {
      const c = Cluster.create({ cni: 'canal', nodes: 2 }).apply(manifests);
      for (const node of c.state.nodeOrder) {
        const ruleset = nodeRuleset(c.state, node);
        const savedSets = ipsetSave(ruleset, c.state.config.seed);
        const saved = iptablesSave(ruleset, { version, backend });
        withNetns('netsim-canal', (exec) => {
          if (savedSets) exec(['ipset', 'restore'], savedSets);
          exec(['iptables-restore'], saved);
          expect(withoutComments(exec(['iptables-save']))).toBe(withoutComments(saved));
        });
      }
    };
    // endPort equal to port is one port (multiport refuses a range 81:81), ranges, many ports.
    check(`apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 80}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ports}
spec:
  podSelector: {}
  ingress:
  - ports: [{port: 81, endPort: 81}]
  - ports: [{port: 8000, endPort: 8080}, {port: http}, {protocol: SCTP, port: 9}]
  - ports: [{port: 1}, {port: 3}, {port: 5}, {port: 7}, {port: 9}, {port: 11}, {port: 13}, {port: 15}, {port: 17}, {port: 19}, {port: 21}, {port: 23}, {port: 25}, {port: 27}, {port: 29}, {port: 31}]
`);
    fc.assert(fc.property(arbPolicyScenario({ pods: { min: 2, max: 5 }, policies: { min: 1, max: 3 } }), check), { numRuns: 15, seed: 7 });
  });
});
