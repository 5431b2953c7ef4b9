// fast-check generators of rules and rulesets, shared by the render round-trip test and the test
// that loads rendered rulesets into the real iptables-restore. Test-only (imports fast-check).

import fc from 'fast-check';
import { BUILTIN_CHAINS, ipToString, type Chain, type Hook, type L4Proto, type Match, type Rule, type Ruleset, type Table, type TableName, type Target } from '@k8s-netsim/core';

const u32 = fc.nat({ max: 0xffffffff });
const port = fc.integer({ min: 0, max: 65535 });
const net = (minLen = 0) => fc.record({ ip: u32, prefixLen: fc.integer({ min: minLen, max: 32 }) });
const maybeInvert = fc.option(fc.boolean(), { nil: undefined });
/** Printable ASCII, including the characters iptables-save has to quote or escape. */
const commentText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const word = (re: RegExp) => fc.stringMatching(re);
const ifaceName = word(/^[a-z][a-z0-9]{0,9}\+?$/);
const userChainName = word(/^[A-Za-z0-9_]{1,12}$/).map((s) => `X-${s}`);
const dotted = u32.map(ipToString);
const natRange = (withPorts: boolean) =>
  fc
    .tuple(u32, fc.option(u32, { nil: undefined }), withPorts ? fc.option(fc.tuple(port, fc.option(port, { nil: undefined })), { nil: undefined }) : fc.constant(undefined))
    .map(([a, b, p]) => {
      let s = ipToString(a);
      if (b !== undefined) s += `-${ipToString(Math.max(a, b))}`;
      if (p) s += `:${p[0]}${p[1] !== undefined ? `-${Math.max(p[0], p[1])}` : ''}`;
      return s;
    });

const ctstateArb = fc.array(fc.constantFrom('NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'DNAT', 'SNAT') as fc.Arbitrary<'NEW'>, { minLength: 1, maxLength: 4 });

/** Module matches; `valid` restricts them to what the kernel accepts in any chain. */
function moduleArb(valid: boolean): fc.Arbitrary<Match> {
  return fc.oneof(
    commentText.map((comment): Match => ({ m: 'comment', comment })),
    fc.record({ value: u32, mask: u32, invert: maybeInvert }, { requiredKeys: ['value', 'mask'] }).map((r): Match => ({ m: 'mark', ...r })),
    fc
      .record({ srcType: fc.constant('LOCAL' as const), dstType: fc.constant('LOCAL' as const), invertSrc: fc.boolean(), invertDst: fc.boolean() }, { requiredKeys: [] })
      .filter((r) => !valid || r.srcType !== undefined || r.dstType !== undefined)
      .map((r): Match => ({ m: 'addrtype', ...r })),
    fc.record({ ctstate: ctstateArb, invert: maybeInvert }, { requiredKeys: ['ctstate'] }).map((r): Match => ({ m: 'conntrack', ...r })),
    fc
      .oneof(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 }).map((k) => k / 2 ** 31),
        fc.constantFrom(0.5, 1 / 3, 0.1, 1 / 4096),
      )
      .map((probability): Match => ({ m: 'statistic', probability })),
    fc
      .record({
        name: word(/^[A-Za-z0-9_-]{1,20}$/),
        mask: dotted,
        op: fc.constantFrom('set' as const, 'rcheck' as const),
        seconds: fc.option(fc.integer({ min: 1, max: 100000 }), { nil: undefined }),
        reap: fc.boolean(),
      })
      .map((r): Match => {
        // The kernel takes --seconds only with --rcheck, and --reap only with --seconds.
        const seconds = valid && r.op === 'set' ? undefined : r.seconds;
        const reap = valid ? r.reap && seconds !== undefined : r.reap;
        return { m: 'recent', name: r.name, mask: r.mask, op: r.op, rsource: true, ...(seconds !== undefined ? { seconds } : {}), ...(reap ? { reap } : {}) };
      }),
  );
}

type ChainKind = { table: TableName; chain: string; builtin: boolean };

