// Tests for the health plugin's setup: its errors in CoreDNS's wording.

import { describe, expect, it } from 'vitest';
import { block, parseError } from '../corefile.fixture.js';

describe('health setup: errors in CoreDNS wording', () => {
  it.each([['a bad lameduck', block('health {', '   lameduck five', '}'), `plugin/health: unable to parse lameduck duration value: 'five' : time: invalid duration "five"`]])(
    '%s',
    (_what, text, message) => {
      expect(parseError(text)).toBe(message);
    },
  );
});
