// `kubectl describe service` (describe.go's ServiceDescriber), and formatEndpointSlices, which
// the ingress describer shares.

import type { EndpointSlice, Endpoints, LoadBalancerIngress, Service } from '../../../api/types.js';
import type { ClusterEvent } from '../../../state/types.js';
import { formatEndpoints } from '../get.js';
import { formatLabels } from '../helpers.js';
import { PrefixWriter } from './prefix-writer.js';
import { describeEvents, eventsFor, printAnnotationsMultiline, printLabelsMultiline } from './sections.js';

/** The label the EndpointSlice controller puts on a Service's slices (kubectl lists by it). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

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
