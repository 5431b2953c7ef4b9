import { beforeAll, describe, expect, it } from 'vitest';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { deploymentInput, podInput, serviceInput } from '@k8s-netsim/testing';
import { applyObjects, deleteObject } from '../controllers/transitions.js';
import type { ObjectInput } from '../apiserver/storage.js';
import type { ClusterState } from '../state/types.js';
import { KUBEADM_COREFILE, kubeadmCorefile, parseCorefile, type Corefile } from './corefile/index.js';
import { reverseName } from './addresses.js';
import { dnsData, type DnsData } from './informer.js';
import type { QType, RR } from './message.js';
import { answer, type AnswerContext, type DnsAnswer } from './server.js';
import { defaultUpstreamZone, makeUpstream, unreachableUpstream, type UpstreamQuery } from './upstream.js';

const externalName = (name: string, target: string): ObjectInput =>
  ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { type: 'ExternalName', externalName: target, sessionAffinity: 'None' },
  }) as unknown as ObjectInput;

function podWithHostname(name: string, hostname: string, subdomain: string): ObjectInput<'Pod'> {
  const p = podInput(name);
  return { ...p, spec: { ...p.spec, hostname, subdomain } };
}

/** The lab cluster plus the Services the reference's rules talk about. */
function labCluster(): ClusterState {
  const s = bootstrapCluster();
  return applyObjects(s, [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' }, spec: { finalizers: ['kubernetes'] } } as unknown as ObjectInput,
    deploymentInput('web', 2),
    serviceInput('web', { app: 'web' }, [
      { port: 80, name: 'http' },
      { port: 443, name: 'https' },
    ]),
    serviceInput('plain', { app: 'web' }, [{ port: 8080 }]),
    serviceInput('hl', { app: 'web' }, [{ port: 80, name: 'http' }], { clusterIP: 'None' }),
    serviceInput('hl-empty', { app: 'nothing' }, [{ port: 80, name: 'http' }], { clusterIP: 'None' }),
    serviceInput('empty', { app: 'nothing' }, [{ port: 80, name: 'http' }]),
    serviceInput('db', { run: 'db-0' }, [{ port: 5432, name: 'pg' }], { clusterIP: 'None' }),
    podWithHostname('db-0', 'db-0', 'db'),
    externalName('ext', 'example.com'),
    externalName('ext-int', 'web.default.svc.cluster.local'),
    externalName('ext-gone', 'nothing-here.example'),
  ]).state;
}

let state: ClusterState;
let data: DnsData;
let kubeadm: Corefile;
const upstream = makeUpstream(defaultUpstreamZone());
const ctx: AnswerContext = { clientIP: '10.244.1.5', upstream };

beforeAll(() => {
  state = labCluster();
  data = dnsData(state);
  kubeadm = parseCorefile(KUBEADM_COREFILE);
});

function q(name: string, type: QType, cf: Corefile = kubeadm, c: AnswerContext = ctx): DnsAnswer {
  return answer(data, cf, { name, type }, c);
}

function rr(r: RR): string {
  return `${r.name} ${r.ttl} ${r.class} ${r.type} ${r.data}`;
}

function clusterIP(name: string, ns = 'default'): string {
  return state.services[ns]![name]!.spec.clusterIP!;
}

function endpointIPs(svc: string): string[] {
  return Object.values(state.endpointSlices.default ?? {})
    .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc)
    .flatMap((s) => s.endpoints.flatMap((e) => e.addresses));
}

function soa(ttl = 30): string {
  return `cluster.local. ${ttl} IN SOA ns.dns.cluster.local. hostmaster.cluster.local. ${data.serial} 7200 1800 86400 ${ttl}`;
}

const dashed = (ip: string) => ip.replace(/\./g, '-');

