// Tests for the reload plugin's setup: its defaults, and its errors in CoreDNS's wording
// (plugin/reload/setup.go: setup).

import { describe, expect, it } from 'vitest';
import { block, F, parseError } from '../corefile.fixture.js';
import { parseCorefile } from '../load.js';

describe('reload setup', () => {
  it('keeps the interval and jitter as written, 30s and 15s by default', () => {
    expect(parseCorefile(block('reload')).serverBlocks[0]!.plugins).toEqual([{ name: 'reload', line: 2, args: [], options: { interval: '30s', jitter: '15s' } }]);
    expect(parseCorefile(block('reload 1m 10s')).serverBlocks[0]!.plugins).toEqual([{ name: 'reload', line: 2, args: ['1m', '10s'], options: { interval: '1m', jitter: '10s' } }]);
  });

  it.each([
    ['an interval under 2s', block('reload 1s'), 'plugin/reload: interval value must be greater or equal to 2s'],
    ['an interval that is not a duration (time.ParseDuration)', block('reload 10x'), 'plugin/reload: time: unknown unit "x" in duration "10x"'],
    ['three arguments (c.ArgErr)', block('reload 30s 15s 5s'), `plugin/reload: ${F}:2 - Error during parsing: Wrong argument count or unexpected line ending after '5s'`],
  ])('%s', (_what, text, message) => {
    expect(parseError(text)).toBe(message);
  });
});
