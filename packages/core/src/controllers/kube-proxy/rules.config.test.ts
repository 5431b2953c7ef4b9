// kube-proxy's rules under each supported KubeProxyConfiguration setting, compared with what the
// iptables proxier writes (pkg/proxy/iptables/proxier.go syncProxyRules, v1.34), in its own
// iptables-restore syntax, parsed and compared as data. The detector forms are those of
// pkg/proxy/util/localdetector.go (and its test): `-s CIDR` / `! -s CIDR`, `-i IFACE` /
// `! -i IFACE`, `-i PREFIX+` / `! -i PREFIX+`.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultKubeProxyConfiguration, type KubeProxyConfiguration } from '../../addons/kube-proxy-config.js';
import { normalizeRule } from '../../dataplane/netfilter/normalise.js';
import { parseIptablesRestore } from '../../dataplane/netfilter/restore-parse.js';
import { ipToString, parseIPv4 } from '../../net/ipv4.js';
import type { Rule } from '../../net/netfilter.js';
import { localDetectorOf, nodePortCIDRs, proxyConfigOf } from './node.js';
import { kubeProxyTables, masqueradeMark, type KubeProxyTables } from './rules.js';
import type { ProxyConfig, ProxyServicePort } from './types.js';

const NODE = '192.168.56.11';

function svc(p: Partial<ProxyServicePort>): ProxyServicePort {
  return {
    namespace: 'ns1',
    name: 'svc1',
    portName: 'p80',
    protocol: 'TCP',
    clusterIP: '10.96.0.41',
    port: 80,
    externalIPs: [],
    loadBalancerIPs: [],
    loadBalancerSourceRanges: [],
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    endpoints: [{ ip: '10.244.1.5', port: 80, ready: true, serving: true, terminating: false, nodeName: 'node01' }],
    ...p,
  };
}

const lb = svc({
  namespace: 'ns2',
  name: 'svc2',
  clusterIP: '10.96.0.42',
  nodePort: 31002,
  externalTrafficPolicy: 'Local',
  loadBalancerIPs: ['192.168.56.240'],
  healthCheckNodePort: 32000,
});

/** The ProxyConfig kube-proxy on node01 runs with for a configuration. */
function cfgOf(config: Partial<KubeProxyConfiguration>, addresses: string[] = [NODE, '10.244.1.1', '10.244.1.0', '172.17.0.1', '127.0.0.1']): ProxyConfig {
  return proxyConfigOf(
    { ...defaultKubeProxyConfiguration('10.244.0.0/16'), ...config },
    { nodeName: 'node01', nodeIP: NODE, podCIDRs: ['10.244.1.0/24'], addresses: () => addresses.map(parseIPv4) },
  );
}

/** kube-proxy's restore-input lines for one chain, as rules (normalised). */
function restoreLines(table: 'nat' | 'filter', chain: string, lines: string[]): Rule[] {
  const text = `*${table}\n:${chain} - [0:0]\n${lines.join('\n')}\nCOMMIT\n`;
  return parseIptablesRestore(text).tables[0]!.chains.find((c) => c.name === chain)!.rules;
}

const chainOf = (t: KubeProxyTables, table: 'nat' | 'filter', name: string): Rule[] => t[table].find((c) => c.name === name)!.rules.map(normalizeRule);

const LAST = '-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain"';

