// curl: a traced TCP connection, then what the server answers. The command line, URL and
// errors are curl 8.5's (Ubuntu 24.04): options as its getparameter reads them (combined short
// flags, `curl: option -m: expected a proper numerical parameter`, exit 2), each URL globbed and
// parsed as curl-url.ts does (`curl: (3) URL rejected: …`), connection errors as the connect
// fails (`curl: (7) Failed to connect to … port 80 after 0 ms: Couldn't connect to server`).
// busybox wget (`wget -qO- URL`) fetches the same way with its own messages.

import { httpExchange } from '../../packet/http.js';
import type { HttpRequest } from '../../packet/http-message.js';
import { trace } from '../../packet/walker.js';
import { tryParseIPv4 } from '../../net/ipv4.js';
import { seeded } from '../../util/seeded.js';
import { fail, ok, traceOrigin, type Command, type CommandIO, type CommandResult } from '../context.js';
import { resolveHost } from './ping.js';
import { resolveName } from './dns.js';
import { CURL_SCHEMES, expandGlob, MAX_GLOB_URLS, parseCurlUrl } from './curl-url.js';

interface CurlArgs {
  urls: string[];
  verbose: boolean;
  silent: boolean;
  showError: boolean;
  head: boolean;
  include: boolean;
  globoff: boolean;
  maxTime?: number;
  headers: string[];
  resolve: string[];
  writeOut?: string;
  output?: string;
}

const TRY = "curl: try 'curl --help' for more information";

/** curl 8.5's options: [long, short, takes a parameter]. Boolean long options also take a `--no-` form. */
const OPTIONS: [string, string | undefined, boolean][] = [
  ['verbose', 'v', false],
  ['silent', 's', false],
  ['show-error', 'S', false],
  ['head', 'I', false],
  ['include', 'i', false],
  ['insecure', 'k', false],
  ['location', 'L', false],
  ['fail', 'f', false],
  ['fail-with-body', undefined, false],
  ['globoff', 'g', false],
  ['ipv4', '4', false],
  ['ipv6', '6', false],
  ['no-buffer', 'N', false],
  ['progress-bar', '#', false],
  ['disable', 'q', false],
  ['compressed', undefined, false],
  ['http1.0', '0', false],
  ['http1.1', undefined, false],
  ['http2', undefined, false],
  ['get', 'G', false],
  ['junk-session-cookies', 'j', false],
  ['list-only', 'l', false],
  ['netrc', 'n', false],
  ['remote-name', 'O', false],
  ['remote-time', 'R', false],
  ['parallel', 'Z', false],
  ['append', 'a', false],
  ['use-ascii', 'B', false],
  ['proxytunnel', 'p', false],
  ['version', 'V', false],
  ['help', 'h', false],
  ['raw', undefined, false],
  ['keepalive', undefined, false],
  ['max-time', 'm', true],
  ['connect-timeout', undefined, true],
  ['header', 'H', true],
  ['resolve', undefined, true],
  ['write-out', 'w', true],
  ['output', 'o', true],
  ['request', 'X', true],
  ['data', 'd', true],
  ['data-raw', undefined, true],
  ['data-binary', undefined, true],
  ['data-urlencode', undefined, true],
  ['user', 'u', true],
  ['user-agent', 'A', true],
  ['referer', 'e', true],
  ['proxy', 'x', true],
  ['cookie', 'b', true],
  ['cookie-jar', 'c', true],
  ['form', 'F', true],
  ['upload-file', 'T', true],
  ['range', 'r', true],
  ['config', 'K', true],
  ['cert', 'E', true],
  ['cacert', undefined, true],
  ['retry', undefined, true],
  ['max-redirs', undefined, true],
  ['interface', undefined, true],
  ['url', undefined, true],
  ['continue-at', 'C', true],
  ['dump-header', 'D', true],
  ['time-cond', 'z', true],
  ['speed-limit', 'Y', true],
  ['speed-time', 'y', true],
  ['quote', 'Q', true],
  ['telnet-option', 't', true],
];

