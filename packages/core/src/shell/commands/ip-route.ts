// `ip route add|change|replace|delete|get …`: iproute2's command line (ip/iproute.c, the subset a
// student types) parsed here, with iproute2's own messages for what it refuses before asking the
// kernel; the kernel's answer comes from the workstation's routing table
// (dataplane/workstation.ts). Only the workstation's table changes: a node's routes are its CNI's.

import { changeWorkstationRoutes, type RouteRequest, type RouteVerb } from '../../dataplane/workstation.js';
import type { Netns } from '../../dataplane/types.js';
import { tryParseIPv4 } from '../../net/ipv4.js';
import { ipRouteGet } from '../../views/linux/index.js';
import { fail, ok, type CommandIO, type CommandResult } from '../context.js';

/** iproute2 6.1's `ip route help`, which it prints (exit 255) for a command line it cannot use. */
const USAGE = `Usage: ip route { list | flush } SELECTOR
       ip route save SELECTOR
       ip route restore
       ip route showdump
       ip route get [ ROUTE_GET_FLAGS ] ADDRESS
                            [ from ADDRESS iif STRING ]
                            [ oif STRING ] [ tos TOS ]
                            [ mark NUMBER ] [ vrf NAME ]
                            [ uid NUMBER ] [ ipproto PROTOCOL ]
                            [ sport NUMBER ] [ dport NUMBER ]
       ip route { add | del | change | append | replace } ROUTE
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]
            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]
            [ type TYPE ] [ scope SCOPE ]
ROUTE := NODE_SPEC [ INFO_SPEC ]
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]
             [ table TABLE_ID ] [ proto RTPROTO ]
             [ scope SCOPE ] [ metric METRIC ]
             [ ttl-propagate { enabled | disabled } ]
INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...
NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]
      [ dev STRING ] [ weight NUMBER ] NHFLAGS
FAMILY := [ inet | inet6 | mpls | bridge | link ]
OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]
           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]
           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]
           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]
           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]
           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]
           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]
TYPE := { unicast | local | broadcast | multicast | throw |
          unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
SCOPE := [ host | link | global | NUMBER ]
NHFLAGS := [ onlink | pervasive ]
RTPROTO := [ kernel | boot | static | NUMBER ]
PREF := [ low | medium | high ]
TIME := NUMBER[s|ms]
BOOL := [1|0]
FEATURES := ecn
ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 | xfrm ]
ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR | XFRMINFO ]
SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]
SEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]
SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]
ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |
            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |
            End.BM | End.S | End.AS | End.AM | End.BPF }
OPTIONS := OPTION [ OPTIONS ]
OPTION := { flavors FLAVORS | srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |
            table TABLEID | vrftable TABLEID | endpoint PROGNAME }
FLAVORS := { FLAVOR[,FLAVOR] }
FLAVOR := { psp | usp | usd | next-csid }
IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE
XFRMINFO := if_id IF_ID [ link_dev LINK ]
ROUTE_GET_FLAGS := [ fibmatch ]`;

/** do_iproute's verbs in its order: a word is the first verb it is a prefix of (iproute2's `matches()`). */
const VERBS: [string, RouteVerb | 'get' | 'list' | 'unsupported'][] = [
  ['add', 'add'],
  ['change', 'change'],
  ['chg', 'change'],
  ['replace', 'replace'],
  ['prepend', 'unsupported'],
  ['append', 'unsupported'],
  ['test', 'unsupported'],
  ['delete', 'delete'],
  ['list', 'list'],
  ['show', 'list'],
  ['lst', 'list'],
  ['get', 'get'],
  ['flush', 'unsupported'],
  ['save', 'unsupported'],
  ['restore', 'unsupported'],
  ['showdump', 'unsupported'],
];

/** The verb `word` names (`a`, `del`, `rep`…); undefined for a word that is none. */
function routeVerb(word: string): RouteVerb | 'get' | 'list' | 'unsupported' | undefined {
  return VERBS.find(([full]) => (full === 'chg' ? word === 'chg' : word.length > 0 && full.startsWith(word)))?.[1];
}

/** Whether `ip route WORD …` changes or queries the table (`add`, `del`, `get`…) rather than lists it. */
export function isRouteCommand(word: string | undefined): word is string {
  const verb = word === undefined ? undefined : routeVerb(word);
  return verb !== undefined && verb !== 'list';
}

const INCOMPLETE = 'Command line is not complete. Try option "help"';
const invalidArg = (value: string, what: string): CommandResult => fail(`Error: argument "${value}" is wrong: "${what}" value is invalid\n\n`, 255);
const notSimulated = (word: string): CommandResult =>
  fail(`netsim: ip route: "${word}" is not simulated (the simulator takes: to, PREFIX, via, dev, metric, proto, src, table main)`, 1);

const UNSUPPORTED_TYPES = new Set(['local', 'broadcast', 'multicast', 'throw', 'unreachable', 'prohibit', 'blackhole', 'nat', 'anycast']);
const PROTOS = new Set(['boot', 'static', 'kernel', 'dhcp']);

