// kubectl get ingress|ingressclass and describe ingress|ingressclass.
import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../../state/types.js';
import { describeIngress, describeIngressClass, ingressEndpointsLookup } from './describe/index.js';
import { endpointSlice, ingress, ingressClass, NOW, service, sliceEndpoint } from './objects.fixture.js';
import { formatIngressHosts, renderGet, resolveResource } from './get.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const svcBackend = (name: string, port: { number?: number; name?: string } = { number: 80 }) => ({ service: { name, port } });

// The seed lesson's Ingress after conversion from extensions/v1beta1 (no paths, ImplementationSpecific).
const seed = ingress(
  'service-ingress',
  {
    rules: [
      { host: 'kubeserve.example.com', http: { paths: [{ pathType: 'ImplementationSpecific', backend: svcBackend('kubeserve2') }] } },
      { host: 'app.example.com', http: { paths: [{ pathType: 'ImplementationSpecific', backend: svcBackend('nginx') }] } },
      { http: { paths: [{ pathType: 'ImplementationSpecific', backend: svcBackend('httpd') }] } },
    ],
  },
  { address: [{ ip: '192.168.9.1', ipMode: 'VIP' }] },
);

const services = [
  service('kubeserve2', { clusterIP: '10.100.1.1', clusterIPs: ['10.100.1.1'], ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }] }),
  service('nginx', { clusterIP: '10.100.1.2', clusterIPs: ['10.100.1.2'], ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] }),
  service('web', {
    clusterIP: '10.100.1.3',
    clusterIPs: ['10.100.1.3'],
    ports: [
      { name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 },
      { name: 'metrics', protocol: 'TCP', port: 9090, targetPort: 9090 },
    ],
  }),
];
const slices = [
  endpointSlice('kubeserve2-7xkq2', 'kubeserve2', [sliceEndpoint('10.244.1.2', 'node01'), sliceEndpoint('10.244.2.3', 'node02')], [{ name: '', port: 8080, protocol: 'TCP' }]),
  // A Service whose pods are not up yet: a slice without endpoints.
  endpointSlice('nginx-9bq4d', 'nginx', [], [{ name: '', port: 80, protocol: 'TCP' }]),
  endpointSlice(
    'web-p2x8s',
    'web',
    [sliceEndpoint('10.244.1.5', 'node01'), sliceEndpoint('10.244.2.6', 'node02'), sliceEndpoint('10.244.1.7', 'node01'), sliceEndpoint('10.244.2.8', 'node02')],
    [
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9090, protocol: 'TCP' },
    ],
  ),
  // Same name in another namespace: never used for default/ Ingresses.
  endpointSlice('web-other', 'web', [sliceEndpoint('10.244.3.3', 'node03')], [{ name: 'http', port: 8080, protocol: 'TCP' }], { namespace: 'other' }),
];
const lookup = ingressEndpointsLookup(services, slices);

