// The cache plugin's setup (plugin/cache/setup.go): `cache [TTL] [ZONES…]` and its block
// (success, denial, prefetch, serve_stale, servfail, disable, keepttl).

import { atoi, parseGoDuration } from '../goparse.js';
import { hostNormalize } from '../names.js';
import type { CachePlugin } from '../types.js';
import { ERR_ONCE, type Setup } from './setup.js';

export const setupCache: Setup = (c, line) => {
  let j = 0;
  let cfg: CachePlugin | undefined;
  while (c.next()) {
    if (j++ > 0) throw c.pluginErr(ERR_ONCE);
    cfg = { name: 'cache', line, zones: [...c.keys], successTTL: 3600, denialTTL: 1800, successMinTTL: 5, denialMinTTL: 5, servfailTTL: 5, disableSuccess: [], disableDenial: [] };
    let args = c.remainingArgs();
    if (args.length > 0) {
      const ttl = atoi(args[0] ?? '');
      if (typeof ttl === 'number') {
        if (ttl <= 0) throw c.pluginErr(`cache TTL can not be zero or negative: ${ttl}`);
        cfg.successTTL = ttl;
        cfg.denialTTL = ttl;
        args = args.slice(1);
      }
      if (args.length > 0) cfg.zones = args.map((z) => hostNormalize(z));
    }
    while (c.nextBlock()) {
      const prop = c.val();
      switch (prop) {
        case 'success':
        case 'denial': {
          const a = c.remainingArgs();
          if (a.length === 0) throw c.argErr();
          const cap = atoi(a[0] ?? '');
          if (typeof cap === 'string') throw c.pluginErr(cap);
          if (a[1] !== undefined) {
            const t = atoi(a[1]);
            if (typeof t === 'string') throw c.pluginErr(t);
            if (t <= 0) throw c.pluginErr(`cache TTL can not be zero or negative: ${t}`);
            if (prop === 'success') cfg.successTTL = t;
            else cfg.denialTTL = t;
          }
          if (a[2] !== undefined) {
            const t = atoi(a[2]);
            if (typeof t === 'string') throw c.pluginErr(t);
            if (t < 0) throw c.pluginErr(`cache min TTL can not be negative: ${t}`);
            if (prop === 'success') cfg.successMinTTL = t;
            else cfg.denialMinTTL = t;
          }
          break;
        }
        case 'prefetch': {
          const a = c.remainingArgs();
          if (a.length === 0 || a.length > 3) throw c.argErr();
          const n = atoi(a[0] ?? '');
          if (typeof n === 'string') throw c.pluginErr(n);
          if (n < 0) throw c.pluginErr(`prefetch amount should be positive: ${n}`);
          if (a[1] !== undefined) {
            const d = parseGoDuration(a[1]);
            if (typeof d === 'string') throw c.pluginErr(d);
          }
          if (a[2] !== undefined) {
            const pct = a[2];
            if (!pct.endsWith('%')) throw c.pluginErr(`last character of percentage should be \`%\`, but is: '${pct.slice(-1)}'`);
            const num = atoi(pct.slice(0, -1));
            if (typeof num === 'string') throw c.pluginErr(num);
            if (num < 10 || num > 90) throw c.pluginErr(`percentage should fall in range [10, 90]: ${num}`);
          }
          break;
        }
        case 'serve_stale': {
          const a = c.remainingArgs();
          if (a.length > 2) throw c.argErr();
          if (a[0] !== undefined) {
            const d = parseGoDuration(a[0]);
            if (typeof d === 'string') throw c.pluginErr(d);
            if (d < 0) throw c.pluginErr(`invalid negative duration for serve_stale: ${a[0]}`);
          }
          if (a[1] !== undefined && a[1] !== 'immediate' && a[1] !== 'verify') throw c.pluginErr(`invalid value for serve_stale refresh mode: ${a[1]}`);
          break;
        }
        case 'servfail': {
          const a = c.remainingArgs();
          if (a.length !== 1) throw c.argErr();
          const d = parseGoDuration(a[0] ?? '');
          if (typeof d === 'string') throw c.pluginErr(d);
          if (d < 0) throw c.pluginErr(`invalid negative ttl for servfail: ${a[0]}`);
          if (d > 300_000) throw c.pluginErr('caching SERVFAIL responses over 5 minutes is not permitted');
          cfg.servfailTTL = Math.floor(d / 1000);
          break;
        }
        case 'disable': {
          const a = c.remainingArgs();
          if (a.length < 1) throw c.argErr();
          const zones = a.length > 1 ? a.slice(1).map((z) => hostNormalize(z)) : [...cfg.zones];
          if (a[0] === 'success') cfg.disableSuccess.push(...zones);
          else if (a[0] === 'denial') cfg.disableDenial.push(...zones);
          else throw c.pluginErr(`cache type for disable must be "success" or "denial"`);
          break;
        }
        case 'keepttl':
          if (c.remainingArgs().length !== 0) throw c.argErr();
          break;
        default:
          throw c.argErr();
      }
    }
  }
  return cfg ? [cfg] : [];
};
