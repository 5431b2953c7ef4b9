// How curl 8.5 reads a URL on its command line: the tool's globbing first (`{a,b}`, `[1-3]`,
// with its own errors and their caret), then libcurl's URL parser (lib/urlapi.c: scheme and
// slashes, credentials, port, IPv4 normalisation, hostname characters). Errors are curl's:
// `curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535`.

import { isIPv6 } from 'node:net';

export interface CurlUrl {
  /** Lower-cased, as libcurl stores it; `http` when guessed. */
  scheme: string;
  /** IPv4 normalised (`127.1` → `127.0.0.1`); an IPv6 literal without its brackets. */
  host: string;
  ipv6: boolean;
  /** The port given, or undefined for the scheme's default. */
  port?: number;
  /** Path and query (the fragment is not sent). */
  path: string;
}

/** A curl error: exit code and message (after `curl: (N) `). */
export interface CurlError {
  code: number;
  message: string;
}

/** curl's limit on globbed URLs is memory; the simulator fetches at most this many. */
export const MAX_GLOB_URLS = 100;

function globError(message: string, pos: number, url: string): CurlError {
  return { code: 3, message: pos ? `${message} in URL position ${pos}:\n${url}\n${' '.repeat(Math.max(1, pos - 1))}^` : message };
}

/** tool_urlglob.c peek_ipv6: `[…]` that libcurl accepts as an IPv6 host is not a glob. */
function peekIPv6(s: string): number {
  const end = s.indexOf(']');
  if (end < 0 || end + 1 >= 128) return 0;
  const inside = s.slice(1, end);
  const addr = inside.split('%')[0]!;
  return inside.length >= 2 && isIPv6(addr) ? end + 1 : 0;
}

/**
 * The URLs a glob pattern expands to (one when there is none), or curl's glob error. Not more
 * than MAX_GLOB_URLS (`total` says how many curl would fetch).
 */
