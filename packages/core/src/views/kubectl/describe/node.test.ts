import { describe, expect, it } from 'vitest';
import { node, NOW, runningPod } from '../objects.fixture.js';
import { ev, lines } from './describe.fixture.js';
import { describeNode } from './index.js';

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
