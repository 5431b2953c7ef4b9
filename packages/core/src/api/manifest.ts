// validateManifest: one object from a manifest file through the API server's create path —
// REST mapping, decoding (JSON types), defaulting, validation — returning the defaulted
// object or throwing an ApiError worded as kubectl would show it.

import { isNamespaced, type Kind } from './types.js';
import type { AnyManifest, Manifest } from './manifest-types.js';
import { aggregateMessage, ApiError, newInvalid, type FieldError } from './errors.js';
import { goJSON } from './gofmt.js';
import { apiGroupOf, resolveKind } from './kinds.js';
import { decodeManifest, jsonKind, openAPIUnknownFields, rootStructType, strictDecodingError, strictUnknownFields } from './decode.js';
import {
  legacyManifestSchemas,
  manifestSchemas,
  type RawEndpointSlice,
  type RawEndpoints,
  type RawIngressClassSpec,
  type RawNetworkPolicySpec,
  type RawIngressSpec,
  type RawLegacyIngressSpec,
  type RawServiceSpec,
  type RawClusterRole,
  type RawClusterRoleBinding,
  type RawConfigMap,
  type RawDaemonSetSpec,
  type RawDeploymentSpec,
  type RawManifest,
  type RawNamespaceSpec,
  type RawNodeSpec,
  type RawPodSpec,
  type RawReplicaSetSpec,
  type RawServiceAccount,
} from './schemas.js';
import {
  defaultClusterRoleBindingFields,
  defaultClusterRoleFields,
  defaultConfigMapFields,
  defaultDaemonSetSpec,
  defaultDeploymentSpec,
  defaultMeta,
  defaultNamespaceSpec,
  defaultNodeSpec,
  defaultPodSpec,
  defaultReplicaSetSpec,
  defaultServiceAccountFields,
  defaultServiceSpec,
  defaultEndpointsFields,
  defaultEndpointSliceFields,
  convertLegacyIngressSpec,
  defaultIngressClassSpec,
  defaultNetworkPolicySpec,
  defaultIngressSpec,
} from './defaults.js';
import { validateIngress, validateIngressClass } from './validate-ingress.js';
import { validateNetworkPolicy } from './validate-networkpolicy.js';
import { initServiceIPFamilies, validateEndpointSlice, validateEndpoints, validateService } from './validate-service.js';
import {
  validateConfigMap,
  validateDaemonSet,
  validateDeployment,
  validateNamespace,
  validateNode,
  validatePod,
  validateReplicaSet,
  validateServiceAccount,
} from './validate-objects.js';
import { validateClusterRole, validateClusterRoleBinding } from './validate-rbac.js';
import { versionAtLeast } from './version.js';

export type { AnyManifest, Manifest, ManifestMeta, ObjectInput } from './manifest-types.js';

export interface ValidateManifestOptions {
  /** Cluster version; selects version-specific wording and API availability. */
  kubernetesVersion?: string;
  /** Namespace for namespaced objects that do not name one (kubectl's current namespace). */
  defaultNamespace?: string;
  /** File name for kubectl-style messages. */
  source?: string;
  /**
   * What unknown fields do: 'Strict' (kubectl's default, `--validate=true|strict`) refuses the
   * object; 'Ignore' (`--validate=false|ignore`) drops them silently.
   */
  fieldValidation?: 'Strict' | 'Ignore';
}

/**
 * Server-side field validation: beta and on by default in 1.25 (ServerSideFieldValidation),
 * when kubectl switched from its client-side validation to sending fieldValidation=Strict.
 */
export const STRICT_FIELD_VALIDATION_SINCE = 25;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Errors kubectl raises while reading apiVersion/kind, before any request. */
function decodeError(message: string, source: string | undefined, kubernetesVersion: string | undefined): ApiError {
  return new ApiError({ reason: 'BadRequest', origin: 'decode', message, source, kubernetesVersion });
}

