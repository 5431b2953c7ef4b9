// A node's ruleset with flanneld's masquerade/forward rules and kube-proxy's (the example in
// kube-proxy-iptables.md: one ClusterIP service default/web:http with two endpoints and
// ClientIP affinity on the first, one service without endpoints → REJECT), built as data.
// FIXTURE_INPUT is the same ruleset in the form the daemons write it (kube-proxy's option order,
// `--or-mark`, 10-decimal probability), which is what was fed to iptables-restore to capture the
// expected outputs in the tests.

import { parseCIDR } from '../../net/ipv4.js';
import type { Chain, Match, Rule, Ruleset, Target } from '../../net/netfilter.js';

const net = (s: string) => (s.includes('/') ? parseCIDR(s) : { ip: parseCIDR(`${s}/32`).ip, prefixLen: 32 });
const src = (s: string, invert?: boolean): Match => (invert ? { m: 'src', net: net(s), invert } : { m: 'src', net: net(s) });
const dst = (s: string, invert?: boolean): Match => (invert ? { m: 'dst', net: net(s), invert } : { m: 'dst', net: net(s) });
const comment = (c: string): Match => ({ m: 'comment', comment: c });
const tcp: Match = { m: 'proto', proto: 'tcp' };
const dport = (p: number): Match => ({ m: 'port', proto: 'tcp', dport: p });
const jump = (chain: string): Target => ({ t: 'jump', chain });
const rule = (target: Target, ...matches: Match[]): Rule => ({ matches, target });
const user = (name: string, ...rules: Rule[]): Chain => ({ name, rules });
const builtin = (name: string, ...rules: Rule[]): Chain => ({ name, policy: 'ACCEPT', rules });

const SVC = 'KUBE-SVC-CDGGSHYLG3RE2FKL';
const SEP1 = 'KUBE-SEP-AFGSLHOD2HFNCBX4';
const SEP2 = 'KUBE-SEP-2RIJ5GIYXEFH6G4D';
const kp = { by: 'kube-proxy', kind: 'Service', namespace: 'default', name: 'web' };
const fl = { by: 'flanneld' };
const masq = comment('flanneld masq');
const fwd = comment('flanneld forward');

