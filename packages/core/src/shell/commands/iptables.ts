// iptables-save, iptables -L and ipset list/save on a node: the node's ruleset (and the ipsets its
// rules name) as the real tools print them.
// Inside a pod's namespace the ruleset is empty, as it is on a real pod.

import { EMPTY_RULESET, nodeRuleset } from '../../dataplane/netfilter/ruleset.js';
import type { TableName } from '../../net/netfilter.js';
import { ipsetList, ipsetSave, iptablesList, iptablesSave } from '../../views/linux/index.js';
import { contextNode, fail, ok, type Command, type CommandIO } from '../context.js';

function rulesetFor(io: CommandIO) {
  return io.ctx.kind === 'pod' ? EMPTY_RULESET : nodeRuleset(io.state, contextNode(io.state, io.ctx));
}

function tableArg(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-t' || a === '--table') return args[i + 1];
    if (a.startsWith('--table=')) return a.slice(8);
    if (/^-t\w+$/.test(a)) return a.slice(2);
  }
  return undefined;
}

export const iptablesSaveCmd: Command = (args, io) => {
  const table = tableArg(args);
  return ok(iptablesSave(rulesetFor(io), { ...(table ? { table: table as TableName } : {}), now: io.state.clock }));
};

export const iptablesCmd: Command = (args, io) => {
  const table = (tableArg(args) ?? 'filter') as TableName;
  const listIdx = args.findIndex((a) => a === '-L' || a === '--list' || /^-L\w*$/.test(a) || /^-n?L/.test(a));
  if (listIdx < 0) return fail('iptables v1.8.10 (nf_tables): only listing (-L) is simulated; rules are programmed by kube-proxy and flanneld', 2);
  const flags = args.join(' ');
  const next = args[listIdx + 1];
  const chain = next && !next.startsWith('-') ? next : undefined;
  const verbose = /(^|\s)-\w*v/.test(flags) || args.includes('--verbose');
  const lineNumbers = args.includes('--line-numbers');
  return ok(iptablesList(rulesetFor(io), { table, ...(chain ? { chain } : {}), numeric: true, verbose, lineNumbers }));
};

/** `ipset list [-n] [NAME]` / `ipset -L`, `ipset save`: Felix's sets on a canal node (none elsewhere). */
export const ipsetCmd: Command = (args, io) => {
  const [cmd, ...rest] = args;
  const ruleset = rulesetFor(io);
  if (cmd === 'save' || cmd === '-S' || cmd === '-save') return ok(ipsetSave(ruleset, io.state.config.seed));
  if (cmd === 'list' || cmd === '-L' || cmd === '-l' || cmd === '-list') {
    const namesOnly = rest.includes('-n') || rest.includes('-name');
    const name = rest.find((a) => !a.startsWith('-'));
    if (namesOnly) {
      const names = [...(ruleset.ipsets?.keys() ?? [])].sort().filter((n) => name === undefined || n === name);
      return ok(names.map((n) => `${n}\n`).join(''));
    }
    return ok(ipsetList(ruleset, io.state.config.seed, name));
  }
  if (cmd === undefined) return fail("ipset v7.17: No command specified.\nTry `ipset help' for more information.", 1);
  return fail(`ipset v7.17: only list and save are simulated: the sets are Felix's to program`, 2);
};
