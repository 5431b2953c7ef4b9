// Tests for the cache plugin's setup: its errors in CoreDNS's wording.

import { describe, expect, it } from 'vitest';
import { block, F, parseError } from '../corefile.fixture.js';

describe('cache setup: errors in CoreDNS wording', () => {
  it.each([
    ['cache twice', block('cache 30', 'cache 10'), 'plugin/cache: this plugin can only be used once per Server Block'],
    ['a zero cache TTL', block('cache 0'), 'plugin/cache: cache TTL can not be zero or negative: 0'],
    ['an unknown cache option', block('cache 30 {', '   flush', '}'), `plugin/cache: ${F}:3 - Error during parsing: Wrong argument count or unexpected line ending after 'flush'`],
  ])('%s', (_what, text, message) => {
    expect(parseError(text)).toBe(message);
  });
});
