// PodSpec validation (pkg/apis/core/validation: ValidatePodSpec and helpers), limited to the
// fields the simulator models, in the upstream order so aggregated messages match.

import type { Container, PodDNSConfig, PodSpec, PodTemplateSpec, Toleration } from './types.js';
import { duplicate, invalid, notSupported, required, type FieldError } from './errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidIP, isValidLabelValue, isValidPortName, isValidPortNum, nameIsDNSSubdomain } from './validation.js';
import { validateAnnotations, validateLabelName, validateLabels } from './validate-meta.js';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never']; // sets.List: sorted
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']; // sets.List: sorted
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];

export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;

function dns1123Label(value: string, field: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => invalid(field, value, msg));
}

function dns1123Subdomain(value: string, field: string): FieldError[] {
  return isDNS1123Subdomain(value).map((msg) => invalid(field, value, msg));
}

function validateContainerPorts(ctr: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ctr.ports ?? []).forEach((port, i) => {
    const p = `${path}[${i}]`;
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length > 0) errs.push(...msgs.map((msg) => invalid(`${p}.name`, port.name, msg)));
      else if (names.has(port.name)) errs.push(duplicate(`${p}.name`, port.name));
      else names.add(port.name);
    }
    if (port.containerPort === 0) {
      errs.push(required(`${p}.containerPort`));
    } else {
      errs.push(...isValidPortNum(port.containerPort).map((msg) => invalid(`${p}.containerPort`, port.containerPort, msg)));
    }
    if (port.hostPort) {
      errs.push(...isValidPortNum(port.hostPort).map((msg) => invalid(`${p}.hostPort`, port.hostPort, msg)));
    }
    if (!port.protocol) errs.push(required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
  });
  return errs;
}

