// The flat table against a Map model: any sequence of inserts, overwrites and deletes leaves
// both answering the same for every key touched (and for keys never inserted).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ABSENT, FastpathTable } from './fastpath-table.js';

type Op = { op: 'set'; k: number; v: number; aux: number } | { op: 'delete'; k: number } | { op: 'get'; k: number };

// Few distinct words, so that keys collide, runs form and deletes shift them; plus the extremes.
const word = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(0x7fffffff, 0x80000000, 0xffffffff, 0xc0a83801));
const keyArb = fc.tuple(word, word);
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const valueArb = int32.filter((v) => v !== ABSENT);

describe('FastpathTable', () => {
  it('answers like a Map for random insert/delete/lookup sequences', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('set' as const), k: fc.nat(), v: valueArb, aux: int32 }),
            fc.record({ op: fc.constant('delete' as const), k: fc.nat() }),
            fc.record({ op: fc.constant('get' as const), k: fc.nat() }),
          ),
          { maxLength: 300 },
        ),
        fc.array(keyArb, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 64 }),
        (ops: Op[], keys, expected) => {
          const t = new FastpathTable(expected);
          const model = new Map<string, [number, number]>();
          const id = (k: [number, number]) => `${k[0]},${k[1]}`;
          for (const o of ops) {
            const k = keys[o.k % keys.length]!;
            if (o.op === 'set') {
              t.set(k[0], k[1], o.v, o.aux);
              model.set(id(k), [o.v, o.aux]);
            } else if (o.op === 'delete') {
              expect(t.delete(k[0], k[1])).toBe(model.delete(id(k)));
            } else {
              expect(t.get(k[0], k[1])).toBe(model.get(id(k))?.[0] ?? ABSENT);
            }
            expect(t.size).toBe(model.size);
          }
          for (const k of keys) {
            const at = t.find(k[0], k[1]);
            const m = model.get(id(k));
            expect(at >= 0 ? [t.value(at), t.aux(at)] : undefined).toEqual(m);
          }
          const seen = new Map<string, [number, number]>();
          t.forEach((a, b, v, aux) => {
            seen.set(`${a},${b}`, [v, aux]);
          });
          expect(seen).toEqual(model);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps two-word keys apart and refuses the ABSENT sentinel as a value', () => {
    const t = new FastpathTable();
    // (vip, port·2+proto) pairs that a single 32-bit fold would confuse.
    t.set(0x0a600001, 80 * 2, 1);
    t.set(0x0a600001, 80 * 2 + 1, 2);
    t.set(0x0a600002, 80 * 2, 3);
    expect([t.get(0x0a600001, 160), t.get(0x0a600001, 161), t.get(0x0a600002, 160), t.get(0x0a600002, 161)]).toEqual([1, 2, 3, ABSENT]);
    expect(() => t.set(1, 1, ABSENT)).toThrow(RangeError);
    expect(() => t.set(1, 1, 0.5)).toThrow(RangeError);
  });

  it('grows past its initial size and stays at most half full', () => {
    const t = new FastpathTable(1);
    for (let i = 0; i < 5000; i++) t.set(i * 2654435761, i, i);
    expect(t.size).toBe(5000);
    for (let i = 0; i < 5000; i++) expect(t.get(i * 2654435761, i)).toBe(i);
    for (let i = 0; i < 5000; i += 2) t.delete(i * 2654435761, i);
    for (let i = 0; i < 5000; i++) expect(t.get(i * 2654435761, i)).toBe(i % 2 ? i : ABSENT);
  });
});
