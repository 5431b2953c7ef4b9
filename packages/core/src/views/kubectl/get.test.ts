import { describe, expect, it } from 'vitest';
import {
  clusterRole,
  clusterRoleBinding,
  configMap,
  creatingPod,
  daemonSet,
  deployment,
  flannelConfigMap,
  namespace,
  node,
  NOW,
  pendingPod,
  replicaSet,
  runningPod,
  serviceAccount,
} from './objects.fixture.js';
import { renderGet, resolveResource } from './get.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('renderGet pods', () => {
  it('prints the default table', () => {
    const out = renderGet('pods', [runningPod('nginx-deployment-66b6c48dd5-4jw2p')], { now: NOW });
    expect(out).toEqual({
      stdout: lines('NAME                                READY   STATUS    RESTARTS   AGE', 'nginx-deployment-66b6c48dd5-4jw2p   1/1     Running   0          86s'),
      stderr: '',
    });
  });

  it('adds NAMESPACE first with -A and the wide columns with -o wide, sorted by namespace/name', () => {
    const pods = [
      runningPod('web-1', { ip: '10.244.1.5', restarts: 2 }),
      runningPod('coredns-76f75df574-x7k2p', { namespace: 'kube-system', node: 'controlplane', ip: '10.244.0.2', age: 10 * 24 * 3600_000 }),
      pendingPod('big'),
      creatingPod('new'),
    ];
    expect(renderGet('pods', pods, { now: NOW, allNamespaces: true, output: 'wide' }).stdout).toBe(
      lines(
        'NAMESPACE     NAME                       READY   STATUS              RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES',
        'default       big                        0/1     Pending             0          5s    <none>       <none>         <none>           <none>',
        'default       new                        0/1     ContainerCreating   0          3s    <none>       node01         <none>           <none>',
        'default       web-1                      1/1     Running             2          86s   10.244.1.5   node01         <none>           <none>',
        'kube-system   coredns-76f75df574-x7k2p   1/1     Running             0          10d   10.244.0.2   controlplane   <none>           <none>',
      ),
    );
  });

  it('appends LABELS with --show-labels', () => {
    expect(renderGet('pods', [runningPod('web-1')], { now: NOW, showLabels: true }).stdout).toBe(
      lines('NAME    READY   STATUS    RESTARTS   AGE   LABELS', 'web-1   1/1     Running   0          86s   app=nginx,pod-template-hash=66b6c48dd5'),
    );
  });

  it('keeps the caller order when asked', () => {
    const out = renderGet('pods', [runningPod('b'), runningPod('a')], { now: NOW, sort: false, output: 'name' });
    expect(out.stdout).toBe('pod/b\npod/a\n');
  });

  it('reports an empty namespace on stderr only', () => {
    expect(renderGet('pods', [], { now: NOW })).toEqual({ stdout: '', stderr: 'No resources found in default namespace.\n' });
    expect(renderGet('pods', [], { now: NOW, namespace: 'dev' }).stderr).toBe('No resources found in dev namespace.\n');
    expect(renderGet('pods', [], { now: NOW, allNamespaces: true }).stderr).toBe('No resources found\n');
    expect(renderGet('pods', [], { now: NOW, output: 'name' }).stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('renderGet nodes and namespaces', () => {
  const nodes = [node('node01'), node('controlplane', { controlPlane: true }), node('node02', { ready: false, unschedulable: true })];

  it('derives STATUS and ROLES like kubectl', () => {
    expect(renderGet('nodes', nodes, { now: NOW }).stdout).toBe(
      lines(
        'NAME           STATUS                        ROLES           AGE   VERSION',
        'controlplane   Ready                         control-plane   10d   v1.29.0',
        'node01         Ready                         <none>          10d   v1.29.0',
        'node02         NotReady,SchedulingDisabled   <none>          10d   v1.29.0',
      ),
    );
  });

  it('prints the wide node columns and never a NAMESPACE column', () => {
    expect(renderGet('nodes', [nodes[1]!], { now: NOW, output: 'wide', allNamespaces: true }).stdout).toBe(
      lines(
        'NAME           STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION   CONTAINER-RUNTIME',
        'controlplane   Ready    control-plane   10d   v1.29.0   172.30.1.2    <none>        Ubuntu 20.04.6 LTS   5.4.0-1026-gcp   docker://24.0.7',
      ),
    );
  });

  it('says "No resources found" without a namespace for cluster-scoped kinds', () => {
    expect(renderGet('nodes', [], { now: NOW }).stderr).toBe('No resources found\n');
  });

  it('prints namespaces', () => {
    const list = [namespace('kube-system', 10 * 86400_000), namespace('dev', 30_000, 'Terminating'), namespace('default', 10 * 86400_000)];
    expect(renderGet('namespaces', list, { now: NOW }).stdout).toBe(
      lines('NAME          STATUS        AGE', 'default       Active        10d', 'dev           Terminating   30s', 'kube-system   Active        10d'),
    );
  });
});

describe('renderGet workloads', () => {
  it('prints deployments, wide', () => {
    expect(renderGet('deployments', [deployment('nginx-deployment', 3, 2)], { now: NOW }).stdout).toBe(
      lines('NAME               READY   UP-TO-DATE   AVAILABLE   AGE', 'nginx-deployment   2/3     3            2           3m'),
    );
    expect(renderGet('deployments', [deployment('nginx-deployment', 3, 2)], { now: NOW, output: 'wide' }).stdout).toBe(
      lines(
        'NAME               READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES         SELECTOR',
        'nginx-deployment   2/3     3            2           3m    nginx        nginx:1.14.2   app=nginx-deployment',
      ),
    );
  });

  it('prints replicasets, wide', () => {
    expect(renderGet('replicasets', [replicaSet('nginx-deployment-66b6c48dd5', 3, 3)], { now: NOW, output: 'wide' }).stdout).toBe(
      lines(
        'NAME                          DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES         SELECTOR',
        'nginx-deployment-66b6c48dd5   3         3         3       3m    nginx        nginx:1.14.2   app=nginx,pod-template-hash=66b6c48dd5',
      ),
    );
  });

  it('prints daemonsets with -A', () => {
    expect(renderGet('daemonsets', [daemonSet('kube-proxy', 'kube-system', 2)], { now: NOW, allNamespaces: true }).stdout).toBe(
      lines(
        'NAMESPACE     NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE',
        'kube-system   kube-proxy   2         2         2       2            2           kubernetes.io/os=linux   10d',
      ),
    );
  });

  it('names apps/v1 kinds with their group in -o name', () => {
    expect(renderGet('deployments', [deployment('nginx', 1, 1)], { now: NOW, output: 'name' }).stdout).toBe('deployment.apps/nginx\n');
    expect(renderGet('daemonsets', [daemonSet('kube-proxy', 'kube-system', 1)], { now: NOW, output: 'name' }).stdout).toBe('daemonset.apps/kube-proxy\n');
    expect(renderGet('nodes', [node('node01')], { now: NOW, output: 'name' }).stdout).toBe('node/node01\n');
  });
});

describe('renderGet -o yaml / -o json', () => {
  it('prints a named object as itself', () => {
    const out = renderGet('namespaces', [namespace('dev', 1000)], { now: NOW, output: 'yaml' }).stdout;
    expect(out).toBe(
      lines(
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        '  creationTimestamp: "2024-05-01T11:59:59Z"',
        '  labels:',
        '    kubernetes.io/metadata.name: dev',
        '  name: dev',
        '  resourceVersion: "1"',
        '  uid: uid-dev',
        'spec:',
        '  finalizers:',
        '  - kubernetes',
        'status:',
        '  phase: Active',
      ),
    );
  });

  it('wraps several objects (or a list query) in a v1 List', () => {
    const two = renderGet('namespaces', [namespace('b', 1000), namespace('a', 1000)], { now: NOW, output: 'yaml' }).stdout;
    expect(two.startsWith('apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n')).toBe(true);
    expect(two.indexOf('name: a')).toBeLessThan(two.indexOf('name: b'));
    expect(two.endsWith('kind: List\nmetadata:\n  resourceVersion: ""\n')).toBe(true);

    const one = renderGet('namespaces', [namespace('a', 1000)], { now: NOW, output: 'yaml', singleItemImplied: false }).stdout;
    expect(one.startsWith('apiVersion: v1\nitems:\n- apiVersion: v1\n')).toBe(true);

    const none = renderGet('pods', [], { now: NOW, output: 'yaml' });
    expect(none).toEqual({ stdout: 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n', stderr: '' });
  });

  it('prints JSON with sorted keys and four-space indentation', () => {
    const out = renderGet('namespaces', [namespace('dev', 1000)], { now: NOW, output: 'json' }).stdout;
    expect(out).toBe(
      lines(
        '{',
        '    "apiVersion": "v1",',
        '    "kind": "Namespace",',
        '    "metadata": {',
        '        "creationTimestamp": "2024-05-01T11:59:59Z",',
        '        "labels": {',
        '            "kubernetes.io/metadata.name": "dev"',
        '        },',
        '        "name": "dev",',
        '        "resourceVersion": "1",',
        '        "uid": "uid-dev"',
        '    },',
        '    "spec": {',
        '        "finalizers": [',
        '            "kubernetes"',
        '        ]',
        '    },',
        '    "status": {',
        '        "phase": "Active"',
        '    }',
        '}',
      ),
    );
    const list = JSON.parse(renderGet('pods', [runningPod('a'), runningPod('b')], { now: NOW, output: 'json' }).stdout);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' } });
    expect(list.items).toHaveLength(2);
  });
});

describe('renderGet config and RBAC kinds', () => {
  const cms = [flannelConfigMap(), configMap('kube-root-ca.crt', 'kube-flannel', { 'ca.crt': 'x' }, undefined, 10 * 60_000)];

  it('prints configmaps: DATA counts data and binaryData', () => {
    expect(renderGet('configmaps', cms, { now: NOW, namespace: 'kube-flannel' }).stdout).toBe(
      lines('NAME               DATA   AGE', 'kube-flannel-cfg   2      10m', 'kube-root-ca.crt   1      10m'),
    );
    const both = configMap('mixed', 'default', { a: '1' }, { b: 'AAEC', c: '' }, 5_000);
    expect(renderGet('configmaps', [both], { now: NOW, allNamespaces: true }).stdout).toBe(lines('NAMESPACE   NAME    DATA   AGE', 'default     mixed   3      5s'));
    expect(renderGet('configmaps', [], { now: NOW, namespace: 'kube-flannel' }).stderr).toBe('No resources found in kube-flannel namespace.\n');
  });

  it('prints serviceaccounts with SECRETS 0 (no token Secrets since 1.24)', () => {
    expect(renderGet('serviceaccounts', [serviceAccount('flannel', 'kube-flannel'), serviceAccount('default', 'kube-flannel')], { now: NOW }).stdout).toBe(
      lines('NAME      SECRETS   AGE', 'default   0         10m', 'flannel   0         10m'),
    );
  });

  it('prints clusterroles with the server default columns (CREATED AT, RFC 3339), wide or not, never a NAMESPACE', () => {
    const want = lines('NAME      CREATED AT', 'flannel   2024-05-01T11:50:00Z');
    expect(renderGet('clusterroles', [clusterRole('flannel')], { now: NOW }).stdout).toBe(want);
    expect(renderGet('clusterroles', [clusterRole('flannel')], { now: NOW, output: 'wide', allNamespaces: true }).stdout).toBe(want);
    expect(renderGet('clusterroles', [], { now: NOW }).stderr).toBe('No resources found\n');
  });

  it('prints clusterrolebindings, wide with subjects split by kind', () => {
    const bindings = [
      clusterRoleBinding('flannel', [{ kind: 'ServiceAccount', name: 'flannel', namespace: 'kube-flannel' }]),
      clusterRoleBinding('cluster-admin', [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }]),
      clusterRoleBinding(
        'mixed',
        [
          { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
          { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' },
          { kind: 'ServiceAccount', name: 'a', namespace: 'x' },
          { kind: 'ServiceAccount', name: 'b', namespace: 'y' },
        ],
        'view',
      ),
    ];
    expect(renderGet('clusterrolebindings', bindings, { now: NOW }).stdout).toBe(
      lines(
        'NAME            ROLE                        AGE',
        'cluster-admin   ClusterRole/cluster-admin   10m',
        'flannel         ClusterRole/flannel         10m',
        'mixed           ClusterRole/view            10m',
      ),
    );
    expect(renderGet('clusterrolebindings', bindings, { now: NOW, output: 'wide' }).stdout).toBe(
      lines(
        'NAME            ROLE                        AGE   USERS        GROUPS           SERVICEACCOUNTS',
        'cluster-admin   ClusterRole/cluster-admin   10m                system:masters   ',
        'flannel         ClusterRole/flannel         10m                                 kube-flannel/flannel',
        'mixed           ClusterRole/view            10m   alice, bob                    x/a, y/b',
      ),
    );
  });

  it('names them kubectl-style in -o name', () => {
    expect(renderGet('configmaps', [flannelConfigMap()], { now: NOW, output: 'name' }).stdout).toBe('configmap/kube-flannel-cfg\n');
    expect(renderGet('serviceaccounts', [serviceAccount('flannel', 'kube-flannel')], { now: NOW, output: 'name' }).stdout).toBe('serviceaccount/flannel\n');
    expect(renderGet('clusterroles', [clusterRole('flannel')], { now: NOW, output: 'name' }).stdout).toBe('clusterrole.rbac.authorization.k8s.io/flannel\n');
    expect(renderGet('clusterrolebindings', [clusterRoleBinding('flannel', [])], { now: NOW, output: 'name' }).stdout).toBe(
      'clusterrolebinding.rbac.authorization.k8s.io/flannel\n',
    );
  });

  it('prints a ConfigMap as YAML with literal blocks, and RBAC objects as JSON', () => {
    expect(renderGet('configmaps', [flannelConfigMap()], { now: NOW, output: 'yaml' }).stdout).toBe(
      lines(
        'apiVersion: v1',
        'data:',
        '  cni-conf.json: |',
        '    {',
        '      "name": "cbr0"',
        '    }',
        '  net-conf.json: |',
        '    {',
        '      "Network": "10.244.0.0/16",',
        '      "EnableNFTables": false,',
        '      "Backend": {',
        '        "Type": "vxlan"',
        '      }',
        '    }',
        'kind: ConfigMap',
        'metadata:',
        '  creationTimestamp: "2024-05-01T11:50:00Z"',
        '  labels:',
        '    app: flannel',
        '    k8s-app: flannel',
        '    tier: node',
        '  name: kube-flannel-cfg',
        '  namespace: kube-flannel',
        '  resourceVersion: "20"',
        '  uid: uid-kube-flannel-cfg',
      ),
    );
    const json = JSON.parse(renderGet('clusterrolebindings', [clusterRoleBinding('flannel', [])], { now: NOW, output: 'json' }).stdout);
    expect(json).toMatchObject({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', roleRef: { kind: 'ClusterRole', name: 'flannel' } });
  });
});

describe('resolveResource', () => {
  it.each([
    ['cm', 'configmaps'],
    ['configmap', 'configmaps'],
    ['sa', 'serviceaccounts'],
    ['ServiceAccount', 'serviceaccounts'],
    ['clusterrole', 'clusterroles'],
    ['clusterroles.rbac.authorization.k8s.io', 'clusterroles'],
    ['clusterrolebinding.rbac.authorization.k8s.io', 'clusterrolebindings'],
    ['ClusterRoleBindings', 'clusterrolebindings'],
    ['po', 'pods'],
    ['pod', 'pods'],
    ['Pods', 'pods'],
    ['no', 'nodes'],
    ['ns', 'namespaces'],
    ['deploy', 'deployments'],
    ['deployments.apps', 'deployments'],
    ['rs', 'replicasets'],
    ['ds', 'daemonsets'],
    ['svc', 'services'],
    ['ep', 'endpoints'],
    ['endpointslice', 'endpointslices'],
    ['endpointslices.discovery.k8s.io', 'endpointslices'],
  ])('%s -> %s', (arg, want) => {
    expect(resolveResource(arg)).toBe(want);
  });

  it('rejects unknown names and the wrong group', () => {
    expect(resolveResource('secrets')).toBeUndefined();
    expect(resolveResource('pods.apps')).toBeUndefined();
    expect(resolveResource('configmaps.apps')).toBeUndefined();
    expect(resolveResource('roles')).toBeUndefined();
  });
});