function validateContainerCommon(ctr: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (ctr.name === '') errs.push(required(`${path}.name`));
  else errs.push(...dns1123Label(ctr.name, `${path}.name`));
  if (ctr.image === '') errs.push(required(`${path}.image`));
  errs.push(...validateContainerPorts(ctr, `${path}.ports`));
  if (!ctr.imagePullPolicy) errs.push(required(`${path}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(ctr.imagePullPolicy)) {
    errs.push(notSupported(`${path}.imagePullPolicy`, ctr.imagePullPolicy, PULL_POLICIES));
  }
  return errs;
}

/** AccumulateUniqueHostPorts: the same protocol/hostIP/hostPort twice is a Duplicate. */
function checkHostPortConflicts(containers: readonly Container[], path: string, seen = new Set<string>()): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((ctr, ci) => {
    (ctr.ports ?? []).forEach((port, pi) => {
      if (!port.hostPort) return;
      const key = `${port.protocol}//${port.hostPort}`;
      if (seen.has(key)) errs.push(duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

function validateContainers(containers: readonly Container[], path: string): FieldError[] {
  if (containers.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((ctr, i) => {
    errs.push(...validateContainerCommon(ctr, `${path}[${i}]`));
    if (names.has(ctr.name)) errs.push(duplicate(`${path}[${i}].name`, ctr.name));
    else names.add(ctr.name);
  });
  errs.push(...checkHostPortConflicts(containers, path));
  return errs;
}

function validateInitContainers(init: readonly Container[], regular: readonly Container[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(regular.map((c) => c.name));
  init.forEach((ctr, i) => {
    errs.push(...validateContainerCommon(ctr, `${path}[${i}]`));
    if (names.has(ctr.name)) errs.push(duplicate(`${path}[${i}].name`, ctr.name));
    else if (ctr.name.length > 0) names.add(ctr.name);
    // Init containers run one at a time, so only ports within one container can clash.
    errs.push(...checkHostPortConflicts([ctr], path));
  });
  return errs;
}

function validateDNSConfig(config: PodDNSConfig | undefined, spec: PodSpec, path: string): FieldError[] {
  if (spec.dnsPolicy === 'None') {
    if (!config) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if ((config.nameservers ?? []).length === 0) {
      return [required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
    }
  }
  if (!config) return [];
  const errs: FieldError[] = [];
  const nameservers = config.nameservers ?? [];
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    errs.push(invalid(`${path}.nameservers`, nameservers, `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`));
  }
  nameservers.forEach((ns, i) => {
    errs.push(...isValidIP(ns).map((msg) => invalid(`${path}.nameservers[${i}]`, ns, msg)));
  });
  const searches = config.searches ?? [];
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    errs.push(invalid(`${path}.searches`, searches, `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`));
  }
  if (searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) {
    errs.push(invalid(`${path}.searches`, searches, `must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`));
  }
  // A trailing dot (fully qualified) is allowed.
  searches.forEach((s, i) => {
    errs.push(...dns1123Subdomain(s.replace(/\.$/, ''), `${path}.searches[${i}]`));
  });
  (config.options ?? []).forEach((o, i) => {
    if (o.name === '') errs.push(required(`${path}.options[${i}]`, 'must not be empty'));
  });
  return errs;
}

function validateTolerations(tolerations: readonly Toleration[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const p = `${path}[${i}]`;
    const key = t.key ?? '';
    const operator = t.operator ?? '';
    const effect = t.effect ?? '';
    if (key.length > 0) errs.push(...validateLabelName(key, `${p}.key`));
    if (key.length === 0 && operator !== 'Exists') {
      errs.push(invalid(`${p}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && effect !== 'NoExecute') {
      errs.push(invalid(`${p}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    const value = t.value ?? '';
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length > 0) errs.push(invalid(`${p}.operator`, value, msgs.join(';')));
    } else if (operator === 'Exists') {
      if (value.length > 0) errs.push(invalid(`${p}.operator`, value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(`${p}.operator`, operator, TOLERATION_OPERATORS));
    }
    if (effect.length > 0 && !TAINT_EFFECTS.includes(effect)) errs.push(notSupported(`${p}.effect`, effect, TAINT_EFFECTS));
  });
  return errs;
}

/** Taint effect, required (Node taints). */
export function validateTaintEffect(effect: string, path: string): FieldError[] {
  if (effect === '') return [required(path)];
  return TAINT_EFFECTS.includes(effect) ? [] : [notSupported(path, effect, TAINT_EFFECTS)];
}

export interface PodSpecOptions {
  /** Pod-only rules (not applied to templates): hostPort must equal containerPort under hostNetwork. */
  isPod: boolean;
}

export function validatePodSpec(spec: PodSpec, path: string, opts: PodSpecOptions): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateContainers(spec.containers, `${path}.containers`));
  errs.push(...validateInitContainers(spec.initContainers ?? [], spec.containers, `${path}.initContainers`));
  if (spec.hostNetwork) {
    spec.containers.forEach((ctr, ci) => {
      (ctr.ports ?? []).forEach((port, pi) => {
        const hp = port.hostPort ?? 0;
        if ((opts.isPod || hp !== 0) && hp !== port.containerPort) {
          errs.push(invalid(`${path}.containers[${ci}].ports[${pi}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }
  if (!spec.restartPolicy) errs.push(required(`${path}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(spec.restartPolicy)) {
    errs.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES));
  }
  if (!spec.dnsPolicy) errs.push(required(`${path}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(spec.dnsPolicy)) errs.push(notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validateDNSConfig(spec.dnsConfig, spec, `${path}.dnsConfig`));
  for (const [field, value] of [
    ['serviceAccountName', spec.serviceAccountName],
    ['nodeName', spec.nodeName],
  ] as const) {
    if (value) errs.push(...nameIsDNSSubdomain(value, false).map((msg) => invalid(`${path}.${field}`, value, msg)));
  }
  if (spec.hostname) errs.push(...dns1123Label(spec.hostname, `${path}.hostname`));
  if (spec.subdomain) errs.push(...dns1123Label(spec.subdomain, `${path}.subdomain`));
  if (spec.tolerations?.length) errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  if (spec.priorityClassName) {
    errs.push(...nameIsDNSSubdomain(spec.priorityClassName, false).map((msg) => invalid(`${path}.priorityClassName`, spec.priorityClassName, msg)));
  }
  if (opts.isPod) {
    // validateContainersOnlyForPod
    spec.containers.forEach((c, i) => {
      if (c.image !== c.image.trim()) errs.push(invalid(`${path}.containers[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
    });
    (spec.initContainers ?? []).forEach((c, i) => {
      if (c.image !== c.image.trim()) errs.push(invalid(`${path}.initContainers[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
    });
  }
  return errs;
}

/** ValidatePodTemplateSpec: note the upstream paths `<template>.labels` (no `metadata`). */
export function validatePodTemplateSpec(template: PodTemplateSpec, path: string): FieldError[] {
  return [
    ...validateLabels(template.metadata.labels, `${path}.labels`),
    ...validateAnnotations(template.metadata.annotations, `${path}.annotations`),
    ...validatePodSpec(template.spec, `${path}.spec`, { isPod: false }),
  ];
}
