// `kubectl logs` of a kube-proxy pod: what kube-proxy v1.34 prints when it starts, from what its
// container read at start (state/node-agent.ts KubeProxyNodeState). The lines and their
// file:line are real: server_linux.go:53, server.go:218/255/264 and server_linux.go:136 as a
// v1.34.0 kube-proxy logs them (the same in v1.35.0), shared_informer.go and proxier.go:242 as
// v1.35.0 logs them, run.go:72 from component-base v0.34.2. Kept modest: the start-up through
// the proxier's creation, not the informers' chatter that follows. A container that exits
// prints its error as `"command failed" err=…` (the last attempt's log, as the kubelet keeps it).

import { localhostNodePortsOn, nodePortCIDRs } from '../../controllers/kube-proxy/node.js';
import type { KubeProxyNodeState } from '../../state/node-agent.js';
import { seeded } from '../../util/seeded.js';
import { klogLine, type KlogLine, type KlogSeverity, type KlogValue } from './klog.js';

export interface KubeProxyLogInput {
  record: KubeProxyNodeState;
  nodeName: string;
  nodeIP: string | undefined;
  seed: number;
  /** When the container whose log this is started (ms). */
  startedAt: number;
}

/** The microseconds between start-up lines, as a real kube-proxy's log spaces them. */
const STEP_US: Record<string, number> = {
  'shared_informer.go:370': 66_363,
  'shared_informer.go:377': 100_098,
  'server.go:218': 24,
  'conntrack.go:57': 4_278,
  'server.go:255': 6_525,
  'server.go:264': 45_152,
  'server_linux.go:136': 29,
  'proxier.go:242': 3_542,
  'run.go:72': 214,
};

/** nf_conntrack_max on a lab node: conntrack.min (131072) beats maxPerCore × 2 CPUs. */
const NF_CONNTRACK_MAX = 131_072;

/** The container's log, and the simulator's note when the mode it runs is not simulated. */
export interface KubeProxyLog {
  log: string;
  note?: string;
}

export function kubeProxyLog({ record, nodeName, nodeIP, seed, startedAt }: KubeProxyLogInput): KubeProxyLog {
  const lines: KlogLine[] = [];
  let t = startedAt * 1000 + (seeded(seed, 'kube-proxy-log', nodeName, startedAt) % 900_000);
  const log = (severity: KlogSeverity, at: string, msg: string, ...kv: [string, KlogValue][]): void => {
    if (lines.length > 0) t += (STEP_US[at] ?? 50) + (seeded(seed, 'kube-proxy-log', nodeName, startedAt, lines.length) % 97);
    lines.push({ severity, timeUs: t, at, msg, kv });
  };
  if (record.modeDefaulted) log('I', 'server_linux.go:53', 'Using iptables proxy');
  if (record.error !== undefined) {
    log('E', 'run.go:72', 'command failed', ['err', record.error]);
    return { log: text(lines) };
  }
  const config = record.config;
  if (!config) return { log: '' };
  log('I', 'shared_informer.go:370', 'Waiting for caches to sync');
  log('I', 'shared_informer.go:377', 'Caches are synced');
  log('I', 'server.go:218', 'Successfully retrieved NodeIPs', ['NodeIPs', nodeIP ? [nodeIP] : []]);
  log('I', 'conntrack.go:57', 'Setting nf_conntrack_max', ['nfConntrackMax', NF_CONNTRACK_MAX]);
  // checkBadConfig: NodePort connections on every local IP.
  const cidrs = nodePortCIDRs(config, nodeIP);
  if (config.nodePortAddresses.length === 0) {
    log('E', 'server.go:255', 'Kube-proxy configuration may be incomplete or incorrect', [
      'err',
      'nodePortAddresses is unset; NodePort connections will be accepted on all local IPs. Consider using `--nodeport-addresses primary`',
    ]);
  } else if (cidrs === undefined && !config.nodePortAddresses.some((c) => /^0\.0\.0\.0\/0$/.test(c))) {
    log('E', 'server.go:255', 'Kube-proxy configuration may be incomplete or incorrect', [
      'err',
      'nodePortAddresses does not contain any IPv4 addresses; NodePort connections will be accepted on all local IPv4 IPs',
    ]);
  }
  log('I', 'server.go:264', 'kube-proxy running in dual-stack mode', ['primary ipFamily', 'IPv4']);
  if (config.mode !== 'iptables') return { log: text(lines), note: `netsim: note: kube-proxy's ${config.mode} mode is not simulated; this node keeps the iptables rules it had\n` };
  log('I', 'server_linux.go:136', 'Using iptables Proxier');
  // NewProxier: route_localnet only when NodePorts answer on 127.0.0.0/8.
  if (localhostNodePortsOn(config, nodeIP)) {
    log(
      'I',
      'proxier.go:242',
      'Setting route_localnet=1 to allow node-ports on localhost; to change this either disable iptables.localhostNodePorts (--iptables-localhost-nodeports) or set nodePortAddresses (--nodeport-addresses) to filter loopback addresses',
      ['ipFamily', 'IPv4'],
    );
  }
  return { log: text(lines) };
}

function text(lines: KlogLine[]): string {
  return lines.map((l) => `${klogLine(l)}\n`).join('');
}
