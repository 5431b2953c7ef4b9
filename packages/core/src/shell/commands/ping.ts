// iputils `ping`: one traced ICMP echo per -c, printed as ping prints it. Round-trip times are
// drawn from the seed (same script, same transcript) and grow with the hops crossed.

import { tryParseIPv4 } from '../../net/ipv4.js';
import { nodeInternalIP } from '../../state/queries.js';
import { trace } from '../../packet/walker.js';
import type { TraceRequest } from '../../packet/types.js';
import type { ClusterState } from '../../state/types.js';
import { seeded } from '../../util/seeded.js';
import { imageInfo } from '../../state/images.js';
import type { TraceResult } from '../../packet/types.js';
import { resolveName } from './dns.js';
import { contextImage, fail, ok, own, traceOrigin, type Command, type CommandResult, type ShellContext } from '../context.js';

function fromOf(state: ClusterState, ctx: ShellContext): TraceRequest['from'] {
  return traceOrigin(state, ctx);
}

/** /etc/hosts: on kubeadm lab machines it lists every node; the workstation's may list more. */
export function resolveHost(state: ClusterState, name: string, ctx?: ShellContext): string | undefined {
  if (tryParseIPv4(name) !== undefined) return name;
  const pinned = ctx?.kind === 'workstation' ? own(state.workstationHosts, name) : undefined;
  if (pinned) return pinned;
  const node = own(state.nodes, name);
  return node ? nodeInternalIP(node) : undefined;
}

