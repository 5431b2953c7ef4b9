// busybox ≥ 1.30 nslookup: captured output, query sequences and the renderer against the lab zone.

import { describe, expect, it } from 'vitest';
import type { DnsReply } from '../stub/index.js';
import { labZone, podConf } from '../lab-zone.fixture.js';
import { busyboxNslookupModern, runBusyboxNslookupModern } from './busybox-nslookup-modern.js';
import { describeCaptured, log, type Captured } from './captured.fixture.js';

/** Real output of busybox 1.35.0 (Debian) nslookup (stdout; the exit status after it). */
const CAPTURED: Captured[] = [
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
];

describeCaptured(CAPTURED);

describe('captured query sequences', () => {
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
});

describe('busybox ≥ 1.30 renderer', () => {
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
