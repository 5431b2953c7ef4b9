// `kubectl get` for the kinds the simulator stores: tables (default, -o wide, -A,
// --show-labels), -o yaml, -o json and -o name.

import type {
  ClusterRole,
  ClusterRoleBinding,
  ConfigMap,
  DaemonSet,
  Deployment,
  Kind,
  KubeObject,
  Namespace,
  Node,
  Pod,
  ReplicaSet,
  ServiceAccount,
} from '../../api/types.js';
import { ALL_KINDS, KINDS, kindFromResource, kindRef, type ResourcePlural } from '../../api/resources.js';
import { toKubectlJson, toKubectlYaml } from './goyaml.js';
import {
  compareStrings,
  findNodeRoles,
  formatLabelSelector,
  formatLabels,
  parseTime,
  podIPs,
  podStatus,
  selectorString,
  since,
  summarizePod,
} from './helpers.js';
import { formatTable, noResourcesFound } from './table.js';

/** A stored kind by its plural resource name (`pods`, `clusterrolebindings`). */
export type ResourceName = ResourcePlural;

export type OutputFormat = 'table' | 'wide' | 'yaml' | 'json' | 'name';

const KIND_BY_RESOURCE = new Map<string, Kind>(ALL_KINDS.map((k) => [KINDS[k].plural, k]));

function kindOf(resource: ResourceName): Kind {
  return KIND_BY_RESOURCE.get(resource)!;
}

/**
 * Maps what a user types (`po`, `pod`, `pods`, `deploy`, `deployments.apps`, `Pod`, `cm`,
 * `clusterrole.rbac.authorization.k8s.io`) to a resource; undefined when it is not one of the
 * kinds the simulator stores.
 */
export function resolveResource(arg: string): ResourceName | undefined {
  const kind = kindFromResource(arg);
  return kind ? (KINDS[kind].plural as ResourceName) : undefined;
}

export function isNamespacedResource(resource: ResourceName): boolean {
  return KINDS[kindOf(resource)].namespaced;
}

export interface GetOptions {
  /** Default 'table'. */
  output?: OutputFormat;
  /** -A / --all-namespaces. */
  allNamespaces?: boolean;
  /** The namespace that was queried, for "No resources found in <ns> namespace." Default "default". */
  namespace?: string;
  /** The simulated clock (ms since the epoch), for AGE. */
  now: number;
  /** --show-labels. */
  showLabels?: boolean;
  /** --no-headers. */
  noHeaders?: boolean;
  /**
   * kubectl prints a lone object as itself for -o yaml/json only when the user named it
   * (`kubectl get pod nginx -o yaml`); a list query (`kubectl get pods -o yaml`) always
   * prints a List, even with one item. Default: true when exactly one object is given.
   */
  singleItemImplied?: boolean;
  /**
   * Sort as the API server lists (etcd key order: namespace/name). Default true; pass
   * false to keep the given order (e.g. `kubectl get pod b a` prints b first).
   */
  sort?: boolean;
}

export interface GetResult {
  stdout: string;
  stderr: string;
}

interface Table {
  header: string[];
  rows: string[][];
}

function containerCells(containers: { name: string; image: string }[]): [string, string] {
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(',')];
}

function podTable(pods: Pod[], wide: boolean, now: number): Table {
  const header = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
  if (wide) header.push('IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES');
  const rows = pods.map((pod) => {
    const s = summarizePod(pod, now);
    const row = [pod.metadata.name, `${s.ready}/${s.total}`, s.reason, s.restarts, since(now, pod.metadata.creationTimestamp)];
    if (wide) {
      row.push(podIPs(pod)[0] || '<none>', pod.spec.nodeName || '<none>', podStatus(pod).nominatedNodeName || '<none>', '<none>');
    }
    return row;
  });
  return { header, rows };
}

