// The host-local IPAM plugin, as containernetworking/plugins does it for one range:
// rangeStart = network+1, rangeEnd = broadcast−1, the gateway (.1, cni0) is never handed out,
// and allocation is round-robin: it starts after last_reserved_ip and wraps, so a released
// address is only reused once the iterator comes round to it again.

import type { HostLocalIpam } from '../state/node-agent.js';
import { broadcastOf, ipToString, networkOf, parseCIDR } from '../net/ipv4.js';

export class IpamExhaustedError extends Error {}

export interface IpamRange {
  start: number;
  end: number;
  gateway: number;
}

export function rangeOf(subnet: string): IpamRange {
  const { ip, prefixLen } = parseCIDR(subnet);
  const net = networkOf(ip, prefixLen);
  return { start: (net + 1) >>> 0, end: (broadcastOf(ip, prefixLen) - 1) >>> 0, gateway: (net + 1) >>> 0 };
}

/** Allocate the next address; mutates `ipam` (call inside an immer draft). */
export function allocate(ipam: HostLocalIpam, containerId: string): number {
  const r = rangeOf(ipam.subnet);
  const size = r.end - r.start + 1;
  const last = ipam.lastReserved;
  // Start just after the last reservation if it lies in the range, else at rangeStart.
  let offset = last !== undefined && last >= r.start && last <= r.end ? last - r.start + 1 : 0;
  for (let i = 0; i < size; i++, offset++) {
    const ip = (r.start + (offset % size)) >>> 0;
    if (ip === r.gateway) continue;
    if (ipam.allocated[String(ip)] !== undefined) continue;
    ipam.allocated[String(ip)] = containerId;
    ipam.lastReserved = ip;
    return ip;
  }
  throw new IpamExhaustedError(`failed to allocate for range 0: no IP addresses available in range set: ${ipToString(r.start)}-${ipToString(r.end)}`);
}

/** Release by IP (CNI DEL); unknown addresses are ignored, as the plugin does. */
export function release(ipam: HostLocalIpam, ip: number): void {
  delete ipam.allocated[String(ip)];
}
