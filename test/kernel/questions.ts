// Which connections to compare in a lab: pod → pod on the same node and across nodes, pods and
// nodes → each Service port's ClusterIP (DNS among them), the lab host → every node's NodePort and
// each LoadBalancer IP, a pod → another node's NodePort, and every endpoint → its own Service
// (hairpin). Services without endpoints and ETP Local are covered by the same questions.

import type { Cluster, Materialized, Proto, TraceRequest } from '@k8s-netsim/core';
import type { Question } from './differential.js';

const PROTO: Record<string, Proto> = { TCP: 'tcp', UDP: 'udp' };

export function questionsFor(cluster: Cluster, m: Materialized, max = 80): Question[] {
  const state = cluster.state;
  const out: Question[] = [];
  let sticky = false;
  const add = (label: string, req: TraceRequest) => out.push({ label, req, ...(sticky ? { sticky } : {}) });
  const pods = m.namespaces.filter((n) => n.role === 'pod');
  const nodes = m.namespaces.filter((n) => n.role === 'node');
  const lab = m.namespaces.find((n) => n.role === 'lab')!;
  const onePodPerNode = nodes.flatMap((n) => pods.filter((p) => p.node === n.node).slice(0, 1));

  // Pod to pod: to the first listening port, and a ping; same node and across nodes.
  for (const a of onePodPerNode) {
    for (const b of [pods.find((p) => p.node === a.node && p !== a), pods.find((p) => p.node !== a.node)]) {
      if (!b?.ip) continue;
      const l = b.listen[0];
      if (l) add(`${a.pod} → pod ${b.pod} ${l.protocol} ${l.port}`, { from: { pod: a.pod! }, to: { ip: b.ip, port: l.port }, proto: PROTO[l.protocol]! });
      add(`${a.pod} → pod ${b.pod} ICMP`, { from: { pod: a.pod! }, to: { ip: b.ip }, proto: 'icmp' });
    }
  }

  for (const [ns, shard] of Object.entries(state.services)) {
    for (const svc of Object.values(shard)) {
      const name = `${ns}/${svc.metadata.name}`;
      const clusterIP = svc.spec.clusterIP;
      sticky = svc.spec.sessionAffinity === 'ClientIP';
      for (const port of svc.spec.ports ?? []) {
        const proto = PROTO[port.protocol ?? 'TCP'];
        if (!proto) continue;
        const what = `${name} ${port.protocol ?? 'TCP'} ${port.port}`;
        if (clusterIP && clusterIP !== 'None') {
          for (const p of onePodPerNode) add(`${p.pod} → ClusterIP of ${what}`, { from: { pod: p.pod! }, to: { ip: clusterIP, port: port.port }, proto });
          for (const n of nodes) add(`${n.node} → ClusterIP of ${what}`, { from: { node: n.node! }, to: { ip: clusterIP, port: port.port }, proto });
          // Hairpin: an endpoint reaching itself through its own Service.
          const self = endpointPods(cluster, name).find((key) => pods.some((p) => p.pod === key));
          if (self) add(`${self} → ClusterIP of ${what} (hairpin)`, { from: { pod: self }, to: { ip: clusterIP, port: port.port }, proto });
        }
        if (port.nodePort) {
          for (const n of nodes) add(`lab host → ${n.node} NodePort of ${what}`, { from: { external: lab.ip! }, to: { ip: n.ip!, port: port.nodePort }, proto });
          const p = onePodPerNode[0];
          const other = nodes.find((n) => n.node !== p?.node);
          if (p && other) add(`${p.pod} → ${other.node} NodePort of ${what}`, { from: { pod: p.pod! }, to: { ip: other.ip!, port: port.nodePort }, proto });
        }
        for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
          if (ing.ip) add(`lab host → LoadBalancer ${ing.ip} of ${what}`, { from: { external: lab.ip! }, to: { ip: ing.ip, port: port.port }, proto });
        }
      }
    }
  }
  sticky = false;
  return out.slice(0, max);
}

function endpointPods(cluster: Cluster, service: string): string[] {
  try {
    return cluster
      .service(service)
      .endpoints.filter((e) => e.ready && e.pod)
      .map((e) => e.pod!);
  } catch {
    return [];
  }
}
