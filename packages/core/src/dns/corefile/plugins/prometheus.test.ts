// Tests for the prometheus plugin's setup: what it accepts, and its errors in CoreDNS's wording
// (plugin/metrics/setup.go: parse).

import { describe, expect, it } from 'vitest';
import { block, F, parseError } from '../corefile.fixture.js';
import { parseCorefile } from '../load.js';

describe('prometheus setup', () => {
  it('accepts `prometheus [ADDRESS]`', () => {
    expect(parseCorefile(block('prometheus 0.0.0.0:9153')).serverBlocks[0]!.plugins).toEqual([{ name: 'prometheus', line: 2, args: ['0.0.0.0:9153'], options: {} }]);
  });

  it.each([
    ['two addresses (c.ArgErr)', block('prometheus :9153 :9154'), `plugin/prometheus: ${F}:2 - Error during parsing: Wrong argument count or unexpected line ending after ':9154'`],
  ])('%s', (_what, text, message) => {
    expect(parseError(text)).toBe(message);
  });
});
