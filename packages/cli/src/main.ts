// `netsim`: run lesson scripts, trace packets and run single commands against a simulated cluster.
//   netsim run FILE [--seed N] [--nodes N] [--k8s-version V]
//   netsim trace --from POD|NODE|external --to IP[:PORT] [--proto tcp|udp|icmp] [--http HOST/PATH] [--all] [-o json] [-f manifests.yaml]
//   netsim exec [--node N | --pod P] -- COMMAND…

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkAddress, DnsServeError, serveDns } from './dns-serve.js';
import { GenerateUsageError, runGenerate } from './generate.js';
import {
  type ApiError,
  Cluster,
  formatOutcomes,
  formatTrace,
  isApiError,
  kubectlErrorLine,
  traceAll,
  TraceError,
  traceFrom,
  traceProto,
  traceTo,
  withHttp,
  type ClusterOptions,
} from '@k8s-netsim/core';

const USAGE = `usage:
  netsim run FILE [--seed N] [--nodes N] [--k8s-version V] [--cni flannel|none] [--flannel-backend vxlan|host-gw]
  netsim trace --from POD|NODE|external --to IP[:PORT] [--proto tcp|udp|icmp] [--http HOST/PATH] [--all] [-o json] [-f manifests.yaml]
  netsim exec [--node NODE | --pod POD] -- COMMAND...
  netsim dns serve [--port N (default 1053)] [--address 127.0.0.1] [--seed N] [-f manifests.yaml] [--once]
  netsim generate --nodes N --services S [--pods-per-service A-B] [--namespaces N] [--seed N] [--progress auto|always|never] [-o snapshot.json]
`;

interface Parsed {
  positional: string[];
  flags: Record<string, string>;
  files: string[];
  rest: string[];
}

function parseArgs(argv: string[]): Parsed {
  const p: Parsed = { positional: [], flags: {}, files: [], rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      p.rest = argv.slice(i + 1);
      break;
    }
    if (a === '-f' || a === '--filename') p.files.push(argv[++i] ?? '');
    else if (a === '-o' || a === '--output') p.flags.output = argv[++i] ?? '';
    else if (a === '--all') p.flags.all = 'true';
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) p.flags[a.slice(2, eq)] = a.slice(eq + 1);
      else p.flags[a.slice(2)] = argv[++i] ?? '';
    } else p.positional.push(a);
  }
  return p;
}

function clusterOptions(flags: Record<string, string>): ClusterOptions {
  const o: ClusterOptions = {};
  if (flags.seed !== undefined) o.seed = Number(flags.seed);
  if (flags.nodes !== undefined) o.nodes = Number(flags.nodes);
  if (flags['k8s-version'] !== undefined) o.kubernetesVersion = flags['k8s-version'];
  if (flags.cni !== undefined) {
    if (flags.cni !== 'flannel' && flags.cni !== 'none') throw new TraceError(`--cni: flannel or none, not "${flags.cni}"`);
    o.cni = flags.cni;
  }
  if (flags['flannel-backend'] !== undefined) {
    const b = flags['flannel-backend'];
    if (b !== 'vxlan' && b !== 'host-gw') throw new TraceError(`--flannel-backend: vxlan or host-gw, not "${b}"`);
    o.flannelBackend = b;
  }
  return o;
}

/** Cluster options a script asks for in its leading comments: `# netsim: --cni none`. */
function scriptFlags(text: string): Record<string, string> {
  const flags: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const m = /^#\s*netsim:\s*(.*)$/.exec(line);
    if (m) Object.assign(flags, parseArgs(m[1]!.trim().split(/\s+/)).flags);
  }
  return flags;
}

function withManifests(cluster: Cluster, files: string[]): Cluster {
  let c = cluster;
  for (const f of files) c = c.apply(readFileSync(f, 'utf8'));
  return c;
}

export function main(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): number {
  const [cmd, ...rest] = argv;
  const p = parseArgs(rest);
  try {
    switch (cmd) {
      case 'run': {
        const file = p.positional[0];
        if (!file) {
          io.err(USAGE);
          return 2;
        }
        const text = readFileSync(file, 'utf8');
        const base = dirname(resolve(file));
        const cluster = withManifests(Cluster.create(clusterOptions({ ...scriptFlags(text), ...p.flags })), p.files);
        const r = cluster.run(text, { readFile: (path) => readFileSync(resolve(base, path), 'utf8'), cwd: base });
        io.out(r.transcript);
        return 0;
      }
      case 'trace': {
        const cluster = withManifests(Cluster.create(clusterOptions(p.flags)), p.files);
        if (!p.flags.from || !p.flags.to) {
          io.err(USAGE);
          return 2;
        }
        const req = { from: traceFrom(cluster.state, p.flags.from), to: traceTo(p.flags.to), proto: traceProto(p.flags.proto) };
        if (p.flags.all !== undefined) {
          const outcomes = traceAll(cluster.state, req);
          io.out(p.flags.output === 'json' ? `${JSON.stringify(outcomes, null, 2)}\n` : formatOutcomes(outcomes));
          return outcomes.some((o) => o.result.verdict === 'delivered') ? 0 : 1;
        }
        let result = cluster.trace(req);
        if (p.flags.http !== undefined) result = withHttp(cluster.state, result, p.flags.http);
        io.out(p.flags.output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatTrace(result));
        return result.verdict === 'delivered' ? 0 : 1;
      }
      case 'exec': {
        const cluster = withManifests(Cluster.create(clusterOptions(p.flags)), p.files);
        const line = p.rest.map((w) => (/[\s'"|]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(' ');
        const r = cluster.exec(line, { ...(p.flags.node ? { node: p.flags.node } : {}), ...(p.flags.pod ? { pod: p.flags.pod } : {}) });
        io.out(r.stdout);
        if (r.stderr) io.err(r.stderr);
        return r.exitCode;
      }
      case 'dns': {
        // `--once` takes no value: drop it before parsing so it cannot swallow the next word.
        const once = rest.includes('--once');
        const d = parseArgs(rest.filter((a) => a !== '--once'));
        if (d.positional[0] !== 'serve' || d.positional.length !== 1) {
          io.err(USAGE);
          return 2;
        }
        let address: string;
        const port = d.flags.port === undefined ? 1053 : Number(d.flags.port);
        try {
          address = checkAddress(d.flags.address);
          if (!Number.isInteger(port) || port < 0 || port > 65535) throw new DnsServeError(`dns serve: bad port "${d.flags.port}"`);
        } catch (e) {
          io.err(`netsim: ${(e as Error).message}\n`);
          return 1;
        }
        const cluster = withManifests(Cluster.create(clusterOptions(d.flags)), d.files);
        serveDns(cluster, { port, address, once }).then(
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
      case 'generate': {
        try {
          return runGenerate(p.flags, io);
        } catch (e) {
          if (!(e instanceof GenerateUsageError)) throw e;
          io.err(`netsim: ${e.message}\n${USAGE}`);
          return 2;
        }
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return 0;
      default:
        io.err(`netsim: unknown command "${cmd}"\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (isApiError(e)) {
      io.err(`${kubectlErrorLine(e as ApiError)}\n`);
      return 1;
    }
    if (e instanceof TraceError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      io.err(`netsim: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
}
