// busybox ≤ 1.28.4 nslookup: the renderer and its libc-driven query sequence against the lab zone.

import { describe, expect, it } from 'vitest';
import { labZone, podConf } from '../lab-zone.fixture.js';
import { busyboxNslookup128, runBusyboxNslookup128 } from './busybox-nslookup-128.js';
import { log } from './captured.fixture.js';

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
