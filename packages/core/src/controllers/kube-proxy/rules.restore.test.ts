// Loads generated kube-proxy tables into the real iptables-restore in a throwaway network
// namespace. Needs root, iproute2 and iptables (CI: apt-get install -y iptables); skipped otherwise.
// Beyond `iptables-restore --test`, each ruleset is really loaded and the kernel's own
// `iptables-save -t T` is compared with what we print, table by table.

import { execFileSync, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ruleset } from '../../dataplane/netfilter/types.js';
import { iptablesSave, type IptablesBackend } from '../../views/linux/iptables.js';
import { CFG, NODE, servicePortsArb } from './arbitraries.js';
import { kubeProxyTables } from './rules.js';

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

/** Runs `fn` in a fresh netns, always deleting it. */
function withNetns<T>(fn: (exec: (args: string[], input?: string) => string) => T): T {
  const ns = `netsim-kp-${process.pid}-${seq++}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    return fn((args, input) => execFileSync('ip', ['netns', 'exec', ns, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }));
  } finally {
    execFileSync('ip', ['netns', 'delete', ns]);
  }
}

const withoutComments = (s: string) =>
  s
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');

describe('kube-proxy tables against the real iptables-restore', () => {
  it.skipIf(!real)(
    `load and read back exactly as we print them${real ? '' : ' (skipped: needs root, ip netns and iptables-restore)'}`,
    () => {
      const { version, backend } = real!;
      fc.assert(
        fc.property(servicePortsArb({ maxLength: 6 }), fc.constantFrom(NODE, 'node2'), fc.boolean(), (sps, nodeName, masqueradeAll) => {
          const t = kubeProxyTables(sps, { ...CFG, nodeName, masqueradeAll });
          const ruleset: Ruleset = {
            tables: [
              { name: 'mangle', chains: t.mangle },
              { name: 'nat', chains: t.nat },
              { name: 'filter', chains: t.filter },
            ],
          };
          const saved = iptablesSave(ruleset, { version, backend });
          withNetns((exec) => {
            exec(['iptables-restore', '--test'], saved);
            exec(['iptables-restore'], saved);
            for (const table of ruleset.tables) {
              expect(withoutComments(exec(['iptables-save', '-t', table.name]))).toBe(withoutComments(iptablesSave(ruleset, { version, backend, table: table.name })));
            }
          });
        }),
        { numRuns: 20 },
      );
    },
  );
});
