// nslookup, dig and host: the resolver of the context (a pod's image libc, or the node's)
// walks its search list, and every query is a UDP packet traced to the nameserver
// (kube-dns's ClusterIP → a CoreDNS pod), answered by whatever receives it.

import { produce } from '../../util/immer.js';
import { tryParseIPv4 } from '../../net/ipv4.js';
import { resolveHost } from './ping.js';
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

/**
 * A server named on the command line, as the tool's getaddrinfo takes it: an IPv4 address as
 * is, anything else looked up through the context's resolver (a queried packet like any other).
 * Undefined when it does not resolve to an IPv4 address.
 */
function serverAddress(io: CommandIO, server: string): string | undefined {
  if (tryParseIPv4(server) !== undefined) return server;
  if (server === '') return undefined;
  // getaddrinfo reads /etc/hosts (the lab's lists every node) before asking DNS.
  return resolveHost(io.state, server, io.ctx) ?? resolveName(io, server).ip;
}

const BUSYBOX_NSLOOKUP_USAGE = 'Usage: nslookup HOST [DNS_SERVER]';

export const nslookup: Command = (args, io) => {
  const words = args.filter((a) => !a.startsWith('-'));
  const [name, server] = words;
  if (!name) return fail(BUSYBOX_NSLOOKUP_USAGE, 1);
  const conf = contextResolvConf(io.state, io.ctx);
  const image = contextImage(io.state, io.ctx);
  let ip: string | undefined;
  if (server !== undefined) {
    ip = serverAddress(io, server);
    // busybox dies in xhost2sockaddr(); BIND's nslookup in its getaddrinfo() wrapper.
    if (!ip) return fail(image ? `nslookup: bad address '${server}'` : `nslookup: couldn't get address for '${server}': not found`, 1);
  }
  const q = queryFrom(io);
  if (image) {
    // busybox's applet: ≤ 1.28 through the image's libc, 1.30+ with its own resolver.
    const version = busyboxVersionOf(image);
    if (version === '1.28') return done(q, runBusyboxNslookup128(name, conf, q, { libc: imageResolver(image), ...(ip ? { server: ip } : {}) }));
    return done(q, runBusyboxNslookupModern(name, conf, q, { ...(ip ? { server: ip } : {}) }));
  }
  return done(q, runBindNslookup(name, conf, q, ip ? { server: ip } : {}));
};

const QTYPES = new Set(['A', 'AAAA', 'SRV', 'PTR', 'TXT', 'SOA', 'NS', 'CNAME', 'MX', 'ANY']);
/** Query classes dig takes after the name (ignored: the simulated servers answer IN). */
const CLASSES = new Set(['IN', 'CH', 'HS', 'CHAOS', 'HESIOD', 'ANY', 'NONE']);

const DIG_USAGE = `Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}
            {global-d-opt} host [@local-server] {local-d-opt}
            [ host [@local-server] {local-d-opt} [...]]

Use "dig -h" (or "dig -h | more") for complete list of options`;

/** BIND's isc_parse_uint16 errors for -p. */
function badPort(p: string): string | undefined {
  if (!/^\d+$/.test(p)) return `invalid port number '${p}': not a valid number`;
  if (Number(p) > 65535) return `invalid port number '${p}': out of range`;
  return undefined;
}

