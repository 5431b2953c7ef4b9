// Hand-built Netns fixtures for the view tests: node2 of /work/shared/reference/flannel-node.md
// (kubeadm + flannel vxlan, pods web-abc and db-0) and the netns of pod web-abc.
//
// The same topology was recreated with real iproute2 in throwaway namespaces on this machine
// (same names, MACs and addresses), and the tests assert the text the real tools printed
// there. Differences from the reference, all following the real kernel: every link reports
// qlen 1000 (since Linux 4.3 bridges, veths and vxlans keep the default txqueuelen and use
// IFF_NO_QUEUE instead), there are no "vlan 1" FDB entries (the bridge has vlan_filtering 0),
// and the FDB holds the multicast entries the kernel adds for each link.

import type { FdbEntry, Link, Netns } from '../../dataplane/types.js';
import { parseIPv4 } from '../../net/ipv4.js';

const ip = parseIPv4;
const UP = ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'];
const zero = { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0 };

export const WEB_ABC_NETNS = 'cni-6a1c0f3e-8b2d-4e57-b1d9-2f0c9a7e1b44';
export const DB_0_NETNS = 'cni-0f93b7aa-51c2-4d0e-9e6a-7c8d2b3a5f10';

function lo(): Link {
  return {
    ifindex: 1,
    name: 'lo',
    kind: 'loopback',
    mac: '00:00:00:00:00:00',
    mtu: 65536,
    flags: ['LOOPBACK', 'UP', 'LOWER_UP'],
    operstate: 'UNKNOWN',
    qdisc: 'noqueue',
    qlen: 1000,
    stats: { ...zero },
  };
}

function multicastFdb(dev: string, mac: string): FdbEntry[] {
  // All-nodes (IPv6 and IPv4) and the solicited-node group of the link-local address
  // (33:33:ff + the last three MAC bytes).
  const macs = ['33:33:00:00:00:01', '01:00:5e:00:00:01', `33:33:ff:${mac.split(':').slice(3).join(':')}`];
  return macs.map((m) => ({ mac: m, dev, self: true, permanent: true }));
}

