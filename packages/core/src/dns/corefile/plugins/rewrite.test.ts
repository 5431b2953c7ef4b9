// Tests for the rewrite plugin's setup: name rules in every form, and its errors in CoreDNS's
// wording.

import { describe, expect, it } from 'vitest';
import { block, parseError } from '../corefile.fixture.js';
import { parseCorefile } from '../load.js';
import type { RewritePlugin } from '../types.js';

describe('rewrite setup', () => {
  it('reads rewrite name rules in every form', () => {
    const cf = parseCorefile(
      block(
        'rewrite name foo.example.com web.default.svc.cluster.local',
        'rewrite continue name suffix .schmoogle.com. .google.com.',
        'rewrite name regex (.*)\\.test\\.io {1}.default.svc.cluster.local answer auto',
        'rewrite stop {',
        '   name regex (.*)-(us-west-1)\\.example\\.org {1}.service.{2}.consul',
        '   answer name (.*)\\.service\\.(us-west-1)\\.consul {1}-{2}.example.org',
        '}',
      ),
    );
    const rw = cf.serverBlocks[0]!.plugins[0] as RewritePlugin;
    expect(rw.rules).toEqual([
      { field: 'name', mode: 'stop', match: 'exact', from: 'foo.example.com.', to: 'web.default.svc.cluster.local.' },
      { field: 'name', mode: 'continue', match: 'suffix', from: '.schmoogle.com.', to: '.google.com.' },
      { field: 'name', mode: 'stop', match: 'regex', from: '(.*)\\.test\\.io', to: '{1}.default.svc.cluster.local.', answer: { kind: 'auto' } },
      {
        field: 'name',
        mode: 'stop',
        match: 'regex',
        from: '(.*)-(us-west-1)\\.example\\.org',
        to: '{1}.service.{2}.consul.',
        answer: { kind: 'name', from: '(.*)\\.service\\.(us-west-1)\\.consul', to: '{1}-{2}.example.org.' },
      },
    ]);
  });
});

describe('rewrite setup: errors in CoreDNS wording', () => {
  it.each([
    [
      'an answer rewrite on an exact rule',
      block('rewrite name exact a.com b.com answer name a b'),
      'plugin/rewrite: the rewrite of response is supported only for name regex rule',
    ],
    ['an unknown rewrite field', block('rewrite host a b'), 'plugin/rewrite: invalid rule type "host"'],
    ['a bad rewrite regex', block('rewrite name regex (.*\\.io {1}.svc'), 'plugin/rewrite: invalid regex matching pattern: (.*\\.io'],
  ])('%s', (_what, text, message) => {
    expect(parseError(text)).toBe(message);
  });
});
