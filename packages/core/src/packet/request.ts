// The library's input errors, and the check of a trace request at the walker's entry.
//
// Everything a caller hands the library at run time (Cluster.create's options, a trace request,
// exec's options, a snapshot) is checked before it is used, and a bad value throws one
// NetsimInputError naming the field by its path (`options.nodes[1].ip`, `request.to.port`) and
// the value, worded as the API server words field errors (`Invalid value`, `Unsupported value`,
// `Not found`, `Duplicate value`, `Required value`).
//
// A trace request is checked once, here, before the walk: by hand rather than with a zod schema,
// so the check costs a few typeof tests and allocates nothing on the packet path.

import { tryParseIPv4 } from '../net/ipv4.js';
import type { TraceRequest } from './types.js';

/**
 * Errors of a trace request, from before NetsimInputError existed. Kept as its base class so code
 * that catches TraceError (`instanceof TraceError`) catches every input error too.
 */
export class TraceError extends Error {}

/** The kind of problem, as Kubernetes' field.ErrorType words it. */
export type InputErrorType = 'Invalid value' | 'Unsupported value' | 'Not found' | 'Duplicate value' | 'Required value';

/** A value as the message shows it: strings quoted, numbers as written, objects as JSON (shortened). */
export function renderValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const text = JSON.stringify(value);
      return text.length > 120 ? `${text.slice(0, 116)}..."` : text;
    }
    case 'number':
    case 'boolean':
    case 'symbol':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) return Object.prototype.toString.call(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * A value the library was given is wrong: `field` is its path from the argument
 * (`options.podCIDR`, `options.nodes[1].ip`, `request.to.port`, `request.from.pod`), `value`
 * what was there, `type` the kind of problem and `detail` what is wrong. The message reads
 * `FIELD: TYPE: VALUE: DETAIL`, e.g.
 * `request.to.port: Invalid value: 0: must be an integer from 1 to 65535`.
 */
export class NetsimInputError extends TraceError {
  override readonly name = 'NetsimInputError';
  readonly field: string;
  readonly value: unknown;
  readonly type: InputErrorType;
  readonly detail: string;

  constructor(field: string, value: unknown, detail: string, type: InputErrorType = 'Invalid value') {
    const head = type === 'Required value' ? `${field}: ${type}` : `${field}: ${type}: ${renderValue(value)}`;
    super(detail ? `${head}: ${detail}` : head);
    this.field = field;
    this.value = value;
    this.type = type;
    this.detail = detail;
  }
}

/** Whether `e` is a NetsimInputError (also across copies of the library). */
export function isNetsimInputError(e: unknown): e is NetsimInputError {
  return e instanceof NetsimInputError || (e instanceof Error && e.name === 'NetsimInputError' && 'field' in e);
}

/** `a.b` for a key that is an identifier, `a["x-y"]` otherwise. */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** The key among `known` spelled like `key` but for case, punctuation or a plural s, for "did you mean". */
export function similarKey(key: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const k0 = norm(key);
  return known.find((k) => {
    const k1 = norm(k);
    return k1 === k0 || k1 === `${k0}s` || `${k1}s` === k0;
  });
}

/** The error for a key the argument does not have. */
export function unknownKey(parent: string, key: string, value: unknown, known: readonly string[]): NetsimInputError {
  const like = similarKey(key, known);
  return new NetsimInputError(fieldPath(parent, key), value, `unknown field; ${like ? `did you mean "${like}"?` : `known: ${known.map((k) => `"${k}"`).join(', ')}`}`);
}

/** `record[key]` when it is the record's own entry: a pod or node named `constructor` is not Object's. */
export function ownEntry<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const REQUEST_KEYS = ['from', 'to', 'proto', 'sport', 'size', 'df'] as const;
const FROM_KEYS = ['pod', 'node', 'external'] as const;
const TO_KEYS = ['ip', 'port'] as const;
const PROTOS = ['tcp', 'udp', 'icmp', 'sctp'] as const;
/** An IPv4 packet: the 20-byte header plus ICMP's or UDP's 8; at most 65535 bytes (the total length field). */
const MIN_SIZE = 28;
const MAX_SIZE = 65535;

const isPort = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

function checkKeys(obj: Record<string, unknown>, parent: string, known: readonly string[]): void {
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    if (!known.includes(key)) throw unknownKey(parent, key, obj[key], known);
  }
}

