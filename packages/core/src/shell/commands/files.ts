// Files a lesson reads with `cat`, rendered from the state of the node or pod.

import { nodeInternalIP } from '../../controllers/kubelet.js';
import type { ClusterState } from '../../state/types.js';
import { contextNode, type ShellContext } from '../context.js';

export function nodeFiles(state: ClusterState, ctx: ShellContext): Record<string, string> {
  const nodeName = contextNode(state, ctx);
  const node = state.nodes[nodeName];
  const files: Record<string, string> = {};
  if (ctx.kind === 'pod') {
    const [, name = ''] = ctx.pod.split('/');
    files['/etc/hostname'] = `${name}\n`;
    return files;
  }
  files['/etc/hostname'] = `${nodeName}\n`;
  files['/etc/hosts'] =
    `127.0.0.1 localhost\n127.0.1.1 ${nodeName}\n\n` +
    state.nodeOrder.map((n) => `${nodeInternalIP(state.nodes[n]!) ?? ''} ${n}`).join('\n') +
    '\n';
  if (node?.spec.podCIDR && state.config.cni === 'flannel') {
    const [net = '', len = '24'] = node.spec.podCIDR.split('/');
    const parts = net.split('.');
    parts[3] = String(Number(parts[3]) + 1);
    files['/run/flannel/subnet.env'] = `FLANNEL_NETWORK=${state.config.podCIDR}\nFLANNEL_SUBNET=${parts.join('.')}/${len}\nFLANNEL_MTU=${state.config.podMTU}\nFLANNEL_IPMASQ=true\n`;
  }
  return files;
}
