// iptables-save text of rules and chain order, each expectation as iptables-save 1.8.9 printed it.

import { describe, expect, it } from 'vitest';
import { parseCIDR } from '../../net/ipv4.js';
import type { Match, Rule, Target } from '../../net/netfilter.js';
import { chainsInSaveOrder, ruleSpec } from './save.js';

const n = (s: string) => parseCIDR(s);
const r = (target: Target, ...matches: Match[]): Rule => ({ matches, target });

describe('ruleSpec', () => {
  // Each expectation is what iptables-save 1.8.9 (nf_tables and legacy alike) printed for the
  // rule after iptables-restore loaded it in a throwaway netns on this machine.
  it.each<[string, Rule, string]>([
    [
      'IP part first, fixed order; /32 added',
      r(
        { t: 'jump', chain: 'KUBE-MARK-MASQ' },
        { m: 'comment', comment: 'default/web:http cluster IP' },
        { m: 'proto', proto: 'tcp' },
        { m: 'port', proto: 'tcp', dport: 80 },
        { m: 'dst', net: n('10.96.12.34/32') },
        { m: 'src', net: n('10.244.0.0/16'), invert: true },
      ),
      '-A C ! -s 10.244.0.0/16 -d 10.96.12.34/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
    ],
    [
      'interfaces after addresses',
      r({ t: 'ACCEPT' }, { m: 'in', iface: 'eth0' }, { m: 'out', iface: 'cni0' }, { m: 'dst', net: n('10.0.0.0/8') }),
      '-A C -d 10.0.0.0/8 -i eth0 -o cni0 -j ACCEPT',
    ],
    ['inverted interfaces', r({ t: 'DROP' }, { m: 'in', iface: 'veth+', invert: true }, { m: 'out', iface: 'eth0', invert: true }), '-A C ! -i veth+ ! -o eth0 -j DROP'],
    ['host bits cleared', r({ t: 'ACCEPT' }, { m: 'src', net: n('10.244.1.5/16') }), '-A C -s 10.244.0.0/16 -j ACCEPT'],
    ['a /0 is dropped', r({ t: 'ACCEPT' }, { m: 'src', net: n('1.2.3.4/0') }), '-A C -j ACCEPT'],
    ['inverted protocol', r({ t: 'ACCEPT' }, { m: 'proto', proto: 'tcp', invert: true }), '-A C ! -p tcp -j ACCEPT'],
    [
      '-m tcp without ports',
      r({ t: 'DNAT', to: '10.244.2.7:8080' }, { m: 'port', proto: 'tcp' }, { m: 'proto', proto: 'tcp' }),
      '-A C -p tcp -m tcp -j DNAT --to-destination 10.244.2.7:8080',
    ],
    [
      'inverted ports, sport before dport',
      r({ t: 'ACCEPT' }, { m: 'proto', proto: 'tcp' }, { m: 'port', proto: 'tcp', dport: 2, sport: 1, invert: true }),
      '-A C -p tcp -m tcp ! --sport 1 ! --dport 2 -j ACCEPT',
    ],
    ['udp', r({ t: 'ACCEPT' }, { m: 'proto', proto: 'udp' }, { m: 'port', proto: 'udp', dport: 53, invert: true }), '-A C -p udp -m udp ! --dport 53 -j ACCEPT'],
    ['sctp', r({ t: 'ACCEPT' }, { m: 'proto', proto: 'sctp' }, { m: 'port', proto: 'sctp', sport: 80, invert: true }), '-A C -p sctp -m sctp ! --sport 80 -j ACCEPT'],
    ['comment: unquoted only for [A-Za-z0-9_-]', r({ t: 'ACCEPT' }, { m: 'comment', comment: 'abc_DEF-1' }), '-A C -m comment --comment abc_DEF-1 -j ACCEPT'],
    ['comment: empty', r({ t: 'ACCEPT' }, { m: 'comment', comment: '' }), '-A C -m comment --comment "" -j ACCEPT'],
    ['comment: escapes', r({ t: 'ACCEPT' }, { m: 'comment', comment: `say "hi" o'k back\\slash` }), `-A C -m comment --comment "say \\"hi\\" o\\'k back\\\\slash" -j ACCEPT`],
    ['two comments', r({ t: 'ACCEPT' }, { m: 'comment', comment: 'a' }, { m: 'comment', comment: 'b' }), '-A C -m comment --comment a -m comment --comment b -j ACCEPT'],
    ['goto', r({ t: 'goto', chain: 'Y' }, { m: 'comment', comment: 'x' }), '-A C -m comment --comment x -g Y'],
    ['mark ! before --mark', r({ t: 'RETURN' }, { m: 'mark', value: 0x4000, mask: 0x4000, invert: true }), '-A C -m mark ! --mark 0x4000/0x4000 -j RETURN'],
    ['mark with full mask', r({ t: 'DROP' }, { m: 'mark', value: 1, mask: 0xffffffff }), '-A C -m mark --mark 0x1 -j DROP'],
    ['mark 0/0', r({ t: 'DROP' }, { m: 'mark', value: 0, mask: 0 }), '-A C -m mark --mark 0x0/0x0 -j DROP'],
    ['addrtype', r({ t: 'jump', chain: 'KUBE-NODEPORTS' }, { m: 'addrtype', dstType: 'LOCAL' }), '-A C -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS'],
    [
      'addrtype inverted, both',
      r({ t: 'DROP' }, { m: 'addrtype', dstType: 'LOCAL', srcType: 'LOCAL', invertSrc: true, invertDst: true }),
      '-A C -m addrtype ! --src-type LOCAL ! --dst-type LOCAL -j DROP',
    ],
    ['addrtype limit-iface-out', r({ t: 'DROP' }, { m: 'addrtype', dstType: 'LOCAL', limitIfaceOut: true }), '-A C -m addrtype --dst-type LOCAL --limit-iface-out -j DROP'],
    [
      'conntrack states in print order',
      r({ t: 'DROP' }, { m: 'conntrack', ctstate: ['DNAT', 'RELATED', 'ESTABLISHED', 'INVALID', 'NEW', 'SNAT'], invert: true }),
      '-A C -m conntrack ! --ctstate INVALID,NEW,RELATED,ESTABLISHED,SNAT,DNAT -j DROP',
    ],
    ['statistic 11 decimals', r({ t: 'jump', chain: 'S' }, { m: 'statistic', probability: 0.5 }), '-A C -m statistic --mode random --probability 0.50000000000 -j S'],
    [
      'recent rcheck',
      r({ t: 'jump', chain: 'S' }, { m: 'recent', name: 'KUBE-SEP-X', mask: '255.255.255.255', op: 'rcheck', seconds: 10800, reap: true, rsource: true }),
      '-A C -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-X --mask 255.255.255.255 --rsource -j S',
    ],
    [
      'recent set',
      r({ t: 'DROP' }, { m: 'recent', name: 'foo', mask: '255.255.0.0', op: 'set', rsource: true }),
      '-A C -m recent --set --name foo --mask 255.255.0.0 --rsource -j DROP',
    ],
    ['MARK or', r({ t: 'MARK', op: 'or', value: 0x4000 }), '-A C -j MARK --set-xmark 0x4000/0x4000'],
    ['MARK xor', r({ t: 'MARK', op: 'xor', value: 0x4000 }), '-A C -j MARK --set-xmark 0x4000/0x0'],
    ['MARK set', r({ t: 'MARK', op: 'set', value: 0x10 }), '-A C -j MARK --set-xmark 0x10/0xffffffff'],
    ['MARK set with mask', r({ t: 'MARK', op: 'set', value: 0x10, mask: 0x30 }), '-A C -j MARK --set-xmark 0x10/0x30'],
    ['REJECT default spelled out', r({ t: 'REJECT' }), '-A C -j REJECT --reject-with icmp-port-unreachable'],
    ['REJECT tcp-reset', r({ t: 'REJECT', with: 'tcp-reset' }, { m: 'proto', proto: 'tcp' }), '-A C -p tcp -j REJECT --reject-with tcp-reset'],
    ['MASQUERADE', r({ t: 'MASQUERADE', randomFully: true }), '-A C -j MASQUERADE --random-fully'],
    [
      'MASQUERADE ports',
      r({ t: 'MASQUERADE', toPorts: '1000-2000', randomFully: true }, { m: 'proto', proto: 'udp' }),
      '-A C -p udp -j MASQUERADE --to-ports 1000-2000 --random-fully',
    ],
    ['SNAT', r({ t: 'SNAT', to: '1.1.1.1', randomFully: true }), '-A C -j SNAT --to-source 1.1.1.1 --random-fully'],
    ['DNAT equal range ends collapse', r({ t: 'DNAT', to: '10.0.0.1:80-80' }, { m: 'proto', proto: 'tcp' }), '-A C -p tcp -j DNAT --to-destination 10.0.0.1:80'],
    ['DNAT ranges', r({ t: 'DNAT', to: '10.0.0.1-10.0.0.5:80-90' }, { m: 'proto', proto: 'tcp' }), '-A C -p tcp -j DNAT --to-destination 10.0.0.1-10.0.0.5:80-90'],
  ])('%s', (_name, rule, want) => {
    expect(ruleSpec('C', rule)).toBe(want);
  });

  it('refuses a rule with two -s', () => {
    expect(() => ruleSpec('C', r({ t: 'ACCEPT' }, { m: 'src', net: n('1.0.0.0/8') }, { m: 'src', net: n('2.0.0.0/8') }))).toThrow(/multiple src/);
  });
});

describe('chainsInSaveOrder', () => {
  it('puts built-ins first (missing ones with policy ACCEPT), then user chains by strcmp', () => {
    const names = chainsInSaveOrder({
      name: 'filter',
      chains: ['zeta', 'KUBE_X', 'KUBE-SVC-X', 'KUBE-SVC', 'B', 'a', '1chain', 'Ab']
        .map((name) => ({ name, rules: [] }))
        .concat([{ name: 'FORWARD', policy: 'DROP', rules: [] } as never]),
    });
    // The order iptables-save 1.8.9 printed these declarations in, on nf_tables and on legacy.
    expect(names.map((c) => c.name)).toEqual(['INPUT', 'FORWARD', 'OUTPUT', '1chain', 'Ab', 'B', 'KUBE-SVC', 'KUBE-SVC-X', 'KUBE_X', 'a', 'zeta']);
    expect(names[1]!.policy).toBe('DROP');
    expect(names[0]!.policy).toBe('ACCEPT');
  });
});
