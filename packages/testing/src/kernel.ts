// The machine's real tools, to check that what the simulator prints is exactly what the kernel
// and the real programs would load, print or answer. They need root, iproute2 and iptables (or
// dig); where they are missing a test may skip, except under CI (`CI=true`), where a missing tool
// fails the test loudly: a check that silently did not run is worse than a red build.

import { execFileSync, spawnSync } from 'node:child_process';
import type { IptablesBackend } from '@k8s-netsim/core';

export interface RealIptables {
  version: string;
  backend: IptablesBackend;
}

/** Under CI (`CI=true` or `CI=1`) a test needing a real tool must run: missing tools fail it. */
export function realToolsRequired(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

/** Why the real iptables cannot be used here, or undefined when it can. */
function iptablesMissing(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root';
  const ip = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (ip.error || ip.status !== 0) return `\`ip netns\` does not work (${ip.error?.message ?? ip.stderr.trim()}); apt-get install -y iproute2`;
  const v = spawnSync('iptables-restore', ['--version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return `no iptables-restore (${v.error?.message ?? v.stderr.trim()}); apt-get install -y iptables`;
  if (!/v\d+\.\d+\.\d+ \((nf_tables|legacy)\)/.test(v.stdout)) return `unrecognised iptables-restore --version: ${v.stdout.trim()}`;
  return undefined;
}

/** The real iptables' version and backend, or undefined when it cannot be used here. */
export function realIptables(): RealIptables | undefined {
  if (iptablesMissing()) return undefined;
  const m = /v(\d+\.\d+\.\d+) \((nf_tables|legacy)\)/.exec(spawnSync('iptables-restore', ['--version'], { encoding: 'utf8' }).stdout)!;
  return { version: m[1]!, backend: m[2] as IptablesBackend };
}

/** The real iptables, or an error that says what is missing (for tests that must run). */
export function requireRealIptables(): RealIptables {
  const why = iptablesMissing();
  if (why) throw new Error(`this test needs the real iptables-restore in a network namespace (root, iproute2, iptables): ${why}`);
  return realIptables()!;
}

/** Whether `cmd args…` runs here (e.g. `dig -v`). */
export function hasTool(cmd: string, args: readonly string[] = ['--version']): boolean {
  return !spawnSync(cmd, args, { stdio: 'ignore' }).error;
}

/** Throws when `cmd` is missing, naming the Debian package that brings it. */
export function requireTool(cmd: string, debianPackage: string, args: readonly string[] = ['--version']): void {
  if (!hasTool(cmd, args)) throw new Error(`this test needs \`${cmd}\` (apt-get install -y ${debianPackage})`);
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