describe('kubectl get ingress', () => {
  it('NAME CLASS HOSTS ADDRESS PORTS AGE; the ing short name', () => {
    expect(resolveResource('ing')).toBe('ingresses');
    expect(resolveResource('ingress.networking.k8s.io')).toBe('ingresses');
    const tls = ingress(
      'shop',
      { ingressClassName: 'nginx', tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }], rules: [{ host: 'shop.example.com' }] },
      { age: 3 * 3_600_000 },
    );
    const catchAll = ingress('catch-all', { defaultBackend: svcBackend('web') });
    expect(renderGet('ingresses', [seed, tls, catchAll], { now: NOW })).toEqual({
      stdout: lines(
        'NAME              CLASS    HOSTS                                   ADDRESS       PORTS     AGE',
        'catch-all         <none>   *                                                     80        5m',
        'service-ingress   <none>   kubeserve.example.com,app.example.com   192.168.9.1   80        5m',
        'shop              nginx    shop.example.com                                      80, 443   3h',
      ),
      stderr: '',
    });
  });

  it('HOSTS: at most three, then + N more... counting every further rule; * without hosts', () => {
    const rules = (hosts: (string | undefined)[]) => hosts.map((h) => (h ? { host: h } : {}));
    expect(formatIngressHosts(rules(['a.com', 'b.com', 'c.com']))).toBe('a.com,b.com,c.com');
    expect(formatIngressHosts(rules(['a.com', 'b.com', 'c.com', 'd.com', 'e.com']))).toBe('a.com,b.com,c.com + 2 more...');
    // kubectl's quirk: a host-less rule after the third still counts.
    expect(formatIngressHosts(rules(['a.com', 'b.com', 'c.com', undefined]))).toBe('a.com,b.com,c.com + 1 more...');
    expect(formatIngressHosts(rules([undefined, 'a.com']))).toBe('a.com');
    expect(formatIngressHosts(rules([undefined]))).toBe('*');
    expect(formatIngressHosts(undefined)).toBe('*');
  });

  it('ADDRESS: sorted, distinct, IPs before hostnames only by sort order, cut to 16 unless wide', () => {
    const many = ingress(
      'many',
      { defaultBackend: svcBackend('web') },
      { address: [{ ip: '192.168.9.2' }, { ip: '192.168.9.1' }, { ip: '192.168.9.1' }, { hostname: 'lb.example.com' }] },
    );
    expect(renderGet('ingresses', [many], { now: NOW, noHeaders: true }).stdout).toBe(lines('many   <none>   *     192.168.9.1,1...   80    5m'));
    expect(renderGet('ingresses', [many], { now: NOW, noHeaders: true, output: 'wide' }).stdout).toBe(
      lines('many   <none>   *     192.168.9.1,192.168.9.2,lb.example.com   80    5m'),
    );
  });

  it('-A adds NAMESPACE; -o name; none found', () => {
    const other = ingress('api', { rules: [{ host: 'api.example.com' }] }, { namespace: 'team-a' });
    expect(renderGet('ingresses', [seed, other], { now: NOW, allNamespaces: true }).stdout).toBe(
      lines(
        'NAMESPACE   NAME              CLASS    HOSTS                                   ADDRESS       PORTS   AGE',
        'default     service-ingress   <none>   kubeserve.example.com,app.example.com   192.168.9.1   80      5m',
        'team-a      api               <none>   api.example.com                                       80      5m',
      ),
    );
    expect(renderGet('ingresses', [seed], { now: NOW, output: 'name' }).stdout).toBe('ingress.networking.k8s.io/service-ingress\n');
    expect(renderGet('ingresses', [], { now: NOW, namespace: 'default' }).stderr).toBe('No resources found in default namespace.\n');
  });

  it('-o yaml prints the stored v1 object', () => {
    expect(
      renderGet(
        'ingresses',
        [
          ingress('web', {
            ingressClassName: 'nginx',
            rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svcBackend('web', { name: 'http' }) }] } }],
          }),
        ],
        { now: NOW, output: 'yaml' },
      ).stdout,
    ).toBe(
      lines(
        'apiVersion: networking.k8s.io/v1',
        'kind: Ingress',
        'metadata:',
        '  creationTimestamp: "2024-05-01T11:55:00Z"',
        '  generation: 1',
        '  name: web',
        '  namespace: default',
        '  resourceVersion: "20"',
        '  uid: uid-web',
        'spec:',
        '  ingressClassName: nginx',
        '  rules:',
        '  - host: web.example.com',
        '    http:',
        '      paths:',
        '      - backend:',
        '          service:',
        '            name: web',
        '            port:',
        '              name: http',
        '        path: /',
        '        pathType: Prefix',
        'status:',
        '  loadBalancer: {}',
      ),
    );
    expect(JSON.parse(renderGet('ingresses', [seed], { now: NOW, output: 'json' }).stdout)).toMatchObject({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      status: { loadBalancer: { ingress: [{ ip: '192.168.9.1', ipMode: 'VIP' }] } },
    });
  });
});

