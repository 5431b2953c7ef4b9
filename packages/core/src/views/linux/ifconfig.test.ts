import { describe, expect, it } from 'vitest';
import { ToolError } from './errors.js';
import { node2, webAbc } from './flannel-node2.fixture.js';
import { IFF, ifconfig, ifconfigFlags, netToolsBytes, nstrcmp } from './ifconfig.js';

// Exact stdout of net-tools 2.10 `ifconfig` in the namespaces that mirror the fixtures (see
// ip.test.ts). One edit: the real docker0 and flannel.1 had counted "TX … dropped 2" / "12"
// (IPv6 router/neighbour solicitations with nowhere to go); the model keeps no drop counters.

const REAL_NODE2_IFCONFIG = [
  'cni0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1450',
  '        inet 10.244.1.1  netmask 255.255.255.0  broadcast 10.244.1.255',
  '        inet6 fe80::288e:5dff:fec0:117b  prefixlen 64  scopeid 0x20<link>',
  '        ether 2a:8e:5d:c0:11:7b  txqueuelen 1000  (Ethernet)',
  '        RX packets 18  bytes 1200 (1.1 KiB)',
  '        RX errors 0  dropped 0  overruns 0  frame 0',
  '        TX packets 15  bytes 1194 (1.1 KiB)',
  '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
  '',
  'docker0: flags=4099<UP,BROADCAST,MULTICAST>  mtu 1500',
  '        inet 172.17.0.1  netmask 255.255.0.0  broadcast 172.17.255.255',
  '        ether 02:42:5b:1c:9a:07  txqueuelen 1000  (Ethernet)',
  '        RX packets 0  bytes 0 (0.0 B)',
  '        RX errors 0  dropped 0  overruns 0  frame 0',
  '        TX packets 0  bytes 0 (0.0 B)',
  '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
  '',
  'eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500',
  '        inet 192.168.56.11  netmask 255.255.255.0  broadcast 192.168.56.255',
  '        inet6 fe80::a00:27ff:fe3c:915a  prefixlen 64  scopeid 0x20<link>',
  '        ether 08:00:27:3c:91:5a  txqueuelen 1000  (Ethernet)',
  '        RX packets 12  bytes 936 (936.0 B)',
  '        RX errors 0  dropped 0  overruns 0  frame 0',
  '        TX packets 13  bytes 1006 (1006.0 B)',
  '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
  '',
  'flannel.1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1450',
  '        inet 10.244.1.0  netmask 255.255.255.255  broadcast 0.0.0.0',
  '        inet6 fe80::6cd1:3aff:fe4f:2b11  prefixlen 64  scopeid 0x20<link>',
  '        ether 6e:d1:3a:4f:2b:11  txqueuelen 1000  (Ethernet)',
  '        RX packets 0  bytes 0 (0.0 B)',
  '        RX errors 0  dropped 0  overruns 0  frame 0',
  '        TX packets 0  bytes 0 (0.0 B)',
  '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
  '',
  'lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536',
  '        inet 127.0.0.1  netmask 255.0.0.0',
  '        inet6 ::1  prefixlen 128  scopeid 0x10<host>',
  '        loop  txqueuelen 1000  (Local Loopback)',
  '        RX packets 0  bytes 0 (0.0 B)',
  '        RX errors 0  dropped 0  overruns 0  frame 0',
  '        TX packets 0  bytes 0 (0.0 B)',
  '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
  '',
  'veth3f2a9c1d: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1450',
  '        inet6 fe80::4c0b:7cff:fe21:9de0  prefixlen 64  scopeid 0x20<link>',
  '        ether 4e:0b:7c:21:9d:e0  txqueuelen 1000  (Ethernet)',
  '        RX packets 12  bytes 936 (936.0 B)',
  '        RX errors 0  dropped 0  overruns 0  frame 0',
  '        TX packets 34  bytes 2716 (2.6 KiB)',
  '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
  '',
  'vethb71e04a2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1450',
  '        inet6 fe80::d44a:90ff:fe1e:33c8  prefixlen 64  scopeid 0x20<link>',
  '        ether d6:4a:90:1e:33:c8  txqueuelen 1000  (Ethernet)',
  '        RX packets 6  bytes 516 (516.0 B)',
  '        RX errors 0  dropped 0  overruns 0  frame 0',
  '        TX packets 6  bytes 516 (516.0 B)',
  '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
  '',
];
const REAL_POD_IFCONFIG = [
  'eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1450',
  '        inet 10.244.1.2  netmask 255.255.255.0  broadcast 10.244.1.255',
  '        inet6 fe80::b07c:41ff:fe08:9e13  prefixlen 64  scopeid 0x20<link>',
  '        ether b2:7c:41:08:9e:13  txqueuelen 1000  (Ethernet)',
  '        RX packets 34  bytes 2716 (2.6 KiB)',
  '        RX errors 0  dropped 0  overruns 0  frame 0',
  '        TX packets 12  bytes 936 (936.0 B)',
  '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
  '',
  'lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536',
  '        inet 127.0.0.1  netmask 255.0.0.0',
  '        inet6 ::1  prefixlen 128  scopeid 0x10<host>',
  '        loop  txqueuelen 1000  (Local Loopback)',
  '        RX packets 0  bytes 0 (0.0 B)',
  '        RX errors 0  dropped 0  overruns 0  frame 0',
  '        TX packets 0  bytes 0 (0.0 B)',
  '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
  '',
];

