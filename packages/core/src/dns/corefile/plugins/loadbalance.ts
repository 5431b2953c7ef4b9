// The loadbalance plugin's setup (plugin/loadbalance/setup.go): `loadbalance [round_robin]`, or
// `weighted FILE { … }` (accepted, not modelled).

import { type Setup, simple } from './setup.js';

export const setupLoadbalance: Setup = (c, line) => {
  let args: string[] = [];
  while (c.next()) {
    args = c.remainingArgs();
    const policy = args[0] ?? 'round_robin';
    if (policy === 'round_robin') {
      if (args.length > 1) throw c.argErr();
    } else if (policy === 'weighted') {
      if (args.length < 2) throw c.argErr();
      while (c.nextBlock()) c.remainingArgs();
    } else throw c.pluginErr(`unknown policy: ${policy}`);
  }
  return [simple('loadbalance', line, args, { policy: args[0] ?? 'round_robin' })];
};
