import { describe, expect, it } from 'vitest';
import { Cluster, generateCluster, getAgent, nodeRuleset, ruleSpec, type ClusterState, type Pod } from '@k8s-netsim/core';
import { checkInvariants, checkRuleset, type InvariantViolation } from './invariants.js';

// A Deployment behind a Service of every type, a selector-less Service with manual Endpoints,
// one selecting nothing, and two bare pods no Service selects.
const LAB = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx, ports: [{ name: http, containerPort: 80 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ name: http, port: 80, targetPort: http }] }
---
apiVersion: v1
kind: Service
metadata: { name: web-np }
spec: { type: NodePort, selector: { app: web }, ports: [{ port: 80, nodePort: 30080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: web-lb }
spec: { type: LoadBalancer, externalTrafficPolicy: Local, selector: { app: web }, ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: web-headless }
spec: { clusterIP: None, selector: { app: web }, ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: web-all }
spec: { publishNotReadyAddresses: true, internalTrafficPolicy: Local, sessionAffinity: ClientIP, selector: { app: web }, ports: [{ port: 8080, targetPort: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: search }
spec: { type: ExternalName, externalName: example.com }
---
apiVersion: v1
kind: Service
metadata: { name: legacy }
spec: { ports: [{ port: 5432 }] }
---
apiVersion: v1
kind: Endpoints
metadata: { name: legacy }
subsets: [{ addresses: [{ ip: 192.168.56.100 }], ports: [{ port: 5432 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: nobody }
spec: { selector: { app: nobody }, ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: lone-a }
spec: { nodeName: node01, containers: [{ name: c, image: nginx }] }
---
apiVersion: v1
kind: Pod
metadata: { name: lone-b }
spec: { nodeName: node01, containers: [{ name: c, image: nginx }] }
`;

// MetalLB hands out an address two simulated seconds after a LoadBalancer Service appears.
const lab = Cluster.create().apply(LAB).exec('sleep 3').cluster;

/** Check a deep copy of `c`'s state after `edit` (states are frozen). */
function corrupt(c: Cluster, edit: (s: ClusterState) => void): InvariantViolation[] {
  // A copy through its snapshot: states share immutable parts (pods started together share their
  // conditions), which structuredClone would keep shared and an edit would reach them all.
  const s = JSON.parse(c.snapshot()) as ClusterState;
  edit(s);
  return checkInvariants(Cluster.fromState(s));
}

const webPods = (s: ClusterState): Pod[] =>
  Object.values(s.pods.default!)
    .filter((p) => p.metadata.labels?.app === 'web')
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
const ids = (vs: InvariantViolation[]) => vs.map((v) => `${v.invariant} ${v.object}`);

describe('checkInvariants on sound clusters', () => {
  it('finds nothing on the default lab, the services lab, host-gw and 5 nodes', () => {
    expect(checkInvariants(Cluster.create())).toEqual([]);
    expect(lab.state.services.default!['web-lb']!.status.loadBalancer.ingress).toEqual([{ ip: '192.168.56.241', ipMode: 'VIP' }]);
    expect(checkInvariants(lab)).toEqual([]);
    expect(checkInvariants(Cluster.create({ flannelBackend: 'host-gw' }).apply(LAB))).toEqual([]);
    expect(checkInvariants(Cluster.create({ nodes: 5 }).apply(LAB))).toEqual([]);
  });

  it('runs well under a second on 20 nodes and 50 services', () => {
    const big = Cluster.fromState(generateCluster({ seed: 1, nodes: 20, services: 50, namespaces: 4, podsPerService: { min: 1, max: 4 } }));
    const t = performance.now();
    expect(checkInvariants(big)).toEqual([]);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});

describe('pod addresses', () => {
  it('pod-ip-unique: two live pods with one IP', () => {
    const a = lab.state.pods.default!['lone-a']!.status.podIP!;
    expect(corrupt(lab, (s) => void (s.pods.default!['lone-b']!.status.podIP = a))).toEqual([
      { invariant: 'pod-ip-unique', message: `pod default/lone-b has IP ${a}, already the IP of pod default/lone-a`, object: 'pod/default/lone-b' },
    ]);
  });

  it('a Succeeded pod keeps its old IP without owning it', () => {
    const a = lab.state.pods.default!['lone-a']!.status.podIP!;
    const vs = corrupt(lab, (s) => {
      s.pods.default!['lone-a']!.status.phase = 'Succeeded';
      s.pods.default!['lone-b']!.status.podIP = a;
    });
    expect(vs).toEqual([]);
  });

  it("pod-ip-in-node-cidr: an IP outside the node's podCIDR", () => {
    expect(lab.state.nodes.node01!.spec.podCIDR).toBe('10.244.1.0/24');
    expect(corrupt(lab, (s) => void (s.pods.default!['lone-a']!.status.podIP = '10.244.2.200'))).toEqual([
      { invariant: 'pod-ip-in-node-cidr', message: "pod default/lone-a has IP 10.244.2.200, outside its node node01's podCIDR 10.244.1.0/24", object: 'pod/default/lone-a' },
    ]);
  });

  it("pod-ip-host-network: a hostNetwork pod without its node's IP", () => {
    const proxy = Object.values(lab.state.pods['kube-system']!).find((p) => p.metadata.name.startsWith('kube-proxy-') && p.spec.nodeName === 'node02')!;
    const name = proxy.metadata.name;
    expect(corrupt(lab, (s) => void (s.pods['kube-system']![name]!.status.podIP = '192.168.56.99'))).toEqual([
      {
        invariant: 'pod-ip-host-network',
        message: `hostNetwork pod kube-system/${name} has IP 192.168.56.99, not its node node02's InternalIP 192.168.56.12`,
        object: `pod/kube-system/${name}`,
      },
    ]);
  });
});

