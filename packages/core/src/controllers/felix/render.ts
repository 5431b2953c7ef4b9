// Felix's iptables rules as data, each kept in two forms: our Match/Target model (what the walker
// runs and iptables-save prints) and Felix's own rendering (felix/iptables match_builder.go and
// actions.go), which is what Felix hashes into each rule's `cali:` comment: SHA-224 chained from
// the chain's name through every rule's `-A CHAIN HASH …` text, URL-safe base64, 16 characters
// (generictables.RuleHashes).

import { createHash } from 'node:crypto';
import type { Chain, Match, PolicyVerdictMark, Rule, Target } from '../../net/netfilter.js';
import { parseCIDR } from '../../net/ipv4.js';

/** Felix's mark bits with the default IptablesMarkMask 0xffff0000 (felix/dataplane/driver.go). */
export const MARK_ACCEPT = 0x10000;
export const MARK_PASS = 0x20000;
export const MARK_DROP = 0x40000;
export const MARK_SCRATCH0 = 0x80000;
export const MARK_SCRATCH1 = 0x100000;
export const ALL_CALICO_MARKS = MARK_ACCEPT | MARK_PASS | MARK_SCRATCH0 | MARK_SCRATCH1;

const hex = (n: number) => `0x${n.toString(16)}`;

/** One rule being built: Felix's fragments and ours, side by side. */
export class FelixRule {
  readonly felix: string[] = [];
  readonly matches: Match[] = [];
  comments: string[] = [];
  action?: { felix: string; target: Target };
  policy?: PolicyVerdictMark;
  owner?: { kind: string; namespace: string; name: string };

  comment(...c: string[]): this {
    this.comments.push(...c);
    return this;
  }
  inIface(iface: string): this {
    this.felix.push(`--in-interface ${iface}`);
    this.matches.push({ m: 'in', iface });
    return this;
  }
  outIface(iface: string): this {
    this.felix.push(`--out-interface ${iface}`);
    this.matches.push({ m: 'out', iface });
    return this;
  }
  /** `-p tcp` by name, or by number (`-p 17`) as Felix writes its own protocol rules. */
  proto(proto: 'tcp' | 'udp' | 'sctp', byNumber = false): this {
    this.felix.push(`-p ${byNumber ? { tcp: 6, udp: 17, sctp: 132 }[proto] : proto}`);
    this.matches.push({ m: 'proto', proto });
    return this;
  }
  ipip(): this {
    this.felix.push('-p 4');
    this.matches.push({ m: 'proto', proto: 'ipencap' });
    return this;
  }
  net(dir: 'src' | 'dst', cidr: string, invert = false): this {
    this.felix.push(`${invert ? '! ' : ''}--${dir === 'src' ? 'source' : 'destination'} ${cidr}`);
    const c = parseCIDR(cidr);
    this.matches.push({ m: dir, net: { ip: c.ip, prefixLen: c.prefixLen }, ...(invert ? { invert } : {}) });
    return this;
  }
  set(name: string, dir: 'src' | 'dst' | 'dst,dst'): this {
    this.felix.push(`-m set --match-set ${name} ${dir}`);
    this.matches.push({ m: 'set', set: name, dir });
    return this;
  }
  dports(ports: readonly (number | readonly [number, number])[]): this {
    this.felix.push(`-m multiport --destination-ports ${ports.map((p) => (typeof p === 'number' ? p : `${p[0]}:${p[1]}`)).join(',')}`);
    this.matches.push({ m: 'multiport', dports: ports });
    return this;
  }
  ctstate(states: ('RELATED' | 'ESTABLISHED' | 'INVALID' | 'DNAT')[], invert = false): this {
    this.felix.push(`-m conntrack ${invert ? '! ' : ''}--ctstate ${states.join(',')}`);
    this.matches.push({ m: 'conntrack', ctstate: states, ...(invert ? { invert } : {}) });
    return this;
  }
  markClear(mark: number): this {
    this.felix.push(`-m mark --mark 0/${hex(mark)}`);
    this.matches.push({ m: 'mark', value: 0, mask: mark });
    return this;
  }
  markNotClear(mark: number): this {
    this.felix.push(`-m mark ! --mark 0/${hex(mark)}`);
    this.matches.push({ m: 'mark', value: 0, mask: mark, invert: true });
    return this;
  }
  markSet(mark: number): this {
    this.felix.push(`-m mark --mark ${hex(mark)}/${hex(mark)}`);
    this.matches.push({ m: 'mark', value: mark, mask: mark });
    return this;
  }
  jump(chain: string): this {
    this.action = { felix: `--jump ${chain}`, target: { t: 'jump', chain } };
    return this;
  }
  goto(chain: string): this {
    this.action = { felix: `--goto ${chain}`, target: { t: 'goto', chain } };
    return this;
  }
  accept(): this {
    this.action = { felix: '--jump ACCEPT', target: { t: 'ACCEPT' } };
    return this;
  }
  drop(): this {
    this.action = { felix: '--jump DROP', target: { t: 'DROP' } };
    return this;
  }
  return(): this {
    this.action = { felix: '--jump RETURN', target: { t: 'RETURN' } };
    return this;
  }
  /** SetMark / ClearMark / SetMaskedMark: `--set-mark VALUE/MASK` (Felix prints a clear as `0/…`). */
  mark(value: number, mask: number): this {
    this.action = { felix: `--jump MARK --set-mark ${value === 0 ? '0' : hex(value)}/${hex(mask)}`, target: { t: 'MARK', op: 'set', value, mask } };
    return this;
  }
  verdict(policy: PolicyVerdictMark, owner?: { kind: string; namespace: string; name: string }): this {
    this.policy = policy;
    if (owner) this.owner = owner;
    return this;
  }
}

export const rule = () => new FelixRule();

// escapeComment: anything but [\w @%+=:,./-] becomes `_`; then cut to 256.
const UNSAFE = /[^\w @%+=:,./-]/g;
function escapeComment(c: string): string {
  return c.replace(UNSAFE, '_').slice(0, 256);
}

function felixText(chain: string, r: FelixRule): string {
  const parts = ['-A', chain, 'HASH', ...r.comments.map((c) => `-m comment --comment "${escapeComment(c)}"`)];
  if (r.felix.length) parts.push(r.felix.join(' '));
  if (r.action) parts.push(r.action.felix);
  return parts.join(' ');
}

/** The `cali:` hashes of a chain's rules (generictables.RuleHashes). */
export function ruleHashes(chain: string, rules: readonly FelixRule[]): string[] {
  let hash = createHash('sha224').update(chain).digest();
  return rules.map((r) => {
    hash = createHash('sha224').update(hash).update(felixText(chain, r)).digest();
    return hash.toString('base64url').slice(0, 16);
  });
}

/** A chain of Felix rules as our model, each with its `cali:` comment first. `hashAs` names the chain for hashing (Felix's appends to a built-in hash as `CHAIN*appends*`). */
export function felixChain(name: string, rules: readonly FelixRule[], hashAs = name): Chain {
  const hashes = ruleHashes(hashAs, rules);
  return {
    name,
    rules: rules.map((r, i): Rule => {
      const out: Rule = {
        matches: [{ m: 'comment', comment: `cali:${hashes[i]}` }, ...r.comments.map((c): Match => ({ m: 'comment', comment: escapeComment(c) })), ...r.matches],
        target: r.action?.target ?? { t: 'none' },
        owner: { by: 'calico-felix', ...(r.owner ?? {}), ...(r.policy ? { policy: r.policy } : {}) },
      };
      return out;
    }),
  };
}
