import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { safeEncodeString, seeded, seededHex, seededWords, seededMac, seededSuffix, seededUuid } from './seeded.js';

describe('seeded values', () => {
  it('are a function of seed and purpose only', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.string(), (seed, key) => {
        expect(seeded(seed, key)).toBe(seeded(seed, key));
        expect(seededMac(seed, key)).toBe(seededMac(seed, key));
      }),
    );
  });

  it('differ between seeds and purposes', () => {
    expect(seeded(1, 'a')).not.toBe(seeded(2, 'a'));
    expect(seeded(1, 'a')).not.toBe(seeded(1, 'b'));
  });

  it('MACs are locally administered unicast', () => {
    fc.assert(
      fc.property(fc.integer(), fc.string(), (seed, key) => {
        const mac = seededMac(seed, key);
        expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
        const first = parseInt(mac.slice(0, 2), 16);
        expect(first & 1).toBe(0);
        expect(first & 2).toBe(2);
      }),
    );
  });

  it('formats hex, uuid and suffixes', () => {
    expect(seededHex(7, 64, 'c')).toMatch(/^[0-9a-f]{64}$/);
    expect(seededUuid(7, 'u')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(seededSuffix(7, 5, 'p')).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('safeEncodeString maps digits as apimachinery does', () => {
    // '0'..'9' are char codes 48..57; 48 % 27 = 21 → '4'.
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });
});

describe('seededWords', () => {
  it('word i is seeded(seed, ...parts, `#i`)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }), fc.integer({ min: 1, max: 12 }), (seed, parts, count) => {
        const words = seededWords(seed, count, ...parts);
        expect(words).toEqual(Array.from({ length: count }, (_, i) => seeded(seed, ...parts, `#${i}`)));
      }),
    );
  });
});
