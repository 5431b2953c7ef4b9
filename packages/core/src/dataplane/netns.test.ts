import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { deploymentInput } from '@k8s-netsim/testing';
import { applyObjects, scaleObject } from '../controllers/transitions.js';
import { listObjects, getAgent } from '../state/store.js';
import type { Pod } from '../api/types.js';
import { ipToString } from '../net/ipv4.js';
import { nodeNetns, podNetns } from './netns.js';
import { routeText } from './route.js';

describe('node and pod network namespaces', () => {
  const { state } = applyObjects(bootstrapCluster(), [deploymentInput('web', 4)]);
  const pods = listObjects(state, 'Pod', 'default') as Pod[];

  it('node01 has lo, eth0, docker0, flannel.1, cni0 and one veth per pod, in ifindex order', () => {
    const ns = nodeNetns(state, 'node01')!;
    const names = ns.links.map((l) => l.name);
    expect(names.slice(0, 5)).toEqual(['lo', 'eth0', 'docker0', 'flannel.1', 'cni0']);
    expect(ns.links.slice(0, 5).map((l) => l.ifindex)).toEqual([1, 2, 3, 4, 5]);
    const veths = ns.links.filter((l) => l.kind === 'veth');
    const networked = Object.values(getAgent(state, 'node01')!.sandboxes).filter((sb) => sb.network);
    expect(veths).toHaveLength(networked.length);
    expect(networked.length).toBeGreaterThanOrEqual(pods.filter((p) => p.spec.nodeName === 'node01').length);
    for (const v of veths) {
      expect(v.name).toMatch(/^veth[0-9a-f]{8}$/);
      expect(v.master).toBe('cni0');
      expect(v.peerIfindex).toBe(2);
      // Under docker (the default runtime) pod namespaces are unnamed: `link-netnsid N`.
      expect(v.linkNetns).toBeUndefined();
    }
    const ids = veths.map((v) => v.linkNetnsId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a! - b!)).toEqual(ids.map((_, i) => i));
    const idx = ns.links.map((l) => l.ifindex);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    expect(new Set(idx).size).toBe(idx.length);
    const cni0 = ns.addresses.find((a) => a.label === 'cni0')!;
    expect(`${ipToString(cni0.ip)}/${cni0.prefixLen}`).toBe('10.244.1.1/24');
    expect(ns.routes.filter((r) => r.table === 'main').map(routeText)).toEqual([
      'default via 192.168.56.1 dev eth0 proto static',
      '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink',
      '10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1',
      '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink',
      '172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown',
      '192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.11',
    ]);
  });

  it('pairs each pod eth0@ifN with its host veth@if2 and routes via cni0', () => {
    for (const p of pods) {
      const pns = podNetns(state, 'default', p.metadata.name)!;
      const host = nodeNetns(state, p.spec.nodeName!)!;
      const eth0 = pns.links.find((l) => l.name === 'eth0')!;
      const peer = host.links.find((l) => l.ifindex === eth0.peerIfindex)!;
      expect(peer.kind).toBe('veth');
      expect(peer.peerIfindex).toBe(eth0.ifindex);
      expect(peer.linkNetnsId).toBeGreaterThanOrEqual(0);
      expect(pns.addresses.map((a) => ipToString(a.ip))).toEqual(['127.0.0.1', p.status.podIP]);
      const gw = host.addresses.find((a) => a.label === 'cni0')!;
      expect(pns.routes.filter((r) => r.table === 'main').map(routeText)).toEqual([
        `default via ${ipToString(gw.ip)} dev eth0`,
        `10.244.0.0/16 via ${ipToString(gw.ip)} dev eth0`,
        `${state.nodes[p.spec.nodeName!]!.spec.podCIDR} dev eth0 proto kernel scope link src ${p.status.podIP}`,
      ]);
    }
  });

  it('names pod namespaces cni-<uuid> under containerd', () => {
    const s = applyObjects(bootstrapCluster({ containerRuntime: 'containerd' }), [deploymentInput('web', 2)]).state;
    const pod = (listObjects(s, 'Pod', 'default') as Pod[]).find((p) => p.spec.nodeName === 'node01')!;
    const podNs = podNetns(s, 'default', pod.metadata.name)!;
    const veth = nodeNetns(s, 'node01')!.links.find((l) => l.ifindex === podNs.links.find((x) => x.name === 'eth0')!.peerIfindex)!;
    expect(veth.linkNetns).toBe(podNs.name);
    expect(veth.linkNetns).toMatch(/^cni-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(nodeNetns(s, 'node01')!.links.map((l) => l.name)).not.toContain('docker0');
  });

  it('never reuses an ifindex, whatever scaling happens', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 6 }), (sizes) => {
        let s = state;
        const seen = new Map<string, Set<string>>();
        for (const n of sizes) {
          s = scaleObject(s, 'Deployment', 'default', 'web', n);
          for (const node of ['node01', 'node02']) {
            for (const l of nodeNetns(s, node)!.links.filter((x) => x.kind === 'veth')) {
              const key = `${node}/${l.ifindex}`;
              const names = seen.get(key) ?? new Set();
              names.add(l.name);
              seen.set(key, names);
            }
          }
        }
        // An ifindex belongs to one veth for the node's whole life.
        for (const names of seen.values()) expect(names.size).toBe(1);
      }),
      { numRuns: 30 },
    );
  });
});

describe("flanneld's kube subnet manager", () => {
  // kube.go ignores a node whose kube-subnet-manager annotation is not "true"; a backend ignores
  // leases of another type ("Ignoring non-host-gw subnet").
  it('takes only leases flanneld wrote, of its own backend type', () => {
    const lab = bootstrapCluster();
    const routesTo = (s: typeof lab, node: string) => nodeNetns(s, node)!.routes.filter((r) => r.table === 'main' && r.dev !== 'cni0' && r.dst >>> 24 === 10).length;
    expect(routesTo(lab, 'node01')).toBe(2);
    const unmanaged = structuredClone(lab);
    delete unmanaged.nodes.node02!.metadata.annotations!['flannel.alpha.coreos.com/kube-subnet-manager'];
    expect(routesTo(unmanaged, 'node01')).toBe(1);
    const hostgw = bootstrapCluster({ flannelBackend: 'host-gw' });
    const mixed = structuredClone(hostgw);
    mixed.nodes.node02!.metadata.annotations!['flannel.alpha.coreos.com/backend-type'] = 'vxlan';
    expect(routesTo(hostgw, 'node01')).toBe(2);
    expect(routesTo(mixed, 'node01')).toBe(1);
  });
});
