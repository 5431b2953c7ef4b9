// Tests for loading a whole Corefile: the order stages report errors in (parse, keys, setup in
// plugin.cfg order) and duplicate listeners.

import { describe, expect, it } from 'vitest';
import { block, parseError } from './corefile.fixture.js';

describe('parseCorefile: errors in CoreDNS wording', () => {
  it.each([['the same zone twice on a port', '.:53 {\n    whoami\n}\n.:53 {\n    whoami\n}\n', 'cannot serve dns://.:53 - it is already defined']])(
    '%s',
    (_what, text, message) => {
      expect(parseError(text)).toBe(message);
    },
  );

  it('reports setup errors in plugin.cfg order, not line order', () => {
    // forward's error is on an earlier line, but kubernetes is set up first.
    const text = block('forward .', 'kubernetes cluster.local {', '   ttl -1', '}');
    expect(parseError(text)).toBe('plugin/kubernetes: /etc/coredns/Corefile:4 - Error during parsing: ttl must be in range [0, 3600]: -1');
  });

  it('reports parse errors before setup errors and key errors before setup errors', () => {
    expect(parseError('bad..zone {\n    forward .\n    nope\n}\n')).toBe("/etc/coredns/Corefile:3 - Error during parsing: Unknown directive 'nope'");
    expect(parseError('bad..zone {\n    forward .\n}\n')).toBe('zone is not a valid domain name: bad..zone');
  });
});
