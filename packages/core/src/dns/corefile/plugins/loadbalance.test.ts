// Tests for the loadbalance plugin's setup: its default policy, and its errors in CoreDNS's
// wording (plugin/loadbalance/setup.go: parse).

import { describe, expect, it } from 'vitest';
import { block, parseError } from '../corefile.fixture.js';
import { parseCorefile } from '../load.js';

describe('loadbalance setup', () => {
  it('defaults to round_robin', () => {
    expect(parseCorefile(block('loadbalance')).serverBlocks[0]!.plugins).toEqual([{ name: 'loadbalance', line: 2, args: [], options: { policy: 'round_robin' } }]);
  });

  it.each([['an unknown policy (a plain fmt error)', block('loadbalance bogus'), 'plugin/loadbalance: unknown policy: bogus']])('%s', (_what, text, message) => {
    expect(parseError(text)).toBe(message);
  });
});
