import { describe, expect, it } from 'vitest';
import { felixChain, ruleHashes, rule } from './render.js';
import { lengthLimitedID } from './selector.js';

const hashes = (c: ReturnType<typeof felixChain>) => c.rules.map((r) => (r.matches[0] as { comment: string }).comment);

describe("Felix's rule hashes", () => {
  it('reproduce the hook rules every Calico node shows', () => {
    // Captured from iptables-save on Calico nodes (identical across releases).
    expect(ruleHashes('FORWARD', [rule().jump('cali-FORWARD')])).toEqual(['wUHhoiAYhphO9Mso']);
    expect(ruleHashes('INPUT', [rule().jump('cali-INPUT')])).toEqual(['Cz_u1IQiXIMmKD4c']);
    expect(ruleHashes('OUTPUT', [rule().jump('cali-OUTPUT')])).toEqual(['tVnHkvAo15HuiPy0']);
  });

  it('chain through every earlier rule, as a captured workload chain shows', () => {
    // iptables-save of cali-tw-cali1f5a29e647c in projectcalico/kube-controllers#198 (Felix 2.x,
    // accept mark 0x1000000, pass mark 0x2000000).
    const chain = felixChain('cali-tw-cali1f5a29e647c', [
      rule().ctstate(['RELATED', 'ESTABLISHED']).accept(),
      rule().ctstate(['INVALID']).drop(),
      rule().mark(0, 0x1000000),
      rule().comment('Start of policies').mark(0, 0x2000000),
      rule().markClear(0x2000000).jump('cali-pi-allow-icmp'),
      rule().comment('Return if policy accepted').markSet(0x1000000).return(),
      rule().markClear(0x2000000).jump('cali-pi-allow-dns'),
      rule().comment('Return if policy accepted').markSet(0x1000000).return(),
    ]);
    expect(hashes(chain)).toEqual([
      'cali:DyXV9nt6NzElIzKF',
      'cali:MUF5w_sikO5VgyPY',
      'cali:i_GJnJnNUHZzlj6F',
      'cali:474xg1goXche0p6G',
      'cali:tsaCERsiFsAlFI2O',
      'cali:s9TLnZBEc5T01vMw',
      'cali:QfzEoCf8TZorasnP',
      'cali:ArY4TbcNc6ESp-Dn',
    ]);
  });

  it('hash appended rules under CHAIN*appends*', () => {
    const c = felixChain('FORWARD', [rule().comment('Policy explicitly accepted packet.').markSet(0x10000).accept()], 'FORWARD*appends*');
    expect(hashes(c)).toEqual(['cali:S93hcgKJrXEqnTfs']);
  });

  it('render iptables-save forms: comments first among modules, marks as --set-xmark', () => {
    const c = felixChain('cali-fw-calia', [rule().comment('Drop VXLAN encapped packets originating in workloads').proto('udp', true).dports([4789]).drop()]);
    expect(c.rules[0]!.matches.slice(1)).toEqual([
      { m: 'comment', comment: 'Drop VXLAN encapped packets originating in workloads' },
      { m: 'proto', proto: 'udp' },
      { m: 'multiport', dports: [4789] },
    ]);
  });
});

describe('lengthLimitedID (libcalico-go hash.GetLengthLimitedID)', () => {
  it('keeps what fits and hashes what does not', () => {
    expect(lengthLimitedID('cali-pri-', 'kns.default', 28)).toBe('cali-pri-kns.default');
    expect(lengthLimitedID('cali-pri-', 'ksa.default.default', 28)).toBe('cali-pri-ksa.default.default');
    const long = lengthLimitedID('cali-pi-', 'knp/default/web-allow-client', 28);
    expect(long).toMatch(/^cali-pi-_[A-Za-z0-9_-]{19}$/);
    // A suffix that fits exactly but starts with the marker is hashed too (no clash with a hash).
    expect(lengthLimitedID('cali-pi-', `_${'a'.repeat(19)}`, 28)).not.toBe(`cali-pi-_${'a'.repeat(19)}`);
  });
});
