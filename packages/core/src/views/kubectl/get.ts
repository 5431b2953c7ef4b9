// `kubectl get` for the kinds the simulator stores: tables (default, -o wide, -A,
// --show-labels), -o yaml, -o json and -o name.

import type {
  ClusterRole,
  ClusterRoleBinding,
  ConfigMap,
  DaemonSet,
  Deployment,
  EndpointSlice,
  Endpoints,
  Ingress,
  IngressClass,
  NetworkPolicy,
  Kind,
  KubeObject,
  Namespace,
  Node,
  Pod,
  ReplicaSet,
  Service,
  ServiceAccount,
} from '../../api/types.js';
import { ALL_KINDS, KINDS, kindFromResource, kindRef, type ResourcePlural } from '../../api/resources.js';
import { deprecationWarning } from '../../api/kinds.js';
import { toKubectlJson, toKubectlYaml } from './goyaml.js';
import { compareStrings, findNodeRoles, formatLabelSelector, formatLabels, parseTime, podIPs, podStatus, selectorString, since, summarizePod } from './helpers.js';
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
  /** Cluster version: selects the API server's deprecation warnings (v1 Endpoints from 1.33). */
  kubernetesVersion?: string;
  /**
   * Column widths the output's tabwriter remembers from earlier output (`kubectl get -w`
   * reuses one writer, so rows stay as wide as the table before them). Pass [] to start
   * remembering: the result then carries the widths to hand to the next row. Not modified.
   */
  columnWidths?: readonly number[];
}

export interface GetResult {
  stdout: string;
  stderr: string;
  /** Table output with `columnWidths` given: the remembered widths after this output (for the next watch row). */
  columnWidths?: number[];
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
    const row = [node.metadata.name, nodeStatus(node), findNodeRoles(node).join(',') || '<none>', since(now, node.metadata.creationTimestamp), info.kubeletVersion];
    if (wide) {
      const addr = (type: string): string => node.status.addresses.find((a) => a.type === type)?.address ?? '<none>';
      row.push(addr('InternalIP'), addr('ExternalIP'), info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>');
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
    const row = [rs.metadata.name, String(rs.spec.replicas), String(rs.status.replicas ?? 0), String(rs.status.readyReplicas ?? 0), since(now, rs.metadata.creationTimestamp)];
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

// ---------------------------------------------------------------------------------------
// Services, Endpoints, EndpointSlices (printers.go printService, printEndpoints, printEndpointSlice)

/** printers.go loadBalancerWidth: EXTERNAL-IP's load-balancer part is cut to this without -o wide. */
const LOAD_BALANCER_WIDTH = 16;

/**
 * loadBalancerStatusStringer (Services) and ingressLoadBalancerStatusStringer (Ingresses):
 * distinct ingress IPs (hostname when no IP), sorted, comma-joined.
 */
function loadBalancerStatusString(obj: Service | Ingress, wide: boolean): string {
  const set = new Set<string>();
  for (const ing of obj.status?.loadBalancer?.ingress ?? []) {
    if (ing.ip) set.add(ing.ip);
    else if (ing.hostname) set.add(ing.hostname);
  }
  const r = [...set].sort(compareStrings).join(',');
  return !wide && r.length > LOAD_BALANCER_WIDTH ? `${r.slice(0, LOAD_BALANCER_WIDTH - 3)}...` : r;
}

/** getServiceExternalIP: only the load balancer's part is cut; externalIPs print whole. */
export function serviceExternalIP(svc: Service, wide: boolean): string {
  const externalIPs = svc.spec.externalIPs ?? [];
  switch (svc.spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerStatusString(svc, wide);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
  }
  return '<unknown>';
}

/** makePortString: `80/TCP`, `80:30080/TCP`, comma-joined. */
export function servicePortsString(svc: Service): string {
  const s = (svc.spec.ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
  return s || '<none>';
}

function serviceTable(services: Service[], wide: boolean, now: number): Table {
  const header = ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'];
  if (wide) header.push('SELECTOR');
  const rows = services.map((svc) => {
    const row = [
      svc.metadata.name,
      svc.spec.type,
      // Servers before 1.20 had only the singular field.
      svc.spec.clusterIPs?.[0] ?? (svc.spec.clusterIP || '<none>'),
      serviceExternalIP(svc, wide),
      servicePortsString(svc),
      since(now, svc.metadata.creationTimestamp),
    ];
    if (wide) row.push(formatLabels(svc.spec.selector));
    return row;
  });
  return { header, rows };
}

/** net.JoinHostPort: IPv6 addresses in brackets. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const MAX_LISTED = 3;

/**
 * formatEndpoints: `ip:port` for each port of each subset (ready addresses only), at most three,
 * then ` + N more...`. `<none>` only when there are no subsets at all. `portNames` limits the
 * ports considered (kubectl describe service passes the port's name).
 */
export function formatEndpoints(ep: Pick<Endpoints, 'subsets'>, portNames?: ReadonlySet<string>): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      // Headless services may have no ports.
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === MAX_LISTED) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ports) {
      if (portNames && !portNames.has(port.name ?? '')) continue;
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === MAX_LISTED) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - MAX_LISTED} more...` : ret;
}

/** listWithMoreString: `<unset>` when empty. */
function listWithMore(list: string[], more: boolean, count: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - MAX_LISTED} more...`;
  return ret || '<unset>';
}

