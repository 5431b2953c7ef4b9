// `kubectl describe pod` (describe.go's PodDescriber).

import type { Pod, Toleration } from '../../../api/types.js';
import type { ClusterEvent } from '../../../state/types.js';
import { compareStrings, effectiveState, formatRFC1123Z, podIPs, podStatus, since, type FullContainer, type FullContainerState, type FullContainerStatus } from '../helpers.js';
import { PrefixWriter } from './prefix-writer.js';
import { describeEvents, eventsFor, printAnnotationsMultiline, printLabelsMultiline } from './sections.js';

function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: Toleration[] | undefined): void {
  w.write(0, `${title}:\t`);
  if (!tolerations || tolerations.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  const sorted = [...tolerations].sort((a, b) => compareStrings(a.key ?? '', b.key ?? ''));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    let text = t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    // operator Exists with no value: "op=Exists" (alone when it tolerates everything).
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined) text += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${text}\n`);
  });
}

/** The container fields describe reads beyond FullContainer (the node describer sums resources). */
export type ContainerWithExtras = FullContainer & {
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
};

function describeState(w: PrefixWriter, title: string, state: FullContainerState, pod: Pod): void {
  if (state.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${formatRFC1123Z(state.running.startedAt)}\n`);
  } else if (state.waiting) {
    w.write(2, `${title}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state.terminated) {
    const t = state.terminated;
    w.write(2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal) w.write(3, `Signal:\t${t.signal}\n`);
    // A synthesised state (see effectiveState) has no times: fall back to the pod's.
    const ready = pod.status.conditions?.find((c) => c.type === 'Ready');
    w.write(3, `Started:\t${formatRFC1123Z(t.startedAt ?? pod.status.startTime)}\n`);
    w.write(3, `Finished:\t${formatRFC1123Z(t.finishedAt ?? ready?.lastTransitionTime)}\n`);
  } else {
    w.write(2, `${title}:\tWaiting\n`);
  }
}

function describeContainers(w: PrefixWriter, label: string, containers: ContainerWithExtras[], statuses: FullContainerStatus[], pod: Pod): void {
  const byName = new Map(statuses.map((s) => [s.name, s]));
  w.write(0, `${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const cs = byName.get(c.name);
    w.write(1, `${c.name}:\n`);
    if (cs) w.write(2, `Container ID:\t${cs.containerID}\n`);
    w.write(2, `Image:\t${c.image}\n`);
    if (cs) w.write(2, `Image ID:\t${cs.imageID}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
    if (c.command && c.command.length > 0) {
      w.write(2, 'Command:\n');
      for (const part of c.command) for (const line of part.split('\n')) w.write(3, `${line}\n`);
    }
    if (c.args && c.args.length > 0) {
      w.write(2, 'Args:\n');
      for (const part of c.args) for (const line of part.split('\n')) w.write(3, `${line}\n`);
    }
    if (cs) {
      describeState(w, 'State', effectiveState(cs, pod), pod);
      if (cs.lastState?.terminated) describeState(w, 'Last State', cs.lastState, pod);
      w.write(2, `Ready:\t${cs.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${cs.restartCount ?? 0}\n`);
    }
    for (const [title, list] of [
      ['Limits', c.resources?.limits],
      ['Requests', c.resources?.requests],
    ] as const) {
      const names = Object.keys(list ?? {}).sort(compareStrings);
      if (names.length > 0) w.write(2, `${title}:\n`);
      for (const n of names) w.write(3, `${n}:\t${list![n]}\n`);
    }
    const env = c.env ?? [];
    w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
    for (const e of env) {
      (e.value ?? '').split('\n').forEach((line, i) => {
        w.write(3, i === 0 ? `${e.name}:\t${line}\n` : `\t${line}\n`);
      });
    }
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => compareStrings(a.mountPath, b.mountPath));
    w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of mounts) {
      const flags = [m.readOnly ? 'ro' : 'rw'];
      if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
      w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
    }
  }
}

/**
 * `kubectl describe pod`. `events` may be the whole event log: only the pod's own events
 * are shown.
 */
export function describePod(pod: Pod, events: readonly ClusterEvent[], now: number): string {
  const w = new PrefixWriter();
  const status = podStatus(pod);
  const meta = pod.metadata;
  w.write(0, `Name:\t${meta.name}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  if (pod.spec.priority !== undefined) w.write(0, `Priority:\t${pod.spec.priority}\n`);
  if (pod.spec.priorityClassName) w.write(0, `Priority Class Name:\t${pod.spec.priorityClassName}\n`);
  if (pod.spec.serviceAccountName) w.write(0, `Service Account:\t${pod.spec.serviceAccountName}\n`);
  w.write(0, pod.spec.nodeName ? `Node:\t${pod.spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${formatRFC1123Z(status.startTime)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    // deletionTimestamp lies in the future while the grace period runs, so real kubectl
    // prints "lasts <invalid>" here; that is reproduced, not fixed.
    w.write(0, `Status:\tTerminating (lasts ${since(now, meta.deletionTimestamp)})\n`);
    const grace = (meta as { deletionGracePeriodSeconds?: number }).deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds;
    w.write(0, `Termination Grace Period:\t${grace}s\n`);
  } else {
    w.write(0, `Status:\t${status.phase}\n`);
  }
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  const ips = podIPs(pod);
  w.write(0, `IP:\t${status.podIP ?? ips[0] ?? ''}\n`);
  if (ips.length === 0) {
    w.write(0, 'IPs:\t<none>\n');
  } else {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.write(1, `IP:\t${ip}\n`);
  }
  const owner = meta.ownerReferences?.find((r) => r.controller);
  if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);

  const initContainers = (pod.spec.initContainers ?? []) as ContainerWithExtras[];
  if (initContainers.length > 0) describeContainers(w, 'Init Containers', initContainers, status.initContainerStatuses ?? [], pod);
  describeContainers(w, 'Containers', pod.spec.containers as ContainerWithExtras[], status.containerStatuses ?? [], pod);

  const conditions = status.conditions ?? [];
  if (conditions.length > 0) {
    // The trailing spaces after each cell are kubectl's own ("%v \t%v \n").
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  w.write(0, 'Volumes:\t<none>\n');
  w.write(0, `QoS Class:\t${status.qosClass ?? 'BestEffort'}\n`);
  printLabelsMultiline(w, 'Node-Selectors', pod.spec.nodeSelector);
  printTolerationsMultiline(w, 'Tolerations', pod.spec.tolerations);
  describeEvents(w, eventsFor(events, 'Pod', meta.name, meta.namespace ?? ''), now);
  return w.toString();
}
