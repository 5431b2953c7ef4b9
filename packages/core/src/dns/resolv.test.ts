import { describe, expect, it } from 'vitest';
import type { DNSPolicy, Pod, PodDNSConfig } from '../api/types.js';
import { nodeResolvConf, nodeResolvConfText, parseResolvConf, podResolvConf, renderResolvConf, type PodResolvConfInput, type ResolvConf } from './resolv.js';

function pod(opts: { ns?: string; policy?: DNSPolicy; hostNetwork?: boolean; dnsConfig?: PodDNSConfig } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'busybox', namespace: opts.ns ?? 'default', uid: 'uid-1', resourceVersion: '1', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      containers: [{ name: 'c', image: 'busybox:1.28.4', imagePullPolicy: 'IfNotPresent' }],
      restartPolicy: 'Always',
      dnsPolicy: opts.policy ?? 'ClusterFirst',
      hostNetwork: opts.hostNetwork,
      dnsConfig: opts.dnsConfig,
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
    },
    status: { phase: 'Pending' },
  };
}

const host: ResolvConf = { nameservers: ['192.168.56.1'], searches: ['lab.example'], options: ['edns0', 'trust-ad'] };
const kubelet: PodResolvConfInput = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', hostResolvConf: host };

describe('podResolvConf: policies', () => {
  const cases: { name: string; pod: Pod; input?: Partial<PodResolvConfInput>; want: ResolvConf }[] = [
    {
      name: 'ClusterFirst: cluster DNS only, cluster search + host search, ndots:5 only',
      pod: pod(),
      want: { nameservers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lab.example'], options: ['ndots:5'] },
    },
    {
      name: 'ClusterFirst in another namespace',
      pod: pod({ ns: 'kube-system' }),
      input: { hostResolvConf: { nameservers: ['192.168.56.1'], searches: [], options: [] } },
      want: { nameservers: ['10.96.0.10'], searches: ['kube-system.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] },
    },
    {
      name: 'ClusterFirst + hostNetwork falls back to Default',
      pod: pod({ hostNetwork: true }),
      want: host,
    },
    {
      name: 'ClusterFirstWithHostNet keeps cluster DNS on the host network',
      pod: pod({ policy: 'ClusterFirstWithHostNet', hostNetwork: true }),
      want: { nameservers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lab.example'], options: ['ndots:5'] },
    },
    { name: 'Default: the node file as is', pod: pod({ policy: 'Default' }), want: host },
    {
      name: 'None + dnsConfig (the docs example)',
      pod: pod({
        policy: 'None',
        dnsConfig: {
          nameservers: ['192.0.2.1'],
          searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'],
          options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
        },
      }),
      want: { nameservers: ['192.0.2.1'], searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'], options: ['ndots:2', 'edns0'] },
    },
    {
      name: 'host search duplicating a cluster domain is dropped',
      pod: pod(),
      input: { hostResolvConf: { nameservers: ['1.1.1.1'], searches: ['cluster.local', 'x.example'], options: [] } },
      want: { nameservers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'x.example'], options: ['ndots:5'] },
    },
    {
      name: 'empty clusterDomain: host search only',
      pod: pod(),
      input: { clusterDomain: '' },
      want: { nameservers: ['10.96.0.10'], searches: ['lab.example'], options: ['ndots:5'] },
    },
    {
      name: 'dnsConfig appends and deduplicates; options merge by name, dnsConfig wins',
      pod: pod({
        dnsConfig: {
          nameservers: ['10.96.0.10', '8.8.8.8'],
          searches: ['svc.cluster.local', 'corp.example'],
          options: [{ name: 'ndots', value: '2' }, { name: 'single-request-reopen' }],
        },
      }),
      want: {
        nameservers: ['10.96.0.10', '8.8.8.8'],
        searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lab.example', 'corp.example'],
        options: ['ndots:2', 'single-request-reopen'],
      },
    },
    {
      name: 'Default + dnsConfig keeps host options and appends',
      pod: pod({ policy: 'Default', dnsConfig: { options: [{ name: 'edns0' }, { name: 'timeout', value: '1' }] } }),
      want: { nameservers: ['192.168.56.1'], searches: ['lab.example'], options: ['edns0', 'trust-ad', 'timeout:1'] },
    },
    {
      name: '--resolv-conf="": Default gets 127.0.0.1 and search "."',
      pod: pod({ policy: 'Default' }),
      input: { hostResolvConf: null },
      want: { nameservers: ['127.0.0.1'], searches: ['.'], options: [] },
    },
    {
      name: '--resolv-conf="" on a dual-stack node: one loopback per node IP',
      pod: pod({ policy: 'Default' }),
      input: { hostResolvConf: null, nodeIPs: ['192.168.56.10', 'fd00::10'] },
      want: { nameservers: ['127.0.0.1', '::1'], searches: ['.'], options: [] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { conf, events } = podResolvConf(c.pod, { ...kubelet, ...c.input });
      expect(conf).toEqual(c.want);
      expect(events).toEqual([]);
    });
  }

  it('ClusterFirst without clusterDNS: MissingClusterDNS on node and pod, then Default', () => {
    const { conf, events } = podResolvConf(pod(), { ...kubelet, clusterDNS: [] });
    expect(conf).toEqual(host);
    const msg = 'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.';
    expect(events).toEqual([
      { type: 'Warning', reason: 'MissingClusterDNS', involvedKind: 'Node', message: msg },
      { type: 'Warning', reason: 'MissingClusterDNS', involvedKind: 'Pod', message: `pod: "busybox_default(uid-1)". ${msg}` },
    ]);
  });
});

describe('podResolvConf: limits', () => {
  it('more than 3 nameservers: the first 3 and the event', () => {
    const { conf, events } = podResolvConf(pod({ policy: 'Default', dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9'] } }), kubelet);
    expect(conf.nameservers).toEqual(['192.168.56.1', '1.1.1.1', '8.8.8.8']);
    expect(events).toEqual([
      {
        type: 'Warning',
        reason: 'DNSConfigForming',
        involvedKind: 'Pod',
        message: 'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 192.168.56.1 1.1.1.1 8.8.8.8',
      },
    ]);
  });

  const searchEvent = (line: string) => ({
    type: 'Warning' as const,
    reason: 'DNSConfigForming' as const,
    involvedKind: 'Pod' as const,
    message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${line}`,
  });
  const many = (n: number) => Array.from({ length: n }, (_, i) => `d${i}.example`);
  const table: { name: string; searches: string[]; expanded?: boolean; want: string[] }[] = [
    { name: '32 paths fit', searches: many(29), want: [...['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ...many(29)] },
    { name: 'over 32 paths: cut to 32', searches: many(40), want: [...['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ...many(29)] },
    { name: 'legacy: 6 paths', searches: many(5), expanded: false, want: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', ...many(3)] },
    {
      name: 'a path over 253 chars is dropped',
      searches: ['a.example', 'x'.repeat(254), 'b.example'],
      want: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'a.example', 'b.example'],
    },
    {
      name: 'over 2048 chars: trailing paths cut until the line fits',
      searches: Array.from({ length: 20 }, (_, i) => `${String(i).padStart(2, '0')}${'y'.repeat(98)}.example`),
      // The 3 cluster domains take 57 chars; each path adds 109: 18 of them make 2019 ≤ 2048, 19 make 2128.
      want: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', ...Array.from({ length: 18 }, (_, i) => `${String(i).padStart(2, '0')}${'y'.repeat(98)}.example`)],
    },
    {
      name: 'legacy: over 256 chars',
      searches: [`${'a'.repeat(100)}.example`, `${'b'.repeat(100)}.example`],
      expanded: false,
      want: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', `${'a'.repeat(100)}.example`],
    },
  ];
  for (const c of table) {
    it(c.name, () => {
      const { conf, events } = podResolvConf(pod({ dnsConfig: { searches: c.searches } }), {
        ...kubelet,
        hostResolvConf: { nameservers: ['192.168.56.1'], searches: [], options: [] },
        expandedDNSConfig: c.expanded ?? true,
      });
      expect(conf.searches).toEqual(c.want);
      const full = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', ...c.searches];
      expect(events).toEqual(full.length === c.want.length ? [] : [searchEvent(c.want.join(' '))]);
      expect(conf.searches.join(' ').length).toBeLessThanOrEqual(c.expanded === false ? 256 : 2048);
    });
  }

  it('nameserver event comes before the search event', () => {
    const { events } = podResolvConf(pod({ dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3'], searches: many(40) } }), kubelet);
    expect(events.map((e) => e.message.split(' ')[0])).toEqual(['Nameserver', 'Search']);
  });
});

describe('renderResolvConf', () => {
  const cf = podResolvConf(pod(), { ...kubelet, hostResolvConf: nodeResolvConf('192.168.56.1') }).conf;
  it('containerd / CRI-O: search, nameserver, options', () => {
    expect(renderResolvConf(cf)).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(renderResolvConf(cf, 'cri-o')).toBe(renderResolvConf(cf));
  });
  it('dockershim / cri-dockerd: nameserver first (the old docs output)', () => {
    expect(renderResolvConf(cf, 'docker')).toBe('nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n');
  });
  it('no search or options lines when empty', () => {
    expect(renderResolvConf({ nameservers: ['192.168.56.1'], searches: [], options: [] })).toBe('nameserver 192.168.56.1\n');
    expect(renderResolvConf({ nameservers: [], searches: [], options: [] })).toBe('');
  });
  it('the docs None example', () => {
    const { conf } = podResolvConf(
      pod({
        policy: 'None',
        dnsConfig: {
          nameservers: ['192.0.2.1'],
          searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'],
          options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
        },
      }),
      kubelet,
    );
    expect(renderResolvConf(conf)).toBe('search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 192.0.2.1\noptions ndots:2 edns0\n');
  });
  it('round-trips through parseResolvConf', () => {
    expect(parseResolvConf(renderResolvConf(cf))).toEqual(cf);
    expect(parseResolvConf(renderResolvConf(cf, 'docker'))).toEqual(cf);
  });
});

describe('parseResolvConf (kubelet TestParseResolvConf cases)', () => {
  const cases: [string, string[], string[], string[]][] = [
    ['', [], [], []],
    [' ', [], [], []],
    ['\n', [], [], []],
    ['\t\n\t', [], [], []],
    ['#comment\n', [], [], []],
    [' #comment\n', [], [], []],
    ['#comment\nnameserver 1.2.3.4\nsearch', ['1.2.3.4'], [], []],
    ['nameserver 1.2.3.4', ['1.2.3.4'], [], []],
    [' nameserver 1.2.3.4', ['1.2.3.4'], [], []],
    ['\tnameserver 1.2.3.4', ['1.2.3.4'], [], []],
    ['nameserver\t1.2.3.4', ['1.2.3.4'], [], []],
    ['nameserver \t 1.2.3.4', ['1.2.3.4'], [], []],
    ['nameserver 1.2.3.4\nnameserver 5.6.7.8', ['1.2.3.4', '5.6.7.8'], [], []],
    ['nameserver 1.2.3.4 #comment', ['1.2.3.4'], [], []],
    ['search ', [], [], []],
    ['search foo', [], ['foo'], []],
    ['search foo bar', [], ['foo', 'bar'], []],
    ['search foo. bar', [], ['foo', 'bar'], []],
    ['search foo bar bat\n', [], ['foo', 'bar', 'bat'], []],
    ['search foo\nsearch bar', [], ['bar'], []],
    ['nameserver 1.2.3.4\nsearch foo\nnameserver 5.6.7.8\nsearch bar', ['1.2.3.4', '5.6.7.8'], ['bar'], []],
    ['search .', [], [], []],
    ['options ', [], [], []],
    ['options ndots:5 attempts:2', [], [], ['ndots:5', 'attempts:2']],
    ['options ndots:1\noptions ndots:5 attempts:3', [], [], ['ndots:5', 'attempts:3']],
    ['options ndots:1 edns0\noptions ndots:5', [], [], ['ndots:5', 'edns0']],
    ['domain lab.example\nnameserver 1.1.1.1', ['1.1.1.1'], [], []],
  ];
  for (const [text, ns, search, options] of cases) {
    it(JSON.stringify(text), () => {
      expect(parseResolvConf(text)).toEqual({ nameservers: ns, searches: search, options });
    });
  }
});

describe('nodeResolvConf', () => {
  it('systemd-resolved uplink file with the lab gateway', () => {
    const text = nodeResolvConfText('192.168.56.1');
    expect(text.startsWith('# This is /run/systemd/resolve/resolv.conf managed by man:systemd-resolved(8).\n# Do not edit.\n')).toBe(true);
    expect(text.endsWith('\nnameserver 192.168.56.1\nsearch .\n')).toBe(true);
    expect(nodeResolvConf('192.168.56.1')).toEqual({ nameservers: ['192.168.56.1'], searches: [], options: [] });
  });
  it('a ClusterFirst pod on such a node gets exactly the three cluster domains', () => {
    const { conf } = podResolvConf(pod(), { ...kubelet, hostResolvConf: nodeResolvConf('192.168.56.1') });
    expect(conf).toEqual({ nameservers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] });
  });
});
