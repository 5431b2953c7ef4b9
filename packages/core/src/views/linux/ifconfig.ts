// `ifconfig` as net-tools 2.10 prints it (lib/interface.c, ife_print_long), checked against the
// real binary in a namespace on this machine mirroring a flannel node.
//
// Things the real tool does that are reproduced here:
//  - interfaces are listed sorted by name with net-tools' nstrcmp (not in ifindex or
//    /proc/net/dev order): add_interface() keeps its list ordered as it reads /proc/net/dev;
//  - without -a only interfaces with IFF_UP are shown; `ifconfig <dev>` shows it regardless;
//  - the flags number is the SIOCGIFFLAGS value: RUNNING is derived from the operational state
//    (UP or UNKNOWN), LOWER_UP/NO-CARRIER are not part of it, and a bridge port's kernel-held
//    promiscuity does not show as PROMISC;
//  - "broadcast 0.0.0.0" is printed for a /32 on a BROADCAST link (flannel.1);
//  - only the primary IPv4 address (SIOCGIFADDR) is shown;
//  - byte counts are scaled with binary units and truncated, not rounded: "(1.4 KiB)",
//    "(0.0 B)", and the unit changes only strictly above 1024 ("(1024.0 B)");
//  - "TX errors 0  dropped 0 overruns 0" has a single space before "overruns".
// Error/drop counters are not in the model and print as 0.

import type { Link, Netns } from '../../dataplane/types.js';
import { ipToString, prefixMask } from '../../net/ipv4.js';
import { ToolError } from './errors.js';
import { derivedIPv6 } from './netns-links.js';

/** <linux/if.h> interface flags, as ifconfig prints them. */
export const IFF = {
  UP: 0x1,
  BROADCAST: 0x2,
  DEBUG: 0x4,
  LOOPBACK: 0x8,
  POINTOPOINT: 0x10,
  NOTRAILERS: 0x20,
  RUNNING: 0x40,
  NOARP: 0x80,
  PROMISC: 0x100,
  ALLMULTI: 0x200,
  MASTER: 0x400,
  SLAVE: 0x800,
  MULTICAST: 0x1000,
  PORTSEL: 0x2000,
  AUTOMEDIA: 0x4000,
  DYNAMIC: 0x8000,
} as const;

type IffName = keyof typeof IFF;

/** The order ife_print_long tests the flags in. */
const PRINT_ORDER: IffName[] = [
  'UP',
  'BROADCAST',
  'DEBUG',
  'LOOPBACK',
  'POINTOPOINT',
  'NOTRAILERS',
  'RUNNING',
  'NOARP',
  'PROMISC',
  'ALLMULTI',
  'SLAVE',
  'MASTER',
  'MULTICAST',
  'DYNAMIC',
];

/**
 * SIOCGIFFLAGS value of a link. The model holds the flags as `ip link` prints them; RUNNING
 * (IFF_RUNNING) is what the kernel reports for an up link whose operstate is UP or UNKNOWN
 * (netif_oper_up), which `ip` never prints.
 */
export function ifconfigFlags(link: Link): number {
  let flags = 0;
  for (const f of link.flags) {
    if (f === 'RUNNING') continue;
    if (Object.hasOwn(IFF, f)) flags |= IFF[f as IffName];
  }
  if (flags & IFF.UP && (link.operstate === 'UP' || link.operstate === 'UNKNOWN')) flags |= IFF.RUNNING;
  return flags;
}

/** "flags=4163<UP,BROADCAST,RUNNING,MULTICAST>", including net-tools' "flags=0<" for no flags. */
function flagsText(flags: number): string {
  let s = `flags=${flags}<`;
  if (flags === 0) s += '>';
  for (const name of PRINT_ORDER) if (flags & IFF[name]) s += `${name},`;
  // net-tools turns a trailing ',' into '>' and otherwise chops the last character.
  return s.endsWith(',') ? `${s.slice(0, -1)}>` : s.slice(0, -1);
}

