// Files a lesson reads with `cat`, rendered from the state of the node or pod.

import { subnetEnv } from '../../controllers/flannel.js';
import { nodeInternalIP } from '../../state/queries.js';
import type { ClusterState } from '../../state/types.js';
import { contextNode, type ShellContext } from '../context.js';
import { resolvConfText } from './dns.js';
import { getAgent } from '../../state/store.js';

export function nodeFiles(state: ClusterState, ctx: ShellContext): Record<string, string> {
  const nodeName = contextNode(state, ctx);
  const node = state.nodes[nodeName];
  const files: Record<string, string> = {};
  if (ctx.kind === 'workstation') {
    const extra = Object.entries(state.workstationHosts).map(([name, ip]) => `${ip} ${name}`);
    files['/etc/hostname'] = 'workstation\n';
    files['/etc/hosts'] =
      '127.0.0.1 localhost\n127.0.1.1 workstation\n\n' +
      state.nodeOrder.map((n) => `${nodeInternalIP(state.nodes[n]!) ?? ''} ${n}`).join('\n') +
      '\n' +
      extra.map((l) => `${l}\n`).join('');
    return files;
  }
  files['/etc/resolv.conf'] = resolvConfText(state, ctx);
  if (ctx.kind === 'pod') {
    const [, name = ''] = ctx.pod.split('/');
    files['/etc/hostname'] = `${name}\n`;
    return files;
  }
  files['/run/systemd/resolve/resolv.conf'] = files['/etc/resolv.conf'];
  files['/etc/hostname'] = `${nodeName}\n`;
  files['/etc/hosts'] = `127.0.0.1 localhost\n127.0.1.1 ${nodeName}\n\n${state.nodeOrder.map((n) => `${nodeInternalIP(state.nodes[n]!) ?? ''} ${n}`).join('\n')}\n`;
  const flannel = getAgent(state, nodeName)?.flannel;
  const env = node && flannel ? subnetEnv(node, flannel) : undefined;
  if (env) files['/run/flannel/subnet.env'] = env;
  return files;
}
