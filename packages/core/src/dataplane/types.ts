// The network model of one network namespace (a node's root netns or a pod's netns), as the
// kernel would report it through netlink. Derived from ClusterState on demand; never stored.
// IPv4 addresses are uint32 numbers (see ../net/ipv4.ts); text forms are for views only.

export type LinkKind = 'loopback' | 'device' | 'bridge' | 'veth' | 'vxlan';

export interface Link {
  ifindex: number;
  name: string;
  kind: LinkKind;
  /** "aa:bb:cc:dd:ee:ff" */
  mac: string;
  mtu: number;
  /** Flags in the order `ip link` prints them, e.g. ['BROADCAST','MULTICAST','UP','LOWER_UP']. */
  flags: string[];
  /** Operational state as `ip link` prints it: UP, DOWN, UNKNOWN. */
  operstate: 'UP' | 'DOWN' | 'UNKNOWN';
  qdisc: 'noqueue' | 'fq_codel' | 'mq';
  /** txqueuelen; `ip` omits `qlen` when 0. */
  qlen: number;
  /** Bridge port: name of the master bridge. */
  master?: string;
  /**
   * Bridge port: the hairpin flag (BR_HAIRPIN_MODE). Without it the bridge never sends a frame
   * back out of the port it came in on (br_forward.c, should_deliver).
   */
  hairpin?: boolean;
  /** veth: the peer's ifindex in the other namespace (`@ifN`). */
  peerIfindex?: number;
  /** veth: the other namespace, as `ip` shows it (`link-netns cni-…` on the host, `link-netnsid 0` in a pod). */
  linkNetns?: string;
  linkNetnsId?: number;
  /** vxlan details for `ip -d link`. */
  vxlan?: { id: number; local: number; dev: string; dstport: number; learning: boolean };
  /** Counters for ifconfig / ip -s (simulated traffic is not counted; kept at stable values). */
  stats: { rxPackets: number; rxBytes: number; txPackets: number; txBytes: number };
}

export interface Address {
  ifindex: number;
  /** uint32 */
  ip: number;
  prefixLen: number;
  /** Broadcast address (uint32), absent for /32 and loopback. */
  broadcast?: number;
  scope: 'host' | 'link' | 'global';
  /** Label printed at the end of the `inet` line: the interface name. */
  label: string;
}

export interface Route {
  /** Destination network (uint32) and prefix; 0/0 is `default`. */
  dst: number;
  prefixLen: number;
  gateway?: number;
  dev: string;
  proto?: 'kernel' | 'static' | 'boot' | 'dhcp';
  scope?: 'link' | 'host' | 'global';
  src?: number;
  onlink?: boolean;
  linkdown?: boolean;
  metric?: number;
  /** Routing table: 'main' or 'local'. */
  table: 'main' | 'local';
  /** local/broadcast route types in the local table. */
  type: 'unicast' | 'local' | 'broadcast';
}

export interface Neighbour {
  ip: number;
  dev: string;
  lladdr?: string;
  state: 'PERMANENT' | 'REACHABLE' | 'STALE' | 'FAILED' | 'INCOMPLETE';
}

export interface FdbEntry {
  mac: string;
  dev: string;
  master?: string;
  dst?: number;
  self?: boolean;
  permanent?: boolean;
  vlan?: number;
}

/** One network namespace. */
export interface Netns {
  /** 'root' for a node's root namespace, `cni-<uuid>` for a pod sandbox. */
  name: string;
  /** The node this namespace lives on. */
  node: string;
  /** Pod owning this netns ("ns/name"), absent for a node's root netns. */
  pod?: string;
  links: Link[];
  addresses: Address[];
  routes: Route[];
  neighbours: Neighbour[];
  fdb: FdbEntry[];
}
