import { describe, expect, it } from 'vitest';
import { addQuantity, formatQuantity, parseQuantity, quantityValue, ZERO_QUANTITY } from './quantity.js';

const q = (s: string) => parseQuantity(s)!;

describe('resource quantities', () => {
  it.each([
    ['100m', '100m'],
    ['2', '2'],
    ['2000m', '2'],
    ['1500m', '1500m'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['0.5', '500m'],
    ['70Mi', '70Mi'],
    ['1024Ki', '1Mi'],
    ['1.5Gi', '1536Mi'],
    ['512', '512'],
    ['1e3', '1e3'],
    ['0', '0'],
  ])('%s prints as %s', (input, want) => {
    expect(formatQuantity(q(input))).toBe(want);
  });

  it('adds in the format of the first non-zero operand', () => {
    expect(formatQuantity(addQuantity(addQuantity(ZERO_QUANTITY, q('70Mi')), q('100Mi')))).toBe('170Mi');
    expect(formatQuantity(addQuantity(q('100m'), q('250m')))).toBe('350m');
  });

  it('rounds Value() up to whole units', () => {
    expect(quantityValue(q('1928540Ki'))).toBe(1928540n * 1024n);
    expect(quantityValue(q('100m'))).toBe(1n);
  });

  it('rejects non-quantities', () => {
    expect(parseQuantity('abc')).toBeUndefined();
    expect(parseQuantity('1Xi')).toBeUndefined();
  });
});
