// Category `trace`: trace requests through the library (`c.trace`, `c.traceAll`, `withHttp`) on a
// few shared clusters — arbPacket's requests, and the same with garbage in from/to/proto/sport/
// size/df — and through the CLI (`netsim trace --from … --to …`, `main(argv, io)`). A result
// must keep the `trace -o json` contract: a verdict, addresses and ports that are addresses and
// ports, probabilities that sum to 1.

import fc from 'fast-check';
import { type Cluster, formatOutcomes, formatTrace, type TraceOutcome, type TraceRequest, type TraceResult, withHttp } from '@k8s-netsim/core';
import { arbManifests, arbPacket, buildCluster } from '@k8s-netsim/testing';
import { arbGarbage, arbOddNumber, arbOddString, showValue } from './gen.js';
import { attempt, clip, defaultLab, expectation, fold, guard, visible, withMemoisedCreate, type Category } from './harness.js';
import { theShellLab } from './shell.js';
import { checkCliRun } from './cli.js';

/** Shared clusters to trace on (built when a worker first needs them). */
const POOL: { name: string; build: () => Cluster }[] = [
  { name: 'Cluster.create()', build: defaultLab },
  { name: 'the shell lab', build: theShellLab },
  {
    name: "Cluster.create({ nodes: 3, flannelBackend: 'host-gw', seed: 3 }) + generated manifests (sample seed 42)",
    build: () =>
      buildCluster({ nodes: 3, flannelBackend: 'host-gw', seed: 3 }, fc.sample(arbManifests({ minWorkloads: 2, minServices: 2, ingress: true }), { seed: 42, numRuns: 1 })[0]!),
  },
  { name: "Cluster.create({ cni: 'none' })", build: () => buildCluster({ cni: 'none' }, []) },
];

const built = new Map<number, Cluster>();
function pool(i: number): Cluster {
  let c = built.get(i);
  if (!c) {
    c = guard(`building ${POOL[i]!.name}`, () => POOL[i]!.build());
    built.set(i, c);
  }
  return c;
}

type Mode = 'trace' | 'traceAll' | 'http';

export interface TraceInput {
  cluster: number;
  /** The request as given (possibly not a TraceRequest at all). */
  req: unknown;
  mode: Mode | 'cli';
  /** Garbage put into the request (for the report). */
  garbage: string[];
  argv?: string[];
  http?: string;
}

const GARBAGE_FIELDS = ['from', 'from.pod', 'from.node', 'from.external', 'to', 'to.ip', 'to.port', 'proto', 'sport', 'size', 'df', 'extra', 'req'] as const;

function arbFieldGarbage(field: (typeof GARBAGE_FIELDS)[number]): fc.Arbitrary<unknown> {
  switch (field) {
    case 'to.port':
    case 'sport':
    case 'size':
      return fc.oneof(arbOddNumber, fc.constantFrom<unknown>('80', null, undefined, 1, 65535, 0, 20, 28, 1500, 1501, 9000, 65535, 65536));
    case 'proto':
      return fc.oneof(fc.constantFrom<unknown>('TCP', 'UDP', 'sctp', '', 'icmpv6', null, 6, 'tcp '), arbGarbage);
    case 'df':
      return fc.constantFrom<unknown>('yes', 0, 1, null, 'false');
    case 'to.ip':
    case 'from.external':
      return fc.oneof(
        fc.constantFrom(
          '',
          '10.96.0.10 ',
          ' 10.96.0.10',
          '10.96.0.1/32',
          '10.96.0.256',
          '1.2.3',
          '01.02.03.04',
          '0.0.0.0',
          '255.255.255.255',
          '127.0.0.1',
          '224.0.0.1',
          '::1',
          '10.244.0.0',
          '10.244.1.255',
          '192.168.56.1',
          '192.168.56.255',
          '169.254.1.1',
          'localhost',
          'kubernetes',
        ),
        arbOddString,
      );
    default:
      return arbGarbage;
  }
}

function setField(req: Record<string, unknown>, field: (typeof GARBAGE_FIELDS)[number], v: unknown): unknown {
  if (field === 'req') return v;
  const [a, b] = field.split('.') as [string, string | undefined];
  if (!b) {
    req[a] = v;
    return req;
  }
  const inner = typeof req[a] === 'object' && req[a] !== null ? { ...(req[a] as object) } : {};
  (inner as Record<string, unknown>)[b] = v;
  req[a] = inner;
  return req;
}

