// Whole clusters' rulesets (kube-proxy + Flannel + built-ins, per node) loaded into the real
// iptables-restore in a throwaway netns and read back: it must accept them and print them back
// exactly as we do. Needs root, iproute2 and iptables (CI installs them); skipped otherwise,
// except under CI, where a missing tool fails the test.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bootstrapCluster } from '../packages/core/src/cluster/bootstrap.js';
import { deploymentInput, serviceInput } from '@k8s-netsim/testing';
import { nodeRuleset } from '../packages/core/src/dataplane/netfilter/ruleset.js';
import { applyObjects } from '../packages/core/src/state/transitions.js';
import { iptablesSave } from '../packages/core/src/views/linux/iptables.js';
import { realIptables, realToolsRequired, requireRealIptables, withNetns, withoutComments } from '@k8s-netsim/testing/kernel';

const real = realIptables();

const svcArb = fc.record({
  replicas: fc.integer({ min: 0, max: 4 }),
  type: fc.constantFrom<'ClusterIP' | 'NodePort'>('ClusterIP', 'NodePort'),
  etp: fc.constantFrom<'Cluster' | 'Local'>('Cluster', 'Local'),
  affinity: fc.constantFrom<'None' | 'ClientIP'>('None', 'ClientIP'),
  udp: fc.boolean(),
});

describe('random clusters against the real iptables-restore', () => {
  it.skipIf(!real && !realToolsRequired())(`every node's iptables-save loads and reads back unchanged${real ? '' : ' (skipped: needs root, ip netns and iptables)'}`, () => {
    const { version, backend } = real ?? requireRealIptables();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(svcArb, { minLength: 1, maxLength: 4 }), (workers, svcs) => {
        const objects = svcs.flatMap((s, i) => [
          deploymentInput(`app${i}`, s.replicas),
          serviceInput(`svc${i}`, { app: `app${i}` }, [{ port: 80, name: 'http' }, ...(s.udp ? [{ port: 53, protocol: 'UDP' as const, name: 'dns' }] : [])], {
            type: s.type,
            sessionAffinity: s.affinity,
            ...(s.type === 'NodePort' ? { externalTrafficPolicy: s.etp } : {}),
          }),
        ]);
        const state = applyObjects(bootstrapCluster({ nodes: workers + 1 }), objects).state;
        for (const node of state.nodeOrder) {
          const saved = iptablesSave(nodeRuleset(state, node), { version, backend });
          withNetns('netsim-cluster', (exec) => {
            exec(['iptables-restore', '--test'], saved);
            exec(['iptables-restore'], saved);
            expect(withoutComments(exec(['iptables-save']))).toBe(withoutComments(saved));
          });
        }
      }),
      { numRuns: 8 },
    );
  });
});
