// `netsim reach …` inside the simulated shell: the NetworkPolicy reachability matrix of the
// cluster as it is now (packet/reach.ts), printed as a truth table, JSON or a Mermaid flowchart.

import { isApiError, kubectlErrorLine } from '../../api/errors.js';
import { reach, type ReachOptions } from '../../packet/reach.js';
import { TraceError } from '../../packet/walker.js';
import { renderReach, type ReachFormat } from '../../views/reach/index.js';
import { fail, ok, type CommandIO, type CommandResult } from '../context.js';

export const REACH_USAGE = `usage: netsim reach [--port P[,P...]] [--proto tcp|udp|sctp|icmp] [-n NS | -A] [--group-by pod|namespace] [-o table|json|mermaid]

NetworkPolicy reachability: every pod (or namespace) x every pod IP, allowed or denied per port,
with the policy that decided. Default: port 80/TCP, every namespace but the system ones.
`;

/** `--port 80`, `--port 80,443`: the ports, or undefined when one is not a port number. */
export function reachPorts(spec: string): number[] | undefined {
  const ports = spec.split(',').map((s) => s.trim());
  if (ports.some((p) => !/^\d{1,5}$/.test(p) || Number(p) < 1 || Number(p) > 65535)) return undefined;
  return ports.map(Number);
}

/** The output formats `netsim reach -o` takes. */
export function reachFormat(spec: string | undefined): ReachFormat | undefined {
  const f = spec ?? 'table';
  return f === 'table' || f === 'json' || f === 'mermaid' ? f : undefined;
}

/** `netsim reach ARGS` (the words after `reach`). */
export function netsimReach(args: string[], io: CommandIO): CommandResult {
  const opts: ReachOptions = {};
  const ports: number[] = [];
  const namespaces: string[] = [];
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = () => (eq > 0 ? a.slice(eq + 1) : args[++i]);
    if (flag === '-h' || flag === '--help') return ok(REACH_USAGE);
    if (flag === '-A' || flag === '--all-namespaces') {
      opts.allNamespaces = true;
      continue;
    }
    if (!['--port', '--proto', '-n', '--namespace', '--group-by', '-o', '--output'].includes(flag)) return fail(`netsim reach: unknown option "${flag}"\n${REACH_USAGE}`, 2);
    const v = value();
    if (v === undefined) return fail(`netsim reach: option "${flag}" needs a value\n${REACH_USAGE}`, 2);
    if (flag === '--port') {
      const p = reachPorts(v);
      if (!p) return fail(`netsim reach: --port: a port number from 1 to 65535 (or several, comma-separated), not "${v}"`, 2);
      ports.push(...p);
    } else if (flag === '--proto') {
      const proto = v.toLowerCase();
      if (proto !== 'tcp' && proto !== 'udp' && proto !== 'icmp' && proto !== 'sctp') return fail(`netsim reach: --proto: one of tcp, udp, icmp, sctp, not "${v}"`, 2);
      opts.proto = proto;
    } else if (flag === '-n' || flag === '--namespace') namespaces.push(v);
    else if (flag === '--group-by') {
      if (v !== 'pod' && v !== 'namespace') return fail(`netsim reach: --group-by: pod or namespace, not "${v}"`, 2);
      opts.groupBy = v;
    } else output = v;
  }
  const format = reachFormat(output);
  if (!format) return fail(`netsim reach: -o: table, json or mermaid, not "${output}"`, 2);
  if (ports.length) opts.ports = ports;
  if (namespaces.length) {
    if (opts.allNamespaces) return fail('netsim reach: -n and -A exclude each other', 2);
    opts.namespaces = namespaces;
  }
  try {
    return ok(renderReach(reach(io.state, opts), format));
  } catch (e) {
    if (e instanceof TraceError) return fail(`netsim reach: ${e.message}`, 1);
    if (isApiError(e)) return fail(kubectlErrorLine(e), 1);
    throw e;
  }
}
