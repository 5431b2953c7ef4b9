// API server semantics on writes: NamespaceLifecycle, one object twice in one apply, names that
// are Object.prototype properties, a Node created through the API, the `kubernetes` Service.
//
// Sources of the expected text and behaviour:
// - staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go: immortal
//   namespaces are default, kube-system and kube-public (not kube-node-lease); deleting one is
//   errors.NewForbidden(namespaces, name, "this namespace may not be deleted"), checked before
//   the object is looked up; a create into a missing namespace returns the namespace Get's
//   NotFound. Transcripts: `kubectl delete ns default` → `Error from server (Forbidden):
//   namespaces "default" is forbidden: this namespace may not be deleted` (and kube-public).
// - plugin/pkg/admission/nodetaint/admission.go: every new Node gets node.kubernetes.io/not-ready:NoSchedule.
// - pkg/controlplane/controller/kubernetesservice/controller.go: since 1.17 the API server does not
//   reset the `kubernetes` Service's ports or type after its first run ("Service definition is not
//   reconciled after first run"; UpdateKubernetesService(false)); a change to it stays.
// - kubectl apply -f with the same object twice: each document is applied in turn, the second
//   one patching what the first created (`configured`, or `unchanged` when it is the same).

import { describe, expect, it } from 'vitest';
import { deploymentInput, serviceInput } from '@k8s-netsim/testing';
import { Cluster } from '../cluster/cluster.js';
import { ApiError, kubectlErrorLine } from '../api/errors.js';

const base = Cluster.create();

