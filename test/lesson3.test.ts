// Lesson 3 of the seed ("service networking") replayed end to end.

import { describe, expect, it } from 'vitest';
import { example, run, section } from './transcript.js';

const CLUSTER_IP = "$(kubectl get service nginx-nodeport -o jsonpath='{.spec.clusterIP}')";

describe('lesson 3: Services and kube-proxy', () => {
  const { code, out } = run(['run', example('lesson3-services.sh')]);

  it("creates the seed's NodePort Service with a ClusterIP from 10.96.0.0/12 and nodePort 30080", () => {
    expect(code).toBe(0);
    expect(section(out, 'kubectl apply -f manifests/nginx-nodeport.yaml')).toBe('service/nginx-nodeport created');
    const yaml = section(out, 'kubectl get services nginx-nodeport -o yaml');
    expect(yaml).toMatch(/^ {2}clusterIP: 10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/m);
    expect(yaml).toMatch(/^ {2}- nodePort: 30080\n {4}port: 80\n {4}protocol: TCP\n {4}targetPort: 80$/m);
    expect(yaml).toContain('  type: NodePort');
  });

  it('ping to the kubernetes ClusterIP gets no reply', () => {
    expect(section(out, 'ping -c 2 10.96.0.1')).toContain('2 packets transmitted, 0 received, 100% packet loss');
  });

  it('lists services and endpoints as kubectl does', () => {
    const svcs = section(out, 'kubectl get services');
    expect(svcs).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    expect(svcs).toMatch(/^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s/m);
    expect(svcs).toMatch(/^nginx-nodeport\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:30080\/TCP\s/m);
    const eps = section(out, 'kubectl get endpoints');
    expect(eps.split('\n')[0]).toBe('Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice');
    expect(eps).toMatch(/^kubernetes\s+192\.168\.56\.10:6443\s/m);
    expect(eps).toMatch(/^nginx-nodeport\s+10\.244\.\d+\.\d+:80,10\.244\.\d+\.\d+:80\s/m);
  });

  it("shows kube-proxy's rules for the Service, with real chain hashes", () => {
    // (grep nginx also catches ingress-nginx's rules on this cluster, as it would on a real one)
    const rules = section(out, 'sudo iptables-save | grep KUBE | grep nginx')
      .split('\n')
      .filter((l) => l.includes('default/nginx-nodeport'));
    expect(rules).toContain('-A KUBE-NODEPORTS -p tcp -m comment --comment "default/nginx-nodeport" -m tcp --dport 30080 -j KUBE-EXT-CGFVTWEXQTKV5QXW');
    expect(
      rules.some((l) =>
        /^-A KUBE-SERVICES -d 10\.\d+\.\d+\.\d+\/32 -p tcp -m comment --comment "default\/nginx-nodeport cluster IP" -m tcp --dport 80 -j KUBE-SVC-CGFVTWEXQTKV5QXW$/.test(l),
      ),
    ).toBe(true);
    expect(rules.some((l) => l.includes('-m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-'))).toBe(true);
    expect(rules.filter((l) => l.includes('-j DNAT --to-destination 10.244.'))).toHaveLength(2);
    expect(rules.some((l) => l.startsWith('-A KUBE-SVC-CGFVTWEXQTKV5QXW ! -s 10.244.0.0/16'))).toBe(true);
  });

  it('the ClusterIP and the NodePort answer with nginx; traces name the Service and endpoint', () => {
    expect(section(out, `curl -s http://${CLUSTER_IP} | grep title`)).toBe('<title>Welcome to nginx!</title>');
    expect(section(out, 'curl -s http://192.168.56.11:30080 | grep title')).toBe('<title>Welcome to nginx!</title>');
    const t = section(out, `netsim trace --from client --to ${CLUSTER_IP}:80`);
    expect(t).toMatch(/DNAT: destination 10\.\d+\.\d+\.\d+:80 → 10\.244\.\d+\.\d+:80/);
    expect(t).toMatch(/verdict: delivered to pod default\/nginx-\S+ at 10\.244\.\d+\.\d+:80/);
    expect(t).toMatch(/conntrack .*un-NATed by conntrack to 10\.\d+\.\d+\.\d+:80/);
    const ext = section(out, 'netsim trace --from external --to 192.168.56.12:30080');
    expect(ext).toContain('-j KUBE-EXT-CGFVTWEXQTKV5QXW');
    expect(ext).toContain('-j MASQUERADE --random-fully');
    expect(ext).toMatch(/verdict: delivered to pod default\/nginx-\S+ at 10\.244\.\d+\.\d+:80; the receiver sees the packet from (192\.168\.56\.12|10\.244\.2\.\d+):\d+/);
  });

  it('with no endpoints the Service is REJECTed and curl is refused', () => {
    expect(section(out, 'kubectl get endpoints nginx-nodeport')).toMatch(/^nginx-nodeport\s+<none>\s/m);
    expect(section(out, `curl http://${CLUSTER_IP}`)).toMatch(/^curl: \(7\) Failed to connect to 10\.\d+\.\d+\.\d+ port 80 after 0 ms: Couldn't connect to server$/);
    const rules = section(out, 'sudo iptables-save | grep nginx');
    expect(rules).toContain('"default/nginx-nodeport has no endpoints"');
    expect(rules).toContain('-j REJECT --reject-with icmp-port-unreachable');
  });
});
