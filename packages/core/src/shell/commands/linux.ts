// Linux tools on a node or in a pod: ip, bridge, ifconfig, docker, nsenter, ssh's command line, hostname,
// cat, grep. Each renders the dataplane through the views the real tools print.

import { produce } from '../../util/immer.js';
import { nodeInternalIP } from '../../state/queries.js';
import type { Netns } from '../../dataplane/types.js';
import type { RuntimeContainer } from '../../state/node-agent.js';
import type { ClusterState } from '../../state/types.js';
import { ToolError, bridgeFdb, dockerInspect, dockerInspectFormat, dockerPs, ifconfig, ipAddr, ipLink, ipNeigh, ipRoute } from '../../views/linux/index.js';
import { contextNetns, contextNode, fail, ok, type Command, type CommandIO, type CommandResult, type ShellContext } from '../context.js';
import { nodeFiles } from './files.js';
import { ipRouteChange, isRouteCommand } from './ip-route.js';
import { getAgent } from '../../state/store.js';

function netnsOrFail(io: CommandIO): Netns | string {
  const ns = contextNetns(io.state, io.ctx);
  return ns ?? 'Cannot open network namespace: No such file or directory';
}

const IP_OBJECTS: [string, string][] = [
  ['address', 'addr'],
  ['link', 'link'],
  ['route', 'route'],
  ['neighbour', 'neigh'],
  ['neighbor', 'neigh'],
];

/** `ip [-d] [-4] OBJECT [show] [dev] [NAME]`; objects may be abbreviated (a, addr, r, ro, n, l). */
export const ip: Command = (args, io) => {
  const ns = netnsOrFail(io);
  if (typeof ns === 'string') return fail(ns);
  let details = false;
  const rest: string[] = [];
  for (const a of args) {
    if (a === '-d' || a === '-details' || a === '--details') details = true;
    else if (a === '-4' || a === '-c' || a === '-color') continue;
    else rest.push(a);
  }
  const [objArg = '', ...tail] = rest;
  const obj = IP_OBJECTS.find(([full]) => objArg.length > 0 && full.startsWith(objArg))?.[1] ?? (objArg === 'a' ? 'addr' : undefined);
  if (!obj) return fail(`Object "${objArg}" is unknown, try "ip help".`, 255);
  const words = tail.filter((w) => w !== 'show' && w !== 'list' && w !== 'ls' && w !== 'dev');
  const dev = words[0];
  if (dev && !ns.links.some((l) => l.name === dev) && obj !== 'route') return fail(`Device "${dev}" does not exist.`, 1);
  switch (obj) {
    case 'addr':
      return ok(ipAddr(ns, dev ? { dev } : {}));
    case 'link':
      return ok(ipLink(ns, { details, ...(dev ? { dev } : {}) }));
    case 'route': {
      if (isRouteCommand(tail[0])) return ipRouteChange(tail[0], tail.slice(1), ns, io);
      const table = tail.includes('table') ? tail[tail.indexOf('table') + 1] : undefined;
      return ok(ipRoute(ns, table === 'local' || table === 'all' ? { table } : {}));
    }
    default:
      return ok(ipNeigh(ns, dev ? { dev } : {}));
  }
};

export const bridge: Command = (args, io) => {
  const ns = netnsOrFail(io);
  if (typeof ns === 'string') return fail(ns);
  if (args[0] === 'fdb') {
    const i = args.indexOf('dev');
    const dev = i >= 0 ? args[i + 1] : undefined;
    if (dev && !ns.links.some((l) => l.name === dev)) return fail(`Cannot find device "${dev}"`, 1);
    const out = bridgeFdb(ns);
    return ok(
      dev
        ? out
            .split('\n')
            .filter((l) => l.includes(` dev ${dev} `))
            .map((l) => `${l}\n`)
            .join('')
        : out,
    );
  }
  return fail(`Object "${args[0] ?? ''}" is unknown, try "bridge help".`, 255);
};

export const ifconfigCmd: Command = (args, io) => {
  const ns = netnsOrFail(io);
  if (typeof ns === 'string') return fail(ns);
  const all = args.includes('-a');
  const dev = args.find((a) => !a.startsWith('-'));
  if (dev && !ns.links.some((l) => l.name === dev)) return fail(`${dev}: error fetching interface information: Device not found`, 1);
  return ok(ifconfig(ns, { all, ...(dev ? { dev } : {}) }));
};

