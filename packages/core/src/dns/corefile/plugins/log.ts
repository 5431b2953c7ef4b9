// The log plugin's setup (plugin/log/setup.go): `log [NAMES…] [FORMAT]` with an optional
// `class` refinement; every occurrence is one more rule.

import type { PluginConfig } from '../types.js';
import { type Setup, simple } from './setup.js';

export const setupLog: Setup = (c, line) => {
  const out: PluginConfig[] = [];
  while (c.next()) {
    const args = c.remainingArgs();
    while (c.nextBlock()) {
      const prop = c.val();
      const a = c.remainingArgs();
      if (prop !== 'class') throw c.errf(`unknown property '${prop}'`);
      for (const cl of a) if (!['all', 'success', 'denial', 'error'].includes(cl)) throw c.errf(`unknown class: ${cl}`);
    }
    out.push(simple('log', line, args));
  }
  return out;
};