export function expandGlob(url: string): { urls: string[]; total: number } | CurlError {
  /** Each pattern's first elements (enough for MAX_GLOB_URLS) and how many it has. */
  const patterns: { els: string[]; count: number }[] = [];
  let i = 0;
  let pos = 1;
  const isAlpha = (c: string | undefined) => c !== undefined && /^[A-Za-z]$/.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  while (i < url.length) {
    let literal = '';
    while (i < url.length && url[i] !== '{') {
      if (url[i] === '[') {
        const skip = peekIPv6(url.slice(i)) || (url[i + 1] === ']' ? 2 : 0);
        if (skip) {
          literal += url.slice(i, i + skip);
          i += skip;
          continue;
        }
        break;
      }
      if (url[i] === '}' || url[i] === ']') return globError('unmatched close brace/bracket', pos, url);
      if (url[i] === '\\' && '{[}]'.includes(url[i + 1] ?? '')) {
        i++;
        pos++;
      }
      literal += url[i];
      i++;
      pos++;
    }
    if (literal) patterns.push({ els: [literal], count: 1 });
    else if (url[i] === '{') {
      const open = pos;
      i++;
      pos++;
      const start = i;
      const elements: string[] = [];
      let buf = '';
      for (;;) {
        const c = url[i];
        if (c === undefined) return globError('unmatched brace', open, url);
        if (c === '{' || c === '[') return globError('nested brace', pos, url);
        if (c === ']') return globError('unexpected close bracket', pos, url);
        if (c === '}') {
          if (i === start) return globError('empty string within braces', pos, url);
          elements.push(buf);
          i++;
          break;
        }
        if (c === ',') {
          elements.push(buf);
          buf = '';
          i++;
          pos++;
          continue;
        }
        if (c === '\\' && url[i + 1] !== undefined) {
          i++;
          pos++;
        }
        buf += url[i];
        i++;
        pos++;
      }
      patterns.push({ els: elements, count: elements.length });
    } else if (url[i] === '[') {
      i++;
      pos++;
      const start = i;
      const c = url[i];
      if (isAlpha(c)) {
        const minC = url[i]!;
        const dash = url[i + 1];
        const maxC = url[i + 2];
        const endC = url[i + 3];
        let ok = dash === '-' && maxC !== undefined && endC !== undefined;
        let step = 1;
        if (ok && endC === ':') {
          const m = /^(\d+)\]/.exec(url.slice(i + 4));
          if (m) {
            step = Number(m[1]);
            i += 4 + m[0].length;
          } else step = 0;
        } else if (ok && endC !== ']') ok = false;
        else if (ok) i += 4;
        pos += i - start;
        const lo = minC.charCodeAt(0);
        const hi = (maxC ?? minC).charCodeAt(0);
        if (!ok || !step || step > 2147483647 || (lo === hi && step !== 1) || (lo !== hi && (lo > hi || step > hi - lo || hi - lo > 25))) return globError('bad range', pos, url);
        const els: string[] = [];
        for (let x = lo; x <= hi; x += step) els.push(String.fromCharCode(x));
        patterns.push({ els, count: els.length });
      } else if (isDigit(c)) {
        const m = /^(\d+)-[ \t]*(\d+)(?::(\d*))?/.exec(url.slice(i));
        let good = false;
        let lo = 0;
        let hi = 0;
        let step = 0;
        const pad = c === '0' ? (/^\d+/.exec(url.slice(i))?.[0].length ?? 0) : 0;
        if (m) {
          lo = Number(m[1]);
          hi = Number(m[2]);
          step = m[3] === undefined ? 1 : m[3] === '' ? 0 : Number(m[3]);
          if (url[i + m[0].length] === ']' && Number.isSafeInteger(lo) && Number.isSafeInteger(hi)) {
            good = true;
            i += m[0].length + 1;
          } else i += m[0].length;
        } else {
          // strtoul stopped before a `-`, or the upper bound was not a number.
          const lower = /^(\d+)-[ \t]*/.exec(url.slice(i));
          if (lower) i += lower[0].length;
        }
        pos += i - start;
        if (!good || !step || (lo === hi && step !== 1) || (lo !== hi && (lo > hi || step > hi - lo))) return globError('bad range', pos, url);
        const els: string[] = [];
        for (let x = lo; x <= hi && els.length <= MAX_GLOB_URLS; x += step) els.push(String(x).padStart(pad, '0'));
        patterns.push({ els, count: Math.floor((hi - lo) / step) + 1 });
      } else return globError('bad range specification', pos, url);
    }
    if (patterns.length >= 100) return globError('too many globs', pos, url);
  }
  let total = 1;
  for (const p of patterns) total *= p.count;
  const urls: string[] = [];
  const idx = patterns.map(() => 0);
  // The rightmost pattern varies fastest, as curl's glob_next_url counts.
  while (urls.length < Math.min(total, MAX_GLOB_URLS)) {
    urls.push(patterns.map((p, k) => p.els[idx[k]!]).join(''));
    for (let k = patterns.length - 1; k >= 0; k--) {
      idx[k]!++;
      if (idx[k]! < patterns[k]!.count) break;
      idx[k] = 0;
    }
  }
  return { urls: urls.length ? urls : [url], total };
}

/** strtoul(s, 0) over the whole part, or undefined (ipv4_normalize's HOST_NAME). */
function inetPart(s: string): number | undefined {
  const m = /^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9]\d*)$/.exec(s);
  if (!m) return undefined;
  const v = /^0[xX]/.test(s) ? (s.length > 2 ? Number.parseInt(s.slice(2), 16) : 0) : s.startsWith('0') && s.length > 1 ? Number.parseInt(s.slice(1), 8) : Number(s);
  return v > 0xffffffff ? undefined : v;
}

/** lib/urlapi.c ipv4_normalize: `a`, `a.b`, `a.b.c`, `a.b.c.d` (decimal, octal, hex) as a dotted quad. */
export function ipv4Normalize(host: string): string | undefined {
  const parts = host.split('.');
  if (parts.length > 4) return undefined;
  const n = parts.map(inetPart);
  if (n.some((x) => x === undefined)) return undefined;
  const v = n as number[];
  const limits = [[0xffffffff], [0xff, 0xffffff], [0xff, 0xff, 0xffff], [0xff, 0xff, 0xff, 0xff]][v.length - 1]!;
  if (v.some((x, k) => x > limits[k]!)) return undefined;
  const last = v[v.length - 1]!;
  const bytes = [...v.slice(0, -1)];
  const tail = 4 - bytes.length;
  for (let k = tail - 1; k >= 0; k--) bytes.push(Math.floor(last / 256 ** k) % 256);
  return bytes.join('.');
}

