// Who is where: node IPs on the node network, the pod behind each host veth, and which sockets
// listen in each namespace. Derived from ClusterState and cached by its identity.

import type { Pod, Protocol } from '../api/types.js';
import { containerListens } from '../state/images.js';
import { nodeInternalIP } from '../state/queries.js';
import { parseIPv4 } from '../net/ipv4.js';
import type { ClusterState } from '../state/types.js';
import { allAgents } from '../state/store.js';

export interface Listener {
  port: number;
  protocol: Protocol;
  /** Bound address (uint32) or undefined for 0.0.0.0. */
  address?: number;
  process: string;
  /** The pod whose container listens (hostNetwork pods listen in the node's namespace). */
  pod?: Pod;
}

export interface Topology {
  /** node IP → node name */
  nodeByIP: Map<number, string>;
  /** "node\0veth" → pod key "ns/name" */
  podByVeth: Map<string, string>;
  /** pod IP (non-hostNetwork) → pod key */
  podByIP: Map<number, string>;
  /** pod key → listeners in its netns */
  podListeners: Map<string, Listener[]>;
  /** node → listeners in its root netns (system daemons and hostNetwork pods) */
  nodeListeners: Map<string, Listener[]>;
}

const LOCALHOST = parseIPv4('127.0.0.1');

/** Daemons every kubeadm node runs outside pods, and the control plane's extra sockets. */
/** Daemons every kubeadm node runs outside pods (the control plane's come from its static pods). */
function systemListeners(): Listener[] {
  return [
    { port: 22, protocol: 'TCP', process: 'sshd' },
    { port: 10250, protocol: 'TCP', process: 'kubelet' },
    { port: 10248, protocol: 'TCP', address: LOCALHOST, process: 'kubelet' },
  ];
}

const cache = new WeakMap<ClusterState['nodeAgents'], { pods: ClusterState['pods']; nodes: ClusterState['nodes']; services: ClusterState['services']; topology: Topology }>();

export function topology(state: ClusterState): Topology {
  const hit = cache.get(state.nodeAgents);
  if (hit && hit.pods === state.pods && hit.nodes === state.nodes && hit.services === state.services) return hit.topology;
  const t: Topology = { nodeByIP: new Map(), podByVeth: new Map(), podByIP: new Map(), podListeners: new Map(), nodeListeners: new Map() };
  for (const name of state.nodeOrder) {
    const node = state.nodes[name];
    if (!node) continue;
    const ip = nodeInternalIP(node);
    if (ip) t.nodeByIP.set(parseIPv4(ip), name);
    t.nodeListeners.set(name, systemListeners());
  }
  for (const [nodeName, agent] of allAgents(state)) {
    for (const sb of Object.values(agent.sandboxes)) {
      const [ns = '', podName = ''] = sb.pod.split('/');
      const pod = state.pods[ns]?.[podName];
      if (!pod) continue;
      const listeners: Listener[] = pod.spec.containers.flatMap((c) => containerListens(c).map((p) => ({ port: p.port, protocol: p.protocol, process: c.name, pod })));
      if (sb.network) {
        t.podByVeth.set(`${nodeName}\u0000${sb.network.hostVeth}`, sb.pod);
        t.podByIP.set(sb.network.ip, sb.pod);
        t.podListeners.set(sb.pod, listeners);
      } else {
        t.nodeListeners.get(nodeName)?.push(...listeners);
      }
    }
  }
  // kube-proxy serves each LoadBalancer+Local Service's healthCheckNodePort on every node.
  for (const shard of Object.values(state.services)) {
    for (const svc of Object.values(shard)) {
      if (!svc.spec.healthCheckNodePort) continue;
      for (const list of t.nodeListeners.values()) list.push({ port: svc.spec.healthCheckNodePort, protocol: 'TCP', process: 'kube-proxy (health check)' });
    }
  }
  cache.set(state.nodeAgents, { pods: state.pods, nodes: state.nodes, services: state.services, topology: t });
  return t;
}
