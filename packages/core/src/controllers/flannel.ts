// flanneld in kube-subnet-manager mode, one per node where the kube-flannel DaemonSet pod runs:
// reads net-conf.json from its ConfigMap, takes the node's podCIDR as its subnet, creates
// flannel.1 (VXLAN) with a random VtepMAC, publishes the lease as node annotations, and marks
// NetworkUnavailable=False. Its init container writes the CNI config, which is what makes the
// runtime's network — and so the node — Ready.

import { memoIn } from '../util/memo.js';
import type { ConfigMap, Node, Pod } from '../api/types.js';
import { cniHairpinMode, parseNetConf } from '../addons/kube-flannel.js';
import type { FlannelNodeState, NodeAgentState } from '../state/node-agent.js';
import { rfc3339, getAgent } from '../state/store.js';
import { FLANNEL_ANNOTATION, nodeInternalIP } from '../state/queries.js';
import type { ControllerContext } from './context.js';
import { inNodeOrder, podIndex } from './indexes.js';
import type { ClusterState } from '../state/types.js';
import { seededMac } from '../util/seeded.js';
import { recordEvent } from './events.js';

export const VXLAN_OVERHEAD = 50;

/** Whether a pod runs flanneld: a container with the flannel image or the flanneld command. */
function runsFlanneld(p: Pod): boolean {
  return p.spec.containers.some((c) => /(^|\/)flannel(:|@|$)/.test(c.image) || c.command?.[0]?.endsWith('flanneld'));
}

/** A running flanneld pod on the node. */
export function flannelPodOn(pods: readonly Pod[], node: string): Pod | undefined {
  return pods.find((p) => p.spec.nodeName === node && p.status.phase === 'Running' && runsFlanneld(p));
}

function netConfFor(base: ClusterState, pod: Pod): { conf?: ReturnType<typeof parseNetConf>; hairpinMode?: boolean; error?: string } {
  const ns = pod.metadata.namespace ?? 'default';
  const cm = (base.configMaps[ns]?.['kube-flannel-cfg'] ?? Object.values(base.configMaps[ns] ?? {}).find((c: ConfigMap) => c.data?.['net-conf.json'])) as ConfigMap | undefined;
  const text = cm?.data?.['net-conf.json'];
  if (!text) return { error: `failed to read net conf: open /etc/kube-flannel/net-conf.json: no such file or directory` };
  // install-cni copies cni-conf.json as the pod starts; without a readable one the manifest's
  // hairpinMode (true) stands, since a broken CNI config is not modelled.
  const cni = cm?.data?.['cni-conf.json'];
  const hairpinMode = cni === undefined ? undefined : cniHairpinMode(cni);
  const parsed = parsedNetConf(text);
  return 'error' in parsed ? parsed : { conf: parsed.conf, ...(hairpinMode !== undefined ? { hairpinMode } : {}) };
}

// Every node's flanneld reads the same net-conf.json: parse each text once (the result is only read).
const netConfs = new Map<string, { conf: ReturnType<typeof parseNetConf> } | { error: string }>();

