// `netsim trace …` inside the simulated shell: trace a packet on the cluster as it is now,
// from the current context (a node after ssh, a pod after nsenter/kubectl exec) or from --from.

import { trace, traceAll, TraceError } from '../../packet/walker.js';
import type { Proto, TraceRequest, TraceResult } from '../../packet/types.js';
import { httpExchange } from '../../packet/http.js';
import type { ClusterState } from '../../state/types.js';
import { formatOutcomes, formatTrace } from '../../views/trace/format.js';
import { traceMermaid, traceSvg } from '../../views/diagram/index.js';
import { fail, ok, own, traceOrigin, type Command } from '../context.js';
import { netsimReach } from './netsim-reach.js';

/**
 * `--from`: a node name, `node/NAME`, `pod/NS/NAME`, `NS/NAME`, a pod name in default, or
 * `external` (the lab host on the node network, which is its gateway) / `external:IP`.
 */
export function traceFrom(state: ClusterState, spec: string): TraceRequest['from'] {
  if (spec === 'external') return { external: state.config.nodeGateway };
  if (spec.startsWith('external:') || spec.startsWith('external/')) return { external: spec.slice(9) };
  if (spec.startsWith('node/') || spec.startsWith('node:')) return { node: spec.slice(5) };
  if (spec.startsWith('pod/') || spec.startsWith('pod:')) return { pod: spec.slice(4) };
  if (own(state.nodes, spec)) return { node: spec };
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
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'icmp' && proto !== 'sctp') throw new TraceError(`--proto: one of tcp, udp, icmp, sctp, not "${spec}"`);
  return proto;
}

/** `--http HOST[/PATH]`: follow the connection up to HTTP, through an ingress controller if it is one. */
export function withHttp(state: ClusterState, r: TraceResult, spec: string): TraceResult {
  const slash = spec.indexOf('/');
  const host = slash < 0 ? spec : spec.slice(0, slash);
  const path = slash < 0 ? '/' : spec.slice(slash);
  const x = httpExchange(state, r, { method: 'GET', host, path }, (f, ip, port) => trace(state, { from: { pod: f }, to: { ip, port }, proto: 'tcp' }));
  const http: NonNullable<TraceResult['http']> = { request: { host, path } };
  if (x.response) http.status = x.response.status;
  if (x.ingress) {
    const d = x.ingress.decision;
    http.ingress = {
      reason: x.ingress.reason,
      headers: x.ingress.headers,
      ...(d
        ? {
            rule: {
              namespace: d.ingress.namespace,
              name: d.ingress.name,
              ...(d.host !== undefined ? { host: d.host } : {}),
              ...(d.path !== undefined ? { path: d.path } : {}),
              ...(d.pathType ? { pathType: d.pathType } : {}),
            },
          }
        : {}),
      ...(x.ingress.service ? { service: x.ingress.service } : {}),
      ...(x.ingress.upstream ? { upstream: x.ingress.upstream } : {}),
    };
  }
  if (x.upstream) http.upstream = x.upstream;
  return { ...r, http };
}

export const netsim: Command = (args, io) => {
  if (args[0] === 'shell') {
    // Switch terminals: the student's workstation outside the cluster, or back to the control plane.
    if (args[1] === 'workstation') return ok('', { ctx: { kind: 'workstation' } });
    if (args[1] === 'controlplane' || args[1] === undefined) return ok('', { ctx: { kind: 'host' } });
    return fail(`netsim shell: "workstation" or "controlplane", not "${args[1]}"`, 2);
  }
  if (args[0] === 'reach') return netsimReach(args.slice(1), io);
  if (args[0] !== 'trace') return fail(`netsim: "netsim trace", "netsim reach" and "netsim shell workstation|controlplane" run inside the simulated shell`, 2);
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
    const from = flags.from ? traceFrom(io.state, flags.from) : traceOrigin(io.state, io.ctx);
    const req = { from, to: traceTo(flags.to), proto: traceProto(flags.proto) };
    // -o mermaid|svg: the trace as a sequence diagram (views/diagram), as `netsim trace` on the command line.
    const diagram = flags.output === 'mermaid' ? traceMermaid : flags.output === 'svg' ? traceSvg : undefined;
    if (flags.all) {
      const outcomes = traceAll(io.state, req);
      return ok(diagram ? diagram(outcomes) : flags.output === 'json' ? `${JSON.stringify(outcomes, null, 2)}\n` : formatOutcomes(outcomes));
    }
    let r = trace(io.state, req);
    if (flags.http !== undefined) r = withHttp(io.state, r, flags.http);
    const out = diagram ? diagram(r) : flags.output === 'json' ? `${JSON.stringify(r, null, 2)}\n` : formatTrace(r);
    return r.verdict === 'delivered' ? ok(out) : { stdout: out, exitCode: 1 };
  } catch (e) {
    if (e instanceof TraceError) return fail(`netsim: ${e.message}`, 1);
    throw e;
  }
};