describe('Service allocations', () => {
  it('cluster-ip-unique: a ClusterIP held by two Services', () => {
    const ip = lab.state.services.default!.web!.spec.clusterIP!;
    const vs = corrupt(lab, (s) => {
      const spec = s.services.default!['web-np']!.spec;
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    });
    expect(vs).toEqual([
      { invariant: 'cluster-ip-unique', message: `service default/web-np has ClusterIP ${ip}, already allocated to service default/web`, object: 'service/default/web-np' },
    ]);
  });

  it('cluster-ip-in-range: a ClusterIP outside the service CIDR', () => {
    const vs = corrupt(lab, (s) => {
      const spec = s.services.default!.web!.spec;
      spec.clusterIP = '10.112.0.5';
      spec.clusterIPs = ['10.112.0.5'];
    });
    expect(vs).toEqual([
      { invariant: 'cluster-ip-in-range', message: 'service default/web has ClusterIP 10.112.0.5, outside the service CIDR 10.96.0.0/12', object: 'service/default/web' },
    ]);
  });

  it('node-port-unique: one number in two Services, whatever the protocol', () => {
    expect(corrupt(lab, (s) => void (s.services.default!['web-lb']!.spec.ports![0]!.nodePort = 30080))).toEqual([
      { invariant: 'node-port-unique', message: 'service default/web-np has nodePort 30080/TCP, already allocated to service default/web-lb', object: 'service/default/web-np' },
    ]);
    const udp = corrupt(lab, (s) => {
      const lb = s.services.default!['web-lb']!.spec.ports![0]!;
      lb.nodePort = 30080;
      lb.protocol = 'UDP';
    });
    expect(udp).toEqual([
      { invariant: 'node-port-unique', message: 'service default/web-np has nodePort 30080/TCP, already allocated to service default/web-lb', object: 'service/default/web-np' },
    ]);
  });

  it('node-port-unique: a healthCheckNodePort equal to the Service own nodePort', () => {
    const np = lab.state.services.default!['web-lb']!.spec.ports![0]!.nodePort!;
    expect(corrupt(lab, (s) => void (s.services.default!['web-lb']!.spec.healthCheckNodePort = np))).toEqual([
      { invariant: 'node-port-unique', message: `service default/web-lb has healthCheckNodePort ${np}, which is also its nodePort ${np}/TCP`, object: 'service/default/web-lb' },
    ]);
  });

  it('node-port-in-range: nodePorts and healthCheckNodePorts in 30000-32767', () => {
    const vs = corrupt(lab, (s) => {
      s.services.default!['web-np']!.spec.ports![0]!.nodePort = 8080;
      s.services.default!['web-lb']!.spec.healthCheckNodePort = 32768;
    });
    expect(vs).toEqual([
      { invariant: 'node-port-in-range', message: 'service default/web-lb has healthCheckNodePort 32768, outside 30000-32767', object: 'service/default/web-lb' },
      { invariant: 'node-port-in-range', message: 'service default/web-np has nodePort 8080/TCP, outside 30000-32767', object: 'service/default/web-np' },
    ]);
  });

  it('lb-ip-unique: one address for two Services, unless MetalLB is told they share it', () => {
    const setIP = (s: ClusterState) => void (s.services.default!['web-lb']!.status.loadBalancer.ingress = [{ ip: '192.168.56.240', ipMode: 'VIP' }]);
    expect(corrupt(lab, setIP)).toEqual([
      {
        invariant: 'lb-ip-unique',
        message: 'service ingress-nginx/ingress-nginx-controller has load-balancer IP 192.168.56.240, already assigned to service default/web-lb',
        object: 'service/ingress-nginx/ingress-nginx-controller',
      },
    ]);
    const shared = corrupt(lab, (s) => {
      setIP(s);
      for (const svc of [s.services.default!['web-lb']!, s.services['ingress-nginx']!['ingress-nginx-controller']!]) {
        svc.metadata.annotations = { ...svc.metadata.annotations, 'metallb.universe.tf/allow-shared-ip': 'front' };
      }
    });
    expect(shared).toEqual([]);
  });

  it('lb-ip-in-pool: an address MetalLB never hands out', () => {
    expect(corrupt(lab, (s) => void (s.services.default!['web-lb']!.status.loadBalancer.ingress = [{ ip: '192.168.56.200' }]))).toEqual([
      {
        invariant: 'lb-ip-in-pool',
        message: 'service default/web-lb has load-balancer IP 192.168.56.200, outside the MetalLB pool 192.168.56.240-192.168.56.250',
        object: 'service/default/web-lb',
      },
    ]);
  });
});