/** Containers the runtime on this node knows, in creation order. */
function nodeContainers(state: ClusterState, node: string): RuntimeContainer[] {
  const agent = getAgent(state, node);
  if (!agent) return [];
  return Object.values(agent.sandboxes)
    .flatMap((s) => s.containers)
    .sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.pid - b.pid));
}

function findContainer(state: ClusterState, node: string, ref: string): RuntimeContainer | undefined {
  const all = nodeContainers(state, node);
  return all.find((c) => c.id === ref || c.name === ref || c.name === ref.replace(/^\//, '')) ?? all.find((c) => ref.length >= 1 && c.id.startsWith(ref));
}

export const docker: Command = (args, io) => {
  if (io.ctx.kind === 'pod') return fail('sh: docker: not found', 127);
  if (io.state.config.containerRuntime !== 'docker')
    return fail(
      "Command 'docker' not found, but can be installed with:\n\nsnap install docker         # version 28.1.1+1, or\napt  install docker.io      # version 26.1.3-0ubuntu1~24.04.1",
      127,
    );
  const node = contextNode(io.state, io.ctx);
  const [sub = '', ...rest] = args;
  if (sub === 'ps' || (sub === 'container' && rest[0] === 'ls')) {
    const opts = rest.slice(sub === 'container' ? 1 : 0);
    const filter = opts.find((_o, i) => opts[i - 1] === '--filter' || opts[i - 1] === '-f')?.replace(/^name=/, '');
    let containers = nodeContainers(io.state, node);
    if (filter) containers = containers.filter((c) => c.name.includes(filter));
    return ok(dockerPs(containers, io.state.clock, { all: opts.includes('-a'), quiet: opts.includes('-q'), noTrunc: opts.includes('--no-trunc') }));
  }
  if (sub === 'inspect') {
    let format: string | undefined;
    const refs: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === '--format' || a === '-f') format = rest[++i];
      else if (a.startsWith('--format=')) format = a.slice('--format='.length);
      else refs.push(a);
    }
    if (refs.length === 0)
      return fail(
        '"docker inspect" requires at least 1 argument.\nSee \'docker inspect --help\'.\n\nUsage:  docker inspect [OPTIONS] NAME|ID [NAME|ID...]\n\nReturn low-level information on Docker objects',
        1,
      );
    const out: string[] = [];
    const errs: string[] = [];
    const found: RuntimeContainer[] = [];
    for (const ref of refs) {
      const c = findContainer(io.state, node, ref);
      if (!c) errs.push(`Error: No such object: ${ref}`);
      else found.push(c);
    }
    try {
      const sandboxes = Object.values(getAgent(io.state, node)?.sandboxes ?? {});
      if (format !== undefined) for (const c of found) out.push(dockerInspectFormat(c, format, { sandboxes }));
      else if (found.length) out.push(dockerInspect(found, { sandboxes }));
    } catch (e) {
      if (e instanceof ToolError) return fail(e.stderr, e.exitCode);
      throw e;
    }
    const stdout = out.map((s) => (s.endsWith('\n') ? s : `${s}\n`)).join('');
    return errs.length ? { stdout, stderr: `${errs.join('\n')}\n`, exitCode: 1 } : ok(stdout);
  }
  return fail(`docker: '${sub}' is not a docker command.\nSee 'docker --help'`, 1);
};

/** `nsenter -t PID -n CMD…`: run CMD in the network namespace of that process. */
export function nsenterTarget(state: ClusterState, ctx: ShellContext, args: string[]): { ctx: ShellContext; argv: string[] } | string {
  let pid: number | undefined;
  let net = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-t' || a === '--target') pid = Number(args[++i]);
    else if (a.startsWith('--target=')) pid = Number(a.slice(9));
    else if (/^-t\d+$/.test(a)) pid = Number(a.slice(2));
    else if (a === '-n' || a === '--net') net = true;
    else if (a === '-tn' || a === '-nt') {
      net = true;
      pid = Number(args[++i]);
    } else if (a === '--') {
      i++;
      break;
    } else if (a.startsWith('-')) continue;
    else break;
  }
  const argv = args.slice(i);
  if (pid === undefined || Number.isNaN(pid)) return 'nsenter: no target PID specified for --net';
  const node = contextNode(state, ctx);
  const agent = getAgent(state, node);
  const sb = agent && Object.values(agent.sandboxes).find((s) => s.containers.some((c) => c.pid === pid));
  if (!sb) return `nsenter: cannot open /proc/${pid}/ns/net: No such file or directory`;
  if (argv.length === 0) return 'nsenter: an interactive shell is not simulated: give the command to run, e.g. nsenter -t PID -n ip addr';
  if (!net || !sb.network) return { ctx, argv };
  return { ctx: { kind: 'pod', pod: sb.pod, node }, argv };
}

