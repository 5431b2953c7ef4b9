// Value validators with apimachinery's exact messages (k8s.io/apimachinery/pkg/util/validation).
// Each returns the list of problems, empty when the value is valid. Lengths are in UTF-8
// bytes, as Go's len() counts them.

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const DNS1035_LABEL_MAX_LENGTH = 63;
export const LABEL_VALUE_MAX_LENGTH = 63;
const QUALIFIED_NAME_MAX_LENGTH = 63;

export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

export const EMPTY_ERROR = 'must be non-empty';

/** RegexError: note the examples join leaves a double space ("'a',  or 'b'"), as upstream. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let s = `${msg} (e.g. `;
  examples.forEach((ex, i) => {
    if (i > 0) s += ' or ';
    s += `'${ex}', `;
  });
  return `${s}regex used for validation is '${fmt}')`;
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

const anchored = (fmt: string) => new RegExp(`^(?:${fmt})$`);
export const DNS1123_LABEL_RE = anchored(DNS1123_LABEL_FMT);
export const DNS1123_SUBDOMAIN_RE = anchored(DNS1123_SUBDOMAIN_FMT);
export const DNS1035_LABEL_RE = anchored(DNS1035_LABEL_FMT);

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!DNS1123_LABEL_RE.test(value)) errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!DNS1035_LABEL_RE.test(value)) errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

// RFC 1034 wildcards: `*.` then a DNS-1123 subdomain (so `*` may only be the whole first label).
const WILDCARD_DNS1123_SUBDOMAIN_FMT = `\\*\\.${DNS1123_SUBDOMAIN_FMT}`;
const WILDCARD_DNS1123_SUBDOMAIN_MSG =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";
const WILDCARD_DNS1123_SUBDOMAIN_RE = anchored(WILDCARD_DNS1123_SUBDOMAIN_FMT);

/** IsWildcardDNS1123Subdomain: Ingress rule and TLS hosts containing `*`. */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!WILDCARD_DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(WILDCARD_DNS1123_SUBDOMAIN_MSG, WILDCARD_DNS1123_SUBDOMAIN_FMT, '*.example.com'));
  return errs;
}

// RFC 3986 path characters: unreserved, percent-encoded octets, sub-delims and ':'.
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = anchored(HTTP_PATH_FMT);

/**
 * IsDomainPrefixedPath (IngressClass controller names like `k8s.io/ingress-nginx`). Returns the
 * problems with the value each concerns: the whole string, its host part or its path part.
 */
export function domainPrefixedPathErrors(value: string): 'required' | { value: string; detail: string }[] {
  if (value.length === 0) return 'required';
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) return [{ value, detail: 'must be a domain-prefixed path (such as "acme.io/foo")' }];
  const host = value.slice(0, slash);
  const path = value.slice(slash + 1);
  const errs = isDNS1123Subdomain(host).map((detail) => ({ value: host, detail }));
  if (!HTTP_PATH_RE.test(path)) errs.push({ value: path, detail: regexError('Invalid path', HTTP_PATH_FMT) });
  return errs;
}

// A name used with generateName gets a random suffix, so a trailing '-' is fine there.
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
}

/** apimachinery NameIsDNSSubdomain (Pod, Deployment, Node, …). */
export function nameIsDNSSubdomain(name: string, prefix: boolean): string[] {
  return isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
}

/** apimachinery NameIsDNSLabel (Namespace). */
export function nameIsDNSLabel(name: string, prefix: boolean): string[] {
  return isDNS1123Label(prefix ? maskTrailingDash(name) : name);
}

/** apimachinery NameIsDNS1035Label (Service). */
export function nameIsDNS1035Label(name: string, prefix: boolean): string[] {
  return isDNS1035Label(prefix ? maskTrailingDash(name) : name);
}

// path.IsValidPathSegmentName: names that become one REST path segment (RBAC objects).
const NAME_MAY_NOT_BE = ['.', '..'];
const NAME_MAY_NOT_CONTAIN = ['/', '%'];

export function isValidPathSegmentName(name: string): string[] {
  for (const bad of NAME_MAY_NOT_BE) if (name === bad) return [`may not be '${bad}'`];
  return NAME_MAY_NOT_CONTAIN.filter((bad) => name.includes(bad)).map((bad) => `may not contain '${bad}'`);
}

/** rbac ValidateRBACName: ignores `prefix`, so a generateName of "." is rejected too. */
export function nameIsPathSegment(name: string, _prefix: boolean): string[] {
  return isValidPathSegmentName(name);
}

const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_MAP_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const CONFIG_MAP_KEY_RE = anchored(CONFIG_MAP_KEY_FMT);

