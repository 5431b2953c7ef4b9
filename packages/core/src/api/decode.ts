// The decoding step: a manifest's JSON types checked against the Go structs, with
// failures worded like encoding/json's UnmarshalTypeError, as the API server returns them
// (400 BadRequest, only the first error — encoding/json keeps the first it meets, walking
// keys in sorted order because kubectl sends YAML converted by json.Marshal).

import { z } from 'zod';
import { ApiError, typeInvalid, type FieldError } from './errors.js';
import { compareBytes } from './gofmt.js';
import { GO_NUMBER_RANGE, goTypeOf, unwrap } from './schemas.js';
import { structFields, type FieldShape, type StructFields } from './known-fields.js';
import { quote as goQuote } from '../util/golang/strconv.js';

type Segment = string | number;

function shortTypeName(goType: string | undefined): string {
  if (!goType) return '';
  return goType.slice(goType.lastIndexOf('.') + 1);
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty keeps keys such as "__proto__" as plain data.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's zero value for a schema, used where JSON null lands in a slice or map. */
function zeroValue(schema: z.ZodType): unknown {
  const s = unwrap(schema);
  if (s instanceof z.ZodString) return '';
  if (s instanceof z.ZodNumber || s instanceof z.ZodUnion) return 0;
  if (s instanceof z.ZodBoolean) return false;
  if (s instanceof z.ZodObject || s instanceof z.ZodRecord) return {};
  return undefined;
}

/**
 * JSON null means "zero value" to encoding/json: drop null fields, turn null elements of
 * slices and maps into the element's zero value. Unknown fields are dropped (the schema
 * would strip them anyway).
 */
export function normalizeNulls(schema: z.ZodType, value: unknown): unknown {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject && isRecord(value)) {
    const out: Record<string, unknown> = {};
    const shape = s.shape as Record<string, z.ZodType>;
    for (const key of Object.keys(value)) {
      const child = Object.hasOwn(shape, key) ? shape[key] : undefined;
      const v = value[key];
      if (!child || v === null || v === undefined) continue;
      setOwn(out, key, normalizeNulls(child, v));
    }
    return out;
  }
  if (s instanceof z.ZodArray && Array.isArray(value)) {
    const element = s.element as z.ZodType;
    return value.map((v) => (v === null || v === undefined ? zeroValue(element) : normalizeNulls(element, v)));
  }
  if (s instanceof z.ZodRecord && isRecord(value)) {
    const valueType = s.valueType as z.ZodType;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const v = value[key];
      setOwn(out, key, v === null || v === undefined ? zeroValue(valueType) : normalizeNulls(valueType, v));
    }
    return out;
  }
  return value;
}

interface PathInfo {
  /** field.Path rendering: `spec.containers[0].ports[1].name`, map keys as `[key]`. */
  field: string;
  /** Innermost struct holding the field, without package (`DeploymentSpec`). */
  struct: string;
  /** JSON names of the struct fields crossed, indices and map keys left out (`spec.replicas`). */
  jsonPath: string;
  goType: string;
}

function describePath(root: z.ZodType, path: readonly Segment[]): PathInfo {
  let schema: z.ZodType | undefined = root;
  let struct = shortTypeName(goTypeOf(root));
  const jsonFields: string[] = [];
  let field = '';
  for (const seg of path) {
    const s: z.ZodType | undefined = schema ? unwrap(schema) : undefined;
    if (s instanceof z.ZodObject) {
      struct = shortTypeName(goTypeOf(s));
      jsonFields.push(String(seg));
      field += field ? `.${String(seg)}` : String(seg);
      schema = (s.shape as Record<string, z.ZodType>)[String(seg)];
    } else if (s instanceof z.ZodArray) {
      field += `[${String(seg)}]`;
      schema = s.element as z.ZodType;
    } else if (s instanceof z.ZodRecord) {
      field += `[${String(seg)}]`;
      schema = s.valueType as z.ZodType;
    } else {
      field += typeof seg === 'number' ? `[${seg}]` : `.${seg}`;
      schema = undefined;
    }
  }
  return { field, struct, jsonPath: jsonFields.join('.'), goType: schema ? (goTypeOf(schema) ?? '') : '' };
}

function valueAt(input: unknown, path: readonly Segment[]): unknown {
  let v = input;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg as string];
  }
  return v;
}

/** The JSON type name encoding/json uses in errors. */
export function jsonKind(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  return 'object';
}

function comparePaths(a: readonly PropertyKey[], b: readonly PropertyKey[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return compareBytes(String(x), String(y));
  }
  return a.length - b.length;
}

/** encoding/json's message for one type mismatch. */
function unmarshalMessage(info: PathInfo, value: unknown): string {
  const kind = jsonKind(value);
  // A number that does not fit the Go integer type is reported with its literal.
  const intoInt = /^u?int(8|16|32|64)?$/.test(info.goType) || info.goType === 'intstr.IntOrString';
  const what = kind === 'number' && intoInt ? `number ${String(value)}` : kind;
  if (info.goType === 'intstr.IntOrString') {
    // IntOrString.UnmarshalJSON decodes into an int32 itself, losing the field context.
    return `json: cannot unmarshal ${what} into Go value of type int32`;
  }
  return `json: cannot unmarshal ${what} into Go struct field ${info.struct}.${info.jsonPath} of type ${info.goType}`;
}

export interface DecodeContext {
  kind: string;
  /** The version part of apiVersion ("v1" for apps/v1), as the server's message shows it. */
  version: string;
  name?: string;
  namespace?: string;
  kubernetesVersion?: string;
}

