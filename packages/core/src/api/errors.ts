// API errors shaped like apimachinery's StatusError, and the text kubectl prints for them.

import { quote as goQuote } from '../util/golang/strconv.js';
import { formatBadValue } from './gofmt.js';
import { valueStyleFor, versionAtLeast, type ValueStyle } from './version.js';

export type FieldErrorType =
  | 'FieldValueInvalid'
  | 'FieldValueRequired'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid';

/** One field.Error: `field` is the rendered path, e.g. `spec.containers[0].image`. */
export interface FieldError {
  field: string;
  type: FieldErrorType;
  detail: string;
  badValue?: unknown;
}

// Constructors mirroring k8s.io/apimachinery/pkg/util/validation/field.

export function invalid(field: string, badValue: unknown, detail: string): FieldError {
  return { field, type: 'FieldValueInvalid', badValue, detail };
}

export function required(field: string, detail = ''): FieldError {
  return { field, type: 'FieldValueRequired', badValue: '', detail };
}

export function notSupported(field: string, badValue: unknown, validValues: readonly string[]): FieldError {
  const detail = validValues.length > 0 ? `supported values: ${validValues.map((v) => goQuote(v)).join(', ')}` : '';
  return { field, type: 'FieldValueNotSupported', badValue, detail };
}

export function duplicate(field: string, badValue: unknown): FieldError {
  return { field, type: 'FieldValueDuplicate', badValue, detail: '' };
}

export function forbidden(field: string, detail: string): FieldError {
  return { field, type: 'FieldValueForbidden', badValue: '', detail };
}

/**
 * field.TooLong. Servers before 1.30 said "must have at most N bytes"; apimachinery then
 * reworded it (version boundary from release history, see tooLongDetail).
 */
export function tooLong(field: string, maxLength: number, kubernetesVersion?: string): FieldError {
  return { field, type: 'FieldValueTooLong', badValue: '<value omitted>', detail: tooLongDetail(maxLength, kubernetesVersion) };
}

export function tooLongDetail(maxLength: number, kubernetesVersion?: string): string {
  if (!versionAtLeast(kubernetesVersion, 1, 30)) return `must have at most ${maxLength} bytes`;
  return `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}`;
}

/** field.TooMany: a list longer than allowed; the actual count is shown as the value. */
export function tooMany(field: string, actual: number, max: number): FieldError {
  return { field, type: 'FieldValueTooMany', badValue: actual, detail: `must have at most ${max} ${max === 1 ? 'item' : 'items'}` };
}

export function typeInvalid(field: string, badValue: unknown, detail: string): FieldError {
  return { field, type: 'FieldValueTypeInvalid', badValue, detail };
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueRequired: 'Required value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
};

/** field.Error.ErrorBody(): the message without the field path. */
export function fieldErrorBody(e: FieldError, style: ValueStyle = 'go'): string {
  let s = TYPE_TEXT[e.type];
  const showsValue = e.type !== 'FieldValueRequired' && e.type !== 'FieldValueForbidden' && e.type !== 'FieldValueTooLong';
  if (showsValue) s += `: ${formatBadValue(e.badValue, style)}`;
  if (e.detail.length > 0) s += `: ${e.detail}`;
  return s;
}

/** field.Error.Error(): `<field>: <body>`. */
export function renderFieldError(e: FieldError, style: ValueStyle = 'go'): string {
  return `${e.field}: ${fieldErrorBody(e, style)}`;
}

/** utilerrors.Aggregate.Error(): one message bare, several as `[a, b]`, duplicates dropped. */
export function aggregateMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length === 1) return unique[0]!;
  return unique.length === 0 ? '' : `[${unique.join(', ')}]`;
}

export type ApiErrorReason =
  | 'Invalid'
  | 'BadRequest'
  | 'NotFound'
  | 'AlreadyExists'
  | 'NotAcceptable'
  | 'Conflict'
  | 'Forbidden'
  /** errors.NewInternalError: the server failed, not the request (e.g. an allocator range is full). */
  | 'InternalError'
  /** kubectl found no API for the apiVersion/kind (removed, misspelled, or a CRD). */
  | 'NoKindMatch'
  /** A real Kubernetes kind the simulator does not handle yet (e.g. Service before it lands). */
  | 'KindNotSupported';

const REASON_CODE: Record<ApiErrorReason, number> = {
  Invalid: 422,
  BadRequest: 400,
  NotFound: 404,
  AlreadyExists: 409,
  NotAcceptable: 406,
  Conflict: 409,
  Forbidden: 403,
  InternalError: 500,
  NoKindMatch: 404,
  KindNotSupported: 404,
};

/**
 * Where the failure happens: the API server, or kubectl before sending anything (YAML
 * syntax, an object without kind/apiVersion, no REST mapping for the kind, its client-side
 * schema validation before 1.25).
 */
export type ErrorOrigin = 'server' | 'yaml' | 'decode' | 'mapping' | 'validate';

export interface ApiErrorInit {
  reason: ApiErrorReason;
  message: string;
  code?: number;
  kind?: string;
  group?: string;
  /** Object name (Error already owns `name`, so it lives in `details.name`). */
  name?: string;
  namespace?: string;
  causes?: FieldError[];
  origin?: ErrorOrigin;
  /** File name as kubectl shows it (`-f pod.yaml` → "pod.yaml"). */
  source?: string;
  /** For mapping errors: the apiVersion and kind that did not resolve. */
  noMatch?: { apiVersion: string; kind: string };
  kubernetesVersion?: string;
  /** The Status.message the real server would send, when it differs from `message`. */
  serverMessage?: string;
}

