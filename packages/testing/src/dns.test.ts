// resolveName: a name as a pod's program resolves it (resolv.conf search list, the image's libc),
// answered by the cluster's CoreDNS per the Kubernetes DNS specification.

import { describe, expect, it } from 'vitest';
import { Cluster } from '@k8s-netsim/core';
import { resolveName } from './dns.js';

const c = Cluster.create().exec('kubectl run client --image=busybox:1.28 -- sleep 3600').cluster.exec('kubectl run deb --image=debian -- sleep 3600').cluster;

describe('resolveName', () => {
  it('a short Service name from a pod walks the search list to <svc>.<ns>.svc.cluster.local', () => {
    const r = resolveName(c, { from: { pod: 'client' }, name: 'kubernetes' });
    expect(r).toMatchObject({ status: 'ok', addresses: ['10.96.0.1'], answeredName: 'kubernetes.default.svc.cluster.local', resolver: 'uclibc' });
    expect(r.queries).toEqual([{ name: 'kubernetes.default.svc.cluster.local', type: 'A', server: '10.96.0.10', rcode: 'NOERROR' }]);
  });

  it('glibc (Debian) tries every search domain before the name itself (ndots:5), NXDOMAIN at the end', () => {
    const r = resolveName(c, { from: { pod: 'default/deb' }, name: 'nope.example' });
    expect(r.status).toBe('nxdomain');
    expect(r.resolver).toBe('glibc');
    expect(r.queries.filter((q) => q.type === 'A').map((q) => q.name)).toEqual([
      'nope.example.default.svc.cluster.local',
      'nope.example.svc.cluster.local',
      'nope.example.cluster.local',
      'nope.example',
    ]);
  });

  it('SRV for a named port, and a node resolving through its uplink (the lab gateway)', () => {
    const srv = resolveName(c, { from: { pod: 'client' }, name: '_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local', type: 'SRV' });
    expect(srv.records.map((r) => r.data)).toEqual(['0 100 53 kube-dns.kube-system.svc.cluster.local.']);
    const node = resolveName(c, { from: { node: 'node01' }, name: 'example.com' });
    expect(node).toMatchObject({ status: 'ok', addresses: ['93.184.215.14'], resolver: 'glibc' });
    expect(node.queries[0]?.server).toBe('192.168.56.1');
  });

  it('an unknown pod is an error, not an empty answer', () => {
    expect(() => resolveName(c, { from: { pod: 'ghost' }, name: 'kubernetes' })).toThrow('no such pod on a node: default/ghost');
  });
});
