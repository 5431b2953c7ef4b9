// Feeds rendered rulesets to the real iptables-restore in a throwaway network namespace. Needs
// root, iproute2 and iptables (CI: apt-get install -y iptables); skipped otherwise.
//
// Beyond `iptables-restore --test`, each ruleset is really loaded and the real tool's own
// `iptables-save -t T` and `iptables -t T -L -n -v --line-numbers` are compared with ours, table
// by table (per table because legacy's table order depends on creation history).

import { execFileSync, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validRulesetArb } from '../../dataplane/netfilter/arbitraries.js';
import { iptablesList, iptablesSave, type IptablesBackend } from './iptables.js';

/** `iptables v1.8.9 (nf_tables)` → version and backend, or undefined when the tool can't be used. */
function realIptables(): { version: string; backend: IptablesBackend } | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const v = spawnSync('iptables-restore', ['--version'], { encoding: 'utf8' });
  const ip = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  const m = /v(\d+\.\d+\.\d+) \((nf_tables|legacy)\)/.exec(v.stdout ?? '');
  if (v.status !== 0 || ip.status !== 0 || !m) return undefined;
  return { version: m[1]!, backend: m[2] as IptablesBackend };
}

const real = realIptables();
let seq = 0;

/** Runs `fn` with a fresh netns, always deleting it. */
function withNetns<T>(fn: (exec: (args: string[], input?: string) => string) => T): T {
  const ns = `netsim-ipt-${process.pid}-${seq++}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    return fn((args, input) => execFileSync('ip', ['netns', 'exec', ns, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }));
  } finally {
    execFileSync('ip', ['netns', 'delete', ns]);
  }
}

const withoutComments = (s: string) => s.split('\n').filter((l) => !l.startsWith('#')).join('\n');

describe('against the real iptables-restore', () => {
  it.skipIf(!real)(
    `random rulesets load with iptables-restore and read back exactly as we print them${real ? '' : ' (skipped: needs root, ip netns and iptables-restore; apt-get install -y iptables)'}`,
    () => {
      const { version, backend } = real!;
      fc.assert(
        fc.property(validRulesetArb(), (ruleset) => {
          const saved = iptablesSave(ruleset, { version, backend });
          withNetns((exec) => {
            exec(['iptables-restore', '--test'], saved);
            exec(['iptables-restore'], saved);
            for (const t of ruleset.tables) {
              expect(withoutComments(iptablesSave(ruleset, { version, backend, table: t.name }))).toBe(withoutComments(exec(['iptables-save', '-t', t.name])));
              const flags = ['-n', '-v', '--line-numbers'];
              expect(iptablesList(ruleset, { table: t.name, numeric: true, verbose: true, lineNumbers: true, version, backend })).toBe(exec(['iptables', '-t', t.name, '-L', ...flags]));
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
