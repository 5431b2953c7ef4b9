// Tests for the server-block parser: blocks, keys, comments, quoting, snippets and imports, and
// its errors in CoreDNS's wording.

import { describe, expect, it } from 'vitest';
import { block, F, parseError } from './corefile.fixture.js';
import { parseCorefile } from './load.js';
import type { ForwardPlugin, KubernetesPlugin } from './types.js';

describe('parseCorefile: structure', () => {
  it('reads several server blocks (stub domains), comments, quoted args and keys without braces', () => {
    const cf = parseCorefile(`# cluster DNS
.:53 {
    kubernetes cluster.local   # inline comment
    forward . 8.8.8.8 "1.1.1.1"
}
example.local:53 {
    forward . 10.150.0.1
}
dns://corp.internal:1053, 10.0.0.0/8 {
    forward . 10.0.0.2:5353 fd00::53
}
`);
    expect(cf.serverBlocks.map((b) => b.zones)).toEqual([
      [{ zone: '.', port: 53, transport: 'dns' }],
      [{ zone: 'example.local.', port: 53, transport: 'dns' }],
      [
        { zone: 'corp.internal.', port: 1053, transport: 'dns' },
        { zone: '10.in-addr.arpa.', port: 53, transport: 'dns' },
      ],
    ]);
    expect((cf.serverBlocks[0]!.plugins[1] as ForwardPlugin).to).toEqual(['8.8.8.8:53', '1.1.1.1:53']);
    expect((cf.serverBlocks[2]!.plugins[0] as ForwardPlugin).to).toEqual(['10.0.0.2:5353', '[fd00::53]:53']);
    // A kubernetes plugin without zones takes the block's.
    expect((cf.serverBlocks[0]!.plugins[0] as KubernetesPlugin).zones).toEqual(['cluster.local.']);
  });

  it('expands snippets with import', () => {
    const cf = parseCorefile(`(common) {
    errors
    cache 30
}
.:53 {
    import common
    forward . 8.8.8.8
}
`);
    expect(cf.serverBlocks[0]!.plugins.map((p) => p.name)).toEqual(['errors', 'cache', 'forward']);
  });
});

describe('parseCorefile: errors in CoreDNS wording', () => {
  it.each([
    ['an unknown plugin', block('errors', 'xyz'), `${F}:3 - Error during parsing: Unknown directive 'xyz'`],
    ['proxy (removed in CoreDNS 1.5)', block('proxy . /etc/resolv.conf'), `${F}:2 - Error during parsing: Unknown directive 'proxy'`],
    ['a nested server block (coredns/deployment#215)', block('errors', '. {', '    hosts /etc/k8shosts', '}'), `${F}:3 - Error during parsing: Unknown directive '.'`],
    [
      'a brace glued to an argument (coredns#7121)',
      block('hosts coredns.hosts example.com{', '  ttl 10', '  fallthrough', '}'),
      `${F}:3 - Error during parsing: Unknown directive 'ttl'`,
    ],
    ['directives are case-sensitive', block('Forward . 8.8.8.8'), `${F}:2 - Error during parsing: Unknown directive 'Forward'`],
    ['a missing closing brace', '.:53 {\n    errors\n    loadbalance\n', `${F}:3 - Syntax error: Unexpected token 'loadbalance', expecting '}'`],
    ['a stray closing brace', block('cache 30 }'), `${F}:2 - Error during parsing: Unexpected '}' because no matching opening brace`],
    ['an unterminated plugin block', '.:53 {\n    forward . 8.8.8.8 {\n       max_concurrent 10\n', `${F}:3 - Error during parsing: Unexpected EOF`],
    ['an import of a missing file', block('import /etc/coredns/custom/*.server', 'import extra.conf'), `${F}:3 - Error during parsing: File to import not found: extra.conf`],
  ])('%s', (_what, text, message) => {
    expect(parseError(text)).toBe(message);
  });

  it('names the file CoreDNS was started with', () => {
    expect(parseError(block('errors', 'xyz'), { file: 'Corefile' })).toBe("Corefile:3 - Error during parsing: Unknown directive 'xyz'");
  });
});
