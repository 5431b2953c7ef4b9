// The setup/teardown scripts as text: what they create, and that they stay inside their own
// namespaces. (That the kernel then holds exactly what the simulator prints is checked for real
// by `pnpm test:kernel`, test/kernel.)

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbCluster } from '@k8s-netsim/testing';
import { Cluster } from '../../cluster/cluster.js';
import { nodeRuleset } from '../../dataplane/netfilter/ruleset.js';
import { nodeNetns, podNetns } from '../../dataplane/netns.js';
import { iptablesSave } from './iptables.js';
import { materialize } from './materialize.js';

const lab = Cluster.create();

/** Every namespace a script names, by the way it names it. */
function namesIn(text: string): { added: string[]; deleted: string[]; used: string[] } {
  // Rules are data (a Service named `a-n` puts "a-n has" in a comment), not commands.
  const script = text.replace(/<<'NETSIM_RULES'\n[\s\S]*?\nNETSIM_RULES\n/g, '');
  const added = [...script.matchAll(/^ip netns add (\S+)$/gm)].map((m) => m[1]!);
  const deleted = [...script.matchAll(/^ip netns delete (\S+) /gm)].map((m) => m[1]!);
  const used = [...script.matchAll(/(?:-n|netns exec|netns|^wait_ll) (\S+)/gm)].map((m) => m[1]!).filter((n) => n !== 'add' && n !== 'delete' && n !== '"$1"');
  return { added, deleted, used };
}

describe('materialize', () => {
  it('one namespace per node and per pod sandbox, plus the node network and the lab host', () => {
    const m = materialize(lab.state, { prefix: 'lab' });
    const pods = m.namespaces.filter((n) => n.role === 'pod');
    expect(m.namespaces.filter((n) => n.role === 'node').map((n) => [n.name, n.ip])).toEqual([
      ['lab-controlplane', '192.168.56.10'],
      ['lab-node01', '192.168.56.11'],
      ['lab-node02', '192.168.56.12'],
    ]);
    expect(m.namespaces.filter((n) => n.role === 'lab').map((n) => [n.name, n.ip])).toEqual([['lab-lab', '192.168.56.1']]);
    // The default lab runs CoreDNS ×2, MetalLB's controller and ingress-nginx in pod networks.
    expect(pods.map((p) => p.pod?.split('/')[0]).sort()).toEqual(['ingress-nginx', 'kube-system', 'kube-system', 'metallb-system']);
    for (const p of pods) {
      const [ns = '', name = ''] = p.pod!.split('/');
      expect(p.name).toBe(`lab-${podNetns(lab.state, ns, name)!.name}`);
    }
    const coredns = pods.find((p) => p.pod?.startsWith('kube-system/coredns-'))!;
    expect(coredns.listen).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
      { protocol: 'TCP', port: 9153 },
      // the health and ready plugins of the kubeadm Corefile
      { protocol: 'TCP', port: 8080 },
      { protocol: 'TCP', port: 8181 },
    ]);
  });

  it("creates each link with the simulator's index, MAC and MTU, and loads each node's iptables-save", () => {
    const m = materialize(lab.state, { prefix: 'lab' });
    const node = nodeNetns(lab.state, 'node01')!;
    const cni0 = node.links.find((l) => l.name === 'cni0')!;
    const vx = node.links.find((l) => l.name === 'flannel.1')!;
    expect(m.setup).toContain(`link add name cni0 index ${cni0.ifindex} address ${cni0.mac} mtu 1450 type bridge`);
    expect(m.setup).toContain(`link add name flannel.1 index ${vx.ifindex} address ${vx.mac} mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 dstport 8472 nolearning`);
    const veth = node.links.find((l) => l.kind === 'veth')!;
    expect(m.setup).toMatch(
      new RegExp(`link add name ${veth.name} index ${veth.ifindex} address ${veth.mac} mtu 1450 type veth peer name eth0 index 2 address \\S+ mtu 1450 netns lab-cni-`),
    );
    expect(m.setup).toContain(`bridge -n lab-node01 link set dev ${veth.name} hairpin on`);
    expect(m.setup).toContain('route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink');
    expect(m.setup).toContain('fdb append');
    expect(m.setup).toContain(`ip netns exec lab-node01 iptables-restore <<'NETSIM_RULES'\n${iptablesSave(nodeRuleset(lab.state, 'node01')).trimEnd()}\nNETSIM_RULES`);
    expect(m.setup).toContain('sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1');
  });

  it('follows the cluster: hairpin off, host-gw routes instead of VXLAN', () => {
    const m = materialize(Cluster.create({ hairpinMode: false, flannelBackend: 'host-gw' }).state, { prefix: 'hg' });
    expect(m.setup).toMatch(/hairpin off/);
    expect(m.setup).not.toMatch(/hairpin on/);
    expect(m.setup).not.toMatch(/type vxlan/);
    expect(m.setup).toContain('route add 10.244.0.0/24 via 192.168.56.10 dev eth0');
  });

  it('gives the lab host the routes the student added on the workstation', () => {
    const ws = lab.exec('sudo ip route add 10.96.0.0/12 via 192.168.56.11 && sudo ip route add 10.100.0.0/16 dev eth0 metric 7', { workstation: true }).cluster;
    const m = materialize(ws.state, { prefix: 'lab' });
    expect(m.setup).toContain('route replace 10.96.0.0/12 via 192.168.56.11 dev eth0\nroute replace 10.100.0.0/16 dev eth0 metric 7\n');
    expect(materialize(lab.state, { prefix: 'lab' }).setup).not.toContain('route replace 10.96.0.0/12');
  });

  it('stays inside namespaces it creates, and the teardown deletes exactly those', () => {
    fc.assert(
      fc.property(arbCluster({ nodes: { min: 1, max: 3 }, manifests: { maxWorkloads: 3, maxServices: 3 } }), fc.constantFrom('netsim', 'a', 'k8s-lab-2'), (cluster, prefix) => {
        const m = materialize(cluster.state, { prefix });
        const { added, used } = namesIn(m.setup);
        expect(new Set(added).size).toBe(added.length);
        expect(namesIn(m.teardown).deleted.sort()).toEqual([...added].sort());
        expect(m.namespaces.map((n) => n.name).sort()).toEqual([...added].sort());
        for (const name of used) expect(added).toContain(name);
        // Every command runs in one of them: no bare `ip link`/`ip addr`/`iptables` on the host.
        for (const line of m.setup.split('\n')) {
          if (/^(ip|bridge|tc|iptables|iptables-restore|sysctl) /.test(line) && !line.startsWith('ip netns add '))
            expect(line).toMatch(new RegExp(`^(ip|bridge) (-n|netns exec) ${prefix}-`));
        }
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a prefix that could name something else', () => {
    for (const prefix of ['', 'Upper', '-x', 'a b', 'x'.repeat(17), '../x']) {
      expect(() => materialize(lab.state, { prefix })).toThrow(`materialize: prefix "${prefix}" must be 1–16 of [a-z0-9-], starting with a letter or digit`);
    }
  });
});
