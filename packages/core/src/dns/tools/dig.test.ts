// dig: captured output against the lab zone, and its pieces (columns, message size, header).

import { describe, expect, it } from 'vitest';
import type { DnsReply, DnsRR, QType } from '../stub/index.js';
import { labZone, podConf } from '../lab-zone.fixture.js';
import { describeCaptured, type Captured } from './captured.fixture.js';
import { dig, digQuestion, digRR, digWhen, messageSize, runDig, seededId } from './dig.js';

const WHEN = Date.UTC(2026, 10, 26, 0, 51, 53);

/**
 * Real output of bind9 9.18.49 dig (stdout; the exit status after it). The rows pass the ID, query
 * time and clock the real run showed.
 */
const CAPTURED: Captured[] = [
  [
    'dig kubernetes.default.svc.cluster.local',
    () => runDig('kubernetes.default.svc.cluster.local', 'A', podConf, labZone, { id: 40150, queryTimeMs: 3, when: WHEN }),
    '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> kubernetes.default.svc.cluster.local\n;; global options: +cmd\n;; Got answer:\n;; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 40150\n;; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;kubernetes.default.svc.cluster.local. IN A\n\n;; ANSWER SECTION:\nkubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1\n\n;; Query time: 3 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Thu Nov 26 00:51:53 UTC 2026\n;; MSG SIZE  rcvd: 117\n\n',
    0,
  ],
  [
    'dig @10.96.0.10 kubernetes.default.svc.cluster.local',
    () => runDig('kubernetes.default.svc.cluster.local', 'A', podConf, labZone, { server: '10.96.0.10', id: 32669, queryTimeMs: 4, when: WHEN }),
    '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @10.96.0.10 kubernetes.default.svc.cluster.local\n; (1 server found)\n;; global options: +cmd\n;; Got answer:\n;; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 32669\n;; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;kubernetes.default.svc.cluster.local. IN A\n\n;; ANSWER SECTION:\nkubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1\n\n;; Query time: 4 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Thu Nov 26 00:51:53 UTC 2026\n;; MSG SIZE  rcvd: 117\n\n',
    0,
  ],
  [
    'dig nosuch.default.svc.cluster.local',
    () => runDig('nosuch.default.svc.cluster.local', 'A', podConf, labZone, { id: 58304, when: WHEN }),
    '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> nosuch.default.svc.cluster.local\n;; global options: +cmd\n;; Got answer:\n;; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 58304\n;; flags: qr aa rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;nosuch.default.svc.cluster.local. IN\tA\n\n;; AUTHORITY SECTION:\ncluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 12345 7200 1800 86400 30\n\n;; Query time: 0 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Thu Nov 26 00:51:53 UTC 2026\n;; MSG SIZE  rcvd: 154\n\n',
    0,
  ],
  ['dig +short kubernetes.default.svc.cluster.local', () => runDig('kubernetes.default.svc.cluster.local', 'A', podConf, labZone, { short: true }), '10.96.0.1\n', 0],
  ['dig +short web.default.svc.cluster.local', () => runDig('web.default.svc.cluster.local', 'A', podConf, labZone, { short: true }), '10.244.1.5\n10.244.2.7\n', 0],
  [
    'dig example.com',
    () => runDig('example.com', 'A', podConf, labZone, { id: 15680, queryTimeMs: 4, when: WHEN }),
    '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> example.com\n;; global options: +cmd\n;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 15680\n;; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;example.com.\t\t\tIN\tA\n\n;; ANSWER SECTION:\nexample.com.\t\t30\tIN\tA\t93.184.215.14\n\n;; Query time: 4 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Thu Nov 26 00:51:53 UTC 2026\n;; MSG SIZE  rcvd: 67\n\n',
    0,
  ],
  [
    'dig -x 10.96.0.1',
    () => runDig('1.0.96.10.in-addr.arpa', 'PTR', podConf, labZone, { args: '-x 10.96.0.1', id: 7237, when: WHEN }),
    '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> -x 10.96.0.1\n;; global options: +cmd\n;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 7237\n;; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;1.0.96.10.in-addr.arpa.\t\tIN\tPTR\n\n;; ANSWER SECTION:\n1.0.96.10.in-addr.arpa.\t30\tIN\tPTR\tkubernetes.default.svc.cluster.local.\n\n;; Query time: 0 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Thu Nov 26 00:51:53 UTC 2026\n;; MSG SIZE  rcvd: 123\n\n',
    0,
  ],
  [
    'dig +search kubernetes',
    () => runDig('kubernetes', 'A', podConf, labZone, { search: true, args: '+search kubernetes', id: 23532, when: WHEN }),
    '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> +search kubernetes\n;; global options: +cmd\n;; Got answer:\n;; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 23532\n;; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;kubernetes.default.svc.cluster.local. IN A\n\n;; ANSWER SECTION:\nkubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1\n\n;; Query time: 0 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Thu Nov 26 00:51:53 UTC 2026\n;; MSG SIZE  rcvd: 117\n\n',
    0,
  ],
  [
    'dig kubernetes',
    () => runDig('kubernetes', 'A', podConf, labZone, { id: 12189, when: WHEN }),
    '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> kubernetes\n;; global options: +cmd\n;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 12189\n;; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;kubernetes.\t\t\tIN\tA\n\n;; Query time: 0 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Thu Nov 26 00:51:53 UTC 2026\n;; MSG SIZE  rcvd: 39\n\n',
    0,
  ],
  [
    'dig broken.example',
    () => runDig('broken.example', 'A', podConf, labZone, { id: 55884, when: WHEN }),
    '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> broken.example\n;; global options: +cmd\n;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: 55884\n;; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;broken.example.\t\t\tIN\tA\n\n;; Query time: 0 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Thu Nov 26 00:51:53 UTC 2026\n;; MSG SIZE  rcvd: 43\n\n',
    0,
  ],
  [
    'dig ext.default.svc.cluster.local',
    () => runDig('ext.default.svc.cluster.local', 'A', podConf, labZone, { id: 56606, queryTimeMs: 4, when: WHEN }),
    '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> ext.default.svc.cluster.local\n;; global options: +cmd\n;; Got answer:\n;; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 56606\n;; flags: qr aa rd ra; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;ext.default.svc.cluster.local.\tIN\tA\n\n;; ANSWER SECTION:\next.default.svc.cluster.local. 30 IN\tCNAME\texample.com.\nexample.com.\t\t30\tIN\tA\t93.184.215.14\n\n;; Query time: 4 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Thu Nov 26 00:51:53 UTC 2026\n;; MSG SIZE  rcvd: 139\n\n',
    0,
  ],
  [
    'dig svc.cluster.local',
    () => runDig('svc.cluster.local', 'A', podConf, labZone, { id: 6381, when: WHEN }),
    '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> svc.cluster.local\n;; global options: +cmd\n;; Got answer:\n;; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 6381\n;; flags: qr aa rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;svc.cluster.local.\t\tIN\tA\n\n;; AUTHORITY SECTION:\ncluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 12345 7200 1800 86400 30\n\n;; Query time: 0 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Thu Nov 26 00:51:53 UTC 2026\n;; MSG SIZE  rcvd: 139\n\n',
    0,
  ],
  [
    'dig +norecurse kubernetes.default.svc.cluster.local',
    () => runDig('kubernetes.default.svc.cluster.local', 'A', podConf, labZone, { recurse: false, args: '+norecurse kubernetes.default.svc.cluster.local', id: 1233, when: WHEN }),
    '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> +norecurse kubernetes.default.svc.cluster.local\n;; global options: +cmd\n;; Got answer:\n;; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1233\n;; flags: qr aa ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;kubernetes.default.svc.cluster.local. IN A\n\n;; ANSWER SECTION:\nkubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1\n\n;; Query time: 0 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Thu Nov 26 00:51:53 UTC 2026\n;; MSG SIZE  rcvd: 117\n\n',
    0,
  ],
  [
    'dig AAAA dual.default.svc.cluster.local',
    () => runDig('dual.default.svc.cluster.local', 'AAAA', podConf, labZone, { args: 'AAAA dual.default.svc.cluster.local', id: 47146, when: WHEN }),
    '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> AAAA dual.default.svc.cluster.local\n;; global options: +cmd\n;; Got answer:\n;; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 47146\n;; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;dual.default.svc.cluster.local.\tIN\tAAAA\n\n;; ANSWER SECTION:\ndual.default.svc.cluster.local.\t30 IN\tAAAA\tfd00:10:96::20\n\n;; Query time: 0 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Thu Nov 26 00:51:53 UTC 2026\n;; MSG SIZE  rcvd: 117\n\n',
    0,
  ],
  [
    'dig +timeout=1 silent.example',
    () => runDig('silent.example', 'A', podConf, labZone, { args: '+timeout=1 silent.example' }),
    ';; communications error to 10.96.0.10#53: timed out\n;; communications error to 10.96.0.10#53: timed out\n;; communications error to 10.96.0.10#53: timed out\n\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> +timeout=1 silent.example\n;; global options: +cmd\n;; no servers could be reached\n',
    9,
  ],
  [
    'dig +short +timeout=1 silent.example',
    () => runDig('silent.example', 'A', podConf, labZone, { short: true }),
    ';; communications error to 10.96.0.10#53: timed out\n;; communications error to 10.96.0.10#53: timed out\n;; communications error to 10.96.0.10#53: timed out\n;; no servers could be reached\n',
    9,
  ],
  ['dig +short nosuch.default.svc.cluster.local', () => runDig('nosuch.default.svc.cluster.local', 'A', podConf, labZone, { short: true }), '', 0],
];

