// What every plugin setup shares: the Setup signature (a Dispenser in, configs out), plugin.ErrOnce,
// the SimplePlugin builder, and the `NAME [ADDRESS]` parser that ready and prometheus both use.

import type { Dispenser } from '../dispenser.js';
import type { PluginConfig, SimplePlugin } from '../types.js';

/** A plugin's setup: consumes every occurrence of its directive in one server block. */
export type Setup = (c: Dispenser, line: number) => PluginConfig[];

/** plugin.ErrOnce. */
export const ERR_ONCE = 'this plugin can only be used once per Server Block';

/** The config of a plugin that keeps only its arguments and a few options as written. */
export function simple(name: SimplePlugin['name'], line: number, args: string[], options: Record<string, string> = {}): SimplePlugin {
  return { name, line, args, options };
}

/** `NAME [ADDRESS]` and no block (ready, prometheus): more than one argument or any block is an ArgErr. */
export const setupAddressOnly =
  (name: 'ready' | 'prometheus'): Setup =>
  (c, line) => {
    let args: string[] = [];
    while (c.next()) {
      args = c.remainingArgs();
      if (args.length > 1) throw c.argErr();
      while (c.nextBlock()) throw c.argErr();
    }
    return [simple(name, line, args)];
  };