function fmt(ms: number): string {
  return ms < 1 ? ms.toFixed(3) : ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

function rttFor(seed: number, clock: number, ip: string, seq: number, r: TraceResult): number {
  // Loopback ~0.03 ms, a bridge hop ~0.05, each routed hop more, the internet ~10 ms.
  const base = r.to?.host ? 9 + (seeded(seed, 'inet-rtt', ip) % 8000) / 1000 : r.to?.pod || r.forwardings > 0 ? 0.05 + 0.15 * r.forwardings : 0.03;
  return base + (seeded(seed, 'rtt', ip, seq, clock) % 60) / 1000;
}

/** busybox's ping applet: `seq=0`, no per-packet errors, a shorter summary. */
function busyboxPing(seed: number, clock: number, target: string, ip: string, count: number, payload: number, r: TraceResult): CommandResult {
  if (r.localError?.errno === 'EMSGSIZE') return fail('ping: sendto: Message too long', 1, `PING ${target} (${ip}): ${payload} data bytes\n`);
  if (r.localError?.errno === 'EPERM') return fail('ping: sendto: Operation not permitted', 1, `PING ${target} (${ip}): ${payload} data bytes\n`);
  const lines = [`PING ${target} (${ip}): ${payload} data bytes`];
  const rtts: number[] = [];
  for (let seq = 0; seq < count && r.verdict === 'delivered'; seq++) {
    const rtt = rttFor(seed, clock, ip, seq + 1, r);
    rtts.push(rtt);
    lines.push(`${payload + 8} bytes from ${ip}: seq=${seq} ttl=${r.replyTtl ?? 64 - r.forwardings} time=${rtt.toFixed(3)} ms`);
  }
  lines.push('', `--- ${target} ping statistics ---`);
  const loss = Math.round(((count - rtts.length) / count) * 100);
  lines.push(`${count} packets transmitted, ${rtts.length} packets received, ${loss}% packet loss`);
  if (rtts.length) {
    const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
    lines.push(`round-trip min/avg/max = ${Math.min(...rtts).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...rtts).toFixed(3)} ms`);
  }
  return { stdout: `${lines.join('\n')}\n`, exitCode: rtts.length ? 0 : 1 };
}

const PING_USAGE = `
Usage
  ping [options] <destination>

Options:
  <destination>      DNS name or IP address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -H                 force reverse DNS name resolution (useful for numeric
                     destinations or for -f), override -n
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define path MTU discovery, can be one of <do|dont|want|probe>
  -n                 no reverse DNS name resolution, override -H
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use IPv6 node info query, try <help> as argument

For more details see ping(8).`;

const PING_WITH_ARG = 'TFNceiIlmMpQsStwW';
const PING_FLAGS = '4bR6aABCdDfHLnOqrUvV';
const LONG_MAX = 9223372036854775807n;
const INT_MAX = 2147483647n;

/** iputils strtol_or_err: the value, or its error (exit 1). */
function strtolOrErr(v: string, min: bigint, max: bigint): number | string {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(v);
  if (!m) return `ping: invalid argument: '${v}'`;
  const n = BigInt(m[1]!);
  if (n > LONG_MAX || n < -LONG_MAX - 1n) return `ping: invalid argument: '${v}': Numerical result out of range`;
  if (n < min || n > max) return `ping: invalid argument: '${v}': out of range: ${min} <= value <= ${max}`;
  return Number(n);
}

/** iputils ping 20240117's command line (getopt: options anywhere, combined, values attached or next). */
function parsePing(args: string[]): { count: number; payload: number; pmtudisc: string; target?: string; warnings: string } | CommandResult {
  let count = 4;
  let payload = 56;
  let pmtudisc = 'want';
  let warnings = '';
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (c === 'h' || c === '?') return fail(PING_USAGE, 2);
      if (c === 'V') return ok('ping from iputils 20240117\nlibcap: yes, IDN: yes, NLS: yes, error.h: yes, getrandom(): yes, __fpending(): yes\n');
      if (PING_FLAGS.includes(c)) continue;
      if (!PING_WITH_ARG.includes(c)) return fail(`ping: invalid option -- '${c}'\n${PING_USAGE}`, 2);
      const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
      if (v === undefined) return fail(`ping: option requires an argument -- '${c}'\n${PING_USAGE}`, 2);
      let n: number | string = 0;
      if (c === 'c') n = strtolOrErr(v, 1n, LONG_MAX);
      else if (c === 's') n = strtolOrErr(v, 0n, INT_MAX);
      else if (c === 't') n = strtolOrErr(v, 0n, 255n);
      else if (c === 'w' || c === 'S') n = strtolOrErr(v, c === 'S' ? 1n : 0n, INT_MAX);
      else if (c === 'l') n = strtolOrErr(v, 1n, 65536n);
      else if (c === 'e') n = strtolOrErr(v, 0n, 65535n);
      else if (c === 'M') {
        if (!['do', 'dont', 'want', 'probe'].includes(v)) return fail(`ping: invalid -M argument: ${v}`, 2);
        pmtudisc = v;
      } else if (c === 'T') {
        if (!['tsonly', 'tsandaddr', 'tsprespec'].includes(v)) return fail(`ping: invalid timestamp type: ${v}`, 2);
      } else if (c === 'i' || c === 'W') {
        const what = c === 'i' ? 'bad timing interval' : 'bad linger time';
        const m = /^[ \t]*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(v);
        if (v === '') return fail(`ping: ${what}: ${v}`, 2);
        if (!m || m[0].length !== v.length)
          warnings += `ping: option argument contains garbage: ${m ? v.slice(m[0].length) : v}\nping: this will become fatal error in the future\n`;
        const x = m ? Number(m[0]) : 0;
        if (x < 0 || x > 2147483.647) return fail(`ping: ${what}: ${v}`, 2);
      }
      if (typeof n === 'string') return fail(n, 1);
      if (c === 'c') count = n;
      if (c === 's') payload = n;
      break;
    }
  }
  const target = operands[operands.length - 1];
  return { count, payload, pmtudisc, ...(target !== undefined ? { target } : {}), warnings };
}

/** The most echo requests one ping sends here: a script cannot press Ctrl-C. */
export const MAX_PING_COUNT = 100;

