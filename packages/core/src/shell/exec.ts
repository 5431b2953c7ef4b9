// The simulated shell: one command line in a context, against a cluster state. Pure: (state,
// context, line, stdin) → (what the terminal shows, stdout, stderr, exit code, new state, new
// context). The line is parsed as bash parses it (parse.ts) and run as bash runs it: lists with
// `;`/`&&`/`||` and their exit statuses, pipelines whose stages are subshells, `( … )` subshells,
// `$(…)` before the command that holds it (its stderr on the terminal, its output word-split
// unless quoted, never parsed again), redirections, here-documents. Every stage's change to the
// cluster stays (the API server has it); only the shell's own state (ssh sessions, `exit`) is
// lost in a subshell.

import type { ClusterState } from '../state/types.js';
import { bridge, cat, docker, echo, grep, head, hostname, ifconfigCmd, ip, nsenterTarget, sshTarget, tail, tee, tr, wc } from './commands/linux.js';
import { ipsetCmd, iptablesCmd, iptablesSaveCmd } from './commands/iptables.js';
import { curl, wget } from './commands/curl.js';
import { dig, host, nslookup } from './commands/dns.js';
import { kubectl } from './commands/kubectl/index.js';
import { netsim } from './commands/netsim.js';
import { ping } from './commands/ping.js';
import { sleep } from './commands/sleep.js';
import { nodeFiles } from './commands/files.js';
import { imageInfo, USERLAND_COMMANDS } from '../state/images.js';
import { contextImage, fail, type Command, type CommandIO, type CommandResult, type ShellContext, type ShellEnv } from './context.js';
import { ToolError } from '../views/linux/index.js';
import { parseLine, ShellSyntaxError, type Command as ShellCommand, type List, type ParsedLine, type Pipeline, type Redirect, type Word } from './parse.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** What the terminal shows: stdout and stderr as they were written, interleaved. */
  output: string;
  /** Whether stderr came before stdout (for transcripts; `output` has the exact order). */
  stderrFirst?: boolean;
  exitCode: number;
  state: ClusterState;
  ctx: ShellContext;
}

/** A piece of output on file descriptor 1 or 2, in the order it was written. */
interface Chunk {
  fd: 1 | 2;
  text: string;
}

/** The shell running a line: the cluster it sees, where it is, `$?`, and whether `exit` ran. */
interface Shell {
  state: ClusterState;
  ctx: ShellContext;
  env: ShellEnv;
  status: number;
  exited: boolean;
  /** A subshell (pipeline stage, `( … )`, `$(…)`, a command run by ssh): `exit` leaves only it. */
  subshell: boolean;
}

interface Run {
  stdin: string;
  sink: Chunk[];
}

function runArgv(argv: string[], io: CommandIO): CommandResult {
  let [name = '', ...args] = argv;
  if (name === 'sudo') {
    [name = '', ...args] = args;
    io = { ...io, sudo: true };
  }
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
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
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
const WORKSTATION_ONLY_NODE_TOOLS = new Set(['docker', 'nsenter', 'iptables', 'iptables-save', 'ipset', 'bridge']);

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
  ipset: ipsetCmd,
  docker,
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
  false: () => ({ stdout: '', exitCode: 1 }),
};

/** bash's name in its messages: `-bash` for the login shell ssh starts on a node. */
function shellName(ctx: ShellContext): string {
  return ctx.kind === 'node' ? '-bash' : 'bash';
}

function resultChunks(r: CommandResult): Chunk[] {
  const out: Chunk = { fd: 1, text: r.stdout };
  const err: Chunk = { fd: 2, text: r.stderr ?? '' };
  return (r.stderrFirst ? [err, out] : [out, err]).filter((c) => c.text !== '');
}

function joined(chunks: Chunk[], fd: 1 | 2): string {
  return chunks
    .filter((c) => c.fd === fd)
    .map((c) => c.text)
    .join('');
}

function sub(sh: Shell): Shell {
  return { ...sh, exited: false, subshell: true };
}

// ---- builtins ----

