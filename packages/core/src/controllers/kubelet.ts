// The kubelet and what it drives on its node: the container runtime (pause + app containers,
// PIDs) and the CNI chain Flannel installs (flannel → bridge cni0 + host-local IPAM + veth).
// Sandboxes of pods that are gone are torn down (CNI DEL releases the address; the veth goes,
// its ifindex is not reused, cni0 stays).
// Admission: a pod bound to a node that already runs its allocatable `pods` (maxPods, 110) is
// rejected as the kubelet's predicate admit handler does (Failed, OutOfpods). Only pods that
// bypass the scheduler (spec.nodeName, daemon pods) can get there, so with a /24 podCIDR (253
// addresses) host-local never runs out before maxPods does.

import { freezeStored } from '../util/immer.js';
import { createHash } from 'node:crypto';
import type { ContainerStatus, Node, Pod, PodCondition, PodStatus } from '../api/types.js';
import { ipToString } from '../net/ipv4.js';
import type { NodeAgentState, PodSandbox, RuntimeContainer } from '../state/node-agent.js';
import { rfc3339, getAgent, putAgent, putObject, splitObjectKey } from '../state/store.js';
import { copyRecord } from '../util/record.js';
import type { ClusterState } from '../state/types.js';
import { memoIn } from '../util/memo.js';
import { seeded, seededHex, seededMac, seededUuid } from '../util/seeded.js';
import type { ControllerContext } from './context.js';
import { inNodeOrder, podIndex, type PodIndex } from './indexes.js';
import { recordEvent } from './events.js';
import { allocate, IpamExhaustedError, release } from './host-local.js';
import { containerCommand } from '../state/images.js';
import { isNodeReady, nodeInternalIP } from '../state/queries.js';
import { allowedPodNumber, podCountsOnNode } from './scheduler.js';

export const POD_IFINDEX = 2;

export function pauseImage(version: string): string {
  const [, minor = 0] = version.split('.').map(Number);
  return `registry.k8s.io/pause:${minor >= 33 ? '3.10.1' : minor >= 31 ? '3.10' : '3.9'}`;
}

// The same few images run in thousands of containers.
const imageIds = new Map<string, string>();

function imageId(seed: number, image: string): string {
  return memoIn(imageIds, 10_000, `${seed}\u0000${image}`, () => `sha256:${seededHex(seed, 64, 'image', image)}`);
}

function runtimePrefix(draft: ClusterState): string {
  return draft.config.containerRuntime === 'docker' ? 'docker://' : 'containerd://';
}

function nextPid(seed: number, agent: NodeAgentState, key: string): number {
  const pid = agent.nextPid;
  // Other processes start in between on a real node: PIDs climb with gaps.
  agent.nextPid += 1 + (seeded(seed, 'pidgap', key) % 40);
  return pid;
}

function newContainer(draft: ClusterState, agent: NodeAgentState, pod: Pod, container: string, image: string, command: string, attempt: number): RuntimeContainer {
  const seed = draft.config.seed;
  const ns = pod.metadata.namespace ?? 'default';
  return {
    id: seededHex(seed, 64, 'container', pod.metadata.uid, container, attempt),
    name: `k8s_${container}_${pod.metadata.name}_${ns}_${pod.metadata.uid}_${attempt}`,
    image,
    imageId: imageId(seed, image),
    command,
    pid: nextPid(seed, agent, `${pod.metadata.uid}/${container}`),
    pod: `${ns}/${pod.metadata.name}`,
    podUid: pod.metadata.uid,
    container,
    created: rfc3339(draft.clock),
  };
}

// What every pod started at the same instant holds alike, shared (states are immutable): at
// 165,000 pods, copies of it would be tens of megabytes.
let startedAt: { now: string; conditions: PodCondition[]; running: ContainerStatus['state'] } | undefined;

function startedAlike(now: string): NonNullable<typeof startedAt> {
  if (startedAt?.now !== now) {
    const conditions = (['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'] as const).map((type) => ({
      type,
      status: 'True' as const,
      lastTransitionTime: now,
    }));
    startedAt = { now, conditions, running: { running: { startedAt: now } } };
  }
  return startedAt;
}

