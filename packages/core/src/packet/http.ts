// What the server at the end of a delivered TCP connection answers to an HTTP request: a small
// registry of image behaviours (nginx's welcome page, httpd's "It works!", kubeserve naming its
// pod, CoreDNS's health endpoints, the kubelet's and API server's TLS ports), so that traffic
// has a real end. Unknown servers close the connection without a reply.

import type { Pod } from '../api/types.js';
import type { ClusterState } from '../state/types.js';
import type { TraceResult } from './types.js';
import type { HttpRequest, HttpResponse } from './http-message.js';
import { isIngressController, proxyThroughIngress, type IngressHop } from './ingress-proxy.js';

const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const NGINX_404 = `<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx/1.29.3</center>
</body>
</html>
`;

const EXAMPLE_COM = `<!doctype html><html lang="en"><head><title>Example Domain</title></head><body><div><h1>Example Domain</h1><p>This domain is for use in documentation examples without needing permission. Avoid use in operations.</p><p><a href="https://iana.org/domains/example">Learn more</a></p></div></body></html>
`;

function date(now: number): string {
  return new Date(now).toUTCString();
}

function respond(status: number, reason: string, body: string, server: string | undefined, now: number, type = 'text/html'): HttpResponse {
  const headers: [string, string][] = [];
  if (server) headers.push(['Server', server]);
  headers.push(['Date', date(now)], ['Content-Type', type], ['Content-Length', String(Buffer.byteLength(body))], ['Connection', 'keep-alive']);
  return { status, reason, headers, body };
}

function podServer(pod: Pod, port: number, req: HttpRequest, now: number): HttpResponse | undefined {
  const images = pod.spec.containers.map((c) => c.image);
  const has = (re: RegExp) => images.some((i) => re.test(i));
  if (has(/(^|\/)nginx(:|@|$)/) && port === 80) {
    return req.path === '/' || req.path === '/index.html' ? respond(200, 'OK', NGINX_WELCOME, 'nginx/1.29.3', now) : respond(404, 'Not Found', NGINX_404, 'nginx/1.29.3', now);
  }
  if (has(/(^|\/)httpd(:|@|$)/) && port === 80) return respond(200, 'OK', '<html><body><h1>It works!</h1></body></html>\n', 'Apache/2.4.65 (Unix)', now);
  if (has(/(^|\/)kubeserve2?(:|@|$)/) && port === 8080) return respond(200, 'OK', `You've hit ${pod.spec.hostname ?? pod.metadata.name}\n`, undefined, now, 'text/plain');
  if (has(/(^|\/)coredns(:|@|$)/) && (port === 8080 || port === 8181) && (req.path === '/health' || req.path === '/ready'))
    return respond(200, 'OK', 'OK', undefined, now, 'text/plain; charset=utf-8');
  if (has(/(^|\/)kube-apiserver(:|@|$)/) || has(/(^|\/)etcd(:|@|$)/)) return tlsPort(now);
  return undefined;
}

/** Go's TLS servers answer a plain-HTTP request with a 400 and this body. */
function tlsPort(now: number): HttpResponse {
  return respond(400, 'Bad Request', 'Client sent an HTTP request to an HTTPS server.\n', undefined, now, 'text/plain; charset=utf-8');
}

export interface HttpExchange {
  response?: HttpResponse;
  /** When an ingress controller proxied the request: its decision and the second connection. */
  ingress?: IngressHop;
  upstream?: TraceResult;
}

/**
 * What answers an HTTP request carried by a delivered connection `r`. An ingress-nginx pod on
 * :80 proxies it (a second, traced connection to the chosen backend); anything else answers
 * itself. `connect` traces the controller's upstream connection.
 */
export function httpExchange(state: ClusterState, r: TraceResult, req: HttpRequest, connect: (from: string, ip: string, port: number) => TraceResult): HttpExchange {
  const object = [...r.hops].reverse().find((h) => h.kind === 'deliver')?.object;
  const pod = object?.kind === 'Pod' ? state.pods[object.namespace ?? 'default']?.[object.name] : undefined;
  if (r.verdict === 'delivered' && pod && isIngressController(pod) && r.to?.port === 80 && r.source) {
    const p = proxyThroughIngress(state, pod, r.source, req, connect, (up) => httpAnswer(state, up, req));
    return { response: p.response, ingress: p.ingress, ...(p.upstream ? { upstream: p.upstream } : {}) };
  }
  const response = httpAnswer(state, r, req);
  return response ? { response } : {};
}

/** The response, or undefined when the server sends nothing an HTTP client understands. */
export function httpAnswer(state: ClusterState, r: TraceResult, req: HttpRequest): HttpResponse | undefined {
  if (r.verdict !== 'delivered' || !r.to || r.to.port === undefined) return undefined;
  const now = state.clock;
  if (r.to.host) return r.to.host === 'example.com' && r.to.port === 80 ? respond(200, 'OK', EXAMPLE_COM, undefined, now) : undefined;
  const object = [...r.hops].reverse().find((h) => h.kind === 'deliver')?.object;
  if (object?.kind === 'Pod') {
    const pod = state.pods[object.namespace ?? 'default']?.[object.name];
    return pod ? podServer(pod, r.to.port, req, now) : undefined;
  }
  // kube-proxy's health check for LoadBalancer+Local: 200 with a ready local endpoint, else 503.
  const node = r.to.node;
  for (const shard of Object.values(state.services)) {
    for (const svc of Object.values(shard)) {
      if (svc.spec.healthCheckNodePort !== r.to.port || !node) continue;
      const local = Object.values(state.endpointSlices[svc.metadata.namespace ?? 'default'] ?? {})
        .filter((sl) => sl.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name)
        .flatMap((sl) => sl.endpoints)
        .filter((e) => e.nodeName === node && e.conditions.ready).length;
      const body = `{"service":{"namespace":"${svc.metadata.namespace}","name":"${svc.metadata.name}"},"localEndpoints":${local},"serviceProxyHealthy":true}`;
      return local ? respond(200, 'OK', body, undefined, now, 'application/json') : respond(503, 'Service Unavailable', body, undefined, now, 'application/json');
    }
  }
  // A node's own daemons: the kubelet (10250) and kube-proxy's healthz (10256) speak TLS / HTTP.
  if (r.to.port === 10250) return tlsPort(now);
  if (r.to.port === 10256) return respond(200, 'OK', '{"lastUpdated": "", "currentTime": ""}', undefined, now, 'application/json');
  return undefined;
}
