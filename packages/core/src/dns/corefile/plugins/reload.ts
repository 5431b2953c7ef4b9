// The reload plugin's setup (plugin/reload/setup.go): `reload [INTERVAL [JITTER]]`, with the
// interval/jitter bounds CoreDNS enforces; the values are kept as written.

import { parseGoDuration } from '../goparse.js';
import { ERR_ONCE, type Setup, simple } from './setup.js';

export const setupReload: Setup = (c, line) => {
  let i = 0;
  let args: string[] = [];
  const options: Record<string, string> = { interval: '30s', jitter: '15s' };
  while (c.next()) {
    if (i++ > 0) throw c.pluginErr(ERR_ONCE);
    args = c.remainingArgs();
    if (args.length > 2) throw c.argErr();
    let interval = 30_000;
    let jitter = 15_000;
    if (args[0] !== undefined) {
      const d = parseGoDuration(args[0]);
      if (typeof d === 'string') throw c.pluginErr(d);
      interval = d;
      options.interval = args[0];
    }
    if (interval < 2000) throw c.pluginErr('interval value must be greater or equal to 2s');
    if (args[1] !== undefined) {
      const d = parseGoDuration(args[1]);
      if (typeof d === 'string') throw c.pluginErr(d);
      jitter = d;
      options.jitter = args[1];
    }
    if (jitter < 1000) throw c.pluginErr('jitter value must be greater or equal to 1s');
    if (jitter > interval / 2) throw c.pluginErr(`jitter value must be smaller than half of interval value ${options.interval}`);
  }
  return [simple('reload', line, args, options)];
};
