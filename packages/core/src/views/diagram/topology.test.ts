import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbCluster } from '@k8s-netsim/testing';
import { Cluster } from '../../cluster/cluster.js';
import { topology, topologyMermaid, topologySvg } from './topology.js';

const lab = Cluster.create();

/**
 * Well-formed XML for what we write: every tag closed in order, attributes quoted, only the five
 * predefined entities, no stray `<` or `&` in text. Returns the first problem, or undefined.
 */
function xmlProblem(xml: string): string | undefined {
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < xml.length) {
    token.lastIndex = at;
    m = token.exec(xml);
    if (!m) return `bad markup at ${at}: ${xml.slice(at, at + 60)}`;
    at = token.lastIndex;
    const [, close, name, attrs, selfClose, text] = m;
    const chunk = text ?? attrs ?? '';
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(chunk)) return `bad entity near ${chunk.slice(0, 60)}`;
    if (text !== undefined) continue;
    if (close) {
      if (stack.pop() !== name) return `</${name}> closes the wrong element`;
    } else if (!selfClose) stack.push(name!);
  }
  return stack.length === 0 ? undefined : `unclosed <${stack.at(-1)}>`;
}

describe('topology', () => {
  it('the default lab: three nodes, their pod-network pods with veths, Services with endpoints', () => {
    const m = topology(lab.state);
    expect(m.network).toBe('192.168.56.0/24');
    expect(m.gateway).toBe('192.168.56.1');
    expect(m.nodes.map((n) => [n.name, n.ip, n.podCIDR, n.flannel, n.cni0])).toEqual([
      ['controlplane', '192.168.56.10', '10.244.0.0/24', 'flannel.1', true],
      ['node01', '192.168.56.11', '10.244.1.0/24', 'flannel.1', true],
      ['node02', '192.168.56.12', '10.244.2.0/24', 'flannel.1', true],
    ]);
    const coredns = m.nodes[0]!.pods.filter((p) => p.name.startsWith('coredns-'));
    expect(coredns.map((p) => [p.ip, p.hostNetwork, /^veth[0-9a-f]{8}$/.test(p.veth ?? '')])).toEqual([
      ['10.244.0.3', false, true],
      ['10.244.0.2', false, true],
    ]);
    const dns = m.namespaces.find((n) => n.name === 'kube-system')!.services.find((s) => s.name === 'kube-dns')!;
    expect(dns.clusterIP).toBe('10.96.0.10');
    expect(dns.ports.map((p) => p.id)).toEqual(['svc:kube-system/kube-dns:53/udp', 'svc:kube-system/kube-dns:53/tcp', 'svc:kube-system/kube-dns:9153/tcp']);
    expect(dns.endpoints).toEqual(coredns.map((p) => p.id).sort());
    const ingress = m.namespaces.find((n) => n.name === 'ingress-nginx')!.services[0]!;
    expect(ingress.ports[0]!.nodePort?.id).toMatch(/^nodeport:ingress-nginx\/ingress-nginx-controller:\d+\/tcp$/);
    expect(ingress.ports[0]!.lb).toEqual([{ id: 'lb:192.168.56.240:80/tcp', ip: '192.168.56.240' }]);
  });

  it('Mermaid for the default lab (golden)', () => {
    expect(topologyMermaid(lab.state)).toMatchInlineSnapshot(`
      "flowchart LR
        subgraph n1["node network 192.168.56.0/24"]
          n2["lab host / router 192.168.56.1"]
        end
        subgraph n3["controlplane 192.168.56.10"]
          n4["eth0 192.168.56.10"]
          n5["flannel.1"]
          n6["cni0 10.244.0.0/24"]
          n7["kube-system/coredns-7bd98f49dd-lfg9q 10.244.0.3 (vethc2c11cb8)"]
          n8["kube-system/coredns-7bd98f49dd-vhkvt 10.244.0.2 (veth06b75971)"]
          n9["kube-flannel/kube-flannel-ds-w7jf7 192.168.56.10"]
          n10["kube-system/etcd-controlplane 192.168.56.10"]
          n11["kube-system/kube-apiserver-controlplane 192.168.56.10"]
          n12["kube-system/kube-controller-manager-controlplane 192.168.56.10"]
          n13["kube-system/kube-proxy-gh8wt 192.168.56.10"]
          n14["kube-system/kube-scheduler-controlplane 192.168.56.10"]
          n15["+ 1 pod"]
        end
        n2 --- n4
        n4 --- n5
        n5 --- n6
        n6 --- n7
        n6 --- n8
        subgraph n16["node01 192.168.56.11"]
          n17["eth0 192.168.56.11"]
          n18["flannel.1"]
          n19["cni0 10.244.1.0/24"]
          n20["metallb-system/controller-64c6cb6986-hpv6m 10.244.1.2 (vethc52bf781)"]
          n21["kube-flannel/kube-flannel-ds-hcf29 192.168.56.11"]
          n22["kube-system/kube-proxy-hm2kx 192.168.56.11"]
          n23["metallb-system/speaker-mqfh8 192.168.56.11"]
        end
        n2 --- n17
        n17 --- n18
        n18 --- n19
        n19 --- n20
        subgraph n24["node02 192.168.56.12"]
          n25["eth0 192.168.56.12"]
          n26["flannel.1"]
          n27["cni0 10.244.2.0/24"]
          n28["ingress-nginx/ingress-nginx-controller-5c65569668-smb6x 10.244.2.2 (veth9528c850)"]
          n29["kube-flannel/kube-flannel-ds-pxv9r 192.168.56.12"]
          n30["kube-system/kube-proxy-qjcrk 192.168.56.12"]
          n31["metallb-system/speaker-cdxxw 192.168.56.12"]
        end
        n2 --- n25
        n25 --- n26
        n26 --- n27
        n27 --- n28
        subgraph n32["Services in default"]
          n33["kubernetes ClusterIP 10.96.0.1 443/tcp"]
        end
        subgraph n34["Services in ingress-nginx"]
          n35["ingress-nginx-controller LoadBalancer 10.109.203.106 80/tcp:31408,443/tcp:31627 LB 192.168.56.240"]
        end
        n35 --> n28
        subgraph n36["Services in kube-system"]
          n37["kube-dns ClusterIP 10.96.0.10 53/udp,53/tcp,9153/tcp"]
        end
        n37 --> n7
        n37 --> n8
      "
    `);
  });

  it('SVG: well-formed, self-contained, deterministic, with the labels a student looks for', () => {
    const svg = topologySvg(lab.state);
    expect(xmlProblem(svg)).toBeUndefined();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
    expect(svg).not.toMatch(/href|@import|url\(/);
    for (const label of [
      'node network 192.168.56.0/24',
      'lab host / router 192.168.56.1',
      'controlplane  192.168.56.10',
      'cni0 10.244.1.0/24',
      'flannel.1 (overlay)',
      'kube-dns ClusterIP 10.96.0.10',
      'LB 192.168.56.240:80',
      '10.244.0.3',
    ])
      expect(svg).toContain(label);
    expect(topologySvg(Cluster.create().state)).toBe(svg);
    const interactive = topologySvg(lab.state, { interactive: true });
    expect(interactive).toContain('data-endpoint="svc:kube-system/kube-dns:53/udp" tabindex="0" role="button" aria-label="Service kube-system/kube-dns 10.96.0.10:53/udp"');
    expect(xmlProblem(interactive)).toBeUndefined();
  });

  it('20 nodes, 200 pods: pods past the limit collapse into "+ N pods", Services group by namespace', () => {
    let c = Cluster.create({ nodes: 20 });
    c = c
      .apply(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 200
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx, ports: [{ containerPort: 80 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
`)
      .settle();
    const m = topology(c.state);
    expect(m.nodes).toHaveLength(20);
    expect(m.nodes.every((n) => n.pods.length <= 8)).toBe(true);
    const total = m.nodes.reduce((a, n) => a + n.pods.length + n.hiddenPods, 0);
    expect(total).toBe(c.pods().filter((p) => p.node !== undefined).length);
    const web = m.namespaces.find((n) => n.name === 'default')!.services.find((s) => s.name === 'web')!;
    expect(web.endpoints.some((e) => e.startsWith('more:'))).toBe(true);
    const svg = topologySvg(c.state);
    expect(xmlProblem(svg)).toBeUndefined();
    expect(svg).toMatch(/\+ \d+ pods/);
    expect(svg.length).toBeLessThan(400_000);
    // The web Service's 200 endpoints: one edge per node (20), not one per pod.
    expect((svg.match(/<path class="edge" /g) ?? []).length).toBeLessThan(40);
    expect(topology(c.state, { maxPodsPerNode: 2 }).nodes[1]!.pods).toHaveLength(2);
    const mermaid = topologyMermaid(c.state);
    expect(mermaid.split('\n').length).toBeLessThan(700);
    expect(mermaid).toMatch(/\["\+ \d+ pods"\]/);
  });

  it('Ingress rules point at their Services, in the model, the Mermaid and the SVG', () => {
    const c = lab.apply(`
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
  rules: [{ host: shop.example.com, http: { paths: [{ path: /cart, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] } }]
`);
    expect(topology(c.state).ingress).toEqual([{ id: 'ingress:shop.example.com/cart', host: 'shop.example.com', path: '/cart', service: 'default/web' }]);
    const mermaid = topologyMermaid(c.state);
    const rule = /^ {4}(n\d+)\["shop\.example\.com\/cart"\]$/m.exec(mermaid)![1];
    const svc = /^ {4}(n\d+)\["web ClusterIP /m.exec(mermaid)![1];
    expect(mermaid).toContain(`  ${rule} --> ${svc}\n`);
    const svg = topologySvg(c.state);
    expect(svg).toContain('shop.example.com/cart → default/web');
    expect(svg).toContain('class="edge ingedge"');
  });

  it('every generated cluster draws to well-formed SVG and Mermaid naming every node', () => {
    fc.assert(
      fc.property(arbCluster({ nodes: { min: 1, max: 4 }, manifests: { maxWorkloads: 3, maxServices: 3 } }), (c) => {
        const svg = topologySvg(c.state, { interactive: true, maxPodsPerNode: 3 });
        expect(xmlProblem(svg)).toBeUndefined();
        const mermaid = topologyMermaid(c.state, { maxPodsPerNode: 3 });
        expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
        for (const n of c.state.nodeOrder) {
          expect(svg).toContain(n);
          expect(mermaid).toContain(`"${n} `);
        }
      }),
      { numRuns: 25, seed: 16 },
    );
  });
});
