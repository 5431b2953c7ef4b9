// iptables-save and iptables -L on a node: the node's ruleset as the real tools print it.
// Inside a pod's namespace the ruleset is empty, as it is on a real pod.

import { EMPTY_RULESET, nodeRuleset } from '../../dataplane/netfilter/ruleset.js';
import type { TableName } from '../../net/netfilter.js';
import { iptablesList, iptablesSave } from '../../views/linux/index.js';
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
