// A trace as a sequence of diagram events: who the packet passes through (lanes) and what it
// looks like on each leg. Both renderers (Mermaid text, our own SVG) draw this one model, so
// they always show the same arrows, notes and alternatives.
//
// Lanes: each pod; each node's IP stack (routing, netfilter, conntrack); its cni0 bridge (the
// host side of the pods' veths); its flannel.1 VXLAN device; each machine outside the cluster
// (the workstation, the lab router, a client on the internet).
//
// One solid arrow per hop that moves the packet (`veth`, `bridge`, `encap`, `decap`, `wire`),
// labelled with the packet's addresses at that point: DNAT and SNAT/MASQUERADE change them,
// VXLAN wraps them in the outer header between `encap` and `decap`. A netfilter rule that decided
// something (not a plain jump, RETURN, ACCEPT or MARK) is a note with its rule text; so are
// conntrack's reverse translation, MetalLB's ARP answer, drops and REJECTs. A delivered packet's
// reply (after conntrack) and an ICMP error are dashed arrows back to the sender.

import { policyLines } from '../trace/format.js';
import type { TraceOutcome } from '../../packet/walker.js';
import type { Endpoint, Hop, HopKind, TraceResult } from '../../packet/types.js';

export interface Lane {
  id: string;
  label: string;
}

export type DiagramEvent =
  | { kind: 'arrow'; from: string; to: string; text: string; style: 'packet' | 'reply' | 'error' }
  | { kind: 'note'; over: string; lines: string[] }
  | { kind: 'alt' | 'else'; text: string }
  | { kind: 'end' };

export interface DiagramModel {
  title: string;
  lanes: Lane[];
  events: DiagramEvent[];
}

/** The hop kinds that move the packet to another place: one solid arrow each. */
export const MOVING_HOPS: ReadonlySet<HopKind> = new Set<HopKind>(['veth', 'bridge', 'encap', 'decap', 'wire']);

const QUIET_NETFILTER = /^(jump to|RETURN|ACCEPT|MARK)\b/;
const NAT_ACTION = /^(DNAT|SNAT|MASQUERADE): (destination|source) (\S+) → (\S+)/;
const OUTER = /outer (\S+) → (\S+?)\/udp, VNI (\d+)/;
const RULE_MAX = 120;

const endpoint = (e: Endpoint): string => (e.port !== undefined ? `${e.ip}:${e.port}` : e.ip);

/**
 * A rule as iptables-save prints it, shortened: without its comment match and the `-m tcp`-style
 * match that only repeats `-p`, at most RULE_MAX characters.
 */