/** curl's str2udouble: a number, not negative. */
function timeout(opt: string, v: string): number | string {
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) return `curl: option ${opt}: expected a proper numerical parameter\n${TRY}`;
  const n = Number(v);
  if (n < 0) return `curl: option ${opt}: expected a positive numerical parameter\n${TRY}`;
  return n;
}

function parse(args: string[]): CurlArgs | string {
  const a: CurlArgs = { urls: [], verbose: false, silent: false, showError: false, head: false, include: false, globoff: false, headers: [], resolve: [] };
  const apply = (long: string, shown: string, value: string | undefined): string | undefined => {
    switch (long) {
      case 'verbose':
        a.verbose = true;
        break;
      case 'silent':
        a.silent = true;
        break;
      case 'show-error':
        a.showError = true;
        break;
      case 'head':
        a.head = true;
        break;
      case 'include':
        a.include = true;
        break;
      case 'globoff':
        a.globoff = true;
        break;
      case 'max-time':
      case 'connect-timeout': {
        const t = timeout(shown, value!);
        if (typeof t === 'string') return t;
        a.maxTime = t;
        break;
      }
      case 'header':
        a.headers.push(value!);
        break;
      case 'resolve':
        a.resolve.push(value!);
        break;
      case 'write-out':
        a.writeOut = value!;
        break;
      case 'output':
        a.output = value!;
        break;
      case 'url':
        a.urls.push(value!);
        break;
    }
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const x = args[i]!;
    if (x.startsWith('--') && x.length > 2) {
      const name = x.slice(2);
      const opt = OPTIONS.find(([l]) => l === name) ?? OPTIONS.find(([l, , p]) => !p && `no-${l}` === name);
      if (!opt) return `curl: option ${x}: is unknown\n${TRY}`;
      if (opt[2] && i + 1 >= args.length) return `curl: option ${x}: requires parameter\n${TRY}`;
      if (name.startsWith('no-') && opt[0] !== name) continue;
      const err = apply(opt[0], x, opt[2] ? args[++i] : undefined);
      if (err) return err;
    } else if (x.startsWith('-') && x.length > 1) {
      for (let j = 1; j < x.length; j++) {
        const opt = OPTIONS.find(([, s]) => s === x[j]);
        if (!opt) return `curl: option -${x.slice(j)}: is unknown\n${TRY}`;
        if (opt[2]) {
          const value = j + 1 < x.length ? x.slice(j + 1) : args[++i];
          if (value === undefined) return `curl: option -${x[j]}: requires parameter\n${TRY}`;
          const err = apply(opt[0], `-${x[j]}`, value);
          if (err) return err;
          break;
        }
        apply(opt[0], `-${x[j]}`, undefined);
      }
    } else a.urls.push(x);
  }
  return a;
}