const text = (lines: string[]): string => lines.map((l) => `${l}\n`).join('');

/** node2 with the packet counters the lab's interfaces had when ifconfig ran. */
function node2AsCaptured() {
  const ns = node2();
  for (const l of ns.links) {
    if (l.name === 'eth0') l.stats = { rxPackets: 12, rxBytes: 936, txPackets: 13, txBytes: 1006 };
    if (l.name === 'flannel.1') l.stats = { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0 };
  }
  return ns;
}

describe('ifconfig', () => {
  it('node2 matches real `ifconfig` (name order, flags, broadcast 0.0.0.0 on flannel.1)', () => {
    expect(ifconfig(node2AsCaptured())).toBe(text(REAL_NODE2_IFCONFIG));
  });

  it('pod web-abc matches real `ifconfig`', () => {
    expect(ifconfig(webAbc())).toBe(text(REAL_POD_IFCONFIG));
  });

  it('hides down interfaces unless -a, and shows a named one regardless', () => {
    const ns = webAbc();
    const eth0 = ns.links[1]!;
    eth0.flags = ['BROADCAST', 'MULTICAST'];
    eth0.operstate = 'DOWN';
    expect(ifconfig(ns)).not.toContain('eth0:');
    // Real `ifconfig -a` for a down bridge: flags=4098<BROADCAST,MULTICAST>, no inet6.
    const down = [
      'eth0: flags=4098<BROADCAST,MULTICAST>  mtu 1450',
      '        inet 10.244.1.2  netmask 255.255.255.0  broadcast 10.244.1.255',
      '        ether b2:7c:41:08:9e:13  txqueuelen 1000  (Ethernet)',
    ];
    expect(ifconfig(ns, { all: true })).toContain(down.join('\n'));
    expect(ifconfig(ns, { dev: 'eth0' }).startsWith(down.join('\n'))).toBe(true);
  });

  it('unknown device fails like net-tools', () => {
    expect(() => ifconfig(webAbc(), { dev: 'nosuch' })).toThrow(ToolError);
    expect(() => ifconfig(webAbc(), { dev: 'nosuch' })).toThrow('nosuch: error fetching interface information: Device not found');
  });
});

