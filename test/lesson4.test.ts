// Lesson 4 of the seed ("Ingress, LoadBalancers") replayed end to end.

import { describe, expect, it } from 'vitest';
import { example, run, section } from './transcript.js';

const LB_IP = "$(kubectl get services kubeserve2 -o jsonpath='{.status.loadBalancer.ingress[0].ip}')";

describe('lesson 4: LoadBalancers and Ingress', () => {
  const { code, out } = run(['run', example('lesson4-ingress-loadbalancers.sh')]);

  it('the lab has ingress-nginx behind a MetalLB address', () => {
    expect(code).toBe(0);
    expect(section(out, 'kubectl get services -A')).toMatch(
      /^ingress-nginx\s+ingress-nginx-controller\s+LoadBalancer\s+\S+\s+192\.168\.56\.240\s+80:3\d{4}\/TCP,443:3\d{4}\/TCP\s/m,
    );
  });

  it('kubectl run makes a Pod on a current cluster, so scaling the deployment fails as it would', () => {
    expect(section(out, 'kubectl run kubeserve2 --image=chadmcrowell/kubeserve2')).toBe('pod/kubeserve2 created');
    expect(section(out, 'kubectl scale deployment/kubeserve2 --replicas=2', 0)).toBe('Error from server (NotFound): deployments.apps "kubeserve2" not found');
    expect(section(out, 'kubectl scale deployment/kubeserve2 --replicas=2', 1)).toBe('deployment.apps/kubeserve2 scaled');
  });

  it('a LoadBalancer is <pending>, then gets an address; curl reaches the pods', () => {
    const watch = section(out, 'kubectl get services -w').split('\n');
    expect(watch.find((l) => l.startsWith('kubeserve2 '))).toMatch(/\s<pending>\s+80:3\d{4}\/TCP\s/);
    // MetalLB hands out the pool's first free address: .240 is ingress-nginx's, .241 went to
    // nginx-loadbalancer a few commands earlier, so kubeserve2 gets .242.
    expect(watch.find((l) => l.startsWith('nginx-loadbalancer '))).toMatch(/\s192\.168\.56\.241\s+80:3\d{4}\/TCP\s/);
    expect(watch.filter((l) => l.startsWith('kubeserve2 ')).at(-1)).toMatch(/\s192\.168\.56\.242\s+80:3\d{4}\/TCP\s/);
    expect(section(out, `curl http://${LB_IP}`)).toMatch(/^You've hit kubeserve2-\S+$/);
    expect(section(out, 'kubectl describe services kubeserve2')).toMatch(/LoadBalancer Ingress:\s+192\.168\.56\.242 \(VIP\)/);
  });

  it('annotate leaves the traffic policy alone (and says so); patch changes it and keeps the client IP', () => {
    const annotate = section(out, 'kubectl annotate service kubeserve2 externalTrafficPolicy=Local');
    expect(annotate).toContain('service/kubeserve2 annotated');
    expect(annotate).toContain(`kubectl patch svc kubeserve2 -p '{"spec":{"externalTrafficPolicy":"Local"}}'`);
    expect(section(out, "kubectl describe services kubeserve2 | grep -i 'traffic policy'", 0)).toMatch(/External Traffic Policy:\s+Cluster/);
    expect(section(out, `kubectl patch svc kubeserve2 -p '{"spec":{"externalTrafficPolicy":"Local"}}'`)).toBe('service/kubeserve2 patched');
    expect(section(out, "kubectl describe services kubeserve2 | grep -i 'traffic policy'", 1)).toMatch(/External Traffic Policy:\s+Local/);
    expect(section(out, `netsim trace --from external --to ${LB_IP}:80`)).toMatch(/the receiver sees the packet from 192\.168\.56\.1:\d+$/m);
  });

  it("the seed's extensions/v1beta1 Ingress is rejected; the v1 one routes by host", () => {
    expect(section(out, 'kubectl apply -f manifests/service-ingress.yaml')).toBe(
      'error: resource mapping not found for name: "service-ingress" namespace: "" from "manifests/service-ingress.yaml": no matches for kind "Ingress" in version "extensions/v1beta1"\nensure CRDs are installed first',
    );
    expect(section(out, 'kubectl get ingress')).toMatch(/^service-ingress\s+nginx\s+kubeserve\.example\.com,app\.example\.com\s+192\.168\.56\.240\s+80\s/m);
    // The two kubeserve2 replicas: .5 on node01 and .4 on node02 (host-local, after the nginx pods).
    expect(section(out, 'kubectl describe ingress')).toMatch(/kubeserve\.example\.com\s*\n\s+\/\s+kubeserve2:80 \(10\.244\.1\.5:8080,10\.244\.2\.4:8080\)/);
  });

  it('from outside: no DNS for the name, but Host headers, --resolve and /etc/hosts reach the right backend', () => {
    expect(section(out, 'curl http://kubeserve2.example.com')).toBe('curl: (6) Could not resolve host: kubeserve2.example.com');
    expect(section(out, "curl -H 'Host: kubeserve.example.com' http://192.168.56.240")).toMatch(/^You've hit kubeserve2-/);
    expect(section(out, 'curl --resolve app.example.com:80:192.168.56.240 http://app.example.com | grep title')).toBe('<title>Welcome to nginx!</title>');
    expect(section(out, "curl -H 'Host: something.else' http://192.168.56.240")).toBe('<html><body><h1>It works!</h1></body></html>');
    expect(section(out, 'curl http://kubeserve.example.com')).toMatch(/^You've hit kubeserve2-/);
    const t = section(out, 'netsim trace --to 192.168.56.240:80 --http kubeserve.example.com/');
    expect(t).toMatch(/ingress: host "kubeserve\.example\.com" matched rule 0 of Ingress default\/service-ingress/);
    expect(t).toMatch(/X-Forwarded-For: 192\.168\.56\.1/);
    expect(t).toContain('second leg (the controller to the backend):');
    // The controller (10.244.2.2, on node02) opens its own connection to the chosen endpoint:
    // pod to pod, so the backend sees the controller's address.
    expect(t).toMatch(/delivered to pod default\/kubeserve2-\S+ at 10\.244\.1\.5:8080; the receiver sees the packet from 10\.244\.2\.2:\d+$/m);
  });
});
