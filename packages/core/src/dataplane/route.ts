// Route lookup and the text form of a route entry, shared by the packet walker (to cite the
// entry that decided a hop) and by `ip route`.

import { ipToString, prefixMask } from '../net/ipv4.js';
import type { Netns, Route } from './types.js';

/** `ip route` line for one entry (main table form; local-table entries get their type first). */
export function routeText(r: Route): string {
  const dst = r.prefixLen === 0 && r.dst === 0 ? 'default' : r.prefixLen === 32 && r.table === 'local' ? ipToString(r.dst) : `${ipToString(r.dst)}/${r.prefixLen}`;
  const parts: string[] = [];
  if (r.type !== 'unicast') parts.push(r.type);
  parts.push(dst);
  if (r.gateway !== undefined) parts.push('via', ipToString(r.gateway));
  parts.push('dev', r.dev);
  if (r.table === 'local') parts.push('table', 'local');
  if (r.proto) parts.push('proto', r.proto);
  if (r.scope && r.scope !== 'global') parts.push('scope', r.scope);
  if (r.src !== undefined) parts.push('src', ipToString(r.src));
  if (r.metric !== undefined) parts.push('metric', String(r.metric));
  if (r.onlink) parts.push('onlink');
  if (r.linkdown) parts.push('linkdown');
  return parts.join(' ');
}

function matches(r: Route, ip: number): boolean {
  return (ip & prefixMask(r.prefixLen)) >>> 0 === r.dst;
}

/** The local table first (is this address ours?), then longest-prefix match in main (the lowest metric among equals). */
export function lookupRoute(netns: Netns, ip: number): Route | undefined {
  let best: Route | undefined;
  for (const r of netns.routes) {
    if (r.table !== 'local' || r.type !== 'local') continue;
    if (matches(r, ip) && (!best || r.prefixLen > best.prefixLen)) best = r;
  }
  if (best) return best;
  for (const r of netns.routes) {
    if (r.table !== 'main') continue;
    if (matches(r, ip) && (!best || r.prefixLen > best.prefixLen || (r.prefixLen === best.prefixLen && (r.metric ?? 0) < (best.metric ?? 0)))) best = r;
  }
  return best;
}

/** Source address the kernel picks for a route: its `src`, else the egress device's first address. */
export function sourceAddress(netns: Netns, r: Route): number | undefined {
  if (r.src !== undefined) return r.src;
  const link = netns.links.find((l) => l.name === r.dev);
  return netns.addresses.find((a) => a.ifindex === link?.ifindex)?.ip;
}