describe('A1/A2: service records (kubeadm Corefile)', () => {
  it('ClusterIP service: A is the ClusterIP, TTL 30, authoritative', () => {
    const a = q('web.default.svc.cluster.local', 'A');
    expect(a).toMatchObject({ rcode: 'NOERROR', aa: true, plugin: 'kubernetes', authority: [] });
    expect(a.answer.map(rr)).toEqual([`web.default.svc.cluster.local. 30 IN A ${clusterIP('web')}`]);
  });

  it('a ClusterIP service without endpoints still resolves (svcempty)', () => {
    expect(q('empty.default.svc.cluster.local', 'A').answer.map((r) => r.data)).toEqual([clusterIP('empty')]);
  });

  // [name, type, rcode, why]
  it.each([
    ['web.default.svc.cluster.local', 'AAAA', 'NOERROR', 'existing name, missing type: NODATA'],
    ['web.default.svc.cluster.local', 'TXT', 'NOERROR', 'TXT on a service: NODATA'],
    ['missing.default.svc.cluster.local', 'TXT', 'NOERROR', 'TXT is NODATA for every name but dns-version'],
    ['web.default.svc.cluster.local', 'ANY', 'NOERROR', 'other types: a fake A lookup gives NODATA'],
    ['missing.default.svc.cluster.local', 'ANY', 'NXDOMAIN', '…or NXDOMAIN'],
    ['missing.default.svc.cluster.local', 'A', 'NXDOMAIN', 'nonexistent service'],
    ['missing.default.svc.cluster.local', 'AAAA', 'NXDOMAIN', 'nonexistent service, AAAA'],
    ['web.nope.svc.cluster.local', 'A', 'NXDOMAIN', 'nonexistent namespace'],
    ['nope.svc.cluster.local', 'A', 'NXDOMAIN', '<missing-ns>.svc.zone'],
    ['default.svc.cluster.local', 'A', 'NOERROR', '<existing-ns>.svc.zone: NODATA'],
    ['team-a.svc.cluster.local', 'A', 'NOERROR', 'a namespace without services exists too'],
    ['svc.cluster.local', 'A', 'NOERROR', 'svc.zone: NODATA'],
    ['pod.cluster.local', 'A', 'NOERROR', 'pod.zone: NODATA'],
    ['cluster.local', 'A', 'NOERROR', 'zone apex A: NODATA'],
    ['web.default.foo.cluster.local', 'A', 'NXDOMAIN', '2nd label from the zone is neither svc nor pod'],
    ['a.b.c.web.default.svc.cluster.local', 'A', 'NXDOMAIN', 'too many labels'],
    ['hl-empty.default.svc.cluster.local', 'A', 'NXDOMAIN', 'headless without ready endpoints'],
    ['nobody.hl.default.svc.cluster.local', 'A', 'NXDOMAIN', 'unknown endpoint name'],
    ['x.ext.default.svc.cluster.local', 'A', 'NXDOMAIN', 'no endpoint names under ExternalName'],
    ['_https._udp.web.default.svc.cluster.local', 'SRV', 'NXDOMAIN', 'SRV for a port/protocol the service lacks'],
    ['web.default.svc.cluster.local', 'SOA', 'NOERROR', 'SOA below the apex: NODATA'],
    ['missing.default.svc.cluster.local', 'SOA', 'NOERROR', 'SOA below the apex is NODATA even for missing names'],
  ] as const)('%s %s → %s (%s)', (name, type, rcode, _why) => {
    const a = q(name, type);
    expect(a.rcode).toBe(rcode);
    expect(a.aa).toBe(true);
    expect(a.answer).toEqual([]);
    // Every negative answer carries the zone's SOA (minimum = ttl 30).
    expect(a.authority.map(rr)).toEqual([soa()]);
  });

  it('dns-version TXT is 1.1.0 (28800 s from the plugin, capped to 30 by cache)', () => {
    expect(q('dns-version.cluster.local', 'TXT').answer.map(rr)).toEqual(['dns-version.cluster.local. 30 IN TXT "1.1.0"']);
    const nocache = parseCorefile('.:53 {\n    kubernetes cluster.local\n}\n');
    expect(q('dns-version.cluster.local', 'TXT', nocache).answer.map(rr)).toEqual(['dns-version.cluster.local. 28800 IN TXT "1.1.0"']);
  });

  it('SOA at the apex, NS at the apex naming the kube-dns Service', () => {
    expect(q('cluster.local', 'SOA').answer.map(rr)).toEqual([soa()]);
    const ns = q('cluster.local', 'NS');
    expect(ns.answer.map(rr)).toEqual(['cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.']);
    expect(ns.additional.map(rr)).toEqual(['kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10']);
    expect(q('ns.dns.cluster.local', 'A').answer.map(rr)).toEqual(['ns.dns.cluster.local. 30 IN A 10.96.0.10']);
    // A CoreDNS that is no Service's endpoint falls back to ns.dns.<zone> and its own address.
    const alone = q('cluster.local', 'NS', kubeadm, { ...ctx, serverIP: '10.244.9.9' });
    expect(alone.answer.map(rr)).toEqual(['cluster.local. 30 IN NS ns.dns.cluster.local.']);
    expect(alone.additional.map(rr)).toEqual(['ns.dns.cluster.local. 30 IN A 10.244.9.9']);
  });

  it('matches names case-insensitively and answers with the name as asked', () => {
    const a = q('WEB.Default.SVC.Cluster.Local.', 'A');
    expect(a.answer.map(rr)).toEqual([`WEB.Default.SVC.Cluster.Local. 30 IN A ${clusterIP('web')}`]);
    // The SOA owner keeps the query's spelling of the zone, as CoreDNS does.
    expect(q('NOPE.default.svc.Cluster.Local', 'A').authority[0]?.name).toBe('Cluster.Local.');
  });
});

