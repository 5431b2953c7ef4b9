import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { selectorMatches } from './labels.js';

const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'env', 'run'), fc.constantFrom('a', 'b', 'c'));

describe('label selectors (LabelSelectorAsSelector(...).Matches)', () => {
  it('matchLabels is a subset test', () => {
    fc.assert(
      fc.property(labels, labels, (sel, l) => {
        const subset = Object.entries(sel).every(([k, v]) => l[k] === v);
        expect(selectorMatches({ matchLabels: sel }, l)).toBe(subset);
      }),
    );
  });

  it('In/NotIn/Exists/DoesNotExist follow their definitions', () => {
    fc.assert(
      fc.property(labels, fc.constantFrom('app', 'tier'), fc.array(fc.constantFrom('a', 'b', 'c')), (l, key, values) => {
        const has = key in l;
        expect(selectorMatches({ matchExpressions: [{ key, operator: 'Exists' }] }, l)).toBe(has);
        expect(selectorMatches({ matchExpressions: [{ key, operator: 'DoesNotExist' }] }, l)).toBe(!has);
        expect(selectorMatches({ matchExpressions: [{ key, operator: 'In', values }] }, l)).toBe(has && values.includes(l[key]!));
        expect(selectorMatches({ matchExpressions: [{ key, operator: 'NotIn', values }] }, l)).toBe(!(has && values.includes(l[key]!)));
      }),
    );
  });

  it('a nil selector matches nothing, an empty one everything', () => {
    expect(selectorMatches(undefined, { app: 'a' })).toBe(false);
    expect(selectorMatches(undefined, undefined)).toBe(false);
    expect(selectorMatches({}, { app: 'a' })).toBe(true);
    expect(selectorMatches({}, undefined)).toBe(true);
    expect(selectorMatches({ matchLabels: {}, matchExpressions: [] }, {})).toBe(true);
  });

  it('an empty value is a value: the key must be there', () => {
    expect(selectorMatches({ matchLabels: { app: '' } }, {})).toBe(false);
    expect(selectorMatches({ matchLabels: { app: '' } }, { app: '' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'In', values: [''] }] }, {})).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'In', values: [''] }] }, { app: '' })).toBe(true);
  });

  it('only own labels count, not names on Object.prototype', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, {})).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'toString', operator: 'DoesNotExist' }] }, {})).toBe(true);
  });

  it('an unknown operator fails the conversion: nothing matches', () => {
    const bad = { matchExpressions: [{ key: 'app', operator: 'Equals' as 'In', values: ['a'] }] };
    expect(selectorMatches(bad, { app: 'a' })).toBe(false);
  });
});
