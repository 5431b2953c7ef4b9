// The loop plugin's setup (plugin/loop/setup.go): a bare `loop`, once per server block.

import { ERR_ONCE, type Setup, simple } from './setup.js';

export const setupLoop: Setup = (c, line) => {
  let i = 0;
  while (c.next()) {
    if (i++ > 0) throw c.pluginErr(ERR_ONCE);
    if (c.nextArg()) throw c.argErr();
  }
  return [simple('loop', line, [])];
};