describe('kubectl get ingressclass', () => {
  it('NAME CONTROLLER PARAMETERS AGE', () => {
    const nginx = ingressClass('nginx', { controller: 'k8s.io/ingress-nginx' }, { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } });
    const alb = ingressClass('alb', { controller: 'ingress.k8s.aws/alb', parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb', scope: 'Cluster' } });
    const core = ingressClass('plain', { controller: 'example.com/ingress', parameters: { kind: 'ConfigMap', name: 'cfg', scope: 'Namespace', namespace: 'ops' } });
    expect(renderGet('ingressclasses', [nginx, alb, core], { now: NOW })).toEqual({
      stdout: lines(
        'NAME    CONTROLLER             PARAMETERS                             AGE',
        'alb     ingress.k8s.aws/alb    IngressClassParams.elbv2.k8s.aws/alb   10m',
        'nginx   k8s.io/ingress-nginx   <none>                                 10m',
        'plain   example.com/ingress    ConfigMap/cfg                          10m',
      ),
      stderr: '',
    });
    // Cluster-scoped: no namespace in "No resources found", none with -A either.
    expect(renderGet('ingressclasses', [], { now: NOW }).stderr).toBe('No resources found\n');
    expect(renderGet('ingressclasses', [nginx], { now: NOW, allNamespaces: true }).stdout).toBe(
      lines('NAME    CONTROLLER             PARAMETERS   AGE', 'nginx   k8s.io/ingress-nginx   <none>       10m'),
    );
    expect(renderGet('ingressclasses', [nginx], { now: NOW, output: 'name' }).stdout).toBe('ingressclass.networking.k8s.io/nginx\n');
  });
});

describe('kubectl describe ingress', () => {
  it('the seed Ingress: hosts, a * rule, endpoints per backend, a missing Service, no default backend', () => {
    expect(describeIngress(seed, lookup, [], NOW)).toBe(
      lines(
        'Name:             service-ingress',
        'Labels:           <none>',
        'Namespace:        default',
        'Address:          192.168.9.1',
        'Ingress Class:    <none>',
        'Default backend:  <default>',
        'Rules:',
        '  Host                   Path  Backends',
        '  ----                   ----  --------',
        '  kubeserve.example.com  ',
        '                            kubeserve2:80 (10.244.1.2:8080,10.244.2.3:8080)',
        '  app.example.com        ',
        '                            nginx:80 ()',
        '  *                      ',
        '                            httpd:80 (<error: services "httpd" not found>)',
        'Annotations:             <none>',
        'Events:                  <none>',
      ),
    );
  });

  it('paths, named ports, TLS, a default backend, annotations and events', () => {
    const ing = ingress(
      'web',
      {
        ingressClassName: 'nginx',
        defaultBackend: svcBackend('web', { name: 'http' }),
        tls: [{ hosts: ['web.example.com', 'www.example.com'], secretName: 'web-tls' }, { hosts: ['sni.example.com'] }],
        rules: [
          {
            host: 'web.example.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: svcBackend('web', { name: 'http' }) },
                { path: '/metrics', pathType: 'Exact', backend: svcBackend('web', { number: 9090 }) },
                { path: '/bucket', pathType: 'Prefix', backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'assets' } } },
              ],
            },
          },
          // A rule without http is left out of the table.
          { host: 'empty.example.com' },
        ],
      },
      { labels: { app: 'web' }, annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' }, address: [{ ip: '192.168.9.1' }] },
    );
    const events: ClusterEvent[] = [
      { kind: 'Ingress', namespace: 'default', name: 'web', type: 'Normal', reason: 'Sync', message: 'Scheduled for sync', source: 'nginx-ingress-controller', time: NOW - 90_000 },
      { kind: 'Ingress', namespace: 'other', name: 'web', type: 'Normal', reason: 'Sync', message: 'not ours', source: 'nginx-ingress-controller', time: NOW - 1000 },
    ];
    expect(describeIngress(ing, lookup, events, NOW)).toBe(
      lines(
        'Name:             web',
        'Labels:           app=web',
        'Namespace:        default',
        'Address:          192.168.9.1',
        'Ingress Class:    nginx',
        'Default backend:  web:http (10.244.1.5:8080,10.244.2.6:8080,10.244.1.7:8080 + 1 more...)',
        'TLS:',
        '  web-tls terminates web.example.com,www.example.com',
        '  SNI routes sni.example.com',
        'Rules:',
        '  Host             Path  Backends',
        '  ----             ----  --------',
        '  web.example.com  ',
        '                   /          web:http (10.244.1.5:8080,10.244.2.6:8080,10.244.1.7:8080 + 1 more...)',
        '                   /metrics   web:9090 (10.244.1.5:9090,10.244.2.6:9090,10.244.1.7:9090 + 1 more...)',
        '                   /bucket    APIGroup: k8s.example.com, Kind: StorageBucket, Name: assets',
        'Annotations:       nginx.ingress.kubernetes.io/ssl-redirect: false',
        'Events:',
        '  Type    Reason  Age   From                      Message',
        '  ----    ------  ----  ----                      -------',
        '  Normal  Sync    90s   nginx-ingress-controller  Scheduled for sync',
      ),
    );
  });

  it('no rules with http: one `*  *  <default backend>` row', () => {
    const onlyDefault = ingress('catch-all', { defaultBackend: svcBackend('web', { number: 80 }) });
    expect(describeIngress(onlyDefault, lookup, [], NOW)).toBe(
      lines(
        'Name:             catch-all',
        'Labels:           <none>',
        'Namespace:        default',
        'Address:          ',
        'Ingress Class:    <none>',
        'Default backend:  web:80 (10.244.1.5:8080,10.244.2.6:8080,10.244.1.7:8080 + 1 more...)',
        'Rules:',
        '  Host        Path  Backends',
        '  ----        ----  --------',
        '  *           *     web:80 (10.244.1.5:8080,10.244.2.6:8080,10.244.1.7:8080 + 1 more...)',
        'Annotations:  <none>',
        'Events:       <none>',
      ),
    );
  });
});

describe('kubectl describe ingressclass', () => {
  it('Controller and Parameters', () => {
    const alb = ingressClass('alb', { controller: 'ingress.k8s.aws/alb', parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb', scope: 'Cluster' } });
    expect(describeIngressClass(alb, [], NOW)).toBe(
      lines(
        'Name:         alb',
        'Labels:       <none>',
        'Annotations:  <none>',
        'Controller:   ingress.k8s.aws/alb',
        'Parameters:',
        '  APIGroup:  elbv2.k8s.aws',
        '  Kind:      IngressClassParams',
        '  Name:      alb',
        'Events:      <none>',
      ),
    );
    const nginx = ingressClass('nginx', { controller: 'k8s.io/ingress-nginx' }, { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } });
    expect(describeIngressClass(nginx, [], NOW)).toBe(
      lines(
        'Name:         nginx',
        'Labels:       <none>',
        'Annotations:  ingressclass.kubernetes.io/is-default-class: true',
        'Controller:   k8s.io/ingress-nginx',
        'Events:       <none>',
      ),
    );
  });
});
