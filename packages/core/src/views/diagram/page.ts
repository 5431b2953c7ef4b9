// The topology as one self-contained HTML page (inline CSS and JS, nothing fetched): click a
// source (a pod, a node, the outside) and then a destination (a pod, a Service port, a NodePort,
// an LB IP, an Ingress host) and the page shows that trace, as text (formatTrace) and as a
// diagram (traceSvg). The page runs no simulator: traces are computed here, at generation time,
// for a bounded set of pairs, and embedded as JSON.
//
// The pairs: sources are the outside (the lab host), each node and one pod-network pod per node;
// destinations are every Service port's ClusterIP, NodePorts (on the first node), LB IPs,
// Ingress hosts, then every drawn pod. At most `maxTraces` pairs (default 800) are traced,
// destination by destination; the page says so for a pair beyond that.

import { trace, TraceError } from '../../packet/walker.js';
import type { Proto, TraceRequest, TraceResult } from '../../packet/types.js';
import type { ClusterState } from '../../state/types.js';
import { formatTrace } from '../trace/format.js';
import { topology, topologySvg, type TopologyModel, type TopologyOptions } from './topology.js';
import { traceSvg } from './trace.js';

export interface TopologyPageOptions extends TopologyOptions {
  /** Follow a trace up to HTTP for Ingress hosts (the CLI passes withHttp); without it, Ingress rules are not destinations. */
  http?: (r: TraceResult, host: string) => TraceResult;
  /** Most (source, destination) pairs traced (default 800). */
  maxTraces?: number;
}

interface Destination {
  id: string;
  ip: string;
  port?: number;
  proto: Proto;
  http?: string;
}

/** One embedded trace: its text and its diagram (absent when traceSvg failed). */
export interface PageTrace {
  verdict: string;
  text: string;
  svg?: string;
}

function sources(m: TopologyModel): { id: string; from: TraceRequest['from'] }[] {
  const out: { id: string; from: TraceRequest['from'] }[] = [{ id: 'external', from: { external: m.gateway } }];
  for (const n of m.nodes) {
    out.push({ id: n.id, from: { node: n.name } });
    const pod = n.pods.find((p) => !p.hostNetwork && p.ip !== undefined);
    if (pod) out.push({ id: pod.id, from: { pod: `${pod.namespace}/${pod.name}` } });
  }
  return out;
}

function destinations(m: TopologyModel, withHttp: boolean): Destination[] {
  const out: Destination[] = [];
  const firstNodeIP = m.nodes.find((n) => n.ip !== undefined)?.ip;
  let ingressTarget: { ip: string; port: number } | undefined;
  for (const ns of m.namespaces) {
    for (const s of ns.services) {
      for (const p of s.ports) {
        if (s.clusterIP) out.push({ id: p.id, ip: s.clusterIP, port: p.port, proto: p.proto });
        if (p.nodePort && firstNodeIP) out.push({ id: p.nodePort.id, ip: firstNodeIP, port: p.nodePort.port, proto: p.proto });
        for (const l of p.lb) out.push({ id: l.id, ip: l.ip, port: p.port, proto: p.proto });
        if (ns.name === 'ingress-nginx' && s.name === 'ingress-nginx-controller' && p.port === 80 && p.proto === 'tcp')
          ingressTarget = p.lb[0] ? { ip: p.lb[0].ip, port: 80 } : s.clusterIP ? { ip: s.clusterIP, port: 80 } : undefined;
      }
    }
  }
  if (withHttp && ingressTarget) {
    for (const r of m.ingress) out.push({ id: r.id, ...ingressTarget, proto: 'tcp', http: `${r.host === '*' ? 'example.com' : r.host}${r.path}` });
  }
  for (const n of m.nodes) {
    for (const p of n.pods) {
      if (p.ip === undefined) continue;
      out.push(p.port ? { id: p.id, ip: p.ip, port: p.port.port, proto: p.port.proto } : { id: p.id, ip: p.ip, proto: 'icmp' });
    }
  }
  return out;
}

function traceOne(state: ClusterState, from: TraceRequest['from'], d: Destination, http: TopologyPageOptions['http']): PageTrace {
  try {
    let r = trace(state, { from, to: d.port !== undefined ? { ip: d.ip, port: d.port } : { ip: d.ip }, proto: d.proto });
    if (d.http !== undefined && http) r = http(r, d.http);
    let svg: string | undefined;
    try {
      // Inline in HTML: without the XML declaration, which only a standalone file needs.
      svg = traceSvg(r).replace(/^<\?xml[^>]*\?>\s*/, '');
    } catch {
      svg = undefined; // trace diagrams not available: the page shows the text alone
    }
    return { verdict: r.verdict, text: formatTrace(r), ...(svg !== undefined ? { svg } : {}) };
  } catch (e) {
    if (e instanceof TraceError) return { verdict: 'error', text: `netsim: ${e.message}\n` };
    throw e;
  }
}

