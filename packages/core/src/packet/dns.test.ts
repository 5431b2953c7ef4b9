// Name resolution as the simulator does it end to end: stub resolver → packets → CoreDNS.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Cluster } from '../cluster/cluster.js';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { deploymentInput, podInput, serviceInput } from '@k8s-netsim/testing';
import { applyObjects } from '../controllers/transitions.js';
import type { ObjectInput } from '../apiserver/storage.js';
import { glibcLookup, type QueryFn } from '../dns/stub/index.js';
import { podResolvConf, nodeResolvConf } from '../dns/resolv.js';
import { listObjects } from '../state/store.js';
import type { Pod } from '../api/types.js';
import type { ClusterState } from '../state/types.js';
import { dnsQuery } from './dns.js';

function resolverFor(state: ClusterState, pod: Pod) {
  const conf = podResolvConf(pod, { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', hostResolvConf: nodeResolvConf(state.config.nodeGateway) }).conf;
  let n = 0;
  const query: QueryFn = (name, type, server) => dnsQuery(state, { pod: `${pod.metadata.namespace}/${pod.metadata.name}` }, server, name, type, n++).outcome;
  return (name: string) => glibcLookup(name, conf, query, 'inet');
}

describe('DNS end to end (properties)', () => {
  it('every Service FQDN resolves to its ClusterIP from every pod; short names only in the same namespace', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom('alpha', 'beta', 'gamma'), { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(fc.constantFrom('web', 'api', 'db', 'cache'), { minLength: 1, maxLength: 3 }),
        (namespaces, names) => {
          const objs: ObjectInput[] = namespaces.map((ns) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }) as unknown as ObjectInput);
          for (const ns of namespaces) {
            objs.push(podInput('client', { namespace: ns, image: 'busybox:1.36' }));
            for (const n of names) objs.push(serviceInput(n, { app: n }, [{ port: 80 }], { namespace: ns }));
          }
          const s = applyObjects(bootstrapCluster(), objs).state;
          for (const ns of namespaces) {
            const client = s.pods[ns]!.client!;
            const lookup = resolverFor(s, client);
            for (const other of namespaces) {
              for (const n of names) {
                const want = s.services[other]![n]!.spec.clusterIP;
                expect(lookup(`${n}.${other}.svc.cluster.local`).addresses).toContain(want);
                expect(lookup(`${n}.${other}`).addresses).toContain(want);
              }
            }
            // A short name is the client's own namespace's Service.
            for (const n of names) expect(lookup(n).addresses).toEqual([s.services[ns]![n]!.spec.clusterIP]);
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  it('headless answers equal the ready endpoints, and PTR(A(x)) = x for ClusterIPs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 100 }), (replicas, seed) => {
        const svc = serviceInput('h', { app: 'h' }, [{ port: 80 }]);
        svc.spec.clusterIP = 'None';
        const s = applyObjects(bootstrapCluster({ seed }), [
          deploymentInput('h', replicas),
          podInput('client', { image: 'busybox:1.36' }),
          svc,
          serviceInput('v', { app: 'h' }, [{ port: 80 }]),
        ]).state;
        const client = s.pods.default!.client!;
        const from = { pod: 'default/client' };
        const ready = (listObjects(s, 'Pod', 'default') as Pod[])
          .filter((p) => p.metadata.name.startsWith('h-'))
          .map((p) => p.status.podIP)
          .sort();
        const a = dnsQuery(s, from, '10.96.0.10', 'h.default.svc.cluster.local', 'A').outcome;
        if (replicas === 0) expect(a).toMatchObject({ rcode: 'NXDOMAIN' });
        else expect(('answer' in a ? a.answer : []).map((r) => r.data).sort()).toEqual(ready);
        const vip = s.services.default!.v!.spec.clusterIP!;
        const ptr = dnsQuery(s, from, '10.96.0.10', `${vip.split('.').reverse().join('.')}.in-addr.arpa`, 'PTR').outcome;
        expect('answer' in ptr ? ptr.answer.map((r) => r.data) : []).toEqual(['v.default.svc.cluster.local.']);
        void client;
      }),
      { numRuns: 10 },
    );
  });

  it('glibc tries the search domains in order and stops at the first answer', () => {
    const s = applyObjects(bootstrapCluster(), [podInput('client', { image: 'busybox:1.36' }), serviceInput('web', { app: 'web' }, [{ port: 80 }])]).state;
    const r = resolverFor(s, s.pods.default!.client!)('web');
    expect(r.queries.filter((q) => q.type === 'A').map((q) => `${q.name} ${q.rcode}`)).toEqual(['web.default.svc.cluster.local NOERROR']);
    const miss = resolverFor(s, s.pods.default!.client!)('nothere');
    expect(miss.queries.filter((q) => q.type === 'A').map((q) => q.name)).toEqual([
      'nothere.default.svc.cluster.local',
      'nothere.svc.cluster.local',
      'nothere.cluster.local',
      'nothere',
    ]);
  });
});