const SSH_USAGE = `usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]
           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]
           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]
           [-i identity_file] [-J [user@]host[:port]] [-L address]
           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-p port]
           [-Q query_option] [-R address] [-S ctl_path] [-W host:port]
           [-w local_tun[:remote_tun]] destination [command [argument ...]]`;
const SSH_FLAGS = '1246AaCfGgKkMNnqsTtVvXxYy';
const SSH_WITH_ARG = 'BbcDEeFIiJLlmOoPpQRSWw';

/**
 * OpenSSH's command line: options (before the destination and right after it, as ssh.c
 * re-reads them), the destination (`node`, `user@node`, the node's IP), then the command, if any.
 */
export function sshTarget(state: ClusterState, args: string[]): { node: string; command: string[] } | { error: CommandResult } {
  let i = 0;
  let terminated = false;
  const options = (): CommandResult | undefined => {
    while (i < args.length && !terminated) {
      const a = args[i]!;
      if (a === '--') {
        terminated = true;
        i++;
        return undefined;
      }
      if (!a.startsWith('-') || a === '-') return undefined;
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 'V') return { stdout: '', stderr: 'OpenSSH_9.6p1 Ubuntu-3ubuntu13.5, OpenSSL 3.0.13 30 Jan 2024\n', exitCode: 0 };
        if (SSH_WITH_ARG.includes(c)) {
          if (j + 1 === a.length && ++i >= args.length) return fail(`option requires an argument -- ${c}\n${SSH_USAGE}`, 255);
          break;
        }
        if (!SSH_FLAGS.includes(c)) return fail(`unknown option -- ${c}\n${SSH_USAGE}`, 255);
      }
      i++;
    }
    return undefined;
  };
  const early = options();
  if (early) return { error: early };
  const target = args[i++];
  if (target === undefined) return { error: fail(SSH_USAGE, 255) };
  const late = options();
  if (late) return { error: late };
  const host = target.includes('@') ? target.slice(target.lastIndexOf('@') + 1) : target;
  const node = Object.hasOwn(state.nodes, host) ? host : state.nodeOrder.find((n) => nodeInternalIP(state.nodes[n]!) === host);
  if (!node) return { error: fail(`ssh: Could not resolve hostname ${host}: Name or service not known`, 255) };
  return { node, command: args.slice(i) };
}

/** tee [-a] FILE: on the workstation, appending `IP name…` lines to /etc/hosts adds them. */
export const tee: Command = (args, io) => {
  const file = args.find((a) => !a.startsWith('-'));
  if (!file) return ok(io.stdin);
  if (file !== '/etc/hosts' || io.ctx.kind !== 'workstation') return fail(`tee: ${file}: only /etc/hosts on the workstation is writable in the simulator`, 1, io.stdin);
  // GNU tee still copies its input to stdout when it cannot open the file.
  if (!io.sudo) return fail('tee: /etc/hosts: Permission denied', 1, io.stdin);
  if (!args.includes('-a')) return fail('tee: /etc/hosts: replacing the whole file is not simulated; use tee -a to add lines', 1, io.stdin);
  const added: Record<string, string> = {};
  for (const line of io.stdin.split('\n')) {
    const [ip, ...names] = line.trim().split(/\s+/);
    if (!ip || line.trim().startsWith('#')) continue;
    for (const n of names) added[n] = ip;
  }
  return { stdout: io.stdin, state: produce(io.state, (d) => void Object.assign(d.workstationHosts, added)) };
};

export const hostname: Command = (_args, io) => {
  if (io.ctx.kind === 'workstation') return ok('workstation\n');
  if (io.ctx.kind === 'pod') {
    const [ns = '', name = ''] = io.ctx.pod.split('/');
    const pod = io.state.pods[ns]?.[name];
    return ok(`${pod?.spec.hostNetwork ? io.ctx.node : (pod?.spec.hostname ?? name)}\n`);
  }
  return ok(`${contextNode(io.state, io.ctx)}\n`);
};