describe('Endpoints and EndpointSlices', () => {
  it('endpoints-match-pods: a ready pod missing from Endpoints', () => {
    const pod = webPods(lab.state)[0]!;
    const ip = pod.status.podIP!;
    const vs = corrupt(lab, (s) => {
      for (const subset of s.endpoints.default!.web!.subsets!) subset.addresses = subset.addresses!.filter((a) => a.ip !== ip);
    });
    expect(vs).toEqual([
      { invariant: 'endpoints-match-pods', message: `Endpoints of service default/web: missing ${ip} (pod ${pod.metadata.name})`, object: 'service/default/web' },
    ]);
  });

  it('endpointslices-match-pods: an address no selected pod has', () => {
    const slice = Object.values(lab.state.endpointSlices.default!).find((x) => x.metadata.labels?.['kubernetes.io/service-name'] === 'web-np')!;
    const vs = corrupt(lab, (s) => void s.endpointSlices.default![slice.metadata.name]!.endpoints.push({ addresses: ['10.244.1.250'], conditions: { ready: true } }));
    expect(vs).toEqual([
      { invariant: 'endpointslices-match-pods', message: 'EndpointSlices of service default/web-np: unexpected 10.244.1.250', object: 'service/default/web-np' },
    ]);
  });

  it('a pod that stops being Ready must leave every Service but the one publishing not-ready addresses', () => {
    const pod = webPods(lab.state)[1]!;
    const vs = corrupt(lab, (s) => {
      const ready = s.pods.default![pod.metadata.name]!.status.conditions!.find((c) => c.type === 'Ready')!;
      ready.status = 'False';
    });
    expect(ids(vs)).toEqual(
      ['web', 'web-headless', 'web-lb', 'web-np'].flatMap((svc) => [`endpoints-match-pods service/default/${svc}`, `endpointslices-match-pods service/default/${svc}`]),
    );
    expect(vs[0]!.message).toBe(`Endpoints of service default/web: unexpected ${pod.status.podIP}`);
  });

  it('terminating pods are left aside', () => {
    const pod = webPods(lab.state)[2]!;
    expect(corrupt(lab, (s) => void (s.pods.default![pod.metadata.name]!.metadata.deletionTimestamp = '2025-01-01T00:00:00Z'))).toEqual([]);
  });
});

