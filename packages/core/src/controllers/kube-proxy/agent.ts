// kube-proxy's life on each node, as its DaemonSet pod's container lives it. When the kubelet
// starts a kube-proxy pod (a sandbox with a `kube-proxy` container), the container reads its
// config file — the key --config names (config.conf) of the kube-system/kube-proxy ConfigMap,
// mounted at /var/lib/kube-proxy — once, and runs with it: editing the ConfigMap later changes
// nothing until the pod is replaced (`kubectl rollout restart`, `kubectl delete pod`). What it
// read is recorded on the node agent (state/node-agent.ts KubeProxyNodeState).
//
// A configuration kube-proxy refuses makes the container exit at once: the kubelet restarts it
// with its back-off (immediately, then 10 s, 20 s, 40 s … up to 5 min), the pod shows
// CrashLoopBackOff, and each restart reads the file again (so fixing the ConfigMap heals it at
// the next restart; the kubelet's delay in refreshing the mounted file is not modelled). While
// it crashes, and once its pod is gone, the node keeps the rules the last running kube-proxy
// wrote — kube-proxy does not clean up on exit — frozen with the Services as they were then.
// A missing ConfigMap keeps the container from starting (ContainerCreating, FailedMount).
// Modes other than iptables (ipvs, nftables) are read and validated but not simulated: the node
// keeps its previous rules.

import type { Pod, PodCondition } from '../../api/types.js';
import { KUBE_PROXY_CONFIG_DIR, KUBE_PROXY_CONFIG_KEY, readKubeProxyConfiguration } from '../../addons/kube-proxy-config.js';
import type { KubeProxyNodeState, NodeAgentState } from '../../state/node-agent.js';
import { memoIn } from '../../util/memo.js';
import { getAgent, putAgent, rfc3339, splitObjectKey } from '../../state/store.js';
import type { ClusterState } from '../../state/types.js';
import { seededHex } from '../../util/seeded.js';
import type { ControllerContext } from '../context.js';
import { recordEvent } from '../events.js';
import { inNodeOrder, podIndex } from '../indexes.js';

/** The ConfigMap kubeadm's DaemonSet mounts at /var/lib/kube-proxy. */
export const KUBE_PROXY_CONFIGMAP = 'kube-proxy';

/** Whether a pod runs kube-proxy (kubeadm's DaemonSet: one container named kube-proxy). */
export function isKubeProxyPod(p: Pod): boolean {
  return p.spec.containers.some((c) => c.name === 'kube-proxy');
}

/** The config file the container's `--config` flag names, as a key of the mounted ConfigMap. */
function configKey(p: Pod): { key: string; path: string } {
  const c = p.spec.containers.find((x) => x.name === 'kube-proxy');
  const args = [...(c?.command ?? []), ...(c?.args ?? [])];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const path = a.startsWith('--config=') ? a.slice('--config='.length) : a === '--config' ? args[i + 1] : undefined;
    if (path !== undefined) return { key: path.startsWith(`${KUBE_PROXY_CONFIG_DIR}/`) ? path.slice(KUBE_PROXY_CONFIG_DIR.length + 1) : '', path };
  }
  return { key: KUBE_PROXY_CONFIG_KEY, path: `${KUBE_PROXY_CONFIG_DIR}/${KUBE_PROXY_CONFIG_KEY}` };
}

/** The kubelet's container back-off after the k-th restart (10 s doubling, at most 5 min), in seconds. */
export function backOffSeconds(k: number): number {
  return Math.min(10 * 2 ** Math.max(0, k - 1), 300);
}

/** When restart k (k ≥ 1) of a container that first crashed at `crashedAt` happens: at once, then after each back-off. */
export function restartTime(crashedAt: number, k: number): number {
  let t = crashedAt + 1000;
  for (let i = 2; i <= k; i++) t += backOffSeconds(i - 1) * 1000;
  return t;
}

/** How many times the kubelet has restarted a container that crashes at every start, by `now`. */
export function restartsBy(crashedAt: number, now: number): number {
  if (now < crashedAt + 1000) return 0;
  let k = 1;
  let t = crashedAt + 1000;
  // Past the 5-minute cap restarts are evenly spaced: count them without walking each one.
  while (k < 6) {
    const next = t + backOffSeconds(k) * 1000;
    if (next > now) return k;
    t = next;
    k++;
  }
  return k + Math.floor((now - t) / 300_000);
}

