// Tests for directives CoreDNS ships that the simulator accepts without modelling.

import { describe, expect, it } from 'vitest';
import { block } from '../corefile.fixture.js';
import { parseCorefile } from '../load.js';

describe('unmodelled setup', () => {
  it('accepts plugins CoreDNS ships but the simulator does not model', () => {
    const cf = parseCorefile(block('whoami', 'template IN A example.org {', '   answer "{{ .Name }} 60 IN A 127.0.0.1"', '}'));
    expect(cf.serverBlocks[0]!.plugins.map((p) => ('unmodelled' in p ? `${p.name}*` : p.name))).toEqual(['template*', 'whoami*']);
  });
});