describeCaptured(CAPTURED);

describe('dig pieces', () => {
  it('RR columns follow bind masterdump indentation', () => {
    const rr = (name: string, type: QType, data: string): DnsRR => ({ name, ttl: 30, class: 'IN', type, data });
    expect(digRR(rr('kubernetes.default.svc.cluster.local', 'A', '10.96.0.1'))).toBe('kubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1');
    expect(digRR(rr('example.com.', 'A', '93.184.215.14'))).toBe('example.com.\t\t30\tIN\tA\t93.184.215.14');
    expect(digRR(rr('dual.default.svc.cluster.local.', 'AAAA', 'fd00:10:96::20'))).toBe('dual.default.svc.cluster.local.\t30 IN\tAAAA\tfd00:10:96::20');
    expect(digRR(rr('_https._tcp.kubernetes.default.svc.cluster.local', 'SRV', '0 100 443 kubernetes.default.svc.cluster.local'))).toBe(
      // Captured from dig 9.18 +noall +answer.
      '_https._tcp.kubernetes.default.svc.cluster.local. 30 IN\tSRV 0 100 443 kubernetes.default.svc.cluster.local.',
    );
    expect(digQuestion('1.0.96.10.in-addr.arpa', 'PTR')).toBe(';1.0.96.10.in-addr.arpa.\t\tIN\tPTR');
  });
  it('message size with and without compression', () => {
    const reply: DnsReply = {
      rcode: 'NOERROR',
      aa: true,
      answer: [{ name: 'kubernetes.default.svc.cluster.local.', ttl: 30, class: 'IN', type: 'A', data: '10.96.0.1' }],
      authority: [],
      additional: [],
    };
    expect(messageSize('kubernetes.default.svc.cluster.local', reply)).toBe(106);
    expect(messageSize('kubernetes.default.svc.cluster.local', { ...reply, edns: { udpSize: 1232 } })).toBe(117);
    // kube-dns (skydns) compressed: the "MSG SIZE  rcvd: 70" of old dig outputs.
    expect(messageSize('kubernetes.default.svc.cluster.local', reply, true)).toBe(70);
  });
  it('recursion warning when ra is clear; ids are stable', () => {
    const out = dig({ name: 'x.example', type: 'A' }, { rcode: 'NOERROR', aa: true, ra: false, answer: [], authority: [], additional: [] }, '10.96.0.10', { id: 1 });
    expect(out.stdout).toContain(';; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n;; WARNING: recursion requested but not available\n\n;; QUESTION SECTION:');
    expect(seededId('kubernetes')).toBe(seededId('kubernetes'));
    expect(seededId('kubernetes')).toBeLessThan(65536);
    expect(digWhen(Date.UTC(2024, 0, 5, 3, 4, 5))).toBe('Fri Jan 05 03:04:05 UTC 2024');
  });
});