export const dig: Command = (args, io) => {
  let server: string | undefined;
  let short = false;
  let search = false;
  let type: QType = 'A';
  let name: string | undefined;
  const warnings: string[] = [];
  const setType = (t: string) => {
    const u = t.toUpperCase();
    if (QTYPES.has(u)) type = u as QType;
    else warnings.push(`;; Warning, ignoring invalid type ${t}\n`);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('@')) server = a.slice(1);
    else if (a === '+short') short = true;
    else if (a === '+search') search = true;
    else if (a.startsWith('+')) continue;
    else if (a.startsWith('-') && a.length > 1) {
      const opt = a[1]!;
      // Options with a value take the rest of the word or the next argument.
      if ('bcfkpqtxy'.includes(opt)) {
        const value = a.length > 2 ? a.slice(2) : args[++i];
        if (value === undefined) return fail(`Invalid option: ${a}\n${DIG_USAGE}`, 1);
        if (opt === 't') setType(value);
        else if (opt === 'q') name = value;
        else if (opt === 'p') {
          const bad = badPort(value);
          if (bad) return { stdout: `${bad}\n`, stderr: "dig: Couldn't parse port number\n", exitCode: 1 };
        } else if (opt === 'x') {
          name = `${value.split('.').reverse().join('.')}.in-addr.arpa`;
          type = 'PTR';
        }
      } else if (opt === 'v') return fail('DiG 9.18.49-1~deb12u3-Debian', 0);
      else if (!'46himru'.includes(opt)) return fail(`Invalid option: ${a}\n${DIG_USAGE}`, 1);
    } else if (name !== undefined && QTYPES.has(a.toUpperCase())) type = a.toUpperCase() as QType;
    else if (name !== undefined && CLASSES.has(a.toUpperCase())) continue;
    else name ??= a;
  }
  if (!name) name = '.';
  let ip: string | undefined;
  if (server !== undefined) {
    ip = serverAddress(io, server);
    if (!ip) return fail(`dig: couldn't get address for '${server}': not found`, 1);
  }
  const conf = contextResolvConf(io.state, io.ctx);
  const q = queryFrom(io);
  const r = done(
    q,
    runDig(name, type, conf, q, {
      ...(ip ? { server: ip, serverGiven: true } : {}),
      short,
      search,
      args: args.join(' '),
      seed: `${io.state.config.seed}/${name}/${io.state.clock}`,
      when: io.state.clock,
    }),
  );
  return warnings.length ? { ...r, stderr: warnings.join('') + (r.stderr ?? ''), stderrFirst: true } : r;
};

const HOST_USAGE = `Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]
            [-R number] [-m flag] [-p port] hostname [server]`;
const HOST_USAGE_LONG = `${HOST_USAGE}
       -a is equivalent to -v -t ANY
       -A is like -a but omits RRSIG, NSEC, NSEC3
       -c specifies query class for non-IN data
       -C compares SOA records on authoritative nameservers
       -d is equivalent to -v
       -l lists all hosts in a domain, using AXFR
       -m set memory debugging flag (trace|record|usage)
       -N changes the number of dots allowed before root lookup is done
       -p specifies the port on the server to query
       -r disables recursive processing
       -R specifies number of retries for UDP packets
       -s a SERVFAIL response should stop query
       -t specifies the query type
       -T enables TCP/IP mode
       -U enables UDP mode
       -v enables verbose output
       -V print version number and exit
       -w specifies to wait forever for a reply
       -W specifies how long to wait for a reply
       -4 use IPv4 query transport only
       -6 use IPv6 query transport only`;

export const host: Command = (args, io) => {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-') || a === '-') {
      words.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if ('cmNpRtW'.includes(c)) {
        const value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (value === undefined) return fail(`host: option requires an argument -- ${c}\n${HOST_USAGE}`, 1);
        if (c === 't' && !QTYPES.has(value.toUpperCase()) && !/^(AXFR|IXFR|HINFO|CAA|DS|DNSKEY|NAPTR|SSHFP|TLSA|RRSIG|NSEC|NSEC3)$/i.test(value))
          return fail(`host: invalid type: ${value}\n\n`, 2);
        break;
      }
      if (c === 'V') return fail('host 9.18.49-1~deb12u3-Debian', 0);
      if (!'aACdilrsTUvw46'.includes(c)) return fail(`host: illegal option -- ${c}\n${HOST_USAGE_LONG}`, 1);
    }
  }
  const [name, server] = words;
  if (!name) return fail(HOST_USAGE_LONG, 1);
  let ip: string | undefined;
  if (server !== undefined) {
    ip = serverAddress(io, server);
    if (!ip) return fail(`host: couldn't get address for '${server}': not found`, 1);
  }
  const q = queryFrom(io);
  return done(q, runHost(name, contextResolvConf(io.state, io.ctx), q, ip ? { server: ip } : {}));
};
