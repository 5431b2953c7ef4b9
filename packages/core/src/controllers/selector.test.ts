import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mapSelectorMatches, selectorMatches, toleratesTaint } from './selector.js';

const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'env', 'run'), fc.constantFrom('a', 'b', 'c'));

describe('label selectors', () => {
  it('matchLabels is a subset test', () => {
    fc.assert(
      fc.property(labels, labels, (sel, l) => {
        const subset = Object.entries(sel).every(([k, v]) => l[k] === v);
        expect(selectorMatches({ matchLabels: sel }, l)).toBe(subset);
        expect(mapSelectorMatches(sel, l)).toBe(subset);
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
});

describe('tolerations', () => {
  const cp = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const };
  it('match by key and effect, or everything with an empty key and Exists', () => {
    expect(toleratesTaint({ key: cp.key, effect: 'NoSchedule' }, cp)).toBe(true);
    expect(toleratesTaint({ key: cp.key, operator: 'Exists' }, cp)).toBe(true);
    expect(toleratesTaint({ operator: 'Exists' }, cp)).toBe(true);
    expect(toleratesTaint({ key: cp.key, effect: 'NoExecute' }, cp)).toBe(false);
    expect(toleratesTaint({ key: 'other', operator: 'Exists' }, cp)).toBe(false);
    expect(toleratesTaint({ key: 'k', value: 'v', effect: 'NoSchedule' }, { key: 'k', value: 'w', effect: 'NoSchedule' })).toBe(false);
  });
});
