// iptables-restore / iptables-save text → the Ruleset model (tokenizer, rule parser, table
// reader), so real dumps and daemon input can be loaded; rules come out in canonical form.

import { networkOf, parseIPv4, prefixMask } from '../../net/ipv4.js';
import type { Chain, L4Proto, Match, Net, Rule, Ruleset, Table, TableName, Target } from '../../net/netfilter.js';
import { BUILTIN_CHAINS } from '../../net/netfilter.js';
import {
  CTSTATE_ORDER,
  type CtState,
  U32,
  ctstates,
  formatProbability,
  markTargetFromPair,
  normalizeDotted,
  normalizeNatRange,
  normalizePortRange,
  parsePort,
  withoutUndefined,
} from './normalise.js';

const REJECT_WITH = ['icmp-port-unreachable', 'icmp-host-unreachable', 'icmp-net-unreachable', 'tcp-reset'] as const;
type RejectWith = (typeof REJECT_WITH)[number];

/**
 * Splits a line as iptables-restore does: whitespace separates words outside double quotes, `"`
 * opens and closes quoting, a backslash takes the next character literally. `'` is an ordinary
 * character (iptables-restore keeps it).
 */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (c === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && (c === ' ' || c === '\t')) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quoted) throw new Error(`unterminated quote in: ${line}`);
  if (inWord) out.push(cur);
  return out;
}

/** xtables_strtoui with base 0: 0x… hex, leading-0 octal, else decimal; uint32 only. */
function parseUint32(s: string, what: string): number {
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(s)) n = parseInt(s.slice(2), 16);
  else if (/^0[0-7]*$/.test(s)) n = parseInt(s, 8);
  else if (/^[1-9]\d*$/.test(s)) n = Number(s);
  else throw new Error(`invalid ${what} "${s}"`);
  if (!(n <= U32)) throw new Error(`invalid ${what} "${s}"`);
  return n;
}

function parseValueMask(s: string, what: string): { value: number; mask?: number } {
  const slash = s.indexOf('/');
  if (slash < 0) return { value: parseUint32(s, what) };
  return { value: parseUint32(s.slice(0, slash), what), mask: parseUint32(s.slice(slash + 1), what) };
}

function parseNet(s: string): Net {
  const slash = s.indexOf('/');
  if (slash < 0) return { ip: parseIPv4(s), prefixLen: 32 };
  const ip = parseIPv4(s.slice(0, slash));
  const p = s.slice(slash + 1);
  if (/^\d{1,2}$/.test(p) && Number(p) <= 32) return { ip: networkOf(ip, Number(p)), prefixLen: Number(p) };
  // A dotted netmask is accepted if contiguous (iptables accepts both forms).
  const mask = parseIPv4(p);
  const inv = ~mask >>> 0;
  if ((inv & (inv + 1)) !== 0) throw new Error(`unsupported non-contiguous netmask in "${s}"`);
  const len = Math.clz32(inv);
  if (prefixMask(len) !== mask) throw new Error(`invalid netmask in "${s}"`);
  return { ip: networkOf(ip, len), prefixLen: len };
}

const PROTO_ALIASES: Record<string, L4Proto | 'ipencap'> = {
  tcp: 'tcp',
  udp: 'udp',
  sctp: 'sctp',
  icmp: 'icmp',
  ipencap: 'ipencap',
  '6': 'tcp',
  '17': 'udp',
  '132': 'sctp',
  '1': 'icmp',
  '4': 'ipencap',
};

const REJECT_ALIASES: Record<string, RejectWith> = {
  'icmp-port-unreachable': 'icmp-port-unreachable',
  'port-unreach': 'icmp-port-unreachable',
  'icmp-host-unreachable': 'icmp-host-unreachable',
  'host-unreach': 'icmp-host-unreachable',
  'icmp-net-unreachable': 'icmp-net-unreachable',
  'net-unreach': 'icmp-net-unreachable',
  'tcp-reset': 'tcp-reset',
  'tcp-rst': 'tcp-reset',
};

/** Target names the parser knows; any other all-caps word is refused rather than taken for a chain. */
const KNOWN_UNSUPPORTED_TARGETS = new Set([
  'LOG',
  'NFLOG',
  'ULOG',
  'CT',
  'NOTRACK',
  'TRACE',
  'CONNMARK',
  'CLASSIFY',
  'TCPMSS',
  'TPROXY',
  'REDIRECT',
  'NETMAP',
  'CHECKSUM',
  'CLUSTERIP',
  'TTL',
  'TOS',
  'DSCP',
  'NFQUEUE',
  'QUEUE',
  'AUDIT',
  'SET',
  'SECMARK',
  'CONNSECMARK',
  'IDLETIMER',
  'LED',
  'HMARK',
  'SYNPROXY',
  'TEE',
  'RATEEST',
  'ECN',
]);

