import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { ApiError } from '../api/errors.js';
import { parseIPv4 } from '../net/ipv4.js';
import { applyObjects, deleteObject } from '../controllers/transitions.js';
import { serviceInput } from '@k8s-netsim/testing';

const base = bootstrapCluster();
const apply = (...objs: Parameters<typeof applyObjects>[1]) => applyObjects(base, objs).state;

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected an ApiError');
}

describe('Service allocation', () => {
  it("keeps kubeadm's well-known addresses: kubernetes = 10.96.0.1, kube-dns = 10.96.0.10", () => {
    expect(base.services.default?.kubernetes?.spec.clusterIP).toBe('10.96.0.1');
    expect(base.services['kube-system']?.['kube-dns']?.spec.clusterIP).toBe('10.96.0.10');
  });

  it("refuses a nodePort outside 30000-32767, in the API server's words, and changes nothing", () => {
    const e = errorOf(() => apply(serviceInput('web', { app: 'web' }, [{ port: 80, nodePort: 80 }], { type: 'NodePort' })));
    expect(e.message).toBe(
      'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
  });

  it('refuses a nodePort or ClusterIP that is already taken, and an IP outside the range', () => {
    const s = apply(serviceInput('a', { app: 'a' }, [{ port: 80, nodePort: 30080 }], { type: 'NodePort' }));
    expect(errorOf(() => applyObjects(s, [serviceInput('b', { app: 'b' }, [{ port: 80, nodePort: 30080 }], { type: 'NodePort' })])).message).toBe(
      'The Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    expect(errorOf(() => apply(serviceInput('dns2', { app: 'x' }, [{ port: 53 }], { clusterIP: '10.96.0.10' }))).message).toBe(
      'The Service "dns2" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    expect(errorOf(() => apply(serviceInput('far', { app: 'x' }, [{ port: 53 }], { clusterIP: '1.1.1.1' }))).message).toBe(
      'The Service "far" is invalid: spec.clusterIPs: Invalid value: ["1.1.1.1"]: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
  });

  it("frees a Service's allocations when it is deleted", () => {
    const s = apply(serviceInput('a', { app: 'a' }, [{ port: 80, nodePort: 30080 }], { type: 'NodePort', clusterIP: '10.96.5.5' }));
    const gone = deleteObject(s, 'Service', 'default', 'a');
    const again = applyObjects(gone, [serviceInput('b', { app: 'b' }, [{ port: 80, nodePort: 30080 }], { type: 'NodePort', clusterIP: '10.96.5.5' })]).state;
    expect(again.services.default?.b?.spec.clusterIP).toBe('10.96.5.5');
  });

  it('keeps what it allocated when an update does not mention it', () => {
    const s = apply(serviceInput('a', { app: 'a' }, [{ port: 80 }], { type: 'NodePort' }));
    const before = s.services.default!.a!.spec;
    const r = applyObjects(s, [serviceInput('a', { app: 'a' }, [{ port: 80 }], { type: 'NodePort' })]);
    expect(r.results[0]?.action).toBe('unchanged');
    expect(r.state.services.default!.a!.spec.clusterIP).toBe(before.clusterIP);
    expect(r.state.services.default!.a!.spec.ports![0]!.nodePort).toBe(before.ports![0]!.nodePort);
  });

  it('shares one nodePort between TCP and UDP on the same port number', () => {
    const s = apply(
      serviceInput(
        'dns',
        { app: 'd' },
        [
          { port: 53, name: 'udp', protocol: 'UDP' },
          { port: 53, name: 'tcp', protocol: 'TCP' },
        ],
        { type: 'NodePort' },
      ),
    );
    const ports = s.services.default!.dns!.spec.ports!;
    expect(ports[0]!.nodePort).toBe(ports[1]!.nodePort);
  });

  it('hands out unique values, dynamic picks above the static bands', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 1000 }), (n, seed) => {
        const objs = Array.from({ length: n }, (_, i) => serviceInput(`s${i}`, { app: `s${i}` }, [{ port: 80 }], { type: 'NodePort' }));
        const s = applyObjects(bootstrapCluster({ seed }), objs).state;
        const svcs = Object.values(s.services.default ?? {}).filter((x) => x.metadata.name !== 'kubernetes');
        const ips = svcs.map((x) => parseIPv4(x.spec.clusterIP!));
        const ports = svcs.map((x) => x.spec.ports![0]!.nodePort!);
        expect(new Set(ips).size).toBe(n);
        expect(new Set(ports).size).toBe(n);
        // The static band (first 256 addresses, 86 ports) is left for requested values.
        for (const ip of ips) expect(ip).toBeGreaterThan(parseIPv4('10.96.1.0'));
        for (const ip of ips) expect(ip).toBeLessThan(parseIPv4('10.111.255.255'));
        for (const p of ports) expect(p >= 30086 && p <= 32767).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('keeps a small range (/28) to its usable addresses: never the broadcast or past it', () => {
    let s = bootstrapCluster({ serviceCIDR: '10.96.0.0/28' });
    let refused: ApiError | undefined;
    for (let i = 0; i < 16 && !refused; i++) {
      try {
        s = applyObjects(s, [serviceInput(`s${i}`, { app: `s${i}` }, [{ port: 80 }])]).state;
      } catch (e) {
        refused = e as ApiError;
      }
    }
    expect(refused).toBeInstanceOf(ApiError);
    const ips = Object.values(s.services).flatMap((shard) => Object.values(shard).map((x) => parseIPv4(x.spec.clusterIP!)));
    expect(new Set(ips).size).toBe(14);
    for (const ip of ips) expect(ip >= parseIPv4('10.96.0.1') && ip <= parseIPv4('10.96.0.14')).toBe(true);
  });
});