/** One URL: resolve, connect (a traced packet), ask, and what curl prints. */
function fetch(a: CurlArgs, url: string, io: CommandIO): CommandResult {
  const verbose: string[] = [];
  const err = (code: number, msg: string): CommandResult => ({
    stdout: '',
    stderr: verbose.map((l) => `${l}\n`).join('') + (a.silent && !a.showError ? '' : `curl: (${code}) ${msg}\n`),
    exitCode: code,
  });
  const u = parseCurlUrl(url);
  if ('code' in u) return u.message.startsWith('netsim:') ? fail(u.message, u.code) : err(u.code, u.message);
  if (!CURL_SCHEMES.has(u.scheme)) return err(1, `Protocol "${u.scheme}" not supported or disabled in libcurl`);
  if (u.scheme !== 'http' && u.scheme !== 'https') return fail(`netsim: curl: ${u.scheme}:// is not simulated (http:// and https:// are)`, 1);
  const { host } = u;
  const port = u.port ?? (u.scheme === 'https' ? 443 : 80);
  const path = u.path;
  // An IPv6 address has no route in the simulated (IPv4-only) cluster.
  if (u.ipv6) return err(7, `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`);
  const pinned = a.resolve.map((r) => r.split(':')).find(([h, p]) => h === host && Number(p) === port)?.[2];
  const ip = pinned ?? resolveHost(io.state, host, io.ctx) ?? resolveName(io, host).ip;
  if (!ip || tryParseIPv4(ip) === undefined) return err(6, `Could not resolve host: ${host}`);
  if (a.verbose) verbose.push(`*   Trying ${ip}:${port}...`);
  if (port === 0) return err(7, `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`);
  const from = traceOrigin(io.state, io.ctx);
  const r = trace(io.state, { from, to: { ip, port }, proto: 'tcp' });
  const seed = io.state.config.seed;
  if (r.verdict !== 'delivered') {
    if (r.reason === 'Connection refused' || r.icmpError?.type === 'port-unreachable')
      return err(7, `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`);
    if (r.reason === 'No route to host')
      return err(7, `Failed to connect to ${host} port ${port} after ${3000 + (seeded(seed, 'curl-arp', ip) % 200)} ms: Couldn't connect to server`);
    if (r.reason === 'Network is unreachable') return err(7, `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`);
    // No answer at all: the SYN is retransmitted until the timeout.
    if (a.maxTime !== undefined) return err(28, `Connection timed out after ${Math.round(a.maxTime * 1000) + 1 + (seeded(seed, 'curl-t', ip) % 3)} milliseconds`);
    return err(28, `Failed to connect to ${host} port ${port} after ${133000 + (seeded(seed, 'curl-syn', ip) % 4000)} ms: Couldn't connect to server`);
  }
  const hostHeader = a.headers.find((h) => /^host:/i.test(h))?.replace(/^host:\s*/i, '') ?? (port === 80 ? host : `${host}:${port}`);
  const req: HttpRequest = { method: a.head ? 'HEAD' : 'GET', path, host: hostHeader };
  const res = httpExchange(io.state, r, req, (f, upIp, upPort) => trace(io.state, { from: { pod: f }, to: { ip: upIp, port: upPort }, proto: 'tcp' })).response;
  if (a.verbose)
    verbose.push(`* Connected to ${host} (${ip}) port ${port}`, `> ${req.method} ${path} HTTP/1.1`, `> Host: ${hostHeader}`, '> User-Agent: curl/8.5.0', '> Accept: */*', '> ');
  if (!res) return err(52, 'Empty reply from server');
  const head = [`HTTP/1.1 ${res.status} ${res.reason}`, ...res.headers.map(([k, v]) => `${k}: ${v}`)];
  if (a.verbose) verbose.push(...head.map((h) => `< ${h}`), '< ', `* Connection #0 to host ${host} left intact`);
  let stdout = '';
  if (a.head || a.include) stdout += `${head.map((h) => `${h}\r\n`).join('')}\r\n`;
  // -o writes the body to a file (not simulated: it is dropped, as into /dev/null).
  if (!a.head && a.output === undefined) stdout += res.body;
  if (a.writeOut) stdout += a.writeOut.replace(/%\{http_code\}/g, String(res.status)).replace(/\\n/g, '\n');
  return ok(stdout, a.verbose ? { stderr: verbose.map((l) => `${l}\n`).join('') } : {});
}

export const curl: Command = (args, io) => {
  if (args.length === 0) return fail(TRY, 2);
  const a = parse(args);
  if (typeof a === 'string') return fail(a, 2);
  if (a.urls.length === 0) return fail(`curl: (2) no URL specified\n${TRY}`, 2);
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  for (const raw of a.urls) {
    const g = a.globoff ? { urls: [raw], total: 1 } : expandGlob(raw);
    if ('code' in g) {
      if (!a.silent || a.showError) stderr += `curl: (${g.code}) ${g.message}\n`;
      exitCode = g.code;
      continue;
    }
    if (g.total > MAX_GLOB_URLS) stderr += `netsim: curl: the simulator fetches the first ${MAX_GLOB_URLS} of the ${g.total} URLs of ${raw}\n`;
    for (const url of g.urls) {
      const r = fetch(a, url, io);
      stdout += r.stdout;
      stderr += r.stderr ?? '';
      if (r.exitCode) exitCode = r.exitCode;
    }
  }
  return { stdout, ...(stderr ? { stderr } : {}), ...(exitCode ? { exitCode } : {}) };
};