/** A match module under construction; `opt` takes one option and says whether it was its own. */
interface ModuleBuilder {
  name: string;
  opt(name: string, invert: boolean, next: () => string): boolean;
  build(): Match;
}

function portModule(proto: 'tcp' | 'udp' | 'sctp'): ModuleBuilder {
  let sport: number | undefined;
  let dport: number | undefined;
  const inv: boolean[] = [];
  return {
    name: proto,
    opt(name, invert, next) {
      if (name === '--sport' || name === '--source-port') sport = portArg(next());
      else if (name === '--dport' || name === '--destination-port') dport = portArg(next());
      else return false;
      inv.push(invert);
      return true;
    },
    build() {
      // The model has one invert flag for the match; both ports must agree.
      if (inv.some((x) => x !== inv[0])) throw new Error(`unsupported: -m ${proto} with one port inverted and the other not`);
      return withoutUndefined({ m: 'port', proto, sport, dport, invert: inv[0] });
    },
  };
}

function portArg(s: string): number {
  if (s.includes(':')) throw new Error(`unsupported port range "${s}"`);
  return parsePort(s);
}

function noInvert(invert: boolean, opt: string): void {
  if (invert) throw new Error(`unsupported: "! ${opt}"`);
}

function moduleBuilder(name: string): ModuleBuilder {
  switch (name) {
    case 'tcp':
    case 'udp':
    case 'sctp':
      return portModule(name);
    case 'comment': {
      let comment: string | undefined;
      return {
        name,
        opt(o, invert, next) {
          if (o !== '--comment') return false;
          noInvert(invert, o);
          comment = next();
          return true;
        },
        build() {
          if (comment === undefined) throw new Error('-m comment needs --comment');
          return { m: 'comment', comment };
        },
      };
    }
    case 'mark': {
      let r: Match | undefined;
      return {
        name,
        opt(o, invert, next) {
          if (o !== '--mark') return false;
          const { value, mask } = parseValueMask(next(), 'mark');
          r = withoutUndefined({ m: 'mark', value, mask: mask ?? U32, invert });
          return true;
        },
        build() {
          if (!r) throw new Error('-m mark needs --mark');
          return r;
        },
      };
    }
    case 'multiport': {
      let r: Match | undefined;
      return {
        name,
        opt(o, invert, next) {
          if (o !== '--dports' && o !== '--destination-ports') return false;
          const dports = next()
            .split(',')
            .map((p): number | [number, number] => {
              const [a = '', b] = p.split(':');
              return b === undefined ? parsePort(a) : [parsePort(a), parsePort(b)];
            });
          r = withoutUndefined({ m: 'multiport', dports, invert: invert || undefined });
          return true;
        },
        build() {
          if (!r) throw new Error('-m multiport needs --dports (source ports are not modelled)');
          return r;
        },
      };
    }
    case 'set': {
      let r: Match | undefined;
      return {
        name,
        opt(o, invert, next) {
          if (o !== '--match-set') return false;
          const set = next();
          const dir = next();
          if (dir !== 'src' && dir !== 'dst' && dir !== 'dst,dst') throw new Error(`unsupported --match-set direction "${dir}" (src, dst or dst,dst)`);
          r = withoutUndefined({ m: 'set', set, dir, invert: invert || undefined });
          return true;
        },
        build() {
          if (!r) throw new Error('-m set needs --match-set');
          return r;
        },
      };
    }
    case 'addrtype': {
      const r: Extract<Match, { m: 'addrtype' }> = { m: 'addrtype' };
      const type = (s: string): 'LOCAL' => {
        if (s !== 'LOCAL') throw new Error(`unsupported address type "${s}" (only LOCAL)`);
        return s;
      };
      return {
        name,
        opt(o, invert, next) {
          if (o === '--src-type') Object.assign(r, { srcType: type(next()), invertSrc: invert });
          else if (o === '--dst-type') Object.assign(r, { dstType: type(next()), invertDst: invert });
          else if (o === '--limit-iface-out') {
            noInvert(invert, o);
            r.limitIfaceOut = true;
          } else return false;
          return true;
        },
        build: () => withoutUndefined(r),
      };
    }
    case 'conntrack': {
      let r: Match | undefined;
      return {
        name,
        opt(o, invert, next) {
          if (o !== '--ctstate') return false;
          const states = next().split(',');
          for (const s of states) if (!(CTSTATE_ORDER as readonly string[]).includes(s)) throw new Error(`unsupported ctstate "${s}"`);
          r = withoutUndefined({ m: 'conntrack', ctstate: ctstates(states as CtState[]), invert });
          return true;
        },
        build() {
          if (!r) throw new Error('-m conntrack: only --ctstate is supported');
          return r;
        },
      };
    }
    case 'statistic': {
      let mode: string | undefined;
      let probability: number | undefined;
      return {
        name,
        opt(o, invert, next) {
          if (o === '--mode') mode = next();
          else if (o === '--probability') {
            noInvert(invert, o);
            const s = next();
            if (!/^(\d+\.?\d*|\.\d+)$/.test(s)) throw new Error(`invalid probability "${s}"`);
            probability = Number(s);
          } else return false;
          return true;
        },
        build() {
          if (mode !== 'random' || probability === undefined) throw new Error('-m statistic: only --mode random --probability P is supported');
          return { m: 'statistic', probability: Number(formatProbability(probability)) };
        },
      };
    }
    case 'recent': {
      let op: 'set' | 'rcheck' | undefined;
      let seconds: number | undefined;
      let reap = false;
      let rname = 'DEFAULT';
      let mask = '255.255.255.255';
      return {
        name,
        opt(o, invert, next) {
          switch (o) {
            case '--set':
            case '--rcheck':
              noInvert(invert, o);
              if (op) throw new Error('-m recent: only one of --set/--rcheck');
              op = o === '--set' ? 'set' : 'rcheck';
              return true;
            case '--seconds':
              seconds = parseUint32(next(), 'seconds');
              return true;
            case '--reap':
              reap = true;
              return true;
            case '--name':
              rname = next();
              return true;
            case '--mask':
              mask = normalizeDotted(next());
              return true;
            case '--rsource':
              return true;
            case '--rdest':
            case '--update':
            case '--remove':
            case '--hitcount':
            case '--rttl':
              throw new Error(`unsupported -m recent option ${o}`);
            default:
              return false;
          }
        },
        build() {
          if (!op) throw new Error('-m recent needs --set or --rcheck');
          return withoutUndefined({ m: 'recent', name: rname, mask, op, seconds: seconds || undefined, reap, rsource: true as const });
        },
      };
    }
    default:
      throw new Error(`unsupported match module "-m ${name}"`);
  }
}

