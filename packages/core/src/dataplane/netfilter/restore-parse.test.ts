// iptables-restore text → model: tokenizer, rule parser (daemon spellings, errors, round trip
// through ruleSpec) and table reader.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCIDR } from '../../net/ipv4.js';
import { arbRule } from '@k8s-netsim/testing';
import { FIXTURE_INPUT, FIXTURE_RULESET } from './kube-flannel.fixture.js';
import { normalizeRule } from './normalise.js';
import { parseIptablesRestore, parseRuleSpec, tokenize } from './restore-parse.js';
import { chainsInSaveOrder, ruleSpec, saveString } from './save.js';

const n = (s: string) => parseCIDR(s);

describe('saveString / tokenize', () => {
  it('quotes as xtables_save_string and reads back as iptables-restore', () => {
    for (const s of ['default/web:http', 'a b', '', `x"y'z\\`, 'plain-1_X']) expect(tokenize(`--comment ${saveString(s)}`)).toEqual(['--comment', s]);
    // iptables-restore: a backslash takes the next character, single quotes are ordinary.
    expect(tokenize(`"a\\b" 'single'`)).toEqual(['ab', "'single'"]);
  });
});

describe('parseRuleSpec', () => {
  it('reads the daemons’ input form into the same rules as the fixture (canonical order)', () => {
    const parsed = parseIptablesRestore(FIXTURE_INPUT);
    for (const table of FIXTURE_RULESET.tables) {
      const got = parsed.tables.find((t) => t.name === table.name)!;
      for (const chain of chainsInSaveOrder(table)) {
        const gotChain = got.chains.find((c) => c.name === chain.name) ?? { rules: [] };
        expect(gotChain.rules, `${table.name}/${chain.name}`).toEqual(chain.rules.map(normalizeRule));
      }
    }
  });

  it('takes kube-proxy spellings: --or-mark, 10-decimal probability, implicit -p tcp match', () => {
    expect(parseRuleSpec('-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000').rule.target).toEqual({ t: 'MARK', op: 'or', value: 0x4000 });
    expect(parseRuleSpec('-A X -j MARK --xor-mark 0x4000').rule.target).toEqual({ t: 'MARK', op: 'xor', value: 0x4000 });
    expect(parseRuleSpec('-A X -j MARK --set-mark 0x10/0x30').rule.target).toEqual({ t: 'MARK', op: 'set', value: 0x10, mask: 0x30 });
    expect(parseRuleSpec('-A X -j MARK --and-mark 0xffff').rule.target).toEqual({ t: 'MARK', op: 'set', value: 0, mask: 0xffff0000 });
    expect(parseRuleSpec('-A X -m statistic --mode random --probability 0.3333333333 -j Y').rule.matches).toEqual([{ m: 'statistic', probability: 0.33333333349 }]);
    expect(parseRuleSpec('-A X -p tcp --dport 80 -j ACCEPT').rule.matches).toEqual([
      { m: 'proto', proto: 'tcp' },
      { m: 'port', proto: 'tcp', dport: 80 },
    ]);
    expect(parseRuleSpec('-A X -s 10.0.0.1/255.255.0.0 -j ACCEPT').rule.matches).toEqual([{ m: 'src', net: n('10.0.0.0/16') }]);
    expect(parseRuleSpec('-A X -j REJECT --reject-with port-unreach').rule.target).toEqual({ t: 'REJECT', with: 'icmp-port-unreachable' });
  });

  it('throws a clear error on what it does not support', () => {
    expect(() => parseRuleSpec('-A X -m connlimit --connlimit-above 2 -j ACCEPT')).toThrow(/unsupported match module "-m connlimit"/);
    expect(() => parseRuleSpec('-A X -p tcp -m multiport --sports 80 -j ACCEPT')).toThrow(/unknown or unsupported option --sports/);
    expect(() => parseRuleSpec('-A X -m set --match-set s src,src -j ACCEPT')).toThrow(/unsupported --match-set direction "src,src"/);
    expect(() => parseRuleSpec('-A X -j LOG --log-prefix x')).toThrow(/unsupported target "-j LOG"/);
    expect(() => parseRuleSpec('-A X -p tcp -m tcp --dport 80:90 -j ACCEPT')).toThrow(/port range/);
    expect(() => parseRuleSpec('-A X -p tcp -m tcp --syn -j ACCEPT')).toThrow(/unsupported option --syn/);
    expect(() => parseRuleSpec('-A X -j MARK --set-xmark 0x1/0x2')).toThrow(/value bits outside the mask/);
    expect(() => parseRuleSpec('-A X -m addrtype --dst-type UNICAST -j ACCEPT')).toThrow(/only LOCAL/);
    expect(() => parseRuleSpec('-I X -j ACCEPT')).toThrow(/expected "-A CHAIN/);
    // A rule with no -j is valid (it only counts packets).
    expect(parseRuleSpec('-A X -s 10.0.0.0/8').rule.target).toEqual({ t: 'none' });
    expect(() => parseRuleSpec('-A X -m comment --comment "open -j ACCEPT')).toThrow(/unterminated quote/);
    expect(() => parseRuleSpec('-A X -p tcp -m tcp ! --sport 1 --dport 2 -j ACCEPT')).toThrow(/one port inverted/);
  });

  it('round-trips random rules: parse(render(r)) = normalizeRule(r), and render is stable', () => {
    fc.assert(
      fc.property(arbRule(), (rule) => {
        const text = ruleSpec('CH', rule);
        const back = parseRuleSpec(text);
        expect(back.chain).toBe('CH');
        expect(back.rule).toEqual(normalizeRule(rule));
        expect(ruleSpec('CH', back.rule)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseIptablesRestore', () => {
  it('refuses a rule for an undeclared user chain, as iptables-restore does', () => {
    expect(() => parseIptablesRestore('*filter\n-A NOPE -j ACCEPT\nCOMMIT\n')).toThrow(/line 2: chain 'NOPE' does not exist/);
  });
  it('creates an undeclared built-in chain', () => {
    expect(parseIptablesRestore('*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n')).toEqual({
      tables: [{ name: 'nat', chains: [{ name: 'POSTROUTING', policy: 'ACCEPT', rules: [{ matches: [], target: { t: 'MASQUERADE' } }] }] }],
    });
  });
});
