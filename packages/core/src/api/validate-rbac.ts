// ClusterRole and ClusterRoleBinding validation (pkg/apis/rbac/validation), in upstream
// order. RBAC names only have to be usable as one REST path segment.

import type { PolicyRule, Subject } from './types.js';
import type { Manifest } from './manifest-types.js';
import { invalid, notSupported, required, type FieldError } from './errors.js';
import { validateObjectMeta } from './validate-meta.js';
import { isValidPathSegmentName, nameIsDNSSubdomain, nameIsPathSegment } from './validation.js';
import { RBAC_GROUP } from './defaults.js';

/** ValidatePolicyRule. Non-resource rules skip the resource checks entirely. */
export function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (rule.verbs.length === 0) errs.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls = rule.nonResourceURLs ?? [];
  if (urls.length > 0) {
    if (namespaced) errs.push(invalid(`${path}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
    if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0 || (rule.resourceNames ?? []).length > 0) {
      errs.push(invalid(`${path}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if ((rule.apiGroups ?? []).length === 0) errs.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if ((rule.resources ?? []).length === 0) errs.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

export function validateClusterRole(role: Manifest<'ClusterRole'>, kubernetesVersion?: string): FieldError[] {
  const errs = validateObjectMeta(role.metadata, false, nameIsPathSegment, kubernetesVersion);
  (role.rules ?? []).forEach((rule, i) => {
    errs.push(...validatePolicyRule(rule, false, `rules[${i}]`));
  });
  return errs;
}

/** ValidateRoleBindingSubject. Cluster bindings need the ServiceAccount's namespace spelled out. */
export function validateRoleBindingSubject(subject: Subject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const apiGroup = subject.apiGroup ?? '';
  if (subject.name === '') errs.push(required(`${path}.name`));
  switch (subject.kind as string) {
    case 'ServiceAccount':
      if (subject.name !== '') {
        errs.push(...nameIsDNSSubdomain(subject.name, false).map((msg) => invalid(`${path}.name`, subject.name, msg)));
      }
      if (apiGroup !== '') errs.push(notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !subject.namespace) errs.push(required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(notSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(`${path}.kind`, subject.kind, ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

export function validateClusterRoleBinding(binding: Manifest<'ClusterRoleBinding'>, kubernetesVersion?: string): FieldError[] {
  const errs = validateObjectMeta(binding.metadata, false, nameIsPathSegment, kubernetesVersion);
  const ref = binding.roleRef;
  if (ref.apiGroup !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', ref.apiGroup, [RBAC_GROUP]));
  if (ref.kind !== 'ClusterRole') errs.push(notSupported('roleRef.kind', ref.kind, ['ClusterRole']));
  if (ref.name === '') {
    errs.push(required('roleRef.name'));
  } else {
    errs.push(...isValidPathSegmentName(ref.name).map((msg) => invalid('roleRef.name', ref.name, msg)));
  }
  (binding.subjects ?? []).forEach((s, i) => {
    errs.push(...validateRoleBindingSubject(s, false, `subjects[${i}]`));
  });
  return errs;
}
