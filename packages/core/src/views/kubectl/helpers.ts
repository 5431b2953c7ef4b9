// Shared pieces of kubectl's printers: timestamps, label and selector formatting, node
// roles, and the pod STATUS/READY/RESTARTS computation.

import type { Container, ContainerStatus, LabelSelector, Labels, Node, Pod } from '../../api/types.js';
import { humanDuration } from '../../util/golang/apimachinery-duration.js';

// ---------------------------------------------------------------------------------------
// Time

/** Milliseconds since the epoch, or undefined for a missing/unparseable timestamp. */
export function parseTime(ts: string | undefined): number | undefined {
  if (!ts) return undefined;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? undefined : ms;
}

/** translateTimestampSince: HumanDuration(now - ts), "<unknown>" for a zero timestamp. */
export function since(now: number, ts: string | number | undefined): string {
  const t = typeof ts === 'number' ? ts : parseTime(ts);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Go's time.RFC1123Z layout, "Mon, 02 Jan 2006 15:04:05 -0700". kubectl formats in the
 * local zone of the machine it runs on; the simulated workstation runs in UTC. A missing
 * timestamp prints as Go's zero time, as kubectl would.
 */
export function formatRFC1123Z(ts: string | number | undefined): string {
  const t = typeof ts === 'number' ? ts : parseTime(ts);
  if (t === undefined) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(t);
  return (
    `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`
  );
}

// ---------------------------------------------------------------------------------------
// Labels and selectors

/** Go's byte-wise string order (sort.Strings). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** labels.FormatLabels: "k=v,k2=v2" sorted by key, "<none>" when empty. */
export function formatLabels(labels: Labels | undefined): string {
  const keys = Object.keys(labels ?? {}).sort(compareStrings);
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** labels.Selector.String() of LabelSelectorAsSelector; "" for an empty or missing selector. */
export function selectorString(sel: LabelSelector | undefined): string {
  if (!sel) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key, text: `${key}=${value}` });
  for (const expr of sel.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])].sort(compareStrings).join(',');
    switch (expr.operator) {
      case 'In':
        reqs.push({ key: expr.key, text: `${expr.key} in (${values})` });
        break;
      case 'NotIn':
        reqs.push({ key: expr.key, text: `${expr.key} notin (${values})` });
        break;
      case 'Exists':
        reqs.push({ key: expr.key, text: expr.key });
        break;
      case 'DoesNotExist':
        reqs.push({ key: expr.key, text: `!${expr.key}` });
        break;
    }
  }
  return reqs
    .sort((a, b) => compareStrings(a.key, b.key))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: the selector string, "<none>" when it selects nothing specific. */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  return selectorString(sel) || '<none>';
}

// ---------------------------------------------------------------------------------------
// Nodes

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_LABEL_ROLE = 'kubernetes.io/role';

/** findNodeRoles: node-role.kubernetes.io/<role> keys and the legacy kubernetes.io/role value, sorted. */
export function findNodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === NODE_LABEL_ROLE && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort(compareStrings);
}

// ---------------------------------------------------------------------------------------
// Pods
//
// api/types.ts models the container states the simulator produces today (running,
// waiting). The printers also read the fields a real API server would return
// (terminated states, lastState, init container statuses, status.reason, sidecar restart
// policy) when an object carries them, so richer objects print correctly.

export interface TerminatedState {
  reason?: string;
  message?: string;
  exitCode?: number;
  signal?: number;
  startedAt?: string;
  finishedAt?: string;
}

export interface FullContainerState {
  running?: { startedAt?: string };
  waiting?: { reason?: string; message?: string };
  terminated?: TerminatedState;
}

export type FullContainerStatus = Omit<ContainerStatus, 'state'> & {
  state?: FullContainerState;
  lastState?: FullContainerState;
};

export type FullContainer = Container & { restartPolicy?: string };

export type FullPodStatus = Pod['status'] & {
  reason?: string;
  message?: string;
  nominatedNodeName?: string;
  initContainerStatuses?: FullContainerStatus[];
  containerStatuses?: FullContainerStatus[];
};

export function podStatus(pod: Pod): FullPodStatus {
  return pod.status as FullPodStatus;
}

/**
 * The state to show for a container. A status with no state at all in a finished pod is
 * read as terminated (Completed / Error), which is what the kubelet would have reported.
 */
export function effectiveState(cs: FullContainerStatus, pod: Pod): FullContainerState {
  const st = cs.state ?? {};
  if (st.running || st.waiting || st.terminated) return st;
  if (pod.status.phase === 'Succeeded') return { terminated: { reason: 'Completed', exitCode: 0 } };
  if (pod.status.phase === 'Failed') return { terminated: { reason: 'Error', exitCode: 1 } };
  return st;
}

function isRestartableInit(c: FullContainer | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

export interface PodSummary {
  ready: number;
  total: number;
  /** The STATUS column. */
  reason: string;
  /** The RESTARTS column, e.g. "0" or "3 (2m5s ago)". */
  restarts: string;
}

/** printers.go printPod: READY, STATUS and RESTARTS exactly as kubectl derives them. */
export function summarizePod(pod: Pod, now: number): PodSummary {
  const status = podStatus(pod);
  const phase = status.phase;
  let reason: string = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initSpecs = new Map<string, FullContainer>();
  let total = pod.spec.containers.length;
  for (const c of (pod.spec.initContainers ?? []) as FullContainer[]) {
    initSpecs.set(c.name, c);
    if (isRestartableInit(c)) total++;
  }

  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  const finishedAt = (cs: FullContainerStatus): number => parseTime(cs.lastState?.terminated?.finishedAt) ?? 0;

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    const state = effectiveState(cs, pod);
    restarts += cs.restartCount ?? 0;
    if (cs.lastState?.terminated) lastRestart = Math.max(lastRestart, finishedAt(cs));
    const sidecar = isRestartableInit(initSpecs.get(cs.name));
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0;
      if (cs.lastState?.terminated) lastSidecarRestart = Math.max(lastSidecarRestart, finishedAt(cs));
    }
    if (state.terminated && (state.terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && cs.started) {
      if (cs.ready) ready++;
      continue;
    }
    if (state.terminated) {
      const t = state.terminated;
      if (!t.reason) reason = t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode ?? 0}`;
      else reason = `Init:${t.reason}`;
    } else if (state.waiting?.reason && state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${pod.spec.initContainers?.length ?? 0}`;
    }
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      const state = effectiveState(cs, pod);
      restarts += cs.restartCount ?? 0;
      if (cs.lastState?.terminated) lastRestart = Math.max(lastRestart, finishedAt(cs));
      if (state.waiting?.reason) {
        reason = state.waiting.reason;
      } else if (state.terminated?.reason) {
        reason = state.terminated.reason;
      } else if (state.terminated) {
        const t = state.terminated;
        reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? 0}`;
      } else if (cs.ready && state.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose last container completed but another still runs is not "Completed".
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') {
    reason = 'Unknown';
  } else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating';
  }

  const restartsStr = restarts !== 0 && lastRestart !== 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return { ready, total, reason, restarts: restartsStr };
}

/** The first pod IP (status.podIPs, falling back to the legacy status.podIP). */
export function podIPs(pod: Pod): string[] {
  const ips = (pod.status.podIPs ?? []).map((p) => p.ip).filter((ip) => ip);
  if (ips.length === 0 && pod.status.podIP) ips.push(pod.status.podIP);
  return ips;
}