export function node2(): Netns {
  const links: Link[] = [
    lo(),
    {
      ifindex: 2,
      name: 'eth0',
      kind: 'device',
      mac: '08:00:27:3c:91:5a',
      mtu: 1500,
      flags: UP,
      operstate: 'UP',
      qdisc: 'fq_codel',
      qlen: 1000,
      stats: { rxPackets: 48213, rxBytes: 61233871, txPackets: 20114, txBytes: 2133498 },
    },
    {
      ifindex: 3,
      name: 'docker0',
      kind: 'bridge',
      mac: '02:42:5b:1c:9a:07',
      mtu: 1500,
      flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP'],
      operstate: 'DOWN',
      qdisc: 'noqueue',
      qlen: 1000,
      stats: { ...zero },
    },
    {
      ifindex: 4,
      name: 'flannel.1',
      kind: 'vxlan',
      mac: '6e:d1:3a:4f:2b:11',
      mtu: 1450,
      flags: UP,
      operstate: 'UNKNOWN',
      qdisc: 'noqueue',
      qlen: 1000,
      vxlan: { id: 1, local: ip('192.168.56.11'), dev: 'eth0', dstport: 8472, learning: false },
      stats: { rxPackets: 1024, rxBytes: 88064, txPackets: 1200, txBytes: 103200 },
    },
    {
      ifindex: 5,
      name: 'cni0',
      kind: 'bridge',
      mac: '2a:8e:5d:c0:11:7b',
      mtu: 1450,
      flags: UP,
      operstate: 'UP',
      qdisc: 'noqueue',
      qlen: 1000,
      stats: { rxPackets: 18, rxBytes: 1200, txPackets: 15, txBytes: 1194 },
    },
    {
      ifindex: 6,
      name: 'veth3f2a9c1d',
      kind: 'veth',
      mac: '4e:0b:7c:21:9d:e0',
      mtu: 1450,
      flags: UP,
      operstate: 'UP',
      qdisc: 'noqueue',
      qlen: 1000,
      master: 'cni0',
      hairpin: true,
      peerIfindex: 2,
      linkNetns: WEB_ABC_NETNS,
      stats: { rxPackets: 12, rxBytes: 936, txPackets: 34, txBytes: 2716 },
    },
    {
      ifindex: 7,
      name: 'vethb71e04a2',
      kind: 'veth',
      mac: 'd6:4a:90:1e:33:c8',
      mtu: 1450,
      flags: UP,
      operstate: 'UP',
      qdisc: 'noqueue',
      qlen: 1000,
      master: 'cni0',
      hairpin: true,
      peerIfindex: 2,
      linkNetns: DB_0_NETNS,
      stats: { rxPackets: 6, rxBytes: 516, txPackets: 6, txBytes: 516 },
    },
  ];
  return {
    name: 'root',
    node: 'node2',
    links,
    addresses: [
      { ifindex: 1, ip: ip('127.0.0.1'), prefixLen: 8, scope: 'host', label: 'lo' },
      { ifindex: 2, ip: ip('192.168.56.11'), prefixLen: 24, broadcast: ip('192.168.56.255'), scope: 'global', label: 'eth0' },
      { ifindex: 3, ip: ip('172.17.0.1'), prefixLen: 16, broadcast: ip('172.17.255.255'), scope: 'global', label: 'docker0' },
      { ifindex: 4, ip: ip('10.244.1.0'), prefixLen: 32, scope: 'global', label: 'flannel.1' },
      { ifindex: 5, ip: ip('10.244.1.1'), prefixLen: 24, broadcast: ip('10.244.1.255'), scope: 'global', label: 'cni0' },
    ],
    // Deliberately not in kernel order: the view sorts as the kernel dumps.
    routes: [
      { dst: ip('192.168.56.0'), prefixLen: 24, dev: 'eth0', proto: 'kernel', scope: 'link', src: ip('192.168.56.11'), table: 'main', type: 'unicast' },
      { dst: ip('172.17.0.0'), prefixLen: 16, dev: 'docker0', proto: 'kernel', scope: 'link', src: ip('172.17.0.1'), table: 'main', type: 'unicast' },
      { dst: 0, prefixLen: 0, gateway: ip('192.168.56.1'), dev: 'eth0', proto: 'static', table: 'main', type: 'unicast' },
      { dst: ip('10.244.1.0'), prefixLen: 24, dev: 'cni0', proto: 'kernel', scope: 'link', src: ip('10.244.1.1'), table: 'main', type: 'unicast' },
      { dst: ip('10.244.2.0'), prefixLen: 24, gateway: ip('10.244.2.0'), dev: 'flannel.1', onlink: true, table: 'main', type: 'unicast' },
      { dst: ip('10.244.0.0'), prefixLen: 24, gateway: ip('10.244.0.0'), dev: 'flannel.1', onlink: true, table: 'main', type: 'unicast' },
    ],
    // The order the real kernel dumped them in (hash order).
    neighbours: [
      { ip: ip('10.244.1.2'), dev: 'cni0', lladdr: 'b2:7c:41:08:9e:13', state: 'REACHABLE' },
      { ip: ip('10.244.2.0'), dev: 'flannel.1', lladdr: 'c2:55:8e:7a:10:4d', state: 'PERMANENT' },
      { ip: ip('10.244.1.3'), dev: 'cni0', lladdr: '3e:91:d5:6a:02:c4', state: 'STALE' },
      { ip: ip('192.168.56.10'), dev: 'eth0', lladdr: '08:00:27:aa:10:01', state: 'REACHABLE' },
      { ip: ip('192.168.56.1'), dev: 'eth0', lladdr: '52:54:00:12:35:02', state: 'STALE' },
      { ip: ip('10.244.0.0'), dev: 'flannel.1', lladdr: '9a:1f:33:0c:5e:21', state: 'PERMANENT' },
    ],
    fdb: [
      ...multicastFdb('eth0', '08:00:27:3c:91:5a'),
      // Bridges also join the multicast-router groups (…:6a); docker0 has no link-local address.
      { mac: '33:33:00:00:00:01', dev: 'docker0', self: true, permanent: true },
      { mac: '01:00:5e:00:00:6a', dev: 'docker0', self: true, permanent: true },
      { mac: '33:33:00:00:00:6a', dev: 'docker0', self: true, permanent: true },
      { mac: '01:00:5e:00:00:01', dev: 'docker0', self: true, permanent: true },
      { mac: '02:42:5b:1c:9a:07', dev: 'docker0', master: 'docker0', permanent: true },
      { mac: 'c2:55:8e:7a:10:4d', dev: 'flannel.1', dst: ip('192.168.56.12'), self: true, permanent: true },
      { mac: '9a:1f:33:0c:5e:21', dev: 'flannel.1', dst: ip('192.168.56.10'), self: true, permanent: true },
      { mac: '33:33:00:00:00:01', dev: 'cni0', self: true, permanent: true },
      { mac: '01:00:5e:00:00:6a', dev: 'cni0', self: true, permanent: true },
      { mac: '33:33:00:00:00:6a', dev: 'cni0', self: true, permanent: true },
      { mac: '01:00:5e:00:00:01', dev: 'cni0', self: true, permanent: true },
      { mac: '33:33:ff:c0:11:7b', dev: 'cni0', self: true, permanent: true },
      { mac: '2a:8e:5d:c0:11:7b', dev: 'cni0', master: 'cni0', permanent: true },
      { mac: 'b2:7c:41:08:9e:13', dev: 'veth3f2a9c1d', master: 'cni0' },
      { mac: '4e:0b:7c:21:9d:e0', dev: 'veth3f2a9c1d', master: 'cni0', permanent: true },
      ...multicastFdb('veth3f2a9c1d', '4e:0b:7c:21:9d:e0'),
      { mac: '3e:91:d5:6a:02:c4', dev: 'vethb71e04a2', master: 'cni0' },
      { mac: 'd6:4a:90:1e:33:c8', dev: 'vethb71e04a2', master: 'cni0', permanent: true },
      ...multicastFdb('vethb71e04a2', 'd6:4a:90:1e:33:c8'),
    ],
  };
}

