// state/queries.ts: a node's InternalIP, the Ready condition semantics, and where Flannel's lease annotations live.

import { describe, expect, it } from 'vitest';
import { bootstrapCluster, Cluster, type Node, type NodeCondition } from '@k8s-netsim/core';
import { FLANNEL_ANNOTATION, isNodeReady, nodeInternalIP } from './queries.js';

const base = bootstrapCluster();
const node01 = base.nodes.node01!;

/** node01 with other status addresses / conditions. */
function withStatus(status: Partial<Node['status']>): Node {
  return { ...node01, status: { ...node01.status, ...status } };
}

function condition(type: NodeCondition['type'], status: NodeCondition['status'], reason = 'Test'): NodeCondition {
  return { type, status, reason, message: '', lastHeartbeatTime: '2026-11-25T09:45:00Z', lastTransitionTime: '2026-11-25T09:45:00Z' };
}

describe('nodeInternalIP', () => {
  it('is the InternalIP the kubelet reports, for each node of the default lab', () => {
    expect(base.nodeOrder.map((n) => nodeInternalIP(base.nodes[n]!))).toEqual(['192.168.56.10', '192.168.56.11', '192.168.56.12']);
    expect(node01.status.addresses).toEqual([
      { type: 'InternalIP', address: '192.168.56.11' },
      { type: 'Hostname', address: 'node01' },
    ]);
  });

  it('ignores the other address types and takes the first InternalIP (dual-stack lists IPv4 first)', () => {
    expect(
      nodeInternalIP(
        withStatus({
          addresses: [
            { type: 'Hostname', address: 'node01' },
            { type: 'ExternalIP', address: '203.0.113.7' },
            { type: 'InternalIP', address: '192.168.56.21' },
            { type: 'InternalIP', address: 'fd00::21' },
          ],
        }),
      ),
    ).toBe('192.168.56.21');
  });

  it('is undefined when no InternalIP is reported', () => {
    expect(nodeInternalIP(withStatus({ addresses: [{ type: 'Hostname', address: 'node01' }] }))).toBeUndefined();
    expect(nodeInternalIP(withStatus({ addresses: [] }))).toBeUndefined();
  });

  it('is the address ssh and /etc/hosts use for the node', () => {
    const c = Cluster.create();
    expect(c.exec('ssh 192.168.56.11').ctx).toEqual({ kind: 'node', node: 'node01' });
    expect(c.exec('cat /etc/hosts').stdout).toContain('192.168.56.11 node01\n');
    expect(c.node('node02').internalIP).toBe('192.168.56.12');
  });
});

describe('isNodeReady', () => {
  it('is true for every node of the default lab (Ready=True, KubeletReady)', () => {
    expect(base.nodeOrder.map((n) => isNodeReady(base.nodes[n]!))).toEqual([true, true, true]);
    expect(node01.status.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
  });

  it('is false on a cluster without a CNI (Ready=False, KubeletNotReady), as kubectl shows NotReady', () => {
    const c = Cluster.create({ cni: 'none' });
    expect(c.state.nodeOrder.map((n) => isNodeReady(c.state.nodes[n]!))).toEqual([false, false, false]);
    expect(c.state.nodes.node01!.status.conditions.find((x) => x.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'KubeletNotReady',
      message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
    });
    expect(c.node('node01').ready).toBe(false);
    expect(c.exec('kubectl get nodes').stdout).toBe(
      [
        'NAME           STATUS     ROLES           AGE   VERSION',
        'controlplane   NotReady   control-plane   45m   v1.34.2',
        'node01         NotReady   <none>          42m   v1.34.2',
        'node02         NotReady   <none>          40m   v1.34.2',
        '',
      ].join('\n'),
    );
  });

  it('is false for Ready=Unknown (the node controller’s NodeStatusUnknown) and without a Ready condition', () => {
    const others = node01.status.conditions.filter((c) => c.type !== 'Ready');
    expect(isNodeReady(withStatus({ conditions: [...others, condition('Ready', 'Unknown', 'NodeStatusUnknown')] }))).toBe(false);
    expect(isNodeReady(withStatus({ conditions: [...others, condition('Ready', 'False', 'KubeletNotReady')] }))).toBe(false);
    expect(isNodeReady(withStatus({ conditions: others }))).toBe(false);
    expect(isNodeReady(withStatus({ conditions: [] }))).toBe(false);
  });

  it('reads only the Ready condition: pressure or NetworkUnavailable=True leave a Ready node ready', () => {
    expect(
      isNodeReady(
        withStatus({
          conditions: [
            condition('NetworkUnavailable', 'True'),
            condition('MemoryPressure', 'True'),
            condition('DiskPressure', 'True'),
            condition('PIDPressure', 'True'),
            condition('Ready', 'True'),
          ],
        }),
      ),
    ).toBe(true);
    // …and another condition being True does not make a node Ready.
    expect(isNodeReady(withStatus({ conditions: [condition('MemoryPressure', 'True'), condition('Ready', 'False')] }))).toBe(false);
  });
});

describe('FLANNEL_ANNOTATION', () => {
  const flannel = (n: Node) =>
    Object.fromEntries(
      Object.entries(n.metadata.annotations ?? {})
        .filter(([k]) => k.startsWith(FLANNEL_ANNOTATION))
        .map(([k, v]) => [k.slice(FLANNEL_ANNOTATION.length), v]),
    );

  it('is the prefix flanneld publishes its lease under', () => {
    expect(FLANNEL_ANNOTATION).toBe('flannel.alpha.coreos.com/');
  });

  it('carries the four annotations of a vxlan lease, public-ip being the node’s InternalIP', () => {
    expect(flannel(node01)).toEqual({
      'backend-data': '{"VNI":1,"VtepMAC":"ae:a8:1b:77:6f:36"}',
      'backend-type': 'vxlan',
      'kube-subnet-manager': 'true',
      'public-ip': '192.168.56.11',
    });
    for (const n of base.nodeOrder) expect(flannel(base.nodes[n]!)['public-ip']).toBe(nodeInternalIP(base.nodes[n]!));
  });

  it('has backend-data "null" with the host-gw backend', () => {
    const s = bootstrapCluster({ flannelBackend: 'host-gw' });
    expect(flannel(s.nodes.node02!)).toEqual({ 'backend-data': 'null', 'backend-type': 'host-gw', 'kube-subnet-manager': 'true', 'public-ip': '192.168.56.12' });
  });

  it('is absent before a CNI is installed, and present once Flannel runs', () => {
    const none = Cluster.create({ cni: 'none' });
    expect(flannel(none.state.nodes.node01!)).toEqual({});
    const withFlannel = none.exec('kubectl apply -f https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml').cluster;
    expect(Object.keys(flannel(withFlannel.state.nodes.node01!)).sort()).toEqual(['backend-data', 'backend-type', 'kube-subnet-manager', 'public-ip']);
    expect(isNodeReady(withFlannel.state.nodes.node01!)).toBe(true);
  });
});
