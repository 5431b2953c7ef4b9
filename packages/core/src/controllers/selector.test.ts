import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { selectorMatches } from '../api/labels.js';
import { mapSelectorMatches, toleratesTaint } from './selector.js';

const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'env', 'run'), fc.constantFrom('a', 'b', 'c'));

// Label selectors (matchLabels, matchExpressions) are tested beside their implementation: api/labels.test.ts.
describe('map selectors', () => {
  it('are a subset test, as matchLabels', () => {
    fc.assert(
      fc.property(labels, labels, (sel, l) => {
        const subset = Object.entries(sel).every(([k, v]) => l[k] === v);
        expect(mapSelectorMatches(sel, l)).toBe(subset);
        expect(selectorMatches({ matchLabels: sel }, l)).toBe(subset);
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