/** IsConfigMapKey: keys of ConfigMap and Secret data (they become file names in volumes). */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!CONFIG_MAP_KEY_RE.test(value)) errs.push(regexError(CONFIG_MAP_KEY_MSG, CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  // hasChDirPrefix: a key must not climb out of the volume directory.
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_RE = anchored(QUALIFIED_NAME_FMT);

/** IsQualifiedName: label keys, annotation keys, finalizers. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) {
      errs.push(`prefix part ${EMPTY_ERROR}`);
    } else {
      errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
    }
  } else {
    return [
      'a qualified name ' +
        regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc') +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) {
    errs.push(`name part ${EMPTY_ERROR}`);
  } else if (utf8Length(name) > QUALIFIED_NAME_MAX_LENGTH) {
    errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  }
  if (!QUALIFIED_NAME_RE.test(name)) {
    errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_RE = anchored(LABEL_VALUE_FMT);

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** IsValidPortName (IANA_SVC_NAME): named container ports and targetPorts. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (utf8Length(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

const PERCENT_FMT = '[0-9]+%';
export function isValidPercent(percent: string): string[] {
  return /^[0-9]+%$/.test(percent) ? [] : [regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, '1%', '93%')];
}

/**
 * Parses a dotted-quad IPv4 address to a uint32, or null. Leading zeros are accepted as
 * decimal, like netutils.ParseIPSloppy (the parser the API server uses for legacy fields).
 */
export function parseIPv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

/** Formats a uint32 as dotted quad. */
export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** True for a syntactically valid IPv6 address (optionally with an embedded IPv4 tail). */
export function isIPv6(s: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(s)) return false;
  const groups = 8;
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    if (parseIPv4(s.slice(lastColon + 1)) === null) return false;
    text = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const parse = (h: string) => (h === '' ? [] : h.split(':'));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if ([...head, ...tail].some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const count = head.length + tail.length;
  return halves.length === 2 ? count < groups : count === groups;
}

export function isIP(s: string): boolean {
  return parseIPv4(s) !== null || isIPv6(s);
}

/** IsValidIP's message (the "(e.g. …)" form used since ~1.27; older servers said "must be valid IP address"). */
export function isValidIP(value: string): string[] {
  return isIP(value) ? [] : ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
}

/** IsValidCIDR (sloppy parse: leading zeros allowed). */
export function isValidCIDR(value: string): string[] {
  const msg = ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'];
  const slash = value.indexOf('/');
  if (slash < 0) return msg;
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!/^[0-9]+$/.test(bits)) return msg;
  const max = parseIPv4(ip) !== null ? 32 : isIPv6(ip) ? 128 : -1;
  return max >= 0 && Number(bits) <= max ? [] : msg;
}

/** Parses an IPv6 address (optionally with an IPv4 tail) to 16 bytes, or null. */
export function parseIPv6(s: string): number[] | null {
  if (!isIPv6(s)) return null;
  let text = s;
  if (s.includes('.')) {
    // Rewrite an IPv4 tail as the two 16-bit groups it stands for.
    const lastColon = s.lastIndexOf(':');
    const v4 = parseIPv4(s.slice(lastColon + 1))!;
    text = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  const parse = (h: string) => (h === '' ? [] : h.split(':'));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const words = [...head, ...Array<string>(8 - head.length - rest.length).fill('0'), ...rest].map((g) => parseInt(g, 16));
  const bytes: number[] = [];
  for (const w of words) bytes.push(w >>> 8, w & 255);
  return bytes;
}

/**
 * ValidateNonSpecialIP (pkg/apis/core/validation): endpoint and external IPs may not be
 * unspecified, loopback or link-local — they would point at the node itself.
 */
export function nonSpecialIPErrors(ip: string): string[] {
  const v4 = parseIPv4(ip);
  const v6 = v4 === null ? parseIPv6(ip) : null;
  if (v4 === null && v6 === null) return ['must be a valid IP address'];
  // Go's net.IP methods see IPv4-mapped IPv6 addresses as IPv4.
  const mapped = v6?.slice(0, 10).every((b) => b === 0) && v6[10] === 255 && v6[11] === 255 ? ((v6[12]! << 24) | (v6[13]! << 16) | (v6[14]! << 8) | v6[15]!) >>> 0 : null;
  const four = v4 ?? mapped;
  const errs: string[] = [];
  if (four !== null) {
    if (four === 0) errs.push(`may not be unspecified (${ip})`);
    if (four >>> 24 === 127) errs.push('may not be in the loopback range (127.0.0.0/8, ::1/128)');
    if (four >>> 16 === 0xa9fe) errs.push('may not be in the link-local range (169.254.0.0/16, fe80::/10)');
    if (four >>> 8 === 0xe00000) errs.push('may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)');
    return errs;
  }
  const b = v6!;
  if (b.every((x) => x === 0)) errs.push(`may not be unspecified (${ip})`);
  if (b.slice(0, 15).every((x) => x === 0) && b[15] === 1) errs.push('may not be in the loopback range (127.0.0.0/8, ::1/128)');
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) errs.push('may not be in the link-local range (169.254.0.0/16, fe80::/10)');
  if (b[0] === 0xff && (b[1]! & 0x0f) === 0x02) errs.push('may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)');
  return errs;
}

/**
 * IsFullyQualifiedDomainName: EndpointSlice FQDN addresses. Reports the first problem only,
 * with the (trailing-dot-trimmed) name or the offending label as the value.
 */
export function fullyQualifiedDomainNameError(name: string): { value: string; detail: string } | 'required' | null {
  if (name.length === 0) return 'required';
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const sub = isDNS1123Subdomain(trimmed);
  if (sub.length > 0) return { value: trimmed, detail: sub.join(',') };
  const labels = trimmed.split('.');
  if (labels.length < 2) return { value: trimmed, detail: 'should be a domain with at least two segments separated by dots' };
  for (const label of labels) {
    const errs = isDNS1123Label(label);
    if (errs.length > 0) return { value: label, detail: errs.join(',') };
  }
  return null;
}
