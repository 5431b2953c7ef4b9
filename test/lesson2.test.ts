// Lesson 2 of the seed ("CNI, pod to pod inside the cluster") replayed end to end.

import { describe, expect, it } from 'vitest';
import { example, run, section } from './transcript.js';

const NGINX_ELSEWHERE =
  "$(kubectl get pods -l app=nginx --field-selector spec.nodeName!=$(kubectl get pod busybox -o jsonpath='{.spec.nodeName}') -o jsonpath='{.items[0].status.podIP}')";

// host-local on each worker: .1 is cni0; CoreDNS's replicas, Pending until Flannel made the
// nodes Ready, start first (.2 on node01 and node02), then the nginx replicas and busybox.
const BUSYBOX = '10.244.1.5';
const NGINX_ON_NODE02 = '10.244.2.4';

describe('lesson 2: Flannel VXLAN overlay', () => {
  const { code, out } = run(['run', example('lesson2-cni-flannel.sh')]);

  it('starts without a CNI: nodes NotReady, CoreDNS Pending', () => {
    expect(code).toBe(0);
    const nodes = section(out, 'kubectl get nodes');
    expect(
      nodes
        .split('\n')
        .slice(1)
        .every((l) => /\sNotReady\s/.test(l)),
    ).toBe(true);
    expect(section(out, 'kubectl get pods -n kube-system')).toMatch(/^coredns-\S+\s+0\/1\s+Pending\s/m);
  });

  it('applying the Flannel manifest creates its objects, readies the nodes and starts CoreDNS', () => {
    expect(section(out, 'kubectl apply -f https://raw.githubusercontent.com/coreos/flannel/master/Documentation/kube-flannel.yml')).toBe(
      [
        'namespace/kube-flannel created',
        'serviceaccount/flannel created',
        'clusterrole.rbac.authorization.k8s.io/flannel created',
        'clusterrolebinding.rbac.authorization.k8s.io/flannel created',
        'configmap/kube-flannel-cfg created',
        'daemonset.apps/kube-flannel-ds created',
      ].join('\n'),
    );
    expect(
      section(out, 'kubectl get nodes -o wide')
        .split('\n')
        .slice(1)
        .every((l) => /\sReady\s/.test(l)),
    ).toBe(true);
    expect(section(out, 'kubectl get pods -n kube-flannel -o wide').split('\n').slice(1)).toHaveLength(3);
    const dns = section(out, 'kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide');
    expect(dns).toMatch(/^coredns-\S+\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.1\.2\s+node01\s/m);
    expect(dns).toMatch(/^coredns-\S+\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.2\.2\s+node02\s/m);
  });

  it("shows Flannel's lease and tables on the node as the real tools print them", () => {
    expect(section(out, 'kubectl describe node node01 | grep -A5 Annotations')).toMatch(
      /^Annotations:\s+flannel\.alpha\.coreos\.com\/backend-data: \{"VNI":1,"VtepMAC":"([0-9a-f]{2}:){5}[0-9a-f]{2}"\}\n\s+flannel\.alpha\.coreos\.com\/backend-type: vxlan\n\s+flannel\.alpha\.coreos\.com\/kube-subnet-manager: true\n\s+flannel\.alpha\.coreos\.com\/public-ip: 192\.168\.56\.11/,
    );
    expect(section(out, 'cat /run/flannel/subnet.env')).toBe('FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true');
    const link = section(out, 'ip -d link show flannel.1');
    expect(link).toMatch(/^\d+: flannel\.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN/);
    expect(link).toContain('vxlan id 1 local 192.168.56.11 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300');
    const routes = section(out, 'ip route');
    expect(routes).toContain('10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink');
    expect(routes).toContain('10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink');
    expect(routes).toContain('10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1');
    const neigh = section(out, 'ip neigh show dev flannel.1');
    expect(neigh).toMatch(/^10\.244\.0\.0 lladdr \S+ PERMANENT \n10\.244\.2\.0 lladdr \S+ PERMANENT $/);
    const fdb = section(out, 'bridge fdb show dev flannel.1');
    expect(fdb).toMatch(/^\S+ dev flannel\.1 dst 192\.168\.56\.10 self permanent\n\S+ dev flannel\.1 dst 192\.168\.56\.12 self permanent$/);
    // flanneld writes one peer's VtepMAC into both tables: the neighbour of its flannel.1
    // address and the FDB entry pointing at its node IP.
    const neighMacs = [...neigh.matchAll(/lladdr (\S+)/g)].map((m) => m[1]);
    const fdbMacs = fdb.split('\n').map((l) => l.split(' ')[0]);
    expect(fdbMacs).toEqual(neighMacs);
    const nat = section(out, 'iptables-save -t nat | grep FLANNEL');
    expect(nat).toContain('-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG');
    expect(nat).toContain('-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully');
  });

  it('pods on different nodes reach each other through one VXLAN encap/decap', () => {
    const ping = section(out, `kubectl exec busybox -- ping -c 2 ${NGINX_ELSEWHERE}`);
    // Two routers on the way (node01, then node02, each forwarding once): TTL 64 → 62.
    expect(ping).toMatch(
      /^PING 10\.244\.2\.4 \(10\.244\.2\.4\): 56 data bytes\n64 bytes from 10\.244\.2\.4: seq=0 ttl=62 time=[\d.]+ ms\n64 bytes from 10\.244\.2\.4: seq=1 ttl=62/,
    );
    expect(ping).toContain('2 packets transmitted, 2 packets received, 0% packet loss');
    const t = section(out, `netsim trace --from busybox --to ${NGINX_ELSEWHERE}:80`);
    expect(t.match(/ encap /g)).toHaveLength(1);
    expect(t.match(/ decap /g)).toHaveLength(1);
    expect(t).toMatch(new RegExp(`VXLAN encapsulation: outer 192\\.168\\.56\\.11:\\d+ → 192\\.168\\.56\\.12:8472/udp, VNI 1; inner ${BUSYBOX} → ${NGINX_ON_NODE02} unchanged`));
    // Pod to pod is never NATed: the receiver sees busybox's own address.
    expect(t).toMatch(new RegExp(`verdict: delivered to pod default/nginx-\\S+ at ${NGINX_ON_NODE02}:80; the receiver sees the packet from ${BUSYBOX}:\\d+$`, 'm'));
  });

  it('reaches the internet masqueraded, and refuses DF packets over the overlay MTU', () => {
    expect(section(out, 'kubectl exec busybox -- ping -c 1 8.8.8.8')).toMatch(/1 packets transmitted, 1 packets received, 0% packet loss/);
    const big = section(out, `ping -c 1 -M do -s 1472 ${NGINX_ELSEWHERE}`);
    expect(big).toMatch(/^PING 10\.244\.2\.4 \(10\.244\.2\.4\) 1472\(1500\) bytes of data\.\nping: local error: message too long, mtu=1450\n/);
  });
});
