// The chain index must be invisible: a walk through it records the same hops, reaches the same
// verdict, leaves the packet in the same state and draws the same random numbers as the linear
// walk it replaces.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { arbRule } from '@k8s-netsim/testing';
import { BUILTIN_CHAINS, type Chain, type Hook, type Match, type Rule, type Ruleset, type Table, type TableName, type Target } from '../net/netfilter.js';
import type { Netns } from '../dataplane/types.js';
import { PROXY_CONFIG, arbProxyServicePorts } from '@k8s-netsim/testing';
import { kubeProxyTables } from '../controllers/kube-proxy/rules.js';
import { ipToString, parseIPv4 } from '../net/ipv4.js';
import { MIN_KEYED_RUN, requiredKey, ruleRuns, withLinearWalk } from './netfilter-index.js';
import { runHook, type HookIO, type NetfilterEnv, type Packet } from './netfilter.js';
import type { Hop } from './types.js';

const HOOKS: Hook[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

/** A node's root namespace, reduced to what netfilter reads: eth0's address (MASQUERADE, addrtype LOCAL). */
const NS: Netns = {
  name: 'root',
  node: 'node1',
  links: [
    {
      ifindex: 2,
      name: 'eth0',
      kind: 'device',
      mac: '02:00:00:00:00:01',
      mtu: 1500,
      flags: ['UP'],
      operstate: 'UP',
      qdisc: 'fq_codel',
      qlen: 1000,
      stats: { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0 },
    },
  ],
  addresses: [{ ifindex: 2, ip: parseIPv4('192.168.1.11'), prefixLen: 24, scope: 'global', label: 'eth0' }],
  routes: [],
  neighbours: [],
  fdb: [],
};

// Few addresses and ports, so that packets hit the rules that name them.
const VIPS = ['10.96.0.1', '10.96.0.2', '10.96.0.3', '192.168.1.11', '10.244.1.5'].map(parseIPv4);
const vip = fc.constantFrom(...VIPS);
const anyIP = fc.oneof(vip, fc.nat({ max: 0xffffffff }));
const port = fc.constantFrom(53, 80, 443, 8080);

/** A kube-proxy-like rule: `[-d VIP/32] [-p P --dport N] [modules] -j T`, modules sometimes first. */
function serviceRuleArb(later: string[]): fc.Arbitrary<Rule> {
  const l4 = fc.constantFrom('tcp' as const, 'udp' as const);
  const extra = fc.oneof(
    fc.constant<Match>({ m: 'comment', comment: 'svc' }),
    fc.constant<Match>({ m: 'statistic', probability: 0.5 }),
    fc.constant<Match>({ m: 'src', net: { ip: parseIPv4('10.244.0.0'), prefixLen: 16 }, invert: true }),
    fc.constant<Match>({ m: 'mark', value: 0x4000, mask: 0x4000 }),
    fc.constant<Match>({ m: 'addrtype', dstType: 'LOCAL' }),
  );
  const targets: fc.Arbitrary<Target>[] = [
    fc.constant({ t: 'none' }),
    fc.constant({ t: 'ACCEPT' }),
    fc.constant({ t: 'RETURN' }),
    fc.constant({ t: 'DROP' }),
    fc.constant({ t: 'REJECT' }),
    fc.constant({ t: 'MARK', op: 'or', value: 0x4000 }),
    fc.tuple(vip, port).map(([ip, p]): Target => ({ t: 'DNAT', to: `${ipToString(ip)}:${p}` })),
  ];
  if (later.length)
    targets.push(
      fc.constantFrom(...later).map((chain): Target => ({ t: 'jump', chain })),
      fc.constantFrom(...later).map((chain): Target => ({ t: 'goto', chain })),
    );
  return fc
    .record({
      dst: fc.option(vip, { freq: 3, nil: undefined }),
      prefixLen: fc.constantFrom(32, 32, 32, 24),
      invert: fc.constantFrom(false, false, false, true),
      l4: fc.option(fc.tuple(l4, port, fc.constantFrom(false, false, false, true), fc.option(port, { freq: 4, nil: undefined })), { freq: 3, nil: undefined }),
      extras: fc.uniqueArray(extra, { maxLength: 2, selector: (m) => m.m }),
      extrasFirst: fc.boolean(),
      target: fc.oneof(...targets),
    })
    .map(({ dst, prefixLen, invert, l4, extras, extrasFirst, target }): Rule => {
      // -d VIP/32 and/or -p P -m P --dport N (sometimes inverted, sometimes with --sport).
      const key: Match[] = dst === undefined ? [] : [{ m: 'dst', net: { ip: dst, prefixLen }, ...(invert ? { invert } : {}) }];
      if (l4) {
        const [proto, dport, inv, sport] = l4;
        key.push({ m: 'proto', proto }, { m: 'port', proto, dport, ...(sport !== undefined ? { sport } : {}), ...(inv ? { invert: inv } : {}) });
      }
      return { matches: extrasFirst ? [...extras, ...key] : [...key, ...extras], target };
    });
}

/** Tables whose chains mix long runs of service rules with arbitrary ones; jumps only go forward. */
function rulesetArb(): fc.Arbitrary<Ruleset> {
  const tableArb = (name: TableName): fc.Arbitrary<Table> => {
    const users = ['X-A', 'X-B', 'X-C'];
    const chainArb = (chain: string, later: string[]) =>
      fc.array(fc.oneof({ weight: 4, arbitrary: serviceRuleArb(later) }, { weight: 1, arbitrary: arbRule({ table: name, chain, builtin: false }, later, true) }), {
        maxLength: 14,
      });
    const builtins = BUILTIN_CHAINS[name];
    return fc.tuple(fc.tuple(...builtins.map((b) => chainArb(b, users))), fc.tuple(...users.map((u, i) => chainArb(u, users.slice(i + 1)))), fc.boolean()).map(
      ([b, u, drop]): Table => ({
        name,
        chains: [
          ...builtins.map((hook, i): Chain => ({ name: hook, policy: drop && name === 'filter' ? 'DROP' : 'ACCEPT', rules: b[i]! })),
          ...users.map((n, i): Chain => ({ name: n, rules: u[i]! })),
        ],
      }),
    );
  };
  return fc.tuple(tableArb('mangle'), tableArb('nat'), tableArb('filter')).map((tables): Ruleset => ({ tables }));
}

const packetArb: fc.Arbitrary<Packet> = fc.record({
  src: anyIP,
  dst: anyIP,
  sport: fc.integer({ min: 1024, max: 65535 }),
  dport: port,
  proto: fc.constantFrom('tcp' as const, 'udp' as const, 'icmp' as const),
  mark: fc.constantFrom(0, 0x4000),
  size: fc.constant(60),
  df: fc.constant(true),
});

const ioArb: fc.Arbitrary<HookIO> = fc.record({ in: fc.constantFrom('eth0', 'cni0', 'flannel.1'), out: fc.constantFrom('eth0', 'cni0') }, { requiredKeys: [] });

/** Everything a hook run is observed by: verdict, hops, the packet after, and each random draw asked for. */
function observe(ruleset: Ruleset, hook: Hook, packet: Packet, io: HookIO, coins: boolean[]): string {
  const hops: Hop[] = [];
  const draws: number[] = [];
  const env: NetfilterEnv = {
    hops,
    seed: 7,
    draw: (probability) => {
      draws.push(probability);
      return coins[draws.length % coins.length]!;
    },
    where: (iface) => ({ node: 'node1', netns: 'root', ...(iface ? { iface } : {}) }),
  };
  const p = { ...packet };
  const verdict = runHook(ruleset, hook, p, NS, io, env);
  return JSON.stringify({ verdict, hops, p, draws });
}

function sameWalk(ruleset: Ruleset, packet: Packet, io: HookIO, coins: boolean[]): void {
  for (const hook of HOOKS) {
    const indexed = observe(ruleset, hook, packet, io, coins);
    expect(indexed).toBe(withLinearWalk(() => observe(ruleset, hook, packet, io, coins)));
  }
}

const coinsArb = fc.array(fc.boolean(), { minLength: 1, maxLength: 8 });

describe('chain index', () => {
  it('groups consecutive rules keyed on one destination or one port, and scans the rest in place', () => {
    const svc = (ip: string, port: number): Rule => ({
      matches: [
        { m: 'dst', net: { ip: parseIPv4(ip), prefixLen: 32 } },
        { m: 'proto', proto: 'tcp' },
        { m: 'port', proto: 'tcp', dport: port },
      ],
      target: { t: 'jump', chain: 'KUBE-SVC-X' },
    });
    const nodePort = (port: number, proto: 'tcp' | 'udp' = 'tcp'): Rule => ({
      matches: [
        { m: 'proto', proto },
        { m: 'port', proto, dport: port },
      ],
      target: { t: 'jump', chain: 'KUBE-EXT-X' },
    });
    const other: Rule = { matches: [{ m: 'addrtype', dstType: 'LOCAL' }], target: { t: 'jump', chain: 'KUBE-NODEPORTS' } };
    const chain: Chain = {
      name: 'KUBE-SERVICES',
      rules: [
        other,
        ...['10.96.0.1', '10.96.0.2', '10.96.0.1', '10.96.0.3', '10.96.0.4'].map((ip, i) => svc(ip, 80 + i)),
        other,
        svc('10.96.0.9', 53),
        nodePort(30080),
        nodePort(30080, 'udp'),
        nodePort(30081),
        nodePort(30080),
        other,
      ],
    };
    const runs = ruleRuns(chain);
    expect(runs.map((r) => [r.start, r.end, r.on])).toEqual([
      [0, 1, undefined],
      [1, 6, 'dst'],
      [6, 7, undefined],
      // The service rule has a port too, so it joins the NodePort rules' run.
      [7, 12, 'dport'],
      [12, 13, undefined],
    ]);
    expect(runs[1]!.on && runs[1]!.rules.get(parseIPv4('10.96.0.1'))).toEqual([1, 3]);
    expect(runs[3]!.on && [...runs[3]!.rules.values()]).toEqual([[7], [8, 11], [9], [10]]);
    expect(withLinearWalk(() => ruleRuns(chain))).toEqual([{ start: 0, end: 13 }]);
  });

  it('keys a rule only on a positive /32 destination or --dport that no random draw precedes', () => {
    const d = (prefixLen: number, invert?: boolean): Match => ({ m: 'dst', net: { ip: parseIPv4('10.96.0.1'), prefixLen }, ...(invert ? { invert } : {}) });
    const dport = (invert?: boolean): Match => ({ m: 'port', proto: 'udp', dport: 53, ...(invert ? { invert } : {}) });
    const coin: Match = { m: 'statistic', probability: 0.5 };
    const rule = (...matches: Match[]): Rule => ({ matches, target: { t: 'ACCEPT' } });
    expect(requiredKey(rule(d(32)), 'dst')).toBe(parseIPv4('10.96.0.1'));
    expect(requiredKey(rule({ m: 'comment', comment: 'x' }, d(32), coin), 'dst')).toBe(parseIPv4('10.96.0.1'));
    expect(requiredKey(rule(coin, d(32)), 'dst')).toBeUndefined();
    expect(requiredKey(rule(d(32, true)), 'dst')).toBeUndefined();
    expect(requiredKey(rule(d(24)), 'dst')).toBeUndefined();
    expect(requiredKey(rule(), 'dst')).toBeUndefined();
    expect(requiredKey(rule(dport()), 'dport')).toBe(requiredKey(rule({ m: 'port', proto: 'udp', dport: 53, sport: 1 }), 'dport'));
    expect(requiredKey(rule(dport()), 'dport')).not.toBe(requiredKey(rule({ m: 'port', proto: 'tcp', dport: 53 }), 'dport'));
    expect(requiredKey(rule(dport(true)), 'dport')).toBeUndefined();
    expect(requiredKey(rule({ m: 'port', proto: 'udp', sport: 53 }), 'dport')).toBeUndefined();
    expect(requiredKey(rule(coin, dport()), 'dport')).toBeUndefined();
    expect(requiredKey(rule(d(32)), 'dport')).toBeUndefined();
  });

  it('a chain appended to after its first walk is planned again', () => {
    const rules: Rule[] = Array.from({ length: MIN_KEYED_RUN }, (_, i) => ({ matches: [{ m: 'dst', net: { ip: VIPS[0]! + i, prefixLen: 32 } }], target: { t: 'ACCEPT' } }));
    const chain: Chain = { name: 'X', rules };
    expect(ruleRuns(chain)).toHaveLength(1);
    rules.push({ matches: [], target: { t: 'DROP' } });
    expect(ruleRuns(chain).map((r) => r.end)).toEqual([MIN_KEYED_RUN, MIN_KEYED_RUN + 1]);
  });

  it('walks random rulesets exactly as the linear walk does', () => {
    fc.assert(
      fc.property(rulesetArb(), fc.array(fc.tuple(packetArb, ioArb), { minLength: 1, maxLength: 6 }), coinsArb, (ruleset, packets, coins) => {
        for (const [packet, io] of packets) sameWalk(ruleset, packet, io, coins);
      }),
      { numRuns: 300 },
    );
  });

  it("walks kube-proxy's rules exactly as the linear walk does", () => {
    fc.assert(
      fc.property(
        arbProxyServicePorts({ maxLength: 12 }),
        fc.nat(),
        fc.constantFrom('tcp' as const, 'udp' as const, 'icmp' as const),
        ioArb,
        coinsArb,
        (ports, pick, proto, io, coins) => {
          const kp = kubeProxyTables(ports, PROXY_CONFIG);
          const ruleset: Ruleset = {
            tables: [
              { name: 'mangle', chains: kp.mangle },
              { name: 'nat', chains: kp.nat },
              { name: 'filter', chains: kp.filter },
            ],
          };
          // Aim at each service's addresses and ports, and at the node itself.
          const aims = ports.flatMap((sp) => [sp.clusterIP, ...sp.externalIPs, ...sp.loadBalancerIPs].filter((ip): ip is string => !!ip).map((ip) => ({ ip, port: sp.port })));
          aims.push({ ip: PROXY_CONFIG.nodeIPs[0]!, port: ports[0]?.nodePort ?? 30080 });
          for (const [k, aim] of aims.entries()) {
            const src = k % 2 ? parseIPv4('10.244.1.5') : parseIPv4('203.0.113.9');
            const packet: Packet = { src, dst: parseIPv4(aim.ip), sport: 40000 + (pick % 1000), dport: aim.port, proto, mark: 0, size: 60, df: true };
            sameWalk(ruleset, packet, io, coins);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
