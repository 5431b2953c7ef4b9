// `kubectl describe node` (describe.go's NodeDescriber), with its resource summary.

import type { Node, Pod, Taint } from '../../../api/types.js';
import type { ClusterEvent } from '../../../state/types.js';
import { compareStrings, findNodeRoles, formatRFC1123Z, parseTime, since } from '../helpers.js';
import { addQuantity, formatQuantity, parseQuantity, quantityValue, ZERO_QUANTITY, type Quantity } from '../quantity.js';
import type { ContainerWithExtras } from './pod.js';
import { PrefixWriter } from './prefix-writer.js';
import { describeEvents, eventsFor, printAnnotationsMultiline, printLabelsMultiline } from './sections.js';

function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

function printTaintsMultiline(w: PrefixWriter, title: string, taints: Taint[] | undefined): void {
  w.write(0, `${title}:\t`);
  if (!taints || taints.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  const sorted = [...taints].sort((a, b) => compareStrings(`${a.effect},${a.key}`, `${b.effect},${b.key}`));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${taintString(t)}\n`);
  });
}

export interface NodeLease {
  holderIdentity?: string;
  acquireTime?: string;
  renewTime?: string;
}

export interface DescribeNodeOptions {
  /**
   * The node's Lease in kube-node-lease. Default: held by the node itself and renewed at
   * its latest condition heartbeat. null omits the section.
   */
  lease?: NodeLease | null;
}

function podResourceTotals(pod: Pod): { requests: Map<string, Quantity>; limits: Map<string, Quantity> } {
  const sum = (field: 'requests' | 'limits'): Map<string, Quantity> => {
    const totals = new Map<string, Quantity>();
    for (const c of pod.spec.containers as ContainerWithExtras[]) {
      for (const [name, text] of Object.entries(c.resources?.[field] ?? {})) {
        const q = parseQuantity(text);
        if (q) totals.set(name, addQuantity(totals.get(name) ?? ZERO_QUANTITY, q));
      }
    }
    // An init container runs alone, so the pod needs the larger of it and the app containers.
    for (const c of (pod.spec.initContainers ?? []) as ContainerWithExtras[]) {
      for (const [name, text] of Object.entries(c.resources?.[field] ?? {})) {
        const q = parseQuantity(text);
        const cur = totals.get(name) ?? ZERO_QUANTITY;
        if (q && q.milli > cur.milli) totals.set(name, q);
      }
    }
    return totals;
  };
  return { requests: sum('requests'), limits: sum('limits') };
}

function percent(part: bigint, whole: bigint): number {
  // int64(float64(part) / float64(whole) * 100)
  return whole === 0n ? 0 : Math.trunc((Number(part) / Number(whole)) * 100);
}

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/**
 * `kubectl describe node`. `pods` may be every pod in the cluster: only non-terminated
 * pods bound to this node are listed. `events` may be the whole event log.
 */
export function describeNode(node: Node, pods: readonly Pod[], events: readonly ClusterEvent[], now: number, opts: DescribeNodeOptions = {}): string {
  const w = new PrefixWriter();
  const meta = node.metadata;
  w.write(0, `Name:\t${meta.name}\n`);
  w.write(0, `Roles:\t${findNodeRoles(node).join(',') || '<none>'}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, `CreationTimestamp:\t${formatRFC1123Z(meta.creationTimestamp)}\n`);
  printTaintsMultiline(w, 'Taints', node.spec.taints);
  w.write(0, `Unschedulable:\t${node.spec.unschedulable ? 'true' : 'false'}\n`);

  if (opts.lease !== null) {
    const heartbeats = node.status.conditions.map((c) => parseTime(c.lastHeartbeatTime) ?? 0);
    const lease = opts.lease ?? {
      holderIdentity: meta.name,
      renewTime: heartbeats.length > 0 ? new Date(Math.max(...heartbeats)).toISOString() : undefined,
    };
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${lease.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${lease.acquireTime ? formatRFC1123Z(lease.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${lease.renewTime ? formatRFC1123Z(lease.renewTime) : '<unset>'}\n`);
  }

  if (node.status.conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of node.status.conditions) {
      w.write(1, `${c.type} \t${c.status} \t${formatRFC1123Z(c.lastHeartbeatTime)} \t${formatRFC1123Z(c.lastTransitionTime)} \t${c.reason} \t${c.message}\n`);
    }
  }

  w.write(0, 'Addresses:\n');
  for (const a of node.status.addresses) w.write(1, `${a.type}:\t${a.address}\n`);

  const printResourceList = (list: Record<string, string>): void => {
    for (const name of Object.keys(list).sort(compareStrings)) w.write(0, `  ${name}:\t${list[name]}\n`);
  };
  if (Object.keys(node.status.capacity).length > 0) {
    w.write(0, 'Capacity:\n');
    printResourceList(node.status.capacity);
  }
  if (Object.keys(node.status.allocatable).length > 0) {
    w.write(0, 'Allocatable:\n');
    printResourceList(node.status.allocatable);
  }

  const info = node.status.nodeInfo;
  w.write(0, 'System Info:\n');
  w.write(0, `  Machine ID:\t${info.machineID}\n`);
  w.write(0, `  System UUID:\t${info.systemUUID}\n`);
  w.write(0, `  Boot ID:\t${info.bootID}\n`);
  w.write(0, `  Kernel Version:\t${info.kernelVersion}\n`);
  w.write(0, `  OS Image:\t${info.osImage}\n`);
  w.write(0, `  Operating System:\t${info.operatingSystem}\n`);
  w.write(0, `  Architecture:\t${info.architecture}\n`);
  w.write(0, `  Container Runtime Version:\t${info.containerRuntimeVersion}\n`);
  w.write(0, `  Kubelet Version:\t${info.kubeletVersion}\n`);
  w.write(0, `  Kube-Proxy Version:\t${info.kubeProxyVersion}\n`);
  if (node.spec.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec.podCIDRs && node.spec.podCIDRs.length > 0) w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);

  describeNodeResource(w, node, pods, now);
  describeEvents(w, eventsFor(events, 'Node', meta.name), now);
  return w.toString();
}

function describeNodeResource(w: PrefixWriter, node: Node, allPods: readonly Pod[], now: number): void {
  const pods = allPods
    .filter((p) => p.spec.nodeName === node.metadata.name && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed')
    .sort((a, b) => compareStrings(`${a.metadata.namespace}/${a.metadata.name}`, `${b.metadata.namespace}/${b.metadata.name}`));
  const allocatable = Object.keys(node.status.allocatable).length > 0 ? node.status.allocatable : node.status.capacity;
  const alloc = (name: string): Quantity => parseQuantity(allocatable[name] ?? '') ?? ZERO_QUANTITY;
  const allocCpuMilli = alloc('cpu').milli;
  const allocMemory = quantityValue(alloc('memory'));

  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const reqs = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  for (const pod of pods) {
    const t = podResourceTotals(pod);
    const get = (m: Map<string, Quantity>, n: string): Quantity => m.get(n) ?? ZERO_QUANTITY;
    const cpuReq = get(t.requests, 'cpu');
    const cpuLim = get(t.limits, 'cpu');
    const memReq = get(t.requests, 'memory');
    const memLim = get(t.limits, 'memory');
    w.write(
      1,
      `${pod.metadata.namespace ?? ''}\t${pod.metadata.name}\t\t` +
        `${formatQuantity(cpuReq)} (${percent(cpuReq.milli, allocCpuMilli)}%)\t` +
        `${formatQuantity(cpuLim)} (${percent(cpuLim.milli, allocCpuMilli)}%)\t` +
        `${formatQuantity(memReq)} (${percent(quantityValue(memReq), allocMemory)}%)\t` +
        `${formatQuantity(memLim)} (${percent(quantityValue(memLim), allocMemory)}%)\t` +
        `${since(now, pod.metadata.creationTimestamp)}\n`,
    );
    for (const [src, dst] of [
      [t.requests, reqs],
      [t.limits, limits],
    ] as const) {
      for (const [name, q] of src) dst.set(name, addQuantity(dst.get(name) ?? ZERO_QUANTITY, q));
    }
  }

  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  const total = (m: Map<string, Quantity>, n: string): Quantity => m.get(n) ?? ZERO_QUANTITY;
  const row = (name: string, byValue: boolean): void => {
    const r = total(reqs, name);
    const l = total(limits, name);
    const a = alloc(name);
    const [rv, lv, av] = byValue ? [quantityValue(r), quantityValue(l), quantityValue(a)] : [r.milli, l.milli, a.milli];
    w.write(1, `${name}\t${formatQuantity(r)} (${percent(rv, av)}%)\t${formatQuantity(l)} (${percent(lv, av)}%)\n`);
  };
  row('cpu', false);
  row('memory', true);
  row('ephemeral-storage', true);
  const names = Object.keys(allocatable).sort(compareStrings);
  for (const name of names.filter((n) => n.startsWith('hugepages-'))) row(name, true);
  for (const name of names.filter((n) => !n.startsWith('hugepages-') && !STANDARD_CONTAINER_RESOURCES.has(n) && n !== 'pods')) {
    w.write(1, `${name}\t${formatQuantity(total(reqs, name))}\t${formatQuantity(total(limits, name))}\n`);
  }
}
