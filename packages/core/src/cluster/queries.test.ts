// Cluster's read API for test authors: pods, services (with EndpointSlice endpoints), nodes.
// Expected values are kubeadm's and Flannel's defaults: kube-dns at 10.96.0.10 with kubeadm's
// ports (dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP), the control plane's podCIDR
// 10.244.0.0/24 whose first addresses host-local hands to CoreDNS (.1 is cni0's).

import { describe, expect, it } from 'vitest';
import { deploymentInput, serviceInput } from '@k8s-netsim/testing';
import { isApiError } from '../api/errors.js';
import { Cluster } from './cluster.js';

const lab = Cluster.create();

describe('Cluster.service', () => {
  it("describes kube-dns as kubeadm creates it, with CoreDNS's endpoints per port", () => {
    const svc = lab.service('kube-system/kube-dns');
    expect(svc).toMatchObject({ namespace: 'kube-system', name: 'kube-dns', type: 'ClusterIP', clusterIPs: ['10.96.0.10'], headless: false, loadBalancerIPs: [], externalIPs: [] });
    expect(svc.ports).toEqual([
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
      { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
    ]);
    const coredns = lab.pods({ namespace: 'kube-system', selector: 'k8s-app=kube-dns' });
    expect(coredns.map((p) => [p.ip, p.node])).toEqual([
      ['10.244.0.3', 'controlplane'],
      ['10.244.0.2', 'controlplane'],
    ]);
    const udp = svc.endpoints.filter((e) => e.portName === 'dns');
    // The slice lists its endpoints by address; the pods come by name.
    expect(udp).toEqual(
      [...coredns]
        .sort((a, b) => a.ip!.localeCompare(b.ip!))
        .map((p) => ({
          ip: p.ip,
          port: 53,
          portName: 'dns',
          protocol: 'UDP',
          ready: true,
          serving: true,
          terminating: false,
          node: 'controlplane',
          pod: `kube-system/${p.name}`,
        })),
    );
    expect(svc.endpoints).toHaveLength(6);
  });

  it('"name" means the default namespace: the kubernetes Service and its API server endpoint', () => {
    const svc = lab.service('kubernetes');
    expect(svc.clusterIPs).toEqual(['10.96.0.1']);
    expect(svc.ports).toEqual([{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }]);
    // The API server's own endpoints: the control plane's address, no pod behind it.
    expect(svc.endpoints).toEqual([
      { ip: '192.168.56.10', port: 6443, portName: 'https', protocol: 'TCP', ready: true, serving: true, terminating: false, node: undefined, pod: undefined },
    ]);
  });

  it('a LoadBalancer gets its MetalLB address two seconds after creation; headless has no ClusterIP', () => {
    const c = lab.apply([
      deploymentInput('web', 2),
      serviceInput('web-lb', { app: 'web' }, [{ port: 80, nodePort: 30080 }], { type: 'LoadBalancer' }),
      serviceInput('web-headless', { app: 'web' }, [{ name: 'http', port: 80 }], { clusterIP: 'None' }),
    ]);
    expect(c.service('web-lb')).toMatchObject({ type: 'LoadBalancer', loadBalancerIPs: [], externalTrafficPolicy: 'Cluster' });
    expect(c.service('web-lb').ports).toEqual([{ name: '', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 }]);
    const later = c.exec('sleep 2').cluster;
    // .240 is ingress-nginx's controller: the first free address of the pool is ours.
    expect(later.service('web-lb').loadBalancerIPs).toEqual(['192.168.56.241']);
    const headless = c.service('default/web-headless');
    expect(headless).toMatchObject({ headless: true, clusterIPs: [] });
    const web = c.pods({ selector: { app: 'web' } });
    expect(web).toHaveLength(2);
    expect(headless.endpoints.map((e) => e.ip).sort()).toEqual(web.map((p) => p.ip).sort());
  });

  it("an unknown Service is the API server's NotFound", () => {
    let err: unknown;
    try {
      lab.service('default/nope');
    } catch (e) {
      err = e;
    }
    expect(isApiError(err)).toBe(true);
    expect((err as Error).message).toBe('services "nope" not found');
  });
});

describe('Cluster.pods and Cluster.node', () => {
  it("lists a node's pods and filters by kubectl's selector forms", () => {
    const onNode01 = lab.pods({ node: 'node01' }).map((p) => `${p.namespace}/${p.name.replace(/-[a-z0-9]{5}$|-[a-z0-9]{8,10}-[a-z0-9]{5}$/, '')}`);
    expect(onNode01).toEqual(['kube-flannel/kube-flannel-ds', 'kube-system/kube-proxy', 'metallb-system/controller', 'metallb-system/speaker']);
    const all = lab.pods();
    expect(lab.pods({ selector: '!k8s-app' }).length + lab.pods({ selector: 'k8s-app' }).length).toBe(all.length);
    expect(
      lab
        .pods({ namespace: 'kube-system', selector: 'k8s-app=kube-proxy' })
        .map((p) => p.node)
        .sort(),
    ).toEqual(['controlplane', 'node01', 'node02']);
    expect(lab.pods({ namespace: 'kube-system', selector: 'k8s-app=kube-proxy' }).every((p) => p.phase === 'Running' && p.ip === lab.node(p.node!).internalIP)).toBe(true);
  });

  it("gives a node's address, podCIDR (in registration order), readiness and roles", () => {
    expect(lab.node('controlplane')).toEqual({ name: 'controlplane', internalIP: '192.168.56.10', podCIDR: '10.244.0.0/24', ready: true, roles: ['control-plane'] });
    expect(lab.node('node02')).toEqual({ name: 'node02', internalIP: '192.168.56.12', podCIDR: '10.244.2.0/24', ready: true, roles: [] });
    // Without a CNI a node is NotReady (the kubelet's "cni plugin not initialized").
    expect(Cluster.create({ cni: 'none' }).node('node01').ready).toBe(false);
    expect(() => lab.node('node09')).toThrow('nodes "node09" not found');
  });
});

describe('Cluster.traceAll', () => {
  it("gives one path per CoreDNS endpoint, with kube-proxy's probabilities", () => {
    const outcomes = lab.traceAll({ from: { node: 'node01' }, to: { ip: '10.96.0.10', port: 53 }, proto: 'udp' });
    expect(outcomes.map((o) => [o.probability, o.result.to?.ip]).sort()).toEqual([
      [0.5, '10.244.0.2'],
      [0.5, '10.244.0.3'],
    ]);
  });
});
