// Trace requests are checked once at the walker's entry (trace, traceAll, Cluster.trace/traceAll):
// one NetsimInputError naming the field, with the exact message. Before, `proto: 'sctp'`, 'TCP'
// or '' were walked as UDP-like non-TCP, `sport: -1` and 70000 were delivered.

import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster.js';
import { lookupName } from '../cluster/lookup.js';
import { isNetsimInputError, NetsimInputError, renderValue } from './request.js';
import type { TraceRequest } from './types.js';
import { trace, traceAll, TraceError } from './walker.js';

const lab = Cluster.create().apply({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'client', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});
const ok: TraceRequest = { from: { node: 'node01' }, to: { ip: '10.96.0.10', port: 53 }, proto: 'udp' };
const withTo = (to: unknown) => ({ ...ok, to }) as TraceRequest;

/** [what, request, field, value, message] */
const CASES: [string, unknown, string, unknown, string][] = [
  ['proto dccp', { ...ok, proto: 'dccp' }, 'request.proto', 'dccp', 'request.proto: Unsupported value: "dccp": supported values: "tcp", "udp", "icmp", "sctp"'],
  ['proto TCP', { ...ok, proto: 'TCP' }, 'request.proto', 'TCP', 'request.proto: Unsupported value: "TCP": supported values: "tcp", "udp", "icmp", "sctp"'],
  ['proto empty', { ...ok, proto: '' }, 'request.proto', '', 'request.proto: Unsupported value: "": supported values: "tcp", "udp", "icmp", "sctp"'],
  [
    'to.ip short',
    withTo({ ip: '10.96.0', port: 53 }),
    'request.to.ip',
    '10.96.0',
    'request.to.ip: Invalid value: "10.96.0": must be an IPv4 address (dotted quad, e.g. "10.96.0.10")',
  ],
  [
    'to.ip leading zero',
    withTo({ ip: '10.96.0.010', port: 53 }),
    'request.to.ip',
    '10.96.0.010',
    'request.to.ip: Invalid value: "10.96.0.010": must be an IPv4 address (dotted quad, e.g. "10.96.0.10")',
  ],
  [
    'to.ip a number',
    withTo({ ip: 167772161, port: 53 }),
    'request.to.ip',
    167772161,
    'request.to.ip: Invalid value: 167772161: must be an IPv4 address (dotted quad, e.g. "10.96.0.10")',
  ],
  ['to.ip missing', withTo({ port: 53 }), 'request.to.ip', undefined, 'request.to.ip: Required value: an IPv4 address'],
  ['to.port 0', withTo({ ip: '10.96.0.10', port: 0 }), 'request.to.port', 0, 'request.to.port: Invalid value: 0: must be an integer from 1 to 65535'],
  ['to.port fractional', withTo({ ip: '10.96.0.10', port: 53.5 }), 'request.to.port', 53.5, 'request.to.port: Invalid value: 53.5: must be an integer from 1 to 65535'],
  ['to.port 65536', withTo({ ip: '10.96.0.10', port: 65536 }), 'request.to.port', 65536, 'request.to.port: Invalid value: 65536: must be an integer from 1 to 65535'],
  ['to.port text', withTo({ ip: '10.96.0.10', port: '53' }), 'request.to.port', '53', 'request.to.port: Invalid value: "53": must be an integer from 1 to 65535'],
  ['to.port missing', withTo({ ip: '10.96.0.10' }), 'request.to.port', undefined, 'request.to.port: Required value: udp needs a destination port from 1 to 65535'],
  ['to unknown key', withTo({ ip: '10.96.0.10', dport: 53 }), 'request.to.dport', 53, 'request.to.dport: Invalid value: 53: unknown field; known: "ip", "port"'],
  ['sport -1', { ...ok, sport: -1 }, 'request.sport', -1, 'request.sport: Invalid value: -1: must be an integer from 1 to 65535'],
  ['sport 70000', { ...ok, sport: 70000 }, 'request.sport', 70000, 'request.sport: Invalid value: 70000: must be an integer from 1 to 65535'],
  ['size 27', { ...ok, size: 27 }, 'request.size', 27, "request.size: Invalid value: 27: must be an integer from 28 to 65535 (the IP packet's total length in bytes)"],
  ['size 65536', { ...ok, size: 65536 }, 'request.size', 65536, "request.size: Invalid value: 65536: must be an integer from 28 to 65535 (the IP packet's total length in bytes)"],
  [
    'size NaN',
    { ...ok, size: Number.NaN },
    'request.size',
    Number.NaN,
    "request.size: Invalid value: NaN: must be an integer from 28 to 65535 (the IP packet's total length in bytes)",
  ],
  ['df', { ...ok, df: 1 }, 'request.df', 1, 'request.df: Invalid value: 1: must be a boolean'],
  ['from missing', { to: ok.to }, 'request.from', undefined, 'request.from: Required value: one of { pod }, { node } or { external }'],
  ['from empty', { ...ok, from: {} }, 'request.from', {}, 'request.from: Invalid value: {}: must be one of { pod }, { node } or { external }'],
  [
    'from two',
    { ...ok, from: { pod: 'client', node: 'node01' } },
    'request.from.node',
    'node01',
    'request.from.node: Invalid value: "node01": request.from.pod is given too: exactly one of pod, node or external',
  ],
  ['from key', { ...ok, from: { host: 'node01' } }, 'request.from.host', 'node01', 'request.from.host: Invalid value: "node01": unknown field; known: "pod", "node", "external"'],
  ['from pod empty', { ...ok, from: { pod: '' } }, 'request.from.pod', '', 'request.from.pod: Invalid value: "": must be a pod, "ns/name" or "name" (in default)'],
  ['from external', { ...ok, from: { external: 'lab-host' } }, 'request.from.external', 'lab-host', 'request.from.external: Invalid value: "lab-host": must be an IPv4 address'],
  ['unknown pod', { ...ok, from: { pod: 'nope' } }, 'request.from.pod', 'nope', 'request.from.pod: Not found: "nope": no pod "nope" in namespace "default"'],
  [
    'unknown pod in a namespace',
    { ...ok, from: { pod: 'kube-system/nope' } },
    'request.from.pod',
    'kube-system/nope',
    'request.from.pod: Not found: "kube-system/nope": no pod "nope" in namespace "kube-system"',
  ],
  ['unknown node', { ...ok, from: { node: 'node09' } }, 'request.from.node', 'node09', 'request.from.node: Not found: "node09"'],
  ["a node named as Object's own property", { ...ok, from: { node: 'constructor' } }, 'request.from.node', 'constructor', 'request.from.node: Not found: "constructor"'],
  [
    "a pod named as Object's own property",
    { ...ok, from: { pod: '__proto__/constructor' } },
    'request.from.pod',
    '__proto__/constructor',
    'request.from.pod: Not found: "__proto__/constructor": no pod "constructor" in namespace "__proto__"',
  ],
  [
    'external in the pod network',
    { ...ok, from: { external: '10.244.1.7' } },
    'request.from.external',
    '10.244.1.7',
    'request.from.external: Invalid value: "10.244.1.7": is in the pod network 10.244.0.0/16: only pods have such addresses (trace from the pod instead)',
  ],
  [
    'external in the Service network',
    { ...ok, from: { external: '10.96.0.10' } },
    'request.from.external',
    '10.96.0.10',
    'request.from.external: Invalid value: "10.96.0.10": is in the Service network 10.96.0.0/12: ClusterIPs are virtual, no machine sends from one',
  ],
  [
    "external the lab router's public address",
    { ...ok, from: { external: '203.0.113.1' } },
    'request.from.external',
    '203.0.113.1',
    'request.from.external: Invalid value: "203.0.113.1": is the lab router\'s public address: the router is the workstation, external:192.168.56.1 (a client on the internet has another address)',
  ],
  [
    'external loopback',
    { ...ok, from: { external: '127.0.0.1' } },
    'request.from.external',
    '127.0.0.1',
    'request.from.external: Invalid value: "127.0.0.1": is a loopback address, which no host sends from',
  ],
  [
    'external multicast',
    { ...ok, from: { external: '239.1.1.1' } },
    'request.from.external',
    '239.1.1.1',
    'request.from.external: Invalid value: "239.1.1.1": is a multicast address, which no host sends from',
  ],
  [
    "external in docker0's network",
    { ...ok, from: { external: '172.17.0.9' } },
    'request.from.external',
    '172.17.0.9',
    'request.from.external: Invalid value: "172.17.0.9": is routed by node controlplane out of docker0 (172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown), not back through the lab router: a client there would never get a reply',
  ],
  [
    "external the node network's broadcast address",
    { ...ok, from: { external: '192.168.56.255' } },
    'request.from.external',
    '192.168.56.255',
    'request.from.external: Invalid value: "192.168.56.255": is the node network\'s broadcast address, not a host\'s',
  ],
  [
    'external a node',
    { ...ok, from: { external: '192.168.56.11' } },
    'request.from.external',
    '192.168.56.11',
    'request.from.external: Invalid value: "192.168.56.11": is a node\'s address',
  ],
  ['unknown key', { ...ok, port: 53 }, 'request.port', 53, 'request.port: Invalid value: 53: unknown field; known: "from", "to", "proto", "sport", "size", "df"'],
  [
    'not an object',
    'node01 → 10.96.0.10',
    'request',
    'node01 → 10.96.0.10',
    'request: Invalid value: "node01 → 10.96.0.10": must be an object { from, to, proto?, sport?, size?, df? }',
  ],
];

