// ObjectMeta, labels, annotations and label selectors, as apimachinery validates them
// (pkg/api/validation/objectmeta.go, pkg/apis/meta/v1/validation). Errors come out in the
// upstream order; Go iterates maps randomly, we use the manifest's key order.

import type { LabelSelector, Labels } from './types.js';
import type { ManifestMeta } from './manifest-types.js';
import { forbidden, invalid, required, tooLong, type FieldError } from './errors.js';
import { isQualifiedName, isValidLabelValue, nameIsDNSLabel, utf8Length } from './validation.js';
import { GoNil, GoSlice, GoStruct } from './gofmt.js';

export type NameValidator = (name: string, prefix: boolean) => string[];

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateLabelName(key: string, field: string): FieldError[] {
  return isQualifiedName(key).map((msg) => invalid(field, key, msg));
}

export function validateLabels(labels: Labels | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, field));
    errs.push(...isValidLabelValue(v).map((msg) => invalid(field, v, msg)));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, field: string, kubernetesVersion?: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    // Annotation keys are qualified names, case-insensitively.
    errs.push(...isQualifiedName(k.toLowerCase()).map((msg) => invalid(field, k, msg)));
    size += utf8Length(k) + utf8Length(v);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT, kubernetesVersion));
  return errs;
}

function validateOwnerReferences(meta: ManifestMeta, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const ref of meta.ownerReferences ?? []) {
    // schema.FromAPIVersionAndKind: an apiVersion with several '/' has no version.
    const parts = ref.apiVersion.split('/');
    const version = parts.length === 1 ? parts[0]! : parts.length === 2 ? parts[1]! : '';
    if (version === '') errs.push(invalid(`${field}.apiVersion`, ref.apiVersion, 'version must not be empty'));
    if (ref.kind === '') errs.push(invalid(`${field}.kind`, ref.kind, 'must not be empty'));
    if (ref.name === '') errs.push(invalid(`${field}.name`, ref.name, 'must not be empty'));
    if (ref.uid === '') errs.push(invalid(`${field}.uid`, ref.uid, 'must not be empty'));
  }
  return errs;
}

/**
 * ValidateObjectMetaAccessor for a create, before name generation. `kubernetesVersion`
 * only changes wording (the annotation size message).
 */
export function validateObjectMeta(meta: ManifestMeta, namespaced: boolean, nameFn: NameValidator, kubernetesVersion?: string): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.generateName) {
    errs.push(...nameFn(meta.generateName, true).map((msg) => invalid('metadata.generateName', meta.generateName, msg)));
  }
  if (meta.name === '') {
    // The server generates a name from generateName before validating; we leave that to the store.
    if (!meta.generateName) errs.push(required('metadata.name', 'name or generateName is required'));
  } else {
    errs.push(...nameFn(meta.name, false).map((msg) => invalid('metadata.name', meta.name, msg)));
  }
  if (namespaced) {
    if (!meta.namespace) {
      errs.push(required('metadata.namespace'));
    } else {
      errs.push(...nameIsDNSLabel(meta.namespace, false).map((msg) => invalid('metadata.namespace', meta.namespace, msg)));
    }
  } else if (meta.namespace) {
    errs.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations', kubernetesVersion));
  errs.push(...validateOwnerReferences(meta, 'metadata.ownerReferences'));
  return errs;
}

/** ValidateLabelSelector (strict: label values in selectors must be valid). */
export function validateLabelSelector(selector: LabelSelector | undefined, field: string): FieldError[] {
  if (!selector) return [];
  const errs = validateLabels(selector.matchLabels, `${field}.matchLabels`);
  (selector.matchExpressions ?? []).forEach((req, i) => {
    const p = `${field}.matchExpressions[${i}]`;
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(`${p}.operator`, req.operator, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(req.key, `${p}.key`));
    values.forEach((v, j) => {
      errs.push(...isValidLabelValue(v).map((msg) => invalid(`${p}.values[${j}]`, v, msg)));
    });
  });
  return errs;
}

/** metav1.LabelSelector as a Go value, for error messages that print the whole selector. */
export function goLabelSelector(selector: LabelSelector): GoStruct {
  const exprs = selector.matchExpressions;
  return new GoStruct('v1.LabelSelector', [
    { name: 'MatchLabels', json: 'matchLabels', omitEmpty: true, value: selector.matchLabels ?? new GoNil('map[string]string') },
    {
      name: 'MatchExpressions',
      json: 'matchExpressions',
      omitEmpty: true,
      value: exprs
        ? new GoSlice(
            'v1.LabelSelectorRequirement',
            exprs.map(
              (r) =>
                new GoStruct('v1.LabelSelectorRequirement', [
                  { name: 'Key', json: 'key', value: r.key },
                  { name: 'Operator', json: 'operator', value: r.operator },
                  { name: 'Values', json: 'values', omitEmpty: true, value: r.values ?? new GoNil('[]string') },
                ]),
            ),
          )
        : new GoNil('[]v1.LabelSelectorRequirement'),
    },
  ]);
}

/** Number of requirements; 0 means the selector matches everything. */
export function selectorSize(selector: LabelSelector): number {
  return Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length;
}

/** False when LabelSelectorAsSelector would fail (callers then report "invalid label selector"). */
export function selectorConvertible(selector: LabelSelector | undefined): boolean {
  if (!selector) return true;
  const labelOk = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => isQualifiedName(k).length === 0 && isValidLabelValue(v).length === 0);
  return (
    labelOk &&
    (selector.matchExpressions ?? []).every((req) => {
      const values = req.values ?? [];
      if (isQualifiedName(req.key).length > 0 || values.some((v) => isValidLabelValue(v).length > 0)) return false;
      if (req.operator === 'In' || req.operator === 'NotIn') return values.length > 0;
      if (req.operator === 'Exists' || req.operator === 'DoesNotExist') return values.length === 0;
      return false;
    })
  );
}
