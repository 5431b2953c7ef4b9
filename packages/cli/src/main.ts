// `netsim`: run lesson scripts, trace packets and run single commands against a simulated cluster.
// Every subcommand declares its options (args.ts); what goes wrong is said in one line in the
// words of the tool concerned (kubectl's for the API, the shell's for files), never as a stack
// trace: NETSIM_DEBUG=1 adds the stack of an internal error.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  type ApiError,
  Cluster,
  formatOutcomes,
  formatTrace,
  GENERATE_BATCH_SIZE,
  isApiError,
  topologyHtml,
  topologyMermaid,
  topologySvg,
  kubectlErrorLine,
  materialize,
  reachFormat,
  reachPorts,
  renderReach,
  traceAll,
  TraceError,
  traceFrom,
  traceProto,
  traceMermaid,
  traceSvg,
  traceTo,
  withHttp,
  type ClusterOptions,
} from '@k8s-netsim/core';
import { CLUSTER_OPTIONS, commandUsage, intOption, parseCommand, UsageError, type CommandSpec, type ParsedArgs } from './args.js';
import { checkAddress, DnsServeError, serveDns } from './dns-serve.js';
import { GenerateUsageError, runGenerate } from './generate.js';

const COMMANDS: Record<string, CommandSpec> = {
  run: {
    name: 'run',
    synopsis: 'FILE',
    summary: 'Run a lesson script (one command per line) and print its transcript as the terminal shows it.',
    positionals: 1,
    options: CLUSTER_OPTIONS,
  },
  trace: {
    name: 'trace',
    synopsis: '--from POD|NODE|external[:IP] --to IP[:PORT]',
    summary: 'Trace one packet hop by hop (exit 0 when delivered, 1 otherwise).',
    positionals: 0,
    options: [
      {
        name: 'from',
        value: 'POD|NODE|external[:IP]',
        help: 'where the packet starts: ns/pod, a node, or outside the cluster (external: the workstation; external:IP any address, off the node network a client on the internet)',
      },
      { name: 'to', value: 'IP[:PORT]', help: 'where it is sent' },
      { name: 'proto', value: 'tcp|udp|icmp|sctp', help: 'protocol (default tcp)' },
      { name: 'http', value: 'HOST/PATH', help: 'follow the connection up to HTTP (ingress decisions)' },
      { name: 'all', help: 'every path with its probability' },
      {
        name: 'output',
        short: 'o',
        value: 'json|mermaid|svg',
        help: 'print the trace as JSON (the stable contract), a Mermaid sequence diagram or an SVG picture of it',
      },
      ...CLUSTER_OPTIONS,
    ],
  },
  reach: {
    name: 'reach',
    synopsis: '[--port P] [-o table|json|mermaid]',
    summary: 'NetworkPolicy reachability: every pod or namespace x every pod IP, allowed or denied per port, with the deciding policy.',
    positionals: 0,
    options: [
      { name: 'port', value: 'P[,P...]', repeat: true, help: 'destination port(s) of the pod IPs (default 80)' },
      { name: 'proto', value: 'tcp|udp|sctp|icmp', help: 'protocol (default tcp; icmp has no ports)' },
      { name: 'namespace', short: 'n', value: 'NS', repeat: true, help: "pods of this namespace only (default every namespace but kube-* and the add-ons')" },
      { name: 'all-namespaces', short: 'A', help: 'pods of every namespace, the system ones too' },
      { name: 'group-by', value: 'pod|namespace', help: "rows: one per source pod (default), or per namespace (its pods' common status, ~ when they differ)" },
      { name: 'output', short: 'o', value: 'table|json|mermaid', help: 'a truth table (default), JSON (the stable contract) or a Mermaid flowchart' },
      ...CLUSTER_OPTIONS,
    ],
  },
  exec: {
    name: 'exec',
    synopsis: '[--node NODE | --pod POD | --workstation] -- COMMAND...',
    summary: "Run one command on the control plane, a node, in a pod or on the student's workstation, and exit with its status.",
    positionals: 0,
    rest: true,
    options: [
      { name: 'node', value: 'NODE', help: 'run on this node (as after `ssh NODE`)' },
      { name: 'pod', value: 'POD', help: 'run inside this pod (ns/name), as kubectl exec' },
      { name: 'workstation', help: "run on the student's workstation outside the cluster (192.168.56.1), as after `netsim shell workstation`" },
      ...CLUSTER_OPTIONS,
    ],
  },
  dns: {
    name: 'dns',
    synopsis: 'serve',
    summary: "Serve the cluster's CoreDNS on 127.0.0.1 for real DNS clients (dig, nslookup).",
    positionals: 1,
    options: [
      { name: 'port', value: 'N', help: 'UDP and TCP port (default 1053)' },
      { name: 'address', value: '127.0.0.1', help: 'address to bind (only 127.0.0.1)' },
      { name: 'once', help: 'answer one query, then exit' },
      ...CLUSTER_OPTIONS,
    ],
  },
  generate: {
    name: 'generate',
    synopsis: '--nodes N --services S',
    summary: 'Build a large deterministic cluster and print (or save) its summary and snapshot.',
    positionals: 0,
    options: [
      { name: 'nodes', value: 'N', help: 'node count (required)' },
      { name: 'services', value: 'S', help: 'Service count (required)' },
      { name: 'namespaces', value: 'N', help: 'namespaces to spread them over' },
      { name: 'pods-per-service', value: 'A-B|N', help: 'pods behind each Service (default 1-5)' },
      { name: 'ingresses', value: 'N', help: 'Ingress count' },
      { name: 'seed', value: 'N', help: 'seed (default 1)' },
      { name: 'batch', value: 'N', help: `objects per apply (default ${GENERATE_BATCH_SIZE})` },
      { name: 'progress', value: 'auto|always|never', help: 'progress bar on stderr (default auto: when a TTY)' },
      { name: 'output', short: 'o', value: 'FILE', help: 'write the snapshot to FILE: JSON, or JSON Lines when FILE ends in .jsonl (needed at the envelope)' },
    ],
  },
  draw: {
    name: 'draw',
    synopsis: '-o mermaid|svg|html [--output-file FILE]',
    summary: 'Draw the cluster: nodes, pods, veths, cni0, flannel.1, the underlay, Services and Ingress (HTML: click two endpoints for a trace).',
    positionals: 0,
    options: [
      { name: 'output', short: 'o', value: 'mermaid|svg|html', help: 'format: Mermaid flowchart, SVG, or an offline HTML page with precomputed traces (default svg)' },
      { name: 'output-file', value: 'FILE', help: 'write to FILE instead of stdout' },
      { name: 'max-pods-per-node', value: 'N', help: 'pods drawn per node before a "+ N pods" box (default 8)' },
      ...CLUSTER_OPTIONS,
    ],
  },
  materialize: {
    name: 'materialize',
    synopsis: '-o DIR',
    summary: 'Write setup.sh and teardown.sh: the cluster as real network namespaces (iproute2, iptables-restore; run as root), and namespaces.json (what each holds).',
    positionals: 0,
    options: [
      ...CLUSTER_OPTIONS,
      { name: 'prefix', value: 'P', help: 'prefix of every namespace the scripts create (default netsim)' },
      { name: 'output', short: 'o', value: 'DIR', help: 'directory to write the scripts to (required; created if missing)' },
    ],
  },
};