const arbHttp = fc.constantFrom('web/', 'web.example.com/', 'x/y/z', '', '/', 'a'.repeat(300), 'host/path?q=1', '*/', 'kubeserve.example.com/app');

/** Any value as a word (String() throws on some objects: `{ toString: 5 }`). */
function word(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  } catch {
    return '?';
  }
}

/** The request as `netsim trace` words. */
function cliWords(req: unknown): string[] {
  const r = (typeof req === 'object' && req !== null ? req : {}) as { from?: unknown; to?: unknown; proto?: unknown };
  const from = (typeof r.from === 'object' && r.from !== null ? r.from : {}) as Record<string, unknown>;
  const to = (typeof r.to === 'object' && r.to !== null ? r.to : undefined) as { ip?: unknown; port?: unknown } | undefined;
  const words: string[] = [];
  const f = 'pod' in from ? word(from.pod) : 'node' in from ? word(from.node) : 'external' in from ? `external:${word(from.external)}` : undefined;
  if (f !== undefined) words.push('--from', f);
  if (to) words.push('--to', to.port !== undefined ? `${word(to.ip)}:${word(to.port)}` : word(to.ip));
  if (r.proto !== undefined) words.push('--proto', word(r.proto));
  return words;
}

const arbCliExtra = fc.array(
  fc.oneof(
    fc.constantFrom<string[]>(
      ['--all'],
      ['-o', 'json'],
      ['--output=json'],
      ['-o', 'yaml'],
      ['--http', 'web/'],
      ['--http', ''],
      ['--nodes', '1'],
      ['--seed', '7'],
      ['--cni', 'none'],
      ['--flannel-backend', 'host-gw'],
      ['--k8s-version', '1.17.4'],
    ),
    fc.constantFrom<string[]>(
      ['--from'],
      ['--to'],
      ['--proto'],
      ['--from', ''],
      ['--to', ''],
      ['--to', ':53'],
      ['--to', '10.96.0.10:'],
      ['--to', '10.96.0.10:53:53'],
      ['--to', '10.96.0.10:99999'],
      ['--to', '[::1]:80'],
    ),
    arbOddString.map((w) => [w]),
  ),
  { maxLength: 3 },
);

export const traceCategory: Category<TraceInput> = {
  name: 'trace',
  summary: 'trace requests: arbPacket and garbage from/to/proto/sport/size/df through c.trace, c.traceAll, withHttp, and netsim trace (main)',
  label: (input) => (input.mode === 'cli' ? 'netsim trace' : `c.${input.mode}${input.garbage.length ? ' with garbage' : ''}`),
  arbitrary: () => {
    const perCluster = POOL.map((_, i) => arbPacket(pool(i)).map((req) => ({ cluster: i, req })));
    const valid = fc.oneof(...perCluster);
    const withGarbage = fc.tuple(valid, fc.uniqueArray(fc.constantFrom(...GARBAGE_FIELDS), { minLength: 1, maxLength: 3 })).chain(([v, fields]) =>
      fc.tuple(...fields.map(arbFieldGarbage)).map((values) => {
        let req: unknown = JSON.parse(JSON.stringify(v.req));
        fields.forEach((f, i) => {
          req = typeof req === 'object' && req !== null ? setField(req as Record<string, unknown>, f, values[i]) : req;
        });
        return { ...v, req, garbage: fields.map((f, i) => `${f} = ${showValue(values[i])}`) };
      }),
    );
    const library = fc
      .tuple(
        fc.oneof({ withCrossShrink: true }, { weight: 2, arbitrary: valid.map((v) => ({ ...v, garbage: [] as string[] })) }, { weight: 3, arbitrary: withGarbage }),
        fc.constantFrom<Mode>('trace', 'trace', 'traceAll', 'http'),
        arbHttp,
      )
      .map(([v, mode, http]): TraceInput => ({ ...v, mode, ...(mode === 'http' ? { http } : {}) }));
    const cli = fc
      .tuple(
        fc.oneof(
          perCluster[0]!.map((v) => ({ ...v, garbage: [] as string[] })),
          withGarbage.filter((v) => v.cluster === 0),
        ),
        arbCliExtra,
      )
      .map(([v, extra]): TraceInput => ({ ...v, cluster: 0, mode: 'cli', argv: ['trace', ...cliWords(v.req), ...extra.flat()] }));
    return fc.oneof({ withCrossShrink: true }, { weight: 4, arbitrary: library }, { weight: 1, arbitrary: cli });
  },
  run: (input, ctx) => {
    if (input.mode === 'cli') {
      withMemoisedCreate(() => checkCliRun(input.argv!));
      return;
    }
    const c = pool(input.cluster);
    const req = input.req as TraceRequest;
    if (input.mode === 'traceAll') {
      const r = attempt(ctx, 'c.traceAll', () => c.traceAll(req));
      if (r.ok) checkOutcomes(r.value);
      return;
    }
    const r = attempt(ctx, 'c.trace', () => c.trace(req));
    if (!r.ok) return;
    checkResult(r.value, 'c.trace');
    if (input.mode === 'http') {
      const h = attempt(ctx, 'withHttp', () => withHttp(c.state, r.value, input.http!));
      if (h.ok) checkResult(h.value, 'withHttp');
    }
  },
  show: (input) => {
    if (input.mode === 'cli')
      return clip(fold(`main(${visible(JSON.stringify(input.argv))}) — netsim ${input.argv!.map((w) => (/^[\w./:=@-]+$/.test(w) ? w : `'${w}'`)).join(' ')}`), 2000);
    const call = input.mode === 'http' ? `withHttp(c.state, c.trace(req), ${visible(input.http!)})` : `c.${input.mode}(req)`;
    return clip(
      fold(`${call}\n  req = ${showValue(input.req, 1)}${input.garbage.length ? `\n  garbage: ${input.garbage.join('; ')}` : ''}\n  c = ${POOL[input.cluster]!.name}`),
      3000,
    );
  },
};