describe('Flannel overlay', () => {
  const A = 'flannel.alpha.coreos.com/';

  it('flannel-lease: a node running flanneld without its lease', () => {
    const vs = corrupt(lab, (s) => {
      const a = s.nodes.node02!.metadata.annotations!;
      for (const k of Object.keys(a)) if (k.startsWith(A)) delete a[k];
    });
    expect(vs).toEqual([{ invariant: 'flannel-lease', message: 'node node02 has no flannel lease (podCIDR and flannel.alpha.coreos.com annotations)', object: 'node/node02' }]);
  });

  it("flannel-lease: a lease that is not the node's own", () => {
    const hostGw = Cluster.create({ flannelBackend: 'host-gw' });
    const vs = corrupt(hostGw, (s) => void (s.nodes.node02!.metadata.annotations![`${A}public-ip`] = '192.168.56.99'));
    expect(vs).toEqual([{ invariant: 'flannel-lease', message: 'node node02 publishes public-ip 192.168.56.99, not its InternalIP 192.168.56.12', object: 'node/node02' }]);
  });

  it('overlay-routes, overlay-neighbours, overlay-fdb: a node whose flannel.1 is gone', () => {
    const mac = getAgent(lab.state, 'node01')!.flannel!.vxlan!.vtepMac;
    const peer = (node: string) => {
      const a = lab.state.nodes[node]!.metadata.annotations!;
      return { mac: (JSON.parse(a[`${A}backend-data`]!) as { VtepMAC: string }).VtepMAC, ip: a[`${A}public-ip`]! };
    };
    const cp = peer('controlplane');
    const n2 = peer('node02');
    const vs = corrupt(lab, (s) => void delete getAgent(s, 'node01')!.flannel!.vxlan);
    const v = (invariant: string, message: string) => ({ invariant, message, object: 'node/node01' });
    expect(vs).toEqual([
      v('flannel-lease', `node node01 publishes VtepMAC ${mac}, but flannel.1 has MAC (no device)`),
      v('overlay-routes', 'node node01 lacks route 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink (lease of node controlplane)'),
      v('overlay-routes', 'node node01 lacks route 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink (lease of node node02)'),
      v('overlay-neighbours', `node node01 lacks neighbour 10.244.0.0 dev flannel.1 lladdr ${cp.mac} PERMANENT (lease of node controlplane)`),
      v('overlay-neighbours', `node node01 lacks neighbour 10.244.2.0 dev flannel.1 lladdr ${n2.mac} PERMANENT (lease of node node02)`),
      v('overlay-fdb', `node node01 lacks FDB entry ${cp.mac} dev flannel.1 dst ${cp.ip} self permanent (lease of node controlplane)`),
      v('overlay-fdb', `node node01 lacks FDB entry ${n2.mac} dev flannel.1 dst ${n2.ip} self permanent (lease of node node02)`),
    ]);
  });
});

