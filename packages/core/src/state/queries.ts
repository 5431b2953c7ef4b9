// Read-only queries on stored objects that several stages share (controllers, the dataplane,
// the packet walker, the shell, the cluster facade): pure functions of API objects, no draft.

import type { Node } from '../api/types.js';

/** The node's InternalIP address (status.addresses), as the kubelet reports it. */
export function nodeInternalIP(node: Node): string | undefined {
  return node.status.addresses.find((a) => a.type === 'InternalIP')?.address;
}

/** Whether the node's Ready condition is True. */
export function isNodeReady(node: Node): boolean {
  return node.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Prefix of the annotations flanneld publishes its lease under (`backend-type`, `backend-data`, `public-ip`, …). */
export const FLANNEL_ANNOTATION = 'flannel.alpha.coreos.com/';