describe('ifconfigFlags', () => {
  it('computes the SIOCGIFFLAGS numbers seen on a real node', () => {
    const byName = Object.fromEntries(node2().links.map((l) => [l.name, ifconfigFlags(l)]));
    expect(byName).toEqual({
      lo: 73, // UP|LOOPBACK|RUNNING
      eth0: 4163, // UP|BROADCAST|RUNNING|MULTICAST
      docker0: 4099, // no carrier: not RUNNING
      'flannel.1': 4163, // operstate UNKNOWN counts as running
      cni0: 4163,
      veth3f2a9c1d: 4163, // bridge port: kernel promiscuity is not IFF_PROMISC here
      vethb71e04a2: 4163,
    });
  });

  it('maps every named flag to its bit', () => {
    const link = { ...node2().links[1]!, flags: ['UP', 'BROADCAST', 'NOARP', 'PROMISC', 'ALLMULTI', 'MULTICAST', 'LOWER_UP'] };
    expect(ifconfigFlags(link)).toBe(IFF.UP | IFF.BROADCAST | IFF.NOARP | IFF.PROMISC | IFF.ALLMULTI | IFF.MULTICAST | IFF.RUNNING);
    expect(ifconfig({ ...node2(), links: [link] })).toContain('flags=5059<UP,BROADCAST,RUNNING,NOARP,PROMISC,ALLMULTI,MULTICAST>  mtu 1500');
  });

  it('prints net-tools\' odd "flags=0<" for a link with no flags', () => {
    const link = { ...node2().links[1]!, flags: [], operstate: 'DOWN' as const };
    expect(ifconfig({ ...node2(), links: [link] }, { all: true })).toMatch(/^eth0: flags=0< {2}mtu 1500\n/);
  });
});

describe('netToolsBytes', () => {
  it.each([
    [0, '0.0 B'],
    [544, '544.0 B'],
    [1024, '1024.0 B'], // unit changes strictly above 1024
    [1025, '1.0 KiB'],
    [1500, '1.4 KiB'], // real: 1500 bytes (1.4 KiB)
    [2716, '2.6 KiB'],
    [231684, '226.2 KiB'], // real, truncated not rounded
    [1048576, '1024.0 KiB'],
    [135963461, '129.6 MiB'], // real
    [5 * 1073741824 + 1, '5.0 GiB'],
    [3 * 1099511627776 + 1, '3.0 TiB'],
  ])('%d → %s', (n, s) => {
    expect(netToolsBytes(n)).toBe(s);
  });
});

describe('nstrcmp', () => {
  it('sorts like net-tools (numeric units, aliases)', () => {
    const names = ['veth3f2a9c1d', 'lo', 'eth10', 'flannel.1', 'eth2', 'eth0:1', 'eth0', 'docker0', 'cni0', 'eth0:10', 'eth0:2'];
    expect([...names].sort(nstrcmp)).toEqual(['cni0', 'docker0', 'eth0', 'eth0:1', 'eth0:2', 'eth0:10', 'eth2', 'eth10', 'flannel.1', 'lo', 'veth3f2a9c1d']);
  });

  // The test vectors of net-tools' own lib/nstrcmp.c.
  it.each([
    ['eth1', 'eth1', 0],
    ['eth0:1', 'eth0:1', 0],
    ['a', 'aa', -1],
    ['eth0', 'eth1', -1],
    ['eth1', 'eth20', -1],
    ['eth20', 'eth100', -1],
    ['eth1', 'eth13', -1],
    ['eth', 'eth2', -1],
    ['eth0:1', 'eth0:2', -1],
    ['eth1:10', 'eth13:10', -1],
    ['eth1:1', 'eth1:13', -1],
    ['a', 'a:', -1],
    ['aa', 'a', 1],
    ['eth2', 'eth1', 1],
    ['eth13', 'eth1', 1],
    ['eth2', 'eth', 1],
    ['eth2:10', 'eth2:1', 1],
    ['eth2:5', 'eth2:4', 1],
    ['eth3:2', 'eth2:3', 1],
    ['eth13:1', 'eth1:0', 1],
    ['a:', 'a', 1],
    ['a1b12', 'a1b2', 1],
  ])('nstrcmp(%j, %j) has sign %d', (a, b, sign) => {
    expect(Math.sign(nstrcmp(a, b))).toBe(sign);
  });
});
