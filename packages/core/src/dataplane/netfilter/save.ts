// Rule → `iptables-save` text, and the small formatters the `iptables -L` view shares; output
// checked against iptables 1.8.9 (see ruleSpec).

import { ipToString, networkOf } from '../../net/ipv4.js';
import type { Chain, L4Proto, Match, Net, Rule, TableName, Target } from '../../net/netfilter.js';
import { BUILTIN_CHAINS } from '../../net/netfilter.js';
import { U32, ctstates, formatProbability, hex, markTargetPair, normalizeDotted, normalizeNatRange, normalizePortRange, splitMatches } from './normalise.js';

/** Protocol numbers, as `iptables -L -n` prints them in the prot column. */
export const PROTO_NUMBERS: Record<L4Proto | 'ipencap', number> = { icmp: 1, ipencap: 4, tcp: 6, udp: 17, sctp: 132 };

// ---------------------------------------------------------------------------------------------
// Small formatters shared with the -L view

/** The network as iptables-save prints it: network address (host bits cleared) and prefix. */
export function netToString(net: Net): string {
  return `${ipToString(networkOf(net.ip, net.prefixLen))}/${net.prefixLen}`;
}

/** The network as `iptables -L -n` prints it: no suffix for a /32. */
export function netToListString(net: Net): string {
  const addr = ipToString(networkOf(net.ip, net.prefixLen));
  return net.prefixLen === 32 ? addr : `${addr}/${net.prefixLen}`;
}

/** Save-form quoting of a string argument (xtables_save_string). */
export function saveString(s: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(s)) return s;
  return `"${s.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/** `0x%x` plus `/0x%x` unless the mask is all ones (libxt_mark print_mark). */
export function markValue(value: number, mask: number): string {
  return mask >>> 0 === U32 ? hex(value) : `${hex(value)}/${hex(mask)}`;
}

// ---------------------------------------------------------------------------------------------
// Rule → iptables-save text

function bang(invert: boolean | undefined): string {
  return invert ? '! ' : '';
}

function saveModule(m: Match): string {
  switch (m.m) {
    case 'port': {
      let s = `-m ${m.proto}`;
      if (m.sport !== undefined) s += ` ${bang(m.invert)}--sport ${m.sport}`;
      if (m.dport !== undefined) s += ` ${bang(m.invert)}--dport ${m.dport}`;
      return s;
    }
    case 'comment':
      return `-m comment --comment ${saveString(m.comment)}`;
    case 'mark':
      return `-m mark ${bang(m.invert)}--mark ${markValue(m.value, m.mask)}`;
    case 'addrtype': {
      let s = '-m addrtype';
      if (m.srcType) s += ` ${bang(m.invertSrc)}--src-type ${m.srcType}`;
      if (m.dstType) s += ` ${bang(m.invertDst)}--dst-type ${m.dstType}`;
      if (m.limitIfaceOut) s += ' --limit-iface-out';
      return s;
    }
    case 'conntrack':
      return `-m conntrack ${bang(m.invert)}--ctstate ${ctstates(m.ctstate).join(',')}`;
    case 'statistic':
      return `-m statistic --mode random --probability ${formatProbability(m.probability)}`;
    case 'multiport':
      return `-m multiport ${bang(m.invert)}--dports ${m.dports.map((x) => (typeof x === 'number' ? x : `${x[0]}:${x[1]}`)).join(',')}`;
    case 'set':
      return `-m set ${bang(m.invert)}--match-set ${m.set} ${m.dir}`;
    case 'recent': {
      let s = `-m recent --${m.op}`;
      if (m.seconds) s += ` --seconds ${m.seconds}`;
      if (m.reap) s += ' --reap';
      return `${s} --name ${m.name} --mask ${normalizeDotted(m.mask)} --rsource`;
    }
    default:
      throw new Error(`not a module match: ${m.m}`);
  }
}

function saveTarget(t: Target): string {
  switch (t.t) {
    case 'none':
      return '';
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return `-j ${t.t}`;
    case 'jump':
      return `-j ${t.chain}`;
    case 'goto':
      return `-g ${t.chain}`;
    case 'REJECT':
      return `-j REJECT --reject-with ${t.with ?? 'icmp-port-unreachable'}`;
    case 'MARK': {
      const { mark, mask } = markTargetPair(t);
      return `-j MARK --set-xmark ${hex(mark)}/${hex(mask)}`;
    }
    case 'MASQUERADE': {
      let s = '-j MASQUERADE';
      if (t.toPorts !== undefined) s += ` --to-ports ${normalizePortRange(t.toPorts)}`;
      if (t.randomFully) s += ' --random-fully';
      return s;
    }
    case 'SNAT':
      return `-j SNAT --to-source ${normalizeNatRange(t.to, '--to-source')}${t.randomFully ? ' --random-fully' : ''}`;
    case 'DNAT':
      return `-j DNAT --to-destination ${normalizeNatRange(t.to, '--to-destination')}`;
  }
}

/**
 * The rule exactly as `iptables-save` prints it: `-A CHAIN …`.
 *
 * Verified against iptables 1.8.9 (nf_tables and legacy backends print rules identically) by
 * loading rules with iptables-restore in a throwaway netns and reading them back:
 *  - the IP header part comes first and in a fixed order whatever the input order:
 *    `-s`, `-d`, `-i`, `-o`, `-p`; then each `-m` module in rule order; then `-j`/`-g`.
 *  - addresses always carry a prefix (`/32`); host bits are cleared (`-s 10.244.1.5/16` saves as
 *    `10.244.0.0/16`); a /0 that is not inverted is dropped.
 *  - `!` precedes the option (`! -s X`, `-m mark ! --mark X`, `-m tcp ! --dport 80`).
 *  - comments are quoted unless made only of [A-Za-z0-9_-]; `"`, `\` and `'` are backslashed.
 *  - statistic probabilities are stored as round(p * 2^31) and printed `%.11f` of that.
 *  - MARK always saves as `--set-xmark value/mask`; REJECT always names its `--reject-with`.
 */
