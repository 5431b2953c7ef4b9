// The host-local IPAM plugin, as containernetworking/plugins does it for one range:
// rangeStart = network+1, rangeEnd = broadcast−1, the gateway (.1, cni0) is never handed out,
// and allocation is round-robin: it starts after last_reserved_ip and wraps, so a released
// address is only reused once the iterator comes round to it again.

import type { HostLocalIpam } from '../state/node-agent.js';
import { addressIndex, hostRange, nthAddress, parseCidr, rangeText, type AddressRange } from '../net/cidr.js';

export class IpamExhaustedError extends Error {}

export interface IpamRange {
  /** rangeStart..rangeEnd: the subnet without its network and broadcast addresses. */
  range: AddressRange;
  gateway: number;
}

export function rangeOf(subnet: string): IpamRange {
  const range = hostRange(parseCidr(subnet));
  return { range, gateway: range.first };
}

/** Allocate the next address; mutates `ipam` (call inside an immer draft). */
export function allocate(ipam: HostLocalIpam, containerId: string): number {
  const { range, gateway } = rangeOf(ipam.subnet);
  const size = range.size;
  const last = ipam.lastReserved;
  // Start just after the last reservation if it lies in the range, else at rangeStart.
  let offset = last !== undefined ? addressIndex(range, last) + 1 : 0;
  for (let i = 0; i < size; i++, offset++) {
    const ip = nthAddress(range, offset % size);
    if (ip === gateway) continue;
    if (ipam.allocated[String(ip)] !== undefined) continue;
    ipam.allocated[String(ip)] = containerId;
    ipam.lastReserved = ip;
    return ip;
  }
  throw new IpamExhaustedError(`failed to allocate for range 0: no IP addresses available in range set: ${rangeText(range)}`);
}

/** Release by IP (CNI DEL); unknown addresses are ignored, as the plugin does. */
export function release(ipam: HostLocalIpam, ip: number): void {
  delete ipam.allocated[String(ip)];
}
