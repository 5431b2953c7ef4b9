// Public entry of the api stage: manifest loading, validation and API errors.

export * from './types.js';

/** Multi-document YAML → plain objects, kubectl-style (YAML 1.1 scalars, `---` splitting, Lists flattened). */
export { parseManifests } from './yaml.js';

/** One object through mapping, decoding, defaulting and validation. */
export { validateManifest, type ValidateManifestOptions } from './manifest.js';
export type { Manifest, ManifestMeta, AnyManifest } from './manifest-types.js';

/** Kinds handled, their apiVersions, and the REST-mapping check. */
export { SUPPORTED_KINDS, KIND_API_VERSION, apiGroupOf, resolveKind, deprecationWarning, type KindLookup } from './kinds.js';

/** StatusError-like errors and kubectl's rendering of them. */
export {
  ApiError,
  isApiError,
  newInvalid,
  notFound,
  alreadyExists,
  badRequest,
  internalError,
  kubectlErrorLine,
  renderFieldError,
  fieldErrorBody,
  aggregateMessage,
  invalid,
  required,
  notSupported,
  duplicate,
  forbidden,
  tooLong,
  tooLongDetail,
  tooMany,
  typeInvalid,
  type ApiErrorReason,
  type ApiErrorInit,
  type ErrorOrigin,
  type FieldError,
  type FieldErrorType,
  type InvalidOptions,
  type KubectlContext,
} from './errors.js';

/** encoding/json syntax errors and parse tree, base64.StdEncoding lengths (Go's wording). */
export { goJsonSyntaxError, parseGoJson, goBase64DecodedLength, type GoJsonNode } from './gojson.js';

/** Go value rendering used in error messages. */
export { GoStruct, GoNil, GoPointer, GoSlice, goQuote, goSyntax, goJSON, formatBadValue, type GoField } from './gofmt.js';

/** Name, label, port and IP validators with apimachinery's messages. */
export * from './validation.js';

/** Label selector helpers shared with controllers. */
export { selectorMatches, validateLabelSelector, validateLabels, validateObjectMeta } from './validate-meta.js';

/** Version-dependent behaviour. */
export { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion, versionAtLeast, valueStyleFor, type ValueStyle } from './version.js';

/** Defaulting pieces reused by controllers (e.g. pods from templates). */
export { defaultPullPolicy, parseImageReference, externallyAccessible, DEFAULT_CLIENT_IP_AFFINITY_SECONDS } from './defaults.js';

/** Ingress / IngressClass checks, and the DefaultIngressClass admission plugin (needs the cluster's classes). */
export { validateIngress, validateIngressClass, INGRESS_CLASS_ANNOTATION, SUPPORTED_PATH_TYPES, type IngressValidationOptions } from './validate-ingress.js';
export { admitDefaultIngressClass, defaultIngressClass, DEFAULT_INGRESS_CLASS_ANNOTATION } from './ingress-admission.js';

/** Service / Endpoints / EndpointSlice checks reused by the registry and controllers. */
export {
  isHeadlessService,
  needsHealthCheck,
  initServiceIPFamilies,
  validateServiceClusterIPsRelatedFields,
  MAX_CLIENT_IP_AFFINITY_SECONDS,
  MAX_SLICE_ENDPOINTS,
  MAX_ENDPOINT_ADDRESSES,
  type ServiceIPFamilyOptions,
} from './validate-service.js';

/** The Service allocators' errors, worded as the API server returns them. */
export {
  nodePortOutOfRange,
  nodePortAllocated,
  nodePortRangeFull,
  healthCheckNodePortFailed,
  clusterIPAllocated,
  clusterIPOutOfRange,
  clusterIPRangeFull,
  nodePortNotInRangeMessage,
  NODE_PORT_ALLOCATED_MESSAGE,
  DEFAULT_NODE_PORT_RANGE,
  type ServiceRef,
  type AllocationErrorOptions,
} from './allocation-errors.js';
