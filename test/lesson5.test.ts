// Lesson 5 of the seed ("DNS") replayed end to end.

import { describe, expect, it } from 'vitest';
import { example, run, section } from './transcript.js';

describe('lesson 5: CoreDNS and name resolution', () => {
  const { code, out } = run(['run', example('lesson5-dns.sh')]);

  it('CoreDNS runs as kubeadm deploys it', () => {
    expect(code).toBe(0);
    expect(section(out, 'kubectl get deployments -n kube-system')).toMatch(/^coredns\s+2\/2\s+2\s+2\s/m);
    expect(section(out, 'kubectl get services -n kube-system')).toMatch(/^kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP\s/m);
  });

  it("the busybox pod gets kubelet's ClusterFirst resolv.conf", () => {
    expect(section(out, 'kubectl exec -it busybox -- cat /etc/resolv.conf')).toBe(
      'nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5',
    );
  });

  it('busybox 1.28.4 nslookup answers as it prints it, with reverse names', () => {
    expect(section(out, 'kubectl exec -it busybox -- nslookup kubernetes')).toBe(
      'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local',
    );
    expect(section(out, 'kubectl exec -it busybox -- nslookup kube-dns.kube-system.svc.cluster.local')).toMatch(
      /Name: {6}kube-dns\.kube-system\.svc\.cluster\.local\nAddress 1: 10\.96\.0\.10 kube-dns\.kube-system\.svc\.cluster\.local$/,
    );
    const pod = section(out, "kubectl exec -ti busybox -- nslookup $(kubectl get pod busybox -o jsonpath='{.status.podIP}' | tr . -).default.pod.cluster.local");
    // The pod record is the dashed address: busybox is 10.244.2.3 (host-local .3 on node02).
    expect(pod).toMatch(/^Name: {6}10-244-2-3\.default\.pod\.cluster\.local\nAddress 1: 10\.244\.2\.3$/m);
    expect(section(out, 'kubectl exec -it busybox -- nslookup example.com')).toMatch(/Address \d: 93\.184\.215\.14 example\.com/);
  });

  it('a query is a UDP packet to kube-dns, DNATed to either CoreDNS pod with equal probability', () => {
    const t = section(out, 'netsim trace --from busybox --to 10.96.0.10:53 --proto udp --all');
    expect(t.match(/^=== outcome \d of 2: probability 0\.5000 — delivered to pod kube-system\/coredns-/gm)).toHaveLength(2);
  });

  it('CoreDNS logs its startup lines', () => {
    const logs = section(out, "kubectl logs -n kube-system $(kubectl get pods -n kube-system -l k8s-app=kube-dns -o jsonpath='{.items[0].metadata.name}')");
    expect(logs).toMatch(/^\.:53\n\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}\nCoreDNS-1\.12\.1\nlinux\/amd64, go1\.24\.1, 707c7c1$/);
  });

  it("the seed's headless Service: NXDOMAIN without ready endpoints, then one A per endpoint", () => {
    expect(section(out, 'kubectl get services kube-headless')).toMatch(/^kube-headless\s+ClusterIP\s+None\s+<none>\s+80\/TCP\s/m);
    expect(section(out, 'kubectl exec -it busybox -- nslookup kube-headless', 0)).toContain("nslookup: can't resolve 'kube-headless'");
    const after = section(out, 'kubectl exec -it busybox -- nslookup kube-headless', 1);
    // One A record per ready endpoint, named by the dashed address (the pods have no hostname).
    expect(after.match(/^Address \d: .*$/gm)).toEqual([
      'Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local',
      'Address 1: 10.244.1.3 10-244-1-3.kube-headless.default.svc.cluster.local',
      'Address 2: 10.244.2.4 10-244-2-4.kube-headless.default.svc.cluster.local',
    ]);
  });

  it("dnsPolicy None takes the pod's own dnsConfig", () => {
    expect(section(out, 'kubectl exec dns-example -- cat /etc/resolv.conf')).toBe('nameserver 8.8.8.8\nsearch ns1.svc.cluster.local my.dns.search.suffix\noptions ndots:2 edns0');
  });

  it('dig from a node asks kube-dns directly', () => {
    expect(section(out, 'dig @10.96.0.10 kubernetes.default.svc.cluster.local +short')).toBe('10.96.0.1');
    expect(section(out, 'dig @10.96.0.10 _https._tcp.kubernetes.default.svc.cluster.local SRV +short')).toBe('0 100 443 kubernetes.default.svc.cluster.local.');
  });
});