/** bash's `exit [N]`: leaves the shell (an ssh session: back where ssh was typed). */
function exitBuiltin(name: string, args: string[], sh: Shell): Chunk[] {
  const prefix = shellName(sh.ctx);
  const chunks: Chunk[] = [];
  let code = sh.status;
  if (name === 'logout' && sh.ctx.kind !== 'node') {
    sh.status = 1;
    return [{ fd: 2, text: `${prefix}: logout: not login shell: use \`exit'\n` }];
  }
  const [arg] = args;
  if (arg !== undefined) {
    const t = arg.trim();
    if (!/^[+-]?\d+$/.test(t)) {
      chunks.push({ fd: 2, text: `${prefix}: ${name}: ${arg}: numeric argument required\n` });
      code = 2;
    } else if (args.length > 1) {
      sh.status = 1;
      return [{ fd: 2, text: `${prefix}: ${name}: too many arguments\n` }];
    } else {
      const n = BigInt(t.replace(/^[+-]/, '')) % 256n;
      code = Number(t.startsWith('-') ? (256n - n) % 256n : n);
    }
  }
  sh.exited = true;
  sh.status = code;
  if (sh.subshell) return chunks;
  if (sh.ctx.kind === 'node') {
    chunks.push({ fd: 1, text: 'logout\n' }, { fd: 2, text: `Connection to ${sh.ctx.node} closed.\n` });
    sh.ctx = sh.ctx.parent ?? { kind: 'host' };
  } else if (sh.ctx.kind === 'pod' || sh.ctx.kind === 'workstation') sh.ctx = { kind: 'host' };
  // On the student's own terminal the simulator keeps the terminal open: the rest of the line is skipped.
  return chunks;
}

/** `ssh [options] DEST`: a session on the node; `ssh DEST COMMAND…`: COMMAND run there by a shell. */
function sshBuiltin(args: string[], sh: Shell, stdin: string): Chunk[] {
  const t = sshTarget(sh.state, args);
  if ('error' in t) {
    sh.status = t.error.exitCode ?? 1;
    return resultChunks(t.error);
  }
  if (t.command.length === 0) {
    sh.status = 0;
    sh.ctx = sh.ctx.kind === 'host' ? { kind: 'node', node: t.node } : { kind: 'node', node: t.node, parent: sh.ctx };
    return [];
  }
  // The remote sshd hands the words, joined by spaces, to the user's shell.
  const remote: Shell = { ...sub(sh), ctx: { kind: 'node', node: t.node } };
  const sink: Chunk[] = [];
  sh.status = runText(t.command.join(' '), remote, { stdin, sink }, 'bash');
  sh.state = remote.state;
  return sink;
}

/** Parse and run a whole line in `sh` (ssh's remote command): bash's error on bad syntax. */
function runText(text: string, sh: Shell, run: Run, prefix: string): number {
  let parsed: ParsedLine;
  try {
    parsed = parseLine(text);
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e;
    run.sink.push({ fd: 2, text: syntaxMessage(e, prefix) });
    return 2;
  }
  for (const w of parsed.warnings) run.sink.push({ fd: 2, text: `${prefix}: ${w}\n` });
  return runList(parsed.list, sh, run);
}

// ---- expansion ----

/** `$(…)`: the list runs in a subshell; its stdout (trailing newlines removed) is the value, its stderr goes to the terminal. */
function substitute(body: List, sh: Shell, pre: Chunk[]): string {
  const s = sub(sh);
  const sink: Chunk[] = [];
  const status = runList(body, s, { stdin: '', sink });
  sh.state = s.state;
  sh.status = status;
  pre.push(...sink.filter((c) => c.fd === 2));
  return joined(sink, 1).replace(/\n+$/, '');
}

/** A word's fields: substitutions run, unquoted results split on blanks and newlines, quotes keep a word (even empty). */
function expandWord(word: Word, sh: Shell, pre: Chunk[]): string[] {
  const fields: string[] = [];
  let cur = '';
  let has = false;
  for (const p of word.parts) {
    if (p.kind === 'lit') {
      cur += p.text;
      has = true;
      continue;
    }
    const value = substitute(p.body, sh, pre);
    if (p.quoted) {
      cur += value;
      has = true;
      continue;
    }
    for (const ch of value) {
      if (ch === ' ' || ch === '\t' || ch === '\n') {
        if (has) fields.push(cur);
        cur = '';
        has = false;
      } else {
        cur += ch;
        has = true;
      }
    }
  }
  if (has) fields.push(cur);
  return fields;
}

/** A here-string: expanded, fields joined by spaces. */
function expandJoined(word: Word, sh: Shell, pre: Chunk[]): string {
  return expandWord(word, sh, pre).join(' ');
}

// ---- redirections ----

type Target = 'out' | 'err' | 'null';

interface Redirected {
  stdin?: string;
  route: (chunks: Chunk[]) => Chunk[];
  error?: string;
}