describe('detectLocalMode: the masquerade-from-outside and the eTP:Local short-circuit rules', () => {
  const clusterIPRule = (local: string) =>
    `-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 10.96.0.42 --dport 80 ${local} -j KUBE-MARK-MASQ`;

  it.each([
    ['ClusterCIDR', {}, '! -s 10.244.0.0/16', '-s 10.244.0.0/16'],
    ['NodeCIDR', { detectLocalMode: 'NodeCIDR' as const }, '! -s 10.244.1.0/24', '-s 10.244.1.0/24'],
    ['BridgeInterface', { detectLocalMode: 'BridgeInterface' as const, bridgeInterface: 'cni0' }, '! -i cni0', '-i cni0'],
    ['InterfaceNamePrefix', { detectLocalMode: 'InterfaceNamePrefix' as const, interfaceNamePrefix: 'veth' }, '! -i veth+', '-i veth+'],
  ])('%s', (_mode, config, ifNotLocal, ifLocal) => {
    const t = kubeProxyTables([lb], cfgOf(config));
    expect(chainOf(t, 'nat', 'KUBE-SVC-GNZBNJ2PO5MGZ6GT')[0]).toEqual(restoreLines('nat', 'KUBE-SVC-GNZBNJ2PO5MGZ6GT', [clusterIPRule(ifNotLocal)])[0]);
    expect(chainOf(t, 'nat', 'KUBE-EXT-GNZBNJ2PO5MGZ6GT')).toEqual(
      restoreLines('nat', 'KUBE-EXT-GNZBNJ2PO5MGZ6GT', [
        `-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" ${ifLocal} -j KUBE-SVC-GNZBNJ2PO5MGZ6GT`,
        '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
        '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
        '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -j KUBE-SVL-GNZBNJ2PO5MGZ6GT',
      ]),
    );
  });

  it('no detector (ClusterCIDR with no cluster CIDR): neither rule is written', () => {
    const t = kubeProxyTables([lb], cfgOf({ clusterCIDRs: [] }));
    expect(chainOf(t, 'nat', 'KUBE-SVC-GNZBNJ2PO5MGZ6GT').some((r) => r.target.t === 'jump' && r.target.chain === 'KUBE-MARK-MASQ' && r.matches.some((m) => m.m === 'dst'))).toBe(
      false,
    );
    expect(chainOf(t, 'nat', 'KUBE-EXT-GNZBNJ2PO5MGZ6GT').map((r) => (r.target.t === 'jump' ? r.target.chain : r.target.t))).toEqual([
      'KUBE-MARK-MASQ',
      'KUBE-SVC-GNZBNJ2PO5MGZ6GT',
      'KUBE-SVL-GNZBNJ2PO5MGZ6GT',
    ]);
  });

  it('getLocalDetectors: the first IPv4 CIDR of clusterCIDR or of the node podCIDRs; none without one', () => {
    const base = defaultKubeProxyConfiguration('10.244.0.0/16');
    expect(localDetectorOf({ ...base, clusterCIDRs: ['fd00:10::/64', '10.244.0.0/16'] }, [])).toEqual({ kind: 'cidr', cidr: '10.244.0.0/16' });
    expect(localDetectorOf({ ...base, clusterCIDRs: ['fd00:10::/64'] }, [])).toEqual({ kind: 'none' });
    expect(localDetectorOf({ ...base, detectLocalMode: 'NodeCIDR' }, [])).toEqual({ kind: 'none' });
  });
});

describe('masqueradeAll', () => {
  it('marks every packet to a cluster IP for masquerade, whatever its source', () => {
    const t = kubeProxyTables([svc({})], cfgOf({ masqueradeAll: true }));
    expect(chainOf(t, 'nat', 'KUBE-SVC-XPGD46QRK7WJZT7O')[0]).toEqual(
      restoreLines('nat', 'KUBE-SVC-XPGD46QRK7WJZT7O', [
        '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 10.96.0.41 --dport 80 -j KUBE-MARK-MASQ',
      ])[0],
    );
  });
});

describe('iptables.masqueradeBit: KUBE-MARK-MASQ, KUBE-POSTROUTING and KUBE-FORWARD use 1 << bit', () => {
  it('bit 14 is 0x4000; bit 0 is 0x1; bit 31 is 0x80000000', () => {
    expect(masqueradeMark(14)).toBe(0x4000);
    expect(masqueradeMark(0)).toBe(1);
    expect(masqueradeMark(31)).toBe(0x80000000);
  });

  it.each([
    [15, '0x8000'],
    [0, '0x1'],
    [31, '0x80000000'],
  ])('bit %i → %s', (bit, mark) => {
    const t = kubeProxyTables([], cfgOf({ masqueradeBit: bit }));
    expect(chainOf(t, 'nat', 'KUBE-MARK-MASQ')).toEqual(restoreLines('nat', 'KUBE-MARK-MASQ', [`-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`]));
    expect(chainOf(t, 'nat', 'KUBE-POSTROUTING')).toEqual(
      restoreLines('nat', 'KUBE-POSTROUTING', [
        `-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`,
        `-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`,
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
      ]),
    );
    expect(chainOf(t, 'filter', 'KUBE-FORWARD')[1]).toEqual(
      restoreLines('filter', 'KUBE-FORWARD', [`-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`])[0],
    );
  });

  it('property: the mark is a single bit, and the rules carry it unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 31 }), (bit) => {
        const mark = masqueradeMark(bit);
        expect(mark.toString(2).replace(/0/g, '')).toBe('1');
        const t = kubeProxyTables([], cfgOf({ masqueradeBit: bit }));
        expect(t.nat.find((c) => c.name === 'KUBE-MARK-MASQ')!.rules[0]!.target).toEqual({ t: 'MARK', op: 'or', value: mark });
      }),
      { seed: 14, numRuns: 32 },
    );
  });
});

