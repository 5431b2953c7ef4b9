// Renders bad values the way apimachinery's field.Error.ErrorBody() does. Go prints by
// static type, which JS values lack, so composite Go values are described with the small
// wrappers below; plain JS values map to the common cases (string, int, []string,
// map[string]string).

import { quote as goQuote } from '../util/golang/strconv.js';
import type { ValueStyle } from './version.js';

export interface GoField {
  /** Go field name, used by %#v. */
  name: string;
  /** JSON name, used by json.Marshal; fields with omitEmpty are dropped when empty. */
  json: string;
  value: unknown;
  omitEmpty?: boolean;
}

/** A Go struct value, e.g. core.Taint{Key:"k", ...}. */
export class GoStruct {
  constructor(
    readonly type: string,
    readonly fields: readonly GoField[],
    /** Set when the type has its own MarshalJSON (intstr.IntOrString marshals as int or string). */
    readonly jsonValue?: unknown,
  ) {}
}

/** A typed nil: `map[string]string(nil)`, `[]string(nil)`, `(*v1.Time)(nil)`. */
export class GoNil {
  constructor(readonly type: string) {}
}

/** A non-nil pointer; %#v shows an address, JSON shows the pointee. */
export class GoPointer {
  constructor(
    readonly type: string,
    readonly value: unknown,
  ) {}
}

/** A slice whose element type is not string. */
export class GoSlice {
  constructor(
    readonly elemType: string,
    readonly items: readonly unknown[],
  ) {}
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

// Go's fmt prints a pointer as an address; any fixed value keeps output deterministic.
const FAKE_ADDRESS = '0xc000010000';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** fmt.Sprintf("%#v", v) for the value shapes above. */
export function goSyntax(v: unknown): string {
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return '<nil>';
  if (v instanceof GoNil) return v.type.startsWith('*') ? `(${v.type})(nil)` : `${v.type}(nil)`;
  if (v instanceof GoPointer) return `(${v.type})(${FAKE_ADDRESS})`;
  if (v instanceof GoSlice) return `[]${v.elemType}{${v.items.map(goSyntax).join(', ')}}`;
  if (v instanceof GoStruct) {
    return `${v.type}{${v.fields.map((f) => `${f.name}:${goSyntax(f.value)}`).join(', ')}}`;
  }
  if (Array.isArray(v)) return `[]string{${v.map(goSyntax).join(', ')}}`;
  if (isPlainObject(v)) {
    // fmt sorts map keys.
    const keys = Object.keys(v).sort(compareBytes);
    return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goSyntax(v[k])}`).join(', ')}}`;
  }
  return String(v);
}

/** Byte-order comparison, as Go sorts strings (UTF-16 order differs only beyond the BMP). */
const encoder = new TextEncoder();

export function compareBytes(a: string, b: string): number {
  const ea = encoder.encode(a);
  const eb = encoder.encode(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) if (ea[i] !== eb[i]) return ea[i]! - eb[i]!;
  return ea.length - eb.length;
}

/** Go's json.Marshal (HTML-safe escaping, sorted map keys). */
export function goJSON(v: unknown): string {
  if (v === null || v === undefined || v instanceof GoNil) return 'null';
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof GoPointer) return goJSON(v.value);
  if (v instanceof GoSlice) return `[${v.items.map(goJSON).join(',')}]`;
  if (v instanceof GoStruct) {
    if (v.jsonValue !== undefined) return goJSON(v.jsonValue);
    const parts = v.fields.filter((f) => !(f.omitEmpty && isEmptyValue(f.value))).map((f) => `${jsonString(f.json)}:${goJSON(f.value)}`);
    return `{${parts.join(',')}}`;
  }
  if (Array.isArray(v)) return `[${v.map(goJSON).join(',')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort(compareBytes);
    return `{${keys.map((k) => `${jsonString(k)}:${goJSON(v[k])}`).join(',')}}`;
  }
  return jsonString(String(v));
}

function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined || v instanceof GoNil) return true;
  if (v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof GoSlice) return v.items.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}

function jsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

/**
 * The value part of "Invalid value: <v>", following ErrorBody(): simple types print with
 * %v / %q; before 1.34 the rest used %#v (after dereferencing a top-level pointer, with nil
 * shown as the string "null"), from 1.34 json.Marshal.
 */
export function formatBadValue(v: unknown, style: ValueStyle): string {
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return goQuote(v);
  if (style === 'json') return goJSON(v);
  if (v === null || v === undefined) return goQuote('null');
  if (v instanceof GoNil && v.type.startsWith('*')) return goQuote('null');
  if (v instanceof GoPointer) return formatBadValue(v.value, style);
  return goSyntax(v);
}