/** "(1.4 KiB)"-style scaling of a byte counter, as ife_print_long does it (truncating). */
export function netToolsBytes(bytes: number): string {
  const units: [number, string][] = [
    [1125899906842624, 'PiB'],
    [1099511627776, 'TiB'],
    [1073741824, 'GiB'],
    [1048576, 'MiB'],
    [1024, 'KiB'],
  ];
  let tenths = bytes * 10;
  let unit = 'B';
  for (const [size, name] of units) {
    if (bytes > size) {
      tenths = Math.floor((bytes * 10) / size);
      unit = name;
      break;
    }
  }
  return `${Math.floor(tenths / 10)}.${tenths % 10} ${unit}`;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Split "eth0:1" into base "eth0" and alias 1 (net-tools' cutalias), if it is an alias. */
function cutAlias(name: string): [string, number | undefined] {
  const colon = name.lastIndexOf(':');
  if (colon >= 0 && colon < name.length - 1 && [...name.slice(colon + 1)].every(isDigit)) {
    return [name.slice(0, colon), parseInt(name.slice(colon + 1), 10)];
  }
  return [name, undefined];
}

/** Index just past the last non-digit (net-tools' rindex_nondigit). */
function unitIndex(name: string): number {
  let pos = name.length;
  while (pos > 0 && isDigit(name[pos - 1])) pos--;
  return pos;
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * net-tools' nstrcmp: compare the parts before the trailing unit number (only up to the shorter
 * of them; then the longer prefix sorts after), then the unit numbers numerically, then the
 * ":N" alias numbers. So eth2 < eth10, and flannel.1 < lo < veth….
 */
export function nstrcmp(x: string, y: string): number {
  const [a, aAlias] = cutAlias(x);
  const [b, bAlias] = cutAlias(y);
  const ai = unitIndex(a);
  const bi = unitIndex(b);
  const len = Math.min(ai, bi);
  const res = byteCompare(a.slice(0, len), b.slice(0, len));
  if (res !== 0) return res;
  if (ai !== bi) return ai > bi ? 1 : -1;
  const av = parseInt(a.slice(ai) || '0', 10);
  const bv = parseInt(b.slice(bi) || '0', 10);
  if (av !== bv) return av < bv ? -1 : 1;
  const aa = aAlias ?? -1;
  const ba = bAlias ?? -1;
  return aa < ba ? -1 : aa > ba ? 1 : 0;
}

const SCOPE_ID: Record<'host' | 'link' | 'global', string> = {
  host: '0x10<host>',
  link: '0x20<link>',
  global: '0x0<global>',
};

function formatLink(netns: Netns, link: Link): string {
  const flags = ifconfigFlags(link);
  let out = `${link.name}: ${flagsText(flags)}  mtu ${link.mtu}\n`;

  // SIOCGIFADDR returns the first address labelled with the interface name.
  const v4 = netns.addresses.find((a) => a.ifindex === link.ifindex && a.label === link.name);
  if (v4) {
    out += `        inet ${ipToString(v4.ip)}  netmask ${ipToString(prefixMask(v4.prefixLen))}`;
    if (flags & IFF.BROADCAST) out += `  broadcast ${ipToString(v4.broadcast ?? 0)}`;
    if (flags & IFF.POINTOPOINT) out += '  destination 0.0.0.0';
    out += '\n';
  }
  for (const a of derivedIPv6(link)) {
    out += `        inet6 ${a.addr}  prefixlen ${a.prefixLen}  scopeid ${SCOPE_ID[a.scope]}\n`;
  }
  if (link.kind === 'loopback') out += `        loop  txqueuelen ${link.qlen}  (Local Loopback)\n`;
  else out += `        ether ${link.mac}  txqueuelen ${link.qlen}  (Ethernet)\n`;

  const st = link.stats;
  out += `        RX packets ${st.rxPackets}  bytes ${st.rxBytes} (${netToolsBytes(st.rxBytes)})\n`;
  out += '        RX errors 0  dropped 0  overruns 0  frame 0\n';
  out += `        TX packets ${st.txPackets}  bytes ${st.txBytes} (${netToolsBytes(st.txBytes)})\n`;
  out += '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n';
  return `${out}\n`;
}

export interface IfconfigOptions {
  /** `ifconfig -a`: include interfaces that are down. */
  all?: boolean;
  /** `ifconfig <dev>`: that interface only, up or not. */
  dev?: string;
}

/** `ifconfig` / `ifconfig -a` / `ifconfig <dev>` (net-tools 2.10). */
export function ifconfig(netns: Netns, opts: IfconfigOptions = {}): string {
  if (opts.dev !== undefined) {
    const link = netns.links.find((l) => l.name === opts.dev);
    if (!link) throw new ToolError(`${opts.dev}: error fetching interface information: Device not found`, 1);
    return formatLink(netns, link);
  }
  return [...netns.links]
    .sort((a, b) => nstrcmp(a.name, b.name))
    .filter((l) => opts.all || ifconfigFlags(l) & IFF.UP)
    .map((l) => formatLink(netns, l))
    .join('');
}
