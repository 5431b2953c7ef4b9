// Which backend ingress-nginx sends a request to, given every Ingress of its class. Pure: the
// caller picks the Ingresses (by class) and turns the decision into a connection.
//
// The model follows how ingress-nginx builds its nginx configuration
// (internal/ingress/controller/controller.go createServers / getBackendServers, location.go
// updateServerLocations, template buildServerName) and how nginx then picks a server and a
// location:
//
// - Ingresses are processed oldest first (creationTimestamp; on a tie ingress-nginx's
//   sortIngressSlice puts the *greater* "namespace/name" first).
// - One nginx server per distinct rule host, plus the catch-all server `_` that holds the rules
//   without a host. A request goes to the server of its exact host, else to the one wildcard
//   server that matches (ingress-nginx writes `*.foo.com` as the regex `^[\w-]+\.foo\.com$`, so
//   exactly one extra label), else to `_`. A host-less rule never serves a host that has its
//   own server.
// - Every server starts with a root location `/` that sends to the default backend: the
//   `defaultBackend` of the (oldest) Ingress that created the server, else the controller's
//   own default backend (404). On `_` it is the oldest Ingress that has a defaultBackend and no
//   rules at all; that one also wins `/` over host-less `/` rules.
// - Locations are keyed by (path, pathType): the first Ingress to claim one keeps it; a path
//   only replaces the root default location. An empty path is `/`. Paths whose backend is a
//   resource (not a Service) are skipped, as are resource default backends.
// - pathType ImplementationSpecific is rewritten to Prefix (ingress-nginx's
//   SetDefaultNGINXPathType, since v0.41), so it matches element-wise like Prefix, not as a
//   plain string prefix. (Annotations such as use-regex / rewrite-target, which turn locations
//   into regexes, are not modelled.)
// - Prefix `/foo` becomes nginx `location /foo/` plus `location = /foo` (unless an Exact `/foo`
//   exists); Prefix `/foo/` stays `location /foo/`; Exact is `location = ...`. nginx then
//   takes an exact location equal to the URI, else a prefix location equal to it, else — for a
//   location named URI + "/" — answers 301 to URI + "/" (reported as `redirect`), else the
//   longest prefix location.
// The net effect is the Kubernetes rule (longest match, Exact before Prefix on a tie,
// element-wise Prefix with trailing slashes ignored) with nginx's redirect on top.

import type { Ingress, IngressBackend } from '../../api/types.js';

export interface IngressRequest {
  /** The Host header (a port and a trailing dot are ignored; case-insensitive). */
  host: string;
  /** The request target's path; a query string is ignored. */
  path: string;
}

export interface IngressDecision {
  ingress: { namespace: string; name: string };
  /** Index into spec.rules of the rule that matched (absent when the Ingress's defaultBackend serves). */
  ruleIndex?: number;
  /** Index into that rule's http.paths. */
  pathIndex?: number;
  /** The rule's host as written (absent for a host-less rule). */
  host?: string;
  /** The path as written in the Ingress (absent when empty). */
  path?: string;
  /** The pathType as written in the Ingress. */
  pathType?: string;
  /** Always a Service backend: ingress-nginx ignores resource backends. */
  backend: IngressBackend;
  /** Namespace of the backend Service (the Ingress's own). */
  namespace: string;
  /** A sentence for the learner. */
  reason: string;
  /**
   * ingress-nginx first answers `301 Moved Permanently` to this path (the request lacked the
   * trailing slash of the matching location); following it reaches `backend`.
   */
  redirect?: string;
}

type NginxType = 'Exact' | 'Prefix';

interface Location {
  /** nginx path before updateServerLocations (the Ingress path, `/` when empty). */
  path: string;
  type: NginxType;
  /** Undefined: the controller's default backend. */
  source?: { ing: Ingress; ruleIndex?: number; pathIndex?: number; backend: IngressBackend };
  /** The root location still holding a default backend (a rule path may take it over). */
  isDefault: boolean;
}

interface Server {
  /** '' for the catch-all server `_`. */
  host: string;
  locations: Location[];
}

const ROOT = '/';

function creationTime(ing: Ingress): number {
  const t = Date.parse(ing.metadata.creationTimestamp);
  return Number.isNaN(t) ? 0 : t;
}

function key(ing: Ingress): string {
  return `${ing.metadata.namespace ?? ''}/${ing.metadata.name}`;
}

/** ingress-nginx's processing order: oldest first; equal times by namespace/name, descending. */
export function sortIngressesForNginx(ingresses: readonly Ingress[]): Ingress[] {
  return [...ingresses].sort((a, b) => {
    const d = creationTime(a) - creationTime(b);
    if (d !== 0) return d;
    const ka = key(a);
    const kb = key(b);
    return ka > kb ? -1 : ka < kb ? 1 : 0;
  });
}

