import { describe, expect, it, test } from 'vitest';
import { quote } from './strconv.js';

describe('quote (strconv.Quote)', () => {
  test.each([
    ['abc', '"abc"'],
    ['a"b', '"a\\"b"'],
    ['a\\b', '"a\\\\b"'],
    ['tab\there', '"tab\\there"'],
    ['nl\n', '"nl\\n"'],
    ['\x01', '"\\x01"'],
    ['\x7f', '"\\x7f"'],
    ['é', '"é"'],
    ['\u00a0', '"\\u00a0"'],
    ['\u{1F600}', '"\u{1F600}"'],
  ])('%j', (input, expected) => expect(quote(input)).toBe(expected));
});

describe('quote for docker ps COMMAND cells', () => {
  it('matches strconv.Quote', () => {
    // Go: strconv.Quote("a\"b\\c\x01\x7f\té…") == `"a\"b\\c\x01\x7f\té…"`
    expect(quote('a"b\\c\x01\x7f\té…')).toBe('"a\\"b\\\\c\\x01\\x7f\\té…"');
  });
});
