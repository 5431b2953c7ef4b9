import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod } from '../../api/types.js';
import type { ClusterEvent } from '../../state/types.js';
import { describeConfigMap, describeNode, describePod } from './describe.js';
import { ago, configMap, flannelConfigMap, node, NOW, pendingPod, runningPod } from './objects.fixture.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const ev = (name: string, reason: string, message: string, source: string, secondsAgo: number, extra: Partial<ClusterEvent> = {}): ClusterEvent => ({
  kind: 'Pod',
  namespace: 'default',
  name,
  type: 'Normal',
  reason,
  message,
  source,
  time: NOW - secondsAgo * 1000,
  ...extra,
});

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

describe('describeNode', () => {
  const pods = [runningPod('web-1'), runningPod('elsewhere', { node: 'node02' }), { ...runningPod('done'), status: { ...runningPod('done').status, phase: 'Succeeded' as const } }];
  // Requests as kubeadm's CoreDNS manifest sets them (carried as extra container fields).
  const coredns = runningPod('coredns-76f75df574-x7k2p', { namespace: 'kube-system' });
  Object.assign(coredns.spec.containers[0]!, { resources: { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } } });
  pods.push(coredns);

  const out = describeNode(node('node01'), pods, [ev('node01', 'Starting', 'Starting kubelet.', 'kubelet', 600, { kind: 'Node', namespace: undefined })], NOW);

  it('prints the header fields aligned at the widest label', () => {
    expect(
      out.startsWith(
        lines(
          'Name:               node01',
          'Roles:              <none>',
          'Labels:             beta.kubernetes.io/arch=amd64',
          '                    beta.kubernetes.io/os=linux',
          '                    kubernetes.io/arch=amd64',
          '                    kubernetes.io/hostname=node01',
          '                    kubernetes.io/os=linux',
          'Annotations:        kubeadm.alpha.kubernetes.io/cri-socket: unix:///var/run/cri-dockerd.sock',
          '                    node.alpha.kubernetes.io/ttl: 0',
          '                    volumes.kubernetes.io/controller-managed-attach-detach: true',
          'CreationTimestamp:  Sun, 21 Apr 2024 12:00:00 +0000',
          'Taints:             <none>',
          'Unschedulable:      false',
          'Lease:',
          '  HolderIdentity:  node01',
          '  AcquireTime:     <unset>',
          '  RenewTime:       Wed, 01 May 2024 11:57:00 +0000',
          'Conditions:',
          '  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message',
          '  ----             ------  -----------------                 ------------------                ------                       -------',
          '  MemoryPressure   False   Wed, 01 May 2024 11:57:00 +0000   Sun, 21 Apr 2024 12:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available',
          '  Ready            True    Wed, 01 May 2024 11:57:00 +0000   Sun, 21 Apr 2024 12:00:00 +0000   KubeletReady                 kubelet is posting ready status',
          'Addresses:',
          '  InternalIP:  172.30.1.2',
          '  Hostname:    node01',
        ),
      ),
    ).toBe(true);
  });

  it('lists non-terminated pods on this node with requests, and totals', () => {
    expect(out).toContain(
      lines(
        '  Kube-Proxy Version:         v1.29.0',
        'PodCIDR:                      10.244.0.0/24',
        'PodCIDRs:                     10.244.0.0/24',
        'Non-terminated Pods:          (2 in total)',
        '  Namespace                   Name                        CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age',
        '  ---------                   ----                        ------------  ----------  ---------------  -------------  ---',
        '  default                     web-1                       0 (0%)        0 (0%)      0 (0%)           0 (0%)         86s',
        '  kube-system                 coredns-76f75df574-x7k2p    100m (5%)     0 (0%)      70Mi (3%)        170Mi (9%)     86s',
        'Allocated resources:',
        '  (Total limits may be over 100 percent, i.e., overcommitted.)',
        '  Resource           Requests   Limits',
        '  --------           --------   ------',
        '  cpu                100m (5%)  0 (0%)',
        '  memory             70Mi (3%)  170Mi (9%)',
        '  ephemeral-storage  0 (0%)     0 (0%)',
        '  hugepages-2Mi      0 (0%)     0 (0%)',
        'Events:',
        '  Type    Reason    Age   From     Message',
        '  ----    ------    ----  ----     -------',
        '  Normal  Starting  10m   kubelet  Starting kubelet.',
      ),
    );
    expect(out).not.toContain('elsewhere');
    expect(out).not.toContain(' done ');
  });

  it('prints taints and omits the lease on request', () => {
    const cp = describeNode(node('controlplane', { controlPlane: true }), [], [], NOW, { lease: null });
    expect(cp).toContain('Roles:              control-plane\n');
    expect(cp).toContain('Taints:             node-role.kubernetes.io/control-plane:NoSchedule\nUnschedulable:      false\nConditions:\n');
    expect(cp).toContain('Non-terminated Pods:          (0 in total)\n');
    expect(cp.endsWith('Events:              <none>\n')).toBe(true);
  });
});

describe('describeConfigMap', () => {
  it('lays out kube-flannel-cfg like kubectl describe configmap', () => {
    expect(describeConfigMap(flannelConfigMap(), [], NOW)).toBe(
      lines(
        'Name:         kube-flannel-cfg',
        'Namespace:    kube-flannel',
        'Labels:       app=flannel',
        '              k8s-app=flannel',
        '              tier=node',
        'Annotations:  <none>',
        '',
        'Data',
        '====',
        'cni-conf.json:',
        '----',
        '{',
        '  "name": "cbr0"',
        '}',
        '',
        '',
        'net-conf.json:',
        '----',
        '{',
        '  "Network": "10.244.0.0/16",',
        '  "EnableNFTables": false,',
        '  "Backend": {',
        '    "Type": "vxlan"',
        '  }',
        '}',
        '',
        '',
        '',
        'BinaryData',
        '====',
        '',
        'Events:  <none>',
      ),
    );
  });

  it('prints binaryData sizes, hides last-applied-configuration, and shows its own events', () => {
    const cm = configMap('blobs', 'default', { k: 'v' }, { 'logo.png': 'iVBORw0KGgo=', empty: '' });
    cm.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{}', owner: 'team-a' };
    const events: ClusterEvent[] = [
      { kind: 'ConfigMap', namespace: 'default', name: 'blobs', type: 'Warning', reason: 'Synced', message: 'example', source: 'tester', time: NOW - 30_000 },
      { kind: 'ConfigMap', namespace: 'other', name: 'blobs', type: 'Normal', reason: 'Elsewhere', message: 'x', source: 'tester', time: NOW },
    ];
    expect(describeConfigMap(cm, events, NOW)).toBe(
      lines(
        'Name:         blobs',
        'Namespace:    default',
        'Labels:       <none>',
        'Annotations:  owner: team-a',
        '',
        'Data',
        '====',
        'k:',
        '----',
        'v',
        '',
        '',
        'BinaryData',
        '====',
        'empty: 0 bytes',
        'logo.png: 8 bytes',
        '',
        'Events:',
        '  Type     Reason  Age   From    Message',
        '  ----     ------  ----  ----    -------',
        '  Warning  Synced  30s   tester  example',
      ),
    );
  });
});
