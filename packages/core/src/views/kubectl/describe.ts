// `kubectl describe pod|node|configmap|service|ingress|ingressclass`, following kubectl's
// pkg/describe/describe.go: each line is written with two spaces per nesting level and
// tab-separated cells, then the whole text goes through a tabwriter (minwidth 0, padding 2).
// The value column is therefore wherever the widest label of each run of lines puts it.

import type {
  ConfigMap,
  EndpointSlice,
  Endpoints,
  Ingress,
  IngressBackend,
  IngressClass,
  IngressServiceBackend,
  LoadBalancerIngress,
  Node,
  Pod,
  Service,
  Taint,
  Toleration,
} from '../../api/types.js';
import { goBase64DecodedLength } from '../../api/gojson.js';
import type { ClusterEvent } from '../../state/types.js';
import { humanDuration } from './duration.js';
import { formatEndpoints, ingressAddress } from './get.js';
import {
  compareStrings,
  effectiveState,
  findNodeRoles,
  formatLabels,
  formatRFC1123Z,
  parseTime,
  podIPs,
  podStatus,
  since,
  type FullContainer,
  type FullContainerState,
  type FullContainerStatus,
} from './helpers.js';
import { addQuantity, formatQuantity, parseQuantity, quantityValue, ZERO_QUANTITY, type Quantity } from './quantity.js';
import { DESCRIBE_TABWRITER, tabwrite } from './tabwriter.js';

/** describe.go's PrefixWriter: two spaces of indentation per level. */
class PrefixWriter {
  private readonly parts: string[] = [];

  write(level: number, text: string): void {
    this.parts.push('  '.repeat(level) + text);
  }

  /** tabbedString(): the text as the tabwriter lays it out. */
  toString(): string {
    return tabwrite(this.parts.join(''), DESCRIBE_TABWRITER);
  }
}

const MAX_ANNOTATION_LEN = 140;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function printLabelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort(compareStrings);
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${key}=${labels![key]}\n`);
  });
}

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== LAST_APPLIED)
    .sort(compareStrings);
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = annotations![key]!.replace(/\n$/, '');
    // Long or multi-line values go on their own lines, each cut at 138 characters.
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${key}:\n`);
      for (const line of value.split('\n')) w.write(0, `\t  ${shorten(line, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(0, `${key}: ${value}\n`);
    }
  });
}

function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

function printTaintsMultiline(w: PrefixWriter, title: string, taints: Taint[] | undefined): void {
  w.write(0, `${title}:\t`);
  if (!taints || taints.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  const sorted = [...taints].sort((a, b) => compareStrings(`${a.effect},${a.key}`, `${b.effect},${b.key}`));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${taintString(t)}\n`);
  });
}

