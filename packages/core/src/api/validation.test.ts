import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  DNS1035_LABEL_RE,
  DNS1123_LABEL_RE,
  DNS1123_SUBDOMAIN_RE,
  formatIPv4,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isIP,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  nameIsDNSSubdomain,
  parseIPv4,
} from './validation.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

describe('exact apimachinery messages', () => {
  test('DNS-1123 subdomain', () => {
    expect(isDNS1123Subdomain('Bad_Name')).toEqual([SUBDOMAIN_MSG]);
    expect(isDNS1123Subdomain('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
    expect(isDNS1123Subdomain('example.com')).toEqual([]);
  });
  test('DNS-1123 label (with the upstream double space)', () => {
    expect(isDNS1123Label('my.name')).toEqual([LABEL_MSG]);
    expect(isDNS1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(isDNS1123Label('-x')).toEqual([LABEL_MSG]);
  });
  test('DNS-1035 label', () => {
    expect(isDNS1035Label('1abc')).toEqual([DNS1035_MSG]);
    expect(isDNS1035Label('abc-123')).toEqual([]);
  });
  test('qualified names (label keys)', () => {
    expect(isQualifiedName('app')).toEqual([]);
    expect(isQualifiedName('example.com/My_Name.1')).toEqual([]);
    expect(isQualifiedName('-bad')).toEqual([
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
    expect(isQualifiedName('/x')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('Example.com/x')).toEqual([`prefix part ${SUBDOMAIN_MSG}`]);
    expect(isQualifiedName('a/b/c')).toEqual([
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
    expect(isQualifiedName('x'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
  });
  test('label values', () => {
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('my_value.1')).toEqual([]);
    expect(isValidLabelValue('bad value')).toEqual([
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });
  test('ports', () => {
    expect(isValidPortNum(0)).toEqual(['must be between 1 and 65535, inclusive']);
    expect(isValidPortNum(65535)).toEqual([]);
    expect(isValidPortName('http')).toEqual([]);
    expect(isValidPortName('HTTP')).toEqual(['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']);
    expect(isValidPortName('-a--b-')).toEqual(['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
    expect(isValidPortName('abcdefghijklmnop')).toEqual(['must be no more than 15 characters']);
    expect(isValidPortName('123')).toEqual(['must contain at least one letter (a-z)']);
  });
  test('percent', () => {
    expect(isValidPercent('25%')).toEqual([]);
    expect(isValidPercent('25')).toEqual([
      "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ]);
  });
  test('IP and CIDR', () => {
    expect(isValidIP('8.8.8.8')).toEqual([]);
    expect(isValidIP('2001:db8::ffff')).toEqual([]);
    expect(isValidIP('8.8.8')).toEqual(['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
    expect(isValidCIDR('10.244.0.0/24')).toEqual([]);
    expect(isValidCIDR('10.244.0.0/33')).toEqual(['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']);
  });
  test('generateName prefixes may end with a dash', () => {
    expect(nameIsDNSSubdomain('web-', true)).toEqual([]);
    expect(nameIsDNSSubdomain('web-', false)).toEqual([SUBDOMAIN_MSG]);
  });
});

describe('IPv4 helpers', () => {
  test('parse and format', () => {
    expect(parseIPv4('10.96.0.10')).toBe(0x0a60000a);
    expect(parseIPv4('256.0.0.1')).toBeNull();
    expect(parseIPv4('1.2.3')).toBeNull();
    expect(parseIPv4('1.2.3.x')).toBeNull();
    expect(formatIPv4(0x0a60000a)).toBe('10.96.0.10');
  });
  test('round trip', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => parseIPv4(formatIPv4(n)) === n));
  });
  test('IPv6 shapes', () => {
    for (const ok of ['::', '::1', 'fe80::1', '2001:db8:0:0:0:0:0:1', '::ffff:10.0.0.1']) expect(isIP(ok)).toBe(true);
    for (const bad of ['1::2::3', '12345::', ':::', '1:2:3:4:5:6:7:8:9', 'g::1']) expect(isIP(bad)).toBe(false);
  });
});

describe('name validators: properties', () => {
  const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).filter((s) => s.length <= 63);
  const subdomain = fc
    .array(label, { minLength: 1, maxLength: 5 })
    .map((parts) => parts.join('.'))
    .filter((s) => s.length <= 253);

  test('every string matching the label regex within 63 bytes is accepted', () => {
    fc.assert(fc.property(label, (s) => isDNS1123Label(s).length === 0));
  });
  test('every dotted label sequence within 253 bytes is a valid subdomain', () => {
    fc.assert(fc.property(subdomain, (s) => isDNS1123Subdomain(s).length === 0));
  });
  test('validators agree with their regexes and length limits on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        expect(isDNS1123Label(s).length === 0).toBe(DNS1123_LABEL_RE.test(s) && s.length <= 63);
        expect(isDNS1123Subdomain(s).length === 0).toBe(DNS1123_SUBDOMAIN_RE.test(s) && s.length <= 253);
        expect(isDNS1035Label(s).length === 0).toBe(DNS1035_LABEL_RE.test(s) && s.length <= 63);
      }),
    );
  });
  test('an uppercase letter or "_" anywhere is rejected by all three', () => {
    const bad = fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom('A', 'Z', 'Q', '_'), fc.string({ maxLength: 20 })).map(([a, c, b]) => a + c + b);
    fc.assert(
      fc.property(bad, (s) => {
        expect(isDNS1123Label(s)).not.toEqual([]);
        expect(isDNS1123Subdomain(s)).not.toEqual([]);
        expect(isDNS1035Label(s)).not.toEqual([]);
      }),
    );
  });
  test('too long names always report the length problem first', () => {
    fc.assert(
      fc.property(label, fc.integer({ min: 64, max: 300 }), (s, n) => {
        const long = (s || 'a').repeat(Math.ceil(n / Math.max(1, s.length))).slice(0, n);
        expect(isDNS1123Label(long)[0]).toBe('must be no more than 63 characters');
      }),
    );
  });
  test('validators are pure', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(isDNS1123Subdomain(s)).toEqual(isDNS1123Subdomain(s));
      }),
    );
  });
});
