import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { safeEncodeString, seeded, seededBegin, seededEnd, seededHex, seededPart, seededWords, seededMac, seededSuffix, seededUuid } from './seeded.js';

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

describe('the hashed streams are what their definition says', () => {
  // The definition, written plainly: word i of a stream is fmix(FNV-1a("seed\0part\0…#i")), a
  // hex value is its words' 8-digit hex, a UUID is 32 such digits with version and variant set.
  // The library computes the shared prefix once and formats without intermediate arrays; every
  // generated name and ID of a cluster hangs on these staying equal.
  const fnv = (t: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193);
    return h >>> 0;
  };
  const fmix = (h: number) => {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  const words = (seed: number, n: number, parts: (string | number)[]) =>
    Array.from({ length: n }, (_, i) => fmix(fnv(`${seed >>> 0}\u0000${parts.map((p) => `${p}\u0000`).join('')}#${i}`)));
  const hex = (seed: number, chars: number, parts: (string | number)[]) =>
    words(seed, Math.ceil(chars / 8), parts)
      .map((w) => w.toString(16).padStart(8, '0'))
      .join('')
      .slice(0, chars);
  const uuid = (seed: number, parts: (string | number)[]) => {
    const h = hex(seed, 32, ['uuid', ...parts]).split('');
    h[12] = '4';
    h[16] = '89ab'[parseInt(h[16]!, 16) & 3]!;
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  const parts = fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 5 });
  it('seededWords, seededHex, seededUuid, and seeded fed part by part', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 80 }), parts, (seed, chars, ps) => {
        expect(seededWords(seed, 3, ...ps)).toEqual(words(seed, 3, ps));
        expect(seededHex(seed, chars, ...ps)).toBe(hex(seed, chars, ps));
        expect(seededUuid(seed, ...ps)).toBe(uuid(seed, ps));
        // Fed one part at a time (the walker's source ports and statistic draws).
        expect(seededEnd(ps.reduce<number>((h, p) => seededPart(h, p), seededBegin(seed)))).toBe(fmix(fnv(`${seed >>> 0}${ps.map((p) => `\u0000${p}`).join('')}`)));
        expect(seededEnd(ps.reduce<number>((h, p) => seededPart(h, p), seededBegin(seed)))).toBe(ps.length ? seeded(seed, ...ps) : fmix(fnv(`${seed >>> 0}`)));
      }),
      { numRuns: 500 },
    );
  });
});
