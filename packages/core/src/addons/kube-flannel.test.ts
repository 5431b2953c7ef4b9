import { describe, expect, test } from 'vitest';
import { parseManifests } from '../api/yaml.js';
import { validateManifest } from '../api/manifest.js';
import type { AnyManifest, Manifest } from '../api/manifest-types.js';
import { cniHairpinMode, FLANNEL_MANIFEST_URLS, KUBE_FLANNEL_YML, NetConfError, parseNetConf, type NetConf } from './kube-flannel.js';

function objects(version?: string): AnyManifest[] {
  return parseManifests(KUBE_FLANNEL_YML, 'kube-flannel.yml').map((doc) => validateManifest(doc, { kubernetesVersion: version, source: 'kube-flannel.yml' }));
}

function netConfError(json: string): NetConfError {
  try {
    parseNetConf(json);
  } catch (e) {
    expect(e).toBeInstanceOf(NetConfError);
    return e as NetConfError;
  }
  throw new Error('expected parseNetConf to throw');
}

const VXLAN: NetConf = { network: '10.244.0.0/16', backendType: 'vxlan', vni: 1, port: 8472, directRouting: false, enableNFTables: false };

describe('KUBE_FLANNEL_YML', () => {
  test('every object validates, in kubectl apply order', () => {
    for (const v of ['1.34.2', '1.31.4', '1.24.0']) {
      expect(objects(v).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
        'Namespace/kube-flannel',
        'ServiceAccount/flannel',
        'ClusterRole/flannel',
        'ClusterRoleBinding/flannel',
        'ConfigMap/kube-flannel-cfg',
        'DaemonSet/kube-flannel-ds',
      ]);
    }
  });

  test('the objects carry the upstream names, labels, RBAC and config', () => {
    const [ns, sa, role, binding, cm] = objects() as [
      Manifest<'Namespace'>,
      Manifest<'ServiceAccount'>,
      Manifest<'ClusterRole'>,
      Manifest<'ClusterRoleBinding'>,
      Manifest<'ConfigMap'>,
    ];
    expect(ns.metadata.labels).toEqual({
      'k8s-app': 'flannel',
      'pod-security.kubernetes.io/enforce': 'privileged',
      'kubernetes.io/metadata.name': 'kube-flannel',
    });
    expect(sa.metadata).toEqual({ name: 'flannel', namespace: 'kube-flannel', labels: { 'k8s-app': 'flannel' } });
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
    ]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flannel' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'flannel', namespace: 'kube-flannel' }]);
    expect(cm.metadata.labels).toEqual({ app: 'flannel', 'k8s-app': 'flannel', tier: 'node' });
    expect(cm.data!['net-conf.json']).toBe('{\n  "Network": "10.244.0.0/16",\n  "EnableNFTables": false,\n  "Backend": {\n    "Type": "vxlan"\n  }\n}\n');
    const cni = JSON.parse(cm.data!['cni-conf.json']!);
    expect(cni).toEqual({
      name: 'cbr0',
      cniVersion: '0.3.1',
      plugins: [
        { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    });
    // bootstrap swaps the pod CIDR in by this exact text.
    expect(KUBE_FLANNEL_YML).toContain('"Network": "10.244.0.0/16"');
  });

  test('the DaemonSet: host network, node-critical, tolerates NoSchedule, installs the CNI plugin and config', () => {
    const ds = objects().find((o) => o.kind === 'DaemonSet') as Manifest<'DaemonSet'>;
    expect(ds.metadata).toEqual({ name: 'kube-flannel-ds', namespace: 'kube-flannel', labels: { app: 'flannel', 'k8s-app': 'flannel', tier: 'node' } });
    expect(ds.spec.selector).toEqual({ matchLabels: { app: 'flannel', 'k8s-app': 'flannel' } });
    const pod = ds.spec.template.spec;
    expect(pod).toMatchObject({
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      serviceAccountName: 'flannel',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
      restartPolicy: 'Always',
    });
    expect(pod.initContainers).toEqual([
      {
        name: 'install-cni-plugin',
        image: 'ghcr.io/flannel-io/flannel-cni-plugin:v1.8.0-flannel1',
        command: ['cp'],
        args: ['-f', '/flannel', '/opt/cni/bin/flannel'],
        imagePullPolicy: 'IfNotPresent',
      },
      {
        name: 'install-cni',
        image: 'ghcr.io/flannel-io/flannel:v0.27.4',
        command: ['cp'],
        args: ['-f', '/etc/kube-flannel/cni-conf.json', '/etc/cni/net.d/10-flannel.conflist'],
        imagePullPolicy: 'IfNotPresent',
      },
    ]);
    // env, resources, securityContext and volumeMounts are not modelled and drop out.
    expect(pod.containers).toEqual([
      {
        name: 'kube-flannel',
        image: 'ghcr.io/flannel-io/flannel:v0.27.4',
        command: ['/opt/bin/flanneld'],
        args: ['--ip-masq', '--kube-subnet-mgr'],
        imagePullPolicy: 'IfNotPresent',
      },
    ]);
  });

  test('the manifest URLs', () => {
    expect(FLANNEL_MANIFEST_URLS).toContain('https://raw.githubusercontent.com/flannel-io/flannel/master/Documentation/kube-flannel.yml');
    expect(FLANNEL_MANIFEST_URLS).toContain('https://raw.githubusercontent.com/coreos/flannel/master/Documentation/kube-flannel.yml');
    expect(FLANNEL_MANIFEST_URLS).toContain('https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml');
  });
});

