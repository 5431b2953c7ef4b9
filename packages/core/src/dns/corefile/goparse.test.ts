// Tests for the Go parsers' results and error texts.

import { describe, expect, it } from 'vitest';
import { parseGoDuration } from './goparse.js';

describe('time.ParseDuration', () => {
  it('parses Go durations as time.ParseDuration does', () => {
    expect(parseGoDuration('5s')).toBe(5000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('300ms')).toBe(300);
    expect(parseGoDuration('5')).toBe('time: missing unit in duration "5"');
    expect(parseGoDuration('5d')).toBe('time: unknown unit "d" in duration "5d"');
  });
});
