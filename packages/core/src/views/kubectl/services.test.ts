// kubectl get services|endpoints|endpointslices, describe service, and get -w rows.
import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../../state/types.js';
import { describeService } from './describe/index.js';
import { endpointSlice, endpoints, NOW, service, sliceEndpoint } from './objects.fixture.js';
import { renderGet, renderWatchRow, resolveResource } from './get.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const kubernetes = service(
  'kubernetes',
  { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }] },
  { age: 10 * 86_400_000, labels: { component: 'apiserver', provider: 'kubernetes' } },
);
const kubeDns = service(
  'kube-dns',
  {
    clusterIP: '10.96.0.10',
    clusterIPs: ['10.96.0.10'],
    selector: { 'k8s-app': 'kube-dns' },
    ports: [
      { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
      { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
      { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
    ],
  },
  { namespace: 'kube-system', age: 10 * 86_400_000 },
);
const nodePort = service('nginx-nodeport', {
  type: 'NodePort',
  clusterIP: '10.101.23.4',
  clusterIPs: ['10.101.23.4'],
  selector: { app: 'nginx' },
  ports: [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 }],
});
const lbSpec = {
  type: 'LoadBalancer' as const,
  clusterIP: '10.100.5.6',
  clusterIPs: ['10.100.5.6'],
  selector: { app: 'nginx' },
  ports: [{ protocol: 'TCP' as const, port: 80, targetPort: 80, nodePort: 31234 }],
};
const lbPending = service('nginx-lb', lbSpec);
const lb = service('nginx-lb', lbSpec, { ingress: [{ ip: '192.168.9.1', ipMode: 'VIP' }] });
const headless = service('kube-headless', {
  clusterIP: 'None',
  clusterIPs: ['None'],
  selector: { app: 'kubserve2' },
  ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }],
});
const externalName = service('db', { type: 'ExternalName', externalName: 'db.example.com' });

