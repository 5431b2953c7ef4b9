// Tests for the ready plugin's setup: what it accepts, and its errors in CoreDNS's wording
// (plugin/ready/setup.go: parse).

import { describe, expect, it } from 'vitest';
import { block, F, parseError } from '../corefile.fixture.js';
import { parseCorefile } from '../load.js';

describe('ready setup', () => {
  it('accepts `ready [ADDRESS]`', () => {
    expect(parseCorefile(block('ready :8181')).serverBlocks[0]!.plugins).toEqual([{ name: 'ready', line: 2, args: [':8181'], options: {} }]);
  });

  it.each([['two addresses (c.ArgErr)', block('ready :8181 :8182'), `plugin/ready: ${F}:2 - Error during parsing: Wrong argument count or unexpected line ending after ':8182'`]])(
    '%s',
    (_what, text, message) => {
      expect(parseError(text)).toBe(message);
    },
  );
});
