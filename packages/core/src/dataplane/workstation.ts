// The workstation's routing table as the student edits it (`sudo ip route add|change|replace|del`
// on `student@workstation`): pure transitions on `state.workstationRoutes`, answering what the
// kernel answers iproute2 (its errors are what `ip` prints, checked against Linux 6.x with
// iproute2 6.1). The routes are state because the lab host is part of the lab: the walker routes
// the workstation's own packets by them, and what it forwards from the internet into the lab.
//
// The table the kernel checks against is the workstation's: its node-network route (`192.168.56.0/24
// dev eth0 proto kernel scope link`, which is not changed here) and the routes added so far. A
// route is identified as the kernel identifies it: destination, prefix length and metric.

import { broadcastOf, cidrToString, inSubnet, ipToString, prefixMask } from '../net/ipv4.js';
import type { ClusterState, WorkstationRoute } from '../state/types.js';
import { produce } from '../util/immer.js';
import { workstationNetns, workstationRoute } from './netns.js';
import { routeText } from './route.js';
import type { Route } from './types.js';

/** `ip route add` (create, refuse a duplicate), `change` (only an existing one), `replace` (either), `delete`. */
export type RouteVerb = 'add' | 'change' | 'replace' | 'delete';

/** A route as `ip route VERB …` was given it: parsed, not yet checked against the table. */
export interface RouteRequest {
  /** Destination network (uint32) and prefix length; 0/0 is `default`. */
  dst: number;
  prefixLen: number;
  /** `via`: the gateway. */
  via?: number;
  /** `dev`. */
  dev?: string;
  /** `metric`; for `delete`, absent matches any. */
  metric?: number;
  proto?: 'boot' | 'static' | 'kernel' | 'dhcp';
  /** `src`: the preferred source address. */
  src?: number;
}

/** The next state, or what `ip` prints and its exit status. */
export type RouteChange = { state: ClusterState } | { error: string; exitCode: number };

const kernel = (error: string): RouteChange => ({ error, exitCode: 2 });
const INVALID_GATEWAY = kernel('Error: Nexthop has invalid gateway.');

function stored(req: RouteRequest, dev: string): WorkstationRoute {
  const r: WorkstationRoute =
    req.via !== undefined ? { dst: cidrToString(req.dst, req.prefixLen), via: ipToString(req.via), dev } : { dst: cidrToString(req.dst, req.prefixLen), dev };
  if (req.metric) r.metric = req.metric;
  if (req.proto !== undefined && req.proto !== 'boot') r.proto = req.proto;
  if (req.src !== undefined) r.src = ipToString(req.src);
  return r;
}

/** `ip route VERB …` on the workstation: the next state, or the kernel's refusal. */
export function changeWorkstationRoutes(state: ClusterState, verb: RouteVerb, req: RouteRequest): RouteChange {
  if (req.prefixLen < 32 && (req.dst & ~prefixMask(req.prefixLen)) >>> 0 !== 0) return kernel('Error: Invalid prefix for given prefix length.');
  const ns = workstationNetns(state);
  const added = state.workstationRoutes ?? [];
  // The main table: the workstation's own node-network route (index -1), then the added ones.
  const own = ns.routes.filter((r) => r.table === 'main' && r.proto === 'kernel');
  const table = [...own.map((route) => ({ route, i: -1 })), ...added.map((r, i) => ({ route: workstationRoute(r), i }))];
  const write = (next: WorkstationRoute[]): RouteChange => ({
    state: produce(state, (d) => {
      if (next.length) d.workstationRoutes = next;
      else delete d.workstationRoutes;
    }),
  });
  const notSimulated = (r: Route): RouteChange => ({
    error: `netsim: ip route: the workstation's own route (${routeText(r)}) comes with its address; changing it is not simulated`,
    exitCode: 1,
  });

  if (verb === 'delete') {
    // The first entry the selectors match, in the kernel's order (the lowest metric first).
    const hit = table
      .filter(({ route: r }) => r.dst === req.dst && r.prefixLen === req.prefixLen)
      .sort((a, b) => (a.route.metric ?? 0) - (b.route.metric ?? 0))
      .find(
        ({ route: r }) =>
          (req.metric === undefined || (r.metric ?? 0) === req.metric) &&
          (req.via === undefined || r.gateway === req.via) &&
          (req.dev === undefined || r.dev === req.dev) &&
          (req.proto === undefined || (r.proto ?? 'boot') === req.proto),
      );
    if (!hit) return kernel('RTNETLINK answers: No such process');
    if (hit.i < 0) return notSimulated(hit.route);
    return write(added.filter((_, j) => j !== hit.i));
  }

  if (req.dev === 'lo') return { error: 'netsim: ip route: routes out of lo are not simulated on the workstation', exitCode: 1 };
  if (req.via === undefined && req.dev === undefined) return kernel('RTNETLINK answers: No such device');
  let dev = req.dev ?? 'eth0';
  if (req.via !== undefined) {
    // fib_check_nh_v4_gw: the gateway must be on a link (a route without a gateway covers it) and
    // not a broadcast address. (The kernel also takes a loopback gateway out of lo: not simulated.)
    const via = req.via;
    const link = table.find(({ route: r }) => r.gateway === undefined && inSubnet(via, r.dst, r.prefixLen) && (req.dev === undefined || r.dev === req.dev));
    const brd = link !== undefined && link.i < 0 && link.route.prefixLen < 31 && via === broadcastOf(link.route.dst, link.route.prefixLen);
    if (!link || brd) return INVALID_GATEWAY;
    dev = link.route.dev;
  }
  if (req.src !== undefined && !ns.addresses.some((a) => a.ip === req.src && a.label !== 'lo')) return kernel('Error: Invalid prefsrc address.');
  const existing = table.find(({ route: r }) => r.dst === req.dst && r.prefixLen === req.prefixLen && (r.metric ?? 0) === (req.metric ?? 0));
  if (verb === 'add' && existing) return kernel('RTNETLINK answers: File exists');
  if (verb === 'change' && !existing) return kernel('RTNETLINK answers: No such file or directory');
  const route = stored(req, dev);
  if (!existing) return write([...added, route]);
  if (existing.i < 0) return notSimulated(existing.route);
  return write(added.map((r, j) => (j === existing.i ? route : r)));
}
