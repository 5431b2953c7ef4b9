// Lesson 6 (NetworkPolicy) replayed end to end: the Flannel trap, canal installed into the
// running lab, the pods recreated onto Calico's network, then the policies doing what they say.

import { describe, expect, it } from 'vitest';
import { example, run, section } from './transcript.js';

const WEB_IP = "$(kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}')";

describe('lesson 6: NetworkPolicy, from Flannel to canal', () => {
  const { code, out } = run(['run', example('lesson6-networkpolicy.sh')]);

  it('runs to the end', () => {
    expect(code).toBe(0);
  });

  it('on Flannel: the policy is stored with a note, and traffic still flows', () => {
    expect(section(out, 'kubectl apply -f manifests/networkpolicy/default-deny-ingress.yaml')).toBe(
      "networkpolicy.networking.k8s.io/default-deny-ingress created\nnetsim: note: the cluster's CNI (flannel) does not enforce NetworkPolicy; it is stored and has no effect",
    );
    expect(section(out, `kubectl exec client -- wget -qO- -T 2 http://${WEB_IP} | head -4`)).toBe('<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>');
    expect(section(out, `netsim trace --from client --to ${WEB_IP}:80 | tail -2`)).toMatch(
      /\npolicy: not enforced: NetworkPolicy default\/default-deny-ingress would deny this \(the cluster's CNI, flannel, ignores NetworkPolicy\)$/,
    );
  });

  it('installs canal from its URL: the DaemonSet runs calico-node and kube-flannel on all three nodes', () => {
    const applied = section(out, 'kubectl apply -f https://raw.githubusercontent.com/projectcalico/calico/v3.32.1/manifests/canal.yaml');
    expect(applied).toContain('configmap/canal-config created\n');
    expect(applied).toContain('clusterrole.rbac.authorization.k8s.io/flannel configured\n');
    expect(applied).toContain('daemonset.apps/canal created\ndeployment.apps/calico-kube-controllers created');
    expect(section(out, 'kubectl get ds -n kube-system canal')).toMatch(/^canal\s+3\s+3\s+3\s+3\s+3\s+kubernetes\.io\/os=linux\s/m);
    expect(section(out, 'kubectl get pods -n kube-system -l k8s-app=canal -o wide').match(/2\/2\s+Running/g)).toHaveLength(3);
  });

  it('leaves the pods created before canal unpoliced, and says so', () => {
    expect(section(out, `netsim trace --from client --to ${WEB_IP}:80 | tail -3`)).toMatch(
      /\npolicy: note: pod default\/web-[\w-]+ is not on a Calico interface \(created on Flannel's cni0 before canal was installed\): Felix's policy chains never see its traffic; recreate it$/,
    );
  });

  it('recreated pods route via 169.254.1.1 and the deny holds, naming the chain', () => {
    expect(section(out, 'kubectl exec client -- ip route')).toBe('default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link ');
    expect(section(out, `kubectl exec client -- wget -qO- -T 2 http://${WEB_IP}`)).toBe('wget: download timed out');
    expect(section(out, `netsim trace --from client --to ${WEB_IP}:80 | tail -2`, 1)).toMatch(
      /^verdict: dropped \(dropped by netfilter \(-A cali-tw-cali[0-9a-f]{11} -m comment --comment "cali:[\w-]{16}" -m comment --comment "End of tier default\. Drop if no policies passed packet" -m mark --mark 0x0\/0x20000 -j DROP\)\)\npolicy: ingress at pod default\/web-[\w-]+ denied: selected by NetworkPolicy default\/default-deny-ingress, and no rule of it allows it/,
    );
  });

  it('lets the client in on port 80 and keeps the other pod out', () => {
    expect(section(out, `kubectl exec client -- wget -qO- -T 2 http://${WEB_IP} | head -4`, 1)).toContain('<title>Welcome to nginx!</title>');
    expect(section(out, `kubectl exec other -- wget -qO- -T 2 http://${WEB_IP}`)).toBe('wget: download timed out');
    expect(section(out, `netsim trace --from client --to ${WEB_IP}:80 | tail -2`, 2)).toMatch(
      /\npolicy: ingress at pod default\/web-[\w-]+ allowed by NetworkPolicy default\/web-allow-client rule 0 \(spec\.ingress\[0\], cali-pi-_[\w-]{19}\)$/,
    );
  });

  it('netsim reach: only the client reaches the web pods, each denial with its deciding chain', () => {
    const table = section(out, 'netsim reach');
    const rows = table.split('\n').filter((l) => l.startsWith('| default/'));
    // Columns: client, other, web, web; a pod reaching itself is allowed.
    expect(
      rows.map((r) =>
        r
          .split('|')
          .slice(2, 6)
          .map((c) => c.trim()),
      ),
    ).toEqual([
      ['.', 'X', '.', '.'],
      ['X', '.', 'X', 'X'],
      ['X', 'X', '.', 'X'],
      ['X', 'X', 'X', '.'],
    ]);
    expect(table).toMatch(
      /^ {2}default\/other -> default\/web-[\w-]+ TCP\/80: ingress at default\/web-[\w-]+ selected by default\/default-deny-ingress, default\/web-allow-client, no rule allows it \(cali-tw-cali[0-9a-f]{11}\)$/m,
    );
  });

  it('default-deny egress breaks DNS; allowing 53 to kube-dns restores it', () => {
    expect(section(out, 'kubectl exec client -- nslookup kubernetes')).toBe("Server:    10.96.0.10\nAddress 1: 10.96.0.10\n\nnslookup: can't resolve 'kubernetes'");
    expect(section(out, 'kubectl exec client -- nslookup kubernetes', 1)).toBe(
      'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local',
    );
  });

  it('shows Felix’s chains and ipsets on the node', () => {
    expect(Number(section(out, "iptables-save -t filter | grep -c '^-A cali-'"))).toBeGreaterThan(50);
    expect(section(out, 'ipset list -n')).toMatch(/^(cali40s:[\w-]{23}\n?){3}$/);
  });
});