function applyRedirects(redirects: Redirect[], sh: Shell, pre: Chunk[]): Redirected {
  const fds = new Map<number, Target>([
    [1, 'out'],
    [2, 'err'],
  ]);
  let stdin: string | undefined;
  const prefix = shellName(sh.ctx);
  const openWrite = (path: string): Target | string => {
    if (path === '/dev/null') return 'null';
    if (path === '/dev/stdout') return fds.get(1) ?? 'null';
    if (path === '/dev/stderr') return fds.get(2) ?? 'null';
    if (path === '') return `${prefix}: : No such file or directory`;
    return `netsim: ${path}: writing files is not simulated (only /dev/null, /dev/stdout and /dev/stderr)`;
  };
  for (const r of redirects) {
    if ('heredoc' in r) {
      const text = r.heredoc.body.map((p) => (p.kind === 'lit' ? p.text : substitute(p.body, sh, pre))).join('');
      if ((r.fd ?? 0) === 0) stdin = text;
      continue;
    }
    if (r.op === '<<<') {
      // A here-string is expanded but not split.
      if ((r.fd ?? 0) === 0) stdin = `${expandJoined(r.target, sh, pre)}\n`;
      continue;
    }
    const fields = expandWord(r.target, sh, pre);
    if (fields.length !== 1) return { route: (c) => c, error: `${prefix}: ${r.target.raw}: ambiguous redirect` };
    const target = fields[0]!;
    switch (r.op) {
      case '<':
      case '<>': {
        const content = target === '/dev/null' ? '' : Object.hasOwn(nodeFiles(sh.state, sh.ctx), target) ? nodeFiles(sh.state, sh.ctx)[target] : undefined;
        if (content === undefined) return { route: (c) => c, error: `${prefix}: ${target}: No such file or directory` };
        if ((r.fd ?? 0) === 0) stdin = content;
        break;
      }
      case '>':
      case '>>':
      case '>|': {
        const t = openWrite(target);
        if (t !== 'out' && t !== 'err' && t !== 'null') return { route: (c) => c, error: t };
        fds.set(r.fd ?? 1, t);
        break;
      }
      case '&>':
      case '&>>': {
        const t = openWrite(target);
        if (t !== 'out' && t !== 'err' && t !== 'null') return { route: (c) => c, error: t };
        fds.set(1, t);
        fds.set(2, t);
        break;
      }
      case '>&':
      case '<&': {
        const fd = r.fd ?? (r.op === '>&' ? 1 : 0);
        if (target === '-') fds.set(fd, 'null');
        else if (/^\d+$/.test(target)) {
          const src = Number(target);
          if (src === 0 && r.op === '<&') break;
          const t = fds.get(src);
          if (t === undefined) return { route: (c) => c, error: `${prefix}: ${target}: Bad file descriptor` };
          fds.set(fd, t);
        } else if (r.op === '>&' && r.fd === undefined) {
          const t = openWrite(target);
          if (t !== 'out' && t !== 'err' && t !== 'null') return { route: (c) => c, error: t };
          fds.set(1, t);
          fds.set(2, t);
        } else return { route: (c) => c, error: `${prefix}: ${target}: ambiguous redirect` };
        break;
      }
    }
  }
  const route = (chunks: Chunk[]): Chunk[] =>
    chunks.flatMap((c): Chunk[] => {
      const t = fds.get(c.fd);
      return t === 'out' ? [{ fd: 1, text: c.text }] : t === 'err' ? [{ fd: 2, text: c.text }] : [];
    });
  return stdin === undefined ? { route } : { stdin, route };
}

// ---- commands ----

function runSimple(words: Word[], redirects: Redirect[], sh: Shell, run: Run): number {
  const pre: Chunk[] = [];
  const before = sh.status;
  sh.status = 0;
  const argv = words.flatMap((w) => expandWord(w, sh, pre));
  const subStatus = sh.status;
  const r = applyRedirects(redirects, sh, pre);
  run.sink.push(...pre);
  if (r.error) {
    run.sink.push({ fd: 2, text: `${r.error}\n` });
    return 1;
  }
  if (argv.length === 0) return words.length ? subStatus : 0;
  sh.status = before;
  const stdin = r.stdin ?? run.stdin;
  const [name = ''] = argv;
  if (name === 'exit' || name === 'logout') {
    run.sink.push(...r.route(exitBuiltin(name, argv.slice(1), sh)));
    return sh.status;
  }
  if (name === 'ssh' && !(sh.ctx.kind === 'pod' && sh.ctx.container)) {
    run.sink.push(...r.route(sshBuiltin(argv.slice(1), sh, stdin)));
    return sh.status;
  }
  const res = runArgv(argv, { state: sh.state, ctx: sh.ctx, env: sh.env, stdin });
  if (res.state) sh.state = res.state;
  if (res.ctx) sh.ctx = res.ctx;
  run.sink.push(...r.route(resultChunks(res)));
  return res.exitCode ?? 0;
}