const BAD_HOST_CHARS = /[ \r\n\t/:#?!@{}[\]\\$'"^`*<>=;,+&()%]/;

/** A byte junkscan() rejects: below 0x20, or DEL. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function rejected(message: string): CurlError {
  return { code: 3, message: `URL rejected: ${message}` };
}

/** libcurl's parse of one URL (CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME, as the curl tool sets them). */
export function parseCurlUrl(url: string): CurlUrl | CurlError {
  if (url === '' || url.includes(' ') || hasControl(url)) return rejected('Malformed input to a URL function');
  const sm = /^([A-Za-z][A-Za-z0-9+.-]{0,38}):(?=\/)/.exec(url);
  let rest: string;
  let scheme: string | undefined;
  if (sm) {
    scheme = sm[1]!.toLowerCase();
    if (scheme === 'file') return { code: 1, message: 'netsim: file:// URLs are not simulated' };
    const slashes = /^\/*/.exec(url.slice(sm[0].length))![0].length;
    if (slashes < 1 || slashes > 3) return rejected('Unsupported number of slashes following scheme');
    rest = url.slice(sm[0].length + slashes);
  } else rest = url;
  const hostLen = rest.search(/[/?#]/);
  const authority = hostLen < 0 ? rest : rest.slice(0, hostLen);
  let path = hostLen < 0 ? '' : rest.slice(hostLen);
  if (!authority) return rejected('No host part in the URL');
  const at = authority.indexOf('@');
  let host = at < 0 ? authority : authority.slice(at + 1);
  let port: number | undefined;
  let portPart: string | undefined;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return rejected('Bad IPv6 address');
    const after = host.slice(close + 1);
    if (after && !after.startsWith(':')) return rejected('Port number was not a decimal number between 0 and 65535');
    if (after) portPart = after.slice(1);
    host = host.slice(0, close + 1);
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) {
      portPart = host.slice(colon + 1);
      host = host.slice(0, colon);
    }
  }
  if (portPart !== undefined) {
    if (portPart === '') {
      if (!scheme) return rejected('Port number was not a decimal number between 0 and 65535');
    } else {
      const m = /^\d+/.exec(portPart);
      if (!m || m[0].length !== portPart.length || Number(m[0]) > 0xffff) return rejected('Port number was not a decimal number between 0 and 65535');
      port = Number(m[0]);
    }
  }
  if (!host) return rejected('No host part in the URL');
  let ipv6 = false;
  if (host.startsWith('[')) {
    const inside = host.slice(1, -1);
    if (inside.length < 2 || !isIPv6(inside.split('%')[0]!)) return rejected('Bad IPv6 address');
    host = inside.split('%')[0]!;
    ipv6 = true;
  } else {
    const v4 = /^\d/.test(host) ? ipv4Normalize(host) : undefined;
    if (v4) host = v4;
    else {
      if (host.includes('%')) {
        try {
          host = decodeURIComponent(host.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
        } catch {
          return rejected('Bad hostname');
        }
        if (hasControl(host)) return rejected('Bad hostname');
      }
      if (BAD_HOST_CHARS.test(host)) return rejected('Bad hostname');
    }
  }
  const hash = path.indexOf('#');
  if (hash >= 0) path = path.slice(0, hash);
  if (!path.startsWith('/')) path = `/${path}`;
  return { scheme: scheme ?? 'http', host, ipv6, ...(port !== undefined ? { port } : {}), path };
}

/** Schemes Ubuntu's curl 8.5 supports; the simulator answers only http and https. */
export const CURL_SCHEMES = new Set([
  'dict',
  'file',
  'ftp',
  'ftps',
  'gopher',
  'gophers',
  'http',
  'https',
  'imap',
  'imaps',
  'ldap',
  'ldaps',
  'mqtt',
  'pop3',
  'pop3s',
  'rtmp',
  'rtmpe',
  'rtmps',
  'rtmpt',
  'rtmpte',
  'rtmpts',
  'rtsp',
  'scp',
  'sftp',
  'smb',
  'smbs',
  'smtp',
  'smtps',
  'telnet',
  'tftp',
  'ws',
  'wss',
]);
