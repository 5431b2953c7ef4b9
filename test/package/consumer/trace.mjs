// Plain node, compiled JavaScript: a Deployment, then one packet from a node to a pod.
import { Cluster } from '@k8s-netsim/core';

const c = Cluster.create().apply({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
  },
});
const [pod] = c.pods({ selector: 'app=web' });
const t = c.trace({ from: { node: 'controlplane' }, to: { ip: pod.ip, port: 80 }, proto: 'tcp' });
console.log(`${t.verdict} to ${t.to?.pod} at ${t.to?.ip}:${t.to?.port} in ${t.hops.length} hops`);
