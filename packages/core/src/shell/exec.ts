// The simulated shell: one command line (a pipeline) in a context, against a cluster state.
// Pure: (state, context, line, stdin) → (stdout, stderr, exit code, new state, new context).

import type { ClusterState } from '../state/types.js';
import { advanceClock } from '../controllers/transitions.js';
import { bridge, cat, docker, echo, exit, grep, head, hostname, ifconfigCmd, ip, nsenterTarget, ssh, tail, tee, tr, wc } from './commands/linux.js';
import { iptablesCmd, iptablesSaveCmd } from './commands/iptables.js';
import { curl, wget } from './commands/curl.js';
import { dig, host, nslookup } from './commands/dns.js';
import { kubectl } from './commands/kubectl/index.js';
import { netsim } from './commands/netsim.js';
import { ping } from './commands/ping.js';
import { imageInfo, USERLAND_COMMANDS } from '../state/images.js';
import { contextImage, fail, type Command, type CommandIO, type CommandResult, type ShellContext, type ShellEnv } from './context.js';
import { ToolError } from '../views/linux/index.js';
import { substitute } from './substitute.js';
import { ShellSyntaxError, tokenize } from './tokenize.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Whether stderr came before stdout (for transcripts). */
  stderrFirst?: boolean;
  exitCode: number;
  state: ClusterState;
  ctx: ShellContext;
}

const sleep: Command = (args, io) => {
  const secs = Number(args[0] ?? 'x');
  if (!Number.isFinite(secs) || secs < 0) return fail(`sleep: invalid time interval '${args[0] ?? ''}'`, 1);
  return { stdout: '', state: advanceClock(io.state, Math.round(secs * 1000)) };
};

function runArgv(argv: string[], io: CommandIO): CommandResult {
  let [name = '', ...args] = argv;
  if (name === 'sudo') [name = '', ...args] = args;
  if (name === 'nsenter') {
    const t = nsenterTarget(io.state, io.ctx, args);
    if (typeof t === 'string') return fail(t, 1);
    return runArgv(t.argv, { ...io, ctx: t.ctx });
  }
  const image = contextImage(io.state, io.ctx);
  const userland = image ? imageInfo(image)?.userland : undefined;
  if (userland && !USERLAND_COMMANDS[userland].has(name)) {
    // The container image has no such binary: what cri-dockerd relays back to kubectl.
    return fail(
      `OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": executable file not found in $PATH: unknown\ncommand terminated with exit code 126`,
      126,
    );
  }
  const cmd = COMMANDS[name];
  if (!cmd) return fail(`netsim: command not supported: ${argv.join(' ')}`, 127);
  if (io.ctx.kind === 'workstation' && WORKSTATION_ONLY_NODE_TOOLS.has(name)) return fail(`${name}: the workstation is not a cluster node (ssh to a node first)`, 127);
  try {
    return cmd(args, io);
  } catch (e) {
    // Views throw ToolError where the real tool fails (e.g. `Device "x" does not exist.`).
    if (e instanceof ToolError) return fail(e.stderr, e.exitCode);
    throw e;
  }
}

/** Tools that inspect a node's runtime or rules: not on the student's own machine. */
const WORKSTATION_ONLY_NODE_TOOLS = new Set(['docker', 'nsenter', 'iptables', 'iptables-save', 'bridge']);

const COMMANDS: Record<string, Command> = {
  kubectl: kubectl((argv, io, ctx) => {
    const r = runArgv(argv, { ...io, ctx });
    // A command run through kubectl exec never moves the caller's shell.
    const { ctx: _ignored, ...rest } = r;
    return rest;
  }),
  ip,
  bridge,
  ifconfig: ifconfigCmd,
  ping,
  curl,
  wget,
  nslookup,
  dig,
  host,
  netsim,
  'iptables-save': iptablesSaveCmd,
  iptables: iptablesCmd,
  docker,
  ssh,
  exit,
  logout: exit,
  hostname,
  cat,
  grep,
  head,
  tail,
  tee,
  tr,
  wc,
  echo,
  sleep,
  true: () => ({ stdout: '' }),
};

/** Run one command line. Pipelines pass stdout along; the exit code is the last stage's. */
export function execLine(state: ClusterState, line: string, ctx: ShellContext = { kind: 'host' }, env: ShellEnv = {}, stdin = ''): ExecResult {
  let parsed: ReturnType<typeof tokenize>;
  let cur = state;
  try {
    // $(…) runs in the same context and may itself change the cluster.
    const expanded = line.includes('$(')
      ? substitute(line, (inner) => {
          const r = execLine(cur, inner, ctx, env);
          cur = r.state;
          return r.stdout;
        })
      : line;
    parsed = tokenize(expanded);
  } catch (e) {
    if (e instanceof ShellSyntaxError) return { stdout: '', stderr: `bash: ${e.message}\n`, exitCode: 2, state, ctx };
    throw e;
  }
  let input = stdin;
  let stderr = '';
  let exitCode = 0;
  let curCtx = ctx;
  let stdout = '';
  let stderrFirst = false;
  for (const argv of parsed.pipeline) {
    const r = runArgv(argv, { state: cur, ctx: curCtx, env, stdin: input });
    stdout = r.stdout;
    input = r.stdout;
    stderr += r.stderr ?? '';
    stderrFirst ||= r.stderrFirst ?? false;
    exitCode = r.exitCode ?? 0;
    if (r.state) cur = r.state;
    if (r.ctx && parsed.pipeline.length === 1) curCtx = r.ctx;
  }
  return { stdout, stderr, ...(stderrFirst ? { stderrFirst } : {}), exitCode, state: cur, ctx: curCtx };
}