describe('A1/A2: headless services and endpoints', () => {
  it('headless A: one record per ready endpoint', () => {
    const a = q('hl.default.svc.cluster.local', 'A');
    expect(a.rcode).toBe('NOERROR');
    expect(a.answer.map((r) => r.data).sort()).toEqual(endpointIPs('hl').sort());
    expect(a.answer.every((r) => r.name === 'hl.default.svc.cluster.local.' && r.ttl === 30)).toBe(true);
  });

  it('endpoint names: the hostname field, else the dashed IP (any service type)', () => {
    const db = endpointIPs('db')[0]!;
    expect(q('db-0.db.default.svc.cluster.local', 'A').answer.map(rr)).toEqual([`db-0.db.default.svc.cluster.local. 30 IN A ${db}`]);
    const ip = endpointIPs('hl')[0]!;
    expect(q(`${dashed(ip)}.hl.default.svc.cluster.local`, 'A').answer.map((r) => r.data)).toEqual([ip]);
    expect(q(`${dashed(ip)}.web.default.svc.cluster.local`, 'A').answer.map((r) => r.data)).toEqual([ip]);
  });

  it('endpoint_pod_names names endpoints after their pods', () => {
    const cf = parseCorefile('.:53 {\n    kubernetes cluster.local {\n       endpoint_pod_names\n    }\n}\n');
    const pod = Object.values(state.pods.default!).find((p) => p.metadata.labels?.app === 'web')!;
    const a = q(`${pod.metadata.name}.hl.default.svc.cluster.local`, 'A', cf);
    expect(a.answer.map((r) => r.data)).toEqual([pod.status.podIP]);
  });

  it('noendpoints turns headless and endpoint names into NXDOMAIN', () => {
    const cf = parseCorefile('.:53 {\n    kubernetes cluster.local {\n       noendpoints\n    }\n}\n');
    expect(q('hl.default.svc.cluster.local', 'A', cf).rcode).toBe('NXDOMAIN');
    expect(q('web.default.svc.cluster.local', 'A', cf).rcode).toBe('NOERROR');
  });

  it('ignore empty_service makes ClusterIP services without endpoints NXDOMAIN', () => {
    const cf = parseCorefile('.:53 {\n    kubernetes cluster.local {\n       ignore empty_service\n    }\n}\n');
    expect(q('empty.default.svc.cluster.local', 'A', cf).rcode).toBe('NXDOMAIN');
    expect(q('web.default.svc.cluster.local', 'A', cf).rcode).toBe('NOERROR');
  });
});