function parsedNetConf(text: string): { conf: ReturnType<typeof parseNetConf> } | { error: string } {
  return memoIn(netConfs, 16, text, (t) => {
    try {
      return { conf: parseNetConf(t) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  });
}

function setAnnotations(node: Node, flannel: FlannelNodeState, publicIP: string): boolean {
  const want: Record<string, string> = {
    [`${FLANNEL_ANNOTATION}backend-data`]: flannel.vxlan ? JSON.stringify({ VNI: flannel.vxlan.vni, VtepMAC: flannel.vxlan.vtepMac }) : 'null',
    [`${FLANNEL_ANNOTATION}backend-type`]: flannel.backend,
    [`${FLANNEL_ANNOTATION}kube-subnet-manager`]: 'true',
    [`${FLANNEL_ANNOTATION}public-ip`]: publicIP,
  };
  const a = (node.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(want)) {
    if (a[k] !== v) {
      a[k] = v;
      changed = true;
    }
  }
  return changed;
}

function clearFlannel(node: Node, agent: NodeAgentState): boolean {
  let changed = agent.flannel !== undefined;
  delete agent.flannel;
  for (const k of Object.keys(node.metadata.annotations ?? {})) {
    if (k.startsWith(FLANNEL_ANNOTATION)) {
      delete node.metadata.annotations![k];
      changed = true;
    }
  }
  return changed;
}

/** A node's pods in (namespace, name) order, as the API lists them. */
function podsInKeyOrder(pods: Map<string, Pod> | undefined): Pod[] {
  if (!pods) return [];
  const list = [...pods.values()];
  return list.sort((a, b) => {
    const x = a.metadata.namespace ?? '';
    const y = b.metadata.namespace ?? '';
    if (x !== y) return x < y ? -1 : 1;
    return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  });
}

/** Nodes where flanneld may have to act: those of changed pods, nodes and agents; all of them when a ConfigMap changed. */
function dirtyNodes(base: ClusterState, delta: NonNullable<ControllerContext['delta']>): string[] {
  if (delta.of('ConfigMap').length) return base.nodeOrder;
  const out = new Set<string>();
  for (const c of delta.of('Pod')) {
    // Only flanneld's own pods matter here.
    if (c.before?.spec.nodeName && runsFlanneld(c.before)) out.add(c.before.spec.nodeName);
    if (c.after?.spec.nodeName && runsFlanneld(c.after)) out.add(c.after.spec.nodeName);
  }
  for (const c of delta.nodes) out.add(c.name);
  for (const c of delta.nodeAgents) if (!c.before || !c.after || c.before.flannel !== c.after.flannel) out.add(c.name);
  return inNodeOrder(base.nodeOrder, out);
}

export function reconcileFlannel({ base, draft, delta }: ControllerContext): boolean {
  let changed = false;
  const index = podIndex(base.pods);
  for (const name of delta ? dirtyNodes(base, delta) : base.nodeOrder) {
    const seenNode = base.nodes[name];
    const seenAgent = getAgent(base, name);
    if (!seenNode || !seenAgent) continue;
    const pod = flannelPodOn(podsInKeyOrder(index.byNode.get(name)), name);
    if (!pod) {
      // flanneld gone: the node keeps its devices until reboot, but nothing maintains them;
      // we model the simple case where the CNI disappears with it.
      if (seenAgent.flannel) changed = clearFlannel(draft.nodes[name]!, getAgent(draft, name)!) || changed;
      continue;
    }
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (seenAgent.flannel?.pod === key) continue;
    const node = draft.nodes[name]!;
    const agent = getAgent(draft, name)!;
    const { conf, hairpinMode, error } = netConfFor(base, pod);
    const publicIP = nodeInternalIP(node) ?? '';
    let err = error;
    if (!err && !node.spec.podCIDR) err = `failed to acquire lease: node "${name}" pod cidr not assigned`;
    if (err || !conf) {
      if (agent.flannelError !== err) {
        agent.flannelError = err;
        recordEvent(
          draft,
          pod,
          'Warning',
          'BackOff',
          `Back-off restarting failed container kube-flannel in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
          'kubelet',
        );
        changed = true;
      }
      continue;
    }
    delete agent.flannelError;
    const flannel: FlannelNodeState = {
      pod: key,
      network: conf.network,
      backend: conf.backendType,
      mtu: conf.backendType === 'vxlan' ? draft.config.nodeMTU - VXLAN_OVERHEAD : draft.config.nodeMTU,
      ipMasq: true,
      hairpinMode: hairpinMode ?? true,
    };
    if (conf.backendType === 'vxlan') {
      // flannel.1 keeps its ifindex and (via the annotation) its MAC across flanneld restarts.
      const prevMac = agent.flannel?.vxlan?.vtepMac;
      flannel.vxlan = {
        vni: conf.vni,
        port: conf.port,
        ifindex: agent.flannel?.vxlan?.ifindex ?? agent.nextIfindex++,
        vtepMac: prevMac ?? seededMac(draft.config.seed, 'vtep', name),
      };
    }
    agent.flannel = flannel;
    setAnnotations(node, flannel, publicIP);
    const now = rfc3339(draft.clock);
    const cond = node.status.conditions.find((c) => c.type === 'NetworkUnavailable');
    if (!cond) {
      node.status.conditions.unshift({
        type: 'NetworkUnavailable',
        status: 'False',
        reason: 'FlannelIsUp',
        message: 'Flannel is running on this node',
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      });
    }
    changed = true;
  }
  return changed;
}

/** /run/flannel/subnet.env as flanneld writes it. */
export function subnetEnv(node: Node, flannel: FlannelNodeState): string | undefined {
  if (!node.spec.podCIDR) return undefined;
  const [net = '', len = '24'] = node.spec.podCIDR.split('/');
  const o = net.split('.').map(Number);
  o[3] = (o[3] ?? 0) + 1;
  return `FLANNEL_NETWORK=${flannel.network}\nFLANNEL_SUBNET=${o.join('.')}/${len}\nFLANNEL_MTU=${flannel.mtu}\nFLANNEL_IPMASQ=${flannel.ipMasq}\n`;
}
