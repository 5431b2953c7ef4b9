import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipToString } from '../net/ipv4.js';
import { natTarget } from './netfilter.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const port = fc.integer({ min: 1, max: 65535 });

describe('NAT targets (--to-source / --to-destination)', () => {
  it('a single address and port are taken as written', () => {
    expect(natTarget('10.244.1.5:8080', 80, 1, 1, 2)).toEqual({ ip: 0x0af40105, port: 8080 });
    expect(natTarget('10.244.1.5', 80, 1, 1, 2)).toEqual({ ip: 0x0af40105 });
  });

  it('picks inside an address range, the same for the same connection, and keeps an in-range port', () => {
    fc.assert(
      fc.property(u32, u32, port, port, port, u32, u32, (a, b, p0, p1, cur, src, dst) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const [plo, phi] = p0 <= p1 ? [p0, p1] : [p1, p0];
        const to = `${ipToString(lo)}-${ipToString(hi)}:${plo}-${phi}`;
        const r = natTarget(to, cur, 9, src, dst);
        expect(r.ip).toBeGreaterThanOrEqual(lo);
        expect(r.ip).toBeLessThanOrEqual(hi);
        expect(r.port).toBe(cur >= plo && cur <= phi ? cur : plo);
        expect(natTarget(to, cur, 9, src, dst)).toEqual(r);
      }),
    );
  });

  it('spreads connections over the range', () => {
    const seen = new Set<number>();
    for (let src = 0; src < 200; src++) seen.add(natTarget('10.0.0.1-10.0.0.4', 80, 3, src, 7).ip);
    expect(seen.size).toBe(4);
  });
});