/** PREFIX as iproute2 reads it: `default`/`all`/`any`, `a.b.c.d`, `a.b.c.d/len`. */
function parsePrefix(word: string): { dst: number; prefixLen: number } | undefined {
  if (word === 'default' || word === 'all' || word === 'any') return { dst: 0, prefixLen: 0 };
  const [addr = '', len, ...more] = word.split('/');
  const dst = tryParseIPv4(addr);
  if (dst === undefined || more.length) return undefined;
  if (len === undefined) return { dst, prefixLen: 32 };
  if (!/^\d{1,2}$/.test(len) || Number(len) > 32) return undefined;
  return { dst, prefixLen: Number(len) };
}

/** The words after the verb as iproute_modify reads them; a CommandResult is iproute2's refusal. */
function parseRoute(words: string[], ns: Netns): RouteRequest | CommandResult {
  let prefix: { dst: number; prefixLen: number } | undefined;
  const req: Omit<RouteRequest, 'dst' | 'prefixLen'> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = (): string | undefined => words[++i];
    if (w === 'via') {
      let a = next();
      if (a === 'inet') a = next();
      if (a === undefined) return fail(INCOMPLETE, 255);
      if (a === 'inet6' || a === 'mpls' || a === 'bridge' || a === 'link') return notSimulated(`via ${a}`);
      const via = tryParseIPv4(a);
      if (via === undefined) return fail(`Error: inet address is expected rather than "${a}".`, 1);
      req.via = via;
    } else if (w === 'dev' || w === 'oif') {
      const d = next();
      if (d === undefined) return fail(INCOMPLETE, 255);
      if (!ns.links.some((l) => l.name === d)) return fail(`Cannot find device "${d}"`, 1);
      req.dev = d;
    } else if (w === 'metric' || w === 'priority' || w === 'preference') {
      const m = next();
      if (m === undefined) return fail(INCOMPLETE, 255);
      if (!/^\d+$/.test(m) || Number(m) > 0xffffffff) return invalidArg(m, 'metric');
      req.metric = Number(m);
    } else if (w === 'table') {
      const t = next();
      if (t === undefined) return fail(INCOMPLETE, 255);
      if (t !== 'main' && t !== '254') return /^(local|default|all|\d+)$/.test(t) ? notSimulated(`table ${t}`) : invalidArg(t, 'table');
    } else if (w === 'proto' || w === 'protocol') {
      const p = next();
      if (p === undefined) return fail(INCOMPLETE, 255);
      if (!PROTOS.has(p)) return /^\d+$/.test(p) ? notSimulated(`proto ${p}`) : invalidArg(p, 'protocol');
      req.proto = p as RouteRequest['proto'];
    } else if (w === 'src') {
      const a = next();
      if (a === undefined) return fail(INCOMPLETE, 255);
      const src = tryParseIPv4(a);
      if (src === undefined) return fail(`Error: inet address is expected rather than "${a}".`, 1);
      req.src = src;
    } else if (w === 'unicast') {
      // the default type
    } else if (UNSUPPORTED_TYPES.has(w) || (/^[a-z][a-z_-]*$/.test(w) && w !== 'to' && w !== 'default' && w !== 'all' && w !== 'any')) {
      // Route types other than unicast, and options the simulator does not model (scope, onlink, mtu, …).
      return notSimulated(w);
    } else {
      const word = w === 'to' ? next() : w;
      if (word === undefined) return fail(INCOMPLETE, 255);
      if (prefix) return fail(`Error: either "to" is duplicate, or "${word}" is a garbage.`, 255);
      prefix = parsePrefix(word);
      if (!prefix) return fail(`Error: any valid prefix is expected rather than "${word}".`, 1);
    }
  }
  if (!prefix) return fail(USAGE, 255);
  return { ...prefix, ...req };
}

/**
 * `ip route VERB …` in `io`'s context (VERB one isRouteCommand accepts). Changing routes needs
 * root (the student's terminals are not: `sudo`), and only the workstation's change.
 */
export function ipRouteChange(verbWord: string, words: string[], ns: Netns, io: CommandIO): CommandResult {
  const found = routeVerb(verbWord);
  const verb = found === undefined || found === 'list' ? 'unsupported' : found;
  // The student (uid 1000) on their terminals, unless through sudo; root on a node after ssh and
  // in a container, where root has no CAP_NET_ADMIN.
  const student = (io.ctx.kind === 'host' || io.ctx.kind === 'workstation') && io.sudo !== true;
  if (verb === 'get') {
    const addr = words.filter((w) => w !== 'to' && w !== 'fibmatch')[0];
    if (addr === undefined) return fail(USAGE, 255);
    const out = ipRouteGet(ns, addr);
    return ok(student ? out.replace(' uid 0 ', ' uid 1000 ') : out);
  }
  if (verb === 'unsupported') return fail(`netsim: ip route ${verbWord}: not simulated (ip route add, change, replace, delete, get and show are)`, 1);
  if (student || (io.ctx.kind === 'pod' && io.ctx.container)) return fail('RTNETLINK answers: Operation not permitted', 2);
  const req = parseRoute(words, ns);
  if ('stdout' in req) return req;
  if (io.ctx.kind !== 'workstation') return fail(`netsim: ip route ${verb}: only the workstation's routes can be changed in the simulator (a node's routes are its CNI's)`, 1);
  const r = changeWorkstationRoutes(io.state, verb, req);
  return 'state' in r ? ok('', { state: r.state }) : fail(r.error, r.exitCode);
}
