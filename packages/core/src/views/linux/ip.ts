// iproute2 views of one network namespace: `ip addr`, `ip link`, `ip route`, `ip neigh`,
// `ip route get` and `bridge fdb show`.
//
// The formats were checked against iproute2 6.1 on a 6.x kernel in a throwaway namespace on
// this machine, built to mirror a flannel node (eth0, docker0, flannel.1 vxlan, cni0 bridge,
// a veth into a pod namespace). Quirks of the real output that are reproduced on purpose:
//  - `ip route`, `ip neigh` and non-permanent `bridge fdb` lines end with a trailing space, and
//    so does `inet6 … scope link ` (iproute2 prints every field as "%s ");
//  - `ip -d link` prints "promiscuity 0  allmulti 0" with two spaces, and bridge ids with
//    unpadded MAC bytes (8000.2:42:5b:1c:9a:7);
//  - IPv6 link-local addresses exist only on links that are UP with carrier (a bridge without
//    ports, like an unused docker0, has none).

import type { Address, Link, Neighbour, Netns, Route } from '../../dataplane/types.js';
import { broadcastOf, inSubnet, ipToString, networkOf, tryParseIPv4 } from '../../net/ipv4.js';
import { eui64LinkLocal, eui64LinkLocalGroups } from '../../net/mac.js';
import { ToolError } from './errors.js';
import { derivedIPv6, hasCarrier, isAdminUp, linksByIfindex } from './netns-links.js';

// ---------------------------------------------------------------------------------------------
// Shared helpers

function noSuchDevice(dev: string): ToolError {
  return new ToolError(`Device "${dev}" does not exist.`, 1);
}

function findLink(netns: Netns, dev: string): Link {
  const link = netns.links.find((l) => l.name === dev);
  if (!link) throw noSuchDevice(dev);
  return link;
}

/**
 * `name@ifN` for a veth whose peer lives in another namespace (`vethXXXX@if2` on the host,
 * `eth0@if6` in the pod); `name@peer` when the peer is in the same namespace.
 */
function displayName(netns: Netns, link: Link): string {
  if (link.peerIfindex === undefined) return link.name;
  if (link.linkNetns === undefined && link.linkNetnsId === undefined) {
    const peer = netns.links.find((l) => l.ifindex === link.peerIfindex);
    if (peer) return `${link.name}@${peer.name}`;
  }
  return `${link.name}@if${link.peerIfindex}`;
}

function addressesOf(netns: Netns, link: Link): Address[] {
  return netns.addresses.filter((a) => a.ifindex === link.ifindex);
}

function linkHeader(netns: Netns, link: Link, forLinkCmd: boolean): string {
  let s = `${link.ifindex}: ${displayName(netns, link)}: <${link.flags.join(',')}> mtu ${link.mtu} qdisc ${link.qdisc}`;
  if (link.master !== undefined) s += ` master ${link.master}`;
  s += ` state ${link.operstate}`;
  // `ip link` prints the link mode, `ip addr` does not.
  if (forLinkCmd) s += ' mode DEFAULT';
  s += ' group default';
  if (link.qlen > 0) s += ` qlen ${link.qlen}`;
  return s;
}

function linkLayerLine(link: Link): string {
  if (link.kind === 'loopback') return '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00';
  let s = `    link/ether ${link.mac} brd ff:ff:ff:ff:ff:ff`;
  if (link.linkNetns !== undefined) s += ` link-netns ${link.linkNetns}`;
  else if (link.linkNetnsId !== undefined) s += ` link-netnsid ${link.linkNetnsId}`;
  return s;
}

// ---------------------------------------------------------------------------------------------
// ip addr

export interface IpAddrOptions {
  /** `ip addr show dev X`; throws ToolError `Device "X" does not exist.` when absent. */
  dev?: string;
  /** `ip -br addr`. */
  brief?: boolean;
}

