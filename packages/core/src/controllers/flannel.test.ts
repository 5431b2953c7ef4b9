import { describe, expect, it } from 'vitest';
import '@k8s-netsim/testing/vitest';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { flannelManifests } from '../cluster/addons.js';
import { nodeNetns } from '../dataplane/netns.js';
import { routeText } from '../dataplane/route.js';
import { trace } from '../packet/walker.js';
import { listObjects, getAgent } from '../state/store.js';
import { applyObjects, deleteObject } from './transitions.js';
import { Cluster } from '../cluster/cluster.js';
import { ipLink } from '../views/linux/ip.js';
import type { ConfigMap, Pod } from '../api/types.js';
import { subnetEnv } from './flannel.js';
import { podInput } from '@k8s-netsim/testing';

describe('flanneld', () => {
  it('publishes its lease as node annotations and writes subnet.env', () => {
    const s = bootstrapCluster();
    const node = s.nodes.node02!;
    expect(node.metadata.annotations).toMatchObject({
      'flannel.alpha.coreos.com/backend-type': 'vxlan',
      'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
      'flannel.alpha.coreos.com/public-ip': '192.168.56.12',
    });
    const data = JSON.parse(node.metadata.annotations!['flannel.alpha.coreos.com/backend-data']!);
    expect(data.VNI).toBe(1);
    expect(data.VtepMAC).toBe(getAgent(s, 'node02')!.flannel!.vxlan!.vtepMac);
    expect(subnetEnv(node, getAgent(s, 'node02')!.flannel!)).toBe('FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.2.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
    expect(node.status.conditions.find((c) => c.type === 'NetworkUnavailable')).toMatchObject({
      status: 'False',
      reason: 'FlannelIsUp',
      message: 'Flannel is running on this node',
    });
  });

  it('without a CNI nothing networked runs; applying Flannel brings every node Ready', () => {
    const bare = bootstrapCluster({ cni: 'none' });
    expect(bare.nodeOrder.every((n) => bare.nodes[n]!.spec.taints?.some((t) => t.key === 'node.kubernetes.io/not-ready'))).toBe(true);
    const withPod = applyObjects(bare, [podInput('web')]).state;
    expect(withPod.pods.default?.web?.status.phase).toBe('Pending');
    const up = applyObjects(withPod, flannelManifests(bare.config)).state;
    expect(up.nodeOrder.map((n) => up.nodes[n]!.status.conditions.find((c) => c.type === 'Ready')?.status)).toEqual(['True', 'True', 'True']);
    expect(up.pods.default?.web?.status.phase).toBe('Running');
    const coredns = (listObjects(up, 'Pod', 'kube-system') as Pod[]).filter((p) => p.metadata.name.startsWith('coredns-'));
    expect(coredns.every((p) => p.status.podIP?.startsWith('10.244.'))).toBe(true);
  });

  it('a broken net-conf.json keeps flanneld down and the node NotReady', () => {
    const manifests = flannelManifests(bootstrapCluster({ cni: 'none' }).config).map((m) => {
      if (m.kind !== 'ConfigMap') return m;
      const cm = structuredClone(m) as unknown as ConfigMap;
      cm.data!['net-conf.json'] = '{"Network": "10.244.0.0/16", "Backend": {"Type": "carrier-pigeon"}}';
      return cm as unknown as typeof m;
    });
    const s = applyObjects(bootstrapCluster({ cni: 'none' }), manifests).state;
    expect(s.nodes.node01!.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(getAgent(s, 'node01')!.flannelError).toMatch(/unknown backend type: carrier-pigeon/);
  });

  it("host-gw: no flannel.1, routes via the peers' node IPs, MTU 1500, traffic unencapsulated", () => {
    const s = applyObjects(bootstrapCluster({ flannelBackend: 'host-gw' }), [podInput('a', { nodeName: 'node01' }), podInput('b', { nodeName: 'node02' })]).state;
    const ns = nodeNetns(s, 'node01')!;
    expect(ns.links.map((l) => l.name)).not.toContain('flannel.1');
    expect(ns.routes.filter((r) => r.table === 'main').map(routeText)).toContain('10.244.2.0/24 via 192.168.56.12 dev eth0');
    expect(ns.routes.filter((r) => r.table === 'main').map(routeText)).toContain('10.244.0.0/24 via 192.168.56.10 dev eth0');
    expect(ns.links.find((l) => l.name === 'cni0')?.mtu).toBe(1500);
    expect(s.nodes.node01!.metadata.annotations!['flannel.alpha.coreos.com/backend-data']).toBe('null');
    const r = trace(s, { from: { pod: 'a' }, to: { ip: s.pods.default!.b!.status.podIP!, port: 80 } });
    expect(r).toBeDelivered();
    expect(r.hops.some((h) => h.kind === 'encap')).toBe(false);
    expect(r.source?.ip).toBe(s.pods.default!.a!.status.podIP);
  });

  it("hairpinMode: cni-conf.json carries it, and each pod's bridge port gets it at CNI ADD", () => {
    const off = Cluster.create({ hairpinMode: false });
    const yaml = off.exec('kubectl get cm -n kube-flannel kube-flannel-cfg -o yaml').stdout;
    expect(yaml).toContain('          "delegate": {\n            "hairpinMode": false,\n            "isDefaultGateway": true\n          }');
    const s = applyObjects(off.state, [podInput('a', { nodeName: 'node01' })]).state;
    const veth = (state: typeof s) =>
      ipLink(nodeNetns(state, 'node01')!, { details: true })
        .split('\n')
        .filter((l) => l.includes('bridge_slave'));
    // pod a and the lab's add-on pods on node01: every port has the flag off.
    expect(veth(s).length).toBeGreaterThan(1);
    for (const l of veth(s)) expect(l).toMatch(/^ {4}bridge_slave state forwarding priority 32 cost 2 hairpin off guard off /);
    const on = applyObjects(bootstrapCluster(), [podInput('a', { nodeName: 'node01' })]).state;
    for (const l of veth(on)) expect(l).toContain(' hairpin on ');
  });

  it('hairpinMode is read when flanneld starts (install-cni copies the config), not on every ConfigMap change', () => {
    const lab = bootstrapCluster();
    const cm = lab.configMaps['kube-flannel']!['kube-flannel-cfg']!;
    const edited: ConfigMap = { ...cm, data: { ...cm.data, 'cni-conf.json': cm.data!['cni-conf.json']!.replace('"hairpinMode": true', '"hairpinMode": false') } };
    const s = applyObjects(lab, [edited as never]).state;
    expect(getAgent(s, 'node01')!.flannel!.hairpinMode).toBe(true);
    // The DaemonSet replaces a deleted flannel pod: its install-cni copies the edited config.
    const flannelPod = (listObjects(s, 'Pod', 'kube-flannel') as Pod[]).find((p) => p.spec.nodeName === 'node01')!;
    const restarted = deleteObject(s, 'Pod', 'kube-flannel', flannelPod.metadata.name);
    expect(getAgent(restarted, 'node01')!.flannel!.hairpinMode).toBe(false);
    expect(getAgent(restarted, 'node02')!.flannel!.hairpinMode).toBe(true);
  });
});
