// ingress-nginx as a proxy: it terminates the client's HTTP connection, picks the backend by the
// Ingress rules of its class (host, then longest path), and opens a second connection from its
// own pod straight to one endpoint of that Service (not through the ClusterIP), adding the
// X-Forwarded-* headers. No matching rule: its default backend answers 404; a backend Service
// without ready endpoints: 503.

import type { EndpointSlice, Ingress, Pod } from '../api/types.js';
import { routeIngress, type IngressDecision } from '../controllers/ingress/route.js';
import type { ClusterState } from '../state/types.js';
import { seeded, seededHex } from '../util/seeded.js';
import type { HttpRequest, HttpResponse } from './http-message.js';
import type { TraceResult } from './types.js';

export const INGRESS_CONTROLLER_IMAGE = /(^|\/)ingress-nginx\/controller(:|@|$)/;
export const NGINX_CLASS = 'nginx';

export interface IngressHop {
  /** The Ingress rule that decided, or undefined for the controller's default backend. */
  decision?: IngressDecision;
  /** Why, in a sentence. */
  reason: string;
  /** The upstream the controller connected to (`ip:port`) and the Service behind it. */
  service?: { namespace: string; name: string; port: number | string };
  upstream?: string;
  /** Headers the controller added to the proxied request. */
  headers: Record<string, string>;
}

export function isIngressController(pod: Pod): boolean {
  return pod.spec.containers.some((c) => INGRESS_CONTROLLER_IMAGE.test(c.image));
}

/** The Ingresses the nginx class serves: its own, plus class-less ones when it is the default class. */
export function ingressesOfClass(state: ClusterState, className = NGINX_CLASS): Ingress[] {
  const cls = state.ingressClasses[className];
  // Before IngressClass existed, the controller served every Ingress without a class annotation.
  const isDefault = cls === undefined || cls.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true';
  const out: Ingress[] = [];
  for (const shard of Object.values(state.ingresses)) {
    for (const ing of Object.values(shard)) {
      const c = ing.spec.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
      if (c === className || (c === undefined && isDefault)) out.push(ing);
    }
  }
  return out;
}

function page(status: number, reason: string, now: number): HttpResponse {
  const body = `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return {
    status,
    reason,
    headers: [
      ['Date', new Date(now).toUTCString()],
      ['Content-Type', 'text/html'],
      ['Content-Length', String(body.length)],
      ['Connection', 'keep-alive'],
    ],
    body,
  };
}

/** Ready endpoints (ip, port) of a Service port named or numbered as the Ingress backend says. */
function upstreams(state: ClusterState, namespace: string, service: string, port: { number?: number; name?: string }): { ip: string; port: number; pod?: string }[] | undefined {
  const svc = state.services[namespace]?.[service];
  if (!svc) return undefined;
  const sp = (svc.spec.ports ?? []).find((p) => (port.name !== undefined ? p.name === port.name : p.port === port.number));
  if (!sp) return undefined;
  const out: { ip: string; port: number; pod?: string }[] = [];
  for (const slice of Object.values(state.endpointSlices[namespace] ?? {}) as EndpointSlice[]) {
    if (slice.metadata.labels?.['kubernetes.io/service-name'] !== service) continue;
    const target = slice.ports?.find((p) => (p.name ?? '') === (sp.name ?? ''));
    if (!target?.port) continue;
    for (const e of slice.endpoints) {
      if (!e.conditions.ready || !e.addresses[0]) continue;
      out.push({ ip: e.addresses[0], port: target.port, ...(e.targetRef ? { pod: `${e.targetRef.namespace}/${e.targetRef.name}` } : {}) });
    }
  }
  return out;
}

export interface ProxyResult {
  response: HttpResponse;
  ingress: IngressHop;
  upstream?: TraceResult;
}

/**
 * The controller's answer to a request that reached its pod. `connect` opens the upstream
 * connection (a traced TCP connection from the controller's pod).
 */
export function proxyThroughIngress(
  state: ClusterState,
  controller: Pod,
  client: { ip: string; port?: number },
  req: HttpRequest,
  connect: (from: string, ip: string, port: number) => TraceResult,
  answer: (r: TraceResult) => HttpResponse | undefined,
): ProxyResult {
  const now = state.clock;
  const host = req.host.replace(/:\d+$/, '');
  const headers: Record<string, string> = {
    'X-Request-ID': seededHex(state.config.seed, 32, 'x-request-id', client.ip, client.port ?? 0, req.path, now),
    'X-Real-IP': client.ip,
    'X-Forwarded-For': client.ip,
    'X-Forwarded-Host': host,
    'X-Forwarded-Port': '80',
    'X-Forwarded-Proto': 'http',
    'X-Forwarded-Scheme': 'http',
    'X-Scheme': 'http',
  };
  const decision = routeIngress(ingressesOfClass(state), { host, path: req.path });
  if (decision?.redirect) {
    // nginx answers a request missing the matching location's trailing slash with a redirect.
    const body = `<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
    const response: HttpResponse = {
      status: 301,
      reason: 'Moved Permanently',
      headers: [
        ['Date', new Date(now).toUTCString()],
        ['Content-Type', 'text/html'],
        ['Content-Length', String(body.length)],
        ['Connection', 'keep-alive'],
        ['Location', `http://${host}${decision.redirect}`],
      ],
      body,
    };
    return { response, ingress: { decision, reason: `${decision.reason}; nginx redirects to ${decision.redirect}`, headers } };
  }
  if (!decision?.backend.service) {
    return {
      response: page(404, 'Not Found', now),
      ingress: {
        reason: decision
          ? `${decision.reason}, but its backend is not a Service`
          : `no Ingress rule of class "${NGINX_CLASS}" matches host "${host}" and path "${req.path}": the controller's default backend answers 404`,
        headers,
      },
    };
  }
  const b = decision.backend.service;
  const service = { namespace: decision.namespace, name: b.name, port: b.port.name ?? b.port.number ?? 0 };
  const ups = upstreams(state, decision.namespace, b.name, b.port);
  if (!ups?.length) {
    return {
      response: page(503, 'Service Temporarily Unavailable', now),
      ingress: { decision, reason: `${decision.reason}; Service ${decision.namespace}/${b.name} has no ready endpoints: 503`, service, headers },
    };
  }
  // ingress-nginx balances round-robin over the endpoints; one request takes one of them.
  const pick = ups[seeded(state.config.seed, 'ingress-upstream', client.ip, client.port ?? 0, req.host, req.path) % ups.length]!;
  const upstream = connect(`${controller.metadata.namespace}/${controller.metadata.name}`, pick.ip, pick.port);
  const backend = upstream.verdict === 'delivered' ? answer(upstream) : undefined;
  const response = backend ? { ...backend, headers: [['Server', 'nginx'] as [string, string], ...backend.headers.filter(([k]) => k !== 'Server')] } : page(502, 'Bad Gateway', now);
  return { response, ingress: { decision, reason: decision.reason, service, upstream: `${pick.ip}:${pick.port}`, headers }, upstream };
}
