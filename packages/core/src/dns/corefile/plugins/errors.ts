// The errors plugin's setup (plugin/errors/setup.go): `errors [stdout]` with optional
// `consolidate` and `stacktrace` lines; the simulator only validates it.

import { parseGoDuration } from '../goparse.js';
import type { PluginConfig } from '../types.js';
import { ERR_ONCE, type Setup, simple } from './setup.js';

export const setupErrors: Setup = (c, line) => {
  let i = 0;
  const out: PluginConfig[] = [];
  while (c.next()) {
    if (i++ > 0) throw c.pluginErr(ERR_ONCE);
    const args = c.remainingArgs();
    if (args.length > 1) throw c.argErr();
    if (args.length === 1 && args[0] !== 'stdout') throw c.errf(`invalid log file: ${args[0]}`);
    while (c.nextBlock()) {
      const prop = c.val();
      const a = c.remainingArgs();
      if (prop === 'consolidate') {
        if (a.length < 2 || a.length > 3) throw c.argErr();
        const d = parseGoDuration(a[0] ?? '');
        if (typeof d === 'string') throw c.errf(d);
      } else if (prop === 'stacktrace') {
        if (a.length > 0) throw c.argErr();
      } else throw c.errf(`unknown property '${prop}'`);
    }
    out.push(simple('errors', line, args));
  }
  return out;
};
