import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { defaultKubeProxyConfiguration, kubeadmKubeProxyConfigConf, kubeadmKubeProxyKubeconfig, readKubeProxyConfiguration } from './kube-proxy-config.js';

const HEAD = 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\n';
const read = (body: string) => readKubeProxyConfiguration(HEAD + body);
const error = (body: string) => {
  const r = read(body);
  if (r.ok) throw new Error(`expected an error for ${body}`);
  return r.error;
};

describe("kubeadm's kube-proxy ConfigMap", () => {
  it('config.conf: the v1alpha1 KubeProxyConfiguration with only bindAddress, clusterCIDR and the kubeconfig path set, every other field at its Go zero value', () => {
    const text = kubeadmKubeProxyConfigConf('10.244.0.0/16');
    // Every JSON field of k8s.io/kube-proxy/config/v1alpha1 (v0.34.2) but the omitempty ones
    // (featureGates, windowsRunAsService), keys sorted as sigs.k8s.io/yaml writes them.
    const doc = yaml.load(text) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([
      'apiVersion',
      'bindAddress',
      'bindAddressHardFail',
      'clientConnection',
      'clusterCIDR',
      'configSyncPeriod',
      'conntrack',
      'detectLocal',
      'detectLocalMode',
      'enableProfiling',
      'healthzBindAddress',
      'hostnameOverride',
      'iptables',
      'ipvs',
      'kind',
      'logging',
      'metricsBindAddress',
      'mode',
      'nftables',
      'nodePortAddresses',
      'oomScoreAdj',
      'portRange',
      'showHiddenMetricsForVersion',
      'winkernel',
    ]);
    expect(doc).toMatchObject({
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      bindAddress: '0.0.0.0',
      clusterCIDR: '10.244.0.0/16',
      clientConnection: { acceptContentTypes: '', burst: 0, contentType: '', kubeconfig: '/var/lib/kube-proxy/kubeconfig.conf', qps: 0 },
      mode: '',
      detectLocalMode: '',
      detectLocal: { bridgeInterface: '', interfaceNamePrefix: '' },
      iptables: { localhostNodePorts: null, masqueradeAll: false, masqueradeBit: null, minSyncPeriod: '0s', syncPeriod: '0s' },
      nftables: { masqueradeAll: false, masqueradeBit: null, minSyncPeriod: '0s', syncPeriod: '0s' },
      nodePortAddresses: null,
      oomScoreAdj: null,
      logging: { flushFrequency: 0, options: { json: { infoBufferSize: '0' }, text: { infoBufferSize: '0' } }, verbosity: 0 },
    });
    expect(text.endsWith('\n')).toBe(false);
    expect(text).toContain('\nclusterCIDR: 10.244.0.0/16\n');
  });

  it('kubeconfig.conf: the service account token against the control-plane endpoint', () => {
    expect(kubeadmKubeProxyKubeconfig('https://192.168.56.10:6443')).toBe(
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- cluster:',
        '    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
        '    server: https://192.168.56.10:6443',
        '  name: default',
        'contexts:',
        '- context:',
        '    cluster: default',
        '    namespace: default',
        '    user: default',
        '  name: default',
        'current-context: default',
        'users:',
        '- name: default',
        '  user:',
        '    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token',
      ].join('\n'),
    );
  });
});

