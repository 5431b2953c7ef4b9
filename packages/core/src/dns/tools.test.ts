import { describe, expect, it } from 'vitest';
import type { DnsReply, DnsRR, QType, QueryFn, QueryRecord } from './stub.js';
import {
  busyboxNslookup128,
  busyboxNslookupModern,
  dig,
  digQuestion,
  digRR,
  digWhen,
  messageSize,
  runBindNslookup,
  runBusyboxNslookup128,
  runBusyboxNslookupModern,
  runDig,
  runHost,
  seededId,
  type ToolRun,
} from './tools.js';

import { labZone, podConf } from './lab-zone.fixture.js';

const WHEN = Date.UTC(2026, 10, 26, 0, 51, 53);
const log = (qs: QueryRecord[]): string[] => qs.map((q) => `${q.name} ${q.type} ${q.rcode}`);

/**
 * Real output, pasted from bind9 9.18.49-1~deb12u3 (nslookup, host, dig) and busybox 1.35.0
 * (Debian) nslookup run against the zone above (stdout; the exit status after it). The `dig` rows
 * pass the ID, query time and clock the real run showed.
 */
const CAPTURED: [string, () => ToolRun, string, number][] = [
  [
    'nslookup kubernetes',
    () => runBindNslookup('kubernetes', podConf, labZone),
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n',
    0,
  ],
  [
    'nslookup kubernetes.default',
    () => runBindNslookup('kubernetes.default', podConf, labZone),
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n',
    0,
  ],
  [
    'nslookup example.com',
    () => runBindNslookup('example.com', podConf, labZone),
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nNon-authoritative answer:\nName:\texample.com\nAddress: 93.184.215.14\nName:\texample.com\nAddress: 2606:2800:21f:cb07:6820:80da:af6b:8b2c\n\n',
    0,
  ],
  ['nslookup nosuch', () => runBindNslookup('nosuch', podConf, labZone), "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nosuch: NXDOMAIN\n\n", 1],
  [
    'nslookup web',
    () => runBindNslookup('web', podConf, labZone),
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.244.1.5\nName:\tweb.default.svc.cluster.local\nAddress: 10.244.2.7\n\n',
    0,
  ],
  [
    'nslookup dual',
    () => runBindNslookup('dual', podConf, labZone),
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tdual.default.svc.cluster.local\nAddress: 10.96.0.20\nName:\tdual.default.svc.cluster.local\nAddress: fd00:10:96::20\n\n',
    0,
  ],
  [
    'nslookup ext.default.svc.cluster.local',
    () => runBindNslookup('ext.default.svc.cluster.local', podConf, labZone),
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\next.default.svc.cluster.local\tcanonical name = example.com.\nName:\texample.com\nAddress: 93.184.215.14\nName:\texample.com\nAddress: 2606:2800:21f:cb07:6820:80da:af6b:8b2c\n\n',
    0,
  ],
  [
    'nslookup broken.example',
    () => runBindNslookup('broken.example', podConf, labZone),
    ";; Got SERVFAIL reply from 10.96.0.10\nServer:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find broken.example.default.svc.cluster.local: SERVFAIL\n\n",
    1,
  ],
  [
    'nslookup svc.cluster.local',
    () => runBindNslookup('svc.cluster.local', podConf, labZone),
    "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n*** Can't find svc.cluster.local: No answer\n\n",
    0,
  ],
  [
    'nslookup a.b.c.d.e.f',
    () => runBindNslookup('a.b.c.d.e.f', podConf, labZone),
    "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find a.b.c.d.e.f: NXDOMAIN\n\n",
    1,
  ],
  [
    'nslookup kubernetes.default.svc.cluster.local.',
    () => runBindNslookup('kubernetes.default.svc.cluster.local.', podConf, labZone),
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n',
    0,
  ],
  ['nslookup 10.96.0.1', () => runBindNslookup('10.96.0.1', podConf, labZone), '1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local.\n\n', 0],
  ['nslookup 10.96.0.99', () => runBindNslookup('10.96.0.99', podConf, labZone), "** server can't find 99.0.96.10.in-addr.arpa: NXDOMAIN\n\n", 1],
  [
    'nslookup kubernetes 10.96.0.10',
    () => runBindNslookup('kubernetes', podConf, labZone, { server: '10.96.0.10' }),
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n',
    0,
  ],
  [
    'nslookup -timeout=1 silent.example',
    () => runBindNslookup('silent.example', podConf, labZone),
    ';; communications error to 10.96.0.10#53: timed out\n;; communications error to 10.96.0.10#53: timed out\n;; communications error to 10.96.0.10#53: timed out\n;; no servers could be reached\n\n',
    1,
  ],
  [
    'nslookup -timeout=1 -retry=1 silent.example',
    () => runBindNslookup('silent.example', podConf, labZone, { tries: 1 }),
    ';; communications error to 10.96.0.10#53: timed out\n;; no servers could be reached\n\n',
    1,
  ],
  ['host kubernetes', () => runHost('kubernetes', podConf, labZone), 'kubernetes.default.svc.cluster.local has address 10.96.0.1\n', 0],
  [
    'host example.com',
    () => runHost('example.com', podConf, labZone),
    'example.com has address 93.184.215.14\nexample.com has IPv6 address 2606:2800:21f:cb07:6820:80da:af6b:8b2c\n',
    0,
  ],
  ['host nosuch', () => runHost('nosuch', podConf, labZone), 'Host nosuch not found: 3(NXDOMAIN)\n', 1],
  ['host svc.cluster.local', () => runHost('svc.cluster.local', podConf, labZone), '', 0],
  ['host 10.96.0.1', () => runHost('10.96.0.1', podConf, labZone), '1.0.96.10.in-addr.arpa domain name pointer kubernetes.default.svc.cluster.local.\n', 0],
  ['host 10.96.0.99', () => runHost('10.96.0.99', podConf, labZone), 'Host 99.0.96.10.in-addr.arpa. not found: 3(NXDOMAIN)\n', 1],
  ['host broken.example', () => runHost('broken.example', podConf, labZone), 'Host broken.example.default.svc.cluster.local not found: 2(SERVFAIL)\n', 1],
  [
    'host ext.default.svc.cluster.local',
    () => runHost('ext.default.svc.cluster.local', podConf, labZone),
    'ext.default.svc.cluster.local is an alias for example.com.\nexample.com has address 93.184.215.14\nexample.com has IPv6 address 2606:2800:21f:cb07:6820:80da:af6b:8b2c\n',
    0,
  ],
  [
    'host -W 1 silent.example',
    () => runHost('silent.example', podConf, labZone),
    ';; communications error to 10.96.0.10#53: timed out\n;; communications error to 10.96.0.10#53: timed out\n;; no servers could be reached\n',
    1,
  ],
  [
    'host kubernetes 10.96.0.10',
    () => runHost('kubernetes', podConf, labZone, { server: '10.96.0.10' }),
    'Using domain server:\nName: 10.96.0.10\nAddress: 10.96.0.10#53\nAliases: \n\nkubernetes.default.svc.cluster.local has address 10.96.0.1\n',
    0,
  ],
  [
    'busybox nslookup kubernetes',
    () => runBusyboxNslookupModern('kubernetes', podConf, labZone),
    "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n** server can't find kubernetes.svc.cluster.local: NXDOMAIN\n\n** server can't find kubernetes.cluster.local: NXDOMAIN\n\n\n** server can't find kubernetes.svc.cluster.local: NXDOMAIN\n\n** server can't find kubernetes.cluster.local: NXDOMAIN\n\n",
    1,
  ],
  [
    'busybox nslookup kubernetes.default',
    () => runBusyboxNslookupModern('kubernetes.default', podConf, labZone),
    "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find kubernetes.default: NXDOMAIN\n\n** server can't find kubernetes.default: NXDOMAIN\n\n",
    1,
  ],
  [
    'busybox nslookup example.com',
    () => runBusyboxNslookupModern('example.com', podConf, labZone),
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nNon-authoritative answer:\nName:\texample.com\nAddress: 93.184.215.14\n\nNon-authoritative answer:\nName:\texample.com\nAddress: 2606:2800:21f:cb07:6820:80da:af6b:8b2c\n\n',
    0,
  ],
  [
    'busybox nslookup nosuch',
    () => runBusyboxNslookupModern('nosuch', podConf, labZone),
    "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find nosuch.default.svc.cluster.local: NXDOMAIN\n\n** server can't find nosuch.svc.cluster.local: NXDOMAIN\n\n** server can't find nosuch.cluster.local: NXDOMAIN\n\n** server can't find nosuch.default.svc.cluster.local: NXDOMAIN\n\n** server can't find nosuch.svc.cluster.local: NXDOMAIN\n\n** server can't find nosuch.cluster.local: NXDOMAIN\n\n",
    1,
  ],
  ['busybox nslookup svc.cluster.local', () => runBusyboxNslookupModern('svc.cluster.local', podConf, labZone), 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n\n\n', 0],
  [
    'busybox nslookup broken.example',
    () => runBusyboxNslookupModern('broken.example', podConf, labZone),
    "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find broken.example: SERVFAIL\n\n** server can't find broken.example: SERVFAIL\n\n",
    1,
  ],
  [
    'busybox nslookup 10.96.0.1',
    () => runBusyboxNslookupModern('10.96.0.1', podConf, labZone),
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local\n\n',
    0,
  ],
  [
    'busybox nslookup 10.96.0.99',
    () => runBusyboxNslookupModern('10.96.0.99', podConf, labZone),
    "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find 99.0.96.10.in-addr.arpa: NXDOMAIN\n\n",
    1,
  ],
  [
    'busybox nslookup dual',
    () => runBusyboxNslookupModern('dual', podConf, labZone),
    "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tdual.default.svc.cluster.local\nAddress: 10.96.0.20\n\n** server can't find dual.svc.cluster.local: NXDOMAIN\n\n** server can't find dual.cluster.local: NXDOMAIN\n\nName:\tdual.default.svc.cluster.local\nAddress: fd00:10:96::20\n\n** server can't find dual.svc.cluster.local: NXDOMAIN\n\n** server can't find dual.cluster.local: NXDOMAIN\n\n",
    1,
  ],
  ['busybox nslookup silent.example', () => runBusyboxNslookupModern('silent.example', podConf, labZone), ';; connection timed out; no servers could be reached\n\n', 1],
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

describe('captured output', () => {
  for (const [label, run, stdout, rc] of CAPTURED) {
    it(label, () => {
      const r = run();
      expect(r.stdout).toBe(stdout);
      expect(r.exitCode).toBe(rc === 0 ? 0 : rc);
      expect(r.stderr).toBe('');
    });
  }
});

describe('captured query sequences', () => {
  it('bind nslookup: A through the search list, then AAAA for the answered name', () => {
    expect(log(runBindNslookup('kubernetes.default', podConf, labZone).queries)).toEqual([
      'kubernetes.default.default.svc.cluster.local A NXDOMAIN',
      'kubernetes.default.svc.cluster.local A NOERROR',
      'kubernetes.default.svc.cluster.local AAAA NOERROR',
    ]);
    expect(log(runBindNslookup('ext.default.svc.cluster.local', podConf, labZone).queries).slice(-2)).toEqual([
      'ext.default.svc.cluster.local A NOERROR',
      'example.com AAAA NOERROR',
    ]);
    expect(log(runBindNslookup('default', podConf, labZone).queries)).toEqual([
      'default.default.svc.cluster.local A NXDOMAIN',
      'default.svc.cluster.local A NOERROR',
      'default.svc.cluster.local AAAA NOERROR',
    ]);
    expect(runBindNslookup('default', podConf, labZone).stdout).toBe("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n*** Can't find default.svc.cluster.local: No answer\n\n");
  });
  it('host: A, AAAA, MX', () => {
    expect(log(runHost('kubernetes', podConf, labZone).queries)).toEqual([
      'kubernetes.default.svc.cluster.local A NOERROR',
      'kubernetes.default.svc.cluster.local AAAA NOERROR',
      'kubernetes.default.svc.cluster.local MX NOERROR',
    ]);
    expect(runHost('v6only', podConf, labZone).stdout).toBe('v6only.default.svc.cluster.local has IPv6 address fd00:10:96::21\n');
  });
  it('busybox 1.35: SERVFAIL re-sent while the budget lasts (3 sends each)', () => {
    expect(log(runBusyboxNslookupModern('broken.example', podConf, labZone).queries)).toEqual(
      Array.from({ length: 3 }, () => ['broken.example A SERVFAIL', 'broken.example AAAA SERVFAIL']).flat(),
    );
    expect(log(runBusyboxNslookupModern('silent.example', podConf, labZone).queries)).toEqual([
      'silent.example A TIMEOUT',
      'silent.example AAAA TIMEOUT',
      'silent.example A TIMEOUT',
      'silent.example AAAA TIMEOUT',
    ]);
  });
  it('ICMP port unreachable: connection refused lines (captured with a closed port)', () => {
    const refused: QueryFn = () => ({ error: 'unreachable' });
    const line = ';; communications error to 10.96.0.10#53: connection refused\n';
    expect(runBindNslookup('kubernetes', podConf, refused).stdout).toBe(`${line.repeat(3)};; no servers could be reached\n\n`);
    expect(runHost('kubernetes', podConf, refused).stdout).toBe(`${line.repeat(2)};; no servers could be reached\n`);
    const d = runDig('kubernetes.default.svc.cluster.local', 'A', podConf, refused, { short: true });
    expect(d.stdout).toBe(`${line.repeat(3)};; no servers could be reached\n`);
    expect(d.exitCode).toBe(9);
  });
});

describe('busybox ≤ 1.28.4 nslookup (format from its source: "%-10s %s", "Address %u: %s %s")', () => {
  it('renders the classic output', () => {
    const out = busyboxNslookup128('10.96.0.10', 'kube-dns.kube-system.svc.cluster.local', 'kubernetes', [{ ip: '10.96.0.1', reverse: 'kubernetes.default.svc.cluster.local' }]);
    expect(out.stdout).toBe(
      'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n',
    );
    expect(out.exitCode).toBe(0);
  });
  it('failure: the server block, then the error on stderr', () => {
    const out = busyboxNslookup128('10.96.0.10', null, 'kubernetes.default', null);
    expect(out).toEqual({ stdout: 'Server:    10.96.0.10\nAddress 1: 10.96.0.10\n\n', stderr: "nslookup: can't resolve 'kubernetes.default'\n", exitCode: 1 });
  });
  it('busybox:1.28.4 (uClibc) end to end: PTR of the server, AAAA then A, PTR of each address', () => {
    const r = runBusyboxNslookup128('kubernetes', podConf, labZone);
    expect(r.stdout).toBe(
      'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n',
    );
    expect(log(r.queries)).toEqual([
      '10.0.96.10.in-addr.arpa PTR NOERROR',
      'kubernetes.default.svc.cluster.local AAAA NOERROR',
      'kubernetes.default.svc.cluster.local A NOERROR',
      '1.0.96.10.in-addr.arpa PTR NOERROR',
    ]);
  });
  it('kubernetes.default resolves under 1.28 (dotted names are searched too)', () => {
    const r = runBusyboxNslookup128('kubernetes.default', podConf, labZone);
    expect(r.stdout.endsWith('Name:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n')).toBe(true);
  });
  it('dual-stack: IPv6 listed first; an address without PTR shows alone', () => {
    const r = runBusyboxNslookup128('dual', podConf, labZone);
    expect(r.stdout.split('\n\n')[1]).toBe('Name:      dual\nAddress 1: fd00:10:96::20\nAddress 2: 10.96.0.20\n');
  });
  it('not found', () => {
    const r = runBusyboxNslookup128('nosuch', podConf, labZone);
    expect(r.stderr).toBe("nslookup: can't resolve 'nosuch'\n");
    expect(r.exitCode).toBe(1);
    expect(r.queries).toHaveLength(1 + 8);
  });
});

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
  it('SRV answers (captured: busybox 1.35 -type=srv)', () => {
    const srv: DnsReply = {
      rcode: 'NOERROR',
      aa: true,
      answer: [{ name: '_https._tcp.kubernetes.default.svc.cluster.local.', ttl: 30, class: 'IN', type: 'SRV', data: '0 100 443 kubernetes.default.svc.cluster.local.' }],
      authority: [],
      additional: [],
    };
    expect(busyboxNslookupModern('10.96.0.10', [{ name: '_https._tcp.kubernetes.default.svc.cluster.local', type: 'SRV', reply: srv }]).stdout).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n_https._tcp.kubernetes.default.svc.cluster.local\tservice = 0 100 443 kubernetes.default.svc.cluster.local\n\n',
    );
  });
  it('busybox modern renderer: unanswered queries', () => {
    const ok: DnsReply = { rcode: 'NOERROR', aa: true, answer: [{ name: 'a.b.', ttl: 5, class: 'IN', type: 'A', data: '10.0.0.1' }], authority: [], additional: [] };
    expect(busyboxNslookupModern('10.96.0.10', [{ name: 'a.b', type: 'A', reply: ok }], [{ name: 'a.b' }]).stdout).toBe(
      "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\ta.b\nAddress: 10.0.0.1\n\n*** Can't find a.b: No answer\n\n",
    );
  });
});