export class ApiError extends Error {
  readonly reason: ApiErrorReason;
  readonly code: number;
  readonly kind?: string;
  readonly group?: string;
  readonly causes: FieldError[];
  readonly origin: ErrorOrigin;
  readonly source?: string;
  readonly noMatch?: { apiVersion: string; kind: string };
  readonly kubernetesVersion?: string;
  readonly serverMessage: string;
  /** metav1.StatusDetails: what kubectl reads to print Invalid errors. */
  readonly details: { kind?: string; group?: string; name?: string; namespace?: string };

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.name = 'ApiError';
    this.reason = init.reason;
    this.code = init.code ?? REASON_CODE[init.reason];
    this.kind = init.kind;
    this.group = init.group;
    this.causes = init.causes ?? [];
    this.origin = init.origin ?? 'server';
    this.source = init.source;
    this.noMatch = init.noMatch;
    this.kubernetesVersion = init.kubernetesVersion;
    this.serverMessage = init.serverMessage ?? init.message;
    this.details = { kind: init.kind, group: init.group, name: init.name, namespace: init.namespace };
  }

  /** The object's name, if the error concerns one. */
  get objectName(): string | undefined {
    return this.details.name;
  }

  /** The value style used to render causes (Go syntax before 1.34, JSON after). */
  get valueStyle(): ValueStyle {
    return valueStyleFor(this.kubernetesVersion);
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export interface InvalidOptions {
  group?: string;
  namespace?: string;
  kubernetesVersion?: string;
}

/**
 * errors.NewInvalid. `message` follows the brief (`The Pod "x" is invalid: …`);
 * `serverMessage` is the real Status.message (`Deployment.apps "x" is invalid: …`).
 */
export function newInvalid(kind: string, name: string, causes: FieldError[], opts: InvalidOptions = {}): ApiError {
  const style = valueStyleFor(opts.kubernetesVersion);
  const agg = aggregateMessage(causes.map((c) => renderFieldError(c, style)));
  const qualified = opts.group ? `${kind}.${opts.group}` : kind;
  return new ApiError({
    reason: 'Invalid',
    message: `The ${kind} ${goQuote(name)} is invalid: ${agg}`,
    serverMessage: `${qualified} ${goQuote(name)} is invalid: ${agg}`,
    kind,
    group: opts.group,
    name,
    namespace: opts.namespace,
    causes,
    kubernetesVersion: opts.kubernetesVersion,
  });
}

/** errors.NewNotFound: `pods "x" not found` (resource is the plural, group-qualified: `deployments.apps`). */
export function notFound(resource: string, name: string): ApiError {
  return new ApiError({ reason: 'NotFound', message: `${resource} ${goQuote(name)} not found`, name });
}

/** errors.NewAlreadyExists: `pods "x" already exists`. */
export function alreadyExists(resource: string, name: string): ApiError {
  return new ApiError({ reason: 'AlreadyExists', message: `${resource} ${goQuote(name)} already exists`, name });
}

/** errors.NewInternalError: `Internal error occurred: <message>`. */
export function internalError(message: string, extra: Partial<ApiErrorInit> = {}): ApiError {
  return new ApiError({ ...extra, reason: 'InternalError', message: `Internal error occurred: ${message}` });
}

export function badRequest(message: string, extra: Partial<ApiErrorInit> = {}): ApiError {
  return new ApiError({ ...extra, reason: 'BadRequest', message });
}

export interface KubectlContext {
  /** "creating", "applying", … — kubectl's `error when <verb> "<source>":` wrapper. */
  verb?: string;
  source?: string;
  kubernetesVersion?: string;
}

/**
 * What kubectl prints for the error (possibly several lines, no trailing newline).
 * Invalid errors follow cmdutil.checkErr: one cause on the same line, several as a
 * `* cause` list under the header.
 */
export function kubectlErrorLine(err: ApiError, ctx: KubectlContext = {}): string {
  const source = ctx.source ?? err.source ?? 'STDIN';
  const version = ctx.kubernetesVersion ?? err.kubernetesVersion;
  switch (err.origin) {
    case 'yaml':
      return `error: ${err.message}`;
    case 'decode':
      return `error: unable to decode ${goQuote(source)}: ${err.message}`;
    case 'mapping':
      // kubectl's wording changed; the older form lacks the object's name.
      if (versionAtLeast(version, 1, 24)) {
        const ns = err.details.namespace ?? '';
        return `error: resource mapping not found for name: ${goQuote(err.details.name ?? '')} namespace: ${goQuote(ns)} from ${goQuote(source)}: ${err.message}\nensure CRDs are installed first`;
      }
      return `error: unable to recognize ${goQuote(source)}: ${err.message}`;
    case 'validate':
      return `error: error validating ${goQuote(source)}: ${err.message}`;
    case 'server':
      break;
  }
  if (err.reason === 'Invalid') {
    const style = valueStyleFor(version);
    const head = `The ${err.details.kind ?? ''} ${goQuote(err.details.name ?? '')} is invalid`;
    const lines = err.causes.map((c) => renderFieldError(c, style));
    if (lines.length === 0) return head;
    if (lines.length === 1) return `${head}: ${lines[0]}`;
    return `${head}: \n${lines.map((l) => `* ${l}`).join('\n')}`;
  }
  const wrap = ctx.verb && (ctx.source ?? err.source) ? `error when ${ctx.verb} ${goQuote(source)}: ` : '';
  return `Error from server (${err.reason}): ${wrap}${err.serverMessage}`;
}
