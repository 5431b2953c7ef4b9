// What the API server stores on a write: (state, request) → state, before any controller reacts.
// Each write runs inside one immer `produce`, so it lands whole or throws and leaves the input
// state untouched (immer discards the draft). Per object: the name (generateName), admission
// (admission.ts), the kind's REST strategy (Service allocation: service-strategy.ts), the
// server-set metadata and status, then the store.
//
// The transitions callers use (applyObjects, deleteObject, scaleObject) are these writes followed
// by the controllers: controllers/transitions.ts.

import { plainCopy } from '../util/clone.js';
import { seededSuffix } from '../util/seeded.js';
import { sameData } from '../util/canonical.js';
import { produce } from '../util/immer.js';
import { isDraft } from 'immer';
import type { Kind, KindMap, Pod } from '../api/types.js';
import { isNamespaced, NAMESPACED_KINDS } from '../api/types.js';
import type { ObjectInput } from '../api/manifest-types.js';
import { newInvalid, notFound } from '../api/errors.js';
import { qualifiedResource } from '../api/resources.js';
import { createMeta } from '../state/meta.js';
import { getObject, listObjects, putObject, removeObject, removeAgent } from '../state/store.js';
import type { ClusterState } from '../state/types.js';
import { admitDelete, admitIngressCreate, admitNamespace, admitNodeTaints } from './admission.js';
import { ServiceAllocator } from './service-alloc.js';
import { allocateService, mergeServiceUpdate } from './service-strategy.js';

/** What a write takes (defined with the manifests in api/; re-exported where it was). */
export type { ObjectInput };

export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface ApplyResult {
  kind: Kind;
  namespace?: string;
  name: string;
  action: ApplyAction;
}

/** Status the API server sets on create, before any controller looks. */
function initialStatus(kind: Kind): unknown {
  switch (kind) {
    case 'Pod':
      return { phase: 'Pending', qosClass: 'BestEffort' };
    case 'Namespace':
      return { phase: 'Active' };
    case 'Node':
      return undefined;
    case 'DaemonSet':
      return { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberReady: 0, numberMisscheduled: 0 };
    case 'ReplicaSet':
      return { replicas: 0 };
    case 'Deployment':
      return {};
    case 'Service':
    case 'Ingress':
      return { loadBalancer: {} };
    default:
      return undefined;
  }
}

