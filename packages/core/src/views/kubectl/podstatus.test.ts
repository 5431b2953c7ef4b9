import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types.js';
import { ago, creatingPod, NOW, pendingPod, runningPod } from './objects.fixture.js';
import { summarizePod, type FullContainerStatus, type FullPodStatus } from './helpers.js';

function withStatuses(pod: Pod, statuses: FullContainerStatus[], patch: Partial<FullPodStatus> = {}): Pod {
  return { ...pod, status: { ...pod.status, ...patch, containerStatuses: statuses } as Pod['status'] };
}

const base = (): FullContainerStatus => runningPod('x').status.containerStatuses![0]! as FullContainerStatus;

describe('summarizePod (printers.go printPod)', () => {
  it('reads running, pending and creating pods', () => {
    expect(summarizePod(runningPod('a'), NOW)).toEqual({ ready: 1, total: 1, reason: 'Running', restarts: '0' });
    expect(summarizePod(pendingPod('b'), NOW)).toEqual({ ready: 0, total: 1, reason: 'Pending', restarts: '0' });
    expect(summarizePod(creatingPod('c'), NOW).reason).toBe('ContainerCreating');
  });

  it('shows Terminating once deletionTimestamp is set on a live pod', () => {
    const pod = runningPod('a');
    pod.metadata.deletionTimestamp = ago(-30_000);
    expect(summarizePod(pod, NOW).reason).toBe('Terminating');
  });

  it('shows the waiting reason and restarts with the time of the last restart', () => {
    const cs: FullContainerStatus = {
      ...base(),
      ready: false,
      restartCount: 4,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: ago(65_000) } },
    };
    expect(summarizePod(withStatuses(runningPod('a'), [cs]), NOW)).toEqual({ ready: 0, total: 1, reason: 'CrashLoopBackOff', restarts: '4 (65s ago)' });
  });

  it('shows Completed / Error for finished pods', () => {
    const done = withStatuses(runningPod('a'), [{ ...base(), ready: false, state: { terminated: { reason: 'Completed', exitCode: 0 } } }], { phase: 'Succeeded' });
    expect(summarizePod(done, NOW).reason).toBe('Completed');
    // A finished pod whose status carries no state reads as the kubelet would have reported it.
    const bare = withStatuses(runningPod('a'), [{ ...base(), ready: false, state: {} as FullContainerStatus['state'] }], { phase: 'Failed' });
    expect(summarizePod(bare, NOW).reason).toBe('Error');
    const signal = withStatuses(runningPod('a'), [{ ...base(), ready: false, state: { terminated: { exitCode: 137, signal: 9 } } }]);
    expect(summarizePod(signal, NOW).reason).toBe('Signal:9');
  });

  it('reports init container progress', () => {
    const pod = runningPod('a');
    pod.spec.initContainers = [{ name: 'init', image: 'busybox', imagePullPolicy: 'IfNotPresent' }];
    pod.status.phase = 'Pending';
    pod.status.conditions = [{ type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', lastTransitionTime: ago(1000) }];
    (pod.status as FullPodStatus).initContainerStatuses = [{ ...base(), name: 'init', ready: false, state: { running: { startedAt: ago(1000) } } }];
    pod.status.containerStatuses = [{ ...base(), ready: false, state: { waiting: { reason: 'PodInitializing' } } }];
    expect(summarizePod(pod, NOW).reason).toBe('Init:0/1');
    (pod.status as FullPodStatus).initContainerStatuses = [{ ...base(), name: 'init', ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } }];
    expect(summarizePod(pod, NOW).reason).toBe('Init:ImagePullBackOff');
  });

  it('counts only ready, running containers', () => {
    const pod = runningPod('a');
    pod.spec.containers.push({ name: 'sidecar', image: 'busybox', imagePullPolicy: 'IfNotPresent' });
    pod.status.containerStatuses!.push({ ...base(), name: 'sidecar', ready: false, state: { running: { startedAt: ago(1000) } } });
    expect(summarizePod(pod, NOW)).toMatchObject({ ready: 1, total: 2, reason: 'Running' });
  });
});
