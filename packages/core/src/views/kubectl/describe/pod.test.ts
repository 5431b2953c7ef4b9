import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod } from '../../../api/types.js';
import { ago, NOW, pendingPod, runningPod } from '../objects.fixture.js';
import { ev, lines } from './describe.fixture.js';
import { describePod } from './index.js';

describe('describePod', () => {
  it('lays out a running Deployment pod like kubectl describe pod', () => {
    const pod = runningPod('nginx-deployment-66b6c48dd5-4jw2p');
    const events = [
      ev(pod.metadata.name, 'Scheduled', 'Successfully assigned default/nginx-deployment-66b6c48dd5-4jw2p to node01', 'default-scheduler', 86),
      ev(pod.metadata.name, 'Pulled', 'Container image "nginx:1.14.2" already present on machine', 'kubelet', 85),
      ev(pod.metadata.name, 'Created', 'Created container nginx', 'kubelet', 85),
      ev(pod.metadata.name, 'Started', 'Started container nginx', 'kubelet', 84),
      ev('someone-else', 'Started', 'not ours', 'kubelet', 1),
    ];
    expect(describePod(pod, events, NOW)).toBe(
      lines(
        'Name:             nginx-deployment-66b6c48dd5-4jw2p',
        'Namespace:        default',
        'Priority:         0',
        'Service Account:  default',
        'Node:             node01/172.30.1.2',
        'Start Time:       Wed, 01 May 2024 11:58:34 +0000',
        'Labels:           app=nginx',
        '                  pod-template-hash=66b6c48dd5',
        'Annotations:      <none>',
        'Status:           Running',
        'IP:               10.244.1.2',
        'IPs:',
        '  IP:           10.244.1.2',
        'Controlled By:  ReplicaSet/nginx-deployment-66b6c48dd5',
        'Containers:',
        '  nginx:',
        '    Container ID:   docker://2bd71e1a8b07c18a6cf0e4fcd1a1bbca56a3e0b2d4e6c4ee1e69f0a0d1d4e9f0',
        '    Image:          nginx:1.14.2',
        '    Image ID:       docker-pullable://nginx@sha256:f7988fb6c02e0ce69257d9bd9cf37ae20a60f1df7563c3a2a6abe24160306b8d',
        '    Port:           80/TCP',
        '    Host Port:      0/TCP',
        '    State:          Running',
        '      Started:      Wed, 01 May 2024 11:58:34 +0000',
        '    Ready:          True',
        '    Restart Count:  0',
        '    Environment:    <none>',
        '    Mounts:         <none>',
        'Conditions:',
        '  Type              Status',
        '  Initialized       True ',
        '  Ready             True ',
        '  ContainersReady   True ',
        '  PodScheduled      True ',
        'Volumes:            <none>',
        'QoS Class:          BestEffort',
        'Node-Selectors:     <none>',
        'Tolerations:        node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
        '                    node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
        'Events:',
        '  Type    Reason     Age   From               Message',
        '  ----    ------     ----  ----               -------',
        '  Normal  Scheduled  86s   default-scheduler  Successfully assigned default/nginx-deployment-66b6c48dd5-4jw2p to node01',
        '  Normal  Pulled     85s   kubelet            Container image "nginx:1.14.2" already present on machine',
        '  Normal  Created    85s   kubelet            Created container nginx',
        '  Normal  Started    84s   kubelet            Started container nginx',
      ),
    );
  });

  it('describes an unscheduled pod and folds repeated events', () => {
    const pod = pendingPod('big');
    const msg = '0/2 nodes are available: 2 node(s) were unschedulable.';
    const events = [
      ev('big', 'FailedScheduling', msg, 'default-scheduler', 5, { type: 'Warning' }),
      ev('big', 'FailedScheduling', msg, 'default-scheduler', 2, { type: 'Warning' }),
      ev('big', 'Other', 'same name, other namespace', 'x', 1, { namespace: 'dev' }),
    ];
    expect(describePod(pod, events, NOW)).toBe(
      lines(
        'Name:         big',
        'Namespace:    default',
        'Node:         <none>',
        'Labels:       <none>',
        'Annotations:  <none>',
        'Status:       Pending',
        'IP:           ',
        'IPs:          <none>',
        'Containers:',
        '  nginx:',
        '    Image:        nginx:1.14.2',
        '    Port:         80/TCP',
        '    Host Port:    0/TCP',
        '    Environment:  <none>',
        '    Mounts:       <none>',
        'Conditions:',
        '  Type           Status',
        '  PodScheduled   False ',
        'Volumes:         <none>',
        'QoS Class:       BestEffort',
        'Node-Selectors:  <none>',
        'Tolerations:     <none>',
        'Events:',
        '  Type     Reason            Age              From               Message',
        '  ----     ------            ----             ----               -------',
        `  Warning  FailedScheduling  2s (x2 over 5s)  default-scheduler  ${msg}`,
      ),
    );
  });

  it('shows Terminating, the grace period, and long or multi-line annotations', () => {
    const pod: Pod = runningPod('web-1');
    pod.metadata.deletionTimestamp = ago(-30_000);
    pod.metadata.annotations = {
      'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1"}\n',
      note: 'x'.repeat(150),
      multi: 'a\nb\n',
    };
    const out = describePod(pod, [], NOW);
    expect(out).toContain('Status:                    Terminating (lasts <invalid>)\nTermination Grace Period:  30s\n');
    expect(out).toContain(
      `Annotations:               multi:\n                             a\n                             b\n                           note:\n                             ${'x'.repeat(138)}...\n`,
    );
    expect(out).not.toContain('last-applied-configuration');
    expect(out.endsWith('Events:             <none>\n')).toBe(true);
  });

  it('shows a waiting container and its last termination', () => {
    const pod = runningPod('crash');
    pod.status.containerStatuses = [
      {
        ...pod.status.containerStatuses![0]!,
        ready: false,
        restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { reason: 'Error', exitCode: 1, startedAt: ago(70_000), finishedAt: ago(65_000) } },
      } as unknown as ContainerStatus,
    ];
    const out = describePod(pod, [], NOW);
    expect(out).toContain(
      [
        '    State:          Waiting',
        '      Reason:       CrashLoopBackOff',
        '    Last State:     Terminated',
        '      Reason:       Error',
        '      Exit Code:    1',
        '      Started:      Wed, 01 May 2024 11:58:50 +0000',
        '      Finished:     Wed, 01 May 2024 11:58:55 +0000',
        '    Ready:          False',
        '    Restart Count:  3',
      ].join('\n'),
    );
  });
});
