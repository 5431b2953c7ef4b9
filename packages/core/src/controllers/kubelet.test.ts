// The kubelet's admission of pods that bypass the scheduler: maxPods (allocatable pods, 110).

import { describe, expect, it } from 'vitest';
import { podInput } from '@k8s-netsim/testing';
import type { Deployment, Pod } from '../api/types.js';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { getAgent, listObjects } from '../state/store.js';
import { setVerifyConverge } from './converge.js';
import { clusterEvents } from './events.js';
import { advanceClock, applyObjects } from './transitions.js';

const base = bootstrapCluster();
const onNode = (s: typeof base, node: string) => (listObjects(s, 'Pod') as Pod[]).filter((p) => p.spec.nodeName === node);

describe('kubelet admission (lifecycle.predicateAdmitHandler): pods past maxPods', () => {
  const message = "Node didn't have enough resource: pods, requested: 1, used: 110, capacity: 110";

  it('rejects spec.nodeName pods once the node runs 110, as OutOfpods; host-local never runs dry first', () => {
    const daemons = onNode(base, 'node01').length;
    const { state } = applyObjects(
      base,
      Array.from({ length: 120 }, (_, i) => podInput(`p${String(i).padStart(3, '0')}`, { nodeName: 'node01' })),
    );
    const mine = onNode(state, 'node01').filter((p) => p.metadata.name.startsWith('p'));
    const running = mine.filter((p) => p.status.phase === 'Running');
    const rejected = mine.filter((p) => p.status.phase === 'Failed');
    expect(running).toHaveLength(110 - daemons);
    expect(rejected.map((p) => p.metadata.name)).toEqual(Array.from({ length: 120 - (110 - daemons) }, (_, i) => `p${String(110 - daemons + i).padStart(3, '0')}`));
    for (const p of rejected) {
      expect(p.status).toEqual({ phase: 'Failed', reason: 'OutOfpods', message: `Pod was rejected: ${message}`, qosClass: 'BestEffort' });
      expect(getAgent(state, 'node01')!.sandboxes[p.metadata.uid]).toBeUndefined();
    }
    expect(clusterEvents(state).filter((e) => e.reason === 'OutOfpods')).toHaveLength(rejected.length);
    expect(clusterEvents(state).find((e) => e.reason === 'OutOfpods')).toMatchObject({ type: 'Warning', source: 'kubelet', message });
    // 110 pods, hostNetwork daemon pods among them: fewer addresses than the /24's 253.
    expect(Object.keys(getAgent(state, 'node01')!.ipam!.allocated).length).toBeLessThanOrEqual(110);
    expect(clusterEvents(state).some((e) => e.reason === 'FailedCreatePodSandBox')).toBe(false);
  });

  it('a ReplicaSet pinned to a full node replaces its rejected pods one step of the clock later, not in a loop', () => {
    const previous = setVerifyConverge(true);
    try {
      const fill = Array.from({ length: 110 }, (_, i) => podInput(`f${i}`, { nodeName: 'node01' }));
      let state = applyObjects(base, fill).state;
      const deployment = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'pinned', namespace: 'default', labels: { app: 'pinned' } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'pinned' } },
          template: {
            metadata: { labels: { app: 'pinned' } },
            spec: {
              nodeName: 'node01',
              containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
              restartPolicy: 'Always',
              dnsPolicy: 'ClusterFirst',
              schedulerName: 'default-scheduler',
              terminationGracePeriodSeconds: 30,
            },
          },
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        },
      } as unknown as Deployment;
      state = applyObjects(state, [deployment]).state;
      const pinned = (s: typeof state) => (listObjects(s, 'Pod', 'default') as Pod[]).filter((p) => p.metadata.name.startsWith('pinned-'));
      expect(pinned(state).map((p) => p.status.phase)).toEqual(['Failed', 'Failed']);
      state = advanceClock(state, 1000);
      expect(pinned(state).filter((p) => p.status.phase === 'Failed')).toHaveLength(4);
      expect(pinned(state).filter((p) => p.status.phase !== 'Failed')).toHaveLength(0);
    } finally {
      setVerifyConverge(previous);
    }
  });
});
