// Tests for the hosts plugin's setup: entries from files and inline lines, defaults, and its
// errors in CoreDNS's wording.

import { describe, expect, it } from 'vitest';
import { block, F, parseError } from '../corefile.fixture.js';
import { parseCorefile } from '../load.js';
import type { HostsPlugin } from '../types.js';

describe('hosts setup', () => {
  it('reads hosts entries inline and from files, with defaults for ttl and zones', () => {
    const cf = parseCorefile(block('hosts /etc/coredns/custom.hosts example.org {', '   10.0.0.1 db.example.org db', '   ttl 60', '   fallthrough', '}'), {
      files: { '/etc/coredns/custom.hosts': '# comment\n10.0.0.2 web.example.org\nbad line\n' },
    });
    const h = cf.serverBlocks[0]!.plugins[0] as HostsPlugin;
    expect(h).toMatchObject({ file: '/etc/coredns/custom.hosts', origins: ['example.org.'], ttl: 60, fallthrough: ['.'], reverse: true });
    expect(h.entries).toEqual([
      { ip: '10.0.0.1', names: ['db.example.org.', 'db.'] },
      { ip: '10.0.0.2', names: ['web.example.org.'] },
    ]);
    const plain = parseCorefile(block('hosts {', '   1.2.3.4 foo.bar', '}')).serverBlocks[0]!.plugins[0] as HostsPlugin;
    expect(plain.ttl).toBe(3600);
    // Without a file argument the pod's kubelet-managed /etc/hosts is read too.
    expect(plain.entries.some((e) => e.names.includes('localhost.'))).toBe(true);
    const missing = parseCorefile(block('hosts /nope'));
    expect(missing.warnings).toEqual(['[WARNING] plugin/hosts: File does not exist: /nope']);
  });
});

describe('hosts setup: errors in CoreDNS wording', () => {
  it.each([
    ['hosts lines after fallthrough', block('hosts {', '   fallthrough', '   1.2.3.4 foo', '}'), `plugin/hosts: ${F}:4 - Error during parsing: unknown property '1.2.3.4'`],
    ['a hosts ttl of 0', block('hosts {', '   ttl 0', '}'), `plugin/hosts: ${F}:3 - Error during parsing: ttl provided is invalid`],
    ['a hosts reload without duration', block('hosts {', '   reload', '}'), `plugin/hosts: ${F}:3 - Error during parsing: reload needs a duration (zero seconds to disable)`],
  ])('%s', (_what, text, message) => {
    expect(parseError(text)).toBe(message);
  });
});
