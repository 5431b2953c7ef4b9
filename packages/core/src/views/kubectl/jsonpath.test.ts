import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JsonPathError, renderJsonPath } from './jsonpath.js';

const list = {
  kind: 'List',
  items: [
    { metadata: { name: 'a' }, status: { podIP: '10.244.1.2' } },
    { metadata: { name: 'b' }, status: { podIP: '10.244.2.2' } },
  ],
};

describe('jsonpath', () => {
  it('renders fields, indexes and wildcards as kubectl does', () => {
    expect(renderJsonPath('{.items[0].status.podIP}', list)).toBe('10.244.1.2');
    expect(renderJsonPath('{.items[*].metadata.name}', list)).toBe('a b');
    expect(renderJsonPath('ip={.items[1].status.podIP}{"\\n"}', list)).toBe('ip=10.244.2.2\n');
    expect(renderJsonPath('{.missing}', list)).toBe('');
  });

  it('reports bad templates and out-of-range indexes', () => {
    expect(() => renderJsonPath('{.items[5].x}', list)).toThrow(/array index out of bounds: index 5, length 2/);
    expect(() => renderJsonPath('{range .items[*]}{end}', list)).toThrow(JsonPathError);
  });

  it('reads back any string field it is pointed at', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
        fc.string().filter((s) => !s.includes('{')),
        (key, value) => {
          expect(renderJsonPath(`{.${key}}`, { [key]: value })).toBe(value);
        },
      ),
    );
  });
});
