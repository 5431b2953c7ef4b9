// The health plugin's setup (plugin/health/setup.go): `health [ADDRESS]` with an optional
// `lameduck DURATION`, kept in the options as written.

import { parseGoDuration } from '../goparse.js';
import { type Setup, simple } from './setup.js';

export const setupHealth: Setup = (c, line) => {
  const options: Record<string, string> = {};
  let args: string[] = [];
  while (c.next()) {
    args = c.remainingArgs();
    if (args.length > 1) throw c.argErr();
    if (args.length === 1 && !/:\d*$/.test(args[0] ?? '')) throw c.pluginErr(`address ${args[0]}: missing port in address`);
    while (c.nextBlock()) {
      if (c.val() !== 'lameduck') throw c.argErr();
      const a = c.remainingArgs();
      if (a.length !== 1) throw c.argErr();
      const d = parseGoDuration(a[0] ?? '');
      if (typeof d === 'string') throw c.pluginErr(`unable to parse lameduck duration value: '${a[0]}' : ${d}`);
      options.lameduck = a[0] ?? '';
    }
  }
  return [simple('health', line, args, options)];
};