const hostIPLists = new Map<string, { ip: string }[]>();

/** status.hostIPs, one list per node address for every pod on the node. */
function hostIPsOf(ip: string): { ip: string }[] {
  return memoIn(hostIPLists, 100_000, ip, () => [{ ip }]);
}

const imageNames = new Map<string, { image: string; imageID: string }>();

/** containerStatuses' image (with its default tag) and imageID, per image. */
function imageStatus(seed: number, image: string): { image: string; imageID: string } {
  return memoIn(imageNames, 10_000, `${seed}\u0000${image}`, () => ({
    image: image.includes(':') || image.includes('@') ? image : `${image}:latest`,
    imageID: `docker-pullable://${image.split(':')[0]}@${imageId(seed, image)}`,
  }));
}

/**
 * Calico's name for a pod's host-side veth (cni-plugin VethNameForWorkload): `cali` and the
 * first 11 hex digits of SHA-1 over "<namespace>.<pod name>".
 */
export function calicoVethName(namespace: string, name: string): string {
  return `cali${createHash('sha1').update(`${namespace}.${name}`).digest('hex').slice(0, 11)}`;
}

/** The host side of every Calico workload veth: Felix answers ARP for the pod by proxy ARP. */
export const CALICO_HOST_MAC = 'ee:ee:ee:ee:ee:ee';

/**
 * CNI ADD through canal's 10-canal.conflist: Calico's plugin with host-local IPAM on the node's
 * podCIDR (`usePodCidr`; the simulator shares one allocation store with Flannel's bridge, where a
 * real in-place migration keeps a second one), a veth pair `cali…` with no bridge: the pod
 * routes everything via 169.254.1.1, answered by the host side's proxy ARP.
 */
function setupCalicoNetwork(draft: ClusterState, node: Node, agent: NodeAgentState, netnsIds: Set<number | undefined>, pod: Pod, sandboxId: string): PodSandbox['network'] {
  const seed = draft.config.seed;
  const podCIDR = node.spec.podCIDR;
  if (!podCIDR) throw new Error(`failed to allocate for range 0: no IP addresses available in range set: usePodCidr: node "${node.metadata.name}" has no podCIDR`);
  agent.ipam ??= { subnet: podCIDR, allocated: {} };
  const ip = allocate(agent.ipam, sandboxId);
  let netnsId = 0;
  while (netnsIds.has(netnsId)) netnsId++;
  netnsIds.add(netnsId);
  const mtu = agent.flannel?.mtu ?? draft.config.nodeMTU;
  return {
    plugin: 'calico',
    netns: `cni-${seededUuid(seed, 'netns', pod.metadata.uid)}`,
    hostVeth: calicoVethName(pod.metadata.namespace ?? 'default', pod.metadata.name),
    hostIfindex: agent.nextIfindex++,
    hostMac: CALICO_HOST_MAC,
    podIfindex: POD_IFINDEX,
    podMac: seededMac(seed, 'veth-pod', pod.metadata.uid),
    ip,
    netnsId,
    mtu,
    hairpin: false,
  };
}

