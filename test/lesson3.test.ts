// Lesson 3 of the seed ("service networking") replayed end to end.

import { describe, expect, it } from 'vitest';
import { example, run, section } from './transcript.js';

const CLUSTER_IP = "$(kubectl get service nginx-nodeport -o jsonpath='{.spec.clusterIP}')";
// The seed's draw from the dynamic band of 10.96.0.0/12 (the API server picks at random).
const IP = '10.106.140.187';
// host-local on each worker: .1 is cni0, .2 went to the pod created first there (ingress-nginx's
// controller on node02, MetalLB's controller on node01), so the two nginx replicas are .3; the
// busybox client, created later on node01, is .4.
const NGINX_NODE01 = '10.244.1.3';
const NGINX_NODE02 = '10.244.2.3';
const CLIENT = '10.244.1.4';

describe('lesson 3: Services and kube-proxy', () => {
  const { code, out } = run(['run', example('lesson3-services.sh')]);

  it("creates the seed's NodePort Service with a ClusterIP from 10.96.0.0/12 and nodePort 30080", () => {
    expect(code).toBe(0);
    expect(section(out, 'kubectl apply -f manifests/nginx-nodeport.yaml')).toBe('service/nginx-nodeport created');
    const yaml = section(out, 'kubectl get services nginx-nodeport -o yaml');
    expect(yaml).toMatch(/^ {2}clusterIP: 10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/m);
    expect(yaml).toContain(`  clusterIP: ${IP}\n  clusterIPs:\n  - ${IP}\n`);
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
    expect(svcs).toMatch(new RegExp(`^nginx-nodeport\\s+NodePort\\s+${IP.replaceAll('.', '\\.')}\\s+<none>\\s+80:30080/TCP\\s`, 'm'));
    const eps = section(out, 'kubectl get endpoints');
    expect(eps.split('\n')[0]).toBe('Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice');
    expect(eps).toMatch(/^kubernetes\s+192\.168\.56\.10:6443\s/m);
    expect(eps).toMatch(/^nginx-nodeport\s+10\.244\.1\.3:80,10\.244\.2\.3:80\s/m);
  });

  it("shows kube-proxy's rules for the Service, with real chain hashes", () => {
    // (grep nginx also catches ingress-nginx's rules on this cluster, as it would on a real one)
    const rules = section(out, 'sudo iptables-save | grep KUBE | grep nginx')
      .split('\n')
      .filter((l) => l.includes('default/nginx-nodeport'));
    expect(rules).toContain('-A KUBE-NODEPORTS -p tcp -m comment --comment "default/nginx-nodeport" -m tcp --dport 30080 -j KUBE-EXT-CGFVTWEXQTKV5QXW');
    expect(rules).toContain(`-A KUBE-SERVICES -d ${IP}/32 -p tcp -m comment --comment "default/nginx-nodeport cluster IP" -m tcp --dport 80 -j KUBE-SVC-CGFVTWEXQTKV5QXW`);
    // Endpoint chains are named by kube-proxy's hash of "ns/svc:port", protocol and endpoint.
    expect(rules).toContain(
      `-A KUBE-SVC-CGFVTWEXQTKV5QXW -m comment --comment "default/nginx-nodeport -> ${NGINX_NODE01}:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-RJVG2GEY7DU2GEE5`,
    );
    expect(rules.filter((l) => l.includes('-j DNAT --to-destination 10.244.'))).toEqual([
      `-A KUBE-SEP-ISVCGAWONFGXUJYZ -p tcp -m comment --comment "default/nginx-nodeport" -m tcp -j DNAT --to-destination ${NGINX_NODE02}:80`,
      `-A KUBE-SEP-RJVG2GEY7DU2GEE5 -p tcp -m comment --comment "default/nginx-nodeport" -m tcp -j DNAT --to-destination ${NGINX_NODE01}:80`,
    ]);
    expect(rules.some((l) => l.startsWith('-A KUBE-SVC-CGFVTWEXQTKV5QXW ! -s 10.244.0.0/16'))).toBe(true);
  });

  it('the ClusterIP and the NodePort answer with nginx; traces name the Service and endpoint', () => {
    expect(section(out, `curl -s http://${CLUSTER_IP} | grep title`)).toBe('<title>Welcome to nginx!</title>');
    expect(section(out, 'curl -s http://192.168.56.11:30080 | grep title')).toBe('<title>Welcome to nginx!</title>');
    const t = section(out, `netsim trace --from client --to ${CLUSTER_IP}:80`);
    // This connection's draw picks the replica on the client's own node.
    expect(t).toContain(`DNAT: destination ${IP}:80 → ${NGINX_NODE01}:80`);
    expect(t).toMatch(new RegExp(`verdict: delivered to pod default/nginx-\\S+ at ${NGINX_NODE01}:80; the receiver sees the packet from ${CLIENT}:\\d+$`, 'm'));
    expect(t).toMatch(new RegExp(`conntrack .*un-NATed by conntrack to ${IP}:80 → ${CLIENT}:\\d+$`, 'm'));
    const ext = section(out, 'netsim trace --from external --to 192.168.56.12:30080');
    expect(ext).toContain('-j KUBE-EXT-CGFVTWEXQTKV5QXW');
    expect(ext).toContain('-j MASQUERADE --random-fully');
    // ETP Cluster: node02 DNATs to the replica on node01 and masquerades to the address of the
    // interface the packet leaves by, flannel.1 (10.244.2.0/32), as MASQUERADE does.
    expect(ext).toMatch(new RegExp(`verdict: delivered to pod default/nginx-\\S+ at ${NGINX_NODE01}:80; the receiver sees the packet from 10\\.244\\.2\\.0:\\d+$`, 'm'));
  });

  it('with no endpoints the Service is REJECTed and curl is refused', () => {
    expect(section(out, 'kubectl get endpoints nginx-nodeport')).toMatch(/^nginx-nodeport\s+<none>\s/m);
    expect(section(out, `curl http://${CLUSTER_IP}`)).toBe(`curl: (7) Failed to connect to ${IP} port 80 after 0 ms: Couldn't connect to server`);
    const rules = section(out, 'sudo iptables-save | grep nginx');
    expect(rules).toContain('"default/nginx-nodeport has no endpoints"');
    expect(rules).toContain('-j REJECT --reject-with icmp-port-unreachable');
  });
});