/** The distinct hosts an Ingress's rules name, in rule order (host-less rules left out). */
export function ingressHosts(ing: Ingress): string[] {
  const out: string[] = [];
  for (const r of ing.spec.rules ?? []) if (r.host && !out.includes(r.host)) out.push(r.host);
  return out;
}

function serviceBackend(b: IngressBackend | undefined): IngressBackend | undefined {
  return b?.service ? b : undefined;
}

function rootDefault(ing?: Ingress): Location {
  const backend = serviceBackend(ing?.spec.defaultBackend);
  return { path: ROOT, type: 'Prefix', isDefault: true, source: ing && backend ? { ing, backend } : undefined };
}

function buildServers(sorted: readonly Ingress[]): Map<string, Server> {
  const servers = new Map<string, Server>();
  const catchAll: Server = { host: '', locations: [rootDefault()] };
  servers.set('', catchAll);
  for (const ing of sorted) {
    const rules = ing.spec.rules ?? [];
    const backend = serviceBackend(ing.spec.defaultBackend);
    const root = catchAll.locations[0]!;
    // An Ingress with a defaultBackend and no rules configures the catch-all server for good.
    if (backend && rules.length === 0 && root.isDefault && !root.source) {
      catchAll.locations[0] = { path: ROOT, type: 'Prefix', isDefault: false, source: { ing, backend } };
    }
    for (const rule of rules) {
      const host = rule.host ?? '';
      if (!servers.has(host)) servers.set(host, { host, locations: [rootDefault(ing)] });
    }
  }
  for (const ing of sorted) {
    (ing.spec.rules ?? []).forEach((rule, ruleIndex) => {
      const server = servers.get(rule.host ?? '')!;
      (rule.http?.paths ?? []).forEach((p, pathIndex) => {
        const backend = serviceBackend(p.backend);
        if (!backend) return;
        const path = p.path || ROOT;
        const type: NginxType = p.pathType === 'Exact' ? 'Exact' : 'Prefix';
        const source = { ing, ruleIndex, pathIndex, backend };
        const existing = server.locations.findIndex((l) => l.path === path && l.type === type);
        if (existing < 0) server.locations.push({ path, type, isDefault: false, source });
        else if (server.locations[existing]!.isDefault) server.locations[existing] = { path, type, isDefault: false, source };
        // Otherwise an older Ingress (or an earlier path) already owns this location.
      });
    });
  }
  return servers;
}

interface NginxLocation {
  name: string;
  exact: boolean;
  loc: Location;
}

/** updateServerLocations + buildLocation: the nginx `location` blocks of a server. */
function nginxLocations(server: Server): NginxLocation[] {
  const exactPaths = new Set(server.locations.filter((l) => l.type === 'Exact').map((l) => l.path));
  const out: NginxLocation[] = [];
  for (const loc of server.locations) {
    if (loc.type === 'Exact') out.push({ name: loc.path, exact: true, loc });
    else if (loc.path === ROOT || loc.path.endsWith('/')) out.push({ name: loc.path, exact: false, loc });
    else {
      out.push({ name: `${loc.path}/`, exact: false, loc });
      if (!exactPaths.has(loc.path)) out.push({ name: loc.path, exact: true, loc });
    }
  }
  return out;
}

/** nginx's static location search, for one normalized URI. */
function findLocation(locations: readonly NginxLocation[], uri: string): { loc: Location; redirect?: string } {
  const exact = locations.find((l) => l.exact && l.name === uri);
  if (exact) return { loc: exact.loc };
  const same = locations.find((l) => !l.exact && l.name === uri);
  if (same) return { loc: same.loc };
  const slashed = locations.find((l) => l.name === `${uri}/`);
  if (slashed) return { loc: slashed.loc, redirect: `${uri}/` };
  let best: NginxLocation | undefined;
  for (const l of locations) {
    if (!l.exact && uri.startsWith(l.name) && (!best || l.name.length > best.name.length)) best = l;
  }
  // The root location `/` always exists, so something matches.
  return { loc: best!.loc };
}

/** Host header → the name nginx compares: no port, no trailing dot, lower case. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) h = h.slice(0, h.indexOf(']') + 1);
  else h = h.replace(/:\d*$/, '');
  return h.replace(/\.$/, '');
}

/**
 * The URI nginx matches locations against: without query or fragment, percent-decoded,
 * repeated slashes merged (merge_slashes on), `.` and `..` segments resolved.
 */
