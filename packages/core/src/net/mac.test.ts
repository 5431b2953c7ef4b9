import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eui64LinkLocal, eui64LinkLocalGroups, formatIPv6, parseMac } from './mac.js';

describe('eui64LinkLocal', () => {
  // Every pair below was read from `ip addr` / `ifconfig` in a real namespace on this machine
  // (iproute2 6.1, net-tools 2.10) after `ip link set <dev> address <mac> up`.
  it.each([
    ['08:00:27:3c:91:5a', 'fe80::a00:27ff:fe3c:915a'],
    ['6e:d1:3a:4f:2b:11', 'fe80::6cd1:3aff:fe4f:2b11'],
    ['2a:8e:5d:c0:11:7b', 'fe80::288e:5dff:fec0:117b'],
    ['4e:0b:7c:21:9d:e0', 'fe80::4c0b:7cff:fe21:9de0'],
    ['b2:7c:41:08:9e:13', 'fe80::b07c:41ff:fe08:9e13'],
    ['02:fc:00:00:00:01', 'fe80::fc:ff:fe00:1'],
  ])('%s → %s', (mac, ll) => {
    expect(eui64LinkLocal(mac)).toBe(ll);
  });

  it('flips the U/L bit and compresses a zero fourth group into the "::"', () => {
    // 02:00:… flips to 00:00:…, making groups 1-4 a single zero run.
    expect(eui64LinkLocal('02:00:5e:10:20:30')).toBe('fe80::5eff:fe10:2030');
    expect(eui64LinkLocal('00:00:00:00:00:00')).toBe('fe80::200:ff:fe00:0');
  });

  it('accepts upper-case MACs and rejects junk', () => {
    expect(eui64LinkLocal('08:00:27:3C:91:5A')).toBe('fe80::a00:27ff:fe3c:915a');
    expect(() => parseMac('08:00:27:3c:91')).toThrow();
    expect(() => parseMac('08:00:27:3c:91:5g')).toThrow();
  });

  it('always yields fe80::/64 with ff:fe in the middle (property)', () => {
    const octets = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 });
    fc.assert(
      fc.property(octets, (o) => {
        const mac = o.map((b) => b.toString(16).padStart(2, '0')).join(':');
        const g = eui64LinkLocalGroups(mac);
        expect(g.slice(0, 4)).toEqual([0xfe80, 0, 0, 0]);
        expect(g[5]! & 0xff).toBe(0xff);
        expect(g[6]! >> 8).toBe(0xfe);
        expect(g[4]! >> 8).toBe(o[0]! ^ 2);
        expect(eui64LinkLocal(mac).startsWith('fe80::')).toBe(true);
      }),
    );
  });
});

describe('formatIPv6', () => {
  it.each([
    [[0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    [[0, 0, 0, 0, 0, 0, 0, 0], '::'],
    [[1, 0, 0, 0, 0, 0, 0, 0], '1::'],
    [[0xfd00, 0, 0, 0, 0, 0, 0, 2], 'fd00::2'],
    [[1, 0, 2, 0, 0, 3, 0, 0], '1:0:2::3:0:0'],
    [[1, 0, 0, 2, 0, 0, 3, 4], '1::2:0:0:3:4'],
    [[1, 2, 3, 4, 5, 6, 0, 8], '1:2:3:4:5:6:0:8'],
  ])('%j → %s', (g, s) => {
    expect(formatIPv6(g)).toBe(s);
  });
});
