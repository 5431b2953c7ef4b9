// Per-kind create validation: core (Pod, Namespace, Node, ConfigMap, ServiceAccount) and
// apps (Deployment, ReplicaSet, DaemonSet), following pkg/apis/{core,apps}/validation.

import type { DeploymentSpec, LabelSelector, PodTemplateSpec } from './types.js';
import type { Manifest } from './manifest-types.js';
import { forbidden, invalid, notSupported, required, tooLong, type FieldError } from './errors.js';
import { goBase64DecodedLength } from './gojson.js';
import { GoNil, GoPointer, GoStruct } from './gofmt.js';
import { isConfigMapKey, isValidCIDR, isValidLabelValue, isValidPercent, nameIsDNSLabel, nameIsDNSSubdomain, utf8Length } from './validation.js';
import { goLabelSelector, selectorConvertible, selectorSize, validateLabelName, validateLabelSelector, validateObjectMeta } from './validate-meta.js';
import { selectorMatches } from './labels.js';
import { validatePodSpec, validatePodTemplateSpec, validateTaintEffect } from './validate-pod.js';

const IS_NEGATIVE = 'must be greater than or equal to 0';
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

function nonNegative(value: number, field: string): FieldError[] {
  return value < 0 ? [invalid(field, value, IS_NEGATIVE)] : [];
}

export function validatePod(pod: Manifest<'Pod'>): FieldError[] {
  return [...validateObjectMeta(pod.metadata, true, nameIsDNSSubdomain), ...validatePodSpec(pod.spec, 'spec', { isPod: true })];
}