/**
 * Check a trace request's shape and values (not whether its pod or node exists: the walker does,
 * with the same error type naming `request.from.pod` / `request.from.node`). Throws a
 * NetsimInputError naming the first wrong field.
 */
export function checkTraceRequest(req: unknown): asserts req is TraceRequest {
  if (!isPlainObject(req)) throw new NetsimInputError('request', req, 'must be an object { from, to, proto?, sport?, size?, df? }');
  checkKeys(req, 'request', REQUEST_KEYS);
  const from = req.from;
  if (from === undefined) throw new NetsimInputError('request.from', from, 'one of { pod }, { node } or { external }', 'Required value');
  if (!isPlainObject(from)) throw new NetsimInputError('request.from', from, 'must be one of { pod }, { node } or { external }');
  checkKeys(from, 'request.from', FROM_KEYS);
  let given: string | undefined;
  for (const key of FROM_KEYS) {
    if (from[key] === undefined) continue;
    if (given !== undefined) throw new NetsimInputError(`request.from.${key}`, from[key], `request.from.${given} is given too: exactly one of pod, node or external`);
    given = key;
    const v = from[key];
    if (key === 'external' ? typeof v !== 'string' || tryParseIPv4(v) === undefined : typeof v !== 'string' || v === '')
      throw new NetsimInputError(
        `request.from.${key}`,
        v,
        key === 'pod' ? 'must be a pod, "ns/name" or "name" (in default)' : key === 'node' ? 'must be a node name' : 'must be an IPv4 address',
      );
  }
  if (given === undefined) throw new NetsimInputError('request.from', from, 'must be one of { pod }, { node } or { external }');
  const to = req.to;
  if (to === undefined) throw new NetsimInputError('request.to', to, '{ ip, port? }', 'Required value');
  if (!isPlainObject(to)) throw new NetsimInputError('request.to', to, 'must be an object { ip, port? }');
  checkKeys(to, 'request.to', TO_KEYS);
  if (to.ip === undefined) throw new NetsimInputError('request.to.ip', to.ip, 'an IPv4 address', 'Required value');
  if (typeof to.ip !== 'string' || tryParseIPv4(to.ip) === undefined)
    throw new NetsimInputError('request.to.ip', to.ip, 'must be an IPv4 address (dotted quad, e.g. "10.96.0.10")');
  const proto = req.proto;
  if (proto !== undefined && !(PROTOS as readonly unknown[]).includes(proto))
    throw new NetsimInputError('request.proto', proto, `supported values: ${PROTOS.map((p) => `"${p}"`).join(', ')}`, 'Unsupported value');
  // ICMP has no ports: an echo request ignores to.port.
  if (proto !== 'icmp') {
    if (to.port === undefined) throw new NetsimInputError('request.to.port', to.port, `${proto ?? 'tcp'} needs a destination port from 1 to 65535`, 'Required value');
    if (!isPort(to.port)) throw new NetsimInputError('request.to.port', to.port, 'must be an integer from 1 to 65535');
  }
  if (req.sport !== undefined && !isPort(req.sport)) throw new NetsimInputError('request.sport', req.sport, 'must be an integer from 1 to 65535');
  const size = req.size;
  if (size !== undefined && !(typeof size === 'number' && Number.isInteger(size) && size >= MIN_SIZE && size <= MAX_SIZE))
    throw new NetsimInputError('request.size', size, `must be an integer from ${MIN_SIZE} to ${MAX_SIZE} (the IP packet's total length in bytes)`);
  if (req.df !== undefined && typeof req.df !== 'boolean') throw new NetsimInputError('request.df', req.df, 'must be a boolean');
}
