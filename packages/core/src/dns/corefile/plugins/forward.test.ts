// Tests for the forward plugin's setup: its errors in CoreDNS's wording.

import { describe, expect, it } from 'vitest';
import { block, F, parseError } from '../corefile.fixture.js';

describe('forward setup: errors in CoreDNS wording', () => {
  it.each([
    ['forward without destinations', block('forward .'), `plugin/forward: ${F}:2 - Error during parsing: Wrong argument count or unexpected line ending after '.'`],
    ['forward to something that is neither an address nor a file', block('forward . dns.google'), 'plugin/forward: not an IP address or file: "dns.google"'],
    ['forward over grpc', block('forward . grpc://8.8.8.8'), "plugin/forward: 'grpc' is not supported as a destination protocol in forward: grpc://8.8.8.8"],
    ['an unknown forward option', block('forward . 8.8.8.8 {', '   retries 3', '}'), `plugin/forward: ${F}:3 - Error during parsing: unknown property 'retries'`],
    ['a bad max_concurrent', block('forward . 8.8.8.8 {', '   max_concurrent many', '}'), 'plugin/forward: strconv.Atoi: parsing "many": invalid syntax'],
  ])('%s', (_what, text, message) => {
    expect(parseError(text)).toBe(message);
  });
});