export function normalizePath(path: string): string {
  let p = path.replace(/[?#].*$/s, '');
  try {
    p = decodeURIComponent(p);
  } catch {
    // Malformed escapes are matched as they are.
  }
  if (!p.startsWith('/')) p = `/${p}`;
  p = p.replace(/\/{2,}/g, '/');
  const out: string[] = [];
  const segments = p.split('/').slice(1);
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg === '.' || seg === '..') {
      if (seg === '..') out.pop();
      // A trailing dot segment still names a directory.
      if (last) out.push('');
      return;
    }
    out.push(seg);
  });
  return `/${out.join('/')}`;
}

/** ingress-nginx's server_name for a wildcard host: one DNS label in place of `*`. */
function wildcardMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1).toLowerCase();
  if (!host.endsWith(suffix)) return false;
  return /^[A-Za-z0-9_-]+$/.test(host.slice(0, host.length - suffix.length));
}

/** True when a rule host (exact or `*.` wildcard) matches a request host, as ingress-nginx sees it. */
export function hostMatches(ruleHost: string, requestHost: string): boolean {
  const host = normalizeHost(requestHost);
  return ruleHost.startsWith('*.') ? wildcardMatches(ruleHost, host) : ruleHost.toLowerCase() === host;
}

function pickServer(servers: Map<string, Server>, host: string): Server {
  // A Host of "*.foo.com" is not a name: nginx only knows the wildcard as a regex.
  if (host !== '' && !host.includes('*') && servers.has(host)) return servers.get(host)!;
  const names = [...servers.keys()].filter((h) => h.startsWith('*.')).sort();
  const wildcard = names.find((h) => wildcardMatches(h, host));
  return servers.get(wildcard ?? '')!;
}

const q = JSON.stringify;

function describePath(declared: string | undefined, pathType: string): string {
  if (pathType !== 'ImplementationSpecific') return `path ${q(declared ?? '')} (${pathType})`;
  // ingress-nginx rewrites ImplementationSpecific to Prefix and an empty path to "/".
  return declared ? `path ${q(declared)} (ImplementationSpecific, matched as Prefix)` : `the empty path (ImplementationSpecific, matched as Prefix "/")`;
}

function hostPhrase(server: Server, requestHost: string): string {
  if (server.host === '') return requestHost ? `no rule names host ${q(requestHost)}` : 'the request has no Host';
  if (server.host.startsWith('*.')) return `host ${q(requestHost)} matched the wildcard ${q(server.host)}`;
  return `host ${q(requestHost)} matched`;
}

/**
 * The backend ingress-nginx picks for a request among `ingresses` (all of the controller's
 * class), or undefined when its own default backend answers (404).
 */
export function routeIngress(ingresses: readonly Ingress[], req: IngressRequest): IngressDecision | undefined {
  const servers = buildServers(sortIngressesForNginx(ingresses));
  const host = normalizeHost(req.host);
  const uri = normalizePath(req.path);
  const server = pickServer(servers, host);
  const { loc, redirect } = findLocation(nginxLocations(server), uri);
  const src = loc.source;
  if (!src) return undefined;
  const ing = src.ing;
  const namespace = ing.metadata.namespace ?? '';
  const ref = `Ingress ${namespace}/${ing.metadata.name}`;
  const base = { ingress: { namespace, name: ing.metadata.name }, backend: src.backend, namespace };

  if (src.ruleIndex === undefined || src.pathIndex === undefined) {
    // The root location still holds a defaultBackend.
    const why =
      server.host === ''
        ? `${hostPhrase(server, host)} and no host-less rule path matches ${q(uri)}; ${ref} has only a defaultBackend, which serves every such request`
        : `${hostPhrase(server, host)} (first named by ${ref}) but no path matches ${q(uri)}; that Ingress's defaultBackend serves it`;
    return { ...base, ...(server.host ? { host: server.host } : {}), reason: why };
  }

  const rule = ing.spec.rules![src.ruleIndex]!;
  const p = rule.http!.paths[src.pathIndex]!;
  const rulePart =
    server.host === '' ? `${hostPhrase(server, host)}, so the host-less rule ${src.ruleIndex} of ${ref} applies` : `${hostPhrase(server, host)} rule ${src.ruleIndex} of ${ref}`;
  const pathPart = p.pathType === 'Exact' ? `${describePath(p.path, p.pathType)} equals ${q(uri)}` : `${describePath(p.path, p.pathType)} is the longest match for ${q(uri)}`;
  const redirectPart = redirect ? `; ingress-nginx first redirects to ${q(redirect)} (301)` : '';
  return {
    ...base,
    ruleIndex: src.ruleIndex,
    pathIndex: src.pathIndex,
    ...(rule.host ? { host: rule.host } : {}),
    ...(p.path ? { path: p.path } : {}),
    pathType: p.pathType,
    reason: `${rulePart}; ${pathPart}${redirectPart}`,
    ...(redirect ? { redirect } : {}),
  };
}