export const FIXTURE_RULESET: Ruleset = {
  tables: [
    {
      name: 'filter',
      chains: [
        builtin('INPUT'),
        builtin(
          'FORWARD',
          { ...rule(jump('FLANNEL-FWD'), fwd), owner: fl },
          rule(jump('KUBE-FORWARD'), comment('kubernetes forwarding rules')),
          rule(jump('KUBE-SERVICES'), { m: 'conntrack', ctstate: ['NEW'] }, comment('kubernetes service portals')),
        ),
        builtin('OUTPUT'),
        // User chains in kube-proxy's creation order; the tools print them sorted.
        user('KUBE-SERVICES', rule({ t: 'REJECT' }, comment('default/nothing:http has no endpoints'), tcp, dport(80), dst('10.96.7.7'))),
        user('KUBE-EXTERNAL-SERVICES'),
        user(
          'KUBE-FORWARD',
          rule({ t: 'DROP' }, { m: 'conntrack', ctstate: ['INVALID'] }),
          rule({ t: 'ACCEPT' }, comment('kubernetes forwarding rules'), { m: 'mark', value: 0x4000, mask: 0x4000 }),
          rule({ t: 'ACCEPT' }, comment('kubernetes forwarding conntrack rule'), { m: 'conntrack', ctstate: ['RELATED', 'ESTABLISHED'] }),
        ),
        user('KUBE-NODEPORTS'),
        user('KUBE-PROXY-FIREWALL'),
        user('FLANNEL-FWD', rule({ t: 'ACCEPT' }, src('10.244.0.0/16'), fwd), rule({ t: 'ACCEPT' }, dst('10.244.0.0/16'), fwd)),
      ],
    },
    {
      name: 'nat',
      chains: [
        builtin('PREROUTING', rule(jump('KUBE-SERVICES'), comment('kubernetes service portals'))),
        builtin('INPUT'),
        builtin('OUTPUT', rule(jump('KUBE-SERVICES'), comment('kubernetes service portals'))),
        builtin('POSTROUTING', rule(jump('KUBE-POSTROUTING'), comment('kubernetes postrouting rules')), { ...rule(jump('FLANNEL-POSTRTG'), masq), owner: fl }),
        user(
          'KUBE-SERVICES',
          { ...rule(jump(SVC), comment('default/web:http cluster IP'), tcp, dport(80), dst('10.96.12.34')), owner: kp },
          rule(jump('KUBE-NODEPORTS'), comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'), { m: 'addrtype', dstType: 'LOCAL' }),
        ),
        user('KUBE-NODEPORTS'),
        user(
          'KUBE-POSTROUTING',
          rule({ t: 'RETURN' }, { m: 'mark', value: 0x4000, mask: 0x4000, invert: true }),
          rule({ t: 'MARK', op: 'xor', value: 0x4000 }),
          rule({ t: 'MASQUERADE', randomFully: true }, comment('kubernetes service traffic requiring SNAT')),
        ),
        user('KUBE-MARK-MASQ', rule({ t: 'MARK', op: 'or', value: 0x4000 })),
        user(
          SVC,
          rule(jump('KUBE-MARK-MASQ'), comment('default/web:http cluster IP'), tcp, dport(80), dst('10.96.12.34'), src('10.244.0.0/16', true)),
          rule(jump(SEP1), comment('default/web:http -> 10.244.1.5:8080'), {
            m: 'recent',
            name: SEP1,
            mask: '255.255.255.255',
            op: 'rcheck',
            seconds: 10800,
            reap: true,
            rsource: true,
          }),
          rule(jump(SEP1), comment('default/web:http -> 10.244.1.5:8080'), { m: 'statistic', probability: 0.5 }),
          rule(jump(SEP2), comment('default/web:http -> 10.244.2.7:8080')),
        ),
        user(
          SEP1,
          rule(jump('KUBE-MARK-MASQ'), comment('default/web:http'), src('10.244.1.5')),
          rule({ t: 'DNAT', to: '10.244.1.5:8080' }, comment('default/web:http'), { m: 'recent', name: SEP1, mask: '255.255.255.255', op: 'set', rsource: true }, tcp, {
            m: 'port',
            proto: 'tcp',
          }),
        ),
        user(
          SEP2,
          rule(jump('KUBE-MARK-MASQ'), comment('default/web:http'), src('10.244.2.7')),
          rule({ t: 'DNAT', to: '10.244.2.7:8080' }, comment('default/web:http'), tcp, { m: 'port', proto: 'tcp' }),
        ),
        user(
          'FLANNEL-POSTRTG',
          rule({ t: 'RETURN' }, { m: 'mark', value: 0x4000, mask: 0x4000 }, masq),
          rule({ t: 'RETURN' }, src('10.244.1.0/24'), dst('10.244.0.0/16'), masq),
          rule({ t: 'RETURN' }, src('10.244.0.0/16'), dst('10.244.1.0/24'), masq),
          rule({ t: 'RETURN' }, src('10.244.0.0/16', true), dst('10.244.1.0/24'), masq),
          rule({ t: 'MASQUERADE', randomFully: true }, src('10.244.0.0/16'), dst('224.0.0.0/4', true), masq),
          rule({ t: 'MASQUERADE', randomFully: true }, src('10.244.0.0/16', true), dst('10.244.0.0/16'), masq),
        ),
      ],
    },
  ],
};

/** The same rules as the daemons write them (iptables-restore input, kube-proxy's option order). */
export const FIXTURE_INPUT = `*filter
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-SERVICES -m comment --comment "default/nothing:http has no endpoints" -m tcp -p tcp -d 10.96.7.7 --dport 80 -j REJECT
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SEP-AFGSLHOD2HFNCBX4 - [0:0]
:KUBE-SEP-2RIJ5GIYXEFH6G4D - [0:0]
:FLANNEL-POSTRTG - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.12.34 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.12.34 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.5:8080" -m recent --name KUBE-SEP-AFGSLHOD2HFNCBX4 --rcheck --seconds 10800 --reap -j KUBE-SEP-AFGSLHOD2HFNCBX4
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-AFGSLHOD2HFNCBX4
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.2.7:8080" -j KUBE-SEP-2RIJ5GIYXEFH6G4D
-A KUBE-SEP-AFGSLHOD2HFNCBX4 -m comment --comment default/web:http -s 10.244.1.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-AFGSLHOD2HFNCBX4 -m comment --comment default/web:http -m recent --name KUBE-SEP-AFGSLHOD2HFNCBX4 --set -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:8080
-A KUBE-SEP-2RIJ5GIYXEFH6G4D -m comment --comment default/web:http -s 10.244.2.7 -j KUBE-MARK-MASQ
-A KUBE-SEP-2RIJ5GIYXEFH6G4D -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.2.7:8080
-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
COMMIT
`;
