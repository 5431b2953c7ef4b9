import { describe, expect, it } from 'vitest';
import { rfc3339Nano } from './time.js';

describe('rfc3339Nano (time.RFC3339Nano)', () => {
  it('trims trailing zeros of the fraction, and the fraction when it is zero', () => {
    expect(rfc3339Nano(Date.parse('2024-05-01T10:00:00.250Z'))).toBe('2024-05-01T10:00:00.25Z');
    expect(rfc3339Nano(Date.parse('2024-05-01T10:00:00.000Z'))).toBe('2024-05-01T10:00:00Z');
  });
});
