// Loads generated kube-proxy tables into the real iptables-restore in a throwaway network
// namespace. Needs root, iproute2 and iptables (CI: apt-get install -y iptables); skipped otherwise,
// except under CI, where a missing tool fails the test.
// Beyond `iptables-restore --test`, each ruleset is really loaded and the kernel's own
// `iptables-save -t T` is compared with what we print, table by table.

import fc from 'fast-check';
import { realIptables, realToolsRequired, requireRealIptables, withNetns, withoutComments } from '@k8s-netsim/testing/kernel';
import { describe, expect, it } from 'vitest';
import type { Ruleset } from '../../net/netfilter.js';
import { iptablesSave } from '../../views/linux/iptables.js';
import { PROXY_CONFIG, PROXY_NODE, arbProxyServicePorts } from '@k8s-netsim/testing';
import { kubeProxyTables } from './rules.js';

const real = realIptables();

describe('kube-proxy tables against the real iptables-restore', () => {
  it.skipIf(!real && !realToolsRequired())(`load and read back exactly as we print them${real ? '' : ' (skipped: needs root, ip netns and iptables-restore)'}`, () => {
    const { version, backend } = real ?? requireRealIptables();
    fc.assert(
      fc.property(arbProxyServicePorts({ maxLength: 6 }), fc.constantFrom(PROXY_NODE, 'node2'), fc.boolean(), (sps, nodeName, masqueradeAll) => {
        const t = kubeProxyTables(sps, { ...PROXY_CONFIG, nodeName, masqueradeAll });
        const ruleset: Ruleset = {
          tables: [
            { name: 'mangle', chains: t.mangle },
            { name: 'nat', chains: t.nat },
            { name: 'filter', chains: t.filter },
          ],
        };
        const saved = iptablesSave(ruleset, { version, backend });
        withNetns('netsim-kp', (exec) => {
          exec(['iptables-restore', '--test'], saved);
          exec(['iptables-restore'], saved);
          for (const table of ruleset.tables) {
            expect(withoutComments(exec(['iptables-save', '-t', table.name]))).toBe(withoutComments(iptablesSave(ruleset, { version, backend, table: table.name })));
          }
        });
      }),
      { numRuns: 20 },
    );
  });
});