const USAGE = `usage: netsim COMMAND [options]

commands:
${Object.values(COMMANDS)
  .map((c) => `${`  netsim ${c.name} ${c.synopsis}`.padEnd(62)} ${c.summary.split(/[.(]/)[0]!.trim()}`)
  .join('\n')}

Every command takes --help. Cluster options: --seed N, --nodes N, --k8s-version V, --cni flannel|canal|none,
--flannel-backend vxlan|host-gw, -f manifests.yaml (applied first).
`;

export interface MainIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Environment for NETSIM_DEBUG (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

function clusterOptions(args: ParsedArgs): ClusterOptions {
  const o: ClusterOptions = {};
  const seed = intOption(args, 'seed', 0, 2 ** 32 - 1);
  if (seed !== undefined) o.seed = seed;
  const nodes = intOption(args, 'nodes', 1, 240);
  if (nodes !== undefined) o.nodes = nodes;
  if (args.values['k8s-version'] !== undefined) o.kubernetesVersion = args.values['k8s-version'];
  const cni = args.values.cni;
  if (cni !== undefined) {
    if (cni !== 'flannel' && cni !== 'canal' && cni !== 'none') throw new UsageError(`option "--cni": flannel, canal or none, not "${cni}"`);
    o.cni = cni;
  }
  const backend = args.values['flannel-backend'];
  if (backend !== undefined) {
    if (backend !== 'vxlan' && backend !== 'host-gw') throw new UsageError(`option "--flannel-backend": vxlan or host-gw, not "${backend}"`);
    o.flannelBackend = backend;
  }
  return o;
}

/** Cluster options a script asks for in its leading comments: `# netsim: --cni none`. */
function scriptOptions(text: string): string[] {
  const words: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const m = /^#\s*netsim:\s*(.*)$/.exec(line);
    if (m) words.push(...m[1]!.trim().split(/\s+/).filter(Boolean));
  }
  return words;
}

/** A file's text; errors carry the path (EISDIR does not, from readFileSync). */
function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // A path no file can have (a NUL byte in it) is, to the shell, a file that does not exist.
    if (err.code === 'ERR_INVALID_ARG_VALUE') throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT', path: JSON.stringify(path).slice(1, -1) });
    err.path ??= path;
    throw err;
  }
}

