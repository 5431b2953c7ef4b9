import { describe, expect, it } from 'vitest';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { listObjects, getAgent } from '../state/store.js';
import { advanceClock, applyObjects, deleteObject, scaleObject } from './transitions.js';
import { clusterEvents } from './events.js';
import { setVerifyConverge } from './converge.js';
import { Cluster } from '../cluster/cluster.js';
import type { Pod, ReplicaSet } from '../api/types.js';
import { deploymentInput } from '@k8s-netsim/testing';
import { BURST_REPLICAS, podTemplateHash, SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from './workloads.js';

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

describe('ReplicaSet controller: burstReplicas and slow start (replica_set.go manageReplicas)', () => {
  const count = (s: typeof base, prefix = 'big-') => (listObjects(s, 'Pod', 'default') as Pod[]).filter((p) => p.metadata.name.startsWith(prefix)).length;

  it('slowStartBatch: batches of 1, 2, 4, … and stops after the first batch with a failure', () => {
    const batches: number[] = [];
    let calls = 0;
    let inBatch = 0;
    let next = 1;
    const made = slowStartBatch(BURST_REPLICAS, SLOW_START_INITIAL_BATCH_SIZE, () => {
      calls++;
      if (++inBatch === next) {
        batches.push(inBatch);
        inBatch = 0;
        next = Math.min(2 * next, BURST_REPLICAS - calls);
      }
      return true;
    });
    expect(made).toBe(500);
    expect(batches).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 245]);
    calls = 0;
    // The 5th call fails: the batch of 4 (calls 4–7) finishes, and no batch follows.
    expect(slowStartBatch(500, 1, () => ++calls !== 5)).toBe(6);
    expect(calls).toBe(7);
    expect(slowStartBatch(0, 1, () => true)).toBe(0);
  });

  it('creates at most 500 pods per sync; a huge ReplicaSet gains 500 per step of the clock', () => {
    const previous = setVerifyConverge(true);
    try {
      let { state } = applyObjects(base, [deploymentInput('big', 100_000)]);
      expect(count(state)).toBe(500);
      const rs = (listObjects(state, 'ReplicaSet', 'default') as ReplicaSet[])[0]!;
      expect(state.replicaSetExpectations).toEqual({ [`default/${rs.metadata.name}`]: state.clock });
      expect(clusterEvents(state).filter((e) => e.reason === 'SuccessfulCreate' && e.name === rs.metadata.name)).toHaveLength(500);
      // Another write at the same instant: the expectations are not observed yet.
      state = scaleObject(state, 'Deployment', 'default', 'big', 99_999);
      expect(count(state)).toBe(500);
      state = advanceClock(state, 1000);
      expect(count(state)).toBe(1000);
      state = advanceClock(state, 1000);
      expect(count(state)).toBe(1500);
      // Only 212 fit on the two workers (110 each, 4 daemon pods each): the rest wait.
      expect(state.deployments.default?.big?.status).toMatchObject({ replicas: 1500, readyReplicas: 212 });
      // Scaling down deletes 500 per step too, the unscheduled pods first (the scale comes at
      // the instant of the last sync: it waits for the next step like any write then).
      state = scaleObject(state, 'Deployment', 'default', 'big', 3);
      expect(count(state)).toBe(1500);
      state = advanceClock(state, 1000);
      expect(count(state)).toBe(1000);
      state = advanceClock(state, 1000);
      expect(count(state)).toBe(500);
      expect((listObjects(state, 'Pod', 'default') as Pod[]).filter((p) => p.spec.nodeName)).toHaveLength(212);
      state = advanceClock(state, 1000);
      expect(count(state)).toBe(3);
      expect(state.replicaSetExpectations).toBeUndefined();
      state = advanceClock(state, 1000);
      expect(count(state)).toBe(3);
    } finally {
      setVerifyConverge(previous);
    }
  });

  it('up to 500 missing pods come in one sync, as before', () => {
    const { state } = applyObjects(base, [deploymentInput('big', 500)]);
    expect(count(state)).toBe(500);
    expect(state.replicaSetExpectations).toBeUndefined();
    expect(count(scaleObject(state, 'Deployment', 'default', 'big', 1000))).toBe(1000);
  });

  it('kubectl: apply returns at once and READY follows the clock', () => {
    let c = Cluster.create().apply(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: big }
spec:
  replicas: 100000
  selector: { matchLabels: { app: big } }
  template:
    metadata: { labels: { app: big } }
    spec: { containers: [{ name: web, image: nginx }] }
`);
    const row = (cl: Cluster) => cl.exec('kubectl get deploy big').stdout.split('\n')[1]!.split(/\s+/).slice(0, 4);
    expect(row(c)).toEqual(['big', '212/100000', '500', '212']);
    c = c.exec('sleep 3').cluster;
    expect(row(c)).toEqual(['big', '212/100000', '1000', '212']);
    expect(c.exec('kubectl get rs').stdout).toMatch(/big-\S+\s+100000\s+1000\s+212\s/);
  });
});
