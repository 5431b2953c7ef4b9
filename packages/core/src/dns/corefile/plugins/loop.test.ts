// Tests for the loop plugin's setup: its errors in CoreDNS's wording.

import { describe, expect, it } from 'vitest';
import { block, F, parseError } from '../corefile.fixture.js';

describe('loop setup: errors in CoreDNS wording', () => {
  it.each([['loop with an argument', block('loop 3'), `plugin/loop: ${F}:2 - Error during parsing: Wrong argument count or unexpected line ending after '3'`]])(
    '%s',
    (_what, text, message) => {
      expect(parseError(text)).toBe(message);
    },
  );
});