/** Go's time.Duration String() for whole seconds: 10s, 1m20s, 5m0s. */
function goDuration(seconds: number): string {
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

type Read = { config: NonNullable<KubeProxyNodeState['config']>; modeDefaulted: boolean } | { error: string; modeDefaulted: boolean } | { missingConfigMap: string };

// Every node's kube-proxy reads the same file: parse each text once (the result is only read).
const parsedConfigs = new Map<string, ReturnType<typeof readKubeProxyConfiguration>>();

function parsedConfig(text: string): ReturnType<typeof readKubeProxyConfiguration> {
  return memoIn(parsedConfigs, 16, text, readKubeProxyConfiguration);
}

/** What the container reads from its mounted config file now. */
function readConfig(base: ClusterState, pod: Pod): Read {
  const ns = pod.metadata.namespace ?? 'default';
  const cm = base.configMaps[ns]?.[KUBE_PROXY_CONFIGMAP];
  if (!cm) return { missingConfigMap: KUBE_PROXY_CONFIGMAP };
  const { key, path } = configKey(pod);
  const text = key ? cm.data?.[key] : undefined;
  if (text === undefined) return { error: `failed complete: open ${path}: no such file or directory`, modeDefaulted: false };
  const r = parsedConfig(text);
  return r.ok ? { config: r.config, modeDefaulted: r.modeDefaulted } : { error: r.error, modeDefaulted: r.modeDefaulted };
}

/** The rules left on the node when its kube-proxy stops syncing: frozen with the Services as they are now. */
function frozenRules(base: ClusterState, prev: KubeProxyNodeState | undefined): KubeProxyNodeState['programmed'] {
  const p = prev?.programmed;
  if (!p) return undefined;
  return p.frozen ? p : { config: p.config, frozen: { services: base.services, endpointSlices: base.endpointSlices } };
}

function containerId(base: ClusterState, pod: Pod, attempt: number): string {
  return `${base.config.containerRuntime === 'docker' ? 'docker' : 'containerd'}://${seededHex(base.config.seed, 64, 'container', pod.metadata.uid, 'kube-proxy', attempt)}`;
}

function conditions(pod: Pod, ready: boolean, now: string): PodCondition[] {
  const out: PodCondition[] = [];
  for (const c of pod.status.conditions ?? []) {
    if (c.type !== 'Ready' && c.type !== 'ContainersReady') {
      out.push(c);
      continue;
    }
    const was = c.status === 'True';
    if (was === ready) out.push(c);
    else if (ready) out.push({ type: c.type, status: 'True', lastTransitionTime: now });
    else out.push({ type: c.type, status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [kube-proxy]', lastTransitionTime: now });
  }
  return out;
}

/** The pod's status for a kube-proxy container that runs since `startedAt` after `restarts` restarts. */
function runningStatus(base: ClusterState, pod: Pod, startedAt: number, restarts: number, lastCrash: number | undefined): Pod['status'] {
  const cs = pod.status.containerStatuses?.[0];
  const now = rfc3339(base.clock);
  const status: Pod['status'] = {
    ...pod.status,
    phase: 'Running',
    conditions: conditions(pod, true, now),
    containerStatuses: [
      {
        name: 'kube-proxy',
        image: cs?.image ?? pod.spec.containers[0]!.image,
        imageID: cs?.imageID ?? '',
        containerID: containerId(base, pod, restarts),
        ready: true,
        started: true,
        restartCount: restarts,
        state: { running: { startedAt: rfc3339(startedAt) } },
        ...(lastCrash !== undefined
          ? {
              lastState: {
                terminated: { exitCode: 1, reason: 'Error', startedAt: rfc3339(lastCrash), finishedAt: rfc3339(lastCrash), containerID: containerId(base, pod, restarts - 1) },
              },
            }
          : {}),
      },
    ],
  };
  return status;
}

/** The pod's status while its container crashes at every start (CrashLoopBackOff once restarted). */
function crashStatus(base: ClusterState, pod: Pod, crashedAt: number, restarts: number): Pod['status'] {
  const cs = pod.status.containerStatuses?.[0];
  const now = rfc3339(base.clock);
  const last = restarts === 0 ? crashedAt : restartTime(crashedAt, restarts);
  const terminated = { exitCode: 1, reason: 'Error', startedAt: rfc3339(last), finishedAt: rfc3339(last), containerID: containerId(base, pod, restarts) };
  const ns = pod.metadata.namespace ?? 'default';
  return {
    ...pod.status,
    phase: 'Running',
    conditions: conditions(pod, false, now),
    containerStatuses: [
      {
        name: 'kube-proxy',
        image: cs?.image ?? pod.spec.containers[0]!.image,
        imageID: cs?.imageID ?? '',
        containerID: containerId(base, pod, restarts),
        ready: false,
        started: false,
        restartCount: restarts,
        ...(restarts === 0
          ? { state: { terminated } }
          : {
              state: {
                waiting: {
                  reason: 'CrashLoopBackOff',
                  message: `back-off ${goDuration(backOffSeconds(restarts))} restarting failed container=kube-proxy pod=${pod.metadata.name}_${ns}(${pod.metadata.uid})`,
                },
              },
              lastState: { terminated },
            }),
      },
    ],
  };
}

/**
 * The status of a pod whose ConfigMap volume cannot be mounted: its container never starts. A
 * host-network pod still shows the node's address (the kubelet's generateAPIPodStatus).
 */
function creatingStatus(pod: Pod, now: string): Pod['status'] {
  const cs = pod.status.containerStatuses?.[0];
  return {
    ...pod.status,
    phase: 'Pending',
    conditions: conditions(pod, false, now),
    containerStatuses: [
      {
        name: 'kube-proxy',
        image: cs?.image ?? pod.spec.containers[0]!.image,
        imageID: '',
        containerID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } },
      },
    ],
  };
}

/**
 * The kubelet's container-start events for a pod whose volume then failed to mount: its container
 * never started, so the Pulled/Created/Started it logged on the way (this instant) are withdrawn.
 */
function withdrawStartEvents(draft: ClusterState, pod: Pod): void {
  const ns = pod.metadata.namespace;
  const log = draft.events;
  for (let i = Math.max(0, log.length - 2); i < log.length; i++) {
    const chunk = log[i]!;
    const kept = chunk.filter(
      (e) => !(e.kind === 'Pod' && e.name === pod.metadata.name && e.namespace === ns && e.time === draft.clock && /^(Pulling|Pulled|Created|Started)$/.test(e.reason)),
    );
    if (kept.length !== chunk.length) log[i] = kept;
  }
}

/** The kube-proxy pod the kubelet runs on the node: the newest with a sandbox there. */
function kubeProxyPodOn(pods: Iterable<Pod>, agent: NodeAgentState): Pod | undefined {
  let best: Pod | undefined;
  for (const p of pods) {
    if (!isKubeProxyPod(p) || !agent.sandboxes[p.metadata.uid]) continue;
    if (
      !best ||
      p.metadata.creationTimestamp > best.metadata.creationTimestamp ||
      (p.metadata.creationTimestamp === best.metadata.creationTimestamp && p.metadata.name > best.metadata.name)
    )
      best = p;
  }
  return best;
}

/** Nodes to look at: those of changed kube-proxy pods and of changed nodes; crash-looping or waiting ones when time passes or a ConfigMap changes. */
function dirtyNodes(base: ClusterState, delta: NonNullable<ControllerContext['delta']>): string[] {
  const out = new Set<string>();
  for (const c of delta.of('Pod')) {
    if (c.before?.spec.nodeName && isKubeProxyPod(c.before)) out.add(c.before.spec.nodeName);
    if (c.after?.spec.nodeName && isKubeProxyPod(c.after)) out.add(c.after.spec.nodeName);
  }
  for (const c of delta.nodes) out.add(c.name);
  for (const c of delta.nodeAgents) {
    if (c.before?.sandboxes === c.after?.sandboxes) continue;
    // Other pods starting on the node change its sandboxes too; what matters here is the
    // kube-proxy pod's (a new kube-proxy pod is a changed pod, above).
    const uid = c.after?.kubeProxy?.podUid;
    if (uid === undefined || !c.before?.sandboxes[uid] !== !c.after?.sandboxes[uid]) out.add(c.name);
  }
  if (delta.clockChanged || delta.of('ConfigMap').length > 0) {
    for (const name of base.nodeOrder) {
      const rec = getAgent(base, name)?.kubeProxy;
      if (rec && (rec.error !== undefined || rec.waitingForConfigMap !== undefined)) out.add(name);
    }
  }
  return inNodeOrder(base.nodeOrder, out);
}

/**
 * When the kubelet next restarts a crash-looping kube-proxy whose restart would read something
 * other than what it failed on (its ConfigMap was fixed or changed since): work the clock brings
 * (controllers/timers.ts). A container that would fail the same way again is not such work: a
 * crash loop never settles, and `settle` leaves it to the clock. Undefined: nothing pending.
 */
export function kubeProxyTimer(state: ClusterState): number | undefined {
  let due: number | undefined;
  for (const name of state.nodeOrder) {
    const rec = getAgent(state, name)?.kubeProxy;
    if (!rec || rec.error === undefined || rec.crashedAt === undefined) continue;
    const where = splitObjectKey(rec.pod);
    const pod = state.pods[where.namespace]?.[where.name];
    if (!pod || pod.metadata.uid !== rec.podUid) continue;
    const read = readConfig(state, pod);
    if ('missingConfigMap' in read || ('error' in read && read.error === rec.error)) continue;
    const at = restartTime(rec.crashedAt, (pod.status.containerStatuses?.[0]?.restartCount ?? 0) + 1);
    if (at > state.clock && (due === undefined || at < due)) due = at;
  }
  return due;
}

export function reconcileKubeProxy({ base, draft, delta }: ControllerContext): boolean {
  let changed = false;
  const index = podIndex(base.pods);
  const setStatus = (pod: Pod, status: Pod['status']): void => {
    draft.pods[pod.metadata.namespace ?? 'default']![pod.metadata.name]!.status = status;
    changed = true;
  };
  for (const name of delta ? dirtyNodes(base, delta) : base.nodeOrder) {
    const agent = getAgent(base, name);
    if (!agent || !base.nodes[name]) continue;
    const rec = agent.kubeProxy;
    const pod = kubeProxyPodOn(index.byNode.get(name)?.values() ?? [], agent);
    const put = (next: KubeProxyNodeState): void => {
      putAgent(draft, name, { ...getAgent(draft, name)!, kubeProxy: next });
      changed = true;
    };

    if (!pod) {
      // Gone: the rules it wrote stay, no longer synced.
      if (rec?.programmed && !rec.programmed.frozen) put({ ...rec, programmed: frozenRules(base, rec)! });
      continue;
    }

    const key = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
    const uid = pod.metadata.uid;
    // The container starts (or restarts) at `at` and reads its config file.
    const start = (at: number, restarts: number, lastCrash: number | undefined, crashedAt: number | undefined): void => {
      const read = readConfig(base, pod);
      if ('missingConfigMap' in read) {
        const next: KubeProxyNodeState = { pod: key, podUid: uid, startedAt: at, waitingForConfigMap: read.missingConfigMap };
        const frozen = frozenRules(base, rec);
        if (frozen) next.programmed = frozen;
        if (rec?.podUid !== uid || rec.waitingForConfigMap === undefined) {
          withdrawStartEvents(draft, pod);
          recordEvent(draft, pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "kube-proxy" : configmap "${read.missingConfigMap}" not found`, 'kubelet');
          setStatus(pod, creatingStatus(pod, rfc3339(base.clock)));
          put(next);
        }
        return;
      }
      if ('error' in read) {
        const first = crashedAt ?? at;
        const next: KubeProxyNodeState = { pod: key, podUid: uid, startedAt: at, error: read.error, modeDefaulted: read.modeDefaulted, crashedAt: first };
        const frozen = frozenRules(base, rec);
        if (frozen) next.programmed = frozen;
        if (crashedAt === undefined)
          recordEvent(draft, pod, 'Warning', 'BackOff', `Back-off restarting failed container kube-proxy in pod ${pod.metadata.name}_${pod.metadata.namespace}(${uid})`, 'kubelet');
        setStatus(pod, crashStatus(base, pod, first, restarts));
        put(next);
        return;
      }
      const next: KubeProxyNodeState = { pod: key, podUid: uid, startedAt: at, config: read.config, modeDefaulted: read.modeDefaulted };
      // Only the iptables proxier is simulated: in another mode the node keeps what it had.
      const programmed = read.config.mode === 'iptables' ? { config: read.config } : frozenRules(base, rec);
      if (programmed) next.programmed = programmed;
      if (restarts > 0 || pod.status.phase !== 'Running' || pod.status.containerStatuses?.[0]?.ready === false) setStatus(pod, runningStatus(base, pod, at, restarts, lastCrash));
      put(next);
    };

    if (rec?.podUid !== uid) {
      start(base.clock, 0, undefined, undefined);
      continue;
    }
    if (rec.waitingForConfigMap !== undefined) {
      if (base.configMaps[pod.metadata.namespace ?? 'default']?.[rec.waitingForConfigMap]) start(base.clock, 0, undefined, undefined);
      continue;
    }
    if (rec.error !== undefined && rec.crashedAt !== undefined) {
      const seen = pod.status.containerStatuses?.[0]?.restartCount ?? 0;
      const now = restartsBy(rec.crashedAt, base.clock);
      if (now === seen) continue;
      // Restarted (possibly several times since last looked): the latest restart reads the file again.
      const at = restartTime(rec.crashedAt, now);
      const lastCrash = now === 1 ? rec.crashedAt : restartTime(rec.crashedAt, now - 1);
      start(at, now, lastCrash, rec.crashedAt);
    }
  }
  return changed;
}
