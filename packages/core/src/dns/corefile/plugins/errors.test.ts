// Tests for the errors plugin's setup: what it accepts, and its errors in CoreDNS's wording
// (plugin/errors/setup.go: errorsParse).

import { describe, expect, it } from 'vitest';
import { block, F, parseError } from '../corefile.fixture.js';
import { parseCorefile } from '../load.js';

describe('errors setup', () => {
  it('accepts `errors [stdout]` with a stacktrace line', () => {
    expect(parseCorefile(block('errors stdout {', '   stacktrace', '}')).serverBlocks[0]!.plugins).toEqual([{ name: 'errors', line: 2, args: ['stdout'], options: {} }]);
  });

  it.each([
    ['a log file other than stdout (c.Errf)', block('errors /var/log/coredns.log'), `plugin/errors: ${F}:2 - Error during parsing: invalid log file: /var/log/coredns.log`],
    ['two arguments (c.ArgErr)', block('errors stdout extra'), `plugin/errors: ${F}:2 - Error during parsing: Wrong argument count or unexpected line ending after 'extra'`],
    ['errors twice (plugin.ErrOnce)', block('errors', 'errors'), 'plugin/errors: this plugin can only be used once per Server Block'],
  ])('%s', (_what, text, message) => {
    expect(parseError(text)).toBe(message);
  });
});