function runCommand(cmd: ShellCommand, sh: Shell, run: Run): number {
  if (cmd.kind === 'simple') return runSimple(cmd.words, cmd.redirects, sh, run);
  const pre: Chunk[] = [];
  const r = applyRedirects(cmd.redirects, sh, pre);
  run.sink.push(...pre);
  if (r.error) {
    run.sink.push({ fd: 2, text: `${r.error}\n` });
    return 1;
  }
  const inner: Shell = cmd.kind === 'subshell' ? sub(sh) : sh;
  const sink: Chunk[] = [];
  const status = runList(cmd.body, inner, { stdin: r.stdin ?? run.stdin, sink });
  sh.state = inner.state;
  run.sink.push(...r.route(sink));
  return status;
}

function runPipeline(p: Pipeline, sh: Shell, run: Run): number {
  let status = 0;
  if (p.commands.length === 1) status = runCommand(p.commands[0]!, sh, run);
  else if (p.commands.length > 1) {
    // Each stage is a subshell; a stage's stderr reaches the terminal before the last stage's output.
    let input = run.stdin;
    for (const [i, cmd] of p.commands.entries()) {
      const stage = sub(sh);
      const sink: Chunk[] = [];
      status = runCommand(cmd, stage, { stdin: input, sink });
      sh.state = stage.state;
      if (i === p.commands.length - 1) run.sink.push(...sink);
      else if (p.stderrPiped[i]) input = sink.map((c) => c.text).join('');
      else {
        input = joined(sink, 1);
        run.sink.push(...sink.filter((c) => c.fd === 2));
      }
    }
  }
  return p.negate ? (status === 0 ? 1 : 0) : status;
}

function runList(list: List, sh: Shell, run: Run): number {
  for (const [i, item] of list.items.entries()) {
    if (sh.exited) break;
    // The line's stdin goes to its first command (a here-document or pipe gives others theirs).
    const io = i === 0 ? run : { stdin: '', sink: run.sink };
    // A background job is a subshell, run to completion here (no job control); `$?` after `&` is 0.
    const job = item.background ? sub(sh) : sh;
    let status = runPipeline(item.andOr.first, job, io);
    job.status = status;
    for (const { op, pipeline } of item.andOr.rest) {
      if (job.exited) break;
      if ((op === '&&') !== (status === 0)) continue;
      status = runPipeline(pipeline, job, { stdin: '', sink: run.sink });
      job.status = status;
    }
    if (item.background) {
      sh.state = job.state;
      status = 0;
    }
    sh.status = status;
  }
  return sh.status;
}

/** Run a parsed line (script.ts parses with the following lines for here-documents). */
export function runParsed(state: ClusterState, parsed: ParsedLine, ctx: ShellContext, env: ShellEnv, stdin = ''): ExecResult {
  const sh: Shell = { state, ctx, env, status: 0, exited: false, subshell: false };
  const sink: Chunk[] = parsed.warnings.map((w) => ({ fd: 2, text: `${shellName(ctx)}: ${w}\n` }));
  const exitCode = runList(parsed.list, sh, { stdin, sink });
  return result(sink, exitCode, sh.state, sh.ctx);
}

function result(sink: Chunk[], exitCode: number, state: ClusterState, ctx: ShellContext): ExecResult {
  const stdout = joined(sink, 1);
  const stderr = joined(sink, 2);
  const output = sink.map((c) => c.text).join('');
  const stderrFirst = stdout !== '' && stderr !== '' && output === stderr + stdout;
  return { stdout, stderr, output, ...(stderrFirst ? { stderrFirst } : {}), exitCode, state, ctx };
}

/** bash's message for a line it cannot parse (the simulator's own limits speak for themselves). */
function syntaxMessage(e: ShellSyntaxError, prefix: string): string {
  return e.message.startsWith('netsim:') ? `${e.message}\n` : `${prefix}: ${e.message}\n`;
}

/** bash's answer to a line it cannot parse: its message, exit 2, nothing run. */
export function syntaxErrorResult(e: ShellSyntaxError, state: ClusterState, ctx: ShellContext): ExecResult {
  return result([{ fd: 2, text: syntaxMessage(e, shellName(ctx)) }], 2, state, ctx);
}

/** Run one command line. */
export function execLine(state: ClusterState, line: string, ctx: ShellContext = { kind: 'host' }, env: ShellEnv = {}, stdin = ''): ExecResult {
  let parsed: ParsedLine;
  try {
    parsed = parseLine(line);
  } catch (e) {
    if (e instanceof ShellSyntaxError) return syntaxErrorResult(e, state, ctx);
    throw e;
  }
  return runParsed(state, parsed, ctx, env, stdin);
}
