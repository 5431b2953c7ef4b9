// The hosts plugin's setup (plugin/hosts/setup.go): a hosts file (the pod's /etc/hosts by
// default) plus inline entries, merged as CoreDNS does, with ttl/reload/fallthrough options.

import { atoi, parseGoDuration } from '../goparse.js';
import { fallZones, hostNormalize, normalizeName, parseIPLiteral } from '../names.js';
import type { HostsEntry, HostsPlugin } from '../types.js';
import { ERR_ONCE, type Setup } from './setup.js';

/** The kubelet-managed /etc/hosts of the CoreDNS pod (the hosts plugin's default file). */
const KUBELET_POD_HOSTS =
  '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

/** Hostsfile.parse: `IP name…` lines, comments stripped, bad addresses skipped. */
function parseHostsLines(lines: string[]): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const raw of lines) {
    const line = raw.replace(/#.*$/, '').trim();
    const f = line.split(/\s+/).filter(Boolean);
    if (f.length < 2) continue;
    const ip = (f[0] ?? '').replace(/%.*$/, '');
    if (!parseIPLiteral(ip)) continue;
    out.push({ ip, names: f.slice(1).map((n) => normalizeName(n)) });
  }
  return out;
}

export const setupHosts: Setup = (c, line) => {
  let i = 0;
  let h: HostsPlugin | undefined;
  while (c.next()) {
    if (i++ > 0) throw c.pluginErr(ERR_ONCE);
    const args = c.remainingArgs();
    let file = '/etc/hosts';
    let rest = args;
    if (args.length >= 1) {
      file = args[0] ?? file;
      rest = args.slice(1);
    }
    const inline: string[] = [];
    h = { name: 'hosts', line, file, origins: rest.length > 0 ? rest.map((z) => hostNormalize(z)) : [...c.keys], entries: [], ttl: 3600, reverse: true };
    while (c.nextBlock()) {
      const prop = c.val();
      switch (prop) {
        case 'fallthrough':
          h.fallthrough = fallZones(c.remainingArgs());
          break;
        case 'no_reverse':
          h.reverse = false;
          break;
        case 'ttl': {
          const a = c.remainingArgs();
          if (a.length < 1) throw c.errf('ttl needs a time in second');
          const t = atoi(a[0] ?? '');
          if (typeof t === 'string') throw c.errf('ttl needs a number of second');
          if (t <= 0 || t > 65535) throw c.errf('ttl provided is invalid');
          h.ttl = t;
          break;
        }
        case 'reload': {
          const a = c.remainingArgs();
          if (a.length !== 1) throw c.errf('reload needs a duration (zero seconds to disable)');
          const d = parseGoDuration(a[0] ?? '');
          if (typeof d === 'string') throw c.errf(`invalid duration for reload '${a[0]}'`);
          if (d < 0) throw c.errf(`invalid negative duration for reload '${a[0]}'`);
          break;
        }
        default:
          // Anything else is an inline hosts line, but only before `fallthrough`.
          if (h.fallthrough === undefined) {
            inline.push([prop, ...c.remainingArgs()].join(' '));
            continue;
          }
          throw c.errf(`unknown property '${prop}'`);
      }
    }
    const content = c.files[file] ?? (file === '/etc/hosts' ? KUBELET_POD_HOSTS : undefined);
    if (content === undefined) c.warnings.push(`[WARNING] plugin/hosts: File does not exist: ${file}`);
    h.entries = [...parseHostsLines(inline), ...parseHostsLines((content ?? '').split('\n'))];
  }
  return h ? [h] : [];
};
