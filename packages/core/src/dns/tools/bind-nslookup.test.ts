// bind9 nslookup: captured output and query sequences against the lab zone.

import { describe, expect, it } from 'vitest';
import { labZone, podConf } from '../lab-zone.fixture.js';
import { runBindNslookup } from './bind-nslookup.js';
import { describeCaptured, log, type Captured } from './captured.fixture.js';

/** Real output of bind9 9.18.49 nslookup (stdout; the exit status after it). */
const CAPTURED: Captured[] = [
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
];

describeCaptured(CAPTURED);

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
});