/** SimpleMetaFactory.Interpret reads apiVersion/kind into an anonymous struct. */
function readTypeMeta(obj: unknown, opts: ValidateManifestOptions): { apiVersion: string; kind: string } {
  // Only needed for the error text; computed lazily to keep valid objects cheap.
  const json = () => goJSON(toGoJSONValue(obj));
  if (!isRecord(obj)) {
    const what = jsonKind(obj);
    if (what === 'null') throw decodeError(`Object 'Kind' is missing in '${json()}'`, opts.source, opts.kubernetesVersion);
    throw decodeError(
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${what} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
      opts.source,
      opts.kubernetesVersion,
    );
  }
  for (const field of ['apiVersion', 'kind'] as const) {
    const v = obj[field];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw decodeError(
        `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(v)} into Go struct field .${field} of type string`,
        opts.source,
        opts.kubernetesVersion,
      );
    }
  }
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  if (kind === '') throw decodeError(`Object 'Kind' is missing in '${json()}'`, opts.source, opts.kubernetesVersion);
  if (apiVersion === '') throw decodeError(`Object 'apiVersion' is missing in '${json()}'`, opts.source, opts.kubernetesVersion);
  return { apiVersion, kind };
}

/** Arbitrary input as plain JSON data (drops undefined, functions, non-finite numbers). */
function toGoJSONValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toGoJSONValue);
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const c = v[k];
      if (c === undefined || typeof c === 'function' || typeof c === 'symbol') continue;
      Object.defineProperty(out, k, { value: toGoJSONValue(c), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function metaString(obj: Record<string, unknown>, key: 'name' | 'namespace'): string | undefined {
  const meta = obj.metadata;
  return isRecord(meta) && typeof meta[key] === 'string' ? (meta[key] as string) : undefined;
}

/**
 * Validates one manifest object (e.g. from parseManifests) and returns it with the API
 * server's defaults applied. Throws ApiError:
 * - origin 'decode' (BadRequest): not an object, or apiVersion/kind missing or not strings;
 * - origin 'mapping' (NoKindMatch / KindNotSupported): apiVersion/kind not served, or not simulated;
 * - BadRequest: a field of the wrong JSON type, worded like encoding/json;
 * - Invalid: every validation failure, in the API server's order.
 *
 * The result is an ObjectInput, what applyObjects takes: a Manifest<K> when the object's `kind`
 * is typed as kind K (a served kind comes back as the kind it was written as).
 */
export function validateManifest<K extends Kind>(obj: { kind: K }, opts?: ValidateManifestOptions): Manifest<K>;
export function validateManifest(obj: unknown, opts?: ValidateManifestOptions): AnyManifest;
export function validateManifest(obj: unknown, opts: ValidateManifestOptions = {}): AnyManifest {
  const k8s = opts.kubernetesVersion;
  const { apiVersion, kind: kindName } = readTypeMeta(obj, opts);
  const record = obj as Record<string, unknown>;
  const kind = resolveKind({
    apiVersion,
    kind: kindName,
    name: metaString(record, 'name'),
    namespace: metaString(record, 'namespace'),
    source: opts.source,
    kubernetesVersion: k8s,
  });
  const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
  const structType = rootStructType(apiVersion, kind);
  const decodeContext = { kind, version, name: metaString(record, 'name'), namespace: metaString(record, 'namespace'), kubernetesVersion: k8s };
  // Servers from 1.25 check fields themselves (kubectl sends fieldValidation=Strict); kubectl
  // before that validated the object against the server's OpenAPI schema and sent nothing.
  const checkFields = opts.fieldValidation !== 'Ignore';
  const strict = checkFields && versionAtLeast(k8s, 1, STRICT_FIELD_VALIDATION_SINCE);
  if (checkFields && !strict) {
    const unknown = openAPIUnknownFields(structType, kind, obj);
    if (unknown.length > 0) {
      throw new ApiError({
        reason: 'BadRequest',
        origin: 'validate',
        message: `error validating data: ${aggregateMessage(unknown)}; if you choose to ignore these errors, turn validation off with --validate=false`,
        source: opts.source,
        kind,
        name: decodeContext.name,
        namespace: decodeContext.namespace,
        kubernetesVersion: k8s,
      });
    }
  }
  // Older served versions decode with their own Go types, then convert to the stored version.
  const schema = legacyManifestSchemas[apiVersion]?.[kind] ?? manifestSchemas[kind];
  const raw = decodeManifest(schema, obj, decodeContext) as RawManifest;
  if (strict) {
    // Strict errors are reported only when the decode found no type error.
    const unknown = strictUnknownFields(structType, obj);
    if (unknown.length > 0) throw strictDecodingError(decodeContext, unknown);
  }

  const namespace = isNamespaced(kind) ? raw.metadata?.namespace || opts.defaultNamespace || 'default' : undefined;
  const metadata = defaultMeta(raw.metadata, namespace);
  const { manifest, errors } = buildAndValidate(kind, metadata, raw, k8s, apiVersion);
  if (errors.length > 0) {
    throw newInvalid(kind, metadata.name, errors, { group: apiGroupOf(apiVersion), namespace, kubernetesVersion: k8s });
  }
  return manifest;
}

function buildAndValidate(
  kind: Kind,
  metadata: Manifest<Kind>['metadata'],
  raw: RawManifest,
  k8s: string | undefined,
  apiVersion: string,
): { manifest: AnyManifest; errors: FieldError[] } {
  const spec = (raw as { spec?: Record<string, unknown> }).spec;
  const extras = { minReadySeconds: typeof spec?.minReadySeconds === 'number' ? spec.minReadySeconds : undefined };
  switch (kind) {
    case 'Pod': {
      const m: Manifest<'Pod'> = { apiVersion: 'v1', kind, metadata, spec: defaultPodSpec(spec as RawPodSpec | undefined) };
      return { manifest: m, errors: validatePod(m) };
    }
    case 'Namespace': {
      // SetDefaults_Namespace labels every named namespace with its name (1.21+).
      if (metadata.name && versionAtLeast(k8s, 1, 21)) {
        metadata.labels = { ...metadata.labels, 'kubernetes.io/metadata.name': metadata.name };
      }
      const m: Manifest<'Namespace'> = { apiVersion: 'v1', kind, metadata, spec: defaultNamespaceSpec(spec as RawNamespaceSpec | undefined) };
      return { manifest: m, errors: validateNamespace(m) };
    }
    case 'Node': {
      const m: Manifest<'Node'> = { apiVersion: 'v1', kind, metadata, spec: defaultNodeSpec(spec as RawNodeSpec | undefined) };
      return { manifest: m, errors: validateNode(m) };
    }
    case 'Deployment': {
      const m: Manifest<'Deployment'> = { apiVersion: 'apps/v1', kind, metadata, spec: defaultDeploymentSpec(spec as RawDeploymentSpec | undefined) };
      return { manifest: m, errors: validateDeployment(m, extras) };
    }
    case 'ReplicaSet': {
      const m: Manifest<'ReplicaSet'> = { apiVersion: 'apps/v1', kind, metadata, spec: defaultReplicaSetSpec(spec as RawReplicaSetSpec | undefined) };
      return { manifest: m, errors: validateReplicaSet(m, extras) };
    }
    case 'DaemonSet': {
      const m: Manifest<'DaemonSet'> = { apiVersion: 'apps/v1', kind, metadata, spec: defaultDaemonSetSpec(spec as RawDaemonSetSpec | undefined) };
      return { manifest: m, errors: validateDaemonSet(m, extras) };
    }
    case 'ConfigMap': {
      const m: Manifest<'ConfigMap'> = { apiVersion: 'v1', kind, metadata, ...defaultConfigMapFields(raw as RawConfigMap) };
      return { manifest: m, errors: validateConfigMap(m, k8s) };
    }
    case 'ServiceAccount': {
      const m: Manifest<'ServiceAccount'> = { apiVersion: 'v1', kind, metadata, ...defaultServiceAccountFields(raw as RawServiceAccount) };
      return { manifest: m, errors: validateServiceAccount(m, k8s) };
    }
    case 'ClusterRole': {
      const m: Manifest<'ClusterRole'> = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind,
        metadata,
        ...defaultClusterRoleFields(raw as RawClusterRole),
      };
      return { manifest: m, errors: validateClusterRole(m, k8s) };
    }
    case 'ClusterRoleBinding': {
      const m: Manifest<'ClusterRoleBinding'> = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind,
        metadata,
        ...defaultClusterRoleBindingFields(raw as RawClusterRoleBinding),
      };
      return { manifest: m, errors: validateClusterRoleBinding(m, k8s) };
    }
    case 'Service': {
      const m: Manifest<'Service'> = { apiVersion: 'v1', kind, metadata, spec: defaultServiceSpec(spec as RawServiceSpec | undefined, k8s) };
      return { manifest: m, errors: serviceCreateErrors(m, k8s) };
    }
    case 'Endpoints': {
      const m: Manifest<'Endpoints'> = { apiVersion: 'v1', kind, metadata, ...defaultEndpointsFields(raw as RawEndpoints) };
      return { manifest: m, errors: validateEndpoints(m, k8s) };
    }
    case 'EndpointSlice': {
      const m: Manifest<'EndpointSlice'> = { apiVersion: 'discovery.k8s.io/v1', kind, metadata, ...defaultEndpointSliceFields(raw as RawEndpointSlice) };
      return { manifest: m, errors: validateEndpointSlice(m, k8s) };
    }
    case 'Ingress': {
      // Older versions decode with their own shape and are stored converted to v1.
      const legacy = apiVersion !== 'networking.k8s.io/v1';
      const ingressSpec = legacy ? convertLegacyIngressSpec(spec as RawLegacyIngressSpec | undefined) : defaultIngressSpec(spec as RawIngressSpec | undefined);
      const m: Manifest<'Ingress'> = { apiVersion: 'networking.k8s.io/v1', kind, metadata, spec: ingressSpec };
      const rulesEmptyList = Array.isArray(spec?.rules) && spec.rules.length === 0;
      return { manifest: m, errors: validateIngress(m, { kubernetesVersion: k8s, apiVersion, rulesEmptyList }) };
    }
    case 'IngressClass': {
      const m: Manifest<'IngressClass'> = { apiVersion: 'networking.k8s.io/v1', kind, metadata, spec: defaultIngressClassSpec(spec as RawIngressClassSpec | undefined, k8s) };
      return { manifest: m, errors: validateIngressClass(m, k8s) };
    }
    case 'NetworkPolicy': {
      const m: Manifest<'NetworkPolicy'> = { apiVersion: 'networking.k8s.io/v1', kind, metadata, spec: defaultNetworkPolicySpec(spec as RawNetworkPolicySpec | undefined) };
      return { manifest: m, errors: validateNetworkPolicy(m, k8s) };
    }
  }
}

/**
 * The Service create path's checks, in the server's order. Since 1.23 the registry initialises
 * IP families (reporting those errors alone) and allocates before ValidateService runs; earlier
 * servers validated first. Allocation itself needs cluster state and is left to the caller.
 */
function serviceCreateErrors(m: Manifest<'Service'>, k8s: string | undefined): FieldError[] {
  if (versionAtLeast(k8s, 1, 23)) {
    const pre = initServiceIPFamilies(m.spec, m.spec.selector, { kubernetesVersion: k8s });
    return pre.length > 0 ? pre : validateService(m, k8s);
  }
  const errs = validateService(m, k8s);
  return errs.length > 0 ? errs : initServiceIPFamilies(m.spec, m.spec.selector, { kubernetesVersion: k8s });
}