describe('checkRuleset', () => {
  const ruleset = () => structuredClone(nodeRuleset(lab.state, 'node01'));

  it('finds nothing in a node ruleset as kube-proxy and flanneld write it', () => {
    expect(checkRuleset(ruleset(), 'node01')).toEqual([]);
  });

  it('iptables-jump-target: a jump to a chain that does not exist', () => {
    const rs = ruleset();
    const nat = rs.tables.find((t) => t.name === 'nat')!;
    const sep = nat.chains.find((c) => c.name.startsWith('KUBE-SEP-'))!.name;
    nat.chains = nat.chains.filter((c) => c.name !== sep);
    const from = nat.chains.find((c) => c.rules.some((r) => r.target.t === 'jump' && r.target.chain === sep))!;
    const rule = from.rules.find((r) => r.target.t === 'jump' && r.target.chain === sep)!;
    expect(checkRuleset(rs, 'node01')).toEqual([
      { invariant: 'iptables-jump-target', message: `node node01: table nat: \`${ruleSpec(from.name, rule)}\` targets chain ${sep}, which does not exist`, object: 'node/node01' },
    ]);
  });

  it('iptables-chain-referenced: a service chain nothing jumps to', () => {
    const rs = ruleset();
    const nat = rs.tables.find((t) => t.name === 'nat')!;
    // default/kubernetes:https, named by kube-proxy's hash.
    for (const c of nat.chains) c.rules = c.rules.filter((r) => !(r.target.t === 'jump' && r.target.chain === 'KUBE-SVC-NPX46M4PTMTKRN6Y'));
    expect(checkRuleset(rs)).toEqual([{ invariant: 'iptables-chain-referenced', message: 'table nat: chain KUBE-SVC-NPX46M4PTMTKRN6Y is not referenced by any rule' }]);
  });
});

describe('DNS', () => {
  const withCorefile = (edit: (text: string) => string) => (s: ClusterState) => void (s.coredns = { corefile: edit(s.coredns.corefile) });
  const rewrite = (from: string, to: string) =>
    withCorefile((t) => t.replace('    kubernetes cluster.local', `    rewrite name exact ${from} ${to}\n    kubernetes cluster.local`));

  it('dns-service-record: a Service name answering another address', () => {
    const ip = lab.state.services.default!.web!.spec.clusterIP!;
    expect(corrupt(lab, rewrite('web.default.svc.cluster.local', 'kubernetes.default.svc.cluster.local'))).toEqual([
      {
        invariant: 'dns-service-record',
        message: `web.default.svc.cluster.local. answers A [10.96.0.1] (NOERROR), expected [${ip}] for service default/web`,
        object: 'service/default/web',
      },
    ]);
  });

  it('dns-service-record: a headless Service must answer its ready endpoints', () => {
    const ips = webPods(lab.state)
      .map((p) => p.status.podIP!)
      .sort()
      .join(', ');
    const vs = corrupt(lab, rewrite('web-headless.default.svc.cluster.local', 'nobody-here.default.svc.cluster.local'));
    expect(vs).toEqual([
      {
        invariant: 'dns-service-record',
        message: `web-headless.default.svc.cluster.local. answers A [] (NXDOMAIN), expected [${ips}] for headless service default/web-headless`,
        object: 'service/default/web-headless',
      },
    ]);
  });

  it('dns-service-record: an ExternalName Service must answer its CNAME', () => {
    expect(corrupt(lab, rewrite('search.default.svc.cluster.local', 'web.default.svc.cluster.local'))).toEqual([
      {
        invariant: 'dns-service-record',
        message: 'search.default.svc.cluster.local. answers CNAME [] (NOERROR), expected example.com. for ExternalName service default/search',
        object: 'service/default/search',
      },
    ]);
  });

  it('is skipped without a loaded Corefile or a kubernetes plugin for the cluster domain', () => {
    expect(
      corrupt(
        lab,
        withCorefile(() => ''),
      ),
    ).toEqual([]);
    expect(
      corrupt(
        lab,
        withCorefile((t) => t.replace('kubernetes cluster.local', 'kubernetes other.local')),
      ),
    ).toEqual([]);
  });
});

describe('an ExternalName that is an IP address', () => {
  // The API server accepts it (a valid DNS-1123 subdomain); CoreDNS's kubernetes plugin serves an
  // ExternalName only when msg.Service.HostType is CNAME, so the name has no record.
  it('is sound and answers NXDOMAIN', () => {
    const c = Cluster.create().apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: '10.0.0.1' } });
    expect(checkInvariants(c)).toEqual([]);
  });
});
