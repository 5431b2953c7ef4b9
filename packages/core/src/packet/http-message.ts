// An HTTP request and response as plain data, shared by the server registry (http.ts) and the
// ingress-nginx proxy (ingress-proxy.ts) without either importing the other back.

export interface HttpResponse {
  status: number;
  reason: string;
  headers: [string, string][];
  body: string;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD';
  path: string;
  host: string;
}
