// Human-readable trace: one line per hop, then the verdict.

import type { PolicyName, TracePolicy, TraceResult } from '../../packet/types.js';

const named = (p: PolicyName) => `${p.namespace}/${p.name}`;

/**
 * NetworkPolicy's lines: each decision of an enforcing CNI (the policy and rule that allowed a
 * direction, or the policies that selected the pod without allowing it), or, on plain Flannel,
 * the policies that would have denied the delivery.
 */
export function policyLines(p: TracePolicy): string[] {
  if (!p.enforced) return [`policy: not enforced: NetworkPolicy ${p.wouldDeny.map(named).join(', ')} would deny this (the cluster's CNI, flannel, ignores NetworkPolicy)`];
  const lines = (p.decisions ?? []).map((d) => {
    const where = `${d.direction} at pod ${d.pod}`;
    if (d.verdict === 'allow') return `policy: ${where} allowed by NetworkPolicy ${named(d.policy!)} rule ${d.rule} (spec.${d.direction}[${d.rule}], ${d.chain})`;
    const names = d.selectedBy.map(named).join(', ');
    return `policy: ${where} denied: selected by NetworkPolicy ${names}, and no rule of ${d.selectedBy.length > 1 ? 'them' : 'it'} allows it (${d.chain}: end of tier default)`;
  });
  if (p.note) lines.push(`policy: note: ${p.note}`);
  return lines;
}

export function formatTrace(r: TraceResult): string {
  const lines: string[] = [];
  const dst = r.packet.dst.port !== undefined ? `${r.packet.dst.ip}:${r.packet.dst.port}` : r.packet.dst.ip;
  const src = r.packet.src.port !== undefined ? `${r.packet.src.ip}:${r.packet.src.port}` : r.packet.src.ip;
  lines.push(`${r.proto.toUpperCase()} ${src} → ${dst}`);
  r.hops.forEach((h, i) => {
    const where = `${h.at.node}${h.at.pod ? ` pod/${h.at.pod}` : ''}${h.at.iface ? ` ${h.at.iface}` : ''}`;
    lines.push(`${String(i + 1).padStart(3)}  ${h.kind.padEnd(8)} ${where}: ${h.action}`);
    if (h.entry) lines.push(`${' '.repeat(14)}[${h.table ? `${h.table}: ` : ''}${h.entry}]`);
    if (h.rule) lines.push(`${' '.repeat(14)}[${h.table} ${h.chain}: ${h.rule}]`);
  });
  if (r.verdict === 'delivered' && r.to) {
    const who = r.to.pod ? `pod ${r.to.pod}` : r.to.node ? `node ${r.to.node}` : `${r.to.host} on the internet`;
    const at = r.to.port !== undefined ? `${r.to.ip}:${r.to.port}` : r.to.ip;
    const seen = r.source ? (r.source.port !== undefined ? `${r.source.ip}:${r.source.port}` : r.source.ip) : '';
    lines.push(`verdict: delivered to ${who} at ${at}; the receiver sees the packet from ${seen}`);
  } else {
    lines.push(`verdict: ${r.verdict}${r.reason ? ` (${r.reason})` : ''}`);
  }
  if (r.policy) lines.push(...policyLines(r.policy));
  if (r.http) {
    lines.push(`HTTP GET http://${r.http.request.host}${r.http.request.path}${r.http.status !== undefined ? ` → ${r.http.status}` : ' → no HTTP reply'}`);
    if (r.http.ingress) {
      lines.push(`ingress: ${r.http.ingress.reason}`);
      if (r.http.ingress.upstream)
        lines.push(
          `ingress: proxies to ${r.http.ingress.upstream} with ${Object.entries(r.http.ingress.headers)
            .filter(([k]) => k !== 'X-Request-ID')
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')}`,
        );
    }
    if (r.http.upstream)
      lines.push(
        'second leg (the controller to the backend):',
        ...formatTrace(r.http.upstream)
          .trimEnd()
          .split('\n')
          .map((l) => `  ${l}`),
      );
  }
  return `${lines.join('\n')}\n`;
}

/** Every outcome of a trace with random choices (`netsim trace --all`), most likely first. */
export function formatOutcomes(outcomes: readonly { probability: number; result: TraceResult }[]): string {
  const sorted = [...outcomes].sort((a, b) => b.probability - a.probability);
  return sorted
    .map((o, i) => {
      const r = o.result;
      const where = r.to ? (r.to.pod ? `pod ${r.to.pod}` : r.to.node ? `node ${r.to.node}` : r.to.host) : '';
      const head = `=== outcome ${i + 1} of ${sorted.length}: probability ${o.probability.toFixed(4)} — ${r.verdict}${where ? ` to ${where}` : r.reason ? ` (${r.reason})` : ''}`;
      return `${head}\n${formatTrace(r)}`;
    })
    .join('\n');
}
