import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../../../state/types.js';
import { configMap, flannelConfigMap, NOW } from '../objects.fixture.js';
import { lines } from './describe.fixture.js';
import { describeConfigMap } from './index.js';

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
