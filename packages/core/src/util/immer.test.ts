import { describe, expect, it } from 'vitest';
import { produce, setAutoFreeze } from './immer.js';

const edit = () =>
  produce({ a: { b: 1 } }, (d) => {
    d.a.b = 2;
  });

describe('the library immer instance', () => {
  it('freezes what it produces by default (tests run frozen)', () => {
    const next = edit();
    expect(Object.isFrozen(next.a)).toBe(true);
    expect(() => {
      (next.a as { b: number }).b = 3;
    }).toThrow(TypeError);
  });

  it('stops freezing after setAutoFreeze(false), and returns the previous setting', () => {
    expect(setAutoFreeze(false)).toBe(true);
    try {
      expect(Object.isFrozen(edit().a)).toBe(false);
    } finally {
      expect(setAutoFreeze(true)).toBe(false);
    }
    expect(Object.isFrozen(edit().a)).toBe(true);
  });
});
