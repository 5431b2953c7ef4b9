// The scripted zone the real resolvers and tools were run against (a Node UDP server on
// 10.96.0.10 in a private network namespace, /etc/resolv.conf bind-mounted to podConf), shared by
// the stub resolver and tool-output tests. Replies carry no name compression, like CoreDNS's.

import type { ResolvConf } from './resolv.js';
import type { DnsRR, QType, QueryFn } from './stub/index.js';

export const RECORDS: Record<string, Partial<Record<QType, string[]>> & { cname?: string; fwd?: boolean }> = {
  'kubernetes.default.svc.cluster.local': { A: ['10.96.0.1'] },
  'kube-dns.kube-system.svc.cluster.local': { A: ['10.96.0.10'] },
  '1.0.96.10.in-addr.arpa': { PTR: ['kubernetes.default.svc.cluster.local.'] },
  '10.0.96.10.in-addr.arpa': { PTR: ['kube-dns.kube-system.svc.cluster.local.'] },
  'web.default.svc.cluster.local': { A: ['10.244.1.5', '10.244.2.7'] },
  'example.com': { A: ['93.184.215.14'], AAAA: ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'], fwd: true },
  'dual.default.svc.cluster.local': { A: ['10.96.0.20'], AAAA: ['fd00:10:96::20'] },
  'v6only.default.svc.cluster.local': { AAAA: ['fd00:10:96::21'] },
  'ext.default.svc.cluster.local': { cname: 'example.com' },
  'cluster.local': {},
  'svc.cluster.local': {},
  'default.svc.cluster.local': {},
  'kube-system.svc.cluster.local': {},
};
export const SERVFAIL = new Set(['broken.example', 'broken.example.default.svc.cluster.local']);
export const DROP = new Set(['silent.example']);
export const SOA: DnsRR = { name: 'cluster.local.', ttl: 30, class: 'IN', type: 'SOA', data: 'ns.dns.cluster.local. hostmaster.cluster.local. 12345 7200 1800 86400 30' };

export const labZone: QueryFn = (name, type) => {
  const key = name.toLowerCase();
  if (DROP.has(key)) return { error: 'timeout' };
  const inCluster = key === 'cluster.local' || key.endsWith('.cluster.local') || key.endsWith('.96.10.in-addr.arpa');
  if (SERVFAIL.has(key)) return { rcode: 'SERVFAIL', aa: false, answer: [], authority: [], additional: [] };
  const r = RECORDS[key];
  if (!r) return { rcode: 'NXDOMAIN', aa: inCluster, answer: [], authority: inCluster ? [SOA] : [], additional: [] };
  const answer: DnsRR[] = [];
  if (r.cname) {
    answer.push({ name: `${key}.`, ttl: 30, class: 'IN', type: 'CNAME', data: `${r.cname}.` });
    for (const d of RECORDS[r.cname]?.[type] ?? []) answer.push({ name: `${r.cname}.`, ttl: 30, class: 'IN', type, data: d });
  } else for (const d of r[type] ?? []) answer.push({ name: `${key}.`, ttl: 30, class: 'IN', type, data: d });
  return { rcode: 'NOERROR', aa: !r.fwd, answer, authority: answer.length === 0 && inCluster ? [SOA] : [], additional: [] };
};

export const podConf: ResolvConf = { nameservers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] };
