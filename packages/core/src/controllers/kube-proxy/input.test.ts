// proxyServicePorts(state) checked directly against kube-proxy's EndpointSliceCache and
// ServicePort construction. Expected values come from kubernetes/kubernetes:
//  - pkg/proxy/endpointslicecache_test.go, TestEndpointsMapFromESC: the cases "1 slice, 2 hosts,
//    ports 80,443", "2 slices, same port", "2 overlapping slices, same port", "2 slices,
//    overlapping endpoints, some endpoints unready and some endpoints terminating", "3 slices with
//    different services and namespaces", "Nil port should not break anything" and "Different
//    endpoints with duplicate IPs should not be filtered"; the slices are built as its
//    generateEndpointSliceWithOffset builds them (ready = !unready && !terminating,
//    serving = !unready, terminating; nodeName = hosts[i % len(hosts)]). Upstream's "2 overlapping
//    slices" reuses one slice name (the second slice replaces the first); here the two slices
//    have distinct names so both are really listed, and the expected union is the same.
//  - pkg/proxy/endpointslicecache.go, addEndpoints / endpointInfoByServicePort: conditions
//    (ready = Ready == nil || *Ready, serving = Serving == nil || *Serving, terminating =
//    Terminating != nil && *Terminating), one endpoint per "ip:port" with a non-terminating copy
//    preferred, a slice port without a number ignored, endpoints keyed by ServicePortName
//    {namespace/name, port name, protocol}.
//  - pkg/proxy/endpointschangetracker.go (supportedEndpointSliceAddressTypes: IPv4, IPv6; the
//    IPv4 proxier gets IPv4 slices only) and endpointSliceCacheKeys (a slice without the
//    kubernetes.io/service-name label is not cached).
//  - pkg/proxy/iptables/proxier_test.go, TestClusterIPGeneral: ns2/svc2's ports http, https
//    (targetPort 8443), dns-sctp (SCTP 53) and dns-tcp (TCP 53 → 5353) and where each goes.
//  - pkg/proxy/serviceport.go, newBaseServiceInfo (load-balancer VIPs from
//    status.loadBalancer.ingress[].ip) and pkg/proxy/util ShouldSkipService (no proxying for a
//    headless or ExternalName Service).
// Upstream returns each port's endpoints sorted by "ip:port"; proxyServicePorts leaves the order
// to rule generation, so the lists below are compared after sorting.

import { deploymentInput, serviceInput } from '@k8s-netsim/testing';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../cluster/cluster.js';
import type { ClusterState } from '../../state/types.js';
import { proxyServicePorts } from './input.js';
import type { ProxyServicePort } from './types.js';

// ---------------------------------------------------------------------------------------------
// Building clusters with selector-less Services and hand-written EndpointSlices

type Conditions = { ready?: boolean; serving?: boolean; terminating?: boolean };
interface SliceEndpoint {
  addresses: string[];
  conditions?: Conditions;
  nodeName?: string;
}
interface SlicePort {
  name?: string;
  port?: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

function endpointSlice(ns: string, name: string, service: string | undefined, endpoints: SliceEndpoint[], ports: SlicePort[], addressType = 'IPv4') {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: ns, ...(service ? { labels: { 'kubernetes.io/service-name': service } } : {}) },
    addressType,
    endpoints,
    ports,
  };
}

/** endpointslicecache_test.go's generateEndpointSliceWithOffset, as a manifest. */
function generatedSlice(
  service: string,
  ns: string,
  sliceNum: number,
  offset: number,
  numEndpoints: number,
  unreadyMod: number,
  terminatingMod: number,
  hosts: string[],
  portNums: (number | undefined)[],
) {
  const endpoints: SliceEndpoint[] = [];
  for (let i = 1; i <= numEndpoints; i++) {
    const readyCondition = i % unreadyMod !== 0;
    const terminatingCondition = i % terminatingMod === 0;
    endpoints.push({
      addresses: [`10.0.${offset}.${i}`],
      conditions: { ready: readyCondition && !terminatingCondition, serving: readyCondition, terminating: terminatingCondition },
      ...(hosts.length ? { nodeName: hosts[i % hosts.length]! } : {}),
    });
  }
  const ports = portNums.map((port, i) => ({ name: `port-${i}`, protocol: 'TCP' as const, ...(port === undefined ? {} : { port }) }));
  return endpointSlice(ns, `${service}-${sliceNum}`, service, endpoints, ports);
}

