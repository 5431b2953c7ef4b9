// nslookup, dig and host: the resolver of the context (a pod's image libc, or the node's)
// walks its search list, and every query is a UDP packet traced to the nameserver
// (kube-dns's ClusterIP → a CoreDNS pod), answered by whatever receives it.

import { produce } from '../../util/immer.js';
import type { Pod } from '../../api/types.js';
import { nodeResolvConf, nodeResolvConfText, podResolvConf, renderResolvConf, type ResolvConf } from '../../dns/resolv.js';
import { busyboxVersionOf, glibcLookup, imageResolver, muslLookup, uclibcLookup, type QType, type QueryFn } from '../../dns/stub/index.js';
import { runBindNslookup, runBusyboxNslookup128, runBusyboxNslookupModern, runDig, runHost } from '../../dns/tools/index.js';
import { dnsQuery } from '../../packet/dns.js';
import type { ClusterState } from '../../state/types.js';
import { contextImage, fail, traceOrigin, type Command, type CommandIO, type CommandResult, type ShellContext } from '../context.js';

/** The kube-dns Service's ClusterIP: kubelet's --cluster-dns in a kubeadm cluster. */
export function clusterDNS(state: ClusterState): string[] {
  const ip = state.services['kube-system']?.['kube-dns']?.spec.clusterIP;
  return ip && ip !== 'None' ? [ip] : [];
}

function podOf(state: ClusterState, ctx: ShellContext): Pod | undefined {
  if (ctx.kind !== 'pod') return undefined;
  const [ns = '', name = ''] = ctx.pod.split('/');
  return state.pods[ns]?.[name];
}

/** /etc/resolv.conf as the context sees it: kubelet's file in a pod, systemd-resolved's on a node. */
export function contextResolvConf(state: ClusterState, ctx: ShellContext): ResolvConf {
  const pod = podOf(state, ctx);
  if (!pod) return nodeResolvConf(state.config.nodeGateway);
  return podResolvConf(pod, { clusterDNS: clusterDNS(state), clusterDomain: state.config.clusterDomain, hostResolvConf: nodeResolvConf(state.config.nodeGateway) }).conf;
}

export function resolvConfText(state: ClusterState, ctx: ShellContext): string {
  const pod = podOf(state, ctx);
  if (!pod) return nodeResolvConfText(state.config.nodeGateway);
  return renderResolvConf(contextResolvConf(state, ctx), state.config.containerRuntime);
}

/** What resolves names for programs in this context: the pod image's libc, glibc on nodes. */
export function contextLibc(state: ClusterState, ctx: ShellContext): 'glibc' | 'musl' | 'uclibc' {
  const image = contextImage(state, ctx) ?? (ctx.kind === 'pod' ? podOf(state, ctx)?.spec.containers[0]?.image : undefined);
  return image ? imageResolver(image) : 'glibc';
}

/**
 * getaddrinfo for curl, ping and friends: the context's resolver over its resolv.conf, every
 * query a traced packet. Returns the first IPv4 address, or why the name did not resolve.
 */
export function resolveName(io: CommandIO, name: string): { ip?: string; status: string } {
  const conf = contextResolvConf(io.state, io.ctx);
  const q = queryFrom(io);
  const libc = contextLibc(io.state, io.ctx);
  const r = libc === 'musl' ? muslLookup(name, conf, q, 'inet') : libc === 'uclibc' ? uclibcLookup(name, conf, q, 'inet') : glibcLookup(name, conf, q, 'inet');
  const ip = r.addresses.find((a) => !a.includes(':'));
  return ip ? { ip, status: r.status } : { status: r.status };
}

const MAX_LOG_LINES = 500;

/**
 * A QueryFn whose queries are packets from this context. What the CoreDNS pods log for them is
 * collected, and `commit` writes it into the state (`kubectl logs` shows it).
 */
function queryFrom(io: CommandIO): QueryFn & { commit: (r: CommandResult) => CommandResult } {
  let n = 0;
  const from = traceOrigin(io.state, io.ctx);
  const lines: [string, string][] = [];
  const fn = ((name, type, server) => {
    const x = dnsQuery(io.state, from, server, name, type, io.state.clock + n++);
    if (x.answeredBy) for (const l of x.logs) lines.push([x.answeredBy, l]);
    return x.outcome;
  }) as QueryFn & { commit: (r: CommandResult) => CommandResult };
  fn.commit = (r) => {
    if (!lines.length) return r;
    const state = produce(r.state ?? io.state, (d) => {
      const logs = (d.coredns.logs ??= {});
      for (const [pod, line] of lines) {
        const l = (logs[pod] ??= []);
        l.push(line);
        if (l.length > MAX_LOG_LINES) l.splice(0, l.length - MAX_LOG_LINES);
      }
    });
    return { ...r, state };
  };
  return fn;
}

function done(q: { commit: (r: CommandResult) => CommandResult }, r: { stdout: string; stderr: string; exitCode: number }): CommandResult {
  return q.commit({ stdout: r.stdout, ...(r.stderr ? { stderr: r.stderr } : {}), exitCode: r.exitCode });
}

export const nslookup: Command = (args, io) => {
  const [name, server] = args.filter((a) => !a.startsWith('-'));
  if (!name) return fail('Usage: nslookup HOST [DNS_SERVER]', 1);
  const conf = contextResolvConf(io.state, io.ctx);
  const image = contextImage(io.state, io.ctx);
  const q = queryFrom(io);
  if (image) {
    // busybox's applet: ≤ 1.28 through the image's libc, 1.30+ with its own resolver.
    const version = busyboxVersionOf(image);
    if (version === '1.28') return done(q, runBusyboxNslookup128(name, conf, q, { libc: imageResolver(image), ...(server ? { server } : {}) }));
    return done(q, runBusyboxNslookupModern(name, conf, q, { ...(server ? { server } : {}) }));
  }
  return done(q, runBindNslookup(name, conf, q, server ? { server } : {}));
};

const QTYPES = new Set(['A', 'AAAA', 'SRV', 'PTR', 'TXT', 'SOA', 'NS', 'CNAME', 'MX', 'ANY']);

export const dig: Command = (args, io) => {
  let server: string | undefined;
  let short = false;
  let search = false;
  let type: QType = 'A';
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('@')) server = a.slice(1);
    else if (a === '+short') short = true;
    else if (a === '+search') search = true;
    else if (a.startsWith('+')) continue;
    else if (a === '-t') type = (args[++i] ?? 'A').toUpperCase() as QType;
    else if (a === '-x') {
      const ip = args[++i] ?? '';
      name = `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
      type = 'PTR';
    } else if (QTYPES.has(a.toUpperCase()) && name !== undefined) type = a.toUpperCase() as QType;
    else name ??= a;
  }
  if (!name) name = '.';
  const conf = contextResolvConf(io.state, io.ctx);
  const q = queryFrom(io);
  return done(
    q,
    runDig(name, type, conf, q, {
      ...(server ? { server, serverGiven: true } : {}),
      short,
      search,
      args: args.join(' '),
      seed: `${io.state.config.seed}/${name}/${io.state.clock}`,
      when: io.state.clock,
    }),
  );
};

export const host: Command = (args, io) => {
  const [name, server] = args.filter((a) => !a.startsWith('-'));
  if (!name) return fail('Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]', 1);
  const q = queryFrom(io);
  return done(q, runHost(name, contextResolvConf(io.state, io.ctx), q, server ? { server } : {}));
};
