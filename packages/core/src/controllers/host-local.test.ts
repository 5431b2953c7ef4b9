import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ipToString, parseIPv4 } from '../net/ipv4.js';
import type { HostLocalIpam } from '../state/node-agent.js';
import { allocate, IpamExhaustedError, release } from './host-local.js';

const fresh = (): HostLocalIpam => ({ subnet: '10.244.1.0/24', allocated: {} });

describe('host-local IPAM', () => {
  it('skips the gateway: the first pod gets .2, then .3', () => {
    const ipam = fresh();
    expect(ipToString(allocate(ipam, 'a'))).toBe('10.244.1.2');
    expect(ipToString(allocate(ipam, 'b'))).toBe('10.244.1.3');
    expect(ipToString(ipam.lastReserved!)).toBe('10.244.1.3');
  });

  it('is round-robin: a released address comes back only after the iterator wraps', () => {
    const ipam = fresh();
    const a = allocate(ipam, 'a');
    allocate(ipam, 'b');
    release(ipam, a);
    expect(ipToString(allocate(ipam, 'c'))).toBe('10.244.1.4');
    // Fill to the end of the range; the next allocation wraps round to the freed .2.
    for (let i = 5; i <= 254; i++) allocate(ipam, `x${i}`);
    expect(ipToString(allocate(ipam, 'wrap'))).toBe('10.244.1.2');
  });

  it('reports exhaustion as the plugin does', () => {
    const ipam = fresh();
    for (let i = 0; i < 253; i++) allocate(ipam, `c${i}`);
    expect(() => allocate(ipam, 'one-too-many')).toThrow(IpamExhaustedError);
    expect(() => allocate(ipam, 'one-too-many')).toThrow('failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.254');
  });

  it('never hands out a duplicate, the gateway, or an address outside the /24', () => {
    const op = fc.oneof(
      fc.constant({ kind: 'alloc' as const }),
      fc.nat(300).map((n) => ({ kind: 'release' as const, n })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const ipam = fresh();
        const live: number[] = [];
        for (const o of ops) {
          if (o.kind === 'alloc') {
            if (live.length === 253) {
              expect(() => allocate(ipam, 'c')).toThrow(IpamExhaustedError);
              continue;
            }
            const ip = allocate(ipam, `c${live.length}`);
            expect(live).not.toContain(ip);
            expect(ip).toBeGreaterThanOrEqual(parseIPv4('10.244.1.2'));
            expect(ip).toBeLessThanOrEqual(parseIPv4('10.244.1.254'));
            live.push(ip);
          } else if (live.length) {
            const [ip] = live.splice(o.n % live.length, 1);
            release(ipam, ip!);
          }
        }
        expect(Object.keys(ipam.allocated).length).toBe(live.length);
      }),
      { numRuns: 200 },
    );
  });
});