describe("CoreDNS configuration and the seed's loop", () => {
  const corefile = (extra: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
    .:53 {
        errors
${extra}
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
           ttl 30
        }
        forward . /etc/resolv.conf
        cache 30
        reload
    }
`;

  it('a hosts entry for the Ingress host makes curl from a pod resolve and reach the Ingress', () => {
    let c = Cluster.create().exec('kubectl create deployment kubeserve2 --image=chadmcrowell/kubeserve2').cluster;
    c = c.exec('kubectl expose deployment kubeserve2 --port 80 --target-port 8080').cluster;
    c = c.apply(readIngress());
    c = c.exec('kubectl run client --image=busybox:1.36 -- sleep 3600').cluster;
    expect(c.exec('wget -qO- http://kubeserve.example.com', { pod: 'client' }).stderr).toBe("wget: bad address 'kubeserve.example.com'\n");
    c = c.exec('kubectl apply -f -', { stdin: corefile('        hosts {\n           192.168.56.240 kubeserve.example.com\n           fallthrough\n        }') }).cluster;
    const r = c.exec('kubectl exec client -- wget -qO- http://kubeserve.example.com');
    expect(r.stdout).toMatch(/^You've hit kubeserve2-/);
  });

  it('an unknown plugin is reported as CoreDNS reports it, and the old Corefile keeps serving', () => {
    let c = Cluster.create().exec('kubectl run client --image=busybox:1.36 -- sleep 3600').cluster;
    c = c.exec('kubectl apply -f -', { stdin: corefile('        frobnicate') }).cluster;
    expect(c.state.coredns.error).toMatch(/Unknown directive 'frobnicate'/);
    const pod = Object.keys(c.state.pods['kube-system']!).find((n) => n.startsWith('coredns-'))!;
    expect(c.exec(`kubectl logs -n kube-system ${pod}`).stdout).toMatch(/\[ERROR\] Restart failed: .*Unknown directive 'frobnicate'/);
    expect(c.exec('kubectl exec client -- nslookup kubernetes').stdout).toMatch(/Address: 10\.96\.0\.1|Address 1: 10\.96\.0\.1/);
  });

  it('the configurable upstream zone answers names from outside the cluster', () => {
    const c = Cluster.create({ dnsZone: { 'kubeserve.example.com': { A: ['192.168.56.240'] } } });
    const ws = c.exec('netsim shell workstation').cluster;
    void ws;
    const r = c.exec('nslookup kubeserve.example.com', { node: 'node01' });
    expect(r.stdout).toMatch(/Name:\tkubeserve\.example\.com\nAddress: 192\.168\.56\.240/);
  });
});

function readIngress(): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: kubeserve
spec:
  rules:
  - host: kubeserve.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: kubeserve2
            port:
              number: 80
`;
}
