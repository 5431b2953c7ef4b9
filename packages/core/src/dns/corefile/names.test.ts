// Tests for server-block keys as InspectServerBlocks reads them: bad zones fail without a file
// or line, before any plugin is set up.

import { describe, expect, it } from 'vitest';
import { parseError } from './corefile.fixture.js';

describe('server block keys: errors in CoreDNS wording', () => {
  it.each([
    ['an invalid zone in a key', 'foo..bar:53 {\n    whoami\n}\n', 'zone is not a valid domain name: foo..bar'],
    ['a key ending in a colon', 'example.org: {\n    whoami\n}\n', 'expecting data after last colon: "example.org:"'],
  ])('%s', (_what, text, message) => {
    expect(parseError(text)).toBe(message);
  });
});
