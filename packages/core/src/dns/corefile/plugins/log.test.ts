// Tests for the log plugin's setup: what it accepts, and its errors in CoreDNS's wording
// (plugin/log/setup.go: logParse).

import { describe, expect, it } from 'vitest';
import { block, F, parseError } from '../corefile.fixture.js';
import { parseCorefile } from '../load.js';

describe('log setup', () => {
  it('accepts names and a class block', () => {
    expect(parseCorefile(block('log . {', '   class denial error', '}')).serverBlocks[0]!.plugins).toEqual([{ name: 'log', line: 2, args: ['.'], options: {} }]);
  });

  it.each([['an unknown property in its block (c.Errf)', block('log {', '   format combined', '}'), `plugin/log: ${F}:3 - Error during parsing: unknown property 'format'`]])(
    '%s',
    (_what, text, message) => {
      expect(parseError(text)).toBe(message);
    },
  );
});