function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: Toleration[] | undefined): void {
  w.write(0, `${title}:\t`);
  if (!tolerations || tolerations.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  const sorted = [...tolerations].sort((a, b) => compareStrings(a.key ?? '', b.key ?? ''));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    let text = t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    // operator Exists with no value: "op=Exists" (alone when it tolerates everything).
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined) text += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${text}\n`);
  });
}

// ---------------------------------------------------------------------------------------
// Events

interface AggregatedEvent {
  type: string;
  reason: string;
  source: string;
  message: string;
  first: number;
  last: number;
  count: number;
}

/**
 * The event recorder folds repeats of the same event (same object, type, reason, source
 * and message) into one Event with a count; the simulator's log keeps each occurrence, so
 * they are folded here.
 */
function aggregateEvents(events: readonly ClusterEvent[]): AggregatedEvent[] {
  const byKey = new Map<string, AggregatedEvent>();
  for (const e of events) {
    const key = JSON.stringify([e.kind, e.namespace ?? '', e.name, e.type, e.reason, e.source, e.message]);
    const agg = byKey.get(key);
    if (agg) {
      agg.count++;
      agg.first = Math.min(agg.first, e.time);
      agg.last = Math.max(agg.last, e.time);
    } else {
      byKey.set(key, { type: e.type, reason: e.reason, source: e.source, message: e.message, first: e.time, last: e.time, count: 1 });
    }
  }
  // SortableEvents: by last timestamp (stable, so equal times keep log order).
  return [...byKey.values()].sort((a, b) => a.last - b.last);
}

function describeEvents(w: PrefixWriter, events: readonly ClusterEvent[], now: number): void {
  const list = aggregateEvents(events);
  if (list.length === 0) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of list) {
    const interval = e.count > 1 ? `${humanDuration(now - e.last)} (x${e.count} over ${humanDuration(now - e.first)})` : humanDuration(now - e.first);
    w.write(1, `${e.type}\t${e.reason}\t${interval}\t${e.source}\t${e.message.trim()}\n`);
  }
}

function eventsFor(events: readonly ClusterEvent[], kind: string, name: string, namespace?: string): ClusterEvent[] {
  return events.filter((e) => e.kind.toLowerCase() === kind.toLowerCase() && e.name === name && (namespace === undefined || (e.namespace ?? '') === namespace));
}

// ---------------------------------------------------------------------------------------
// Pod

type ContainerWithExtras = FullContainer & {
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
};

function describeState(w: PrefixWriter, title: string, state: FullContainerState, pod: Pod): void {
  if (state.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${formatRFC1123Z(state.running.startedAt)}\n`);
  } else if (state.waiting) {
    w.write(2, `${title}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state.terminated) {
    const t = state.terminated;
    w.write(2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal) w.write(3, `Signal:\t${t.signal}\n`);
    // A synthesised state (see effectiveState) has no times: fall back to the pod's.
    const ready = pod.status.conditions?.find((c) => c.type === 'Ready');
    w.write(3, `Started:\t${formatRFC1123Z(t.startedAt ?? pod.status.startTime)}\n`);
    w.write(3, `Finished:\t${formatRFC1123Z(t.finishedAt ?? ready?.lastTransitionTime)}\n`);
  } else {
    w.write(2, `${title}:\tWaiting\n`);
  }
}

function describeContainers(w: PrefixWriter, label: string, containers: ContainerWithExtras[], statuses: FullContainerStatus[], pod: Pod): void {
  const byName = new Map(statuses.map((s) => [s.name, s]));
  w.write(0, `${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const cs = byName.get(c.name);
    w.write(1, `${c.name}:\n`);
    if (cs) w.write(2, `Container ID:\t${cs.containerID}\n`);
    w.write(2, `Image:\t${c.image}\n`);
    if (cs) w.write(2, `Image ID:\t${cs.imageID}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
    if (c.command && c.command.length > 0) {
      w.write(2, 'Command:\n');
      for (const part of c.command) for (const line of part.split('\n')) w.write(3, `${line}\n`);
    }
    if (c.args && c.args.length > 0) {
      w.write(2, 'Args:\n');
      for (const part of c.args) for (const line of part.split('\n')) w.write(3, `${line}\n`);
    }
    if (cs) {
      describeState(w, 'State', effectiveState(cs, pod), pod);
      if (cs.lastState?.terminated) describeState(w, 'Last State', cs.lastState, pod);
      w.write(2, `Ready:\t${cs.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${cs.restartCount ?? 0}\n`);
    }
    for (const [title, list] of [
      ['Limits', c.resources?.limits],
      ['Requests', c.resources?.requests],
    ] as const) {
      const names = Object.keys(list ?? {}).sort(compareStrings);
      if (names.length > 0) w.write(2, `${title}:\n`);
      for (const n of names) w.write(3, `${n}:\t${list![n]}\n`);
    }
    const env = c.env ?? [];
    w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
    for (const e of env) {
      (e.value ?? '').split('\n').forEach((line, i) => {
        w.write(3, i === 0 ? `${e.name}:\t${line}\n` : `\t${line}\n`);
      });
    }
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => compareStrings(a.mountPath, b.mountPath));
    w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of mounts) {
      const flags = [m.readOnly ? 'ro' : 'rw'];
      if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
      w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
    }
  }
}

/**
 * `kubectl describe pod`. `events` may be the whole event log: only the pod's own events
 * are shown.
 */
export function describePod(pod: Pod, events: readonly ClusterEvent[], now: number): string {
  const w = new PrefixWriter();
  const status = podStatus(pod);
  const meta = pod.metadata;
  w.write(0, `Name:\t${meta.name}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  if (pod.spec.priority !== undefined) w.write(0, `Priority:\t${pod.spec.priority}\n`);
  if (pod.spec.priorityClassName) w.write(0, `Priority Class Name:\t${pod.spec.priorityClassName}\n`);
  if (pod.spec.serviceAccountName) w.write(0, `Service Account:\t${pod.spec.serviceAccountName}\n`);
  w.write(0, pod.spec.nodeName ? `Node:\t${pod.spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${formatRFC1123Z(status.startTime)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    // deletionTimestamp lies in the future while the grace period runs, so real kubectl
    // prints "lasts <invalid>" here; that is reproduced, not fixed.
    w.write(0, `Status:\tTerminating (lasts ${since(now, meta.deletionTimestamp)})\n`);
    const grace = (meta as { deletionGracePeriodSeconds?: number }).deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds;
    w.write(0, `Termination Grace Period:\t${grace}s\n`);
  } else {
    w.write(0, `Status:\t${status.phase}\n`);
  }
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  const ips = podIPs(pod);
  w.write(0, `IP:\t${status.podIP ?? ips[0] ?? ''}\n`);
  if (ips.length === 0) {
    w.write(0, 'IPs:\t<none>\n');
  } else {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.write(1, `IP:\t${ip}\n`);
  }
  const owner = meta.ownerReferences?.find((r) => r.controller);
  if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);

  const initContainers = (pod.spec.initContainers ?? []) as ContainerWithExtras[];
  if (initContainers.length > 0) describeContainers(w, 'Init Containers', initContainers, status.initContainerStatuses ?? [], pod);
  describeContainers(w, 'Containers', pod.spec.containers as ContainerWithExtras[], status.containerStatuses ?? [], pod);

  const conditions = status.conditions ?? [];
  if (conditions.length > 0) {
    // The trailing spaces after each cell are kubectl's own ("%v \t%v \n").
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  w.write(0, 'Volumes:\t<none>\n');
  w.write(0, `QoS Class:\t${status.qosClass ?? 'BestEffort'}\n`);
  printLabelsMultiline(w, 'Node-Selectors', pod.spec.nodeSelector);
  printTolerationsMultiline(w, 'Tolerations', pod.spec.tolerations);
  describeEvents(w, eventsFor(events, 'Pod', meta.name, meta.namespace ?? ''), now);
  return w.toString();
}

// ---------------------------------------------------------------------------------------
// ConfigMap

/**
 * `kubectl describe configmap`. Values print verbatim under their key; kubectl walks the Go
 * maps in random order, we sort the keys so the output is stable.
 */
export function describeConfigMap(cm: ConfigMap, events: readonly ClusterEvent[], now: number): string {
  const w = new PrefixWriter();
  const meta = cm.metadata;
  w.write(0, `Name:\t${meta.name}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, '\nData\n====\n');
  const data = cm.data ?? {};
  for (const key of Object.keys(data).sort(compareStrings)) {
    w.write(0, `${key}:\n----\n`);
    w.write(0, `${data[key]}\n`);
    w.write(0, '\n');
  }
  w.write(0, '\nBinaryData\n====\n');
  const binary = cm.binaryData ?? {};
  for (const key of Object.keys(binary).sort(compareStrings)) {
    // binaryData is stored base64-encoded; kubectl prints the decoded size.
    const n = goBase64DecodedLength(binary[key]!);
    w.write(0, `${key}: ${typeof n === 'number' ? n : 0} bytes\n`);
  }
  w.write(0, '\n');
  describeEvents(w, eventsFor(events, 'ConfigMap', meta.name, meta.namespace ?? ''), now);
  return w.toString();
}

// ---------------------------------------------------------------------------------------
// Service

/** The label the EndpointSlice controller puts on a Service's slices (kubectl lists by it). */
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** buildIngressString: IPs (with their ipMode when set) or hostnames, ", "-joined. */
function ingressString(ingress: readonly LoadBalancerIngress[]): string {
  return ingress.map((i) => (i.ip ? (i.ipMode ? `${i.ip} (${i.ipMode})` : i.ip) : (i.hostname ?? ''))).join(', ');
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * describe.go formatEndpointSlices: ready endpoints (an unset `ready` counts as ready), at most
 * three, then ` + N more...`; `<none>` when there are no slices. Upstream quirk kept: `more`
 * is decided before an endpoint's readiness is checked.
 */
export function formatEndpointSlices(slices: readonly EndpointSlice[], portNames?: ReadonlySet<string>): string {
  if (slices.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const slice of slices) {
    const ports = slice.ports ?? [];
    if (ports.length === 0) {
      // Headless services may have no ports.
      for (const e of slice.endpoints) {
        if (list.length === max) more = true;
        if (e.conditions.ready === false) continue;
        if (!more) list.push(e.addresses[0]!);
        count++;
      }
      continue;
    }
    for (const port of ports) {
      if (portNames && !portNames.has(port.name ?? '')) continue;
      for (const e of slice.endpoints) {
        if (list.length === max) more = true;
        if (e.conditions.ready === false) continue;
        if (!more) list.push(joinHostPort(e.addresses[0]!, port.port ?? 0));
        count++;
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

/**
 * `kubectl describe service`. The endpoints come from the Service's EndpointSlices (kubectl
 * 1.28+; only slices labelled with the Service's name in its namespace are used, so all slices
 * may be passed) or, as older kubectl did, from its Endpoints object. `events` may be the whole log.
 */
export function describeService(svc: Service, endpoints: readonly EndpointSlice[] | Endpoints | undefined, events: readonly ClusterEvent[], now: number): string {
  const w = new PrefixWriter();
  const meta = svc.metadata;
  const spec = svc.spec;
  const ns = meta.namespace ?? '';
  const slices = Array.isArray(endpoints)
    ? (endpoints as readonly EndpointSlice[]).filter((s) => (s.metadata.namespace ?? '') === ns && s.metadata.labels?.[SERVICE_NAME_LABEL] === meta.name)
    : undefined;
  const endpointsFor = (portName: string): string => {
    const names = new Set([portName]);
    if (slices) return formatEndpointSlices(slices, names);
    return formatEndpoints((endpoints as Endpoints | undefined) ?? {}, names);
  };

  w.write(0, `Name:\t${meta.name}\n`);
  w.write(0, `Namespace:\t${ns}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${spec.ipFamilies && spec.ipFamilies.length > 0 ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs && spec.externalIPs.length > 0) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) w.write(0, `LoadBalancer Ingress:\t${ingressString(ingress)}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    w.write(0, `Port:\t${name}\t${p.port}/${p.protocol}\n`);
    w.write(0, `TargetPort:\t${p.targetPort}/${p.protocol}\n`);
    if (p.appProtocol !== undefined) w.write(0, `AppProtocol:\t${p.appProtocol}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${p.protocol}\n`);
    w.write(0, `Endpoints:\t${endpointsFor(p.name ?? '')}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges && spec.loadBalancerSourceRanges.length > 0) {
    w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  }
  describeEvents(w, eventsFor(events, 'Service', meta.name, ns), now);
  return w.toString();
}

// ---------------------------------------------------------------------------------------
// Ingress, IngressClass

/**
 * What `kubectl describe ingress` looks up for each Service backend: the Service (undefined when
 * it does not exist) and the EndpointSlices labelled with its name in the namespace.
 */
export type IngressEndpointsLookup = (namespace: string, serviceName: string) => { service?: Service; endpointSlices: readonly EndpointSlice[] };

/** An IngressEndpointsLookup over lists of objects (all namespaces may be given). */
export function ingressEndpointsLookup(services: readonly Service[], slices: readonly EndpointSlice[]): IngressEndpointsLookup {
  return (namespace, serviceName) => ({
    service: services.find((s) => (s.metadata.namespace ?? '') === namespace && s.metadata.name === serviceName),
    endpointSlices: slices.filter((s) => (s.metadata.namespace ?? '') === namespace && s.metadata.labels?.[SERVICE_NAME_LABEL] === serviceName),
  });
}

/** serviceBackendStringer: `name:port`, the port number if set, else its name. */
function serviceBackendString(b: IngressServiceBackend): string {
  return `${b.name}:${b.port.number ? b.port.number : (b.port.name ?? '')}`;
}

/**
 * describeBackendV1: `svc:port (ip:port,...)` from the Service's EndpointSlices, limited to the
 * Service port the backend names (when none matches, the unnamed port: kubectl's lookup).
 */
function describeIngressBackend(namespace: string, backend: IngressBackend, lookup: IngressEndpointsLookup): string {
  if (backend.service) {
    const b = backend.service;
    const sb = serviceBackendString(b);
    const { service, endpointSlices } = lookup(namespace, b.name);
    if (!service) return `${sb} (<error: services ${JSON.stringify(b.name)} not found>)`;
    let portName = '';
    for (const sp of service.spec.ports ?? []) {
      if (b.port.number && b.port.number === sp.port) portName = sp.name ?? '';
      else if (b.port.name && b.port.name === sp.name) portName = sp.name;
    }
    return `${sb} (${formatEndpointSlices(endpointSlices, new Set([portName]))})`;
  }
  if (backend.resource) {
    const r = backend.resource;
    return `APIGroup: ${r.apiGroup ?? '<none>'}, Kind: ${r.kind}, Name: ${r.name}`;
  }
  return '';
}

/**
 * `kubectl describe ingress` (describeIngressV1). Rules without `http` are skipped; with none
 * left, one `*  *  <default backend>` row. `events` may be the whole log.
 */
export function describeIngress(ing: Ingress, endpointsLookup: IngressEndpointsLookup, events: readonly ClusterEvent[], now: number): string {
  const w = new PrefixWriter();
  const meta = ing.metadata;
  const ns = meta.namespace ?? '';
  w.write(0, `Name:\t${meta.name}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  w.write(0, `Namespace:\t${ns}\n`);
  w.write(0, `Address:\t${ingressAddress(ing, true)}\n`);
  w.write(0, `Ingress Class:\t${ing.spec.ingressClassName ?? '<none>'}\n`);
  const defaultBackend = ing.spec.defaultBackend ? describeIngressBackend(ns, ing.spec.defaultBackend, endpointsLookup) : '<default>';
  w.write(0, `Default backend:\t${defaultBackend}\n`);
  const tls = ing.spec.tls ?? [];
  if (tls.length > 0) {
    w.write(0, 'TLS:\n');
    for (const t of tls) {
      const hosts = (t.hosts ?? []).join(',');
      w.write(1, t.secretName ? `${t.secretName} terminates ${hosts}\n` : `SNI routes ${hosts}\n`);
    }
  }
  w.write(0, 'Rules:\n  Host\tPath\tBackends\n');
  w.write(1, '----\t----\t--------\n');
  let count = 0;
  for (const rule of ing.spec.rules ?? []) {
    if (!rule.http) continue;
    count++;
    w.write(1, `${rule.host || '*'}\t\n`);
    // The space after the path is kubectl's own ("\t%s \t%s\n").
    for (const p of rule.http.paths) w.write(2, `\t${p.path ?? ''} \t${describeIngressBackend(ns, p.backend, endpointsLookup)}\n`);
  }
  if (count === 0) w.write(1, `*\t*\t${defaultBackend}\n`);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  describeEvents(w, eventsFor(events, 'Ingress', meta.name, ns), now);
  return w.toString();
}

/** `kubectl describe ingressclass` (describeIngressClassV1). */
export function describeIngressClass(ic: IngressClass, events: readonly ClusterEvent[], now: number): string {
  const w = new PrefixWriter();
  const meta = ic.metadata;
  w.write(0, `Name:\t${meta.name}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, `Controller:\t${ic.spec.controller}\n`);
  const p = ic.spec.parameters;
  if (p) {
    w.write(0, 'Parameters:\n');
    if (p.apiGroup !== undefined) w.write(1, `APIGroup:\t${p.apiGroup}\n`);
    w.write(1, `Kind:\t${p.kind}\n`);
    w.write(1, `Name:\t${p.name}\n`);
  }
  describeEvents(w, eventsFor(events, 'IngressClass', meta.name), now);
  return w.toString();
}

// ---------------------------------------------------------------------------------------
// Node

export interface NodeLease {
  holderIdentity?: string;
  acquireTime?: string;
  renewTime?: string;
}

export interface DescribeNodeOptions {
  /**
   * The node's Lease in kube-node-lease. Default: held by the node itself and renewed at
   * its latest condition heartbeat. null omits the section.
   */
  lease?: NodeLease | null;
}

function podResourceTotals(pod: Pod): { requests: Map<string, Quantity>; limits: Map<string, Quantity> } {
  const sum = (field: 'requests' | 'limits'): Map<string, Quantity> => {
    const totals = new Map<string, Quantity>();
    for (const c of pod.spec.containers as ContainerWithExtras[]) {
      for (const [name, text] of Object.entries(c.resources?.[field] ?? {})) {
        const q = parseQuantity(text);
        if (q) totals.set(name, addQuantity(totals.get(name) ?? ZERO_QUANTITY, q));
      }
    }
    // An init container runs alone, so the pod needs the larger of it and the app containers.
    for (const c of (pod.spec.initContainers ?? []) as ContainerWithExtras[]) {
      for (const [name, text] of Object.entries(c.resources?.[field] ?? {})) {
        const q = parseQuantity(text);
        const cur = totals.get(name) ?? ZERO_QUANTITY;
        if (q && q.milli > cur.milli) totals.set(name, q);
      }
    }
    return totals;
  };
  return { requests: sum('requests'), limits: sum('limits') };
}

function percent(part: bigint, whole: bigint): number {
  // int64(float64(part) / float64(whole) * 100)
  return whole === 0n ? 0 : Math.trunc((Number(part) / Number(whole)) * 100);
}

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/**
 * `kubectl describe node`. `pods` may be every pod in the cluster: only non-terminated
 * pods bound to this node are listed. `events` may be the whole event log.
 */
export function describeNode(node: Node, pods: readonly Pod[], events: readonly ClusterEvent[], now: number, opts: DescribeNodeOptions = {}): string {
  const w = new PrefixWriter();
  const meta = node.metadata;
  w.write(0, `Name:\t${meta.name}\n`);
  w.write(0, `Roles:\t${findNodeRoles(node).join(',') || '<none>'}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, `CreationTimestamp:\t${formatRFC1123Z(meta.creationTimestamp)}\n`);
  printTaintsMultiline(w, 'Taints', node.spec.taints);
  w.write(0, `Unschedulable:\t${node.spec.unschedulable ? 'true' : 'false'}\n`);

  if (opts.lease !== null) {
    const heartbeats = node.status.conditions.map((c) => parseTime(c.lastHeartbeatTime) ?? 0);
    const lease = opts.lease ?? {
      holderIdentity: meta.name,
      renewTime: heartbeats.length > 0 ? new Date(Math.max(...heartbeats)).toISOString() : undefined,
    };
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${lease.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${lease.acquireTime ? formatRFC1123Z(lease.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${lease.renewTime ? formatRFC1123Z(lease.renewTime) : '<unset>'}\n`);
  }

  if (node.status.conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of node.status.conditions) {
      w.write(1, `${c.type} \t${c.status} \t${formatRFC1123Z(c.lastHeartbeatTime)} \t${formatRFC1123Z(c.lastTransitionTime)} \t${c.reason} \t${c.message}\n`);
    }
  }

  w.write(0, 'Addresses:\n');
  for (const a of node.status.addresses) w.write(1, `${a.type}:\t${a.address}\n`);

  const printResourceList = (list: Record<string, string>): void => {
    for (const name of Object.keys(list).sort(compareStrings)) w.write(0, `  ${name}:\t${list[name]}\n`);
  };
  if (Object.keys(node.status.capacity).length > 0) {
    w.write(0, 'Capacity:\n');
    printResourceList(node.status.capacity);
  }
  if (Object.keys(node.status.allocatable).length > 0) {
    w.write(0, 'Allocatable:\n');
    printResourceList(node.status.allocatable);
  }

  const info = node.status.nodeInfo;
  w.write(0, 'System Info:\n');
  w.write(0, `  Machine ID:\t${info.machineID}\n`);
  w.write(0, `  System UUID:\t${info.systemUUID}\n`);
  w.write(0, `  Boot ID:\t${info.bootID}\n`);
  w.write(0, `  Kernel Version:\t${info.kernelVersion}\n`);
  w.write(0, `  OS Image:\t${info.osImage}\n`);
  w.write(0, `  Operating System:\t${info.operatingSystem}\n`);
  w.write(0, `  Architecture:\t${info.architecture}\n`);
  w.write(0, `  Container Runtime Version:\t${info.containerRuntimeVersion}\n`);
  w.write(0, `  Kubelet Version:\t${info.kubeletVersion}\n`);
  w.write(0, `  Kube-Proxy Version:\t${info.kubeProxyVersion}\n`);
  if (node.spec.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec.podCIDRs && node.spec.podCIDRs.length > 0) w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);

  describeNodeResource(w, node, pods, now);
  describeEvents(w, eventsFor(events, 'Node', meta.name), now);
  return w.toString();
}

function describeNodeResource(w: PrefixWriter, node: Node, allPods: readonly Pod[], now: number): void {
  const pods = allPods
    .filter((p) => p.spec.nodeName === node.metadata.name && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed')
    .sort((a, b) => compareStrings(`${a.metadata.namespace}/${a.metadata.name}`, `${b.metadata.namespace}/${b.metadata.name}`));
  const allocatable = Object.keys(node.status.allocatable).length > 0 ? node.status.allocatable : node.status.capacity;
  const alloc = (name: string): Quantity => parseQuantity(allocatable[name] ?? '') ?? ZERO_QUANTITY;
  const allocCpuMilli = alloc('cpu').milli;
  const allocMemory = quantityValue(alloc('memory'));

  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const reqs = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  for (const pod of pods) {
    const t = podResourceTotals(pod);
    const get = (m: Map<string, Quantity>, n: string): Quantity => m.get(n) ?? ZERO_QUANTITY;
    const cpuReq = get(t.requests, 'cpu');
    const cpuLim = get(t.limits, 'cpu');
    const memReq = get(t.requests, 'memory');
    const memLim = get(t.limits, 'memory');
    w.write(
      1,
      `${pod.metadata.namespace ?? ''}\t${pod.metadata.name}\t\t` +
        `${formatQuantity(cpuReq)} (${percent(cpuReq.milli, allocCpuMilli)}%)\t` +
        `${formatQuantity(cpuLim)} (${percent(cpuLim.milli, allocCpuMilli)}%)\t` +
        `${formatQuantity(memReq)} (${percent(quantityValue(memReq), allocMemory)}%)\t` +
        `${formatQuantity(memLim)} (${percent(quantityValue(memLim), allocMemory)}%)\t` +
        `${since(now, pod.metadata.creationTimestamp)}\n`,
    );
    for (const [src, dst] of [
      [t.requests, reqs],
      [t.limits, limits],
    ] as const) {
      for (const [name, q] of src) dst.set(name, addQuantity(dst.get(name) ?? ZERO_QUANTITY, q));
    }
  }

  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  const total = (m: Map<string, Quantity>, n: string): Quantity => m.get(n) ?? ZERO_QUANTITY;
  const row = (name: string, byValue: boolean): void => {
    const r = total(reqs, name);
    const l = total(limits, name);
    const a = alloc(name);
    const [rv, lv, av] = byValue ? [quantityValue(r), quantityValue(l), quantityValue(a)] : [r.milli, l.milli, a.milli];
    w.write(1, `${name}\t${formatQuantity(r)} (${percent(rv, av)}%)\t${formatQuantity(l)} (${percent(lv, av)}%)\n`);
  };
  row('cpu', false);
  row('memory', true);
  row('ephemeral-storage', true);
  const names = Object.keys(allocatable).sort(compareStrings);
  for (const name of names.filter((n) => n.startsWith('hugepages-'))) row(name, true);
  for (const name of names.filter((n) => !n.startsWith('hugepages-') && !STANDARD_CONTAINER_RESOURCES.has(n) && n !== 'pods')) {
    w.write(1, `${name}\t${formatQuantity(total(reqs, name))}\t${formatQuantity(total(limits, name))}\n`);
  }
}
