// Name resolution as a program in a pod or on a node sees it, for test assertions: the context's
// resolver (the pod image's libc, glibc on nodes) over its resolv.conf, every query a traced UDP
// packet to the nameserver. Address lookups walk the search list as getaddrinfo does; other
// record types are one query for the name as given, as `dig` sends it.

import { isReply, type DnsRR, type LookupStatus, type QType, type QueryFn, type QueryRecord } from '../dns/stub/index.js';
import { glibcLookup, muslLookup, uclibcLookup } from '../dns/stub/index.js';
import { dnsQuery } from '../packet/dns.js';
import { isPlainObject, NetsimInputError, ownEntry, unknownKey } from '../packet/request.js';
import { contextLibc, contextResolvConf } from '../shell/commands/dns.js';
import type { ShellContext } from '../shell/context.js';
import type { ClusterState } from '../state/types.js';
import { splitRef } from './queries.js';

export interface NameLookupRequest {
  /** Where the program runs: a pod ("ns/name" or "name" in default) or a node. */
  from: { pod: string } | { node: string };
  name: string;
  /** A (default) and AAAA go through the stub resolver; any other type is one query, as dig sends it. */
  type?: QType;
}

export interface NameLookup {
  /** `ok`, or how it failed as the resolver reports it (`nxdomain`, `nodata`, `timeout`, …). */
  status: LookupStatus;
  /** A/AAAA lookups: the addresses getaddrinfo returns. */
  addresses: string[];
  /** The answer section of the reply that decided it. */
  records: DnsRR[];
  /** The candidate name (after the search list) whose reply succeeded. */
  answeredName?: string;
  /** Every query sent, in order. */
  queries: QueryRecord[];
  /** Which stub resolver ran: the image's libc, glibc on nodes. */
  resolver: 'glibc' | 'musl' | 'uclibc';
}

function contextOf(state: ClusterState, from: NameLookupRequest['from']): ShellContext {
  if ('node' in from) {
    if (!ownEntry(state.nodes, from.node)) throw new NetsimInputError('request.from.node', from.node, '', 'Not found');
    return { kind: 'node', node: from.node };
  }
  const [ns, name] = splitRef(from.pod);
  const pod = ownEntry(ownEntry(state.pods, ns), name);
  if (!pod) throw new NetsimInputError('request.from.pod', from.pod, `no such pod on a node: ${ns}/${name}`, 'Not found');
  const node = pod.spec.nodeName;
  if (!node) throw new NetsimInputError('request.from.pod', from.pod, `no such pod on a node: ${ns}/${name} is not scheduled`);
  return { kind: 'pod', pod: `${ns}/${name}`, node };
}

const LOOKUP_KEYS = ['from', 'name', 'type'] as const;

/** The request's shape: from exactly one of { pod } or { node }, a name, a record type if any. */
function checkLookup(req: unknown): asserts req is NameLookupRequest {
  if (!isPlainObject(req)) throw new NetsimInputError('request', req, 'must be an object { from, name, type? }');
  for (const key in req) if (Object.hasOwn(req, key) && !(LOOKUP_KEYS as readonly string[]).includes(key)) throw unknownKey('request', key, req[key], LOOKUP_KEYS);
  const from = req.from;
  if (!isPlainObject(from)) throw new NetsimInputError('request.from', from, 'must be { pod } or { node }');
  for (const key in from) if (Object.hasOwn(from, key) && key !== 'pod' && key !== 'node') throw unknownKey('request.from', key, from[key], ['pod', 'node']);
  if (from.pod !== undefined && from.node !== undefined) throw new NetsimInputError('request.from.node', from.node, 'request.from.pod is given too: exactly one of pod or node');
  if (from.pod === undefined && from.node === undefined) throw new NetsimInputError('request.from', from, 'must be { pod } or { node }');
  const key = from.pod !== undefined ? 'pod' : 'node';
  if (typeof from[key] !== 'string' || from[key] === '')
    throw new NetsimInputError(`request.from.${key}`, from[key], key === 'pod' ? 'must be a pod, "ns/name" or "name" (in default)' : 'must be a node name');
  if (typeof req.name !== 'string' || req.name === '') throw new NetsimInputError('request.name', req.name, 'must be a name to look up');
  if (req.type !== undefined && typeof req.type !== 'string') throw new NetsimInputError('request.type', req.type, 'must be a record type (A, AAAA, SRV, …)');
}

export function lookupName(state: ClusterState, req: NameLookupRequest): NameLookup {
  checkLookup(req);
  const ctx = contextOf(state, req.from);
  const origin = 'node' in req.from ? { node: req.from.node } : { pod: (ctx as { pod: string }).pod };
  const conf = contextResolvConf(state, ctx);
  const resolver = contextLibc(state, ctx);
  let records: DnsRR[] = [];
  let n = 0;
  const query: QueryFn = (name, type, server) => {
    const outcome = dnsQuery(state, origin, server, name, type, state.clock + n++).outcome;
    if (isReply(outcome) && outcome.answer.length) records = outcome.answer;
    return outcome;
  };
  const type = req.type ?? 'A';
  if (type === 'A' || type === 'AAAA') {
    const family = type === 'A' ? 'inet' : 'inet6';
    const r =
      resolver === 'musl'
        ? muslLookup(req.name, conf, query, family)
        : resolver === 'uclibc'
          ? uclibcLookup(req.name, conf, query, family)
          : glibcLookup(req.name, conf, query, family);
    return {
      status: r.status,
      addresses: r.addresses,
      records: r.status === 'ok' ? records : [],
      ...(r.answeredName !== undefined ? { answeredName: r.answeredName } : {}),
      queries: r.queries,
      resolver,
    };
  }
  const server = conf.nameservers[0] ?? '127.0.0.1';
  const outcome = query(req.name, type, server);
  const rcode = isReply(outcome) ? outcome.rcode : outcome.error === 'timeout' ? 'TIMEOUT' : 'UNREACHABLE';
  const queries: QueryRecord[] = [{ name: req.name, type, server, rcode }];
  if (!isReply(outcome)) return { status: outcome.error, addresses: [], records: [], queries, resolver };
  const status: LookupStatus =
    outcome.rcode === 'NXDOMAIN' ? 'nxdomain' : outcome.rcode === 'SERVFAIL' ? 'servfail' : outcome.rcode !== 'NOERROR' ? 'fail' : outcome.answer.length ? 'ok' : 'nodata';
  return { status, addresses: [], records: outcome.answer, ...(status === 'ok' ? { answeredName: req.name } : {}), queries, resolver };
}
