// kubectl logs: what the container printed. CoreDNS prints its startup banner (the server
// blocks, the reload plugin's configuration hash, its version) and then its log lines: errors,
// failed reloads, and one line per query when the `log` plugin is on. kube-proxy prints its
// start-up (views/logs/kube-proxy.ts), or the error it exits with. Other images print nothing
// the simulator models.

import { createHash } from 'node:crypto';
import type { Pod } from '../../../api/types.js';
import { servingCorefile } from '../../../dns/serving.js';
import type { ClusterState } from '../../../state/types.js';
import { getAgent } from '../../../state/store.js';
import { nodeInternalIP } from '../../../state/queries.js';
import { isKubeProxyPod } from '../../../controllers/kube-proxy/agent.js';
import { kubeProxyLog } from '../../../views/logs/index.js';
import { fail, ok, own, type CommandIO, type CommandResult } from '../../context.js';
import type { Flags } from './flags.js';

const COREDNS_BUILD = 'linux/amd64, go1.24.1, 707c7c1';

function corednsVersion(pod: Pod): string {
  const tag = pod.spec.containers[0]?.image.split(':')[1] ?? 'v1.12.1';
  return tag.replace(/^v/, '');
}

function corednsLogs(state: ClusterState, pod: Pod): string {
  const cf = servingCorefile(state);
  const keys = cf.serverBlocks.flatMap((b) => b.keys);
  const sha = createHash('sha512').update(state.coredns.corefile).digest('hex');
  const lines = [...keys, `[INFO] plugin/reload: Running configuration SHA512 = ${sha}`, `CoreDNS-${corednsVersion(pod)}`, COREDNS_BUILD];
  if (state.coredns.error) lines.push(state.coredns.error);
  lines.push(...(state.coredns.logs?.[`${pod.metadata.namespace}/${pod.metadata.name}`] ?? []));
  return lines.map((l) => `${l}\n`).join('');
}

/** The kube-proxy container's log: its last run's (a crash-looping one's last attempt). */
function kubeProxyLogs(state: ClusterState, pod: Pod): CommandResult {
  const node = pod.spec.nodeName;
  const record = node ? getAgent(state, node)?.kubeProxy : undefined;
  if (!node || !record || record.podUid !== pod.metadata.uid) return ok('');
  const n = state.nodes[node];
  const { log, note } = kubeProxyLog({ record, nodeName: node, nodeIP: n ? nodeInternalIP(n) : undefined, seed: state.config.seed, startedAt: record.startedAt });
  return ok(log, note ? { stderr: note } : {});
}

export function logs(f: Flags, io: CommandIO): CommandResult {
  const name = f.positional[0]?.replace(/^pods?\//, '');
  if (!name)
    return fail(
      "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples",
      1,
    );
  const ns = f.namespace ?? 'default';
  const pod = own(own(io.state.pods, ns), name);
  if (!pod) return fail(`Error from server (NotFound): pods "${name}" not found`, 1);
  if (pod.status.phase === 'Pending')
    return fail(`Error from server (BadRequest): container "${pod.spec.containers[0]?.name}" in pod "${name}" is waiting to start: ContainerCreating`, 1);
  if (pod.spec.containers.some((c) => /(^|\/)coredns(:|@|$)/.test(c.image))) return ok(corednsLogs(io.state, pod));
  if (isKubeProxyPod(pod)) return kubeProxyLogs(io.state, pod);
  return ok('');
}
