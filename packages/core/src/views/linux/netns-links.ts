// Link facts shared by the iproute2 and net-tools views: lookups in a Netns and the IPv6
// addresses the kernel derives for each link.

import type { Link, Netns } from '../../dataplane/types.js';
import { eui64LinkLocal } from '../../net/mac.js';

export const isAdminUp = (l: Link): boolean => l.flags.includes('UP');
export const hasCarrier = (l: Link): boolean => l.flags.includes('LOWER_UP');

export function linksByIfindex(netns: Netns): Link[] {
  return [...netns.links].sort((a, b) => a.ifindex - b.ifindex);
}

export interface DerivedIPv6 {
  addr: string;
  prefixLen: number;
  scope: 'host' | 'link';
}

/**
 * The IPv6 addresses the kernel would show for a link. They are not in the model: `::1/128` on
 * an up loopback, and on other links fe80::/64 + EUI-64 of the MAC, configured only once the
 * link is UP with carrier (addrconf acts on NETDEV_CHANGE), so an UP bridge with NO-CARRIER
 * (an unused docker0) has none. An all-zero MAC gets none either.
 */
export function derivedIPv6(link: Link): DerivedIPv6[] {
  if (!isAdminUp(link)) return [];
  if (link.kind === 'loopback') return [{ addr: '::1', prefixLen: 128, scope: 'host' }];
  if (!hasCarrier(link) || /^(00:){5}00$/.test(link.mac)) return [];
  return [{ addr: eui64LinkLocal(link.mac), prefixLen: 64, scope: 'link' }];
}