export function ruleSpec(chain: string, rule: Rule): string {
  const { ip, modules } = splitMatches(rule);
  const parts = [`-A ${chain}`];
  for (const [m, flag] of [
    [ip.src, '-s'],
    [ip.dst, '-d'],
  ] as const) {
    // save_ipv4_addr skips an all-zero, non-inverted address.
    if (m && (m.net.prefixLen > 0 || m.invert)) parts.push(`${bang(m.invert)}${flag} ${netToString(m.net)}`);
  }
  if (ip.in) parts.push(`${bang(ip.in.invert)}-i ${ip.in.iface}`);
  if (ip.out) parts.push(`${bang(ip.out.invert)}-o ${ip.out.iface}`);
  if (ip.proto) parts.push(`${bang(ip.proto.invert)}-p ${ip.proto.proto}`);
  for (const m of modules) parts.push(saveModule(m));
  const target = saveTarget(rule.target);
  if (target) parts.push(target);
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Chain order

/** Built-in chains of each table, including `security`, which the model does not hold. */
export const SAVE_BUILTINS: Record<TableName | 'security', readonly string[]> = { ...BUILTIN_CHAINS, security: ['INPUT', 'FORWARD', 'OUTPUT'] };

/**
 * The chains as iptables-save and `iptables -L` list them (same on nf_tables and legacy): every
 * built-in chain of the table in kernel hook order (missing ones with policy ACCEPT, as the tools
 * show them), then user chains sorted by strcmp of their names, whatever their creation order.
 */
export function chainsInSaveOrder(table: { name: TableName | 'security'; chains: Chain[] }): Chain[] {
  const builtins = SAVE_BUILTINS[table.name];
  const byName = new Map(table.chains.map((c) => [c.name, c] as const));
  const out: Chain[] = builtins.map((n) => byName.get(n) ?? { name: n, policy: 'ACCEPT', rules: [] });
  const user = table.chains.filter((c) => !builtins.includes(c.name));
  user.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out.concat(user);
}
