// bind9 host: captured output and query sequences against the lab zone.

import { describe, expect, it } from 'vitest';
import { labZone, podConf } from '../lab-zone.fixture.js';
import { describeCaptured, log, type Captured } from './captured.fixture.js';
import { runHost } from './host.js';

/** Real output of bind9 9.18.49 host (stdout; the exit status after it). */
const CAPTURED: Captured[] = [
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
];

describeCaptured(CAPTURED);

describe('captured query sequences', () => {
  it('host: A, AAAA, MX', () => {
    expect(log(runHost('kubernetes', podConf, labZone).queries)).toEqual([
      'kubernetes.default.svc.cluster.local A NOERROR',
      'kubernetes.default.svc.cluster.local AAAA NOERROR',
      'kubernetes.default.svc.cluster.local MX NOERROR',
    ]);
    expect(runHost('v6only', podConf, labZone).stdout).toBe('v6only.default.svc.cluster.local has IPv6 address fd00:10:96::21\n');
  });
});
