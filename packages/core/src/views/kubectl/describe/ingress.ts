// `kubectl describe ingress` and `kubectl describe ingressclass` (describe.go's IngressDescriber
// and IngressClassDescriber, networking.k8s.io/v1).

import type { EndpointSlice, Ingress, IngressBackend, IngressClass, IngressServiceBackend, Service } from '../../../api/types.js';
import type { ClusterEvent } from '../../../state/types.js';
import { ingressAddress } from '../get.js';
import { PrefixWriter } from './prefix-writer.js';
import { describeEvents, eventsFor, printAnnotationsMultiline, printLabelsMultiline } from './sections.js';
import { formatEndpointSlices, SERVICE_NAME_LABEL } from './service.js';

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
