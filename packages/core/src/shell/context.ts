// Where a shell command runs: the student's terminal (on the control-plane node, with kubectl
// configured, as in a kubeadm lab), a node after `ssh`, or a pod (`kubectl exec`, `nsenter -n`).

import { externalNetns, nodeNetns, podNetns } from '../dataplane/netns.js';
import type { Netns } from '../dataplane/types.js';
import type { ClusterState } from '../state/types.js';

export type ShellContext =
  | { kind: 'host' }
  /** The student's own machine outside the cluster, on the node network (`netsim shell workstation`). */
  | { kind: 'workstation' }
  /** An ssh session on a node; `parent` is where ssh was typed when that was not the student's terminal (`exit` returns there). */
  | { kind: 'node'; node: string; parent?: ShellContext }
  /**
   * A pod's network namespace. With `container` (kubectl exec) commands are the container
   * image's own binaries; without (nsenter -n on the node) they are the node's.
   */
  | { kind: 'pod'; pod: string; node: string; container?: string };

export interface ShellEnv {
  /** Reads a file for `kubectl apply -f PATH` (relative paths against `cwd`). */
  readFile?: (path: string) => string;
  cwd?: string;
}

export interface CommandIO {
  state: ClusterState;
  ctx: ShellContext;
  env: ShellEnv;
  stdin: string;
  /** The command was run through `sudo` (the student's terminals are not root; a node after ssh is). */
  sudo?: boolean;
}

export interface CommandResult {
  stdout: string;
  stderr?: string;
  exitCode?: number;
  /** The new cluster state when the command changed it. */
  state?: ClusterState;
  /** The new context (ssh, exit). */
  ctx?: ShellContext;
  /** The tool wrote its stderr before its stdout (kubectl's warnings), as a terminal shows it. */
  stderrFirst?: boolean;
}

export type Command = (args: string[], io: CommandIO) => CommandResult;

/** The node the terminal is on: the first control-plane node for the student's own shell. */
/** Where traced packets from this context start. */
export function traceOrigin(state: ClusterState, ctx: ShellContext): { pod: string } | { node: string } | { external: string } {
  if (ctx.kind === 'pod') return { pod: ctx.pod };
  if (ctx.kind === 'workstation') return { external: state.config.nodeGateway };
  return { node: contextNode(state, ctx) };
}

export function contextNode(state: ClusterState, ctx: ShellContext): string {
  if (ctx.kind === 'node' || ctx.kind === 'pod') return ctx.node;
  return controlPlaneNode(state);
}

export function controlPlaneNode(state: ClusterState): string {
  return state.nodeOrder.find((n) => state.nodes[n]?.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined) ?? state.nodeOrder[0] ?? '';
}

/** The network namespace commands like `ip` see in this context. */
export function contextNetns(state: ClusterState, ctx: ShellContext): Netns | undefined {
  if (ctx.kind === 'workstation') {
    const ns = externalNetns(state, state.config.nodeGateway);
    return typeof ns === 'string' ? undefined : ns;
  }
  if (ctx.kind === 'pod') {
    const [ns = '', name = ''] = ctx.pod.split('/');
    const pod = state.pods[ns]?.[name];
    if (pod?.spec.hostNetwork) return nodeNetns(state, ctx.node);
    return podNetns(state, ns, name);
  }
  return nodeNetns(state, contextNode(state, ctx));
}

/** The image of the container a `kubectl exec` runs in, if that is the context. */
export function contextImage(state: ClusterState, ctx: ShellContext): string | undefined {
  if (ctx.kind !== 'pod' || !ctx.container) return undefined;
  const [ns = '', name = ''] = ctx.pod.split('/');
  return state.pods[ns]?.[name]?.spec.containers.find((c) => c.name === ctx.container)?.image;
}

/** `root@node01:~# ` style prompt, or `$ ` for the student's own terminal. */
export function prompt(state: ClusterState, ctx: ShellContext): string {
  if (ctx.kind === 'node') return `root@${ctx.node}:~# `;
  if (ctx.kind === 'pod') return `/ # `;
  if (ctx.kind === 'workstation') return 'student@workstation:~$ ';
  void state;
  return '$ ';
}

/** `rec[key]` for a name the user typed: never an Object.prototype property (`constructor`). */
export function own<T>(rec: Record<string, T> | undefined, key: string): T | undefined {
  return rec && Object.hasOwn(rec, key) ? rec[key] : undefined;
}

export function ok(stdout: string, extra: Omit<CommandResult, 'stdout'> = {}): CommandResult {
  return { stdout, ...extra };
}

export function fail(stderr: string, exitCode = 1, stdout = ''): CommandResult {
  return { stdout, stderr: stderr.endsWith('\n') ? stderr : `${stderr}\n`, exitCode };
}