/** A target under construction. */
interface TargetBuilder {
  opt(name: string, next: () => string): boolean;
  build(): Target;
}

function targetBuilder(kind: '-j' | '-g', name: string): TargetBuilder {
  const none = (t: Target): TargetBuilder => ({ opt: () => false, build: () => t });
  if (kind === '-g') {
    if (['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'MARK', 'MASQUERADE', 'SNAT', 'DNAT'].includes(name) || KNOWN_UNSUPPORTED_TARGETS.has(name))
      throw new Error(`-g needs a user chain, not ${name}`);
    return none({ t: 'goto', chain: name });
  }
  switch (name) {
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return none({ t: name });
    case 'REJECT': {
      let w: RejectWith = 'icmp-port-unreachable';
      return {
        opt(o, next) {
          if (o !== '--reject-with') return false;
          const v = next();
          const a = REJECT_ALIASES[v];
          if (!a) throw new Error(`unsupported --reject-with ${v}`);
          w = a;
          return true;
        },
        build: () => ({ t: 'REJECT', with: w }),
      };
    }
    case 'MARK': {
      let pair: { mark: number; mask: number } | undefined;
      return {
        opt(o, next) {
          const arg = (): { value: number; mask?: number } => parseValueMask(next(), 'mark');
          if (o === '--set-xmark') {
            const { value, mask } = arg();
            pair = { mark: value, mask: mask ?? U32 };
          } else if (o === '--set-mark') {
            const { value, mask } = arg();
            pair = { mark: value, mask: (value | (mask ?? U32)) >>> 0 };
          } else if (o === '--or-mark') {
            const { value } = arg();
            pair = { mark: value, mask: value };
          } else if (o === '--xor-mark') {
            const { value } = arg();
            pair = { mark: value, mask: 0 };
          } else if (o === '--and-mark') {
            const { value } = arg();
            pair = { mark: 0, mask: ~value >>> 0 };
          } else return false;
          return true;
        },
        build() {
          if (!pair) throw new Error('-j MARK needs --set-xmark, --set-mark, --or-mark, --xor-mark or --and-mark');
          return markTargetFromPair(pair.mark, pair.mask);
        },
      };
    }
    case 'MASQUERADE': {
      const t: Extract<Target, { t: 'MASQUERADE' }> = { t: 'MASQUERADE' };
      return {
        opt(o, next) {
          if (o === '--to-ports') t.toPorts = normalizePortRange(next());
          else if (o === '--random-fully') t.randomFully = true;
          else if (o === '--random' || o === '--persistent') throw new Error(`unsupported MASQUERADE option ${o}`);
          else return false;
          return true;
        },
        build: () => withoutUndefined(t),
      };
    }
    case 'SNAT': {
      let to: string | undefined;
      let randomFully = false;
      return {
        opt(o, next) {
          if (o === '--to-source') to = normalizeNatRange(next(), '--to-source');
          else if (o === '--random-fully') randomFully = true;
          else if (o === '--random' || o === '--persistent') throw new Error(`unsupported SNAT option ${o}`);
          else return false;
          return true;
        },
        build() {
          if (to === undefined) throw new Error('-j SNAT needs --to-source');
          return withoutUndefined({ t: 'SNAT', to, randomFully });
        },
      };
    }
    case 'DNAT': {
      let to: string | undefined;
      return {
        opt(o, next) {
          if (o === '--to-destination') to = normalizeNatRange(next(), '--to-destination');
          else if (o === '--random' || o === '--persistent') throw new Error(`unsupported DNAT option ${o}`);
          else return false;
          return true;
        },
        build() {
          if (to === undefined) throw new Error('-j DNAT needs --to-destination');
          return { t: 'DNAT', to };
        },
      };
    }
    default:
      if (KNOWN_UNSUPPORTED_TARGETS.has(name)) throw new Error(`unsupported target "-j ${name}"`);
      return none({ t: 'jump', chain: name });
  }
}

/**
 * Parses one `-A CHAIN …` line into the model, in canonical form (see normalizeRule). Accepts
 * what ruleSpec prints and also the looser order kube-proxy and flanneld write (`-m tcp -p tcp -d
 * X --dport 80`, `--or-mark`, `-p tcp --dport 80` with the implicit tcp match). Throws an Error
 * naming the first thing it does not support.
 */
export function parseRuleSpec(line: string): { chain: string; rule: Rule } {
  const tok = tokenize(line.trim());
  if (tok[0] !== '-A' && tok[0] !== '--append') throw new Error(`expected "-A CHAIN …", got: ${line}`);
  const chain = tok[1];
  if (!chain) throw new Error(`missing chain name in: ${line}`);
  const ip: Match[] = [];
  const seen = new Set<string>();
  const modules: ModuleBuilder[] = [];
  let proto: L4Proto | 'ipencap' | undefined;
  let protoInvert = false;
  let target: TargetBuilder | undefined;

  let i = 2;
  const next = (opt: string) => (): string => {
    const v = tok[i++];
    if (v === undefined) throw new Error(`option ${opt} needs an argument`);
    return v;
  };
  const ipOpt = (key: string, m: Match): void => {
    if (seen.has(key)) throw new Error(`multiple ${key} options`);
    seen.add(key);
    ip.push(m);
  };

  while (i < tok.length) {
    let t = tok[i++]!;
    let invert = false;
    if (t === '!') {
      invert = true;
      t = tok[i++] ?? '';
    }
    switch (t) {
      case '-s':
      case '--source':
        ipOpt('-s', withoutUndefined({ m: 'src', net: parseNet(next(t)()), invert }));
        break;
      case '-d':
      case '--destination':
        ipOpt('-d', withoutUndefined({ m: 'dst', net: parseNet(next(t)()), invert }));
        break;
      case '-i':
      case '--in-interface':
        ipOpt('-i', withoutUndefined({ m: 'in', iface: next(t)(), invert }));
        break;
      case '-o':
      case '--out-interface':
        ipOpt('-o', withoutUndefined({ m: 'out', iface: next(t)(), invert }));
        break;
      case '-p':
      case '--protocol': {
        const v = next(t)();
        const p = PROTO_ALIASES[v.toLowerCase()];
        if (!p) throw new Error(`unsupported protocol "${v}"`);
        proto = p;
        protoInvert = invert;
        ipOpt('-p', withoutUndefined({ m: 'proto', proto: p, invert }));
        break;
      }
      case '-m':
      case '--match':
        noInvert(invert, t);
        if (target) throw new Error(`-m after the target in: ${line}`);
        modules.push(moduleBuilder(next(t)()));
        break;
      case '-j':
      case '--jump':
      case '-g':
      case '--goto':
        noInvert(invert, t);
        if (target) throw new Error(`more than one target in: ${line}`);
        target = targetBuilder(t === '-g' || t === '--goto' ? '-g' : '-j', next(t)());
        break;
      default: {
        if (!t.startsWith('--')) throw new Error(`unexpected "${t}" in: ${line}`);
        if (target) {
          noInvert(invert, t);
          if (target.opt(t, next(t))) break;
          throw new Error(`unknown target option ${t}`);
        }
        // An option belongs to the latest module that knows it, as iptables dispatches them.
        let taken = false;
        for (let k = modules.length - 1; k >= 0 && !taken; k--) taken = modules[k]!.opt(t, invert, next(t));
        if (taken) break;
        // `-p tcp --dport 80` loads the protocol's match implicitly.
        if ((t === '--dport' || t === '--sport' || t === '--destination-port' || t === '--source-port') && proto && proto !== 'icmp' && proto !== 'ipencap' && !protoInvert) {
          const b = portModule(proto);
          modules.push(b);
          b.opt(t, invert, next(t));
          break;
        }
        throw new Error(`unknown or unsupported option ${invert ? '! ' : ''}${t} in: ${line}`);
      }
    }
  }
  // A rule without -j/-g is valid: it matches and falls through.
  target ??= { opt: () => false, build: () => ({ t: 'none' }) };
  const order = ['src', 'dst', 'in', 'out', 'proto'];
  ip.sort((a, b) => order.indexOf(a.m) - order.indexOf(b.m));
  const matches = ip.filter((m) => !((m.m === 'src' || m.m === 'dst') && m.net.prefixLen === 0 && !m.invert));
  for (const b of modules) matches.push(b.build());
  return { chain, rule: { matches, target: target.build() } };
}

// ---------------------------------------------------------------------------------------------
// iptables-restore text → Ruleset

const TABLE_NAMES: readonly TableName[] = ['raw', 'mangle', 'nat', 'filter'];

/**
 * Reads iptables-restore / iptables-save text (`*table`, `:CHAIN POLICY [p:b]`, `-A …`, `COMMIT`,
 * `#` comments) into a Ruleset: tables in the order they appear, chains in declaration order,
 * built-in chains created with policy ACCEPT when first used undeclared. Throws on a rule for an
 * undeclared user chain (as iptables-restore does) or anything parseRuleSpec refuses.
 */
export function parseIptablesRestore(text: string): Ruleset {
  const tables: Table[] = [];
  let table: Table | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, idx) => {
    const line = raw.trim();
    const where = `line ${idx + 1}`;
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('*')) {
      const name = line.slice(1) as TableName;
      if (!TABLE_NAMES.includes(name)) throw new Error(`${where}: unsupported table "${name}"`);
      table = tables.find((t) => t.name === name);
      if (!table) tables.push((table = { name, chains: [] }));
      return;
    }
    if (!table) throw new Error(`${where}: no table (*filter, *nat, …) before "${line}"`);
    const t = table;
    const builtins = BUILTIN_CHAINS[t.name] as readonly string[];
    const chainNamed = (name: string): Chain => {
      let c = t.chains.find((x) => x.name === name);
      if (!c) {
        if (!builtins.includes(name)) throw new Error(`${where}: chain '${name}' does not exist`);
        t.chains.push((c = { name, policy: 'ACCEPT', rules: [] }));
      }
      return c;
    };
    if (line === 'COMMIT') {
      table = undefined;
    } else if (line.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)/.exec(line);
      if (!m) throw new Error(`${where}: bad chain line "${line}"`);
      const [, name = '', policy = ''] = m;
      const isBuiltin = builtins.includes(name);
      if (isBuiltin && policy !== 'ACCEPT' && policy !== 'DROP') throw new Error(`${where}: bad policy "${policy}" for ${name}`);
      if (!isBuiltin && policy !== '-') throw new Error(`${where}: user chain ${name} cannot have policy "${policy}"`);
      const existing = t.chains.find((x) => x.name === name);
      if (existing) {
        if (isBuiltin) existing.policy = policy as 'ACCEPT' | 'DROP';
      } else {
        t.chains.push(isBuiltin ? { name, policy: policy as 'ACCEPT' | 'DROP', rules: [] } : { name, rules: [] });
      }
    } else {
      let parsed: { chain: string; rule: Rule };
      try {
        parsed = parseRuleSpec(line);
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
      }
      chainNamed(parsed.chain).rules.push(parsed.rule);
    }
  });
  return { tables };
}