describe('nodePortAddresses and localhostNodePorts: the tail of nat KUBE-SERVICES', () => {
  const tail = (config: Partial<KubeProxyConfiguration>) => {
    const rules = chainOf(kubeProxyTables([svc({ nodePort: 31001 })], cfgOf(config)), 'nat', 'KUBE-SERVICES');
    return rules.filter((r) => r.target.t === 'jump' && r.target.chain === 'KUBE-NODEPORTS');
  };

  it('unset: every local address (localhost too)', () => {
    expect(tail({})).toEqual(restoreLines('nat', 'KUBE-SERVICES', [`-A KUBE-SERVICES ${LAST} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`]));
  });

  it('unset, localhostNodePorts false: every local address but 127.0.0.0/8', () => {
    expect(tail({ localhostNodePorts: false })).toEqual(
      restoreLines('nat', 'KUBE-SERVICES', [`-A KUBE-SERVICES ${LAST} -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS`]),
    );
  });

  it('primary: the node IP alone', () => {
    expect(tail({ nodePortAddresses: ['primary'] })).toEqual(restoreLines('nat', 'KUBE-SERVICES', [`-A KUBE-SERVICES ${LAST} -d ${NODE} -j KUBE-NODEPORTS`]));
  });

  it('CIDRs: each node address inside them, one rule each (the other family is ignored)', () => {
    expect(tail({ nodePortAddresses: ['192.168.56.0/24', '10.244.1.0/24', '2001:db8::/64'] })).toEqual(
      restoreLines('nat', 'KUBE-SERVICES', [
        `-A KUBE-SERVICES ${LAST} -d 10.244.1.0 -j KUBE-NODEPORTS`,
        `-A KUBE-SERVICES ${LAST} -d 10.244.1.1 -j KUBE-NODEPORTS`,
        `-A KUBE-SERVICES ${LAST} -d ${NODE} -j KUBE-NODEPORTS`,
      ]),
    );
  });

  it('a loopback CIDR: 127.0.0.1 answers only with localhostNodePorts on (otherwise kube-proxy logs an error and skips it)', () => {
    expect(tail({ nodePortAddresses: ['192.168.56.0/24', '127.0.0.1/32'] })).toEqual(
      restoreLines('nat', 'KUBE-SERVICES', [`-A KUBE-SERVICES ${LAST} -d 127.0.0.1 -j KUBE-NODEPORTS`, `-A KUBE-SERVICES ${LAST} -d ${NODE} -j KUBE-NODEPORTS`]),
    );
    expect(tail({ nodePortAddresses: ['192.168.56.0/24', '127.0.0.1/32'], localhostNodePorts: false })).toEqual(
      restoreLines('nat', 'KUBE-SERVICES', [`-A KUBE-SERVICES ${LAST} -d ${NODE} -j KUBE-NODEPORTS`]),
    );
  });

  it('only IPv6 CIDRs, or 0.0.0.0/0: every local address again (NewNodePortAddresses)', () => {
    const all = restoreLines('nat', 'KUBE-SERVICES', [`-A KUBE-SERVICES ${LAST} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`]);
    expect(tail({ nodePortAddresses: ['2001:db8::/64'] })).toEqual(all);
    expect(tail({ nodePortAddresses: ['10.0.0.0/8', '0.0.0.0/0'] })).toEqual(all);
  });

  it('NewProxier: localhost NodePorts are off unless nodePortAddresses takes in 127.0.0.0/8', () => {
    expect(cfgOf({}).localhostNodePorts).toBe(true);
    expect(cfgOf({ nodePortAddresses: ['192.168.56.0/24'] }).localhostNodePorts).toBe(false);
    expect(cfgOf({ nodePortAddresses: ['127.0.0.0/8'] }).localhostNodePorts).toBe(true);
    expect(cfgOf({ nodePortAddresses: ['0.0.0.0/0'] }).localhostNodePorts).toBe(true);
    expect(cfgOf({ nodePortAddresses: ['primary'] }).localhostNodePorts).toBe(false);
  });

  it('the NodePort REJECT/DROP rule in filter KUBE-EXTERNAL-SERVICES keeps matching any local address', () => {
    const noEndpoints = svc({ name: 'svc3', clusterIP: '10.96.0.43', nodePort: 31003, endpoints: [] });
    const t = kubeProxyTables([noEndpoints], cfgOf({ nodePortAddresses: ['primary'] }));
    expect(chainOf(t, 'filter', 'KUBE-EXTERNAL-SERVICES')).toEqual(
      restoreLines('filter', 'KUBE-EXTERNAL-SERVICES', [
        '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc3:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 31003 -j REJECT',
      ]),
    );
  });

  it('property: the addresses NodePorts answer on are exactly the node addresses inside the IPv4 CIDRs', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0x0a000001, max: 0x0a0000fe }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 24, max: 32 }),
        fc.integer({ min: 0x0a000001, max: 0x0a0000fe }),
        (addresses, len, net) => {
          const cidr = `${ipToString(net)}/${len}`;
          const cfg = cfgOf({ nodePortAddresses: [cidr] }, addresses.map(ipToString));
          const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
          const inside = addresses.filter((a) => ((a ^ net) & mask) === 0).sort((a, b) => a - b);
          expect(cfg.nodePortIPs).toEqual(inside.map(ipToString));
          expect(nodePortCIDRs({ ...defaultKubeProxyConfiguration('10.244.0.0/16'), nodePortAddresses: [cidr] }, NODE)).toEqual([cidr]);
        },
      ),
      { seed: 17, numRuns: 100 },
    );
  });
});