export function shortRule(rule: string): string {
  const s = rule
    .replace(/ -m comment --comment (?:"(?:[^"\\]|\\.)*"|\S+)/g, '')
    .replace(/ -m (?:tcp|udp|sctp)(?= |$)/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  return s.length > RULE_MAX ? `${s.slice(0, RULE_MAX - 1)}…` : s;
}

class Lanes {
  readonly list: Lane[] = [];
  private readonly byKey = new Map<string, Lane>();

  get(key: string, label: string): string {
    let lane = this.byKey.get(key);
    if (!lane) {
      lane = { id: `p${this.list.length + 1}`, label };
      this.byKey.set(key, lane);
      this.list.push(lane);
    }
    return lane.id;
  }

  /** The lane a hop happens in (see the header). */
  of(h: Hop, role: 'sender' | 'router' | 'host' = 'host'): string {
    if (h.at.pod) return this.get(`pod:${h.at.pod}`, `pod ${h.at.pod}`);
    if (h.at.node.startsWith('external:')) {
      const ip = h.at.node.slice('external:'.length);
      const what = role === 'sender' ? 'client' : role === 'router' ? 'lab router' : 'host';
      return this.get(h.at.node, `${what} ${ip}`);
    }
    if (h.kind === 'bridge') return this.cni0(h.at.node);
    if ((h.kind === 'encap' || h.kind === 'decap') && h.at.iface) return this.get(`${h.at.node}/${h.at.iface}`, `${h.at.node} ${h.at.iface}`);
    return this.get(h.at.node, `${h.at.node} stack`);
  }

  cni0(node: string): string {
    return this.get(`${node}/cni0`, `${node} cni0`);
  }
}

function whereTo(r: TraceResult): string {
  if (!r.to) return r.reason ?? r.verdict;
  return r.to.pod ?? r.to.node ?? r.to.host ?? r.to.ip;
}

function traceEvents(r: TraceResult, lanes: Lanes, out: DiagramEvent[]): void {
  const hops = r.hops;
  if (hops.length === 0) return;
  const routers = new Set(hops.filter((h) => h.kind === 'gateway').map((h) => h.at.node));
  const laneOf = (h: Hop): string => lanes.of(h, h === hops[0] ? 'sender' : routers.has(h.at.node) ? 'router' : 'host');
  const proto = r.proto.toUpperCase();
  let src = endpoint(r.packet.src);
  let dst = endpoint(r.packet.dst);
  let outer: string | undefined;
  const sender = laneOf(hops[0] as Hop);
  let cur = sender;
  const packet = (): string => `${proto} ${src} → ${dst}`;
  const arrow = (to: string, text: string): void => {
    out.push({ kind: 'arrow', from: cur, to, text, style: 'packet' });
    cur = to;
  };
  let stopped = false;
  hops.forEach((h, i) => {
    switch (h.kind) {
      case 'veth': {
        const pod = laneOf(h);
        arrow(cur === pod ? lanes.cni0(h.at.node) : pod, packet());
        break;
      }
      case 'bridge':
        arrow(/up to the node's IP stack/.test(h.action) ? lanes.of({ ...h, kind: 'route' }) : laneOf(h), packet());
        break;
      case 'encap': {
        arrow(laneOf(h), `${packet()} (VXLAN encap)`);
        const m = OUTER.exec(h.action);
        outer = m ? `UDP ${m[1]} → ${m[2]} VXLAN VNI ${m[3]}` : 'VXLAN';
        break;
      }
      case 'decap':
        arrow(laneOf(h), `${packet()} (VXLAN decap)`);
        outer = undefined;
        break;
      case 'wire': {
        const next = hops[i + 1];
        arrow(next ? laneOf(next) : cur, outer ? `${outer} [inner ${src} → ${dst}]` : packet());
        break;
      }
      case 'netfilter': {
        const nat = NAT_ACTION.exec(h.action);
        if (nat) {
          if (nat[2] === 'destination') dst = nat[4] as string;
          else src = nat[4] as string;
        }
        if (QUIET_NETFILTER.test(h.action)) break;
        const lines = [h.action];
        if (h.rule) lines.push(`${h.table ?? ''} ${h.chain ?? ''}: ${shortRule(h.rule)}`.trim());
        out.push({ kind: 'note', over: laneOf(h), lines });
        break;
      }
      case 'gateway':
      case 'conntrack':
        out.push({ kind: 'note', over: laneOf(h), lines: [h.action] });
        break;
      case 'arp':
        if (/MetalLB/.test(h.action)) out.push({ kind: 'note', over: laneOf(h), lines: [h.action] });
        break;
      case 'deliver':
        out.push({ kind: 'note', over: laneOf(h), lines: [`✓ ${h.action}`] });
        break;
      case 'drop':
      case 'reject':
        stopped = true;
        out.push({ kind: 'note', over: laneOf(h), lines: [`✗ ${h.kind === 'drop' ? 'dropped' : 'REJECT'}${r.reason ? ` (${r.reason})` : ''}`, h.action] });
        break;
      default:
        break;
    }
  });
  const last = laneOf(hops[hops.length - 1] as Hop);
  if (r.verdict !== 'delivered' && !stopped) {
    out.push({ kind: 'note', over: last, lines: [`✗ ${r.verdict}${r.reason ? ` (${r.reason})` : ''}`] });
  }
  // NetworkPolicy's decisions (or, on Flannel, the policies that would have denied it), as in the text trace.
  if (r.policy) out.push({ kind: 'note', over: last, lines: policyLines(r.policy) });
  if (r.icmpError) out.push({ kind: 'arrow', from: last, to: sender, text: `ICMP ${r.icmpError.type} from ${r.icmpError.from}`, style: 'error' });
  if (r.http) {
    const h = r.http;
    const lines = [`HTTP GET http://${h.request.host}${h.request.path}${h.status !== undefined ? ` → ${h.status}` : ' → no HTTP reply'}`];
    if (h.ingress) lines.push(`ingress: ${h.ingress.reason}`);
    if (h.ingress?.upstream) lines.push(`proxies to ${h.ingress.upstream}`);
    out.push({ kind: 'note', over: last, lines });
    if (h.upstream) traceEvents(h.upstream, lanes, out);
  }
  if (r.verdict === 'delivered' && r.reply) {
    out.push({ kind: 'arrow', from: last, to: sender, text: `reply ${proto} ${endpoint(r.reply.src)} → ${endpoint(r.reply.dst)}`, style: 'reply' });
  }
}

const isOutcomes = (input: TraceResult | readonly TraceOutcome[]): input is readonly TraceOutcome[] => Array.isArray(input);

/** Probability as a short decimal: 0.5, 0.3333, 1. */
const prob = (p: number): string => String(Number(p.toFixed(4)));

/** The diagram of one trace, or of traceAll's outcomes (most likely first, one `alt` branch each). */
export function traceModel(input: TraceResult | readonly TraceOutcome[]): DiagramModel {
  const lanes = new Lanes();
  const events: DiagramEvent[] = [];
  const first = isOutcomes(input) ? input[0]?.result : input;
  const title = first ? `trace ${first.proto.toUpperCase()} ${endpoint(first.packet.src)} → ${endpoint(first.packet.dst)}` : 'trace (no outcome)';
  if (isOutcomes(input)) {
    const sorted = [...input].sort((a, b) => b.probability - a.probability);
    sorted.forEach((o, i) => {
      events.push({
        kind: i === 0 ? 'alt' : 'else',
        text: `p=${prob(o.probability)} → ${o.result.verdict === 'delivered' ? whereTo(o.result) : `${o.result.verdict} (${whereTo(o.result)})`}`,
      });
      traceEvents(o.result, lanes, events);
    });
    if (sorted.length > 0) events.push({ kind: 'end' });
  } else {
    traceEvents(input, lanes, events);
  }
  return { title, lanes: lanes.list, events };
}