describe('parseNetConf', () => {
  test('the shipped net-conf.json', () => {
    const cm = objects().find((o) => o.kind === 'ConfigMap') as Manifest<'ConfigMap'>;
    expect(parseNetConf(cm.data!['net-conf.json']!)).toEqual(VXLAN);
  });

  test('VXLAN options and defaults: VNI 1, port 0 → 8472', () => {
    expect(parseNetConf('{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan", "VNI": 4096, "Port": 4789, "DirectRouting": true}}')).toEqual({
      ...VXLAN,
      vni: 4096,
      port: 4789,
      directRouting: true,
    });
    expect(parseNetConf('{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan", "Port": 0, "VNI": null}}')).toEqual(VXLAN);
  });

  test('host-gw, nftables, and Go-style case-insensitive keys', () => {
    expect(parseNetConf('{"network": "172.16.0.0/12", "enableNFTables": true, "backend": {"type": "HOST-GW"}}')).toEqual({
      ...VXLAN,
      network: '172.16.0.0/12',
      backendType: 'host-gw',
      enableNFTables: true,
    });
  });

  test('Network is canonicalised like net.ParseCIDR', () => {
    expect(parseNetConf('{"Network": "10.244.7.9/16", "Backend": {"Type": "vxlan"}}').network).toBe('10.244.0.0/16');
  });

  test('bad JSON: encoding/json syntax errors, as flanneld logs them', () => {
    const e = netConfError('{"Network": "10.244.0.0/16",}');
    expect(e.stage).toBe('parse');
    expect(e.message).toBe("Failed to create SubnetManager: error parsing subnet config: invalid character '}' looking for beginning of object key string");
    expect(netConfError('{"Network": "10.244.0.0/16"').message).toBe('Failed to create SubnetManager: error parsing subnet config: unexpected end of JSON input');
    expect(netConfError('[]').message).toBe('Failed to create SubnetManager: error parsing subnet config: json: cannot unmarshal array into Go value of type subnet.Config');
  });

  test('bad field values', () => {
    expect(netConfError('{"Network": "10.244.0.0", "Backend": {"Type": "vxlan"}}').message).toBe(
      'Failed to create SubnetManager: error parsing subnet config: invalid CIDR address: 10.244.0.0',
    );
    expect(netConfError('{"Network": "10.244.0.0/16", "EnableNFTables": "no", "Backend": {"Type": "vxlan"}}').message).toBe(
      'Failed to create SubnetManager: error parsing subnet config: json: cannot unmarshal string into Go struct field Config.EnableNFTables of type bool',
    );
    expect(netConfError('{"Network": "10.244.0.0/16", "Backend": "vxlan"}').message).toBe(
      'Failed to create SubnetManager: error parsing subnet config: error decoding Backend property of config: json: cannot unmarshal string into Go value of type struct { Type string }',
    );
    expect(netConfError('{"Backend": {"Type": "vxlan"}}').message).toBe(
      'Failed to create SubnetManager: error parsing subnet config: please define a correct Network parameter in the flannel config',
    );
    const vni = netConfError('{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan", "VNI": 1.5}}');
    expect(vni.stage).toBe('register');
    expect(vni.message).toBe('Error registering network: error decoding VXLAN backend config: json: cannot unmarshal number 1.5 into Go struct field .VNI of type int');
  });

  test('backends: unknown, real but not simulated, and the udp default', () => {
    const unknown = netConfError('{"Network": "10.244.0.0/16", "Backend": {"Type": "Calico"}}');
    expect(unknown.stage).toBe('backend');
    expect(unknown.message).toBe('Error fetching backend: unknown backend type: calico');
    const wg = netConfError('{"Network": "10.244.0.0/16", "Backend": {"Type": "wireguard"}}');
    expect(wg.stage).toBe('unsupported');
    expect(wg.message).toBe('backend type "wireguard" is not simulated (supported: vxlan, host-gw)');
    expect(netConfError('{"Network": "10.244.0.0/16"}').message).toBe(
      'net-conf.json has no Backend, so flannel uses its default; backend type "udp" is not simulated (supported: vxlan, host-gw)',
    );
    expect(netConfError('{"Network": "10.244.0.0/16", "Backend": null}').message).toBe('Error fetching backend: unknown backend type: ');
  });
});

describe('cniHairpinMode', () => {
  test("the flannel plugin's delegate hairpinMode, as the bridge plugin reads it (absent: false)", () => {
    const cm = objects().find((o) => o.kind === 'ConfigMap') as Manifest<'ConfigMap'>;
    expect(cniHairpinMode(cm.data!['cni-conf.json']!)).toBe(true);
    expect(cniHairpinMode('{"plugins": [{"type": "portmap"}, {"type": "flannel", "delegate": {"HairpinMode": false}}]}')).toBe(false);
    expect(cniHairpinMode('{"plugins": [{"type": "flannel", "delegate": {"isDefaultGateway": true}}]}')).toBe(false);
    expect(cniHairpinMode('{"type": "flannel", "delegate": {"hairpinMode": true}}')).toBe(true);
    expect(cniHairpinMode('{"type": "flannel"}')).toBe(false);
    // Not a config at all: undefined, and the caller keeps the manifest's value.
    expect(cniHairpinMode('{"plugins": [')).toBeUndefined();
    expect(cniHairpinMode('[]')).toBeUndefined();
  });
});
