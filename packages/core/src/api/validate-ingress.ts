// Ingress and IngressClass create validation (pkg/apis/networking/validation), in upstream
// order. Validation runs on the internal (v1-shaped) object, but servers that still served
// the v1beta1 versions (≤ 1.21) named fields as the request's version spells them
// (`spec.backend`, `backend.serviceName`, `backend.servicePort`) and were more lenient with
// those requests (TLS secret names, rules under wildcard hosts).

import type { IngressBackend, IngressClass, IngressRule } from './types.js';
import type { Manifest } from './manifest-types.js';
import { forbidden, invalid, notSupported, required, tooLong, type FieldError } from './errors.js';
import { GoNil, GoSlice } from './gofmt.js';
import { validateObjectMeta } from './validate-meta.js';
import {
  domainPrefixedPathErrors,
  isDNS1123Subdomain,
  isIP,
  isValidPathSegmentName,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
} from './validation.js';
import { versionAtLeast } from './version.js';

/** sets.List order, as the server lists supported values. */
export const SUPPORTED_PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const PARAMETER_SCOPES = ['Cluster', 'Namespace'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const MAX_INGRESS_CLASS_CONTROLLER_LENGTH = 250;

/** The annotation that named the class before `spec.ingressClassName` (1.18). */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** apiVersions whose requests the server validated with the v1beta1 field names. */
const LEGACY_INGRESS_VERSIONS = new Set(['extensions/v1beta1', 'networking.k8s.io/v1beta1']);

export interface IngressValidationOptions {
  kubernetesVersion?: string;
  /** The apiVersion of the request (legacy versions change field names and leniency). */
  apiVersion?: string;
  /** `rules: []` was given (the error prints an empty, non-nil slice rather than nil). */
  rulesEmptyList?: boolean;
}

interface Ctx {
  legacy: boolean;
}

/** Field names that depend on the request's version (defaultBackendFieldName and friends). */
const names = (ctx: Ctx) => ({
  defaultBackend: ctx.legacy ? 'backend' : 'defaultBackend',
  serviceName: ctx.legacy ? 'serviceName' : 'service.name',
  portName: ctx.legacy ? 'servicePort' : 'service.port.name',
  portNumber: ctx.legacy ? 'servicePort' : 'service.port.number',
});

/** validateIngressTypedLocalObjectReference: resource backends and IngressClass parameters. */
function validateTypedLocalObjectReference(ref: { apiGroup?: string; kind: string; name: string }, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (ref.apiGroup !== undefined) errs.push(...isDNS1123Subdomain(ref.apiGroup).map((msg) => invalid(`${path}.apiGroup`, ref.apiGroup, msg)));
  if (ref.kind === '') errs.push(required(`${path}.kind`, 'kind is required'));
  else errs.push(...isValidPathSegmentName(ref.kind).map((msg) => invalid(`${path}.kind`, ref.kind, msg)));
  if (ref.name === '') errs.push(required(`${path}.name`, 'name is required'));
  else errs.push(...isValidPathSegmentName(ref.name).map((msg) => invalid(`${path}.name`, ref.name, msg)));
  return errs;
}

function validateBackend(backend: IngressBackend, path: string, ctx: Ctx): FieldError[] {
  const n = names(ctx);
  const { service, resource } = backend;
  if (resource && service) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (resource) return validateTypedLocalObjectReference(resource, `${path}.resource`);
  if (!service) return [invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  if (service.name === '') errs.push(required(`${path}.${n.serviceName}`));
  else errs.push(...nameIsDNS1035Label(service.name, false).map((msg) => invalid(`${path}.${n.serviceName}`, service.name, msg)));
  const portName = service.port.name ?? '';
  const portNumber = service.port.number ?? 0;
  if (portName !== '' && portNumber !== 0) errs.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (portName !== '') errs.push(...isValidPortName(portName).map((msg) => invalid(`${path}.${n.portName}`, portName, msg)));
  else if (portNumber !== 0) errs.push(...isValidPortNum(portNumber).map((msg) => invalid(`${path}.${n.portNumber}`, portNumber, msg)));
  else errs.push(required(path, 'port name or number is required'));
  return errs;
}

function validatePath(p: { path?: string; pathType?: string; backend: IngressBackend }, path: string, ctx: Ctx): FieldError[] {
  if (p.pathType === undefined) return [required(`${path}.pathType`, 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = p.path ?? '';
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(invalid(`${path}.path`, value, 'must be an absolute path'));
      if (value.length > 0) {
        for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(invalid(`${path}.path`, value, `must not contain '${seq}'`));
        for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) errs.push(invalid(`${path}.path`, value, `cannot end with '${suffix}'`));
      }
      break;
    case 'ImplementationSpecific':
      // An empty path is allowed here: controllers read it as "/".
      if (value.length > 0 && !value.startsWith('/')) errs.push(invalid(`${path}.path`, value, 'must be an absolute path'));
      break;
    default:
      errs.push(notSupported(`${path}.pathType`, p.pathType, SUPPORTED_PATH_TYPES));
  }
  errs.push(...validateBackend(p.backend, `${path}.backend`, ctx));
  return errs;
}

function validateRuleValue(rule: IngressRule, path: string, ctx: Ctx): FieldError[] {
  if (!rule.http) return [];
  const paths = rule.http.paths;
  const errs: FieldError[] = [];
  if (paths.length === 0) errs.push(required(`${path}.http.paths`));
  paths.forEach((p, i) => {
    errs.push(...validatePath(p, `${path}.http.paths[${i}]`, ctx));
  });
  return errs;
}

function validateRules(rules: readonly IngressRule[], ctx: Ctx): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((rule, i) => {
    const path = `spec.rules[${i}]`;
    const host = rule.host ?? '';
    let wildcard = false;
    if (host.length > 0) {
      if (isIP(host)) errs.push(invalid(`${path}.host`, host, 'must be a DNS name, not an IP address'));
      if (host.includes('*')) {
        errs.push(...isWildcardDNS1123Subdomain(host).map((msg) => invalid(`${path}.host`, host, msg)));
        wildcard = true;
      } else {
        errs.push(...isDNS1123Subdomain(host).map((msg) => invalid(`${path}.host`, host, msg)));
      }
    }
    // v1beta1 requests kept accepting whatever sat under a wildcard host (allowInvalidWildcardHostRule).
    if (!wildcard || !ctx.legacy) errs.push(...validateRuleValue(rule, path, ctx));
  });
  return errs;
}

function validateTLS(tls: NonNullable<Manifest<'Ingress'>['spec']['tls']>, ctx: Ctx): FieldError[] {
  const errs: FieldError[] = [];
  tls.forEach((t, i) => {
    (t.hosts ?? []).forEach((host, j) => {
      const path = `spec.tls[${i}].hosts[${j}]`;
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      errs.push(...msgs.map((msg) => invalid(path, host, msg)));
    });
    // Secret names were not checked for v1beta1 requests (allowInvalidSecretName).
    if (!ctx.legacy && t.secretName) {
      errs.push(...nameIsDNSSubdomain(t.secretName, false).map((msg) => invalid(`spec.tls[${i}].secretName`, t.secretName, msg)));
    }
  });
  return errs;
}

/** ValidateIngressCreate. */
export function validateIngress(ing: Manifest<'Ingress'>, opts: IngressValidationOptions = {}): FieldError[] {
  const k8s = opts.kubernetesVersion;
  const ctx: Ctx = { legacy: LEGACY_INGRESS_VERSIONS.has(opts.apiVersion ?? '') };
  const spec = ing.spec;
  const rules = spec.rules ?? [];
  const errs = validateObjectMeta(ing.metadata, true, nameIsDNSSubdomain, k8s);

  if (rules.length === 0 && !spec.defaultBackend) {
    const value = opts.rulesEmptyList ? new GoSlice('networking.IngressRule', []) : new GoNil('[]networking.IngressRule');
    errs.push(invalid('spec', value, `either \`${names(ctx).defaultBackend}\` or \`rules\` must be specified`));
  }
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, `spec.${names(ctx).defaultBackend}`, ctx));
  if (rules.length > 0) errs.push(...validateRules(rules, ctx));
  if (spec.tls && spec.tls.length > 0) errs.push(...validateTLS(spec.tls, ctx));
  if (spec.ingressClassName !== undefined) {
    errs.push(...nameIsDNSSubdomain(spec.ingressClassName, false).map((msg) => invalid('spec.ingressClassName', spec.ingressClassName, msg)));
  }

  // The old annotation and the field may not disagree on a new Ingress (before 1.27: not both at all).
  const annotation = ing.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
  if (annotation !== undefined && spec.ingressClassName !== undefined && versionAtLeast(k8s, 1, 18)) {
    const path = `annotations.${INGRESS_CLASS_ANNOTATION}`;
    if (!versionAtLeast(k8s, 1, 27)) errs.push(invalid(path, annotation, 'can not be set when the class field is also set'));
    else if (annotation !== spec.ingressClassName) errs.push(invalid(path, annotation, 'must match `ingressClassName` when both are specified'));
  }
  return errs;
}

