import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '@k8s-netsim/core';
import { arbCluster, arbPacket, checkInvariants, resolveName } from '@k8s-netsim/testing';
import '@k8s-netsim/testing/vitest';

// My cluster's rules: a web tier behind a NodePort Service that must keep client IPs.
const cluster = Cluster.create().apply(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: { app: web }
  ports: [{ port: 80, nodePort: 30080 }]
---
apiVersion: v1
kind: Pod
metadata: { name: client }
spec: { containers: [{ name: client, image: busybox, command: [sleep, '3600'] }] }
`);

describe('web', () => {
  const web = cluster.service('web');
  const nodes = ['controlplane', 'node01', 'node02'].map((n) => cluster.node(n));

  it('every client port reaching a node with a web pod keeps the client IP; other nodes drop it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...nodes), fc.integer({ min: 1024, max: 65535 }), (node, sport) => {
        const t = cluster.trace({ from: { external: '192.168.56.1' }, to: { ip: node.internalIP!, port: 30080 }, sport });
        if (web.endpoints.some((e) => e.node === node.name)) expect(t).toKeepClientIP();
        else expect(t).toBeDropped();
      }),
    );
  });

  it('from a pod, the name resolves to the ClusterIP, which reaches every web pod', () => {
    expect(resolveName(cluster, { from: { pod: 'client' }, name: 'web' }).addresses).toEqual(web.clusterIPs);
    const outcomes = cluster.traceAll({ from: { pod: 'client' }, to: { ip: web.clusterIPs[0]!, port: 80 } });
    expect(outcomes).toBeDelivered();
    expect(new Set(outcomes.map((o) => o.result.to?.pod))).toEqual(new Set(web.endpoints.map((e) => e.pod)));
  });
});

describe('any cluster', () => {
  it('built from random workloads and Services stays sound, and every packet gets a verdict', () => {
    const clusters = arbCluster({ manifests: { namespaces: ['default', 'shop'] } });
    fc.assert(
      fc.property(
        clusters.chain((c) => fc.tuple(fc.constant(c), arbPacket(c))),
        ([c, packet]) => {
          expect(checkInvariants(c)).toEqual([]);
          expect(['delivered', 'dropped', 'rejected']).toContain(c.trace(packet).verdict);
        },
      ),
      { numRuns: 30 },
    );
  });
});