export const cat: Command = (args, io) => {
  const files = nodeFiles(io.state, io.ctx);
  let out = '';
  const errs: string[] = [];
  for (const path of args.filter((a) => !a.startsWith('-'))) {
    const content = files[path];
    if (content === undefined) errs.push(`cat: ${path}: No such file or directory`);
    else out += content;
  }
  if (args.length === 0) out = io.stdin;
  return errs.length ? { stdout: out, stderr: `${errs.join('\n')}\n`, exitCode: 1 } : ok(out);
};

/** grep PATTERN with -i, -v, -E/-F, -w, -c and context (-A/-B/-C N); reads stdin. */
export const grep: Command = (args, io) => {
  let ignoreCase = false;
  let invert = false;
  let fixed = false;
  let word = false;
  let count = false;
  let after = 0;
  let before = 0;
  let pattern: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const ctx = /^-([ABC])(\d*)$/.exec(a);
    if (ctx) {
      const n = Number(ctx[2] || args[++i]);
      if (ctx[1] !== 'B') after = n;
      if (ctx[1] !== 'A') before = n;
    } else if (/^-[ivEFwc]+$/.test(a)) {
      ignoreCase ||= a.includes('i');
      invert ||= a.includes('v');
      fixed ||= a.includes('F');
      word ||= a.includes('w');
      count ||= a.includes('c');
    } else if (a === '-e') pattern = args[++i];
    else if (pattern === undefined) pattern = a;
  }
  if (pattern === undefined) return fail("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.", 2);
  let source = fixed ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern;
  if (word) source = `\\b(?:${source})\\b`;
  let re: RegExp;
  try {
    re = new RegExp(source, ignoreCase ? 'i' : '');
  } catch {
    return fail('grep: Unmatched ( or \\(', 2);
  }
  const lines = splitLines(io.stdin);
  const hit = lines.map((l) => re.test(l) !== invert);
  const hits = hit.filter(Boolean).length;
  if (count) return { stdout: `${hits}\n`, exitCode: hits ? 0 : 1 };
  if (!hits) return { stdout: '', exitCode: 1 };
  // Context lines, with `--` between non-adjacent groups, as GNU grep prints them.
  const keep = new Set<number>();
  hit.forEach((h, i) => {
    if (!h) return;
    for (let j = Math.max(0, i - before); j <= Math.min(lines.length - 1, i + after); j++) keep.add(j);
  });
  const out: string[] = [];
  let prev = -1;
  for (const i of [...keep].sort((a, b) => a - b)) {
    if ((after || before) && prev >= 0 && i > prev + 1) out.push('--');
    out.push(lines[i]!);
    prev = i;
  }
  return ok(out.map((l) => `${l}\n`).join(''));
};

export const echo: Command = (args) => ok(`${args.join(' ')}\n`);

function lineCount(args: string[]): number {
  const i = args.indexOf('-n');
  if (i >= 0) return Number(args[i + 1]);
  const short = args.find((a) => /^-\d+$/.test(a));
  return short ? Number(short.slice(1)) : 10;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export const head: Command = (args, io) =>
  ok(
    splitLines(io.stdin)
      .slice(0, lineCount(args))
      .map((l) => `${l}\n`)
      .join(''),
  );
export const tail: Command = (args, io) => {
  const n = lineCount(args);
  const lines = splitLines(io.stdin);
  return ok(
    lines
      .slice(Math.max(0, lines.length - n))
      .map((l) => `${l}\n`)
      .join(''),
  );
};
export const wc: Command = (args, io) => {
  const lines = splitLines(io.stdin).length;
  return ok(
    args.includes('-l')
      ? `${lines}\n`
      : `${String(lines).padStart(7)} ${String(io.stdin.split(/\s+/).filter(Boolean).length).padStart(7)} ${String(io.stdin.length).padStart(7)}\n`,
  );
};

/** tr SET1 SET2: character-for-character translation of stdin (no ranges or classes). */
export const tr: Command = (args, io) => {
  const [from = '', to = ''] = args.filter((a) => !(a.startsWith('-') && a.length > 1));
  if (!from) return fail("tr: missing operand\nTry 'tr --help' for more information.", 1);
  let out = '';
  for (const ch of io.stdin) {
    const i = from.indexOf(ch);
    out += i < 0 ? ch : (to[Math.min(i, to.length - 1)] ?? '');
  }
  return ok(out);
};
