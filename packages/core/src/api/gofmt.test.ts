import { describe, expect, test } from 'vitest';
import { GoNil, GoPointer, GoSlice, GoStruct, formatBadValue, goJSON, goSyntax } from './gofmt.js';

describe('goSyntax (%#v)', () => {
  test('maps sort keys and use no spaces around ":"', () => {
    expect(goSyntax({ tier: 'web', app: 'x' })).toBe('map[string]string{"app":"x", "tier":"web"}');
    expect(goSyntax({})).toBe('map[string]string{}');
  });
  test('string slices', () => {
    expect(goSyntax(['a', 'b'])).toBe('[]string{"a", "b"}');
    expect(goSyntax([])).toBe('[]string{}');
  });
  test('typed nils', () => {
    expect(goSyntax(new GoNil('map[string]string'))).toBe('map[string]string(nil)');
    expect(goSyntax(new GoNil('*v1.Time'))).toBe('(*v1.Time)(nil)');
  });
  test('structs print every field', () => {
    const s = new GoStruct('intstr.IntOrString', [
      { name: 'Type', json: 'type', value: 1 },
      { name: 'IntVal', json: 'intVal', value: 0 },
      { name: 'StrVal', json: 'strVal', value: 'abc' },
    ]);
    expect(goSyntax(s)).toBe('intstr.IntOrString{Type:1, IntVal:0, StrVal:"abc"}');
    expect(goSyntax(new GoSlice('v1.X', [new GoStruct('v1.X', [{ name: 'A', json: 'a', value: 'b' }])]))).toBe('[]v1.X{v1.X{A:"b"}}');
  });
});

describe('goJSON (json.Marshal)', () => {
  test('sorted keys, HTML-safe escaping', () => {
    expect(goJSON({ b: '<x>', a: ['&'] })).toBe('{"a":["\\u0026"],"b":"\\u003cx\\u003e"}');
  });
  test('omitempty and custom JSON values', () => {
    const s = new GoStruct('core.Taint', [
      { name: 'Key', json: 'key', value: 'k' },
      { name: 'Value', json: 'value', value: '', omitEmpty: true },
      { name: 'TimeAdded', json: 'timeAdded', value: new GoNil('*v1.Time'), omitEmpty: true },
    ]);
    expect(goJSON(s)).toBe('{"key":"k"}');
    expect(goJSON(new GoStruct('intstr.IntOrString', [], '25%'))).toBe('"25%"');
    expect(goJSON(new GoPointer('*x', { a: '1' }))).toBe('{"a":"1"}');
  });
});

describe('formatBadValue (field.Error.ErrorBody)', () => {
  test('simple values are the same in both styles', () => {
    for (const style of ['go', 'json'] as const) {
      expect(formatBadValue('x', style)).toBe('"x"');
      expect(formatBadValue(-1, style)).toBe('-1');
      expect(formatBadValue(true, style)).toBe('true');
    }
  });
  test('composites: Go syntax before 1.34, JSON after', () => {
    expect(formatBadValue({ app: 'x' }, 'go')).toBe('map[string]string{"app":"x"}');
    expect(formatBadValue({ app: 'x' }, 'json')).toBe('{"app":"x"}');
    expect(formatBadValue(['1.1.1.1', '2.2.2.2'], 'go')).toBe('[]string{"1.1.1.1", "2.2.2.2"}');
    expect(formatBadValue(['1.1.1.1', '2.2.2.2'], 'json')).toBe('["1.1.1.1","2.2.2.2"]');
  });
  test('nil: the string "null" under %#v, null in JSON', () => {
    expect(formatBadValue(undefined, 'go')).toBe('"null"');
    expect(formatBadValue(new GoNil('*int32'), 'go')).toBe('"null"');
    expect(formatBadValue(new GoNil('map[string]string'), 'go')).toBe('map[string]string(nil)');
    expect(formatBadValue(new GoNil('map[string]string'), 'json')).toBe('null');
  });
  test('a top-level pointer is dereferenced', () => {
    expect(formatBadValue(new GoPointer('*int32', 5), 'go')).toBe('5');
  });
});