/** ValidateIngressClass. */
export function validateIngressClass(ic: Manifest<'IngressClass'>, kubernetesVersion?: string): FieldError[] {
  const errs = validateObjectMeta(ic.metadata, false, nameIsDNSSubdomain, kubernetesVersion);
  const controller = ic.spec.controller;
  if (controller.length > MAX_INGRESS_CLASS_CONTROLLER_LENGTH) {
    errs.push(tooLong('spec.controller', MAX_INGRESS_CLASS_CONTROLLER_LENGTH, kubernetesVersion));
  }
  const dp = domainPrefixedPathErrors(controller);
  if (dp === 'required') errs.push(required('spec.controller'));
  else errs.push(...dp.map((e) => invalid('spec.controller', e.value, e.detail)));
  errs.push(...validateParameters(ic.spec.parameters, kubernetesVersion));
  return errs;
}

function validateParameters(params: IngressClass['spec']['parameters'], kubernetesVersion?: string): FieldError[] {
  if (!params) return [];
  const path = 'spec.parameters';
  const errs = validateTypedLocalObjectReference(params, path);
  // Namespace-scoped parameters arrived in 1.21; before that the reference was only kind/name.
  if (!versionAtLeast(kubernetesVersion, 1, 21)) return errs;
  if (params.scope === undefined) {
    errs.push(required(`${path}.scope`));
    return errs;
  }
  if (!PARAMETER_SCOPES.includes(params.scope)) {
    errs.push(notSupported(`${path}.scope`, params.scope, PARAMETER_SCOPES));
  } else if (params.scope === 'Namespace') {
    if (params.namespace === undefined) errs.push(required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else errs.push(...nameIsDNSLabel(params.namespace, false).map((msg) => invalid(`${path}.namespace`, params.namespace, msg)));
  } else if (params.namespace !== undefined) {
    errs.push(forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}
