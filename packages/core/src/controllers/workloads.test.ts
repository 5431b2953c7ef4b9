import { describe, expect, it } from 'vitest';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { listObjects, getAgent } from '../state/store.js';
import { applyObjects, deleteObject, scaleObject } from './transitions.js';
import type { Pod, ReplicaSet } from '../api/types.js';
import { deploymentInput } from '@k8s-netsim/testing';
import { podTemplateHash } from './workloads.js';

const base = bootstrapCluster();

describe('deployment controller', () => {
  const { state } = applyObjects(base, [deploymentInput('nginx', 3)]);
  const rs = listObjects(state, 'ReplicaSet', 'default') as ReplicaSet[];
  const pods = listObjects(state, 'Pod', 'default') as Pod[];

  it('creates one ReplicaSet named <deployment>-<pod-template-hash>', () => {
    expect(rs).toHaveLength(1);
    const hash = rs[0]!.metadata.labels?.['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs[0]!.metadata.name).toBe(`nginx-${hash}`);
    expect(rs[0]!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'nginx', controller: true });
  });

  it('names pods <rs>-<5 chars> and runs them with pod IPs from the node /24s', () => {
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^${rs[0]!.metadata.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.status.phase).toBe('Running');
      const node = state.nodes[p.spec.nodeName!]!;
      expect(p.status.podIP?.startsWith(`${node.spec.podCIDR!.split('.').slice(0, 3).join('.')}.`)).toBe(true);
    }
    expect(new Set(pods.map((p) => p.status.podIP)).size).toBe(3);
  });

  it('scales up and down, deleting the newest pods first', () => {
    const up = scaleObject(state, 'Deployment', 'default', 'nginx', 5);
    expect(listObjects(up, 'Pod', 'default')).toHaveLength(5);
    const down = scaleObject(up, 'Deployment', 'default', 'nginx', 2);
    const left = (listObjects(down, 'Pod', 'default') as Pod[]).map((p) => p.metadata.name).sort();
    expect(left).toEqual(
      pods
        .map((p) => p.metadata.name)
        .sort()
        .filter((n) => left.includes(n)),
    );
    expect(left).toHaveLength(2);
    expect(down.deployments.default?.nginx?.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 });
  });

  it('releases pod addresses and veths when pods go', () => {
    const gone = deleteObject(state, 'Deployment', 'default', 'nginx');
    expect(listObjects(gone, 'Pod', 'default')).toHaveLength(0);
    expect(listObjects(gone, 'ReplicaSet', 'default')).toHaveLength(0);
    for (const p of pods) {
      const agent = getAgent(gone, p.spec.nodeName!)!;
      expect(agent.sandboxes[p.metadata.uid]).toBeUndefined();
    }
  });

  it('a template change rolls to a new ReplicaSet and scales the old one to zero', () => {
    const next = applyObjects(state, [deploymentInput('nginx', 3, 'nginx:1.27')]).state;
    const sets = listObjects(next, 'ReplicaSet', 'default') as ReplicaSet[];
    expect(sets).toHaveLength(2);
    expect(sets.map((r) => r.spec.replicas).sort()).toEqual([0, 3]);
    expect(next.deployments.default?.nginx?.metadata.generation).toBe(2);
  });

  it('hashes templates stably', () => {
    const t = deploymentInput('x', 1).spec.template;
    expect(podTemplateHash(t)).toBe(podTemplateHash(structuredClone(t)));
    expect(podTemplateHash(t)).not.toBe(podTemplateHash({ ...t, metadata: { labels: { app: 'y' } } }));
  });
});

describe('the default lab', () => {
  it('runs what kubeadm + Flannel would', () => {
    // Deployments' pods land on either worker; DaemonSet and static pods on known nodes.
    const names = (listObjects(base, 'Pod') as Pod[]).map((p) => {
      const name = `${p.metadata.namespace}/${p.metadata.name.replace(/-[bcdfghjklmnpqrstvwxz2456789]{5}$/, '-*').replace(/-[bcdfghjklmnpqrstvwxz2456789]{6,10}-\*$/, '-*-*')}`;
      const node = /(controller-\*-\*)$/.test(name) && p.spec.nodeName !== 'controlplane' ? 'worker' : p.spec.nodeName;
      return `${name}@${node}`;
    });
    expect(names.sort()).toEqual(
      [
        'kube-flannel/kube-flannel-ds-*@controlplane',
        'kube-flannel/kube-flannel-ds-*@node01',
        'kube-flannel/kube-flannel-ds-*@node02',
        'kube-system/coredns-*-*@controlplane',
        'kube-system/coredns-*-*@controlplane',
        'kube-system/etcd-controlplane@controlplane',
        'kube-system/kube-apiserver-controlplane@controlplane',
        'kube-system/kube-controller-manager-controlplane@controlplane',
        'kube-system/kube-proxy-*@controlplane',
        'kube-system/kube-proxy-*@node01',
        'kube-system/kube-proxy-*@node02',
        'kube-system/kube-scheduler-controlplane@controlplane',
        'metallb-system/speaker-*@node01',
        'metallb-system/speaker-*@node02',
        'metallb-system/speaker-*@controlplane',
        'metallb-system/controller-*-*@worker',
        'ingress-nginx/ingress-nginx-controller-*-*@worker',
      ].sort(),
    );
    const coredns = (listObjects(base, 'Pod', 'kube-system') as Pod[]).filter((p) => p.metadata.name.startsWith('coredns-'));
    expect(coredns.map((p) => p.status.podIP).sort()).toEqual(['10.244.0.2', '10.244.0.3']);
    expect(base.nodeOrder.map((n) => base.nodes[n]!.spec.podCIDR)).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
  });

  it('gives hostNetwork pods the node IP', () => {
    const proxy = (listObjects(base, 'Pod', 'kube-system') as Pod[]).find((p) => p.metadata.name.startsWith('kube-proxy-') && p.spec.nodeName === 'node01');
    expect(proxy?.status.podIP).toBe('192.168.56.11');
  });

  it('without a CNI, nodes are NotReady and CoreDNS stays Pending', () => {
    const bare = bootstrapCluster({ cni: 'none' });
    for (const n of bare.nodeOrder) expect(bare.nodes[n]!.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('False');
    const coredns = (listObjects(bare, 'Pod', 'kube-system') as Pod[]).filter((p) => p.metadata.name.startsWith('coredns-'));
    expect(coredns.every((p) => p.status.phase === 'Pending' && !p.status.podIP)).toBe(true);
  });
});
