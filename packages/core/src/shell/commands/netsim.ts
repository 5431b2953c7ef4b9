// `netsim trace …` inside the simulated shell: trace a packet on the cluster as it is now,
// from the current context (a node after ssh, a pod after nsenter/kubectl exec) or from --from.

import { trace, traceAll, TraceError } from '../../packet/walker.js';
import type { Proto, TraceRequest } from '../../packet/types.js';
import type { ClusterState } from '../../state/types.js';
import { formatOutcomes, formatTrace } from '../../views/trace/format.js';
import { contextNode, fail, ok, type Command } from '../context.js';

/**
 * `--from`: a node name, `node/NAME`, `pod/NS/NAME`, `NS/NAME`, a pod name in default, or
 * `external` (the lab host on the node network, which is its gateway) / `external:IP`.
 */
export function traceFrom(state: ClusterState, spec: string): TraceRequest['from'] {
  if (spec === 'external') return { external: state.config.nodeGateway };
  if (spec.startsWith('external:') || spec.startsWith('external/')) return { external: spec.slice(9) };
  if (spec.startsWith('node/') || spec.startsWith('node:')) return { node: spec.slice(5) };
  if (spec.startsWith('pod/') || spec.startsWith('pod:')) return { pod: spec.slice(4) };
  if (state.nodes[spec]) return { node: spec };
  return { pod: spec };
}

/** `--to`: IP or IP:PORT. */
export function traceTo(spec: string): { ip: string; port?: number } {
  const m = /^([^:]+)(?::(\d+))?$/.exec(spec);
  if (!m) throw new TraceError(`--to: expected IP or IP:PORT, got "${spec}"`);
  return m[2] ? { ip: m[1]!, port: Number(m[2]) } : { ip: m[1]! };
}

export function traceProto(spec: string | undefined): Proto {
  const proto = (spec ?? 'tcp').toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'icmp') throw new TraceError(`--proto: one of tcp, udp, icmp, not "${spec}"`);
  return proto;
}

export const netsim: Command = (args, io) => {
  if (args[0] !== 'trace') return fail(`netsim: only "netsim trace" runs inside the simulated shell`, 2);
  const flags: Record<string, string> = {};
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-o') flags.output = args[++i] ?? '';
    else if (a === '--all') flags.all = 'true';
    else if (a.startsWith('--') && a.includes('=')) flags[a.slice(2, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    else if (a.startsWith('--')) flags[a.slice(2)] = args[++i] ?? '';
  }
  if (!flags.to) return fail('netsim trace: --to IP[:PORT] is required', 2);
  try {
    const from = flags.from ? traceFrom(io.state, flags.from) : io.ctx.kind === 'pod' ? { pod: io.ctx.pod } : { node: contextNode(io.state, io.ctx) };
    const req = { from, to: traceTo(flags.to), proto: traceProto(flags.proto) };
    if (flags.all) {
      const outcomes = traceAll(io.state, req);
      return ok(flags.output === 'json' ? `${JSON.stringify(outcomes, null, 2)}\n` : formatOutcomes(outcomes));
    }
    const r = trace(io.state, req);
    const out = flags.output === 'json' ? `${JSON.stringify(r, null, 2)}\n` : formatTrace(r);
    return r.verdict === 'delivered' ? ok(out) : { stdout: out, exitCode: 1 };
  } catch (e) {
    if (e instanceof TraceError) return fail(`netsim: ${e.message}`, 1);
    throw e;
  }
};