/** `ip addr` / `ip addr show dev X` / `ip -br addr`. */
export function ipAddr(netns: Netns, opts: IpAddrOptions = {}): string {
  const links = opts.dev !== undefined ? [findLink(netns, opts.dev)] : linksByIfindex(netns);
  let out = '';
  for (const link of links) {
    const v4 = addressesOf(netns, link);
    const v6 = derivedIPv6(link);
    if (opts.brief) {
      out += `${displayName(netns, link).padEnd(16)} ${link.operstate.padEnd(14)} `;
      for (const a of v4) out += `${ipToString(a.ip)}/${a.prefixLen} `;
      for (const a of v6) out += `${a.addr}/${a.prefixLen} `;
      out += '\n';
      continue;
    }
    out += `${linkHeader(netns, link, false)}\n`;
    out += `${linkLayerLine(link)}\n`;
    for (const a of v4) {
      out += `    inet ${ipToString(a.ip)}/${a.prefixLen}`;
      if (a.broadcast !== undefined) out += ` brd ${ipToString(a.broadcast)}`;
      out += ` scope ${a.scope} ${a.label}\n`;
      out += '       valid_lft forever preferred_lft forever\n';
    }
    for (const a of v6) {
      out += `    inet6 ${a.addr}/${a.prefixLen} scope ${a.scope} \n`;
      out += '       valid_lft forever preferred_lft forever\n';
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ip link

export interface IpLinkOptions {
  /** `ip link show X`. */
  dev?: string;
  /** `ip -d link`: adds the promiscuity/kind/driver-attribute lines. */
  details?: boolean;
  /** `ip -br link`. */
  brief?: boolean;
}

// Number of tx/rx queues of a veth = possible CPUs of the node; a 2-vCPU node is assumed
// (the lab VMs, and this machine, have 2).
const VETH_QUEUES = 2;

function timer(seconds: number): string {
  // iproute2 prints bridge timers as "%4i.%.2i".
  const whole = Math.floor(seconds);
  const cents = Math.round((seconds - whole) * 100);
  return `${String(whole).padStart(4)}.${String(cents).padStart(2, '0')}`;
}

/** Bridge id as iproute2 prints it: priority bytes zero-padded, MAC bytes not. */
function bridgeId(mac: string): string {
  return (
    '8000.' +
    mac
      .split(':')
      .map((b) => parseInt(b, 16).toString(16))
      .join(':')
  );
}

function tail(numQueues: number, tsoMax: number, extra = ''): string {
  return (
    `addrgenmode eui64 numtxqueues ${numQueues} numrxqueues ${numQueues} gso_max_size 65536 ` +
    `gso_max_segs 65535 tso_max_size ${tsoMax} tso_max_segs 65535 gro_max_size 65536 ${extra}`
  );
}

function bridgeDetails(link: Link, hasPorts: boolean): string {
  const id = bridgeId(link.mac);
  // gc_timer counts down between garbage-collection runs; a stable per-bridge value stands in
  // for the live one.
  const gc = ((link.ifindex * 7919) % 30000) / 100;
  return (
    `    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 ` +
    `priority 32768 vlan_filtering 0 bridge_id ${id} designated_root ${id} root_port 0 ` +
    `root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer ${timer(0)} ` +
    `tcn_timer ${timer(0)} topology_change_timer ${timer(0)} gc_timer ${timer(gc)} ` +
    `group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 ` +
    `mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 ` +
    `mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 ` +
    `mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 ` +
    `mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 ` +
    `mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 ` +
    `mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 ` +
    // A bridge's TSO limit is the minimum over its ports; with none it is the legacy 64 KiB.
    tail(1, hasPorts ? 524280 : 65536)
  );
}

/**
 * The `bridge_slave` attributes of a bridge port. Values are those of a freshly enslaved,
 * forwarding port with STP off; port_no is the port's position among the bridge's ports by
 * ifindex. hairpin is the port's flag (the bridge plugin's hairpinMode at CNI ADD; kube-flannel.yml
 * sets it true).
 * Per-port timers and counters are shown at their steady-state values.
 */
function bridgeSlaveDetails(netns: Netns, link: Link): string {
  const master = netns.links.find((l) => l.name === link.master);
  const id = bridgeId(master?.mac ?? link.mac);
  const ports = netns.links.filter((l) => l.master === link.master).sort((a, b) => a.ifindex - b.ifindex);
  const portNo = ports.findIndex((l) => l.ifindex === link.ifindex) + 1;
  const hairpin = link.hairpin ? 'on' : 'off';
  return (
    `    bridge_slave state forwarding priority 32 cost 2 hairpin ${hairpin} guard off ` +
    `root_block off fastleave off learning on flood on port_id 0x${(0x8000 + portNo).toString(16)} ` +
    `port_no 0x${portNo.toString(16)} designated_port ${0x8000 + portNo} designated_cost 0 ` +
    `designated_bridge ${id} designated_root ${id} hold_timer ${timer(0)} ` +
    `message_age_timer ${timer(0)} forward_delay_timer ${timer(0)} topology_change_ack 0 ` +
    `config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off ` +
    `mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 ` +
    `group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off `
  );
}

/** The `-d` continuation of the link/ether line plus the kind-specific lines. */
function linkDetails(netns: Netns, link: Link): string {
  const port = link.master !== undefined;
  const promisc = port ? 1 : 0;
  const [minmtu, maxmtu] = link.kind === 'loopback' ? [0, 0] : link.kind === 'device' ? [46, 16110] : [68, 65535];
  let s = ` promiscuity ${promisc}  allmulti ${promisc} minmtu ${minmtu} maxmtu ${maxmtu} `;
  switch (link.kind) {
    case 'loopback':
      return s + tail(1, 524280);
    case 'device':
      // A physical NIC carries no link kind. Driver limits and the parent bus are those of the
      // Intel PRO/1000 (e1000) that VirtualBox emulates by default (MAC prefix 08:00:27): an
      // assumption, not read from a real VM.
      return s + tail(1, 65536, 'parentbus pci parentdev 0000:00:03.0 ');
    case 'bridge': {
      const hasPorts = netns.links.some((l) => l.master === link.name);
      return `${s}\n${bridgeDetails(link, hasPorts)}`;
    }
    case 'vxlan': {
      const v = link.vxlan;
      s += '\n    vxlan';
      if (v) {
        s += ` id ${v.id} local ${ipToString(v.local)} dev ${v.dev} srcport 0 0 dstport ${v.dstport}`;
        if (!v.learning) s += ' nolearning';
        s += ' ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx';
      }
      return `${s} ${tail(1, 524280)}`;
    }
    case 'veth':
      // A bridge port prints its kind alone ("veth "), then the bridge_slave line.
      if (port) return `${s}\n    veth \n${bridgeSlaveDetails(netns, link)}${tail(VETH_QUEUES, 524280)}`;
      return `${s}\n    veth ${tail(VETH_QUEUES, 524280)}`;
  }
}

/** `ip link` / `ip link show X` / `ip -d link` / `ip -br link`. */
export function ipLink(netns: Netns, opts: IpLinkOptions = {}): string {
  const links = opts.dev !== undefined ? [findLink(netns, opts.dev)] : linksByIfindex(netns);
  let out = '';
  for (const link of links) {
    if (opts.brief) {
      const mac = link.kind === 'loopback' ? '00:00:00:00:00:00' : link.mac;
      out += `${displayName(netns, link).padEnd(16)} ${link.operstate.padEnd(14)} ${mac} <${link.flags.join(',')}> \n`;
      continue;
    }
    out += `${linkHeader(netns, link, true)}\n`;
    out += linkLayerLine(link);
    if (opts.details) out += linkDetails(netns, link);
    out += '\n';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ip route

export interface IpRouteOptions {
  /**
   * 'main' (default, `ip route`), 'local' (`ip route show table local`) or 'all'
   * (`ip route show table all`: main, then local with "table local", then the IPv6 routes the
   * kernel derives from link-local addresses, since with no table filter ip lists both families).
   */
  table?: 'main' | 'local' | 'all';
}

/**
 * Kernel dump order of an IPv4 table (fib_trie): by destination, then longer prefix first,
 * then lower metric. Checked: 10.244.0.0/25, /24 (metric 0), /24 metric 5, /16.
 */
function compareRoutes(a: Route, b: Route): number {
  return a.dst - b.dst || b.prefixLen - a.prefixLen || (a.metric ?? 0) - (b.metric ?? 0);
}

/** Scope the kernel gives a route added without one (iproute2's defaults). */
function routeScope(r: Route): 'host' | 'link' | 'global' {
  if (r.scope) return r.scope;
  if (r.type === 'local') return 'host';
  if (r.type === 'broadcast') return 'link';
  return r.gateway === undefined ? 'link' : 'global';
}

function formatRoute(netns: Netns, r: Route, showTable: boolean): string {
  let s = '';
  if (r.type !== 'unicast') s += `${r.type} `;
  if (r.prefixLen === 0 && r.type === 'unicast') s += 'default ';
  else if (r.prefixLen === 32) s += `${ipToString(r.dst)} `;
  else s += `${ipToString(r.dst)}/${r.prefixLen} `;
  if (r.gateway !== undefined) s += `via ${ipToString(r.gateway)} `;
  s += `dev ${r.dev} `;
  if (showTable && r.table !== 'main') s += `table ${r.table} `;
  if (r.proto !== undefined && r.proto !== 'boot') s += `proto ${r.proto} `;
  const scope = routeScope(r);
  if (scope !== 'global') s += `scope ${scope} `;
  if (r.src !== undefined) s += `src ${ipToString(r.src)} `;
  if (r.metric) s += `metric ${r.metric} `;
  if (r.onlink) s += 'onlink ';
  // The kernel flags routes through a device without carrier (RTNH_F_LINKDOWN) at dump time;
  // host-scope local routes are not flagged.
  const dev = netns.links.find((l) => l.name === r.dev);
  const noCarrier = dev !== undefined && isAdminUp(dev) && !hasCarrier(dev);
  if (r.linkdown === true || (noCarrier && r.type !== 'local')) s += 'linkdown ';
  return s;
}

/**
 * The local table as the kernel builds it from the addresses (fib_add_ifaddr) when the model
 * does not carry it: `local <addr>` for every address (even on a down link), and on up links
 * `local <net>` for a loopback prefix, `broadcast <brd>` for an explicit broadcast and
 * `broadcast <net|~mask>` for any prefix shorter than /31 (so lo's 127.255.255.255 appears
 * although lo's address has no brd). Checked on a bridge with addresses 10.9.9.1/24 (no brd)
 * and 10.9.8.1/29 brd 10.9.8.2, before and after `ip link set up`. Modern kernels no longer add
 * the network-address broadcast (`broadcast 10.244.1.0`) that 4.x kernels showed.
 */
function derivedLocalTable(netns: Netns): Route[] {
  const routes: Route[] = [];
  for (const a of netns.addresses) {
    const link = netns.links.find((l) => l.ifindex === a.ifindex);
    if (!link) continue;
    const base = { dev: link.name, proto: 'kernel' as const, src: a.ip, table: 'local' as const };
    routes.push({ ...base, dst: a.ip, prefixLen: 32, scope: 'host', type: 'local' });
    if (!isAdminUp(link)) continue;
    const brd = (dst: number) => {
      if (!routes.some((r) => r.type === 'broadcast' && r.dst === dst && r.dev === link.name)) {
        routes.push({ ...base, dst, prefixLen: 32, scope: 'link', type: 'broadcast' });
      }
    };
    if (a.broadcast !== undefined && a.broadcast !== 0xffffffff) brd(a.broadcast);
    const net = networkOf(a.ip, a.prefixLen);
    if (net !== 0 && (net !== a.ip || a.prefixLen < 32)) {
      if (link.kind === 'loopback') {
        routes.push({ ...base, dst: net, prefixLen: a.prefixLen, scope: 'host', type: 'local' });
      }
      if (a.prefixLen < 31) brd(broadcastOf(a.ip, a.prefixLen));
    }
  }
  return routes;
}

function localTable(netns: Netns): Route[] {
  const given = netns.routes.filter((r) => r.table === 'local');
  return (given.length > 0 ? given : derivedLocalTable(netns)).sort(compareRoutes);
}

function compareIPv6Groups(a: number[], b: number[]): number {
  for (let i = 0; i < 8; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * IPv6 routes for `table all`. Routes to the same prefix keep insertion order, i.e. the order in
 * which links got carrier. That is approximated by ifindex, except that a bridge gets carrier
 * only when its first port does (observed: eth0, flannel.1, veth…, cni0).
 */
function ipv6Routes(netns: Netns): string {
  const lls = linksByIfindex(netns)
    .filter((l) => l.kind !== 'loopback' && derivedIPv6(l).length > 0)
    .map((l) => {
      let order = l.ifindex;
      if (l.kind === 'bridge') {
        const firstPort = netns.links.filter((p) => p.master === l.name).sort((a, b) => a.ifindex - b.ifindex)[0];
        if (firstPort && firstPort.ifindex > order) order = firstPort.ifindex + 0.5;
      }
      return { link: l, order };
    })
    .sort((a, b) => a.order - b.order)
    .map((x) => x.link);
  let out = '';
  for (const l of lls) out += `fe80::/64 dev ${l.name} proto kernel metric 256 pref medium\n`;
  const lo = netns.links.find((l) => l.kind === 'loopback');
  if (lo && isAdminUp(lo)) out += `local ::1 dev ${lo.name} table local proto kernel metric 0 pref medium\n`;
  const locals = lls.map((l) => ({ l, g: eui64LinkLocalGroups(l.mac) })).sort((a, b) => compareIPv6Groups(a.g, b.g));
  for (const { l } of locals) {
    out += `local ${eui64LinkLocal(l.mac)} dev ${l.name} table local proto kernel metric 0 pref medium\n`;
  }
  for (const l of lls) out += `multicast ff00::/8 dev ${l.name} table local proto kernel metric 256 pref medium\n`;
  return out;
}

/** `ip route` (main), `ip route show table local`, `ip route show table all`. */
export function ipRoute(netns: Netns, opts: IpRouteOptions = {}): string {
  const table = opts.table ?? 'main';
  const main = netns.routes.filter((r) => r.table === 'main').sort(compareRoutes);
  if (table === 'main') return main.map((r) => `${formatRoute(netns, r, false)}\n`).join('');
  if (table === 'local')
    return localTable(netns)
      .map((r) => `${formatRoute(netns, r, false)}\n`)
      .join('');
  return (
    main.map((r) => `${formatRoute(netns, r, true)}\n`).join('') +
    localTable(netns)
      .map((r) => `${formatRoute(netns, r, true)}\n`)
      .join('') +
    ipv6Routes(netns)
  );
}

// ---------------------------------------------------------------------------------------------
// ip route get

/**
 * Source address selection (inet_select_addr): the first address on the output device whose
 * subnet holds `toward` (the gateway, else the destination), else the device's first
 * non-host-scope address, else the first global address of any other up link.
 */
function selectSource(netns: Netns, dev: Link, toward: number): number | undefined {
  const own = netns.addresses.filter((a) => a.ifindex === dev.ifindex && a.scope !== 'host');
  const same = own.find((a) => inSubnet(toward, a.ip, a.prefixLen));
  if (same) return same.ip;
  if (own[0]) return own[0].ip;
  for (const l of linksByIfindex(netns)) {
    if (!isAdminUp(l)) continue;
    const a = netns.addresses.find((x) => x.ifindex === l.ifindex && x.scope === 'global');
    if (a) return a.ip;
  }
  return undefined;
}

/**
 * `ip route get <dst>` (as root, so "uid 0"). Local and broadcast destinations are answered
 * from the addresses, others by longest-prefix match on the main table (lowest metric wins a
 * tie). Throws ToolError like ip for a bad address or no route.
 */
export function ipRouteGet(netns: Netns, dst: number | string): string {
  let d: number;
  if (typeof dst === 'number') d = dst >>> 0;
  else {
    const parsed = tryParseIPv4(dst);
    if (parsed === undefined) throw new ToolError(`Error: any valid prefix is expected rather than "${dst}".`, 1);
    d = parsed;
  }
  const dstText = ipToString(d);
  const lo = netns.links.find((l) => l.kind === 'loopback');
  const loName = lo?.name ?? 'lo';

  for (const a of netns.addresses) {
    const link = netns.links.find((l) => l.ifindex === a.ifindex);
    if (!link || !isAdminUp(link)) continue;
    const loopbackNet = link.kind === 'loopback' && inSubnet(d, a.ip, a.prefixLen);
    if (a.ip === d || loopbackNet) {
      const src = a.ip === d ? d : a.ip;
      return `local ${dstText} dev ${loName} src ${ipToString(src)} uid 0 \n    cache <local> \n`;
    }
  }
  for (const a of netns.addresses) {
    const link = netns.links.find((l) => l.ifindex === a.ifindex);
    if (!link || !isAdminUp(link) || a.broadcast === undefined || a.broadcast !== d) continue;
    return `broadcast ${dstText} dev ${link.name} src ${ipToString(a.ip)} uid 0 \n    cache <local,brd> \n`;
  }

  let best: Route | undefined;
  for (const r of netns.routes) {
    if (r.table !== 'main' || r.type !== 'unicast') continue;
    if (!inSubnet(d, r.dst, r.prefixLen)) continue;
    if (!best || r.prefixLen > best.prefixLen || (r.prefixLen === best.prefixLen && (r.metric ?? 0) < (best.metric ?? 0))) {
      best = r;
    }
  }
  const dev = best && netns.links.find((l) => l.name === best.dev);
  if (!best || !dev) throw new ToolError('RTNETLINK answers: Network is unreachable', 2);
  const src = best.src ?? selectSource(netns, dev, best.gateway ?? d);
  let s = `${dstText} `;
  if (best.gateway !== undefined) s += `via ${ipToString(best.gateway)} `;
  s += `dev ${dev.name} `;
  if (src !== undefined) s += `src ${ipToString(src)} `;
  return `${s}uid 0 \n    cache \n`;
}

// ---------------------------------------------------------------------------------------------
// ip neigh, bridge fdb

export interface IpNeighOptions {
  /** `ip neigh show dev X`: only that device, and the "dev X" field is dropped. */
  dev?: string;
}

/** `ip neigh` (IPv4 entries, in the model's order: the kernel's is hash order). */
export function ipNeigh(netns: Netns, opts: IpNeighOptions = {}): string {
  let list: Neighbour[] = netns.neighbours;
  if (opts.dev !== undefined) {
    findLink(netns, opts.dev);
    list = list.filter((n) => n.dev === opts.dev);
  }
  let out = '';
  for (const n of list) {
    out += `${ipToString(n.ip)} `;
    if (opts.dev === undefined) out += `dev ${n.dev} `;
    if (n.lladdr !== undefined) out += `lladdr ${n.lladdr} `;
    out += `${n.state} \n`;
  }
  return out;
}

/**
 * `bridge fdb show`: "MAC dev D [dst IP] [vlan N] [self] [master BR] [permanent]". The state
 * field is printed last as "%s\n", so learned (non-permanent) entries end in a trailing space.
 */
export function bridgeFdb(netns: Netns): string {
  let out = '';
  for (const e of netns.fdb) {
    out += `${e.mac} dev ${e.dev} `;
    if (e.dst !== undefined) out += `dst ${ipToString(e.dst)} `;
    if (e.vlan !== undefined) out += `vlan ${e.vlan} `;
    if (e.self) out += 'self ';
    if (e.master !== undefined) out += `master ${e.master} `;
    out += e.permanent ? 'permanent\n' : '\n';
  }
  return out;
}
