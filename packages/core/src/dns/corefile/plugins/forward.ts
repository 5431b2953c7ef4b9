// The forward plugin's setup (plugin/forward/setup.go): `forward FROM TO…` with its options;
// destinations are addresses or resolv.conf-style files read from the container's files.

import type { Dispenser } from '../dispenser.js';
import { atoi, parseGoDuration } from '../goparse.js';
import { DEFAULT_PORTS, hostNormalize, parseIPLiteral, splitTransport } from '../names.js';
import type { ForwardPlugin } from '../types.js';
import type { Setup } from './setup.js';

/** parse.HostPortOrFile for one destination. */
function forwardDestination(c: Dispenser, h: string): string[] {
  const { transport, rest } = splitTransport(h);
  let addr = rest;
  let port: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (bracket && bracket[2] !== undefined) {
    addr = bracket[1] ?? '';
    port = bracket[2];
  } else if (bracket) {
    addr = rest; // `[::1]` without a port is neither host:port nor an address to net.ParseIP
  } else if ((rest.match(/:/g)?.length ?? 0) === 1) {
    addr = rest.slice(0, rest.indexOf(':'));
    port = rest.slice(rest.indexOf(':') + 1);
  }
  if (parseIPLiteral(addr.replace(/%.*$/, ''))) {
    if (transport !== 'dns' && transport !== 'tls') {
      throw c.pluginErr(`'${transport}' is not supported as a destination protocol in forward: ${h}`);
    }
    if (port !== undefined) return [h];
    const p = DEFAULT_PORTS[transport];
    const hp = addr.includes(':') ? `[${addr}]:${p}` : `${addr}:${p}`;
    return [transport === 'dns' ? hp : `${transport}://${hp}`];
  }
  // Not an address: a resolv.conf-style file. /etc/resolv.conf is the node's (dnsPolicy Default).
  if (rest === '/etc/resolv.conf' && c.files[rest] === undefined) return [rest];
  const content = c.files[rest];
  if (content !== undefined) {
    const servers = content
      .split('\n')
      .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
      .filter((x): x is string => !!x);
    if (servers.length === 0) return [];
    return servers.map((s) => (s.includes(':') ? `[${s}]:53` : `${s}:53`));
  }
  throw c.pluginErr(`not an IP address or file: ${JSON.stringify(rest)}`);
}

export const setupForward: Setup = (c, line) => {
  const out: ForwardPlugin[] = [];
  while (c.next()) {
    if (!c.nextArg()) throw c.argErr();
    const fromArg = c.val();
    const from = hostNormalize(fromArg);
    if (!from) throw c.pluginErr(`unable to normalize '${fromArg}'`);
    const toArgs = c.remainingArgs();
    if (toArgs.length === 0) throw c.argErr();
    const to: string[] = [];
    for (const h of toArgs) to.push(...forwardDestination(c, h));
    if (to.length === 0) throw c.pluginErr('no nameservers found');
    if (to.length > 15) throw c.pluginErr(`more than 15 TOs configured: ${to.length}`);
    const f: ForwardPlugin = { name: 'forward', line, from, to, except: [], policy: 'random' };
    while (c.nextBlock()) {
      const prop = c.val();
      switch (prop) {
        case 'except': {
          const a = c.remainingArgs();
          if (a.length === 0) throw c.argErr();
          f.except.push(...a.map((z) => hostNormalize(z)));
          break;
        }
        case 'max_fails': {
          if (!c.nextArg()) throw c.argErr();
          if (!/^\d+$/.test(c.val())) throw c.pluginErr(`strconv.ParseUint: parsing ${JSON.stringify(c.val())}: invalid syntax`);
          break;
        }
        case 'health_check':
        case 'expire': {
          if (!c.nextArg()) throw c.argErr();
          const d = parseGoDuration(c.val());
          if (typeof d === 'string') throw c.pluginErr(d);
          if (d < 0) throw c.pluginErr(`${prop} can't be negative: ${c.val()}`);
          if (prop === 'health_check') {
            while (c.nextArg()) {
              const o = c.val();
              if (o === 'no_rec') continue;
              if (o === 'domain') {
                if (!c.nextArg()) throw c.argErr();
                continue;
              }
              throw c.pluginErr(`health_check: unknown option ${o}`);
            }
          }
          break;
        }
        case 'force_tcp':
        case 'prefer_udp':
        case 'next':
        case 'failfast_all_unhealthy_upstreams':
          if (prop === 'next') {
            if (c.remainingArgs().length === 0) throw c.argErr();
          } else if (c.nextArg()) throw c.argErr();
          break;
        case 'tls':
          if (c.remainingArgs().length > 3) throw c.argErr();
          break;
        case 'tls_servername':
          if (!c.nextArg()) throw c.argErr();
          break;
        case 'policy': {
          if (!c.nextArg()) throw c.argErr();
          const p = c.val();
          if (p !== 'random' && p !== 'round_robin' && p !== 'sequential') throw c.errf(`unknown policy '${p}'`);
          f.policy = p;
          break;
        }
        case 'max_concurrent': {
          if (!c.nextArg()) throw c.argErr();
          const n = atoi(c.val());
          if (typeof n === 'string') throw c.pluginErr(n);
          if (n < 0) throw c.pluginErr(`max_concurrent can't be negative: ${n}`);
          f.maxConcurrent = n;
          break;
        }
        default:
          throw c.errf(`unknown property '${prop}'`);
      }
    }
    out.push(f);
  }
  return out;
};
