// MetalLB's layer-2 speaker as v0.15.2 (the version the lab installs, cluster/addons.ts) decides
// who answers ARP for a LoadBalancer address: speaker/layer2_controller.go ShouldAnnounce,
// internal/k8s/epslices EndpointCanServe, internal/k8s/nodes.

import * as crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import '@k8s-netsim/testing/vitest';
import { Cluster } from '../cluster/cluster.js';
import { announcingNode } from '../controllers/loadbalancer.js';
import { parseIPv4 } from '../net/ipv4.js';
import type { ClusterState } from '../state/types.js';
import { produce } from '../util/immer.js';
import { compileFastPath, ResolveOut, VERDICT_DROPPED, PROTO_TCP } from './fastpath.js';

const CLIENT = '192.168.56.1';

const web = (replicas: number, etp: 'Cluster' | 'Local') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { type: LoadBalancer, externalTrafficPolicy: ${etp}, selector: { app: web }, ports: [{ port: 80 }] }
`;

/** The node whose speaker answered ARP in the trace, if any. */
function announcerIn(c: Cluster, ip: string): string | undefined {
  const t = c.trace({ from: { external: CLIENT }, to: { ip, port: 80 } });
  return t.hops.find((h) => h.kind === 'arp' && h.action.includes("MetalLB's speaker"))?.action.match(/speaker on (\S+)/)?.[1];
}

const nodeAssigned = (c: Cluster, name: string) =>
  c
    .exec(`kubectl describe service ${name}`)
    .stdout.split('\n')
    .filter((l) => l.includes('nodeAssigned'));

describe("MetalLB v0.15.2's layer-2 election", () => {
  it('sorts the speakers’ nodes by sha256(node + "#" + ip) and the first announces; kubeadm’s control plane is excluded', () => {
    const c = Cluster.create({ nodes: 6 }).apply(web(1, 'Cluster')).settle();
    const ip = c.service('web').loadBalancerIPs[0]!;
    // layer2_controller.go: sort.Slice(availableNodes, bytes.Compare(sha256(node+"#"+ip), …)).
    const digest = (n: string) => crypto.createHash('sha256').update(`${n}#${ip}`).digest();
    const workers = c.state.nodeOrder.filter((n) => n !== 'controlplane');
    const expected = [...workers].sort((a, b) => Buffer.compare(digest(a), digest(b)))[0];
    expect(announcingNode(c.state, c.state.services.default!.web!, ip)).toBe(expected);
    expect(announcerIn(c, ip)).toBe(expected);
    // With ETP Cluster the endpoint's node does not matter.
    expect(nodeAssigned(c, 'web')).toEqual([expect.stringContaining(`metallb-speaker     announcing from node "${expected}" with protocol "layer2"`)]);
  });

  it('ETP Local: nodes with an endpoint that can serve — ready, or serving (EndpointCanServe) — not only ready ones', () => {
    const slice = (conditions: string) => `
apiVersion: v1
kind: Service
metadata: { name: ext }
spec: { type: LoadBalancer, externalTrafficPolicy: Local, ports: [{ port: 80 }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: ext-1, labels: { kubernetes.io/service-name: ext } }
addressType: IPv4
ports: [{ name: '', port: 80, protocol: TCP }]
endpoints:
- { addresses: [10.244.1.200], nodeName: node01, conditions: ${conditions} }
- { addresses: [10.244.2.200], nodeName: node02, conditions: { ready: false, serving: false } }
`;
    const announcer = (conditions: string) => {
      const c = Cluster.create().apply(slice(conditions)).settle();
      return announcingNode(c.state, c.state.services.default!.ext!, c.service('ext').loadBalancerIPs[0]!);
    };
    // A terminating pod that still serves keeps its node announcing (the speaker reads `serving`).
    expect(announcer('{ ready: false, serving: true, terminating: true }')).toBe('node01');
    // Ready unset means ready (`Ready == nil || *Ready`).
    expect(announcer('{}')).toBe('node01');
    expect(announcer('{ ready: true }')).toBe('node01');
    // Not ready, and serving unset: `Serving != nil && *Serving` is false, so no endpoint can serve.
    expect(announcer('{ ready: false }')).toBeUndefined();
    expect(announcer('{ ready: false, serving: false }')).toBeUndefined();
  });

  it('withdraws the address of a Service with no endpoint that can serve, ETP Cluster too (activeEndpointExists); it comes back with them', () => {
    let c = Cluster.create().apply(web(0, 'Cluster')).settle();
    const ip = c.service('web').loadBalancerIPs[0]!;
    // The controller still assigns the address; no speaker announces it.
    expect(ip).toBe('192.168.56.241');
    expect(nodeAssigned(c, 'web')).toEqual([]);
    const t = c.trace({ from: { external: CLIENT }, to: { ip, port: 80 } });
    expect(t).toMatchObject({ verdict: 'dropped', reason: 'No route to host', icmpError: { type: 'host-unreachable' } });
    expect(t.hops.at(-1)?.action).toBe(`no MetalLB speaker announces ${ip}: the Service has no ready or serving endpoint, so MetalLB withdraws the address`);
    // The fast path says the same.
    const fp = compileFastPath(c.state);
    const out = new ResolveOut();
    expect(fp.resolve(fp.sourceOf({ external: CLIENT }), parseIPv4(ip), 80, PROTO_TCP, 0.5, out)).toBe(VERDICT_DROPPED);
    // A pod's packet is REJECTed by its node's FORWARD (KUBE-EXTERNAL-SERVICES: "has no endpoints")
    // before it needs anyone's ARP; a node's own goes out to ask, and nobody answers.
    const pod = c.pods().find((p) => p.name.startsWith('coredns-'))!;
    expect(c.trace({ from: { pod: `${pod.namespace}/${pod.name}` }, to: { ip, port: 80 } })).toMatchObject({ verdict: 'rejected', reason: 'Connection refused' });
    expect(c.trace({ from: { node: 'node01' }, to: { ip, port: 80 } })).toMatchObject({ verdict: 'dropped', reason: 'No route to host' });

    // Endpoints: announced, and the speaker says so.
    c = c.scale('Deployment', 'web', 2);
    const node = announcerIn(c, ip);
    expect(node).toBeDefined();
    expect(c.trace({ from: { external: CLIENT }, to: { ip, port: 80 } })).toBeDelivered();
    expect(nodeAssigned(c, 'web')).toEqual([
      expect.stringMatching(new RegExp(`Normal +nodeAssigned +0s +metallb-speaker +announcing from node "${node}" with protocol "layer2"$`)),
    ]);
    // None again: withdrawn, silently (DeleteBalancer records no event).
    c = c.scale('Deployment', 'web', 0);
    expect(announcerIn(c, ip)).toBeUndefined();
    expect(nodeAssigned(c, 'web')).toHaveLength(1);
    // Back: announced again, a second nodeAssigned folded into the first.
    c = c.exec('sleep 5').cluster.scale('Deployment', 'web', 1);
    expect(announcerIn(c, ip)).toBe(node);
    expect(nodeAssigned(c, 'web')).toEqual([expect.stringMatching(/Normal +nodeAssigned +0s \(x2 over 5s\) +metallb-speaker /)]);
  });

  it('ETP Local follows the endpoint: a new announcing node says so', () => {
    const c = Cluster.create().apply(web(1, 'Local')).settle();
    const ip = c.service('web').loadBalancerIPs[0]!;
    const home = c.pods({ selector: 'app=web' })[0]!.node!;
    expect(announcerIn(c, ip)).toBe(home);
    // Pin the pod to the other worker: the speaker there takes over.
    const other = home === 'node01' ? 'node02' : 'node01';
    const moved = c.apply(web(1, 'Local').replace('spec: { containers:', `spec: { nodeName: ${other}, containers:`));
    expect(announcerIn(moved, ip)).toBe(other);
    expect(nodeAssigned(moved, 'web').map((l) => l.match(/node "(\S+)"/)![1])).toEqual([home, other]);
  });

  it('candidates are the nodes whose speaker runs (memberlist), minus NetworkUnavailable=True; the Ready condition is not read', () => {
    const c = Cluster.create({ nodes: 4 }).apply(web(3, 'Cluster')).settle();
    const svc = c.state.services.default!.web!;
    const ip = c.service('web').loadBalancerIPs[0]!;
    const first = announcingNode(c.state, svc, ip)!;
    const edit = (f: (d: ClusterState) => void) => produce(c.state, f);
    // NotReady but its speaker runs: still announcing.
    const notReady = edit((d) => {
      d.nodes[first]!.status.conditions.find((x) => x.type === 'Ready')!.status = 'False';
    });
    expect(announcingNode(notReady, svc, ip)).toBe(first);
    // NetworkUnavailable=True: skipped, the next in hash order wins.
    const unavailable = edit((d) => {
      d.nodes[first]!.status.conditions.find((x) => x.type === 'NetworkUnavailable')!.status = 'True';
    });
    const second = announcingNode(unavailable, svc, ip);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    // Its speaker pod gone (not Running): the same.
    const noSpeaker = edit((d) => {
      for (const p of Object.values(d.pods['metallb-system']!)) if (p.spec.nodeName === first && p.metadata.labels?.component === 'speaker') p.status.phase = 'Pending';
    });
    expect(announcingNode(noSpeaker, svc, ip)).toBe(second);
    // No speaker at all: nobody answers.
    const none = c.delete('DaemonSet', 'speaker', 'metallb-system');
    const t = none.trace({ from: { external: CLIENT }, to: { ip, port: 80 } });
    expect(t).toMatchObject({ verdict: 'dropped', reason: 'No route to host' });
    expect(t.hops.at(-1)?.action).toBe(`no MetalLB speaker announces ${ip}: no node runs an eligible MetalLB speaker`);
  });
});
