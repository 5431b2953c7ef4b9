// Lesson 1 of the seed ("POD & NODE networking") replayed end to end through `netsim run`.

import { describe, expect, it } from 'vitest';
import { example, run, section } from './transcript.js';

const script = example('lesson1-pod-node-networking.sh');

describe('lesson 1: pod & node networking', () => {
  const { code, out } = run(['run', script]);

  it('runs the whole script', () => {
    expect(code).toBe(0);
    expect(out).toContain('$ kubectl create deployment nginx --image=nginx --replicas=2\ndeployment.apps/nginx created\n');
    expect(out).toContain('root@node01:~# exit\nlogout\nConnection to node01 closed.\n');
  });

  it('kubectl get pods -o wide shows each pod with its IP and node', () => {
    const table = section(out, 'kubectl get pods -o wide');
    const [header, ...rows] = table.split('\n');
    expect(header).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    expect(rows).toHaveLength(2);
    const nodes = rows.map((r) => r.split(/\s+/));
    expect(nodes.map((c) => c[6]).sort()).toEqual(['node01', 'node02']);
    for (const c of nodes) {
      expect(c[0]).toMatch(/^nginx-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(c[2]).toBe('Running');
      // host-local: .1 is cni0, .2 the pod created first on the node (ingress-nginx's controller
      // on node01, MetalLB's controller on node02), so each nginx replica is .3 of its node's /24.
      expect(c[5]).toBe(c[6] === 'node01' ? '10.244.1.3' : '10.244.2.3');
    }
  });

  it('ifconfig on the node shows cni0 with the gateway address and the pod veth', () => {
    const ifc = section(out, 'ifconfig');
    expect(ifc).toMatch(/^cni0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST> {2}mtu 1450\n\s+inet 10\.244\.1\.1 {2}netmask 255\.255\.255\.0 {2}broadcast 10\.244\.1\.255/m);
    expect(ifc).toMatch(/^eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST> {2}mtu 1500\n\s+inet 192\.168\.56\.11 /m);
    // One veth per pod with its own network namespace on node01 (nginx, and add-ons such as ingress-nginx).
    expect(ifc.match(/^veth[0-9a-f]{8}: /gm)?.length).toBeGreaterThanOrEqual(1);
  });

  it('docker ps lists the nginx container and its pause sandbox, dockershim-named', () => {
    const ps = section(out, 'docker ps');
    expect(ps.split('\n')[0]).toMatch(/^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
    expect(ps).toMatch(/^[0-9a-f]{12}\s+nginx\s+"\/docker-entrypoint\.…"\s+\d+ seconds ago\s+Up \d+ seconds\s+k8s_nginx_nginx-\S+_default_[0-9a-f-]{36}_0$/m);
    expect(ps).toMatch(/^[0-9a-f]{12}\s+registry\.k8s\.io\/pause:3\.10\.1\s+"\/pause"\s+.*k8s_POD_nginx-\S+_default_[0-9a-f-]{36}_0$/m);
  });

  it('docker inspect gives a PID and nsenter shows the pod eth0 paired with the node veth', () => {
    const pid = section(out, "docker inspect --format '{{ .State.Pid }}' $(docker ps -q --filter name=k8s_nginx_)");
    expect(pid).toMatch(/^\d+$/);
    const podAddr = section(out, "nsenter -t $(docker inspect --format '{{ .State.Pid }}' $(docker ps -q --filter name=k8s_nginx_)) -n ip addr");
    const m = /^2: eth0@if(\d+): <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450/m.exec(podAddr);
    expect(m).not.toBeNull();
    expect(podAddr).toMatch(/inet 10\.244\.1\.3\/24 brd 10\.244\.1\.255 scope global eth0/);
    expect(podAddr).toContain('link-netnsid 0');
    const hostAddr = section(out, 'ip addr');
    const veth = new RegExp(`^${m![1]}: (veth[0-9a-f]{8})@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP`, 'm').exec(hostAddr);
    expect(veth, 'host side of the veth pair').not.toBeNull();
    expect(hostAddr).toMatch(/ link-netnsid \d+$/m);
  });

  it('kubectl get pods -A shows the kubeadm + Flannel system pods', () => {
    const all = section(out, 'kubectl get pods -A -o wide');
    for (const re of [
      /^kube-system\s+etcd-controlplane\s+1\/1\s+Running/m,
      /^kube-system\s+kube-apiserver-controlplane\s/m,
      /^kube-system\s+coredns-\w+-\w{5}\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.0\.[23]\s+controlplane/m,
      /^kube-flannel\s+kube-flannel-ds-\w{5}\s+1\/1\s+Running\s+0\s+\S+\s+192\.168\.56\.11\s+node01/m,
      /^kube-system\s+kube-proxy-\w{5}\s+1\/1\s+Running\s+0\s+\S+\s+192\.168\.56\.12\s+node02/m,
    ]) {
      expect(all).toMatch(re);
    }
  });

  it('is reproducible: same script and seed, same transcript; another seed, other names', () => {
    expect(run(['run', script]).out).toBe(out);
    const other = run(['run', script, '--seed', '2']).out;
    expect(other).not.toBe(out);
    expect(section(other, 'kubectl get pods -o wide').split('\n')).toHaveLength(3);
  });
});

describe('netsim trace', () => {
  it('prints the trace contract as JSON', () => {
    const r = run(['trace', '--from', 'node01', '--to', '192.168.56.10:6443', '-o', 'json']);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out);
    expect(t).toMatchObject({ verdict: 'delivered', proto: 'tcp', to: { node: 'controlplane', ip: '192.168.56.10', port: 6443 }, source: { ip: '192.168.56.11' } });
    expect(t.hops.every((h: { kind: string; at: { node: string } }) => h.kind && h.at.node)).toBe(true);
  });

  it('prints hops as text and fails on a refused port', () => {
    const r = run(['trace', '--from', 'kube-system/etcd-controlplane', '--to', '192.168.56.11:9999']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/verdict: rejected \(Connection refused\)/);
  });

  it("unknown commands in the shell exit 127 with netsim's message", () => {
    const r = run(['exec', '--', 'traceroute', '10.0.0.1']);
    expect(r.code).toBe(127);
    expect(r.err).toBe('netsim: command not supported: traceroute 10.0.0.1\n');
  });
});
