// Canonical values shared by the renderer and the parser: statistic probabilities as the kernel
// stores and iptables-save prints them.

import { describe, expect, it } from 'vitest';
import { formatProbability } from './normalise.js';

describe('formatProbability', () => {
  // Values printed by iptables-save 1.8.9 for `--probability` 0.3333333333, 0.000244140625, 1, 0.
  it.each([
    [0.5, '0.50000000000'],
    [0.3333333333, '0.33333333349'],
    [1 / 3, '0.33333333349'],
    [0.000244140625, '0.00024414062'], // exactly halfway: glibc rounds to even
    [1, '1.00000000000'],
    [0, '0.00000000000'],
    [0.2, '0.20000000019'],
  ])('%f → %s', (p, want) => expect(formatProbability(p)).toBe(want));

  it('refuses values outside [0, 1]', () => {
    expect(() => formatProbability(1.5)).toThrow();
    expect(() => formatProbability(Number.NaN)).toThrow();
  });
});
