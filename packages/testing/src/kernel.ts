// Test support: the machine's real iptables, used to check that what we print is exactly what
// the kernel would load and print back. Needs root, iproute2 and iptables; absent otherwise.

import { execFileSync, spawnSync } from 'node:child_process';
import type { IptablesBackend } from '@k8s-netsim/core';

export interface RealIptables {
  version: string;
  backend: IptablesBackend;
}

export function realIptables(): RealIptables | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const v = spawnSync('iptables-restore', ['--version'], { encoding: 'utf8' });
  const ip = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  const m = /v(\d+\.\d+\.\d+) \((nf_tables|legacy)\)/.exec(v.stdout ?? '');
  if (v.status !== 0 || ip.status !== 0 || !m) return undefined;
  return { version: m[1]!, backend: m[2] as IptablesBackend };
}

let seq = 0;

/** Runs `fn` in a fresh network namespace, always deleting it afterwards. */
export function withNetns<T>(prefix: string, fn: (exec: (args: string[], input?: string) => string) => T): T {
  const ns = `${prefix}-${process.pid}-${seq++}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    return fn((args, input) => execFileSync('ip', ['netns', 'exec', ns, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }));
  } finally {
    execFileSync('ip', ['netns', 'delete', ns]);
  }
}

/** iptables-save output without its `# Generated/Completed` lines (they carry times). */
export function withoutComments(s: string): string {
  return s
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
}