/** Parses `input` with `schema`, or throws the API server's BadRequest. */
export function decodeManifest<S extends z.ZodType>(schema: S, input: unknown, ctx: DecodeContext): z.output<S> {
  const normalized = normalizeNulls(schema, input);
  const result = schema.safeParse(normalized);
  if (result.success) return result.data;
  const issues = [...result.error.issues].sort((a, b) => comparePaths(a.path, b.path));
  const causes: FieldError[] = [];
  const messages: string[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is Segment => typeof p !== 'symbol');
    const info = describePath(schema, path);
    const value = valueAt(normalized, path);
    const isTypeIssue = issue.code === 'invalid_type' || issue.code === 'invalid_union' || (issue.code === 'custom' && issue.message === GO_NUMBER_RANGE);
    const message = isTypeIssue ? unmarshalMessage(info, value) : issue.message;
    messages.push(message);
    causes.push(typeInvalid(info.field, value, message));
  }
  return failDecode(ctx, messages[0] ?? 'invalid object', causes);
}

function failDecode(ctx: DecodeContext, message: string, causes: FieldError[]): never {
  throw new ApiError({
    reason: 'BadRequest',
    message: `${ctx.kind} in version "${ctx.version}" cannot be handled as a ${ctx.kind}: ${message}`,
    kind: ctx.kind,
    name: ctx.name,
    namespace: ctx.namespace,
    causes,
    kubernetesVersion: ctx.kubernetesVersion,
  });
}

// ---- Unknown fields ----------------------------------------------------------------------
// The strict decoder (fieldValidation=Strict, what kubectl sends from 1.25 on) reports every
// field the Go struct does not have, after a decode without type errors; kubectl before 1.25
// validated the object itself against the OpenAPI schema and refused it before sending it.
// Both walk the object as kubectl sends it: JSON with sorted keys, depth first.

/**
 * Keys in Go's sorted order: byte order of UTF-8, which JS's UTF-16 order matches unless a key
 * holds a surrogate pair (above U+FFFF, which UTF-16 puts before U+E000–U+FFFF).
 */
function sortedKeys(v: Record<string, unknown>): string[] {
  const keys = Object.keys(v);
  return keys.some((k) => /[\uD800-\uDFFF]/.test(k)) ? keys.sort(compareBytes) : keys.sort();
}

/** The struct type a served apiVersion/kind decodes into (`core.v1.Pod`), as known-fields.ts names it. */
export function rootStructType(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? 'core' : apiVersion.slice(0, slash).split('.')[0]!;
  return `${group}.${apiVersion.slice(slash + 1)}.${kind}`;
}

/** sigs.k8s.io/json keeps at most this many strict errors. */
const MAX_STRICT_ERRORS = 100;

/**
 * Walks `input` as decoded into `type` (keys in sorted order, depth first) and calls `unknown`
 * for each key its struct does not have, with the path of the object holding it. `skipNull`:
 * kube-openapi's validator skips null values; the strict decoder looks a key up before its value.
 */
function walkUnknownFields(type: string, input: unknown, root: string, skipNull: boolean, unknown: (path: string, key: string, struct: StructFields) => void): void {
  const child = (path: string, key: string) => (path ? `${path}.${key}` : key);
  const walk = (shape: FieldShape, value: unknown, path: string): void => {
    if (shape === undefined || value === null || typeof value !== 'object') return;
    if ('list' in shape) {
      if (Array.isArray(value)) for (let i = 0; i < value.length; i++) walk(shape.list, value[i], `${path}[${i}]`);
      return;
    }
    if (Array.isArray(value)) return;
    const record = value as Record<string, unknown>;
    if ('map' in shape) {
      for (const key of sortedKeys(record)) walk(shape.map, record[key], child(path, key));
      return;
    }
    const struct = structFields(shape.struct);
    if (!struct) return;
    for (const key of sortedKeys(record)) {
      // undefined is no JSON: a key a JS object holds with it is not sent.
      if (record[key] === undefined || (skipNull && record[key] === null)) continue;
      if (struct.fields.has(key)) walk(struct.fields.get(key), record[key], child(path, key));
      else unknown(path, key, struct);
    }
  };
  walk({ struct: type }, input, root);
}

/**
 * The strict decoder's unknown-field errors for `input` decoded into `type`:
 * `unknown field "spec.containers[0].bogusField"`, deduplicated, at most 100.
 */
export function strictUnknownFields(type: string, input: unknown): string[] {
  const out = new Set<string>();
  walkUnknownFields(type, input, '', false, (path, key) => {
    if (out.size < MAX_STRICT_ERRORS) out.add(`unknown field ${goQuote(path ? `${path}.${key}` : key)}`);
  });
  return [...out];
}

/**
 * kubectl's client-side validation (before 1.25) of unknown fields, as kube-openapi's
 * validator words them: `ValidationError(Pod.spec.containers[0]): unknown field "bogusField"
 * in io.k8s.api.core.v1.Container`. Null values are skipped, as it skips them.
 */
export function openAPIUnknownFields(type: string, kind: string, input: unknown): string[] {
  const out: string[] = [];
  walkUnknownFields(type, input, kind, true, (path, key, struct) => {
    out.push(`ValidationError(${path}): unknown field ${goQuote(key)} in ${struct.definition}`);
  });
  return out;
}

/** The strict decoding error the API server returns (BadRequest), as decodeManifest words decode errors. */
export function strictDecodingError(ctx: DecodeContext, errors: readonly string[]): ApiError {
  return new ApiError({
    reason: 'BadRequest',
    message: `${ctx.kind} in version "${ctx.version}" cannot be handled as a ${ctx.kind}: strict decoding error: ${errors.join(', ')}`,
    kind: ctx.kind,
    name: ctx.name,
    namespace: ctx.namespace,
    kubernetesVersion: ctx.kubernetesVersion,
  });
}