describe('kube-proxy reading config.conf', () => {
  it("kubeadm's file gives the v1alpha1 defaults: iptables mode, ClusterCIDR detection, mark bit 14, localhost NodePorts, every address", () => {
    expect(readKubeProxyConfiguration(kubeadmKubeProxyConfigConf('10.244.0.0/16'))).toEqual({
      ok: true,
      config: defaultKubeProxyConfiguration('10.244.0.0/16'),
      modeDefaulted: true,
    });
    expect(defaultKubeProxyConfiguration('10.244.0.0/16')).toEqual({
      mode: 'iptables',
      detectLocalMode: 'ClusterCIDR',
      clusterCIDRs: ['10.244.0.0/16'],
      bridgeInterface: '',
      interfaceNamePrefix: '',
      masqueradeAll: false,
      masqueradeBit: 14,
      localhostNodePorts: true,
      nodePortAddresses: [],
    });
  });

  it('reads the supported settings', () => {
    const r = read(
      [
        'clusterCIDR: 10.244.0.0/16',
        'detectLocalMode: InterfaceNamePrefix',
        'detectLocal:',
        '  interfaceNamePrefix: veth',
        'iptables:',
        '  masqueradeAll: true',
        '  masqueradeBit: 15',
        '  localhostNodePorts: false',
        'nodePortAddresses: [192.168.56.0/24]',
        'mode: iptables',
      ].join('\n'),
    );
    expect(r).toEqual({
      ok: true,
      modeDefaulted: false,
      config: {
        mode: 'iptables',
        detectLocalMode: 'InterfaceNamePrefix',
        clusterCIDRs: ['10.244.0.0/16'],
        bridgeInterface: '',
        interfaceNamePrefix: 'veth',
        masqueradeAll: true,
        masqueradeBit: 15,
        localhostNodePorts: false,
        nodePortAddresses: ['192.168.56.0/24'],
      },
    });
  });

  it('nftables mode defaults nodePortAddresses to primary (platformApplyDefaults)', () => {
    const r = read('mode: nftables');
    expect(r.ok && r.config.nodePortAddresses).toEqual(['primary']);
  });

  // The messages of pkg/proxy/apis/config/validation (v1.34), as `failed validate: <aggregate>`.
  it.each([
    ['iptables:\n  masqueradeBit: 40', 'KubeProxyConfiguration.KubeProxyIPTablesConfiguration.MasqueradeBit: Invalid value: 40: must be within the range [0, 31]'],
    ['iptables:\n  masqueradeBit: -1', 'KubeProxyConfiguration.KubeProxyIPTablesConfiguration.MasqueradeBit: Invalid value: -1: must be within the range [0, 31]'],
    [
      'clusterCIDR: 10.244.0.0/33',
      'KubeProxyConfiguration.DetectLocalConfiguration.ClusterCIDRs[0]: Invalid value: "10.244.0.0/33": must be a valid CIDR block (e.g. 10.100.0.0/16 or fde4:8dba:82e1::/48)',
    ],
    [
      'clusterCIDR: 10.0.0.0/8,10.1.0.0/16',
      'KubeProxyConfiguration.DetectLocalConfiguration.ClusterCIDRs: Invalid value: []string{"10.0.0.0/8", "10.1.0.0/16"}: must be a either a single CIDR or dual-stack pair of CIDRs (e.g. [10.100.0.0/16, fde4:8dba:82e1::/48]',
    ],
    [
      'detectLocalMode: LocalNet',
      'KubeProxyConfiguration.DetectLocalMode: Unsupported value: "LocalNet": supported values: "ClusterCIDR", "NodeCIDR", "BridgeInterface", "InterfaceNamePrefix", ""',
    ],
    ['detectLocalMode: BridgeInterface', 'KubeProxyConfiguration.DetectLocalConfiguration.InterfaceName: Invalid value: "": must not be empty'],
    ['detectLocalMode: InterfaceNamePrefix', 'KubeProxyConfiguration.DetectLocalConfiguration.InterfacePrefix: Invalid value: "": must not be empty'],
    ['nodePortAddresses: [192.168.56.0/24, eth0]', 'KubeProxyConfiguration.NodePortAddresses[1]: Invalid value: "eth0": must be a valid CIDR'],
    ['nodePortAddresses: [primary, 192.168.56.0/24]', `KubeProxyConfiguration.NodePortAddresses[0]: Invalid value: "primary": can't use both 'primary' and CIDRs`],
    [
      'mode: userspace',
      'KubeProxyConfiguration.Mode.ProxyMode: Invalid value: "userspace": must be iptables, ipvs, nftables or blank (blank means the best-available proxy [currently iptables])',
    ],
    ['bindAddress: 0.0.0.0:8080', 'KubeProxyConfiguration.BindAddress: Invalid value: "0.0.0.0:8080": not a valid textual representation of an IP address'],
    ['oomScoreAdj: 1001', 'KubeProxyConfiguration.KubeProxyLinuxConfiguration.OOMScoreAdj: Invalid value: 1001: must be within the range [-1000, 1000]'],
  ])('refuses %j', (body, message) => {
    expect(error(body)).toBe(`failed validate: ${message}`);
  });

  it('reports every invalid field at once, in validation order', () => {
    expect(error('clusterCIDR: nope\niptables:\n  masqueradeBit: 32')).toBe(
      'failed validate: [KubeProxyConfiguration.KubeProxyIPTablesConfiguration.MasqueradeBit: Invalid value: 32: must be within the range [0, 31], KubeProxyConfiguration.DetectLocalConfiguration.ClusterCIDRs[0]: Invalid value: "nope": must be a valid CIDR block (e.g. 10.100.0.0/16 or fde4:8dba:82e1::/48)]',
    );
  });

  it('checks the cluster CIDR only where it is used (ClusterCIDR detection)', () => {
    expect(read('clusterCIDR: nope\ndetectLocalMode: NodeCIDR').ok).toBe(true);
  });

  it('fails to decode as encoding/json and the YAML converter do', () => {
    expect(error('iptables:\n  masqueradeBit: "14"')).toBe(
      'failed complete: failed to decode: json: cannot unmarshal string into Go struct field KubeProxyIPTablesConfiguration.iptables.masqueradeBit of type int32',
    );
    expect(error('iptables:\n  masqueradeAll: 1')).toBe(
      'failed complete: failed to decode: json: cannot unmarshal number into Go struct field KubeProxyIPTablesConfiguration.iptables.masqueradeAll of type bool',
    );
    expect(error('nodePortAddresses: 10.0.0.0/8')).toBe(
      'failed complete: failed to decode: json: cannot unmarshal string into Go struct field KubeProxyConfiguration.nodePortAddresses of type []string',
    );
    expect(error('mode: : x')).toBe('failed complete: failed to decode: error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context');
    expect(readKubeProxyConfiguration('mode: iptables')).toEqual({
      ok: false,
      error: "failed complete: failed to decode: Object 'Kind' is missing in 'mode: iptables'",
      modeDefaulted: false,
    });
  });

  it('property: every masquerade bit in [0, 31] is accepted, every other one refused with the range', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (bit) => {
        const r = read(`iptables:\n  masqueradeBit: ${bit}`);
        if (bit >= 0 && bit <= 31) expect(r).toMatchObject({ ok: true, config: { masqueradeBit: bit } });
        else
          expect(r).toMatchObject({
            ok: false,
            error: `failed validate: KubeProxyConfiguration.KubeProxyIPTablesConfiguration.MasqueradeBit: Invalid value: ${bit}: must be within the range [0, 31]`,
          });
      }),
      { seed: 15, numRuns: 200 },
    );
  });

  it('property: any IPv4 CIDR is a cluster CIDR; a prefix past 32 is not', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 40 }), (ip, len) => {
        const r = read(`clusterCIDR: ${ip}/${len}`);
        expect(r.ok).toBe(len <= 32);
      }),
      { seed: 16, numRuns: 200 },
    );
  });
});
