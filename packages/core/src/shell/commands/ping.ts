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
import { contextImage, fail, ok, traceOrigin, type Command, type CommandResult, type ShellContext } from '../context.js';

function fromOf(state: ClusterState, ctx: ShellContext): TraceRequest['from'] {
  return traceOrigin(state, ctx);
}

/** /etc/hosts: on kubeadm lab machines it lists every node; the workstation's may list more. */
export function resolveHost(state: ClusterState, name: string, ctx?: ShellContext): string | undefined {
  if (tryParseIPv4(name) !== undefined) return name;
  if (ctx?.kind === 'workstation' && state.workstationHosts[name]) return state.workstationHosts[name];
  const node = state.nodes[name];
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

export const ping: Command = (args, io) => {
  let count = 4;
  let payload = 56;
  let pmtudisc = 'want';
  let target: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c') count = Number(args[++i]);
    else if (/^-c\d+$/.test(a)) count = Number(a.slice(2));
    else if (a === '-s') payload = Number(args[++i]);
    else if (a === '-M') pmtudisc = args[++i] ?? 'want';
    else if (a === '-W' || a === '-i' || a === '-t' || a === '-w') i++;
    else if (a.startsWith('-')) continue;
    else target = a;
  }
  if (!target) return fail('ping: usage error: Destination address required', 1);
  if (!Number.isInteger(count) || count < 1) return fail(`ping: invalid argument: '${count}'`, 1);
  let ip = resolveHost(io.state, target, io.ctx);
  if (!ip) {
    const r = resolveName(io, target);
    if (!r.ip)
      return fail(r.status === 'timeout' || r.status === 'servfail' ? `ping: ${target}: Temporary failure in name resolution` : `ping: ${target}: Name or service not known`, 2);
    ip = r.ip;
  }
  if (!Number.isInteger(payload) || payload < 0 || payload > 65507) return fail(`ping: invalid argument: '${payload}': out of range: 0 <= value <= 65507`, 1);
  // -M do sets DF and refuses to fragment; want (the default) fragments locally when needed.
  const size = payload + 28;
  const r = trace(io.state, { from: fromOf(io.state, io.ctx), to: { ip }, proto: 'icmp', size, df: pmtudisc === 'do' });
  if (r.localError?.errno === 'ENETUNREACH') return fail('ping: connect: Network is unreachable', 2);
  const image = contextImage(io.state, io.ctx);
  if (image && imageInfo(image)?.userland === 'busybox') return busyboxPing(io.state.config.seed, io.state.clock, target, ip, count, payload, r);
  const lines = [`PING ${target} (${ip}) ${payload}(${size}) bytes of data.`];
  const header = target === ip ? ip : `${target} (${ip})`;
  const rtts: number[] = [];
  let errors = 0;
  for (let seq = 1; seq <= count; seq++) {
    if (r.verdict === 'delivered') {
      const rtt = rttFor(io.state.config.seed, io.state.clock, ip, seq, r);
      rtts.push(rtt);
      lines.push(`${payload + 8} bytes from ${header}: icmp_seq=${seq} ttl=${r.replyTtl ?? 64 - r.forwardings} time=${fmt(rtt)} ms`);
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
  return received ? ok(`${lines.join('\n')}\n`) : { stdout: `${lines.join('\n')}\n`, exitCode: 1 };
};