describe('kubectl get services', () => {
  it('prints TYPE, CLUSTER-IP, EXTERNAL-IP and PORT(S) per service type', () => {
    const out = renderGet('services', [kubernetes, kubeDns, nodePort, lb, headless, externalName], { now: NOW, allNamespaces: true });
    expect(out).toEqual({
      stdout: lines(
        'NAMESPACE     NAME             TYPE           CLUSTER-IP    EXTERNAL-IP      PORT(S)                  AGE',
        'default       db               ExternalName   <none>        db.example.com   <none>                   5m',
        'default       kube-headless    ClusterIP      None          <none>           80/TCP                   5m',
        'default       kubernetes       ClusterIP      10.96.0.1     <none>           443/TCP                  10d',
        'default       nginx-lb         LoadBalancer   10.100.5.6    192.168.9.1      80:31234/TCP             5m',
        'default       nginx-nodeport   NodePort       10.101.23.4   <none>           80:30080/TCP             5m',
        'kube-system   kube-dns         ClusterIP      10.96.0.10    <none>           53/UDP,53/TCP,9153/TCP   10d',
      ),
      stderr: '',
    });
  });

  it('adds SELECTOR with -o wide; a LoadBalancer waits as <pending>', () => {
    expect(renderGet('services', [kubernetes, lbPending], { now: NOW, output: 'wide' }).stdout).toBe(
      lines(
        'NAME         TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE   SELECTOR',
        'kubernetes   ClusterIP      10.96.0.1    <none>        443/TCP        10d   <none>',
        'nginx-lb     LoadBalancer   10.100.5.6   <pending>     80:31234/TCP   5m    app=nginx',
      ),
    );
  });

  it('EXTERNAL-IP: ingress addresses sorted and cut to 16 characters unless wide; externalIPs never cut', () => {
    const elb = service('shop', lbSpec, {
      ingress: [{ hostname: 'a1b2c3d4e5f6-1234567890.us-east-1.elb.amazonaws.com' }, { ip: '203.0.113.9' }, { ip: '203.0.113.10' }],
    });
    const row = (svc: typeof elb, output?: 'wide') => renderGet('services', [svc], { now: NOW, output, noHeaders: true }).stdout.split(/\s{3,}/)[3];
    expect(row(elb)).toBe('203.0.113.10,...');
    expect(row(elb, 'wide')).toBe('203.0.113.10,203.0.113.9,a1b2c3d4e5f6-1234567890.us-east-1.elb.amazonaws.com');
    const both = service('shop', { ...lbSpec, externalIPs: ['198.51.100.20', '198.51.100.21'] }, { ingress: [{ ip: '203.0.113.9' }] });
    expect(row(both)).toBe('203.0.113.9,198.51.100.20,198.51.100.21');
    expect(row(service('shop', { ...lbSpec, externalIPs: ['198.51.100.20'] }))).toBe('198.51.100.20');
    expect(
      row(
        service('web', {
          clusterIP: '10.96.3.3',
          clusterIPs: ['10.96.3.3'],
          ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
          externalIPs: ['198.51.100.20', '198.51.100.21'],
        }),
      ),
    ).toBe('198.51.100.20,198.51.100.21');
  });

  it('-o name, yaml and the svc short name', () => {
    expect(resolveResource('svc')).toBe('services');
    expect(renderGet('services', [nodePort], { now: NOW, output: 'name' }).stdout).toBe('service/nginx-nodeport\n');
    expect(renderGet('services', [nodePort], { now: NOW, output: 'yaml' }).stdout).toBe(
      lines(
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  creationTimestamp: "2024-05-01T11:55:00Z"',
        '  name: nginx-nodeport',
        '  namespace: default',
        '  resourceVersion: "20"',
        '  uid: uid-nginx-nodeport',
        'spec:',
        '  clusterIP: 10.101.23.4',
        '  clusterIPs:',
        '  - 10.101.23.4',
        '  externalTrafficPolicy: Cluster',
        '  internalTrafficPolicy: Cluster',
        '  ipFamilies:',
        '  - IPv4',
        '  ipFamilyPolicy: SingleStack',
        '  ports:',
        '  - nodePort: 30080',
        '    port: 80',
        '    protocol: TCP',
        '    targetPort: 80',
        '  selector:',
        '    app: nginx',
        '  sessionAffinity: None',
        '  type: NodePort',
        'status:',
        '  loadBalancer: {}',
      ),
    );
    expect(JSON.parse(renderGet('services', [kubernetes, nodePort], { now: NOW, output: 'json' }).stdout)).toMatchObject({
      kind: 'List',
      items: [{ metadata: { name: 'kubernetes' } }, { metadata: { name: 'nginx-nodeport' } }],
    });
  });

  it('watch rows keep the widths the table (and earlier rows) used, widening when a row needs it', () => {
    const table = renderGet('services', [kubernetes], { now: NOW, columnWidths: [] });
    expect(table.stdout).toBe(lines('NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE', 'kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   10d'));
    const first = renderWatchRow('services', lbPending, { now: NOW, columnWidths: table.columnWidths! });
    expect(first.stdout).toBe('nginx-lb     LoadBalancer   10.100.5.6   <pending>     80:31234/TCP   5m\n');
    const second = renderWatchRow('services', lb, { now: NOW, columnWidths: first.columnWidths! });
    expect(second.stdout).toBe('nginx-lb     LoadBalancer   10.100.5.6   192.168.9.1   80:31234/TCP   5m\n');
    const third = renderWatchRow('services', kubernetes, { now: NOW, columnWidths: second.columnWidths! });
    expect(third.stdout).toBe('kubernetes   ClusterIP      10.96.0.1    <none>        443/TCP        10d\n');
  });
});