export function validateNamespace(ns: Manifest<'Namespace'>): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, false, nameIsDNSLabel);
  ns.spec.finalizers.forEach((f) => {
    // validateFinalizerName: a qualified name, and either standard or domain-prefixed.
    errs.push(...validateLabelName(f, 'spec.finalizers'));
    if (!f.includes('/') && !STANDARD_FINALIZERS.includes(f)) {
      errs.push(invalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

export function validateNode(node: Manifest<'Node'>): FieldError[] {
  const errs = validateObjectMeta(node.metadata, false, nameIsDNSSubdomain);
  const spec = node.spec;
  (spec.podCIDRs ?? []).forEach((cidr, i) => {
    errs.push(...isValidCIDR(cidr).map((msg) => invalid(`spec.podCIDRs[${i}]`, cidr, msg)));
  });
  const seen = new Set<string>();
  (spec.taints ?? []).forEach((t, i) => {
    const p = `spec.taints[${i}]`;
    errs.push(...validateLabelName(t.key, `${p}.key`));
    const value = t.value ?? '';
    const msgs = isValidLabelValue(value);
    if (msgs.length > 0) errs.push(invalid(`${p}.value`, value, msgs.join(';')));
    errs.push(...validateTaintEffect(t.effect, `${p}.effect`));
    const id = `${t.effect}\u0000${t.key}`;
    if (seen.has(id)) {
      const taint = new GoStruct('core.Taint', [
        { name: 'Key', json: 'key', value: t.key },
        { name: 'Value', json: 'value', omitEmpty: true, value },
        { name: 'Effect', json: 'effect', value: t.effect },
        { name: 'TimeAdded', json: 'timeAdded', omitEmpty: true, value: new GoNil('*v1.Time') },
      ]);
      errs.push({ field: p, type: 'FieldValueDuplicate', badValue: taint, detail: 'taints must be unique by key and effect pair' });
    }
    seen.add(id);
  });
  return errs;
}

/** core.MaxSecretSize, which also bounds a ConfigMap's data and binaryData together. */
export const MAX_CONFIG_MAP_SIZE = 1024 * 1024;

export function validateConfigMap(cm: Manifest<'ConfigMap'>, kubernetesVersion?: string): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, true, nameIsDNSSubdomain, kubernetesVersion);
  const binary = cm.binaryData ?? {};
  let total = 0;
  for (const [key, value] of Object.entries(cm.data ?? {})) {
    errs.push(...isConfigMapKey(key).map((msg) => invalid(`data[${key}]`, key, msg)));
    // Both bags become files in the same volume directory.
    if (Object.hasOwn(binary, key)) errs.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    total += utf8Length(value);
  }
  for (const [key, value] of Object.entries(binary)) {
    errs.push(...isConfigMapKey(key).map((msg) => invalid(`binaryData[${key}]`, key, msg)));
    // Decoding already rejected bad base64, so this is the byte count the server sees.
    const n = goBase64DecodedLength(value);
    total += typeof n === 'number' ? n : 0;
  }
  // field.NewPath("") names the whole object; it renders as "[]".
  if (total > MAX_CONFIG_MAP_SIZE) errs.push(tooLong('[]', MAX_CONFIG_MAP_SIZE, kubernetesVersion));
  return errs;
}

/** ValidateServiceAccount: names are DNS subdomains; secrets lists are not modelled. */
export function validateServiceAccount(sa: Manifest<'ServiceAccount'>, kubernetesVersion?: string): FieldError[] {
  return validateObjectMeta(sa.metadata, true, nameIsDNSSubdomain, kubernetesVersion);
}

/** intstr.IntOrString as a Go value (Type 0 = int, 1 = string). */
export function goIntOrString(v: string | number): GoStruct {
  const isString = typeof v === 'string';
  return new GoStruct(
    'intstr.IntOrString',
    [
      { name: 'Type', json: 'type', value: isString ? 1 : 0 },
      { name: 'IntVal', json: 'intVal', value: isString ? 0 : v },
      { name: 'StrVal', json: 'strVal', value: isString ? v : '' },
    ],
    v,
  );
}

function intOrPercentValue(v: string | number): number {
  if (typeof v === 'number') return v;
  return isValidPercent(v).length === 0 ? Number(v.slice(0, -1)) : 0;
}

function validatePositiveIntOrPercent(v: string | number, field: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((msg) => invalid(field, goIntOrString(v), msg));
  return nonNegative(v, field);
}

function validateDeploymentStrategy(strategy: DeploymentSpec['strategy']): FieldError[] {
  const ru = strategy.rollingUpdate;
  switch (strategy.type) {
    case 'Recreate':
      return ru ? [forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      if (!ru) return [required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil')];
      const p = 'spec.strategy.rollingUpdate';
      const errs = [...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`), ...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`)];
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(invalid(`${p}.maxUnavailable`, goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      if (typeof ru.maxUnavailable === 'string' && intOrPercentValue(ru.maxUnavailable) > 100) {
        errs.push(invalid(`${p}.maxUnavailable`, goIntOrString(ru.maxUnavailable), 'must not be greater than 100%'));
      }
      return errs;
    }
    default: {
      // The internal apps.DeploymentStrategy is what the server prints here.
      const rollingUpdate = ru
        ? new GoPointer(
            '*apps.RollingUpdateDeployment',
            new GoStruct('apps.RollingUpdateDeployment', [
              { name: 'MaxUnavailable', json: 'maxUnavailable', value: goIntOrString(ru.maxUnavailable) },
              { name: 'MaxSurge', json: 'maxSurge', value: goIntOrString(ru.maxSurge) },
            ]),
          )
        : new GoNil('*apps.RollingUpdateDeployment');
      const badValue = new GoStruct('apps.DeploymentStrategy', [
        { name: 'Type', json: 'type', omitEmpty: true, value: strategy.type },
        { name: 'RollingUpdate', json: 'rollingUpdate', omitEmpty: true, value: rollingUpdate },
      ]);
      return [notSupported('spec.strategy', badValue, ['Recreate', 'RollingUpdate'])];
    }
  }
}

interface SelectorTemplateSpec {
  selector?: LabelSelector;
  template: PodTemplateSpec;
}

/** Selector checks shared by Deployment and ReplicaSet (both say "for deployment" upstream). */
function validateReplicatedSelector(spec: SelectorTemplateSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.selector) {
    errs.push(required('spec.selector'));
  } else {
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (selectorSize(spec.selector) === 0) errs.push(invalid('spec.selector', goLabelSelector(spec.selector), 'empty selector is invalid for deployment'));
  }
  if (!selectorConvertible(spec.selector)) {
    errs.push(invalid('spec.selector', goLabelSelector(spec.selector!), 'invalid label selector'));
  } else {
    errs.push(...validateTemplateForReplicaSet(spec));
  }
  return errs;
}

function templateLabelsValue(template: PodTemplateSpec): unknown {
  return template.metadata.labels ?? new GoNil('map[string]string');
}

/** ValidatePodTemplateSpecForReplicaSet. A missing selector matches nothing. */
function validateTemplateForReplicaSet(spec: SelectorTemplateSpec): FieldError[] {
  const errs: FieldError[] = [];
  const everything = spec.selector !== undefined && selectorSize(spec.selector) === 0;
  if (!everything && !selectorMatches(spec.selector, spec.template.metadata.labels)) {
    errs.push(invalid('spec.template.metadata.labels', templateLabelsValue(spec.template), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
  if (spec.template.spec.restartPolicy !== 'Always') {
    errs.push(notSupported('spec.template.spec.restartPolicy', spec.template.spec.restartPolicy, ['Always']));
  }
  return errs;
}

export interface WorkloadExtras {
  /** Fields parsed but not kept in the stored type. */
  minReadySeconds?: number;
}

export function validateDeployment(d: Manifest<'Deployment'>, extras: WorkloadExtras = {}): FieldError[] {
  const errs = validateObjectMeta(d.metadata, true, nameIsDNSSubdomain);
  const spec = d.spec;
  const minReady = extras.minReadySeconds ?? 0;
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateReplicatedSelector(spec));
  errs.push(...validateDeploymentStrategy(spec.strategy));
  errs.push(...nonNegative(minReady, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  errs.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
  if (spec.progressDeadlineSeconds <= minReady) {
    errs.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

export function validateReplicaSet(rs: Manifest<'ReplicaSet'>, extras: WorkloadExtras = {}): FieldError[] {
  const errs = validateObjectMeta(rs.metadata, true, nameIsDNSSubdomain);
  errs.push(...nonNegative(rs.spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(extras.minReadySeconds ?? 0, 'spec.minReadySeconds'));
  errs.push(...validateReplicatedSelector(rs.spec));
  return errs;
}

export function validateDaemonSet(ds: Manifest<'DaemonSet'>, extras: WorkloadExtras = {}): FieldError[] {
  const errs = validateObjectMeta(ds.metadata, true, nameIsDNSSubdomain);
  const spec = ds.spec;
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  // DaemonSet has no "Required value" for a missing selector: it just matches nothing.
  if (selectorConvertible(spec.selector)) {
    const everything = spec.selector !== undefined && selectorSize(spec.selector) === 0;
    if (!everything && !selectorMatches(spec.selector, spec.template.metadata.labels)) {
      errs.push(invalid('spec.template.metadata.labels', templateLabelsValue(spec.template), '`selector` does not match template `labels`'));
    }
  }
  if (spec.selector && selectorSize(spec.selector) === 0) {
    errs.push(invalid('spec.selector', goLabelSelector(spec.selector), 'empty selector is invalid for daemonset'));
  }
  errs.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
  if (spec.template.spec.restartPolicy !== 'Always') {
    errs.push(notSupported('spec.template.spec.restartPolicy', spec.template.spec.restartPolicy, ['Always']));
  }
  errs.push(...nonNegative(extras.minReadySeconds ?? 0, 'spec.minReadySeconds'));
  return errs;
}
