// Whole clusters' rulesets (kube-proxy + Flannel + built-ins, per node) loaded into the real
// iptables-restore in a throwaway netns and read back: it must accept them and print them back
// exactly as we do. The clusters are the kit's (every Service type, ETP/ITP Local, affinity,
// externalIPs, source ranges, both Flannel backends). Needs root, iproute2 and iptables (CI
// installs them); skipped otherwise, except under CI, where a missing tool fails the test.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { iptablesSave, nodeRuleset } from '@k8s-netsim/core';
import { arbCluster } from '@k8s-netsim/testing';
import { realIptables, realToolsRequired, requireRealIptables, withNetns, withoutComments } from '@k8s-netsim/testing/kernel';

const real = realIptables();

describe('random clusters against the real iptables-restore', () => {
  it.skipIf(!real && !realToolsRequired())(`every node's iptables-save loads and reads back unchanged${real ? '' : ' (skipped: needs root, ip netns and iptables)'}`, () => {
    const { version, backend } = real ?? requireRealIptables();
    fc.assert(
      fc.property(arbCluster({ manifests: { minServices: 1, maxServices: 6 } }), (c) => {
        for (const node of c.state.nodeOrder) {
          const saved = iptablesSave(nodeRuleset(c.state, node), { version, backend });
          withNetns('netsim-cluster', (exec) => {
            exec(['iptables-restore', '--test'], saved);
            exec(['iptables-restore'], saved);
            expect(withoutComments(exec(['iptables-save']))).toBe(withoutComments(saved));
          });
        }
      }),
      { numRuns: 12 },
    );
  });
});