describe('A1/A2: SRV', () => {
  it('named port on a ClusterIP service: priority 0, weight 100, target the service, A in additional', () => {
    const a = q('_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(a.answer.map(rr)).toEqual(['_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.']);
    expect(a.additional.map(rr)).toEqual([`web.default.svc.cluster.local. 30 IN A ${clusterIP('web')}`]);
  });

  it('without _port._proto every port answers (weights split: 0 50 for two)', () => {
    const a = q('web.default.svc.cluster.local', 'SRV');
    expect(a.answer.map((r) => r.data)).toEqual(['0 50 80 web.default.svc.cluster.local.', '0 50 443 web.default.svc.cluster.local.']);
    expect(a.additional).toHaveLength(1);
  });

  it('headless: one SRV per endpoint × named port, targets the endpoint names', () => {
    const a = q('_http._tcp.hl.default.svc.cluster.local', 'SRV');
    const ips = endpointIPs('hl');
    expect(a.answer.map((r) => r.data).sort()).toEqual(ips.map((ip) => `0 50 80 ${dashed(ip)}.hl.default.svc.cluster.local.`).sort());
    expect(a.additional.map(rr).sort()).toEqual(ips.map((ip) => `${dashed(ip)}.hl.default.svc.cluster.local. 30 IN A ${ip}`).sort());
    expect(q('_pg._tcp.db.default.svc.cluster.local', 'SRV').answer.map((r) => r.data)).toEqual(['0 100 5432 db-0.db.default.svc.cluster.local.']);
  });

  it('protocol and port labels match case-insensitively', () => {
    expect(q('_HTTP._TCP.web.default.svc.cluster.local', 'SRV').answer).toHaveLength(1);
  });

  it('ExternalName services get no SRV (NODATA)', () => {
    const a = q('ext.default.svc.cluster.local', 'SRV');
    expect(a).toMatchObject({ rcode: 'NOERROR', answer: [] });
  });
});

describe('A1/A2: PTR', () => {
  it('a ClusterIP points at its service', () => {
    expect(q(reverseName(clusterIP('web')), 'PTR').answer.map(rr)).toEqual([`${reverseName(clusterIP('web'))} 30 IN PTR web.default.svc.cluster.local.`]);
    expect(q('1.0.96.10.in-addr.arpa.', 'PTR').answer.map((r) => r.data)).toEqual(['kubernetes.default.svc.cluster.local.']);
  });

  it('an endpoint IP gets one PTR per Service it backs (not only headless)', () => {
    const ip = endpointIPs('hl')[0]!;
    const a = q(reverseName(ip), 'PTR');
    expect(a.answer.map((r) => r.data).sort()).toEqual(['hl', 'plain', 'web'].map((s) => `${dashed(ip)}.${s}.default.svc.cluster.local.`));
    const db = endpointIPs('db')[0]!;
    expect(q(reverseName(db), 'PTR').answer.map((r) => r.data)).toEqual(['db-0.db.default.svc.cluster.local.']);
  });

  it('an unknown address falls through (in-addr.arpa) to forward', () => {
    const a = q('9.9.9.10.in-addr.arpa', 'PTR');
    expect(a).toMatchObject({ rcode: 'NXDOMAIN', aa: false, plugin: 'forward' });
    expect(a.chain).toEqual(['reload', 'ready', 'health', 'prometheus', 'errors', 'loadbalance', 'cache', 'kubernetes', 'loop', 'forward']);
    // The upstream's SOA, TTL capped by cache 30.
    expect(a.authority.map((r) => `${r.name} ${r.ttl} ${r.type}`)).toEqual(['10.in-addr.arpa. 30 SOA']);
  });

  it('without fallthrough an unknown address is the plugin’s NXDOMAIN (SOA of the reverse zone)', () => {
    const cf = parseCorefile('.:53 {\n    kubernetes cluster.local in-addr.arpa\n}\n');
    const a = q('9.9.9.10.in-addr.arpa', 'PTR', cf);
    expect(a).toMatchObject({ rcode: 'NXDOMAIN', aa: true, plugin: 'kubernetes' });
    expect(a.authority.map(rr)).toEqual([`in-addr.arpa. 5 IN SOA ns.dns.in-addr.arpa. hostmaster.in-addr.arpa. ${data.serial} 7200 1800 86400 5`]);
  });
});

describe('A1/A2: ExternalName', () => {
  it('A: the CNAME first, then the target’s addresses via upstream', () => {
    const a = q('ext.default.svc.cluster.local', 'A');
    expect(a.rcode).toBe('NOERROR');
    expect(a.answer.map(rr)).toEqual(['ext.default.svc.cluster.local. 30 IN CNAME example.com.', 'example.com. 30 IN A 93.184.215.14']);
  });

  it('CNAME query: just the CNAME', () => {
    expect(q('ext.default.svc.cluster.local', 'CNAME').answer.map(rr)).toEqual(['ext.default.svc.cluster.local. 30 IN CNAME example.com.']);
  });

  it('a target inside the cluster zone is chased by the plugin itself', () => {
    expect(q('ext-int.default.svc.cluster.local', 'A').answer.map(rr)).toEqual([
      'ext-int.default.svc.cluster.local. 30 IN CNAME web.default.svc.cluster.local.',
      `web.default.svc.cluster.local. 30 IN A ${clusterIP('web')}`,
    ]);
  });

  it('a target that does not exist leaves the bare CNAME, NOERROR', () => {
    const a = q('ext-gone.default.svc.cluster.local', 'A');
    expect(a.rcode).toBe('NOERROR');
    expect(a.answer.map(rr)).toEqual(['ext-gone.default.svc.cluster.local. 30 IN CNAME nothing-here.example.']);
  });
});

describe('A2: pod records', () => {
  const podIP = () => Object.values(state.pods.default!).find((p) => p.metadata.labels?.app === 'web')!.status.podIP!;

  it('pods insecure (kubeadm): any dashed address in an existing namespace', () => {
    expect(q(`${dashed(podIP())}.default.pod.cluster.local`, 'A').answer.map((r) => r.data)).toEqual([podIP()]);
    expect(q('10-1-2-3.default.pod.cluster.local', 'A').answer.map((r) => r.data)).toEqual(['10.1.2.3']);
    expect(q('10-1-2-3.team-a.pod.cluster.local', 'A').rcode).toBe('NOERROR');
    expect(q('10-1-2-3.nope.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(q('10-1-2-999.default.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(q('default.pod.cluster.local', 'A').rcode).toBe('NOERROR');
  });

  it('pods verified: only an existing pod with that IP in that namespace', () => {
    const cf = parseCorefile('.:53 {\n    kubernetes cluster.local {\n       pods verified\n    }\n}\n');
    expect(q(`${dashed(podIP())}.default.pod.cluster.local`, 'A', cf).answer.map((r) => r.data)).toEqual([podIP()]);
    expect(q(`${dashed(podIP())}.team-a.pod.cluster.local`, 'A', cf).rcode).toBe('NXDOMAIN');
    expect(q('10-1-2-3.default.pod.cluster.local', 'A', cf).rcode).toBe('NXDOMAIN');
  });

  it('pods disabled (the plugin default): NXDOMAIN', () => {
    const cf = parseCorefile('.:53 {\n    kubernetes cluster.local\n}\n');
    expect(q(`${dashed(podIP())}.default.pod.cluster.local`, 'A', cf).rcode).toBe('NXDOMAIN');
    expect(q('default.pod.cluster.local', 'A', cf).rcode).toBe('NXDOMAIN');
  });
});

describe('A2/A3: TTLs', () => {
  it('plugin default is 5 s, SOA minimum follows it', () => {
    const cf = parseCorefile('.:53 {\n    kubernetes cluster.local\n}\n');
    expect(q('web.default.svc.cluster.local', 'A', cf).answer[0]?.ttl).toBe(5);
    expect(q('nope.default.svc.cluster.local', 'A', cf).authority.map(rr)).toEqual([soa(5)]);
  });

  it('cache floors TTLs at 5 s and caps them at its TTL', () => {
    const cf = parseCorefile('.:53 {\n    kubernetes cluster.local {\n       ttl 0\n    }\n    cache 30\n}\n');
    expect(q('web.default.svc.cluster.local', 'A', cf).answer[0]?.ttl).toBe(5);
    const big = parseCorefile('.:53 {\n    kubernetes cluster.local {\n       ttl 600\n    }\n    cache 30\n}\n');
    expect(q('web.default.svc.cluster.local', 'A', big).answer[0]?.ttl).toBe(30);
  });
});

describe('forward, upstream and server blocks', () => {
  it('names outside the zones go to forward: the upstream’s answer, TTL ≤ 30, not authoritative', () => {
    const a = q('google.com', 'A');
    expect(a).toMatchObject({ rcode: 'NOERROR', aa: false, plugin: 'forward' });
    expect(a.answer.map(rr)).toEqual(['google.com. 30 IN A 142.250.185.78']);
    const nx = q('no-such-name.invalid', 'A');
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.authority.map(rr)).toEqual(['. 30 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2025112500 1800 900 604800 86400']);
  });

  it('an unreachable upstream is SERVFAIL, with the errors plugin’s log line', () => {
    const c: AnswerContext = { ...ctx, upstream: unreachableUpstream('192.168.56.1:53'), serverIP: '10.244.0.2', queryId: 0 };
    const a = q('google.com', 'A', kubeadm, c);
    expect(a).toMatchObject({ rcode: 'SERVFAIL', aa: false, plugin: 'forward', answer: [], authority: [] });
    expect(a.logs).toEqual(['[ERROR] plugin/errors: 2 google.com. A: read udp 10.244.0.2:32768->192.168.56.1:53: i/o timeout']);
    // Cluster names never touch the upstream.
    expect(q('web.default.svc.cluster.local', 'A', kubeadm, c).rcode).toBe('NOERROR');
  });

  it('a stub-domain block is chosen by longest zone match and forwards to its own servers', () => {
    const seen: UpstreamQuery[] = [];
    const cf = parseCorefile(`${KUBEADM_COREFILE}example.local:53 {\n    errors\n    cache 30\n    forward . 10.150.0.1\n}\n`);
    const c: AnswerContext = {
      ...ctx,
      upstream: (uq) => {
        seen.push(uq);
        return { rcode: 'NOERROR', answer: [{ name: 'db.example.local.', ttl: 60, class: 'IN', type: 'A', data: '10.150.0.7' }], authority: [] };
      },
    };
    const a = q('db.example.local', 'A', cf, c);
    expect(a.serverBlock).toEqual(['example.local:53']);
    expect(a.answer.map(rr)).toEqual(['db.example.local. 30 IN A 10.150.0.7']);
    expect(seen).toEqual([{ name: 'db.example.local.', type: 'A', servers: ['10.150.0.1:53'] }]);
    expect(q('web.default.svc.cluster.local', 'A', cf, c).serverBlock).toEqual(['.:53']);
  });

  it('no matching server block: REFUSED', () => {
    const cf = parseCorefile('example.org:53 {\n    forward . 8.8.8.8\n}\n');
    expect(q('google.com', 'A', cf)).toMatchObject({ rcode: 'REFUSED', aa: false, plugin: 'dnsserver' });
    expect(q('google.com', 'A', kubeadm, { ...ctx, port: 5353 }).rcode).toBe('REFUSED');
  });

  it('a fallthrough with nothing after it: SERVFAIL "no next plugin found"', () => {
    const cf = parseCorefile('.:53 {\n    errors\n    kubernetes cluster.local in-addr.arpa {\n       fallthrough\n    }\n}\n');
    const a = q('nope.default.svc.cluster.local', 'A', cf);
    expect(a).toMatchObject({ rcode: 'SERVFAIL', plugin: 'kubernetes' });
    expect(a.logs).toEqual(['[ERROR] plugin/errors: 2 nope.default.svc.cluster.local. A: plugin/kubernetes: no next plugin found']);
  });
});

describe('hosts, rewrite, loadbalance', () => {
  it('hosts answers its names (TTL 3600, capped by cache) and falls through for the rest', () => {
    const cf = parseCorefile(kubeadmCorefile().replace('    ready\n', '    ready\n    hosts {\n       192.168.56.200 registry.lab\n       fallthrough\n    }\n'));
    expect(q('registry.lab', 'A', cf).answer.map(rr)).toEqual(['registry.lab. 30 IN A 192.168.56.200']);
    expect(q('registry.lab', 'A', cf).plugin).toBe('hosts');
    expect(q('registry.lab', 'AAAA', cf)).toMatchObject({ rcode: 'NOERROR', answer: [], authority: [] });
    expect(q('200.56.168.192.in-addr.arpa', 'PTR', cf).answer.map((r) => r.data)).toEqual(['registry.lab.']);
    expect(q('web.default.svc.cluster.local', 'A', cf).plugin).toBe('kubernetes');
  });

  it('hosts without fallthrough in a .:53 block answers SERVFAIL for every other name', () => {
    const cf = parseCorefile(kubeadmCorefile().replace('    ready\n', '    ready\n    hosts {\n       192.168.56.200 registry.lab\n    }\n'));
    expect(q('web.default.svc.cluster.local', 'A', cf)).toMatchObject({ rcode: 'SERVFAIL', plugin: 'hosts', logs: [] });
  });

  it('rewrite name: the query is rewritten before lookup, an exact rule restores the owner name', () => {
    const cf = parseCorefile(kubeadmCorefile().replace('    ready\n', '    ready\n    rewrite name api.lab.example web.default.svc.cluster.local\n'));
    const a = q('api.lab.example', 'A', cf);
    expect(a.answer.map(rr)).toEqual([`api.lab.example. 30 IN A ${clusterIP('web')}`]);
    expect(a.chain).toContain('rewrite');
  });

  it('chained continue rules are applied in order and undone in reverse', () => {
    const cf = parseCorefile(
      kubeadmCorefile().replace(
        '    ready\n',
        '    ready\n    rewrite continue name a.lab b.lab\n    rewrite name suffix b.lab. web.default.svc.cluster.local.\n    rewrite name exact b.lab web.default.svc.cluster.local\n',
      ),
    );
    // The suffix rule (stop) matched, so the exact one never ran: only the first is reverted.
    const a = q('a.lab', 'A', cf);
    expect(a.answer.map((r) => r.data)).toEqual([clusterIP('web')]);
    const two = parseCorefile(kubeadmCorefile().replace('    ready\n', '    ready\n    rewrite continue name a.lab b.lab\n    rewrite name b.lab web.default.svc.cluster.local\n'));
    expect(q('a.lab', 'A', two).answer.map(rr)).toEqual([`a.lab. 30 IN A ${clusterIP('web')}`]);
  });

  it('rewrite name regex keeps the rewritten owner unless the rule has an answer rewrite', () => {
    const plain = parseCorefile(kubeadmCorefile().replace('    ready\n', '    ready\n    rewrite name regex (.*)\\.test\\.io {1}.default.svc.cluster.local\n'));
    expect(q('web.test.io', 'A', plain).answer.map((r) => r.name)).toEqual(['web.default.svc.cluster.local.']);
    const auto = parseCorefile(kubeadmCorefile().replace('    ready\n', '    ready\n    rewrite name regex (.*)\\.test\\.io {1}.default.svc.cluster.local answer auto\n'));
    expect(q('web.test.io', 'A', auto).answer.map((r) => r.name)).toEqual(['web.test.io.']);
    const explicit = parseCorefile(
      kubeadmCorefile().replace(
        '    ready\n',
        '    ready\n    rewrite stop {\n       name regex (.*)\\.test\\.io {1}.default.svc.cluster.local\n       answer name (.*)\\.default\\.svc\\.cluster\\.local {1}.test.io\n    }\n',
      ),
    );
    expect(q('web.test.io', 'A', explicit).answer.map((r) => r.name)).toEqual(['web.test.io.']);
  });

  it('loadbalance: deterministic per query id, a permutation of the same records', () => {
    const base = q('hl.default.svc.cluster.local', 'A').answer.map((r) => r.data);
    const orders = new Set<string>();
    for (let id = 0; id < 20; id++) {
      const a = q('hl.default.svc.cluster.local', 'A', kubeadm, { ...ctx, queryId: id }).answer.map((r) => r.data);
      expect([...a].sort()).toEqual([...base].sort());
      expect(q('hl.default.svc.cluster.local', 'A', kubeadm, { ...ctx, queryId: id }).answer.map((r) => r.data)).toEqual(a);
      orders.add(a.join(','));
    }
    expect(orders.size).toBe(2);
  });
});

describe('dnsData follows the cluster', () => {
  it('a deleted service is NXDOMAIN at once; the index is cached per state', () => {
    expect(dnsData(state)).toBe(data);
    const after = deleteObject(state, 'Service', 'default', 'web');
    const d2 = dnsData(after);
    expect(d2).not.toBe(data);
    expect(answer(d2, kubeadm, { name: 'web.default.svc.cluster.local', type: 'A' }, ctx).rcode).toBe('NXDOMAIN');
    expect(answer(d2, kubeadm, { name: 'plain.default.svc.cluster.local', type: 'A' }, ctx).rcode).toBe('NOERROR');
  });

  it('pod hostname/subdomain without a matching headless service gives no record', () => {
    const s = applyObjects(state, [podWithHostname('lonely', 'lonely', 'nosuchsvc')]).state;
    expect(answer(dnsData(s), kubeadm, { name: 'lonely.nosuchsvc.default.svc.cluster.local', type: 'A' }, ctx).rcode).toBe('NXDOMAIN');
  });
});