function thrown(f: () => unknown): ApiError {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

const web = (namespace: string) => [deploymentInput('web', 2, 'nginx', namespace), serviceInput('web', { app: 'web' }, [{ port: 80 }], { namespace })];
const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('NamespaceLifecycle', () => {
  it('refuses to delete default, kube-system and kube-public (Forbidden), leaving the state as it was', () => {
    for (const ns of ['default', 'kube-system', 'kube-public']) {
      const e = thrown(() => base.delete('Namespace', ns));
      expect(e.reason).toBe('Forbidden');
      expect(e.code).toBe(403);
      expect(kubectlErrorLine(e)).toBe(`Error from server (Forbidden): namespaces "${ns}" is forbidden: this namespace may not be deleted`);
      const r = base.exec(`kubectl delete namespace ${ns}`);
      expect(r.stderr).toBe(`Error from server (Forbidden): namespaces "${ns}" is forbidden: this namespace may not be deleted\n`);
      expect(r.exitCode).toBe(1);
      expect(r.cluster.state).toBe(base.state);
    }
  });

  it('lets kube-node-lease go (it is not immortal), as any other namespace', () => {
    const r = base.exec('kubectl delete namespace kube-node-lease');
    expect(r.stdout).toBe('namespace "kube-node-lease" deleted\n');
    expect(r.cluster.state.namespaces['kube-node-lease']).toBeUndefined();
  });

  it('deletes a namespace with everything in it; the controllers follow (pods, endpoints, slices gone)', () => {
    const c = base.apply([namespace('team'), ...web('team')]);
    expect(c.pods({ namespace: 'team' })).toHaveLength(2);
    const gone = c.delete('Namespace', 'team');
    expect(gone.state.namespaces.team).toBeUndefined();
    for (const field of ['pods', 'deployments', 'replicaSets', 'services', 'endpoints', 'endpointSlices'] as const) expect(gone.state[field].team).toBeUndefined();
    expect(gone.pods({ namespace: 'team' })).toEqual([]);
    // Other namespaces are untouched.
    expect(gone.state.pods['kube-system']).toBe(c.state.pods['kube-system']);
  });

  it('refuses an object in a namespace that does not exist (NotFound, as kubectl prints it), creating nothing', () => {
    const e = thrown(() => base.apply(web('nope')));
    expect(e.reason).toBe('NotFound');
    expect(e.message).toBe('namespaces "nope" not found');
    const r = base.exec('kubectl create -f -', { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x, namespace: nope }\n' });
    expect(r.stderr).toBe('Error from server (NotFound): error when creating "STDIN": namespaces "nope" not found\n');
    expect(r.cluster.state).toBe(base.state);
    // Atomic: the namespace-less Deployment refuses the whole apply, Namespace included.
    expect(() => base.apply([namespace('other'), ...web('nope')])).toThrow('namespaces "nope" not found');
  });
});

describe('the same object twice in one apply', () => {
  const cm = (v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: v } });

  it('applies them in order: created, then configured (the second wins) or unchanged', () => {
    const { cluster, results } = base.applyWithResults([cm('1'), cm('2')]);
    expect(results.map((r) => `${r.name} ${r.action}`)).toEqual(['x created', 'x configured']);
    expect(cluster.state.configMaps.default?.x?.data).toEqual({ a: '2' });
    expect(base.applyWithResults([cm('1'), cm('1')]).results.map((r) => r.action)).toEqual(['created', 'unchanged']);
  });

  it('works for a multi-document file through kubectl apply, and for a Deployment (generation 2, one ReplicaSet)', () => {
    const d = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`;
    const r = base.exec('kubectl apply -f -', { stdin: `${d(1)}---\n${d(3)}` });
    expect(r.stdout).toBe('deployment.apps/web created\ndeployment.apps/web configured\n');
    const lib = base.apply(`${d(1)}---\n${d(3)}`);
    expect(lib.state.deployments.default?.web?.spec.replicas).toBe(3);
    expect(lib.state.deployments.default?.web?.metadata.generation).toBe(2);
    expect(lib.pods({ selector: 'app=web' })).toHaveLength(3);
  });

  it('stores the updated object frozen like any other', () => {
    const c = base.apply([cm('1'), cm('2')]);
    expect(Object.isFrozen(c.state.configMaps.default?.x)).toBe(true);
  });
});

describe('names that are Object.prototype properties', () => {
  it('`constructor` is NotFound until created, then a namespace like any other', () => {
    expect(base.exec('kubectl get node constructor').stderr).toBe('Error from server (NotFound): nodes "constructor" not found\n');
    expect(base.exec('kubectl get namespace constructor').stderr).toBe('Error from server (NotFound): namespaces "constructor" not found\n');
    expect(thrown(() => base.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'constructor' } })).message).toBe('namespaces "constructor" not found');
    const c = base.apply(
      `apiVersion: v1\nkind: Namespace\nmetadata: { name: constructor }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: constructor, namespace: constructor }\ndata: { k: v }\n`,
    );
    expect(c.exec('kubectl get namespace constructor').stdout).toMatch(/^NAME\s+STATUS\s+AGE\nconstructor\s+Active\s+0s\n$/);
    expect(c.exec('kubectl get configmap constructor -n constructor -o jsonpath={.data.k}').stdout).toBe('v');
    expect(Object.hasOwn(Object, 'constructor')).toBe(false);
    expect(Object.hasOwn(c.delete('Namespace', 'constructor').state.namespaces, 'constructor')).toBe(false);
  });
});

describe('a Node created through the API', () => {
  it('is stored with the not-ready:NoSchedule taint and an empty status, and gets no kubelet', () => {
    const c = base.apply('apiVersion: v1\nkind: Node\nmetadata: { name: node9 }\n');
    const node = c.state.nodes.node9!;
    expect(node.spec.taints).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    expect(node.status.conditions).toEqual([]);
    expect(node.status.nodeInfo.kubeletVersion).toBe('');
    expect(c.state.nodeOrder.at(-1)).toBe('node9');
    expect(Object.values(c.state.nodeAgents).some((bucket) => Object.hasOwn(bucket, 'node9'))).toBe(false);
    // A taint given in the manifest stays, the admission taint is added once.
    const tainted = base.apply(
      'apiVersion: v1\nkind: Node\nmetadata: { name: node9 }\nspec: { taints: [{ key: a, effect: NoSchedule }, { key: node.kubernetes.io/not-ready, effect: NoSchedule }] }\n',
    );
    expect(tainted.state.nodes.node9!.spec.taints?.map((t) => t.key)).toEqual(['a', 'node.kubernetes.io/not-ready']);
  });
});

describe('the kubernetes Service', () => {
  const nodePort =
    'apiVersion: v1\nkind: Service\nmetadata: { name: kubernetes, namespace: default }\nspec:\n  type: NodePort\n  ports: [{ name: https, port: 443, targetPort: 6443 }]\n';

  it('keeps a change that leaves its labels (the API server no longer resets it)', () => {
    const c = base.apply(nodePort.replace('namespace: default }', 'namespace: default, labels: { component: apiserver, provider: kubernetes } }'));
    const svc = c.state.services.default!.kubernetes!;
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports?.[0]?.nodePort).toBeGreaterThanOrEqual(30000);
    expect(svc.spec.clusterIP).toBe('10.96.0.1');
  });

  // The Endpoints follow their Service's labels, also when it has none left (it used to loop:
  // `controllers did not converge after 20 rounds`). The API server has not reset this Service's
  // type since 1.17 (its controller runs with reconcile=false), so NodePort sticks.
  it('applying it again as NodePort without its labels converges and keeps NodePort', () => {
    const c = base.apply(nodePort);
    expect(c.state.services.default!.kubernetes!.spec.type).toBe('NodePort');
  });
});

describe('a Node update', () => {
  // ValidateNodeUpdate (pkg/apis/core/validation): an assigned podCIDR is immutable.
  const lab = Cluster.create();
  it('may not change the podCIDR node IPAM assigned; leaving it out keeps it', () => {
    const before = lab.snapshot();
    expect(() => lab.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node01' }, spec: { podCIDR: '10.244.9.0/24' } })).toThrow(
      'The Node "node01" is invalid: spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    );
    expect(lab.snapshot()).toBe(before);
    const relabelled = lab.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node01', labels: { disk: 'ssd' } }, spec: {} });
    expect(relabelled.node('node01').podCIDR).toBe('10.244.1.0/24');
  });
});

describe('applying the same file again', () => {
  // kubectl's three-way merge leaves fields the server set (the scheduler's nodeName, the default
  // IngressClass) alone when the manifest never mentioned them: `pod/web unchanged`.
  it('is unchanged for a scheduled bare Pod and a class-less Ingress', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
    const ing = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    };
    const once = Cluster.create().apply([pod, ing]);
    expect(once.state.pods.default!.web!.spec.nodeName).toBeDefined();
    expect(once.state.ingresses.default!.web!.spec.ingressClassName).toBe('nginx');
    const again = once.applyWithResults([pod, ing]);
    expect(again.results.map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
    expect(again.cluster.state.ingresses.default!.web!.spec.ingressClassName).toBe('nginx');
  });
});