describe('kubectl get endpoints', () => {
  const eps = [
    endpoints('kubernetes', [{ addresses: [{ ip: '172.30.1.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }], { age: 10 * 86_400_000 }),
    endpoints('web', [{ addresses: [{ ip: '10.244.1.2' }, { ip: '10.244.2.3' }, { ip: '10.244.1.7' }, { ip: '10.244.2.9' }], ports: [{ port: 80, protocol: 'TCP' }] }]),
    endpoints('nginx-lb', undefined),
  ];

  it('ip:port, at most three then + N more..., <none> without subsets', () => {
    expect(renderGet('endpoints', eps, { now: NOW, kubernetesVersion: '1.32.0', columnWidths: [] })).toEqual({
      stdout: lines(
        'NAME         ENDPOINTS                                               AGE',
        'kubernetes   172.30.1.2:6443                                         10d',
        'nginx-lb     <none>                                                  5m',
        'web          10.244.1.2:80,10.244.2.3:80,10.244.1.7:80 + 1 more...   5m',
      ),
      stderr: '',
      columnWidths: [13, 56],
    });
  });

  it('several ports and subsets; headless subsets without ports list bare IPs; IPv6 in brackets', () => {
    const multi = endpoints('dns', [
      {
        addresses: [{ ip: '10.244.0.2' }],
        notReadyAddresses: [{ ip: '10.244.0.3' }],
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      },
    ]);
    const bare = endpoints('db', [{ addresses: [{ ip: '10.244.1.5' }, { ip: 'fd00::5' }] }]);
    const v6 = endpoints('v6', [{ addresses: [{ ip: 'fd00::5' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
    expect(renderGet('endpoints', [multi, bare, v6], { now: NOW, noHeaders: true, sort: false }).stdout).toBe(
      lines('dns   10.244.0.2:53,10.244.0.2:53   5m', 'db    10.244.1.5,fd00::5            5m', 'v6    [fd00::5]:80                  5m'),
    );
    // Only not-ready addresses: an empty cell, not <none>.
    expect(renderGet('endpoints', [endpoints('x', [{ notReadyAddresses: [{ ip: '10.244.0.3' }], ports: [{ port: 80, protocol: 'TCP' }] }])], { now: NOW }).stdout).toBe(
      lines('NAME   ENDPOINTS   AGE', 'x                  5m'),
    );
  });

  it('from 1.33 the API server warns that v1 Endpoints is deprecated (stderr, before anything else)', () => {
    const warning = 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n';
    expect(renderGet('endpoints', eps, { now: NOW, kubernetesVersion: '1.33.1' }).stderr).toBe(warning);
    expect(renderGet('endpoints', [], { now: NOW, kubernetesVersion: '1.34.2' }).stderr).toBe(`${warning}No resources found in default namespace.\n`);
    expect(renderGet('endpoints', eps, { now: NOW, kubernetesVersion: '1.34.2', output: 'name' })).toEqual({
      stdout: 'endpoints/kubernetes\nendpoints/nginx-lb\nendpoints/web\n',
      stderr: warning,
    });
    expect(renderGet('services', [kubernetes], { now: NOW, kubernetesVersion: '1.34.2' }).stderr).toBe('');
  });
});

describe('kubectl get endpointslices', () => {
  const slice = endpointSlice(
    'nginx-lb-x7k2p',
    'nginx-lb',
    [sliceEndpoint('10.244.1.2', 'node01'), sliceEndpoint('10.244.2.3', 'node02', false), sliceEndpoint('10.244.1.4', 'node01'), sliceEndpoint('10.244.2.5', 'node02')],
    [
      { name: 'http', port: 80, protocol: 'TCP' },
      { name: 'https', port: 443, protocol: 'TCP' },
    ],
  );

  it('NAME ADDRESSTYPE PORTS ENDPOINTS AGE: every address regardless of readiness', () => {
    const empty = endpointSlice('web-5fz2c', 'web', [], undefined);
    expect(renderGet('endpointslices', [slice, empty], { now: NOW }).stdout).toBe(
      lines(
        'NAME             ADDRESSTYPE   PORTS     ENDPOINTS                                      AGE',
        'nginx-lb-x7k2p   IPv4          80,443    10.244.1.2,10.244.2.3,10.244.1.4 + 1 more...   5m',
        'web-5fz2c        IPv4          <unset>   <unset>                                        5m',
      ),
    );
  });

  it('-o name and -o yaml (an empty endpoints list is served as null)', () => {
    expect(renderGet('endpointslices', [slice], { now: NOW, output: 'name' }).stdout).toBe('endpointslice.discovery.k8s.io/nginx-lb-x7k2p\n');
    expect(renderGet('endpointslices', [endpointSlice('web-5fz2c', 'web', [], [{ name: '', port: 80, protocol: 'TCP' }])], { now: NOW, output: 'yaml' }).stdout).toBe(
      lines(
        'addressType: IPv4',
        'apiVersion: discovery.k8s.io/v1',
        'endpoints: null',
        'kind: EndpointSlice',
        'metadata:',
        '  creationTimestamp: "2024-05-01T11:55:00Z"',
        '  labels:',
        '    endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io',
        '    kubernetes.io/service-name: web',
        '  name: web-5fz2c',
        '  namespace: default',
        '  resourceVersion: "20"',
        '  uid: uid-web-5fz2c',
        'ports:',
        '- name: ""',
        '  port: 80',
        '  protocol: TCP',
      ),
    );
  });
});

const ev = (name: string, reason: string, message: string, secondsAgo: number, type: ClusterEvent['type'] = 'Normal'): ClusterEvent => ({
  kind: 'Service',
  namespace: 'default',
  name,
  type,
  reason,
  message,
  source: 'service-controller',
  time: NOW - secondsAgo * 1000,
});

describe('describeService', () => {
  const lbSlice = endpointSlice(
    'nginx-lb-x7k2p',
    'nginx-lb',
    [sliceEndpoint('10.244.1.2', 'node01'), sliceEndpoint('10.244.2.3', 'node02', false)],
    [{ name: '', port: 80, protocol: 'TCP' }],
  );

  it('a LoadBalancer service from its EndpointSlices (not-ready endpoints left out)', () => {
    const other = endpointSlice('web-abcde', 'web', [sliceEndpoint('10.244.9.9', 'node01')], [{ name: '', port: 80, protocol: 'TCP' }]);
    const events = [
      ev('nginx-lb', 'EnsuringLoadBalancer', 'Ensuring load balancer', 30),
      ev('nginx-lb', 'EnsuredLoadBalancer', 'Ensured load balancer', 28),
      ev('web', 'X', 'not ours', 1),
    ];
    expect(describeService(lb, [lbSlice, other], events, NOW)).toBe(
      lines(
        'Name:                     nginx-lb',
        'Namespace:                default',
        'Labels:                   <none>',
        'Annotations:              <none>',
        'Selector:                 app=nginx',
        'Type:                     LoadBalancer',
        'IP Family Policy:         SingleStack',
        'IP Families:              IPv4',
        'IP:                       10.100.5.6',
        'IPs:                      10.100.5.6',
        'LoadBalancer Ingress:     192.168.9.1 (VIP)',
        'Port:                     <unset>  80/TCP',
        'TargetPort:               80/TCP',
        'NodePort:                 <unset>  31234/TCP',
        'Endpoints:                10.244.1.2:80',
        'Session Affinity:         None',
        'External Traffic Policy:  Cluster',
        'Internal Traffic Policy:  Cluster',
        'Events:',
        '  Type    Reason                Age   From                Message',
        '  ----    ------                ----  ----                -------',
        '  Normal  EnsuringLoadBalancer  30s   service-controller  Ensuring load balancer',
        '  Normal  EnsuredLoadBalancer   28s   service-controller  Ensured load balancer',
      ),
    );
  });

  it('named ports match endpoints by port name; Local policy shows the health-check port', () => {
    const svc = service(
      'kube-dns',
      {
        ...kubeDns.spec,
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: 32000,
        loadBalancerIP: '192.168.9.5',
        loadBalancerSourceRanges: ['10.0.0.0/8', '192.168.0.0/16'],
      },
      { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    );
    const slice = endpointSlice(
      'kube-dns-8x2kq',
      'kube-dns',
      [sliceEndpoint('10.244.0.2', 'controlplane'), sliceEndpoint('10.244.0.3', 'controlplane')],
      [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'metrics', port: 9153, protocol: 'TCP' },
      ],
      { namespace: 'kube-system' },
    );
    expect(describeService(svc, [slice], [], NOW)).toBe(
      lines(
        'Name:                        kube-dns',
        'Namespace:                   kube-system',
        'Labels:                      k8s-app=kube-dns',
        'Annotations:                 <none>',
        'Selector:                    k8s-app=kube-dns',
        'Type:                        LoadBalancer',
        'IP Family Policy:            SingleStack',
        'IP Families:                 IPv4',
        'IP:                          10.96.0.10',
        'IPs:                         10.96.0.10',
        'Desired LoadBalancer IP:     192.168.9.5',
        'Port:                        dns  53/UDP',
        'TargetPort:                  53/UDP',
        'Endpoints:                   10.244.0.2:53,10.244.0.3:53',
        'Port:                        dns-tcp  53/TCP',
        'TargetPort:                  53/TCP',
        'Endpoints:                   10.244.0.2:53,10.244.0.3:53',
        'Port:                        metrics  9153/TCP',
        'TargetPort:                  9153/TCP',
        'Endpoints:                   10.244.0.2:9153,10.244.0.3:9153',
        'Session Affinity:            None',
        'External Traffic Policy:     Local',
        'Internal Traffic Policy:     Cluster',
        'HealthCheck NodePort:        32000',
        'LoadBalancer Source Ranges:  10.0.0.0/8,192.168.0.0/16',
        'Events:                      <none>',
      ),
    );
  });

  it('from an Endpoints object (older kubectl), headless and ExternalName services', () => {
    const ep = endpoints('kube-headless', [{ addresses: [{ ip: '10.244.1.5' }, { ip: '10.244.2.6' }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(describeService(headless, ep, [], NOW)).toBe(
      lines(
        'Name:                     kube-headless',
        'Namespace:                default',
        'Labels:                   <none>',
        'Annotations:              <none>',
        'Selector:                 app=kubserve2',
        'Type:                     ClusterIP',
        'IP Family Policy:         SingleStack',
        'IP Families:              IPv4',
        'IP:                       None',
        'IPs:                      None',
        'Port:                     <unset>  80/TCP',
        'TargetPort:               8080/TCP',
        'Endpoints:                10.244.1.5:8080,10.244.2.6:8080',
        'Session Affinity:         None',
        'Internal Traffic Policy:  Cluster',
        'Events:                   <none>',
      ),
    );
    // ExternalName: the empty IP still gets its padding; no endpoints at all.
    expect(describeService(externalName, undefined, [], NOW)).toBe(
      lines(
        'Name:              db',
        'Namespace:         default',
        'Labels:            <none>',
        'Annotations:       <none>',
        'Selector:          <none>',
        'Type:              ExternalName',
        'IP Families:       <none>',
        'IP:                ',
        'IPs:               <none>',
        'External Name:     db.example.com',
        'Session Affinity:  None',
        'Events:            <none>',
      ),
    );
  });

  it('Endpoints: <none> without slices; more than three ready endpoints', () => {
    expect(describeService(nodePort, [], [], NOW)).toContain('Endpoints:                <none>\n');
    const many = endpointSlice(
      'nginx-nodeport-abcde',
      'nginx-nodeport',
      ['10.244.1.2', '10.244.1.3', '10.244.2.2', '10.244.2.3', '10.244.2.4'].map((ip) => sliceEndpoint(ip, 'node01')),
      [{ name: '', port: 80, protocol: 'TCP' }],
    );
    expect(describeService(nodePort, [many], [], NOW)).toContain('Endpoints:                10.244.1.2:80,10.244.1.3:80,10.244.2.2:80 + 2 more...\n');
  });
});