/** busybox wget (`wget -qO- URL`): the same HTTP fetch, with wget's own messages. */
export const wget: Command = (args, io) => {
  let url: string | undefined;
  for (let i = 0; i < args.length && url === undefined; i++) {
    const a = args[i]!;
    if (/^-[oOPUTtY]$/.test(a) || a === '--header' || a === '--post-data' || a === '--output-document' || a === '--user-agent') i++;
    else if (!a.startsWith('-') || a === '-') url = a;
  }
  if (url === undefined)
    return fail('BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: wget [-c|--continue] [--spider] [-q|--quiet] [-O|--output-document FILE]', 1);
  const toStdout = args.some((a) => /^-q?O-?$/.test(a) || a === '-qO-' || a === '-O-') || (args.includes('-O') && args[args.indexOf('-O') + 1] === '-');
  const quiet = args.some((a) => /^-\w*q/.test(a));
  // busybox parse_url(): http://, https:// and ftp://, or no scheme (http).
  const sep = url.indexOf('://');
  const scheme = sep < 0 ? 'http' : url.slice(0, sep);
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'ftp') return fail(`wget: not an http or ftp url: ${url}`, 1);
  const rest = sep < 0 ? url : url.slice(sep + 3);
  const cut = rest.search(/[/?#]/);
  let hostPort = cut < 0 ? rest : rest.slice(0, cut);
  if (hostPort.includes('@')) hostPort = hostPort.slice(hostPort.lastIndexOf('@') + 1);
  const defaultPort = scheme === 'https' ? 443 : scheme === 'ftp' ? 21 : 80;
  // libbb str2sockaddr(): `[v6]:port`, or the last `:` of a name with one colon.
  let host = hostPort;
  let port = defaultPort;
  const v6 = hostPort.startsWith('[');
  const colon = v6 ? hostPort.indexOf(']:') + 1 : hostPort.lastIndexOf(':');
  if (v6 && !/^\[[^\]]*\](:.*)?$/.test(hostPort)) return fail(`wget: bad address '${hostPort}'`, 1);
  if (colon > 0 && (v6 || hostPort.indexOf(':') === colon)) {
    const p = hostPort.slice(colon + 1);
    if (!/^\d+$/.test(p) || Number(p) > 0xffff) return fail(`wget: bad port spec '${hostPort}'`, 1);
    port = Number(p);
    host = hostPort.slice(0, colon);
  }
  if (v6) return fail(`wget: can't connect to remote host: Network is unreachable`, 1);
  const ip = tryParseIPv4(host) !== undefined ? host : (resolveHost(io.state, host, io.ctx) ?? (host ? resolveName(io, host).ip : undefined));
  if (!ip) return fail(`wget: bad address '${host}'`, 1);
  const connecting = quiet ? '' : `Connecting to ${host} (${ip}:${port})\n`;
  if (scheme !== 'http') return fail(`${connecting}netsim: wget: only http:// is simulated`, 1);
  const path = cut < 0 ? '/' : rest.slice(cut);
  const r = curl(['-s', '-S', `http://${ip}:${port}${path.startsWith('/') ? path : `/${path}`}`, '-H', `Host: ${port === 80 ? host : `${host}:${port}`}`], io);
  if ((r.exitCode ?? 0) !== 0) {
    const code = r.exitCode;
    const msg =
      code === 7
        ? `wget: can't connect to remote host (${ip}): Connection refused`
        : code === 28
          ? 'wget: download timed out'
          : code === 3
            ? `wget: bad address '${host}'`
            : 'wget: error getting response';
    return fail(`${connecting}${msg}`, 1);
  }
  if (toStdout) return ok(r.stdout);
  return {
    stdout: '',
    stderr: quiet ? '' : `${connecting}saving to 'index.html'\nindex.html           100% |********************************| ${r.stdout.length}  0:00:00 ETA\n'index.html' saved\n`,
  };
};