/** JSON inside a <script>: `<` escaped so no `</script>` (or `<!--`) can close it. */
const scriptJson = (v: unknown): string =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** The page: topology SVG, trace panel, embedded traces and the script that joins them. */
export function topologyHtml(state: ClusterState, opts: TopologyPageOptions = {}): string {
  const m = topology(state, opts);
  const svg = topologySvg(state, { ...opts, interactive: true });
  const srcs = sources(m);
  const dsts = destinations(m, opts.http !== undefined);
  const max = opts.maxTraces ?? 800;
  const traces: Record<string, PageTrace> = {};
  let count = 0;
  // Destination by destination (Services before pods), every source for each: when the bound
  // cuts, what is left out is pods deep in a big cluster, not a whole source.
  for (const d of dsts) {
    for (const s of srcs) {
      if (count >= max) break;
      traces[`${s.id}|${d.id}`] = traceOne(state, s.from, d, opts.http);
      count += 1;
    }
  }
  const data = {
    sources: srcs.map((s) => s.id),
    destinations: dsts.map((d) => ({ id: d.id, to: `${d.ip}${d.port !== undefined ? `:${d.port}` : ''} ${d.proto}${d.http ? ` http://${d.http}` : ''}` })),
    traces,
  };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>k8s-netsim topology</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>Cluster topology</h1>
<p id="hint" aria-live="polite">Pick a source (a pod, a node or the outside), then a destination.</p>
<p>Source: <output id="source">none</output> · Destination: <output id="destination">none</output> <button id="reset" type="button">Reset</button></p>
</header>
<main>
<section id="topology" aria-label="cluster topology">
${svg}</section>
<section id="trace" aria-label="trace">
<h2>Trace</h2>
<pre id="trace-text">No trace selected.</pre>
<div id="trace-diagram"></div>
</section>
</main>
<script type="application/json" id="netsim-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const CSS = [
  'body{font:14px system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}',
  'header{padding:8px 16px;border-bottom:1px solid #ddd;background:#fff}',
  'h1{font-size:18px;margin:4px 0}',
  'main{display:flex;flex-wrap:wrap;gap:16px;padding:16px}',
  '#topology{overflow:auto;max-width:100%;border:1px solid #ddd;background:#fff}',
  '#trace{flex:1 1 480px;min-width:360px;max-width:100%}',
  '#trace-text{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:8px;font-size:12px;max-height:45vh;overflow:auto}',
  '#trace-diagram{overflow:auto;max-width:100%;max-height:60vh;border:1px solid #ddd;background:#fff}',
  '[data-endpoint]{cursor:pointer}',
  '[data-endpoint]:focus{outline:none}',
  '[data-endpoint]:focus>rect,[data-endpoint]:hover>rect{stroke:#d9480f;stroke-width:3}',
  '[data-endpoint].selected-source>rect{fill:#ffd8a8;stroke:#d9480f;stroke-width:3}',
  '[data-endpoint].selected-destination>rect{fill:#a5d8ff;stroke:#1c7ed6;stroke-width:3}',
  'button:focus-visible{outline:3px solid #d9480f}',
].join('\n');

// The page's script: plain ES2017, no modules, nothing fetched.
const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('netsim-data').textContent);
  var sources = new Set(data.sources);
  var dests = {};
  data.destinations.forEach(function (d) { dests[d.id] = d; });
  var source = null;
  var hint = document.getElementById('hint');
  var text = document.getElementById('trace-text');
  var diagram = document.getElementById('trace-diagram');
  function mark(cls, id) {
    document.querySelectorAll('.' + cls).forEach(function (e) { e.classList.remove(cls); });
    if (id) document.querySelectorAll('[data-endpoint="' + CSS.escape(id) + '"]').forEach(function (e) { e.classList.add(cls); });
  }
  function reset() {
    source = null;
    mark('selected-source', null);
    mark('selected-destination', null);
    document.getElementById('source').textContent = 'none';
    document.getElementById('destination').textContent = 'none';
    hint.textContent = 'Pick a source (a pod, a node or the outside), then a destination.';
  }
  function choose(id) {
    if (source === null) {
      if (!sources.has(id)) { hint.textContent = id + ' is not a precomputed source: pick the outside, a node, or a pod marked as a source.'; return; }
      source = id;
      mark('selected-source', id);
      mark('selected-destination', null);
      document.getElementById('source').textContent = id;
      document.getElementById('destination').textContent = 'none';
      hint.textContent = 'Source ' + id + ': now pick a destination.';
      return;
    }
    var d = dests[id];
    if (!d) { hint.textContent = id + ' is not a destination: pick a pod, a Service port, a NodePort, an LB IP or an Ingress rule.'; return; }
    mark('selected-destination', id);
    document.getElementById('destination').textContent = id + ' (' + d.to + ')';
    var t = data.traces[source + '|' + id];
    if (!t) { text.textContent = 'Not precomputed: ' + source + ' → ' + id + ' (the page holds a bounded number of traces).'; diagram.textContent = ''; }
    else {
      text.textContent = t.text;
      if (t.svg) diagram.innerHTML = t.svg; else diagram.textContent = '(no trace diagram available)';
    }
    hint.textContent = 'Trace ' + source + ' → ' + id + ': ' + (t ? t.verdict : 'not precomputed') + '. Pick another source to start again.';
    source = null;
  }
  document.querySelectorAll('[data-endpoint]').forEach(function (e) {
    var id = e.getAttribute('data-endpoint');
    if (sources.has(id)) e.classList.add('source');
    e.addEventListener('click', function () { choose(id); });
    e.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); choose(id); }
    });
  });
  document.getElementById('reset').addEventListener('click', reset);
})();
`;
