// Feeds rendered rulesets to the real iptables-restore in a throwaway network namespace. Needs
// root, iproute2 and iptables (CI: apt-get install -y iptables); skipped otherwise,
// except under CI, where a missing tool fails the test.
//
// Beyond `iptables-restore --test`, each ruleset is really loaded and the real tool's own
// `iptables-save -t T` and `iptables -t T -L -n -v --line-numbers` are compared with ours, table
// by table (per table because legacy's table order depends on creation history).

import fc from 'fast-check';
import { realIptables, realToolsRequired, requireRealIptables, withNetns, withoutComments } from '@k8s-netsim/testing/kernel';
import { describe, expect, it } from 'vitest';
import { arbRuleset } from '@k8s-netsim/testing';
import { iptablesList, iptablesSave } from './iptables.js';

const real = realIptables();

describe('against the real iptables-restore', () => {
  it.skipIf(!real && !realToolsRequired())(
    `random rulesets load with iptables-restore and read back exactly as we print them${real ? '' : ' (skipped: needs root, ip netns and iptables-restore; apt-get install -y iptables)'}`,
    () => {
      const { version, backend } = real ?? requireRealIptables();
      fc.assert(
        fc.property(arbRuleset(), (ruleset) => {
          const saved = iptablesSave(ruleset, { version, backend });
          withNetns('netsim-ipt', (exec) => {
            exec(['iptables-restore', '--test'], saved);
            exec(['iptables-restore'], saved);
            for (const t of ruleset.tables) {
              expect(withoutComments(iptablesSave(ruleset, { version, backend, table: t.name }))).toBe(withoutComments(exec(['iptables-save', '-t', t.name])));
              const flags = ['-n', '-v', '--line-numbers'];
              expect(iptablesList(ruleset, { table: t.name, numeric: true, verbose: true, lineNumbers: true, version, backend })).toBe(
                exec(['iptables', '-t', t.name, '-L', ...flags]),
              );
            }
            // nf_tables: a fixed table order, so the whole dump reads back unchanged. Legacy lists the
            // newest table first, so loading our dump (tables in reverse) yields the ruleset's order.
            const again = backend === 'nf_tables' ? saved : iptablesSave({ tables: [...ruleset.tables].reverse() }, { version, backend });
            expect(withoutComments(again)).toBe(withoutComments(exec(['iptables-save'])));
          });
        }),
        { numRuns: 30 },
      );
    },
  );
});