/** A selector-less Service with ports named port-0, port-1, … (the generated slices' names). */
const svcWithPorts = (name: string, ns: string, ports: number[]) =>
  serviceInput(
    name,
    undefined,
    ports.map((port, i) => ({ name: `port-${i}`, port })),
    { namespace: ns },
  );

const build = (objects: object[]): ClusterState => Cluster.create().apply(objects).state;

function portsOf(state: ClusterState, ns: string, name: string): ProxyServicePort[] {
  return proxyServicePorts(state).filter((p) => p.namespace === ns && p.name === name);
}

function portOf(state: ClusterState, ns: string, name: string, portName: string, protocol = 'TCP'): ProxyServicePort {
  const sp = portsOf(state, ns, name).find((p) => p.portName === portName && p.protocol === protocol);
  expect(sp, `${ns}/${name}:${portName}/${protocol}`).toBeDefined();
  return sp!;
}

interface View {
  endpoint: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
}

/** A port's endpoints as kube-proxy's EndpointsMap lists them: "ip:port" and conditions, sorted. */
function endpointsOf(sp: ProxyServicePort, withNode = false): View[] {
  return sp.endpoints
    .map((e) => ({
      endpoint: `${e.ip}:${e.port}`,
      ready: e.ready,
      serving: e.serving,
      terminating: e.terminating,
      ...(withNode && e.nodeName ? { nodeName: e.nodeName } : {}),
    }))
    .sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
}

const readyEp = (endpoint: string, nodeName?: string): View => ({ endpoint, ready: true, serving: true, terminating: false, ...(nodeName ? { nodeName } : {}) });
const ep = (endpoint: string, ready: boolean, serving: boolean, terminating: boolean): View => ({ endpoint, ready, serving, terminating });

// ---------------------------------------------------------------------------------------------

