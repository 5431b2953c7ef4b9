import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { humanDuration, shortHumanDuration } from './apimachinery-duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  it.each([
    [-3 * S, '<invalid>'],
    [-2 * S, '<invalid>'],
    [-1999, '0s'], // int(-1.999) = -1: tolerated skew
    [-1 * S, '0s'],
    [-500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [1 * S, '1s'],
    [59 * S, '59s'],
    [119 * S, '119s'],
    [120 * S, '2m'],
    [121 * S, '2m1s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [8 * H + 30 * M, '8h'],
    [47 * H, '47h'],
    [48 * H, '2d'],
    [2 * D + 5 * H, '2d5h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [8 * D + 5 * H, '8d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [2 * Y + 30 * D, '2y30d'],
    [7 * Y + 364 * D, '7y364d'],
    [8 * Y, '8y'],
    [8 * Y + 100 * D, '8y'],
  ])('%d ms -> %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  const rank = (s: string): number => {
    if (s === '<invalid>') return -1;
    return 'smhdy'.indexOf(s.match(/([smhdy])/)![1]!);
  };

  it('always produces "<invalid>" or number+unit groups', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100 * Y, max: 100 * Y }), (ms) => {
        expect(humanDuration(ms)).toMatch(/^(\d+[smhdy])+$|^<invalid>$/);
      }),
    );
  });

  it('is monotone in its leading unit: a longer duration never shows a smaller unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10 * S, max: 20 * Y }), fc.integer({ min: 0, max: 20 * Y }), (a, delta) => {
        expect(rank(humanDuration(a + delta))).toBeGreaterThanOrEqual(rank(humanDuration(a)));
      }),
    );
  });
});

describe('shortHumanDuration (apimachinery duration.ShortHumanDuration)', () => {
  it.each([
    [-2 * S, '<invalid>'],
    [-1 * S, '0s'],
    [59 * S, '59s'],
    [60 * S, '1m'],
    [59 * M + 59 * S, '59m'],
    [H, '1h'],
    [23 * H, '23h'],
    [D, '1d'],
    [364 * D, '364d'],
    [Y, '1y'],
    [3 * Y + 100 * D, '3y'],
  ])('%d ms -> %s', (ms, want) => {
    expect(shortHumanDuration(ms)).toBe(want);
  });
});
