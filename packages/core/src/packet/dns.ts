// DNS as packets: every query a resolver sends is a UDP datagram traced through the dataplane to
// port 53 of a server — kube-dns's ClusterIP, DNATed to a CoreDNS pod (maybe on another node,
// through the overlay), or an upstream on the simulated internet. Whoever receives it answers:
// a CoreDNS pod runs its Corefile; 8.8.8.8 & co. answer from the simulated internet's zone.
// Nothing listening, or no route: a timeout, as the client would see it.

import type { Pod } from '../api/types.js';
import { servingCorefile } from '../dns/serving.js';
import { dnsData } from '../dns/informer.js';
import { answer } from '../dns/server.js';
import type { DnsReply, QType, QueryOutcome } from '../dns/stub/index.js';
import { isUnreachable, makeUpstream, type UpstreamFn } from '../dns/upstream.js';
import type { ClusterState } from '../state/types.js';
import { seeded } from '../util/seeded.js';
import { trace } from './walker.js';
import type { TraceRequest, TraceResult } from './types.js';

export interface DnsExchange {
  outcome: QueryOutcome;
  /** The query's path to the server (and who answered). */
  trace: TraceResult;
  /** Which CoreDNS pod or upstream host answered. */
  answeredBy?: string;
  /** What the CoreDNS pod logged for it (errors plugin; log plugin lines when enabled). */
  logs: string[];
}

/** The recursive resolvers on the simulated internet, by address. */
const resolvers = new WeakMap<object, UpstreamFn>();

/** The recursive resolvers on the simulated internet (and the lab gateway's), by address. */
export function internetResolver(state: ClusterState, server: string): UpstreamFn | undefined {
  const host = state.config.internet.hosts.find((h) => h.ip === server);
  if (server !== state.config.nodeGateway && !host?.listens.some((l) => l.port === 53 && l.protocol === 'UDP')) return undefined;
  let r = resolvers.get(state.config.internet);
  if (!r) resolvers.set(state.config.internet, (r = makeUpstream(state.config.internet.dnsZone)));
  return r;
}

function toReply(a: { rcode: DnsReply['rcode']; aa: boolean; answer: DnsReply['answer']; authority: DnsReply['authority']; additional: DnsReply['additional'] }): DnsReply {
  return { rcode: a.rcode, aa: a.aa, ra: true, answer: a.answer, authority: a.authority, additional: a.additional };
}

function isCoreDNS(pod: Pod | undefined): boolean {
  return pod?.spec.containers.some((c) => /(^|\/)coredns(:|@|$)/.test(c.image)) ?? false;
}

/** The log plugin's default format: `[INFO] client:port - id "TYPE IN name. udp size do bufsize" RCODE flags rsize duration`. */
function logLine(t: TraceResult, name: string, type: string, a: { rcode: string; aa: boolean; answer: unknown[] }, queryId: number): string {
  const q = name.endsWith('.') ? name : `${name}.`;
  const size = q.length + 17 + 11;
  const rsize = size + a.answer.length * 16 + (a.aa ? 0 : 0);
  const flags = ['qr', ...(a.aa ? ['aa'] : []), 'rd', ...(a.rcode === 'NOERROR' && !a.aa ? ['ra'] : [])].join(',');
  const id = queryId % 65536;
  const dur = (0.00008 + (queryId % 97) / 1_000_000).toFixed(9);
  return `[INFO] ${t.source?.ip}:${t.source?.port} - ${id} "${type} IN ${q} udp ${size} false 1232" ${a.rcode} ${flags} ${rsize} ${dur}s`;
}

/** Send one query from `from` to `server`:53 and return what comes back. */
export function dnsQuery(state: ClusterState, from: TraceRequest['from'], server: string, name: string, type: QType, queryId = 0): DnsExchange {
  const t = trace(state, { from, to: { ip: server, port: 53 }, proto: 'udp', sport: 32768 + (seeded(state.config.seed, 'dns-sport', name, type, queryId) % 28232) });
  if (t.verdict !== 'delivered' || !t.to) {
    return { outcome: { error: t.verdict === 'rejected' ? 'unreachable' : 'timeout' }, trace: t, logs: [] };
  }
  if (t.to.host) {
    const upstream = internetResolver(state, t.to.ip);
    if (!upstream) return { outcome: { error: 'timeout' }, trace: t, logs: [] };
    const a = upstream({ name, type: type as never });
    if (isUnreachable(a)) return { outcome: { error: 'timeout' }, trace: t, logs: [] };
    return {
      outcome: toReply({
        rcode: a.rcode,
        aa: a.aa ?? false,
        answer: a.answer as DnsReply['answer'],
        authority: a.authority as DnsReply['authority'],
        additional: (a.additional ?? []) as DnsReply['additional'],
      }),
      trace: t,
      answeredBy: t.to.host,
      logs: [],
    };
  }
  const [ns = '', podName = ''] = (t.to.pod ?? '/').split('/');
  const pod = state.pods[ns]?.[podName];
  if (!isCoreDNS(pod)) return { outcome: { error: 'timeout' }, trace: t, logs: [] };
  // CoreDNS forwards to the node's resolv.conf (dnsPolicy Default): the lab gateway's resolver.
  const upstream: UpstreamFn = (q) => internetResolver(state, '8.8.8.8')?.(q) ?? { unreachable: true, server: '8.8.8.8' };
  const corefile = servingCorefile(state);
  const a = answer(dnsData(state), corefile, { name, type: type as never }, { clientIP: t.source?.ip ?? '', upstream, port: 53, serverIP: t.to.ip, queryId });
  const logs = [...a.logs];
  if (corefile.serverBlocks.some((b) => b.plugins.some((p) => p.name === 'log'))) logs.push(logLine(t, name, type, a, queryId));
  return { outcome: toReply(a as never), trace: t, answeredBy: `${ns}/${podName}`, logs };
}
