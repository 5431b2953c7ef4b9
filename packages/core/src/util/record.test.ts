import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyRecord } from './record.js';

describe('copyRecord', () => {
  it('copies every own key in order, small and large, into a new object', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.integer(), { maxKeys: 16, noNullPrototype: true }),
          fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.integer(), { minKeys: 17, maxKeys: 80, noNullPrototype: true }),
        ),
        (rec) => {
          const copy = copyRecord(rec);
          expect(copy).not.toBe(rec);
          expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
          expect(Object.entries(copy)).toEqual(Object.entries(rec));
        },
      ),
    );
  });

  it('leaves the original alone when the copy is written', () => {
    const rec: Record<string, number> = {};
    for (let i = 0; i < 40; i++) rec[`10.244.1.${i}`] = i;
    const copy = copyRecord(rec);
    copy['10.244.1.99'] = 99;
    delete copy['10.244.1.0'];
    expect(Object.keys(rec)).toHaveLength(40);
    expect(rec['10.244.1.0']).toBe(0);
    expect(copy['10.244.1.99']).toBe(99);
  });

  it('keeps an own "__proto__" key as data in a large record', () => {
    const rec: Record<string, number> = JSON.parse(`{${Array.from({ length: 20 }, (_, i) => `"k${i}":${i}`).join(',')},"__proto__":7}`);
    const copy = copyRecord(rec);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(Object.keys(copy)).toHaveLength(21);
  });
});
