import { describe, expect, it } from 'vitest';
import { goUnitsHumanDuration } from './go-units.js';

describe('goUnitsHumanDuration (docker/go-units HumanDuration)', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const day = 24 * h;
  const week = 7 * day;
  const month = 30 * day;
  const year = 365 * day;
  // go-units duration_test.go TestHumanDuration, verbatim.
  it.each([
    ['Less than a second', 450],
    ['1 second', 1 * s],
    ['45 seconds', 45 * s],
    ['46 seconds', 46 * s],
    ['59 seconds', 59 * s],
    ['About a minute', 60 * s],
    ['About a minute', 1 * m],
    ['3 minutes', 3 * m],
    ['35 minutes', 35 * m],
    ['35 minutes', 35 * m + 40 * s],
    ['45 minutes', 45 * m],
    ['45 minutes', 45 * m + 40 * s],
    ['46 minutes', 46 * m],
    ['59 minutes', 59 * m],
    ['About an hour', 1 * h],
    ['About an hour', 1 * h + 29 * m],
    ['2 hours', 1 * h + 31 * m],
    ['2 hours', 1 * h + 59 * m],
    ['3 hours', 3 * h],
    ['3 hours', 3 * h + 29 * m],
    ['4 hours', 3 * h + 31 * m],
    ['4 hours', 3 * h + 59 * m],
    ['4 hours', 3 * h + 60 * m],
    ['24 hours', 24 * h],
    ['36 hours', 1 * day + 12 * h],
    ['2 days', 2 * day],
    ['7 days', 7 * day],
    ['13 days', 13 * day + 5 * h],
    ['2 weeks', 2 * week],
    ['2 weeks', 2 * week + 4 * day],
    ['3 weeks', 3 * week],
    ['4 weeks', 4 * week],
    ['4 weeks', 4 * week + 3 * day],
    ['4 weeks', 1 * month],
    ['6 weeks', 1 * month + 2 * week],
    ['2 months', 2 * month],
    ['2 months', 2 * month + 2 * week],
    ['3 months', 3 * month],
    ['3 months', 3 * month + 1 * week],
    ['5 months', 5 * month + 2 * week],
    ['13 months', 13 * month],
    ['23 months', 23 * month],
    ['24 months', 24 * month],
    ['2 years', 24 * month + 2 * week],
    ['3 years', 3 * year + 2 * month],
  ])('%s ← %d ms', (want, ms) => {
    expect(goUnitsHumanDuration(ms)).toBe(want);
  });

  it('treats clock skew (negative) as less than a second', () => {
    expect(goUnitsHumanDuration(-5000)).toBe('Less than a second');
  });
});