function targetArb(where: ChainKind, laterChains: string[], proto: { proto: L4Proto; invert?: boolean } | undefined, valid: boolean): fc.Arbitrary<Target> {
  const portsOk = !valid || (proto !== undefined && proto.proto !== 'icmp' && !proto.invert);
  const arbs: fc.Arbitrary<Target>[] = [fc.constant({ t: 'ACCEPT' }), fc.constant({ t: 'RETURN' })];
  if (!valid || where.table !== 'nat') arbs.push(fc.constant({ t: 'DROP' }));
  if (!valid || where.table === 'filter') {
    const withs = ['icmp-port-unreachable', 'icmp-host-unreachable', 'icmp-net-unreachable'] as const;
    const tcpOk = !valid || (proto?.proto === 'tcp' && !proto.invert);
    arbs.push(fc.constantFrom(undefined, ...withs, ...(tcpOk ? (['tcp-reset'] as const) : [])).map((w): Target => (w ? { t: 'REJECT', with: w } : { t: 'REJECT' })));
  }
  arbs.push(
    fc
      .record({ op: fc.constantFrom('or' as const, 'xor' as const, 'set' as const), value: u32, mask: fc.option(u32, { nil: undefined }) })
      .map((r): Target => (r.op === 'set' && r.mask !== undefined ? { t: 'MARK', op: 'set', value: r.value, mask: r.mask } : { t: 'MARK', op: r.op, value: r.value })),
  );
  // NAT targets only where the kernel takes them: nat table, user chains (never reached from a hook here).
  if (!valid || (where.table === 'nat' && !where.builtin)) {
    const ports = fc
      .tuple(fc.integer({ min: 1, max: 65535 }), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
      .map(([a, b]) => (b === undefined ? `${a}` : `${Math.min(a, b)}-${Math.max(a, b)}`));
    arbs.push(
      fc
        .record({ randomFully: fc.boolean(), toPorts: portsOk ? fc.option(ports, { nil: undefined }) : fc.constant(undefined) })
        .map((r): Target => ({ t: 'MASQUERADE', ...(r.randomFully ? { randomFully: true } : {}), ...(r.toPorts ? { toPorts: r.toPorts } : {}) })),
      fc.record({ to: natRange(portsOk), randomFully: fc.boolean() }).map((r): Target => ({ t: 'SNAT', to: r.to, ...(r.randomFully ? { randomFully: true } : {}) })),
      natRange(portsOk).map((to): Target => ({ t: 'DNAT', to })),
    );
  }
  if (laterChains.length) {
    arbs.push(fc.constantFrom(...laterChains).map((chain): Target => ({ t: 'jump', chain })));
    arbs.push(fc.constantFrom(...laterChains).map((chain): Target => ({ t: 'goto', chain })));
  } else if (!valid) {
    arbs.push(
      userChainName.map((chain): Target => ({ t: 'jump', chain })),
      userChainName.map((chain): Target => ({ t: 'goto', chain })),
    );
  }
  return fc.oneof(...arbs);
}

/**
 * A rule. With `valid`, only what the kernel and iptables-restore accept in that chain: -i/-o
 * only on hooks that have them, port matches under a positive -p of the same protocol, NAT
 * targets in nat user chains, REJECT in filter, no DROP in nat, jumps only to `laterChains`.
 */
export function arbRule(where: ChainKind = { table: 'filter', chain: 'X-any', builtin: false }, laterChains: string[] = [], valid = false): fc.Arbitrary<Rule> {
  const inOk = !valid || !where.builtin || !['OUTPUT', 'POSTROUTING'].includes(where.chain);
  const outOk = !valid || !where.builtin || !['PREROUTING', 'INPUT'].includes(where.chain);
  const ipArb = fc.record(
    {
      src: fc.record({ net: net(valid ? 1 : 0), invert: maybeInvert }, { requiredKeys: ['net'] }),
      dst: fc.record({ net: net(valid ? 1 : 0), invert: maybeInvert }, { requiredKeys: ['net'] }),
      in: inOk ? fc.record({ iface: ifaceName, invert: maybeInvert }, { requiredKeys: ['iface'] }) : fc.constant(undefined),
      out: outOk ? fc.record({ iface: ifaceName, invert: maybeInvert }, { requiredKeys: ['iface'] }) : fc.constant(undefined),
      proto: fc.record({ proto: fc.constantFrom('tcp', 'udp', 'sctp', 'icmp') as fc.Arbitrary<L4Proto>, invert: maybeInvert }, { requiredKeys: ['proto'] }),
    },
    { requiredKeys: [] },
  );
  return ipArb.chain((ip) => {
    const p = ip.proto;
    const portProto = p && p.proto !== 'icmp' && !p.invert ? p.proto : undefined;
    const portArb: fc.Arbitrary<Match[]> =
      !valid || portProto
        ? fc
            .option(
              fc.record({ sport: fc.option(port, { nil: undefined }), dport: fc.option(port, { nil: undefined }), invert: maybeInvert }).map(
                (r): Match => ({
                  m: 'port',
                  proto: portProto ?? 'tcp',
                  ...(r.sport !== undefined ? { sport: r.sport } : {}),
                  ...(r.dport !== undefined ? { dport: r.dport } : {}),
                  ...(r.invert !== undefined ? { invert: r.invert } : {}),
                }),
              ),
              { nil: undefined },
            )
            .map((m) => (m ? [m] : []))
        : fc.constant([]);
    const ipMatches: Match[] = [];
    if (ip.src) ipMatches.push({ m: 'src', ...ip.src });
    if (ip.dst) ipMatches.push({ m: 'dst', ...ip.dst });
    if (ip.in) ipMatches.push({ m: 'in', ...ip.in });
    if (ip.out) ipMatches.push({ m: 'out', ...ip.out });
    if (ip.proto) ipMatches.push({ m: 'proto', ...ip.proto });
    return fc
      .record({
        ports: portArb,
        modules: fc.array(moduleArb(valid), { maxLength: 3 }),
        target: targetArb(where, laterChains, p, valid),
        // The model's order is free: shuffle the IP-header matches in among the modules.
        seed: fc.nat(),
      })
      .map(({ ports, modules, target, seed }): Rule => {
        const mods = [...ports, ...modules];
        const matches: Match[] = [...mods];
        ipMatches.forEach((m, k) => {
          matches.splice((seed >> (k * 3)) % (matches.length + 1), 0, m);
        });
        return { matches, target };
      });
  });
}

/** A ruleset iptables-restore must accept: random tables (random order), user chains jumping only forward. */
export function arbRuleset(): fc.Arbitrary<Ruleset> {
  const tableArb = (name: TableName): fc.Arbitrary<Table> =>
    fc.uniqueArray(userChainName, { maxLength: 4 }).chain((users) => {
      const builtins = BUILTIN_CHAINS[name] as Hook[];
      const chainArb = (chain: string, builtin: boolean, later: string[]): fc.Arbitrary<Chain> =>
        fc
          .record({
            rules: fc.array(arbRule({ table: name, chain, builtin }, later, true), { maxLength: 4 }),
            drop: fc.boolean(),
          })
          .map(({ rules, drop }): Chain => (builtin ? { name: chain, policy: drop && name !== 'nat' ? 'DROP' : 'ACCEPT', rules } : { name: chain, rules }));
      // Built-ins never jump, so user chains hang off no hook and the kernel checks no hook masks.
      const arbs = [...builtins.map((b) => chainArb(b, true, [])), ...users.map((u, i) => chainArb(u, false, users.slice(i + 1)))];
      return fc.tuple(...arbs).map((chains): Table => ({ name, chains }));
    });
  return fc
    .shuffledSubarray(['raw', 'mangle', 'nat', 'filter'] as TableName[], { minLength: 1 })
    .chain((names) => fc.tuple(...names.map(tableArb)))
    .map((tables): Ruleset => ({ tables }));
}
