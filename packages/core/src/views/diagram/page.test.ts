import { describe, expect, it } from 'vitest';
import { Cluster } from '../../cluster/cluster.js';
import { withHttp } from '../../shell/commands/netsim.js';
import { topologyHtml, type PageTrace } from './page.js';

const lab = Cluster.create();

interface PageData {
  sources: string[];
  destinations: { id: string; to: string }[];
  traces: Record<string, PageTrace>;
}

function pageData(html: string): PageData {
  const m = /<script type="application\/json" id="netsim-data">(.*?)<\/script>/s.exec(html);
  return JSON.parse(m![1]!) as PageData;
}

describe('topologyHtml', () => {
  const html = topologyHtml(lab.state);
  const data = pageData(html);
  const dns = lab.pods({ namespace: 'kube-system', selector: 'k8s-app=kube-dns' });

  it('is one self-contained document: inline style and script, nothing fetched', () => {
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    // url(#id) references inside an SVG are fine; any other url( would fetch.
    expect(/<script[^>]+src=|<link|@import|url\((?!#)/.test(html)).toBe(false);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('<pre id="trace-text">No trace selected.</pre>');
    expect(html).toContain('<div id="trace-diagram"></div>');
    expect(topologyHtml(Cluster.create().state)).toBe(html);
  });

  it('offers the outside, each node and one pod-network pod per node as sources', () => {
    expect(data.sources).toEqual([
      'external',
      'node:controlplane',
      `pod:kube-system/${dns[0]!.name}`,
      'node:node01',
      `pod:metallb-system/${lab.pods({ namespace: 'metallb-system', node: 'node01' }).find((p) => p.name.startsWith('controller-'))!.name}`,
      'node:node02',
      `pod:ingress-nginx/${lab.pods({ namespace: 'ingress-nginx' })[0]!.name}`,
    ]);
    expect(data.destinations).toContainEqual({ id: 'svc:kube-system/kube-dns:53/udp', to: '10.96.0.10:53 udp' });
    expect(data.destinations).toContainEqual({ id: 'lb:192.168.56.240:80/tcp', to: '192.168.56.240:80 tcp' });
    expect(Object.keys(data.traces)).toHaveLength(data.sources.length * data.destinations.length);
  });

  it("embeds each pair's trace as formatTrace prints it, with its verdict", () => {
    const t = data.traces['node:node01|svc:kube-system/kube-dns:53/udp']!;
    expect(t.verdict).toBe('delivered');
    expect(t.text).toContain('10.96.0.10');
    expect(dns.some((p) => t.text.includes(p.name))).toBe(true);
    expect(data.traces['external|lb:192.168.56.240:80/tcp']!.verdict).toBe('delivered');
  });

  it('bounds the pairs it traces (maxTraces); the page says when a pair was not precomputed', () => {
    const small = pageData(topologyHtml(lab.state, { maxTraces: 5 }));
    expect(Object.keys(small.traces)).toHaveLength(5);
    expect(topologyHtml(lab.state, { maxTraces: 5 })).toContain('Not precomputed: ');
  });

  it('Ingress rules are destinations when an HTTP follower is given, traced through the controller', () => {
    const c = lab
      .apply(`
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
  ingressClassName: nginx
  rules: [{ host: shop.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] } }]
`)
      .settle();
    const d = pageData(topologyHtml(c.state, { http: (r, host) => withHttp(c.state, r, host) }));
    expect(d.destinations).toContainEqual({ id: 'ingress:shop.example.com/', to: '192.168.56.240:80 tcp http://shop.example.com/' });
    expect(d.traces['external|ingress:shop.example.com/']!.text).toContain('shop.example.com');
    // Without the follower the rules are drawn but not offered.
    expect(pageData(topologyHtml(c.state)).destinations.some((x) => x.id.startsWith('ingress:'))).toBe(false);
  });

  it('JSON in the page cannot close its script element', () => {
    const c = lab.apply(`
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec: { ports: [{ port: 80 }] }
`);
    const h = topologyHtml(c.state, { maxTraces: 3 });
    const json = /id="netsim-data">(.*?)<\/script>/s.exec(h)![1]!;
    expect(json).not.toContain('<');
  });
});