export const ping: Command = (args, io) => {
  const p = parsePing(args);
  if ('stdout' in p) return p;
  const { payload, pmtudisc, target } = p;
  let { warnings } = p;
  let count = p.count;
  if (count > MAX_PING_COUNT) {
    warnings += `netsim: note: ping -c ${count}: the simulator sends ${MAX_PING_COUNT} (a script cannot press Ctrl-C)\n`;
    count = MAX_PING_COUNT;
  }
  if (target === undefined) return fail(`${warnings}ping: usage error: Destination address required`, 1);
  let ip = resolveHost(io.state, target, io.ctx);
  if (!ip) {
    const r = resolveName(io, target);
    if (!r.ip)
      return fail(
        `${warnings}${r.status === 'timeout' || r.status === 'servfail' ? `ping: ${target}: Temporary failure in name resolution` : `ping: ${target}: Name or service not known`}`,
        2,
      );
    ip = r.ip;
  }
  if (!Number.isInteger(payload) || payload < 0 || payload > 65507) return fail(`ping: invalid argument: '${payload}': out of range: 0 <= value <= 65507`, 1);
  // -M do sets DF and refuses to fragment; want (the default) fragments locally when needed.
  const size = payload + 28;
  const r = trace(io.state, { from: fromOf(io.state, io.ctx), to: { ip }, proto: 'icmp', size, df: pmtudisc === 'do' });
  if (r.localError?.errno === 'ENETUNREACH') return fail('ping: connect: Network is unreachable', 2);
  const image = contextImage(io.state, io.ctx);
  if (image && imageInfo(image)?.userland === 'busybox') return withWarnings(warnings, busyboxPing(io.state.config.seed, io.state.clock, target, ip, count, payload, r));
  const lines = [`PING ${target} (${ip}) ${payload}(${size}) bytes of data.`];
  const header = target === ip ? ip : `${target} (${ip})`;
  const rtts: number[] = [];
  let errors = 0;
  for (let seq = 1; seq <= count; seq++) {
    if (r.verdict === 'delivered') {
      const rtt = rttFor(io.state.config.seed, io.state.clock, ip, seq, r);
      rtts.push(rtt);
      lines.push(`${payload + 8} bytes from ${header}: icmp_seq=${seq} ttl=${r.replyTtl ?? 64 - r.forwardings} time=${fmt(rtt)} ms`);
    } else if (r.localError?.errno === 'EPERM') {
      // The node's own rules dropped it: each send fails; not an ICMP error, so not counted as one.
      lines.push('ping: sendmsg: Operation not permitted');
    } else if (r.localError?.errno === 'EMSGSIZE') {
      errors++;
      lines.push(`ping: local error: message too long, mtu=${r.localError.mtu}`);
    } else if (r.icmpError?.type === 'host-unreachable') {
      errors++;
      lines.push(`From ${r.icmpError.from} icmp_seq=${seq} Destination Host Unreachable`);
    } else if (r.icmpError?.type === 'frag-needed') {
      errors++;
      lines.push(`From ${r.icmpError.from} icmp_seq=${seq} Frag needed and DF set (mtu = ${r.icmpError.mtu})`);
    }
  }
  const time = (count - 1) * 1000 + 2 + (seeded(io.state.config.seed, 'pingtime', ip, io.state.clock) % 60);
  const received = rtts.length;
  const loss = Math.round(((count - received) / count) * 100);
  lines.push('', `--- ${target} ping statistics ---`);
  lines.push(`${count} packets transmitted, ${received} received, ${errors ? `+${errors} errors, ` : ''}${loss}% packet loss, time ${time}ms`);
  if (received) {
    const min = Math.min(...rtts);
    const max = Math.max(...rtts);
    const avg = rtts.reduce((a, b) => a + b, 0) / received;
    const mdev = Math.sqrt(rtts.reduce((a, b) => a + b * b, 0) / received - avg * avg);
    lines.push(`rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms`);
  } else if (errors && r.icmpError?.type === 'host-unreachable') {
    lines.push(`pipe ${Math.min(count, 3)}`);
  }
  return withWarnings(warnings, received ? ok(`${lines.join('\n')}\n`) : { stdout: `${lines.join('\n')}\n`, exitCode: 1 });
};

/** ping's warnings (garbage in -i/-W, the simulator's count cap) come before its output. */
function withWarnings(warnings: string, r: CommandResult): CommandResult {
  return warnings ? { ...r, stderr: warnings + (r.stderr ?? ''), stderrFirst: true } : r;
}