function nodeStatus(node: Node): string {
  const status: string[] = [];
  const ready = node.status.conditions.find((c) => c.type === 'Ready');
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node.spec.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeTable(nodes: Node[], wide: boolean, now: number): Table {
  const header = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'];
  if (wide) header.push('INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME');
  const rows = nodes.map((node) => {
    const info = node.status.nodeInfo;
    const row = [
      node.metadata.name,
      nodeStatus(node),
      findNodeRoles(node).join(',') || '<none>',
      since(now, node.metadata.creationTimestamp),
      info.kubeletVersion,
    ];
    if (wide) {
      const addr = (type: string): string => node.status.addresses.find((a) => a.type === type)?.address ?? '<none>';
      row.push(
        addr('InternalIP'),
        addr('ExternalIP'),
        info.osImage || '<unknown>',
        info.kernelVersion || '<unknown>',
        info.containerRuntimeVersion || '<unknown>',
      );
    }
    return row;
  });
  return { header, rows };
}

function namespaceTable(namespaces: Namespace[], now: number): Table {
  return {
    header: ['NAME', 'STATUS', 'AGE'],
    rows: namespaces.map((ns) => [ns.metadata.name, ns.status.phase, since(now, ns.metadata.creationTimestamp)]),
  };
}

function deploymentTable(deployments: Deployment[], wide: boolean, now: number): Table {
  const header = ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'];
  if (wide) header.push('CONTAINERS', 'IMAGES', 'SELECTOR');
  const rows = deployments.map((d) => {
    const row = [
      d.metadata.name,
      `${d.status.readyReplicas ?? 0}/${d.spec.replicas}`,
      String(d.status.updatedReplicas ?? 0),
      String(d.status.availableReplicas ?? 0),
      since(now, d.metadata.creationTimestamp),
    ];
    if (wide) row.push(...containerCells(d.spec.template.spec.containers), selectorString(d.spec.selector));
    return row;
  });
  return { header, rows };
}

function replicaSetTable(sets: ReplicaSet[], wide: boolean, now: number): Table {
  const header = ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'];
  if (wide) header.push('CONTAINERS', 'IMAGES', 'SELECTOR');
  const rows = sets.map((rs) => {
    const row = [
      rs.metadata.name,
      String(rs.spec.replicas),
      String(rs.status.replicas ?? 0),
      String(rs.status.readyReplicas ?? 0),
      since(now, rs.metadata.creationTimestamp),
    ];
    if (wide) row.push(...containerCells(rs.spec.template.spec.containers), formatLabelSelector(rs.spec.selector));
    return row;
  });
  return { header, rows };
}

function daemonSetTable(sets: DaemonSet[], wide: boolean, now: number): Table {
  const header = ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'];
  if (wide) header.push('CONTAINERS', 'IMAGES', 'SELECTOR');
  const rows = sets.map((ds) => {
    const s = ds.status;
    const row = [
      ds.metadata.name,
      String(s.desiredNumberScheduled),
      String(s.currentNumberScheduled),
      String(s.numberReady),
      String(s.updatedNumberScheduled ?? 0),
      String(s.numberAvailable ?? 0),
      formatLabels(ds.spec.template.spec.nodeSelector),
      since(now, ds.metadata.creationTimestamp),
    ];
    if (wide) row.push(...containerCells(ds.spec.template.spec.containers), formatLabelSelector(ds.spec.selector));
    return row;
  });
  return { header, rows };
}

function configMapTable(maps: ConfigMap[], now: number): Table {
  // DATA counts both bags (printConfigMap).
  const count = (cm: ConfigMap): number => Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
  return {
    header: ['NAME', 'DATA', 'AGE'],
    rows: maps.map((cm) => [cm.metadata.name, String(count(cm)), since(now, cm.metadata.creationTimestamp)]),
  };
}

function serviceAccountTable(accounts: ServiceAccount[], now: number): Table {
  // SECRETS is len(.secrets): token Secrets are no longer created for accounts since 1.24.
  const secrets = (sa: ServiceAccount): number => (sa as ServiceAccount & { secrets?: unknown[] }).secrets?.length ?? 0;
  return {
    header: ['NAME', 'SECRETS', 'AGE'],
    rows: accounts.map((sa) => [sa.metadata.name, String(secrets(sa)), since(now, sa.metadata.creationTimestamp)]),
  };
}

/** time.RFC3339 in UTC, as the server-side default table prints CREATED AT (Go's zero time when unset). */
function rfc3339(ts: string | undefined): string {
  const t = parseTime(ts);
  if (t === undefined) return '0001-01-01T00:00:00Z';
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function clusterRoleTable(roles: ClusterRole[]): Table {
  // ClusterRole has no printer of its own: the API server's default table (NAME, CREATED AT).
  return { header: ['NAME', 'CREATED AT'], rows: roles.map((r) => [r.metadata.name, rfc3339(r.metadata.creationTimestamp)]) };
}

function clusterRoleBindingTable(bindings: ClusterRoleBinding[], wide: boolean, now: number): Table {
  const header = ['NAME', 'ROLE', 'AGE'];
  if (wide) header.push('USERS', 'GROUPS', 'SERVICEACCOUNTS');
  const rows = bindings.map((b) => {
    const row = [b.metadata.name, `${b.roleRef.kind}/${b.roleRef.name}`, since(now, b.metadata.creationTimestamp)];
    if (wide) {
      // rbac.SubjectsStrings; ServiceAccounts print as namespace/name.
      const subjects = b.subjects ?? [];
      const names = (kind: string): string =>
        subjects
          .filter((s) => s.kind === kind)
          .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
          .join(', ');
      row.push(names('User'), names('Group'), names('ServiceAccount'));
    }
    return row;
  });
  return { header, rows };
}

function buildTable(resource: ResourceName, objects: KubeObject[], wide: boolean, now: number): Table {
  switch (resource) {
    case 'pods':
      return podTable(objects as Pod[], wide, now);
    case 'nodes':
      return nodeTable(objects as Node[], wide, now);
    case 'namespaces':
      return namespaceTable(objects as Namespace[], now);
    case 'deployments':
      return deploymentTable(objects as Deployment[], wide, now);
    case 'replicasets':
      return replicaSetTable(objects as ReplicaSet[], wide, now);
    case 'daemonsets':
      return daemonSetTable(objects as DaemonSet[], wide, now);
    case 'configmaps':
      return configMapTable(objects as ConfigMap[], now);
    case 'serviceaccounts':
      return serviceAccountTable(objects as ServiceAccount[], now);
    case 'clusterroles':
      return clusterRoleTable(objects as ClusterRole[]);
    case 'clusterrolebindings':
      return clusterRoleBindingTable(objects as ClusterRoleBinding[], wide, now);
  }
}

function storageKey(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

/** Renders `kubectl get <resource>` over the given objects. */
export function renderGet(resource: ResourceName, objects: readonly KubeObject[], opts: GetOptions): GetResult {
  const kind = kindOf(resource);
  const info = { namespaced: KINDS[kind].namespaced, nameKind: kindRef(kind) };
  const output = opts.output ?? 'table';
  const items = opts.sort === false ? [...objects] : [...objects].sort((a, b) => compareStrings(storageKey(a), storageKey(b)));

  if (output === 'yaml' || output === 'json') {
    const single = opts.singleItemImplied ?? items.length === 1;
    const obj =
      single && items.length === 1
        ? items[0]
        : { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
    return { stdout: output === 'yaml' ? toKubectlYaml(obj) : toKubectlJson(obj), stderr: '' };
  }

  // Cluster-scoped kinds never get a namespace, even with -A.
  const withNamespace = info.namespaced && !!opts.allNamespaces;
  const noneFound = (): GetResult => ({
    stdout: '',
    stderr: noResourcesFound(info.namespaced && !opts.allNamespaces ? (opts.namespace ?? 'default') : undefined),
  });
  if (items.length === 0) return noneFound();

  if (output === 'name') {
    return { stdout: items.map((o) => `${info.nameKind}/${o.metadata.name}\n`).join(''), stderr: '' };
  }

  const table = buildTable(resource, items, output === 'wide', opts.now);
  if (withNamespace) {
    table.header.unshift('NAMESPACE');
    table.rows.forEach((row, i) => row.unshift(items[i]!.metadata.namespace ?? ''));
  }
  if (opts.showLabels) {
    table.header.push('LABELS');
    table.rows.forEach((row, i) => row.push(formatLabels(items[i]!.metadata.labels)));
  }
  return { stdout: formatTable(table.header, table.rows, { noHeaders: opts.noHeaders }), stderr: '' };
}