/** The netns of pod web-abc (10.244.1.2), whose eth0 is the peer of node2's veth3f2a9c1d. */
export function webAbc(): Netns {
  return {
    name: WEB_ABC_NETNS,
    node: 'node2',
    pod: 'default/web-abc',
    links: [
      lo(),
      {
        ifindex: 2,
        name: 'eth0',
        kind: 'veth',
        mac: 'b2:7c:41:08:9e:13',
        mtu: 1450,
        flags: UP,
        operstate: 'UP',
        qdisc: 'noqueue',
        qlen: 1000,
        peerIfindex: 6,
        linkNetnsId: 0,
        stats: { rxPackets: 34, rxBytes: 2716, txPackets: 12, txBytes: 936 },
      },
    ],
    addresses: [
      { ifindex: 1, ip: ip('127.0.0.1'), prefixLen: 8, scope: 'host', label: 'lo' },
      { ifindex: 2, ip: ip('10.244.1.2'), prefixLen: 24, broadcast: ip('10.244.1.255'), scope: 'global', label: 'eth0' },
    ],
    routes: [
      // The CNI plugins add routes through netlink with the default RTPROT_BOOT: no "proto".
      { dst: 0, prefixLen: 0, gateway: ip('10.244.1.1'), dev: 'eth0', table: 'main', type: 'unicast' },
      { dst: ip('10.244.0.0'), prefixLen: 16, gateway: ip('10.244.1.1'), dev: 'eth0', table: 'main', type: 'unicast' },
      { dst: ip('10.244.1.0'), prefixLen: 24, dev: 'eth0', proto: 'kernel', scope: 'link', src: ip('10.244.1.2'), table: 'main', type: 'unicast' },
    ],
    neighbours: [],
    fdb: [],
  };
}
