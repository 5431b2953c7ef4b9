// Netfilter (iptables, legacy or nft backend — same rule language) as plain data.
//
//            PREROUTING ──► routing ──► FORWARD ──► POSTROUTING ──► out
//            (raw,mangle,nat)   │       (mangle,filter)  (mangle,nat)
//                               ▼                            ▲
//                             INPUT                        OUTPUT
//                        (mangle,filter,nat)   local   (raw,mangle,nat,filter)
//                               └──────► process ──────────┘
//
// A table is a list of chains; a chain is an ordered list of rules; a rule is
// `matches[] + target`. Built-in chains have a policy, user chains return at their end.
// The nat table is consulted only for a connection's first packet (conntrack NEW).

export type TableName = 'raw' | 'mangle' | 'nat' | 'filter';
export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** Tables in the order the kernel runs them at each hook (priorities raw < mangle < nat(DNAT) < filter < nat(SNAT)). */
export const HOOK_TABLES: Record<Hook, TableName[]> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'nat'],
  FORWARD: ['mangle', 'filter'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter'],
  POSTROUTING: ['mangle', 'nat'],
};

/** The built-in chains of each table, in the order iptables-save lists them. */
export const BUILTIN_CHAINS: Record<TableName, Hook[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export type L4Proto = 'tcp' | 'udp' | 'sctp' | 'icmp';

/** An IPv4 network as numbers (a single address is prefixLen 32). */
export interface Net {
  ip: number;
  prefixLen: number;
}

/**
 * Matches, each a small record. Field names follow the iptables option they render to.
 * `invert` is the `!` before the option.
 */
export type Match =
  | { m: 'src'; net: Net; invert?: boolean }
  | { m: 'dst'; net: Net; invert?: boolean }
  | { m: 'in'; iface: string; invert?: boolean }
  | { m: 'out'; iface: string; invert?: boolean }
  /** `-p`: a transport protocol, or IP-in-IP (`ipencap`, which no traced packet is). */
  | { m: 'proto'; proto: L4Proto | 'ipencap'; invert?: boolean }
  /** `-m tcp|udp|sctp --dport N` (and --sport); the module name is the protocol's. */
  | { m: 'port'; proto: 'tcp' | 'udp' | 'sctp'; dport?: number; sport?: number; invert?: boolean }
  | { m: 'comment'; comment: string }
  | { m: 'mark'; value: number; mask: number; invert?: boolean }
  | { m: 'addrtype'; srcType?: 'LOCAL'; dstType?: 'LOCAL'; invertSrc?: boolean; invertDst?: boolean; limitIfaceOut?: boolean }
  | { m: 'conntrack'; ctstate: ('NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'DNAT' | 'SNAT')[]; invert?: boolean }
  | { m: 'statistic'; probability: number }
  /** `-m multiport --destination-ports 80,8080:8090` (the module takes -p's protocol). */
  | { m: 'multiport'; dports: readonly (number | readonly [number, number])[]; invert?: boolean }
  /**
   * `-m set --match-set NAME src` (or `dst`, or `dst,dst` for a hash:ip,port set): the packet's
   * address (and port) is a member of the ipset NAME.
   */
  | { m: 'set'; set: string; dir: 'src' | 'dst' | 'dst,dst'; invert?: boolean }
  | { m: 'recent'; name: string; mask: string; op: 'set' | 'rcheck'; seconds?: number; reap?: boolean; rsource: true };

export type Target =
  /** No `-j`: the rule only counts packets (kube-proxy's last KUBE-FW rule, a comment). */
  | { t: 'none' }
  | { t: 'ACCEPT' }
  | { t: 'DROP' }
  | { t: 'RETURN' }
  | { t: 'REJECT'; with?: 'icmp-port-unreachable' | 'icmp-host-unreachable' | 'icmp-net-unreachable' | 'tcp-reset' }
  | { t: 'jump'; chain: string }
  | { t: 'goto'; chain: string }
  | { t: 'MARK'; op: 'or' | 'xor' | 'set'; value: number; mask?: number }
  | { t: 'MASQUERADE'; randomFully?: boolean; toPorts?: string }
  | { t: 'SNAT'; to: string; randomFully?: boolean }
  | { t: 'DNAT'; to: string };

/**
 * What a NetworkPolicy rule of an enforcing plugin decides when it matches: `allow` by rule `rule`
 * of the policy (the owner's namespace/name), or `deny` at a workload endpoint (`pod`) because no
 * selecting policy allowed it. `direction` is the policy's: ingress at the destination pod,
 * egress at the source pod.
 */
export interface PolicyVerdictMark {
  verdict: 'allow' | 'deny';
  direction: 'ingress' | 'egress';
  /** namespace/name of the workload endpoint's pod (on its deny rules; policy chains are shared). */
  pod?: string;
  /** Index into spec.ingress / spec.egress of the allowing policy. */
  rule?: number;
}

export interface Rule {
  matches: Match[];
  target: Target;
  /** What put it there (flanneld, kube-proxy, portmap), and the Kubernetes object behind it, for traces. */
  owner?: { by: string; kind?: string; namespace?: string; name?: string; endpoint?: string; policy?: PolicyVerdictMark };
}

export interface Chain {
  name: string;
  /** Built-in chains have a policy; user-defined chains have none ('-'). */
  policy?: 'ACCEPT' | 'DROP';
  rules: Rule[];
}

export interface Table {
  name: TableName;
  /** Chains in the order iptables-save prints their declarations (built-ins first, in kernel order). */
  chains: Chain[];
}

/** A node's whole ruleset: what `iptables-save` dumps. */
export interface Ruleset {
  tables: Table[];
  /** The ipsets `-m set` rules name (what `ipset list` shows), by name. */
  ipsets?: ReadonlyMap<string, IpSet>;
}

/**
 * An ipset. hash:net holds networks (a /32 per address); hash:ip,port holds address, protocol
 * and port triples, keyed as `ipPortKey` makes them.
 */
export interface IpSet {
  name: string;
  type: 'hash:net' | 'hash:ip,port';
  /** hash:net members of prefix 32, as numbers (the fast membership test). */
  addresses: ReadonlySet<number>;
  /** hash:net members shorter than /32. */
  nets: readonly Net[];
  /** hash:ip,port members. */
  ipPorts: ReadonlySet<number>;
}

const PROTO_CODE: Record<L4Proto, number> = { tcp: 6, udp: 17, sctp: 132, icmp: 1 };

/** A hash:ip,port member as one number: ip × 2^24 + protocol × 2^16 + port (below 2^53). */
export function ipPortKey(ip: number, proto: L4Proto, port: number): number {
  return ip * 0x1000000 + PROTO_CODE[proto] * 0x10000 + port;
}

/** The member an `ipPortKey` stands for. */
export function ipPortOfKey(key: number): { ip: number; proto: L4Proto; port: number } {
  const code = Math.floor(key / 0x10000) % 0x100;
  const proto = (Object.keys(PROTO_CODE) as L4Proto[]).find((p) => PROTO_CODE[p] === code) ?? 'tcp';
  return { ip: Math.floor(key / 0x1000000), proto, port: key % 0x10000 };
}
