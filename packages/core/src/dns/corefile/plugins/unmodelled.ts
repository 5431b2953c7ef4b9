// The setup for directives CoreDNS ships but the simulator does not model: their arguments are
// recorded and their blocks skipped, and queries pass through them.

import type { PluginConfig } from '../types.js';
import type { Setup } from './setup.js';

export const setupUnmodelled: Setup = (c, line) => {
  const out: PluginConfig[] = [];
  while (c.next()) {
    const name = c.val();
    const args = c.remainingArgs();
    while (c.nextBlock()) c.remainingArgs();
    out.push({ name, line, unmodelled: true, args });
  }
  return out;
};