/** formatDiscoveryPorts: the port number, else its name, else `*`. */
function formatDiscoveryPorts(ports: EndpointSlice['ports']): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const p of ports ?? []) {
    if (list.length < MAX_LISTED) list.push(p.port !== undefined ? String(p.port) : (p.name ?? '*'));
    else if (list.length === MAX_LISTED) more = true;
    count++;
  }
  return listWithMore(list, more, count);
}

/** formatDiscoveryEndpoints: every address of every endpoint, whatever its conditions. */
function formatDiscoveryEndpoints(endpoints: EndpointSlice['endpoints']): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const e of endpoints ?? []) {
    for (const a of e.addresses) {
      if (list.length < MAX_LISTED) list.push(a);
      else if (list.length === MAX_LISTED) more = true;
      count++;
    }
  }
  return listWithMore(list, more, count);
}

function endpointsTable(list: Endpoints[], now: number): Table {
  return {
    header: ['NAME', 'ENDPOINTS', 'AGE'],
    rows: list.map((ep) => [ep.metadata.name, formatEndpoints(ep), since(now, ep.metadata.creationTimestamp)]),
  };
}

function endpointSliceTable(slices: EndpointSlice[], now: number): Table {
  return {
    header: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    rows: slices.map((s) => [s.metadata.name, s.addressType, formatDiscoveryPorts(s.ports), formatDiscoveryEndpoints(s.endpoints), since(now, s.metadata.creationTimestamp)]),
  };
}

// ---------------------------------------------------------------------------------------
// Ingresses, IngressClasses (printers.go printIngress, printIngressClass)

/**
 * formatHosts: the rules' hosts, at most three, then ` + N more...` where N counts every rule
 * past the third (host-less ones too, as upstream does); `*` when no rule names a host.
 */
export function formatIngressHosts(rules: Ingress['spec']['rules']): string {
  const all = rules ?? [];
  const list: string[] = [];
  let more = false;
  for (const rule of all) {
    if (list.length === MAX_LISTED) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const ret = list.join(',');
  return more ? `${ret} + ${all.length - MAX_LISTED} more...` : ret;
}

/** formatPorts: TLS means the controller also serves 443. */
export function formatIngressPorts(tls: Ingress['spec']['tls']): string {
  return tls && tls.length > 0 ? '80, 443' : '80';
}

/** The ADDRESS column (and describe's Address:, which passes wide). */
export function ingressAddress(ing: Ingress, wide: boolean): string {
  return loadBalancerStatusString(ing, wide);
}

function ingressTable(list: Ingress[], wide: boolean, now: number): Table {
  return {
    header: ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
    rows: list.map((ing) => [
      ing.metadata.name,
      ing.spec.ingressClassName ?? '<none>',
      formatIngressHosts(ing.spec.rules),
      ingressAddress(ing, wide),
      formatIngressPorts(ing.spec.tls),
      since(now, ing.metadata.creationTimestamp),
    ]),
  };
}

/** PARAMETERS: `Kind.apiGroup/name`, `<none>` without parameters. */
export function ingressClassParameters(ic: IngressClass): string {
  const p = ic.spec.parameters;
  if (!p) return '<none>';
  return `${p.kind}${p.apiGroup !== undefined ? `.${p.apiGroup}` : ''}/${p.name}`;
}

function ingressClassTable(list: IngressClass[], now: number): Table {
  return {
    header: ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE'],
    rows: list.map((ic) => [ic.metadata.name, ic.spec.controller, ingressClassParameters(ic), since(now, ic.metadata.creationTimestamp)]),
  };
}

/** printNetworkPolicy: NAME, POD-SELECTOR, AGE (wide adds nothing). */
function networkPolicyTable(list: NetworkPolicy[], now: number): Table {
  return {
    header: ['NAME', 'POD-SELECTOR', 'AGE'],
    rows: list.map((np) => [np.metadata.name, formatLabelSelector(np.spec.podSelector), since(now, np.metadata.creationTimestamp)]),
  };
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
    case 'services':
      return serviceTable(objects as Service[], wide, now);
    case 'endpoints':
      return endpointsTable(objects as Endpoints[], now);
    case 'endpointslices':
      return endpointSliceTable(objects as EndpointSlice[], now);
    case 'ingresses':
      return ingressTable(objects as Ingress[], wide, now);
    case 'ingressclasses':
      return ingressClassTable(objects as IngressClass[], now);
    case 'networkpolicies':
      return networkPolicyTable(objects as NetworkPolicy[], now);
  }
}