/**
 * The cluster a command runs against: created from the options, then each -f file applied. With
 * `settle`, simulated time then passes until the controllers have nothing left to do (MetalLB's
 * addresses assigned, …): `trace`, `exec` and `dns serve` look at the cluster once it is at rest,
 * while a script (`run`) keeps its own clock.
 */
function buildCluster(args: ParsedArgs, opts: { settle?: boolean } = {}): Cluster {
  let c = Cluster.create(clusterOptions(args));
  const files = args.lists.filename ?? [];
  for (const f of files) c = c.apply(readText(f));
  return opts.settle && files.length > 0 ? c.settle() : c;
}

/** A file error as the shell words it: `netsim: x.sh: No such file or directory`. */
function fileError(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: 'No such file or directory',
    EISDIR: 'Is a directory',
    EACCES: 'Permission denied',
    ENOTDIR: 'Not a directory',
    ENAMETOOLONG: 'File name too long',
  };
  const text = err?.code ? words[err.code] : undefined;
  return text && err.path !== undefined ? `netsim: ${err.path}: ${text}\n` : undefined;
}

function run(cmd: CommandSpec, args: ParsedArgs, argv: readonly string[], io: MainIo): number {
  switch (cmd.name) {
    case 'run': {
      const file = args.positionals[0];
      if (!file) throw new UsageError('a script FILE is required');
      const text = readText(file);
      const base = dirname(resolve(file));
      // Options on the command line win over the script's own.
      const merged = parseCommand(cmd, [...scriptOptions(text), ...argv]);
      const r = buildCluster(merged).run(text, { readFile: (path) => readText(resolve(base, path)), cwd: base }, { onOutput: io.out });
      return r.steps.some((s) => s.internalError !== undefined) ? 70 : 0;
    }
    case 'trace': {
      if (!args.values.from || !args.values.to) throw new UsageError('--from and --to are required');
      const output = args.values.output;
      if (output !== undefined && output !== 'json' && output !== 'mermaid' && output !== 'svg') throw new UsageError(`option "-o": json, mermaid or svg, not "${output}"`);
      const diagram = output === 'mermaid' ? traceMermaid : output === 'svg' ? traceSvg : undefined;
      const cluster = buildCluster(args, { settle: true });
      const req = { from: traceFrom(cluster.state, args.values.from), to: traceTo(args.values.to), proto: traceProto(args.values.proto) };
      if (args.flags.has('all')) {
        const outcomes = traceAll(cluster.state, req);
        io.out(diagram ? diagram(outcomes) : output === 'json' ? `${JSON.stringify(outcomes, null, 2)}\n` : formatOutcomes(outcomes));
        return outcomes.some((o) => o.result.verdict === 'delivered') ? 0 : 1;
      }
      let result = cluster.trace(req);
      if (args.values.http !== undefined) result = withHttp(cluster.state, result, args.values.http);
      io.out(diagram ? diagram(result) : output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatTrace(result));
      return result.verdict === 'delivered' ? 0 : 1;
    }
    case 'reach': {
      const format = reachFormat(args.values.output);
      if (!format) throw new UsageError(`option "-o": table, json or mermaid, not "${args.values.output}"`);
      const ports: number[] = [];
      for (const spec of args.lists.port ?? []) {
        const p = reachPorts(spec);
        if (!p) throw new UsageError(`option "--port": a port number from 1 to 65535 (or several, comma-separated), not "${spec}"`);
        ports.push(...p);
      }
      const groupBy = args.values['group-by'];
      if (groupBy !== undefined && groupBy !== 'pod' && groupBy !== 'namespace') throw new UsageError(`option "--group-by": pod or namespace, not "${groupBy}"`);
      const namespaces = args.lists.namespace ?? [];
      if (namespaces.length > 0 && args.flags.has('all-namespaces')) throw new UsageError('--namespace and --all-namespaces exclude each other');
      const proto = (args.values.proto ?? 'tcp').toLowerCase();
      if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp' && proto !== 'icmp') throw new UsageError(`option "--proto": tcp, udp, sctp or icmp, not "${args.values.proto}"`);
      const cluster = buildCluster(args, { settle: true });
      const matrix = cluster.reach({
        proto,
        ...(ports.length ? { ports } : {}),
        ...(groupBy ? { groupBy } : {}),
        ...(namespaces.length ? { namespaces } : {}),
        ...(args.flags.has('all-namespaces') ? { allNamespaces: true } : {}),
      });
      io.out(renderReach(matrix, format));
      return 0;
    }
    case 'exec': {
      if (args.rest.length === 0) throw new UsageError('a COMMAND after "--" is required');
      if ([args.values.node !== undefined, args.values.pod !== undefined, args.flags.has('workstation')].filter(Boolean).length > 1)
        throw new UsageError('--node, --pod and --workstation exclude each other');
      const cluster = buildCluster(args, { settle: true });
      // argv words are literal: quote any that holds shell syntax, so `--' echo 'a;b'` stays one word.
      const line = args.rest.map((w) => (w === '' || /[^\w@%+=:,./-]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(' ');
      const r = cluster.exec(line, {
        ...(args.values.node !== undefined ? { node: args.values.node } : {}),
        ...(args.values.pod !== undefined ? { pod: args.values.pod } : {}),
        ...(args.flags.has('workstation') ? { workstation: true } : {}),
      });
      io.out(r.stdout);
      if (r.stderr) io.err(r.stderr);
      return r.exitCode;
    }
    case 'dns': {
      if (args.positionals[0] !== 'serve')
        throw new UsageError(args.positionals[0] === undefined ? 'a subcommand is required: serve' : `unknown subcommand "${args.positionals[0]}"`);
      const port = intOption(args, 'port', 0, 65535) ?? 1053;
      let address: string;
      try {
        address = checkAddress(args.values.address);
      } catch (e) {
        if (!(e instanceof DnsServeError)) throw e;
        io.err(`netsim: ${e.message}\n`);
        return 1;
      }
      const cluster = buildCluster(args, { settle: true });
      serveDns(cluster, { port, address, once: args.flags.has('once') }).then(
        (srv) => {
          io.err(`serving cluster DNS (CoreDNS ${srv.zones.join(' ')}) on ${srv.address}:${srv.port}\n`);
          const stop = () => void srv.close();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          void srv.closed.then(() => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
          });
        },
        (e: unknown) => {
          io.err(`netsim: ${(e as Error).message}\n`);
          process.exitCode = 1;
        },
      );
      return 0;
    }
    case 'materialize': {
      const dir = args.values.output;
      if (dir === undefined) throw new UsageError('-o DIR is required');
      const prefix = args.values.prefix ?? 'netsim';
      if (!/^[a-z0-9][a-z0-9-]{0,15}$/.test(prefix)) throw new UsageError(`option "--prefix": 1 to 16 of [a-z0-9-], starting with a letter or digit, not "${prefix}"`);
      const m = materialize(buildCluster(args).state, { prefix });
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'setup.sh'), m.setup, { mode: 0o755 });
      writeFileSync(join(dir, 'teardown.sh'), m.teardown, { mode: 0o755 });
      writeFileSync(join(dir, 'namespaces.json'), `${JSON.stringify(m.namespaces, null, 2)}\n`);
      io.out(`${join(dir, 'setup.sh')}: ${m.namespaces.length} network namespaces (${prefix}-…)\n${join(dir, 'teardown.sh')}: removes them\n`);
      return 0;
    }
    case 'draw': {
      const format = args.values.output ?? 'svg';
      if (format !== 'mermaid' && format !== 'svg' && format !== 'html') throw new UsageError(`option "-o": mermaid, svg or html, not "${format}"`);
      const maxPodsPerNode = intOption(args, 'max-pods-per-node', 1, 1000);
      const cluster = buildCluster(args, { settle: true });
      const opts = maxPodsPerNode !== undefined ? { maxPodsPerNode } : {};
      const text =
        format === 'mermaid'
          ? topologyMermaid(cluster.state, opts)
          : format === 'svg'
            ? topologySvg(cluster.state, opts)
            : topologyHtml(cluster.state, { ...opts, http: (r, host) => withHttp(cluster.state, r, host) });
      const file = args.values['output-file'];
      if (file === undefined) io.out(text);
      else {
        writeFileSync(file, text);
        io.err(`${file}: ${format}, ${cluster.state.nodeOrder.length} nodes\n`);
      }
      return 0;
    }
    case 'generate': {
      const flags: Record<string, string> = { ...args.values };
      try {
        return runGenerate(flags, io);
      } catch (e) {
        if (e instanceof GenerateUsageError) throw new UsageError(e.message.replace(/^generate: /, ''));
        throw e;
      }
    }
  }
  throw new UsageError(`unknown command "${cmd.name}"`);
}

/** Run the CLI with explicit argv and output sinks; returns the exit status. */
export function main(argv: string[], io: MainIo): number {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`netsim: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  try {
    const args = parseCommand(cmd, rest);
    if (args.flags.has('help')) {
      io.out(commandUsage(cmd));
      return 0;
    }
    return run(cmd, args, rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`netsim ${cmd.name}: ${e.message}\n${commandUsage(cmd)}`);
      return 2;
    }
    if (isApiError(e)) {
      io.err(`${kubectlErrorLine(e as ApiError)}\n`);
      return 1;
    }
    const file = fileError(e);
    if (file) {
      io.err(file);
      return 1;
    }
    if (e instanceof TraceError) {
      io.err(`netsim: ${e.message}\n`);
      return 1;
    }
    const debug = (io.env ?? process.env).NETSIM_DEBUG === '1';
    const err = e instanceof Error ? e : new Error(String(e));
    io.err(`netsim: internal error: ${err.message}\n${debug ? `${err.stack}\n` : '(NETSIM_DEBUG=1 shows the stack)\n'}`);
    return 70;
  }
}
