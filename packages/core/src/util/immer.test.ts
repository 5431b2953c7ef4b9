import { describe, expect, it } from 'vitest';
import { produce } from './immer.js';

describe('the library immer instance', () => {
  it('freezes what it produces outside production (tests run frozen)', () => {
    const next = produce({ a: { b: 1 } }, (d) => {
      d.a.b = 2;
    });
    expect(process.env.NODE_ENV).not.toBe('production');
    expect(Object.isFrozen(next.a)).toBe(true);
    expect(() => {
      (next.a as { b: number }).b = 3;
    }).toThrow(TypeError);
  });
});