const VERDICTS = new Set(['delivered', 'dropped', 'rejected']);
const PROTOS = new Set(['tcp', 'udp', 'icmp', 'sctp']);
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function checkEndpoint(where: string, e: { ip?: unknown; port?: unknown } | undefined, what: string): void {
  if (!e) return;
  if (typeof e.ip !== 'string' || !IPV4.test(e.ip)) throw expectation(`${what}: ${where}.ip is not an IPv4 address`, `${where}.ip = ${showValue(e.ip)}`);
  if (e.port !== undefined && !(Number.isInteger(e.port) && (e.port as number) >= 0 && (e.port as number) <= 65535)) {
    throw expectation(
      `${what}: ${where}.port is not a port (${typeof e.port === 'number' ? (Number.isNaN(e.port) ? 'NaN' : Number.isInteger(e.port) ? 'out of range' : 'not an integer') : typeof e.port})`,
      `${where}.port = ${showValue(e.port)}`,
    );
  }
}

/** The `trace -o json` contract. */
export function checkResult(t: TraceResult, what: string): void {
  if (!VERDICTS.has(t.verdict)) throw expectation(`${what}: verdict is not delivered/dropped/rejected`, `verdict = ${showValue(t.verdict)}`);
  if (!PROTOS.has(t.proto)) throw expectation(`${what}: proto is not tcp/udp/icmp/sctp`, `proto = ${showValue(t.proto)}`);
  if (!Array.isArray(t.hops) || t.hops.length === 0) throw expectation(`${what}: no hops`, `hops = ${showValue(t.hops)}`);
  checkEndpoint('packet.src', t.packet?.src, what);
  checkEndpoint('packet.dst', t.packet?.dst, what);
  checkEndpoint('source', t.source, what);
  checkEndpoint('to', t.to, what);
  checkEndpoint('reply.src', t.reply?.src, what);
  checkEndpoint('reply.dst', t.reply?.dst, what);
  if (t.verdict === 'delivered' && !t.to) throw expectation(`${what}: delivered without "to"`, 'verdict delivered, no to');
  if (t.verdict !== 'delivered' && !t.reason) throw expectation(`${what}: ${t.verdict} without a reason`, `verdict ${t.verdict}, reason ${showValue(t.reason)}`);
  guard('JSON.stringify(result)', () => JSON.stringify(t));
  guard('formatTrace(result)', () => formatTrace(t));
}

function checkOutcomes(outcomes: TraceOutcome[]): void {
  if (outcomes.length === 0) throw expectation('c.traceAll: no outcome', 'traceAll returned []');
  const sum = outcomes.reduce((a, o) => a + o.probability, 0);
  if (outcomes.some((o) => !(o.probability > 0 && o.probability <= 1)) || Math.abs(sum - 1) > 1e-9) {
    throw expectation('c.traceAll: probabilities do not sum to 1', `probabilities ${outcomes.map((o) => o.probability).join(', ')} (sum ${sum})`);
  }
  for (const o of outcomes) checkResult(o.result, 'c.traceAll');
  guard('formatOutcomes', () => formatOutcomes(outcomes));
}
