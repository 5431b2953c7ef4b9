// curl: a traced TCP connection, then what the server answers. Errors are curl 8's
// (`curl: (7) Failed to connect to … port 80 after 0 ms: Couldn't connect to server`).

import { httpExchange } from '../../packet/http.js';
import type { HttpRequest } from '../../packet/http-message.js';
import { trace } from '../../packet/walker.js';
import { tryParseIPv4 } from '../../net/ipv4.js';
import { seeded } from '../../util/seeded.js';
import { fail, ok, traceOrigin, type Command } from '../context.js';
import { resolveHost } from './ping.js';
import { resolveName } from './dns.js';

interface CurlArgs {
  url?: string;
  verbose: boolean;
  silent: boolean;
  showError: boolean;
  head: boolean;
  include: boolean;
  maxTime?: number;
  headers: string[];
  resolve: string[];
  writeOut?: string;
  output?: string;
}

function parse(args: string[]): CurlArgs {
  const a: CurlArgs = { verbose: false, silent: false, showError: false, head: false, include: false, headers: [], resolve: [] };
  for (let i = 0; i < args.length; i++) {
    const x = args[i]!;
    if (x === '-v' || x === '--verbose') a.verbose = true;
    else if (x === '-s' || x === '--silent') a.silent = true;
    else if (x === '-S' || x === '--show-error') a.showError = true;
    else if (x === '-sS' || x === '-Ss') a.silent = a.showError = true;
    else if (x === '-I' || x === '--head') a.head = true;
    else if (x === '-i' || x === '--include') a.include = true;
    else if (x === '-m' || x === '--max-time' || x === '--connect-timeout') a.maxTime = Number(args[++i]);
    else if (x === '-H' || x === '--header') a.headers.push(args[++i] ?? '');
    else if (x === '--resolve') a.resolve.push(args[++i] ?? '');
    else if (x === '-w' || x === '--write-out') a.writeOut = args[++i];
    else if (x === '-o' || x === '--output') a.output = args[++i];
    else if (x === '-k' || x === '-L' || x === '--insecure' || x === '--location') continue;
    else if (!x.startsWith('-')) a.url = x;
  }
  return a;
}

export const curl: Command = (args, io) => {
  const a = parse(args);
  if (!a.url) return fail("curl: try 'curl --help' or 'curl --manual' for more information", 2);
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/[^\s]*)?$/.exec(a.url);
  if (!m) return fail(`curl: (3) URL rejected: Malformed input to a URL function`, 3);
  const scheme = m[1] ?? 'http';
  const host = m[2]!;
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  const path = m[4] ?? '/';
  const pinned = a.resolve.map((r) => r.split(':')).find(([h, p]) => h === host && Number(p) === port)?.[2];
  const ip = pinned ?? resolveHost(io.state, host, io.ctx) ?? resolveName(io, host).ip;
  const verbose: string[] = [];
  const err = (code: number, msg: string) => ({
    stdout: '',
    stderr: verbose.map((l) => `${l}\n`).join('') + (a.silent && !a.showError ? '' : `curl: (${code}) ${msg}\n`),
    exitCode: code,
  });
  if (!ip || tryParseIPv4(ip) === undefined) return err(6, `Could not resolve host: ${host}`);
  const from = traceOrigin(io.state, io.ctx);
  const r = trace(io.state, { from, to: { ip, port }, proto: 'tcp' });
  const seed = io.state.config.seed;
  if (a.verbose) verbose.push(`*   Trying ${ip}:${port}...`);
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
  if (!a.head && a.output !== '/dev/null') stdout += res.body;
  if (a.writeOut) stdout += a.writeOut.replace(/%\{http_code\}/g, String(res.status)).replace(/\\n/g, '\n');
  return ok(stdout, a.verbose ? { stderr: verbose.map((l) => `${l}\n`).join('') } : {});
};

/** busybox wget (`wget -qO- URL`): the same HTTP fetch, with wget's own messages. */
export const wget: Command = (args, io) => {
  const url = args.find((a) => !a.startsWith('-'));
  if (!url) return fail('BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: wget [-c|--continue] [--spider] [-q|--quiet] [-O|--output-document FILE]', 1);
  const toStdout = args.some((a) => /^-q?O-?$/.test(a) || a === '-qO-' || a === '-O-') || (args.includes('-O') && args[args.indexOf('-O') + 1] === '-');
  const quiet = args.some((a) => /^-\w*q/.test(a));
  const r = curl(['-s', '-S', url], io);
  const host = /^(?:https?:\/\/)?([^/:]+)/.exec(url)?.[1] ?? url;
  if ((r.exitCode ?? 0) !== 0) {
    const code = r.exitCode;
    const msg =
      code === 6
        ? `wget: bad address '${host}'`
        : code === 7
          ? `wget: can't connect to remote host: Connection refused`
          : code === 28
            ? 'wget: download timed out'
            : 'wget: error getting response';
    return fail(msg, 1);
  }
  if (toStdout) return ok(r.stdout);
  return {
    stdout: '',
    stderr: quiet
      ? ''
      : `Connecting to ${host} (${host}:80)\nsaving to 'index.html'\nindex.html           100% |********************************| ${r.stdout.length}  0:00:00 ETA\n'index.html' saved\n`,
  };
};