function caught(f: () => unknown): NetsimInputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NetsimInputError);
    return e as NetsimInputError;
  }
  throw new Error('expected a NetsimInputError');
}

describe('trace requests are checked at the entry', () => {
  it.each(CASES)('%s', (_, req, field, value, message) => {
    const request = req as TraceRequest;
    for (const run of [() => lab.trace(request), () => lab.traceAll(request), () => trace(lab.state, request), () => traceAll(lab.state, request)]) {
      const e = caught(run);
      expect(e.message).toBe(message);
      expect(e.field).toBe(field);
      expect(e.value).toEqual(value);
    }
  });

  it('the error is a TraceError too, and named NetsimInputError', () => {
    const e = caught(() => lab.trace({ ...ok, proto: 'dccp' as never }));
    expect(e).toBeInstanceOf(TraceError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('NetsimInputError');
    expect(e.type).toBe('Unsupported value');
    expect(isNetsimInputError(e)).toBe(true);
    expect(isNetsimInputError(new TraceError('x'))).toBe(false);
  });

  it('ICMP ignores to.port, whatever it is; good requests still trace', () => {
    const icmp = lab.trace({ from: { node: 'node01' }, to: { ip: '192.168.56.10', port: 0 }, proto: 'icmp' });
    expect(icmp).toEqual(lab.trace({ from: { node: 'node01' }, to: { ip: '192.168.56.10' }, proto: 'icmp' }));
    expect(icmp.verdict).toBe('delivered');
    expect(lab.trace({ ...ok, sport: 1, size: 28, df: false }).verdict).toBe('delivered');
    expect(lab.trace({ ...ok, sport: 65535, size: 65535 }).packet.src.port).toBe(65535);
  });

  it('a pod that cannot send yet names request.from.pod', () => {
    const noCni = Cluster.create({ cni: 'none' }).apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'waiting', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    expect(caught(() => noCni.trace({ from: { pod: 'waiting' }, to: { ip: '10.96.0.10', port: 53 }, proto: 'udp' })).message).toBe(
      'request.from.pod: Invalid value: "waiting": pod default/waiting is not scheduled to a node',
    );
  });

  it('lookupName names its request the same way', () => {
    expect(caught(() => lookupName(lab.state, { from: { pod: 'ghost' }, name: 'kubernetes' })).message).toBe(
      'request.from.pod: Not found: "ghost": no such pod on a node: default/ghost',
    );
    expect(caught(() => lookupName(lab.state, { from: { node: 'node09' }, name: 'kubernetes' })).message).toBe('request.from.node: Not found: "node09"');
    expect(caught(() => lookupName(lab.state, { from: { node: 'node01' }, name: 7 } as never)).message).toBe('request.name: Invalid value: 7: must be a name to look up');
  });

  it('values render as the API server renders them: strings quoted, long ones cut', () => {
    expect(renderValue('x'.repeat(200))).toBe(`"${'x'.repeat(115)}..."`);
    expect(renderValue({ a: 1 })).toBe('{"a":1}');
    expect(renderValue(undefined)).toBe('undefined');
    expect(renderValue(10n)).toBe('10n');
  });
});
