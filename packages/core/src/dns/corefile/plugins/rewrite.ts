// The rewrite plugin's setup (plugin/rewrite/setup.go, name.go): name rules in every match
// form with their answer rewrites, and the other rule types accepted but not modelled.

import { normalizeName } from '../names.js';
import type { RewriteMatch, RewriteNameRule, RewriteOtherRule } from '../types.js';
import type { Setup } from './setup.js';

/** rewrite's name rule (plugin/rewrite/name.go), plus `answer auto`. */
function newNameRule(mode: 'stop' | 'continue', args: string[]): RewriteNameRule {
  if (args.length < 2) throw new Error('too few arguments for a name rule');
  let match: string;
  let from: string;
  let to: string;
  if (args.length === 2) {
    match = 'exact';
    from = normalizeName(args[0] ?? '');
    to = normalizeName(args[1] ?? '');
  } else {
    match = (args[0] ?? '').toLowerCase();
    from = match === 'regex' ? (args[1] ?? '') : normalizeName(args[1] ?? '');
    to = match === 'regex' ? (args[2] ?? '') : normalizeName(args[2] ?? '');
  }
  if (!['exact', 'prefix', 'suffix', 'substring', 'regex'].includes(match)) {
    throw new Error(`name rule supports only exact, prefix, suffix, substring, and regex name matching, received: ${match}`);
  }
  const m = match as RewriteMatch;
  const checkRegex = (pattern: string, replacement: string): void => {
    let re: RegExp;
    try {
      re = new RegExp(pattern);
    } catch {
      throw new Error(`invalid regex matching pattern: ${pattern}`);
    }
    const groups = new RegExp(`${re.source}|`).exec('')?.length ?? 1;
    let used = 0;
    for (let i = 0; i <= 100; i++) if (replacement.includes(`{${i}}`)) used++;
    if (used > groups - 1) throw new Error(`the rewrite regex pattern (${replacement}) uses more subexpressions than its corresponding matching regex pattern (${pattern})`);
  };
  if (m === 'regex') {
    checkRegex(from, to);
    to = normalizeName(to);
  }
  const rule: RewriteNameRule = { field: 'name', mode, match: m, from, to };
  if (args.length === 3 || args.length === 2) return rule;
  // `answer auto` (newer CoreDNS) reverts answer names for every match type.
  if (args.length === 5 && args[3] === 'answer' && args[4] === 'auto') return { ...rule, answer: { kind: 'auto' } };
  if (args.length !== 7 && args.length !== 5) throw new Error('response rewrites must consist only of a name rule with 3 arguments and an answer rule with 3 arguments');
  if (m !== 'regex') throw new Error('the rewrite of response is supported only for name regex rule');
  if (args[3] !== 'answer') throw new Error('exceeded the number of arguments for a regex name rule');
  const field = (args[4] ?? '').toLowerCase();
  if (field !== 'name' || args.length !== 7) throw new Error('exceeded the number of arguments for a regex name rule');
  checkRegex(args[5] ?? '', args[6] ?? '');
  return { ...rule, answer: { kind: 'name', from: args[5] ?? '', to: normalizeName(args[6] ?? '') } };
}

function newRewriteRule(args: string[]): RewriteNameRule | RewriteOtherRule {
  if (args.length === 0) throw new Error('no rule type specified for rewrite');
  const arg0 = (args[0] ?? '').toLowerCase();
  let mode: 'stop' | 'continue' = 'stop';
  let start = 1;
  let ruleType = arg0;
  if (arg0 === 'continue' || arg0 === 'stop') {
    if (args.length < 2) throw new Error(`${arg0} rule must begin with a rule type`);
    mode = arg0;
    ruleType = (args[1] ?? '').toLowerCase();
    start = 2;
  }
  const rest = args.slice(start);
  switch (ruleType) {
    case 'answer':
      throw new Error('response rewrites must begin with a name rule');
    case 'name':
      return newNameRule(mode, rest);
    case 'class':
    case 'type':
      if (rest.length !== 2) throw new Error(`${ruleType} rules must have exactly two arguments`);
      return { field: ruleType, mode, args: rest };
    case 'edns0':
    case 'ttl':
    case 'cname':
    case 'rcode':
      if (rest.length < 2) throw new Error(`${ruleType} rules must have at least two arguments`);
      return { field: ruleType, mode, args: rest };
    default:
      throw new Error(`invalid rule type ${JSON.stringify(args[0])}`);
  }
}

export const setupRewrite: Setup = (c, line) => {
  const rules: (RewriteNameRule | RewriteOtherRule)[] = [];
  while (c.next()) {
    let args = c.remainingArgs();
    if (args.length < 2) {
      // The block form: `rewrite [continue|stop] { name regex … ; answer name … }` is one rule.
      while (c.nextBlock()) {
        args = [...args, c.val(), ...c.remainingArgs()];
      }
    }
    try {
      rules.push(newRewriteRule(args));
    } catch (e) {
      throw c.pluginErr((e as Error).message);
    }
  }
  return [{ name: 'rewrite', line, rules }];
};