describe('proxyServicePorts: EndpointSlices merged as kube-proxy merges them', () => {
  it('TestEndpointsMapFromESC "1 slice, 2 hosts, ports 80,443": each Service port gets the slice port of its name', () => {
    const state = build([namespace('ns1'), svcWithPorts('svc1', 'ns1', [80, 443]), generatedSlice('svc1', 'ns1', 1, 1, 3, 999, 999, ['host1', 'host2'], [80, 443])]);
    expect(endpointsOf(portOf(state, 'ns1', 'svc1', 'port-0'), true)).toEqual([readyEp('10.0.1.1:80', 'host2'), readyEp('10.0.1.2:80', 'host1'), readyEp('10.0.1.3:80', 'host2')]);
    expect(endpointsOf(portOf(state, 'ns1', 'svc1', 'port-1'), true)).toEqual([
      readyEp('10.0.1.1:443', 'host2'),
      readyEp('10.0.1.2:443', 'host1'),
      readyEp('10.0.1.3:443', 'host2'),
    ]);
  });

  it('"2 slices, same port": the endpoints of every slice of the Service', () => {
    const state = build([
      namespace('ns1'),
      svcWithPorts('svc1', 'ns1', [80]),
      generatedSlice('svc1', 'ns1', 1, 1, 3, 999, 999, [], [80]),
      generatedSlice('svc1', 'ns1', 2, 2, 3, 999, 999, [], [80]),
    ]);
    expect(endpointsOf(portOf(state, 'ns1', 'svc1', 'port-0'))).toEqual(
      ['10.0.1.1:80', '10.0.1.2:80', '10.0.1.3:80', '10.0.2.1:80', '10.0.2.2:80', '10.0.2.3:80'].map((e) => readyEp(e)),
    );
  });

  it('"2 overlapping slices, same port": an endpoint listed by two slices appears once (the union)', () => {
    const state = build([
      namespace('ns1'),
      svcWithPorts('svc1', 'ns1', [80]),
      generatedSlice('svc1', 'ns1', 1, 1, 3, 999, 999, [], [80]),
      generatedSlice('svc1', 'ns1', 2, 1, 4, 999, 999, [], [80]),
    ]);
    expect(endpointsOf(portOf(state, 'ns1', 'svc1', 'port-0'))).toEqual(['10.0.1.1:80', '10.0.1.2:80', '10.0.1.3:80', '10.0.1.4:80'].map((e) => readyEp(e)));
  });

  it('"Different endpoints with duplicate IPs should not be filtered": one IP on two port numbers is two endpoints', () => {
    const state = build([
      namespace('ns1'),
      svcWithPorts('svc1', 'ns1', [80]),
      generatedSlice('svc1', 'ns1', 1, 1, 2, 999, 999, ['host1', 'host2'], [80]),
      generatedSlice('svc1', 'ns1', 2, 1, 2, 999, 999, ['host1', 'host2'], [8080]),
    ]);
    expect(endpointsOf(portOf(state, 'ns1', 'svc1', 'port-0'), true)).toEqual([
      readyEp('10.0.1.1:80', 'host2'),
      readyEp('10.0.1.1:8080', 'host2'),
      readyEp('10.0.1.2:80', 'host1'),
      readyEp('10.0.1.2:8080', 'host1'),
    ]);
  });

  it('"some endpoints unready and some endpoints terminating": a terminating endpoint that still serves keeps serving=true, ready=false', () => {
    const state = build([namespace('ns1'), svcWithPorts('svc1', 'ns1', [80]), generatedSlice('svc1', 'ns1', 1, 1, 10, 6, 5, [], [80])]);
    expect(endpointsOf(portOf(state, 'ns1', 'svc1', 'port-0'))).toEqual([
      ep('10.0.1.10:80', false, true, true),
      ep('10.0.1.1:80', true, true, false),
      ep('10.0.1.2:80', true, true, false),
      ep('10.0.1.3:80', true, true, false),
      ep('10.0.1.4:80', true, true, false),
      ep('10.0.1.5:80', false, true, true),
      ep('10.0.1.6:80', false, false, false),
      ep('10.0.1.7:80', true, true, false),
      ep('10.0.1.8:80', true, true, false),
      ep('10.0.1.9:80', true, true, false),
    ]);
  });

  it('copies every explicit ready/serving/terminating combination as written', () => {
    const combos: Required<Conditions>[] = [];
    for (const ready of [false, true]) for (const serving of [false, true]) for (const terminating of [false, true]) combos.push({ ready, serving, terminating });
    const state = build([
      serviceInput('ext', undefined, [{ name: 'http', port: 80 }]),
      endpointSlice(
        'default',
        'ext-1',
        'ext',
        combos.map((conditions, i) => ({ addresses: [`10.0.1.${i + 1}`], conditions })),
        [{ name: 'http', port: 8080, protocol: 'TCP' }],
      ),
    ]);
    expect(endpointsOf(portOf(state, 'default', 'ext', 'http'))).toEqual(combos.map((c, i) => ep(`10.0.1.${i + 1}:8080`, c.ready, c.serving, c.terminating)));
  });

  it('unset conditions: ready defaults to true and terminating to false (whatever ready says); serving is true when ready is unset or true', () => {
    // (serving unset with ready=false: see the skipped test below.)
    const state = build([
      serviceInput('ext', undefined, [{ name: 'http', port: 80 }]),
      endpointSlice(
        'default',
        'ext-1',
        'ext',
        [
          { addresses: ['10.0.1.1'] },
          { addresses: ['10.0.1.2'], conditions: {} },
          { addresses: ['10.0.1.3'], conditions: { ready: true } },
          { addresses: ['10.0.1.4'], conditions: { terminating: true } },
          { addresses: ['10.0.1.5'], conditions: { serving: false } },
          { addresses: ['10.0.1.6'], conditions: { ready: true, terminating: true } },
          { addresses: ['10.0.1.7'], conditions: { ready: false, serving: false } },
          { addresses: ['10.0.1.8'], conditions: { ready: false, serving: true } },
        ],
        [{ name: 'http', port: 8080 }],
      ),
    ]);
    expect(endpointsOf(portOf(state, 'default', 'ext', 'http'))).toEqual([
      ep('10.0.1.1:8080', true, true, false),
      ep('10.0.1.2:8080', true, true, false),
      ep('10.0.1.3:8080', true, true, false),
      ep('10.0.1.4:8080', true, true, true),
      ep('10.0.1.5:8080', true, false, false),
      ep('10.0.1.6:8080', true, true, true),
      ep('10.0.1.7:8080', false, false, false),
      ep('10.0.1.8:8080', false, true, false),
    ]);
  });

  // kube-proxy reads an unset `serving` as true (Serving == nil || *Serving; the v1 API: "a nil
  // value should be interpreted as true"), so a terminating endpoint written without `serving` is
  // still a serving-terminating fallback.
  it('unset serving is true even when ready is false (kube-proxy does not defer to ready)', () => {
    const state = build([
      serviceInput('ext', undefined, [{ name: 'http', port: 80 }]),
      endpointSlice('default', 'ext-1', 'ext', [{ addresses: ['10.0.1.1'], conditions: { ready: false, terminating: true } }], [{ name: 'http', port: 8080 }]),
    ]);
    expect(endpointsOf(portOf(state, 'default', 'ext', 'http'))).toEqual([ep('10.0.1.1:8080', false, true, true)]);
  });

  it('an endpoint in two slices keeps the non-terminating copy (the running pod over the terminating one)', () => {
    const state = build([
      serviceInput('ext', undefined, [{ name: 'http', port: 80 }]),
      endpointSlice(
        'default',
        'ext-a',
        'ext',
        [{ addresses: ['10.0.1.1'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node01' }],
        [{ name: 'http', port: 8080 }],
      ),
      endpointSlice(
        'default',
        'ext-b',
        'ext',
        [
          { addresses: ['10.0.1.1'], conditions: { ready: false, serving: true, terminating: true }, nodeName: 'node02' },
          { addresses: ['10.0.1.2'], conditions: { ready: true, serving: true, terminating: false } },
        ],
        [{ name: 'http', port: 8080 }],
      ),
    ]);
    expect(endpointsOf(portOf(state, 'default', 'ext', 'http'), true)).toEqual([readyEp('10.0.1.1:8080', 'node01'), readyEp('10.0.1.2:8080')]);
  });

  // kube-proxy replaces an existing entry with any non-terminating copy (`!exists ||
  // !terminating`), so a terminating copy in an earlier slice never hides the ready one.
  it('an endpoint in two slices keeps the non-terminating copy whichever slice comes first', () => {
    const state = build([
      serviceInput('ext', undefined, [{ name: 'http', port: 80 }]),
      endpointSlice('default', 'ext-a', 'ext', [{ addresses: ['10.0.1.1'], conditions: { ready: false, serving: true, terminating: true } }], [{ name: 'http', port: 8080 }]),
      endpointSlice(
        'default',
        'ext-b',
        'ext',
        [
          { addresses: ['10.0.1.1'], conditions: { ready: true, serving: true, terminating: false } },
          { addresses: ['10.0.1.2'], conditions: { ready: true, serving: true, terminating: false } },
        ],
        [{ name: 'http', port: 8080 }],
      ),
    ]);
    expect(endpointsOf(portOf(state, 'default', 'ext', 'http'))).toEqual([readyEp('10.0.1.1:8080'), readyEp('10.0.1.2:8080')]);
  });

  it('"3 slices with different services and namespaces": a Service gets only the slices labelled with its name in its namespace', () => {
    const state = build([
      namespace('ns1'),
      namespace('ns2'),
      svcWithPorts('svc1', 'ns1', [80]),
      svcWithPorts('svc2', 'ns1', [80]),
      svcWithPorts('svc1', 'ns2', [80]),
      generatedSlice('svc1', 'ns1', 1, 1, 3, 999, 999, [], [80]),
      generatedSlice('svc2', 'ns1', 2, 2, 3, 999, 999, [], [80]),
      generatedSlice('svc1', 'ns2', 3, 3, 3, 999, 999, [], [80]),
    ]);
    expect(endpointsOf(portOf(state, 'ns1', 'svc1', 'port-0'))).toEqual(['10.0.1.1:80', '10.0.1.2:80', '10.0.1.3:80'].map((e) => readyEp(e)));
    expect(endpointsOf(portOf(state, 'ns1', 'svc2', 'port-0'))).toEqual(['10.0.2.1:80', '10.0.2.2:80', '10.0.2.3:80'].map((e) => readyEp(e)));
    expect(endpointsOf(portOf(state, 'ns2', 'svc1', 'port-0'))).toEqual(['10.0.3.1:80', '10.0.3.2:80', '10.0.3.3:80'].map((e) => readyEp(e)));
  });

  it('ignores slices without the service-name label, and IPv6 and FQDN slices', () => {
    const http = [{ name: 'http', port: 8080, protocol: 'TCP' as const }];
    const state = build([
      serviceInput('ext', undefined, [{ name: 'http', port: 80 }]),
      endpointSlice('default', 'ext-v4', 'ext', [{ addresses: ['10.0.1.1'] }], http),
      endpointSlice('default', 'ext-unlabelled', undefined, [{ addresses: ['10.0.1.2'] }], http),
      endpointSlice('default', 'ext-v6', 'ext', [{ addresses: ['fd00::2'] }], http, 'IPv6'),
      endpointSlice('default', 'ext-fqdn', 'ext', [{ addresses: ['backend.example.com'] }], http, 'FQDN'),
    ]);
    expect(endpointsOf(portOf(state, 'default', 'ext', 'http'))).toEqual([readyEp('10.0.1.1:8080')]);
  });

  it('"Nil port should not break anything": a slice port without a number gives no endpoints', () => {
    const state = build([namespace('ns1'), svcWithPorts('svc1', 'ns1', [80]), generatedSlice('svc1', 'ns1', 1, 1, 3, 999, 999, ['host1', 'host2'], [undefined])]);
    expect(portOf(state, 'ns1', 'svc1', 'port-0').endpoints).toEqual([]);
  });
});

describe('proxyServicePorts: Service ports matched to slice ports by name and protocol', () => {
  it('TestClusterIPGeneral: ns2/svc2 http, https, dns-sctp (SCTP 53) and dns-tcp (TCP 53) each get their own slice port', () => {
    const svc2 = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc2', namespace: 'ns2' },
      spec: {
        ports: [
          { name: 'http', port: 80, protocol: 'TCP' },
          { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
          { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 5353 },
        ],
      },
    };
    const state = build([
      namespace('ns2'),
      svc2,
      endpointSlice(
        'ns2',
        'svc2-1',
        'svc2',
        [
          { addresses: ['10.180.0.1'], nodeName: 'test-node' },
          { addresses: ['10.180.2.1'], nodeName: 'host2' },
        ],
        [
          { name: 'http', port: 80, protocol: 'TCP' },
          { name: 'https', port: 8443, protocol: 'TCP' },
          { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
          { name: 'dns-tcp', port: 5353, protocol: 'TCP' },
        ],
      ),
    ]);
    const targets = (portName: string, protocol: string) => endpointsOf(portOf(state, 'ns2', 'svc2', portName, protocol)).map((e) => e.endpoint);
    expect(portsOf(state, 'ns2', 'svc2').map((p) => `${p.portName} ${p.protocol} ${p.port}`)).toEqual(['http TCP 80', 'https TCP 443', 'dns-sctp SCTP 53', 'dns-tcp TCP 53']);
    expect(targets('http', 'TCP')).toEqual(['10.180.0.1:80', '10.180.2.1:80']);
    expect(targets('https', 'TCP')).toEqual(['10.180.0.1:8443', '10.180.2.1:8443']);
    expect(targets('dns-sctp', 'SCTP')).toEqual(['10.180.0.1:53', '10.180.2.1:53']);
    expect(targets('dns-tcp', 'TCP')).toEqual(['10.180.0.1:5353', '10.180.2.1:5353']);
  });

  it('a slice port with the right name but another protocol does not match (ServicePortName includes the protocol)', () => {
    const state = build([
      serviceInput('dns', undefined, [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      ]),
      endpointSlice(
        'default',
        'dns-1',
        'dns',
        [{ addresses: ['10.0.1.1'] }],
        [
          { name: 'dns', port: 5353, protocol: 'TCP' },
          { name: 'dns-tcp', port: 53, protocol: 'UDP' },
        ],
      ),
    ]);
    expect(portOf(state, 'default', 'dns', 'dns', 'UDP').endpoints).toEqual([]);
    expect(portOf(state, 'default', 'dns', 'dns-tcp', 'TCP').endpoints).toEqual([]);
  });

  it('an unnamed Service port takes the unnamed slice port only; a named one takes its name only', () => {
    const state = build([
      serviceInput('single', undefined, [{ port: 80 }]),
      endpointSlice(
        'default',
        'single-1',
        'single',
        [{ addresses: ['10.0.1.1'] }],
        [
          { name: 'http', port: 8080, protocol: 'TCP' },
          { port: 9090, protocol: 'TCP' },
        ],
      ),
      serviceInput('named', undefined, [{ name: 'http', port: 80 }]),
      endpointSlice('default', 'named-1', 'named', [{ addresses: ['10.0.1.2'] }], [{ port: 9090, protocol: 'TCP' }]),
    ]);
    expect(endpointsOf(portOf(state, 'default', 'single', ''))).toEqual([readyEp('10.0.1.1:9090')]);
    expect(portOf(state, 'default', 'named', 'http').endpoints).toEqual([]);
  });
});

describe('proxyServicePorts: what kube-proxy takes from the Service', () => {
  it('ShouldSkipService: headless and ExternalName Services get no service ports', () => {
    const state = build([
      serviceInput('headless', { app: 'db' }, [{ port: 5432 }], { clusterIP: 'None' }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'extname', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } },
      serviceInput('plain', { app: 'db' }, [{ port: 5432 }]),
    ]);
    expect(portsOf(state, 'default', 'headless')).toEqual([]);
    expect(portsOf(state, 'default', 'extname')).toEqual([]);
    expect(portsOf(state, 'default', 'plain')).toHaveLength(1);
  });

  it('LoadBalancer IPs come from status.loadBalancer.ingress of a LoadBalancer Service; NodePort and ClusterIP Services have none', () => {
    let c = Cluster.create().apply([
      deploymentInput('web', 2),
      serviceInput('web-lb', { app: 'web' }, [{ port: 80 }], { type: 'LoadBalancer' }),
      serviceInput('web-np', { app: 'web' }, [{ port: 80 }], { type: 'NodePort' }),
      serviceInput('web-ci', { app: 'web' }, [{ port: 80 }]),
    ]);
    c = c.exec('sleep 5').cluster;
    const lb = c.state.services.default!['web-lb']!;
    const ingress = (lb.status.loadBalancer.ingress ?? []).map((i) => i.ip);
    expect(ingress).toHaveLength(1);
    expect(portOf(c.state, 'default', 'web-lb', '').loadBalancerIPs).toEqual(ingress);
    expect(portOf(c.state, 'default', 'web-np', '').loadBalancerIPs).toEqual([]);
    expect(portOf(c.state, 'default', 'web-ci', '').loadBalancerIPs).toEqual([]);
    // Turned into a NodePort Service: the address is released and kube-proxy stops serving it.
    c = c.apply(serviceInput('web-lb', { app: 'web' }, [{ port: 80, nodePort: portOf(c.state, 'default', 'web-lb', '').nodePort! }], { type: 'NodePort' }));
    expect(portOf(c.state, 'default', 'web-lb', '').loadBalancerIPs).toEqual([]);
  });

  it('NeedsHealthCheck: a LoadBalancer Service with externalTrafficPolicy Local carries its healthCheckNodePort', () => {
    const c = Cluster.create()
      .apply([
        deploymentInput('web', 1),
        serviceInput('web-local', { app: 'web' }, [{ port: 80 }], { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
        serviceInput('web-cluster', { app: 'web' }, [{ port: 80 }], { type: 'LoadBalancer' }),
      ])
      .exec('sleep 5').cluster;
    const local = portOf(c.state, 'default', 'web-local', '');
    expect(local.externalTrafficPolicy).toBe('Local');
    expect(local.healthCheckNodePort).toBe(c.state.services.default!['web-local']!.spec.healthCheckNodePort);
    expect(local.healthCheckNodePort).toBeGreaterThan(0);
    expect(portOf(c.state, 'default', 'web-cluster', '').healthCheckNodePort).toBeUndefined();
  });
});