/** CNI ADD through Flannel's delegate: bridge cni0, host-local IPAM from the node's podCIDR, a veth pair. */
function setupNetwork(draft: ClusterState, node: Node, agent: NodeAgentState, netnsIds: Set<number | undefined>, pod: Pod, sandboxId: string): PodSandbox['network'] {
  if (agent.calico) return setupCalicoNetwork(draft, node, agent, netnsIds, pod, sandboxId);
  const seed = draft.config.seed;
  const podCIDR = node.spec.podCIDR;
  const flannel = agent.flannel;
  if (!podCIDR || !flannel)
    throw new Error(`failed to load flannel 'subnet.env' file: open /run/flannel/subnet.env: no such file or directory. Check the flannel pod log for this node.`);
  agent.ipam ??= { subnet: podCIDR, allocated: {} };
  const ip = allocate(agent.ipam, sandboxId);
  // The bridge plugin creates cni0 on the first ADD.
  if (!agent.cni0) agent.cni0 = { ifindex: agent.nextIfindex++, mac: seededMac(seed, 'cni0', node.metadata.name), mtu: flannel.mtu };
  const hostIfindex = agent.nextIfindex++;
  // The kernel gives a peer namespace the lowest free netnsid (idr_alloc), reused once freed.
  let netnsId = 0;
  while (netnsIds.has(netnsId)) netnsId++;
  netnsIds.add(netnsId);
  return {
    netns: `cni-${seededUuid(seed, 'netns', pod.metadata.uid)}`,
    hostVeth: `veth${seededHex(seed, 8, 'veth', pod.metadata.uid)}`,
    hostIfindex,
    hostMac: seededMac(seed, 'veth-host', pod.metadata.uid),
    podIfindex: POD_IFINDEX,
    podMac: seededMac(seed, 'veth-pod', pod.metadata.uid),
    ip,
    netnsId,
    mtu: flannel.mtu,
    hairpin: flannel.hairpinMode,
  };
}