/** The user-owned fields of an object: everything but apiVersion, kind, metadata and status. */
function content<T extends { apiVersion?: unknown; kind?: unknown; metadata?: unknown; status?: unknown }>(obj: T): Omit<T, 'apiVersion' | 'kind' | 'metadata' | 'status'> {
  const { apiVersion: _a, kind: _k, metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/** Create or update one object inside a draft (kubectl apply semantics, simplified to replace-spec). */
function applyOne(draft: ClusterState, input: ObjectInput, alloc: () => ServiceAllocator): ApplyResult {
  const kind = input.kind;
  const ns = isNamespaced(kind) ? (input.metadata.namespace ?? 'default') : undefined;
  let name = input.metadata.name;
  if (!name && input.metadata.generateName) {
    // The API server appends 5 random characters to generateName until the name is free.
    for (let attempt = 0; !name || getObject(draft, kind, ns, name); attempt++) {
      name = input.metadata.generateName + seededSuffix(draft.config.seed, 5, 'generateName', kind, draft.resourceVersion, attempt);
    }
    input = { ...input, metadata: { ...input.metadata, name } };
  }
  admitNamespace(draft, ns);
  const where = ns !== undefined ? { namespace: ns } : {};
  const existing = getObject(draft, kind, ns, name);
  const metadata = input.metadata;
  // The user-owned fields to store, a copy; narrowed by kind where the kind's strategy fills some in.
  let desired: object;
  if (!existing) {
    if (input.kind === 'Node') return createNode(draft, input);
    if (input.kind === 'Service') desired = allocateService(draft, alloc(), `${ns}/${name}`, name, plainCopy(content(input)));
    else if (input.kind === 'Ingress') desired = admitIngressCreate(draft, name, metadata.annotations, plainCopy(content(input)));
    else desired = plainCopy(content(input));
    const meta = createMeta(draft, kind, { ...metadata, ...where });
    const obj: Record<string, unknown> = { apiVersion: input.apiVersion, kind, ...desired, metadata: meta };
    if (kind === 'Deployment' || kind === 'DaemonSet') meta.generation = 1;
    if (kind === 'Namespace') obj.spec = { finalizers: ['kubernetes'] };
    const st = initialStatus(kind);
    if (st !== undefined) obj.status = st;
    // Built from an ObjectInput of this kind plus the server's metadata and status; TypeScript
    // cannot tie the content's type to the runtime `kind`.
    putObject(draft, obj as unknown as KindMap[Kind]);
    return { kind, ...where, name, action: 'created' };
  }
  // Fields the server filled in (ClusterIP, nodePorts) survive an apply that does not mention them.
  if (input.kind === 'Service' && existing.kind === 'Service') desired = mergeServiceUpdate(draft, alloc(), existing, plainCopy(content(input)));
  else if (kind === 'Namespace') desired = content(existing);
  else if (input.kind === 'Node' && existing.kind === 'Node') desired = nodeUpdate(draft, name, existing, plainCopy(content(input)));
  else desired = plainCopy(content(input));
  keepServerSetFields(existing, desired);
  const contentChanged = !sameData(content(existing), desired);
  const labelsChanged = !sameData(existing.metadata.labels ?? {}, metadata.labels ?? {});
  const annotationsChanged = !sameData(existing.metadata.annotations ?? {}, metadata.annotations ?? {});
  if (!contentChanged && !labelsChanged && !annotationsChanged) return { kind, ...where, name, action: 'unchanged' };
  if (kind === 'Pod' && contentChanged) {
    throw newInvalid(
      'Pod',
      name,
      [
        {
          field: 'spec',
          type: 'FieldValueForbidden',
          detail:
            'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
        },
      ],
      { namespace: ns, kubernetesVersion: draft.config.kubernetesVersion },
    );
  }
  // An object created earlier in this same write is stored frozen (putObject), not drafted:
  // the second of two manifests for one object (kubectl applies them in order) updates a copy.
  const stored = getObject(draft, kind, ns, name)!;
  const fresh = !isDraft(stored);
  const live = fresh ? plainCopy(stored) : stored;
  if (contentChanged) {
    for (const k of Object.keys(content(live))) Reflect.deleteProperty(live, k);
    Object.assign(live, desired);
    if (kind === 'Deployment' || kind === 'DaemonSet') live.metadata.generation = (live.metadata.generation ?? 1) + 1;
  }
  if (metadata.labels && Object.keys(metadata.labels).length) live.metadata.labels = { ...metadata.labels };
  else delete live.metadata.labels;
  if (metadata.annotations && Object.keys(metadata.annotations).length) live.metadata.annotations = { ...metadata.annotations };
  else delete live.metadata.annotations;
  live.metadata.resourceVersion = String(++draft.resourceVersion);
  if (fresh) putObject(draft, live);
  return { kind, ...where, name, action: 'configured' };
}

/**
 * A Node created through the API (a manifest, not a kubelet registering): stored with the
 * not-ready:NoSchedule taint the TaintNodesByCondition admission plugin gives every new Node,
 * and the status Go's zero values leave (empty nodeInfo). No kubelet runs behind it: it gets no
 * node agent, so nothing starts pods there and the node lifecycle controller marks it
 * unreachable once the startup grace period is over (controllers/nodes.ts).
 */
function createNode(draft: ClusterState, input: ObjectInput<'Node'>): ApplyResult {
  const name = input.metadata.name;
  const spec = plainCopy(input.spec ?? {});
  spec.taints = admitNodeTaints(spec.taints);
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: createMeta(draft, 'Node', input.metadata),
    spec,
    status: plainCopy(input.status ?? { addresses: [], conditions: [], capacity: {}, allocatable: {}, nodeInfo: emptyNodeInfo() }),
  } as KindMap['Node'];
  putObject(draft, node);
  draft.nodeOrder.push(name);
  return { kind: 'Node', name, action: 'created' };
}

/**
 * Fields the server set after create — the scheduler's `spec.nodeName` on a Pod, the default
 * IngressClass admission wrote into `spec.ingressClassName` — survive an apply whose manifest
 * leaves them out (kubectl's three-way merge never removes a field it did not write), so applying
 * the same file again is `unchanged`.
 */
function keepServerSetFields(existing: KindMap[Kind], desired: object): void {
  const spec = (desired as { spec?: Record<string, unknown> }).spec;
  if (!spec) return;
  if (existing.kind === 'Pod' && spec.nodeName === undefined && existing.spec.nodeName !== undefined) spec.nodeName = existing.spec.nodeName;
  if (existing.kind === 'Ingress' && spec.ingressClassName === undefined && existing.spec.ingressClassName !== undefined) spec.ingressClassName = existing.spec.ingressClassName;
}

/**
 * A Node update: its podCIDR, once assigned (node IPAM), survives a manifest that leaves it out
 * and may not change — the API server's ValidateNodeUpdate.
 */
function nodeUpdate(draft: ClusterState, name: string, existing: KindMap['Node'], desired: Omit<KindMap['Node'], 'apiVersion' | 'kind' | 'metadata' | 'status'>) {
  const old = existing.spec.podCIDRs ?? (existing.spec.podCIDR ? [existing.spec.podCIDR] : []);
  if (old.length === 0) return desired;
  const given = desired.spec?.podCIDRs ?? (desired.spec?.podCIDR ? [desired.spec.podCIDR] : undefined);
  if (given === undefined) return { ...desired, spec: { ...desired.spec, podCIDR: old[0], podCIDRs: [...old] } };
  if (given.length !== old.length || given.some((c, i) => c !== old[i])) {
    throw newInvalid('Node', name, [{ field: 'spec.podCIDRs', type: 'FieldValueForbidden', detail: 'node updates may not change podCIDR except from "" to valid' }], {
      kubernetesVersion: draft.config.kubernetesVersion,
    });
  }
  return desired;
}

/** NodeSystemInfo as the API server stores it when no kubelet filled it in (every field ""). */
function emptyNodeInfo(): KindMap['Node']['status']['nodeInfo'] {
  return {
    machineID: '',
    systemUUID: '',
    bootID: '',
    kernelVersion: '',
    osImage: '',
    containerRuntimeVersion: '',
    kubeletVersion: '',
    kubeProxyVersion: '',
    operatingSystem: '',
    architecture: '',
  };
}

/** Apply manifests as one write: all land, or none does. */
export function applyToStore(state: ClusterState, inputs: readonly ObjectInput[]): { state: ClusterState; results: ApplyResult[] } {
  const results: ApplyResult[] = [];
  const applied = produce(state, (draft) => {
    let allocator: ServiceAllocator | undefined;
    const alloc = () => (allocator ??= new ServiceAllocator(draft));
    for (const input of inputs) results.push(applyOne(draft, input, alloc));
  });
  return { state: applied, results };
}

/** Delete one object; owned objects go with it (foreground-free cascading, as the GC does). */
export function deleteFromStore(state: ClusterState, kind: Kind, namespace: string | undefined, name: string): ClusterState {
  const ns = isNamespaced(kind) ? (namespace ?? 'default') : undefined;
  // Admission runs before the registry looks the object up (default, kube-system and
  // kube-public may not be deleted, whether or not they exist).
  admitDelete(kind, name);
  if (!getObject(state, kind, ns, name)) throw notFound(qualifiedResource(kind), name);
  return produce(state, (draft) => {
    if (kind === 'Namespace') {
      for (const k of NAMESPACED_KINDS) {
        for (const o of listObjects(draft, k, name)) removeObject(draft, k, name, o.metadata.name);
      }
    }
    if (kind === 'Node') {
      // The pod GC deletes pods bound to a node that no longer exists.
      for (const p of listObjects(draft, 'Pod') as Pod[]) {
        if (p.spec.nodeName === name) removeObject(draft, 'Pod', p.metadata.namespace, p.metadata.name);
      }
      draft.nodeOrder = draft.nodeOrder.filter((n) => n !== name);
      removeAgent(draft, name);
    }
    removeObject(draft, kind, ns, name);
  });
}

/** The scale subresource (`kubectl scale deployment/NAME --replicas=N`, also replicasets); the same state when nothing changes. */
export function scaleInStore(state: ClusterState, kind: 'Deployment' | 'ReplicaSet', namespace: string, name: string, replicas: number): ClusterState {
  const obj = getObject(state, kind, namespace, name);
  if (!obj) throw notFound(qualifiedResource(kind), name);
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw newInvalid(kind, name, [{ field: 'spec.replicas', type: 'FieldValueInvalid', badValue: replicas, detail: 'must be greater than or equal to 0' }], {
      group: 'apps',
      namespace,
      kubernetesVersion: state.config.kubernetesVersion,
    });
  }
  if (obj.spec.replicas === replicas) return state;
  return produce(state, (draft) => {
    const live = getObject(draft, kind, namespace, name)!;
    live.spec.replicas = replicas;
    live.metadata.resourceVersion = String(++draft.resourceVersion);
  });
}
