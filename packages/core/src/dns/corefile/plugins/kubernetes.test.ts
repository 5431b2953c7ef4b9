// Tests for the kubernetes plugin's setup: its errors in CoreDNS's wording.

import { describe, expect, it } from 'vitest';
import { block, F, parseError } from '../corefile.fixture.js';

describe('kubernetes setup: errors in CoreDNS wording', () => {
  it.each([
    [
      'the removed kubernetes `upstream` option',
      block('kubernetes cluster.local {', '   pods insecure', '   upstream', '}'),
      `plugin/kubernetes: ${F}:4 - Error during parsing: unknown property 'upstream'`,
    ],
    ['a bad pods mode', block('kubernetes cluster.local {', '   pods maybe', '}'), 'plugin/kubernetes: wrong value for pods: maybe,  must be one of: disabled, verified, insecure'],
    [
      'pods without a mode',
      block('kubernetes cluster.local {', '   pods', '}'),
      `plugin/kubernetes: ${F}:3 - Error during parsing: Wrong argument count or unexpected line ending after 'pods'`,
    ],
    ['a ttl out of range', block('kubernetes cluster.local {', '   ttl 4000', '}'), `plugin/kubernetes: ${F}:3 - Error during parsing: ttl must be in range [0, 3600]: 4000`],
    ['a ttl that is not a number', block('kubernetes cluster.local {', '   ttl 30s', '}'), 'plugin/kubernetes: strconv.Atoi: parsing "30s": invalid syntax'],
    ['kubernetes with only reverse zones', block('kubernetes in-addr.arpa'), 'plugin/kubernetes: non-reverse zone name must be used'],
    ['kubernetes twice', block('kubernetes cluster.local', 'kubernetes other.local'), 'plugin/kubernetes: this plugin can only be used once per Server Block'],
  ])('%s', (_what, text, message) => {
    expect(parseError(text)).toBe(message);
  });
});