/** Start a pod's sandbox and containers; reads the plain `pod` (as the sync found it), writes it whole, or its status through `live()` on failure. */
function startPod(draft: ClusterState, node: Node, agent: NodeAgentState, netnsIds: Set<number | undefined>, pod: Pod, live: () => Pod): void {
  const seed = draft.config.seed;
  const now = rfc3339(draft.clock);
  const pause = pauseImage(draft.config.kubernetesVersion);
  const sandbox = newContainer(draft, agent, pod, 'POD', pause, '/pause', 0);
  let network: PodSandbox['network'];
  if (!pod.spec.hostNetwork) {
    try {
      network = setupNetwork(draft, node, agent, netnsIds, pod, sandbox.id);
    } catch (e) {
      // The pod stays ContainerCreating; kubelet retries on the next sync.
      const reason = e instanceof IpamExhaustedError || e instanceof Error ? e.message : String(e);
      const message = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandbox.id}": ${agent.calico ? `plugin type="calico" failed (add): ${reason}` : `plugin type="flannel" failed (add): failed to delegate add: ${reason}`}`;
      const waiting = pod.status.containerStatuses?.[0]?.state.waiting;
      if (!waiting) {
        const status = live().status;
        status.containerStatuses = pod.spec.containers.map((c) => ({
          name: c.name,
          image: c.image,
          imageID: '',
          containerID: '',
          ready: false,
          started: false,
          restartCount: 0,
          state: { waiting: { reason: 'ContainerCreating' } },
        }));
        status.hostIP = nodeInternalIP(node);
        recordEvent(draft, pod, 'Warning', 'FailedCreatePodSandBox', message, 'kubelet');
      }
      return;
    }
  }
  const containers = [sandbox];
  const statuses: ContainerStatus[] = [];
  for (const c of pod.spec.containers) {
    const rc = newContainer(draft, agent, pod, c.name, c.image, containerCommand(c), 0);
    containers.push(rc);
    const { image, imageID } = imageStatus(seed, c.image);
    statuses.push({
      name: c.name,
      image,
      imageID,
      containerID: `${runtimePrefix(draft)}${rc.id}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: startedAlike(now).running,
    });
    if (c.imagePullPolicy === 'Always') {
      recordEvent(draft, pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, 'kubelet');
      const ms = 500 + (seeded(seed, 'pull', c.image) % 2500);
      recordEvent(
        draft,
        pod,
        'Normal',
        'Pulled',
        `Successfully pulled image "${c.image}" in ${ms}ms (${ms}ms including waiting). Image size: ${20_000_000 + (seeded(seed, 'size', c.image) % 80_000_000)} bytes.`,
        'kubelet',
      );
    } else {
      recordEvent(draft, pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, 'kubelet');
    }
    recordEvent(draft, pod, 'Normal', 'Created', `Created container: ${c.name}`, 'kubelet');
    recordEvent(draft, pod, 'Normal', 'Started', `Started container ${c.name}`, 'kubelet');
  }
  const sb: PodSandbox = { podUid: pod.metadata.uid, pod: `${pod.metadata.namespace}/${pod.metadata.name}`, sandboxId: sandbox.id, containers };
  if (network) sb.network = network;
  agent.sandboxes[pod.metadata.uid] = freezeStored(sb);
  const hostIP = nodeInternalIP(node) ?? '';
  const podIP = network ? ipToString(network.ip) : hostIP;
  // Calico's CNI plugin patches the pod at ADD (libcalico-go calcCNIAnnotations): its sandbox's
  // container ID and its addresses, ahead of the kubelet's status.
  const metadata =
    network?.plugin === 'calico'
      ? {
          ...pod.metadata,
          annotations: {
            ...pod.metadata.annotations,
            'cni.projectcalico.org/containerID': sandbox.id,
            'cni.projectcalico.org/podIP': `${podIP}/32`,
            'cni.projectcalico.org/podIPs': `${podIP}/32`,
          },
        }
      : pod.metadata;
  // The pod written whole, as a new object: nothing else has written it in this sync, and
  // rebuilding it costs one copy where editing it through the draft costs a proxy per level.
  putObject(draft, {
    ...pod,
    metadata,
    status: {
      phase: 'Running',
      conditions: startedAlike(now).conditions,
      hostIP,
      hostIPs: hostIPsOf(hostIP),
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: now,
      qosClass: pod.status.qosClass ?? 'BestEffort',
      containerStatuses: statuses,
    },
  });
}

function stopSandbox(agent: NodeAgentState, sb: PodSandbox): void {
  if (sb.network && agent.ipam) release(agent.ipam, sb.network.ip);
  delete agent.sandboxes[sb.podUid];
}

/** Whether the kubelet has taken the pod on (admitted it): it has a sandbox or a status from the kubelet. */
function admitted(agent: NodeAgentState, p: Pod): boolean {
  return agent.sandboxes[p.metadata.uid] !== undefined || p.status.hostIP !== undefined;
}

/**
 * The kubelet's rejection (lifecycle.predicateAdmitHandler, kubelet.rejectPod): NodeResourcesFit's
 * InsufficientResourceError for `pods`, as a Warning event and the pod Failed with reason OutOfpods.
 */
function rejectPod(draft: ClusterState, pod: Pod, live: () => Pod, used: number, capacity: number): void {
  const message = `Node didn't have enough resource: pods, requested: 1, used: ${used}, capacity: ${capacity}`;
  recordEvent(draft, pod, 'Warning', 'OutOfpods', message, 'kubelet');
  const status: PodStatus & { reason: string; message: string } = { phase: 'Failed', reason: 'OutOfpods', message: `Pod was rejected: ${message}` };
  if (pod.status.qosClass) status.qosClass = pod.status.qosClass;
  live().status = status;
}

/**
 * What each node's kubelet has to look at: every pod and sandbox ('all': the node changed, its
 * network came or went, or one of its pods went — a waiting pod may fit now), or only the pods
 * that are new or changed there.
 */
function kubeletWork(delta: NonNullable<ControllerContext['delta']>): Map<string, Set<Pod> | 'all'> {
  const work = new Map<string, Set<Pod> | 'all'>();
  const all = (node: string) => work.set(node, 'all');
  for (const c of delta.of('Pod')) {
    if (c.before?.spec.nodeName && c.after?.metadata.uid !== c.before.metadata.uid) all(c.before.spec.nodeName);
    const node = c.after?.spec.nodeName;
    if (!node) continue;
    const w = work.get(node);
    if (w === undefined) work.set(node, new Set([c.after!]));
    else if (w !== 'all') w.add(c.after!);
  }
  for (const c of delta.nodes) all(c.name);
  for (const c of delta.nodeAgents) if (c.before?.flannel !== c.after?.flannel || c.before?.calico !== c.after?.calico) all(c.name);
  return work;
}

/**
 * The node's agent as one sync writes it: copied once, with its sandboxes and IPAM record, and
 * stored back whole. Written through the draft, each pod started would copy the agent, both
 * records and the agents' bucket again and build a proxy for every level.
 */
function workingAgent(agent: NodeAgentState): NodeAgentState {
  const work: NodeAgentState = { ...agent, sandboxes: copyRecord(agent.sandboxes) };
  if (agent.ipam) work.ipam = { ...agent.ipam, allocated: copyRecord(agent.ipam.allocated) };
  return work;
}

/** One sync of the kubelets (every node's, or those with something new). */
export function reconcileKubelets({ base, draft, delta }: ControllerContext): boolean {
  let changed = false;
  const index = podIndex(base.pods);
  const work = delta && kubeletWork(delta);
  for (const nodeName of work ? inNodeOrder(base.nodeOrder, work.keys()) : base.nodeOrder) {
    const node = base.nodes[nodeName];
    const seen = getAgent(base, nodeName);
    if (!node || !seen) continue;
    let agent: NodeAgentState | undefined;
    const writable = () => (agent ??= workingAgent(seen));
    if (syncNode(draft, base.pods, index, node, seen, writable, work?.get(nodeName) ?? 'all')) changed = true;
    if (agent) putAgent(draft, nodeName, freezeStored(agent));
  }
  return changed;
}

/** One node's kubelet: stops the sandboxes of pods gone, starts those new here; whether it changed anything. */
function syncNode(
  draft: ClusterState,
  pods: ClusterState['pods'],
  index: PodIndex,
  node: Node,
  seen: NodeAgentState,
  writable: () => NodeAgentState,
  scope: Set<Pod> | 'all',
): boolean {
  const nodeName = node.metadata.name;
  let changed = false;
  // The netns ids in use once the sandboxes of deleted pods are gone (gathered when needed).
  let netnsIds: Set<number | undefined> | undefined;
  if (scope === 'all') {
    netnsIds = new Set();
    for (const sb of Object.values(seen.sandboxes)) {
      const at = splitObjectKey(sb.pod);
      if (pods[at.namespace]?.[at.name]?.metadata.uid !== sb.podUid) {
        stopSandbox(writable(), sb);
        changed = true;
      } else netnsIds.add(sb.network?.netnsId);
    }
  }
  // Pods in creation order, as the kubelet's pod workers receive them.
  const candidates = scope === 'all' ? (index.byNode.get(nodeName)?.values() ?? []) : scope;
  const starting = [...candidates].filter((p) => !seen.sandboxes[p.metadata.uid] && podCountsOnNode(p));
  if (starting.length === 0) return changed;
  starting.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  // Pods admitted on this node (read when the first new pod asks), and how many it takes.
  let used = -1;
  const capacity = allowedPodNumber(node);
  for (const snapshot of starting) {
    // Without a CNI, only hostNetwork pods can start (the runtime reports NetworkReady=false).
    if (!snapshot.spec.hostNetwork && !isNodeReady(node)) continue;
    const live = () => draft.pods[snapshot.metadata.namespace ?? 'default']![snapshot.metadata.name]!;
    // Admitted pods are among those holding a place on the node: with fewer places taken than
    // it has, none is turned away and there is nothing to count.
    if (!admitted(seen, snapshot) && (index.placesTaken.get(nodeName) ?? 0) > capacity - 1) {
      if (used < 0) {
        used = 0;
        for (const p of index.byNode.get(nodeName)?.values() ?? []) if (podCountsOnNode(p) && admitted(seen, p)) used++;
      }
      if (used >= capacity) {
        rejectPod(draft, snapshot, live, used, capacity);
        changed = true;
        continue;
      }
      used++;
    }
    netnsIds ??= new Set(Object.values(seen.sandboxes).map((sb) => sb.network?.netnsId));
    const agent = writable();
    const hadWaiting = snapshot.status.containerStatuses?.[0]?.state.waiting !== undefined;
    startPod(draft, node, agent, netnsIds, snapshot, live);
    if (agent.sandboxes[snapshot.metadata.uid] || !hadWaiting) changed = true;
  }
  return changed;
}