/**
 * What the object looks like after a round trip through the API server's protobuf storage:
 * an empty list comes back as nil, so EndpointSlice's required `endpoints` prints as null.
 */
function asServed(obj: KubeObject): unknown {
  if (obj.kind === 'EndpointSlice' && obj.endpoints.length === 0) return { ...obj, endpoints: null };
  return obj;
}

/** `Warning: …` lines the API server's response carries (kubectl prints them first, on stderr). */
function warnings(kind: Kind, opts: GetOptions): string {
  const w = deprecationWarning(KINDS[kind].apiVersion, kind, opts.kubernetesVersion);
  return w ? `Warning: ${w}\n` : '';
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
  const warning = warnings(kind, opts);

  if (output === 'yaml' || output === 'json') {
    const single = opts.singleItemImplied ?? items.length === 1;
    const served = items.map(asServed);
    const obj = single && items.length === 1 ? served[0] : { apiVersion: 'v1', items: served, kind: 'List', metadata: { resourceVersion: '' } };
    return { stdout: output === 'yaml' ? toKubectlYaml(obj) : toKubectlJson(obj), stderr: warning };
  }

  // Cluster-scoped kinds never get a namespace, even with -A.
  const withNamespace = info.namespaced && !!opts.allNamespaces;
  const noneFound = (): GetResult => ({
    stdout: '',
    stderr: warning + noResourcesFound(info.namespaced && !opts.allNamespaces ? (opts.namespace ?? 'default') : undefined),
  });
  if (items.length === 0) return noneFound();

  if (output === 'name') {
    return { stdout: items.map((o) => `${info.nameKind}/${o.metadata.name}\n`).join(''), stderr: warning };
  }

  const table = buildTable(resource, items, output === 'wide', opts.now);
  if (withNamespace) {
    table.header.unshift('NAMESPACE');
    table.rows.forEach((row, i) => {
      row.unshift(items[i]!.metadata.namespace ?? '');
    });
  }
  if (opts.showLabels) {
    table.header.push('LABELS');
    table.rows.forEach((row, i) => {
      row.push(formatLabels(items[i]!.metadata.labels));
    });
  }
  if (!opts.columnWidths) return { stdout: formatTable(table.header, table.rows, { noHeaders: opts.noHeaders }), stderr: warning };
  const columnWidths = [...opts.columnWidths];
  return { stdout: formatTable(table.header, table.rows, { noHeaders: opts.noHeaders, columnWidths }), stderr: warning, columnWidths };
}

/**
 * One `kubectl get -w` event row: no header, laid out with the widths the writer remembers
 * from the table (and rows) printed before it — pass the previous result's columnWidths.
 */
export function renderWatchRow(resource: ResourceName, obj: KubeObject, opts: GetOptions & { columnWidths: readonly number[] }): GetResult {
  const r = renderGet(resource, [obj], { ...opts, output: opts.output === 'wide' ? 'wide' : 'table', noHeaders: true, sort: false });
  // The deprecation warning belongs to the watch request, printed once before the table.
  return { ...r, stderr: '' };
}
