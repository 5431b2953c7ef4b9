// The cluster's topology as a picture: the node network (the lab host and router), each node
// with eth0, flannel.1, cni0 and its pods on their host veths, the Services (ClusterIP,
// NodePorts, LB IPs) with edges to their endpoint pods, and Ingress rules → Services.
//
//   state ──topology()──▶ TopologyModel ──┬─▶ topologyMermaid()  (flowchart text)
//                                          └─▶ topologySvg()      (SVG laid out here, no browser)
//
// Large clusters stay legible by collapsing: past `maxPodsPerNode` pods a node shows one summary
// box ("+ 37 pods"), past `maxServicesPerNamespace` a namespace's Services are one summary row;
// Services are grouped by namespace. Endpoint edges to a collapsed pod go to its node's summary.
// Every clickable item carries an endpoint id (`pod:ns/name`, `node:NAME`, `external`,
// `svc:ns/name:PORT/PROTO`, `nodeport:ns/name:PORT/PROTO`, `lb:IP:PORT/PROTO`, `ingress:HOST/PATH`),
// which the page (page.ts) uses to look traces up.

import type { Protocol } from '../../api/types.js';
import { xmlText } from './trace-svg.js';
import { nodeInternalIP } from '../../state/queries.js';
import { getAgent } from '../../state/store.js';
import type { ClusterState } from '../../state/types.js';

export interface TopologyOptions {
  /** Pods drawn one by one per node; the rest become one "+ N pods" box (default 8). */
  maxPodsPerNode?: number;
  /** Services drawn one by one per namespace; the rest become one "+ N services" row (default 8). */
  maxServicesPerNamespace?: number;
}

export interface TopoPod {
  id: string;
  namespace: string;
  name: string;
  ip: string | undefined;
  /** Host-side veth on cni0; absent for hostNetwork pods. */
  veth: string | undefined;
  hostNetwork: boolean;
  /** First declared containerPort, which the page targets (ICMP when none). */
  port?: { port: number; proto: 'tcp' | 'udp' | 'sctp' };
}

export interface TopoNode {
  id: string;
  name: string;
  ip: string | undefined;
  podCIDR: string | undefined;
  cni0: boolean;
  flannel: string | undefined;
  pods: TopoPod[];
  /** Pods not drawn (collapsed into the summary box). */
  hiddenPods: number;
}

export interface TopoServicePort {
  id: string;
  port: number;
  proto: 'tcp' | 'udp' | 'sctp';
  nodePort?: { id: string; port: number };
  /** LB IP ids with their address. */
  lb: { id: string; ip: string }[];
}

export interface TopoService {
  namespace: string;
  name: string;
  type: string;
  clusterIP: string | undefined;
  ports: TopoServicePort[];
  /** Endpoint ids this Service's edges go to: a pod's id, or `more:NODE` for a collapsed one. */
  endpoints: string[];
}

export interface TopoNamespace {
  name: string;
  services: TopoService[];
  hiddenServices: number;
}

export interface TopoIngressRule {
  id: string;
  host: string;
  path: string;
  /** "ns/name" of the backend Service. */
  service: string | undefined;
}

export interface TopologyModel {
  network: string;
  gateway: string;
  nodes: TopoNode[];
  namespaces: TopoNamespace[];
  ingress: TopoIngressRule[];
}

const protoOf = (p: Protocol | undefined): 'tcp' | 'udp' | 'sctp' => (p === 'UDP' ? 'udp' : p === 'SCTP' ? 'sctp' : 'tcp');

/** The cluster as plain data, collapsed as the options say. Deterministic: sorted by name. */
export function topology(state: ClusterState, opts: TopologyOptions = {}): TopologyModel {
  const maxPods = opts.maxPodsPerNode ?? 8;
  const maxSvcs = opts.maxServicesPerNamespace ?? 8;
  const podsByNode = new Map<string, TopoPod[]>();
  for (const ns of Object.keys(state.pods).sort()) {
    const shard = state.pods[ns]!;
    for (const name of Object.keys(shard).sort()) {
      const p = shard[name]!;
      const node = p.spec.nodeName;
      if (node === undefined) continue;
      const net = getAgent(state, node)?.sandboxes[p.metadata.uid ?? '']?.network;
      const cp = p.spec.containers.flatMap((c) => c.ports ?? [])[0];
      const pod: TopoPod = {
        id: `pod:${ns}/${name}`,
        namespace: ns,
        name,
        ip: p.status.podIP,
        veth: net?.hostVeth,
        hostNetwork: p.spec.hostNetwork === true,
        ...(cp ? { port: { port: cp.containerPort, proto: protoOf(cp.protocol) } } : {}),
      };
      podsByNode.set(node, [...(podsByNode.get(node) ?? []), pod]);
    }
  }
  const shown = new Set<string>();
  const nodes: TopoNode[] = state.nodeOrder.map((name) => {
    const n = state.nodes[name];
    const agent = getAgent(state, name);
    // Pod-network pods first (they are what the picture is about), then host-network ones.
    const all = [...(podsByNode.get(name) ?? [])].sort((a, b) => Number(a.hostNetwork) - Number(b.hostNetwork));
    const pods = all.slice(0, maxPods);
    for (const p of pods) shown.add(p.id);
    return {
      id: `node:${name}`,
      name,
      ip: n ? nodeInternalIP(n) : undefined,
      podCIDR: n?.spec.podCIDR,
      cni0: agent?.cni0 !== undefined,
      flannel: agent?.flannel?.vxlan ? `flannel.${agent.flannel.vxlan.vni}` : agent?.flannel ? 'host-gw' : undefined,
      pods,
      hiddenPods: all.length - pods.length,
    };
  });
  const podNode = new Map<string, string>();
  for (const [node, pods] of podsByNode) for (const p of pods) podNode.set(p.id, node);
  const namespaces: TopoNamespace[] = [];
  for (const ns of Object.keys(state.services).sort()) {
    const names = Object.keys(state.services[ns]!).sort();
    if (names.length === 0) continue;
    const services = names.slice(0, maxSvcs).map((name): TopoService => {
      const svc = state.services[ns]![name]!;
      const headless = svc.spec.clusterIP === 'None' || svc.spec.type === 'ExternalName';
      const clusterIP = headless ? undefined : svc.spec.clusterIP;
      const lbIPs = (svc.status.loadBalancer.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []));
      const ports = (svc.spec.ports ?? []).map((p): TopoServicePort => {
        const proto = protoOf(p.protocol);
        return {
          id: `svc:${ns}/${name}:${p.port}/${proto}`,
          port: p.port,
          proto,
          ...(p.nodePort !== undefined ? { nodePort: { id: `nodeport:${ns}/${name}:${p.nodePort}/${proto}`, port: p.nodePort } } : {}),
          lb: lbIPs.map((ip) => ({ id: `lb:${ip}:${p.port}/${proto}`, ip })),
        };
      });
      const endpoints = new Set<string>();
      for (const s of Object.values(state.endpointSlices[ns] ?? {})) {
        if (s.metadata.labels?.['kubernetes.io/service-name'] !== name) continue;
        for (const ep of s.endpoints) {
          if (ep.targetRef?.kind !== 'Pod') continue;
          const id = `pod:${ep.targetRef.namespace ?? ns}/${ep.targetRef.name}`;
          const node = podNode.get(id);
          if (shown.has(id)) endpoints.add(id);
          else if (node !== undefined) endpoints.add(`more:${node}`);
        }
      }
      return { namespace: ns, name, type: svc.spec.type, clusterIP, ports, endpoints: [...endpoints].sort() };
    });
    namespaces.push({ name: ns, services, hiddenServices: names.length - services.length });
  }
  const ingress: TopoIngressRule[] = [];
  for (const ns of Object.keys(state.ingresses).sort()) {
    for (const name of Object.keys(state.ingresses[ns]!).sort()) {
      const ing = state.ingresses[ns]![name]!;
      for (const rule of ing.spec.rules ?? []) {
        for (const p of rule.http?.paths ?? []) {
          const host = rule.host ?? '*';
          const path = p.path ?? '/';
          const svc = p.backend.service?.name;
          ingress.push({ id: `ingress:${host}${path}`, host, path, service: svc !== undefined ? `${ns}/${svc}` : undefined });
        }
      }
      const d = ing.spec.defaultBackend?.service?.name;
      if (d !== undefined) ingress.push({ id: `ingress:*/`, host: '*', path: '/', service: `${ns}/${d}` });
    }
  }
  return { network: state.config.nodeNetwork, gateway: state.config.nodeGateway, nodes, namespaces, ingress: dedupe(ingress) };
}

function dedupe(rules: TopoIngressRule[]): TopoIngressRule[] {
  const seen = new Set<string>();
  return rules.filter((r) => !seen.has(r.id) && seen.add(r.id) !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Mermaid

/**
 * Mermaid node ids: `n1`, `n2`, … in order of first use, so that no two names collide after
 * Mermaid's character rules and no id is a keyword (`end`).
 */
function mermaidIds(): (key: string) => string {
  const ids = new Map<string, string>();
  return (key) => {
    let id = ids.get(key);
    if (id === undefined) {
      id = `n${ids.size + 1}`;
      ids.set(key, id);
    }
    return id;
  };
}
/** A Mermaid label in double quotes (quotes become #quot;). */
const mlabel = (s: string): string => `"${s.replace(/"/g, '#quot;')}"`;

/** The topology as Mermaid `flowchart LR` text. */
export function topologyMermaid(state: ClusterState, opts: TopologyOptions = {}): string {
  const m = topology(state, opts);
  const mid = mermaidIds();
  const out: string[] = ['flowchart LR'];
  out.push(`  subgraph ${mid('underlay')}[${mlabel(`node network ${m.network}`)}]`);
  out.push(`    ${mid('external')}[${mlabel(`lab host / router ${m.gateway}`)}]`);
  out.push('  end');
  for (const n of m.nodes) {
    out.push(`  subgraph ${mid(n.id)}[${mlabel(`${n.name} ${n.ip ?? ''}`.trim())}]`);
    out.push(`    ${mid(`${n.id}:eth0`)}[${mlabel(`eth0 ${n.ip ?? ''}`.trim())}]`);
    if (n.flannel) out.push(`    ${mid(`${n.id}:flannel`)}[${mlabel(n.flannel)}]`);
    if (n.cni0) out.push(`    ${mid(`${n.id}:cni0`)}[${mlabel(`cni0 ${n.podCIDR ?? ''}`.trim())}]`);
    for (const p of n.pods) out.push(`    ${mid(p.id)}[${mlabel(`${p.namespace}/${p.name} ${p.ip ?? ''}${p.veth ? ` (${p.veth})` : ''}`)}]`);
    if (n.hiddenPods > 0) out.push(`    ${mid(`more:${n.name}`)}[${mlabel(morePods(n.hiddenPods))}]`);
    out.push('  end');
    out.push(`  ${mid('external')} --- ${mid(`${n.id}:eth0`)}`);
    if (n.flannel) out.push(`  ${mid(`${n.id}:eth0`)} --- ${mid(`${n.id}:flannel`)}`);
    if (n.cni0) out.push(`  ${mid(`${n.id}:${n.flannel ? 'flannel' : 'eth0'}`)} --- ${mid(`${n.id}:cni0`)}`);
    if (n.cni0) {
      for (const p of n.pods) if (!p.hostNetwork && p.veth) out.push(`  ${mid(`${n.id}:cni0`)} --- ${mid(p.id)}`);
    }
  }
  for (const ns of m.namespaces) {
    out.push(`  subgraph ${mid(`svcns:${ns.name}`)}[${mlabel(`Services in ${ns.name}`)}]`);
    for (const s of ns.services) out.push(`    ${mid(`svc:${s.namespace}/${s.name}`)}[${mlabel(serviceLabel(s))}]`);
    if (ns.hiddenServices > 0) out.push(`    ${mid(`svcmore:${ns.name}`)}[${mlabel(moreServices(ns.hiddenServices))}]`);
    out.push('  end');
    for (const s of ns.services) for (const e of s.endpoints) out.push(`  ${mid(`svc:${s.namespace}/${s.name}`)} --> ${mid(e)}`);
  }
  if (m.ingress.length > 0) {
    out.push(`  subgraph ${mid('ingress')}[${mlabel('Ingress')}]`);
    for (const r of m.ingress) out.push(`    ${mid(r.id)}[${mlabel(`${r.host}${r.path}`)}]`);
    out.push('  end');
    for (const r of m.ingress) if (r.service && serviceShown(m, r.service)) out.push(`  ${mid(r.id)} --> ${mid(`svc:${r.service}`)}`);
  }
  return `${out.join('\n')}\n`;
}

const morePods = (n: number): string => `+ ${n} pod${n === 1 ? '' : 's'}`;
const moreServices = (n: number): string => `+ ${n} service${n === 1 ? '' : 's'}`;

function serviceShown(m: TopologyModel, ref: string): boolean {
  return m.namespaces.some((ns) => ns.services.some((s) => `${s.namespace}/${s.name}` === ref));
}

function serviceLabel(s: TopoService): string {
  const ports = s.ports.map((p) => `${p.port}/${p.proto}${p.nodePort ? `:${p.nodePort.port}` : ''}`).join(',');
  const lb = s.ports[0]?.lb.map((l) => l.ip) ?? [];
  return `${s.name} ${s.type} ${s.clusterIP ?? 'None'}${ports ? ` ${ports}` : ''}${lb.length > 0 ? ` LB ${lb.join(',')}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// SVG

export interface TopologySvgOptions extends TopologyOptions {
  /** Mark clickable items for the page: tabindex, role=button, aria-label (default false). */
  interactive?: boolean;
}

const esc = xmlText;

const ROW = 18;
const NODE_W = 340;
const GAP = 20;
const COLS = 4;
const CHAR_W = 6.8;
/** A Service with more endpoints than this gets one edge per node instead of one per pod. */
const EDGE_LIMIT = 12;

/** Cut a label to fit a width (monospace 11px). */
function fit(s: string, width: number): string {
  const max = Math.floor(width / CHAR_W);
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}

/** The topology as a self-contained SVG document laid out here: a grid of nodes, Services below. */
export function topologySvg(state: ClusterState, opts: TopologySvgOptions = {}): string {
  const m = topology(state, opts);
  const body: string[] = [];
  const edges: string[] = [];
  /** Anchor points of drawn items, for edges: [x of left side, x of right side, y]. */
  const anchor = new Map<string, { x1: number; x2: number; y: number }>();
  const item = (id: string | undefined, x: number, y: number, w: number, text: string, cls: string, label?: string): void => {
    // Summary boxes and Service headers are edge anchors, not endpoints: data-ref, not clickable.
    const anchorOnly = id !== undefined && /^(more|svcname):/.test(id);
    const attrs =
      id === undefined
        ? ''
        : anchorOnly
          ? ` data-ref="${esc(id)}"`
          : opts.interactive
            ? ` data-endpoint="${esc(id)}" tabindex="0" role="button" aria-label="${esc(label ?? text)}"`
            : ` data-endpoint="${esc(id)}"`;
    body.push(
      `<g class="${cls}"${attrs}><rect x="${x}" y="${y}" width="${w}" height="${ROW - 2}" rx="3"/><text x="${x + 4}" y="${y + ROW - 6}">${esc(fit(text, w - 8))}</text></g>`,
    );
    if (id) anchor.set(id, { x1: x, x2: x + w, y: y + (ROW - 2) / 2 });
  };
  const margin = 20;
  const cols = Math.min(COLS, Math.max(1, m.nodes.length));
  const width = Math.max(margin * 2 + cols * NODE_W + (cols - 1) * GAP, 2 * margin + 3 * 340 + 2 * GAP);
  // The underlay: one bar, the lab host on it.
  let y = margin;
  body.push(`<text class="title" x="${margin}" y="${y + 12}">node network ${esc(m.network)}</text>`);
  y += 20;
  item('external', margin, y, 340, `outside: lab host / router ${m.gateway}`, 'ext', `outside the cluster: the lab host ${m.gateway}`);
  y += ROW + 6;
  // The node network: a trunk down the left margin, a bus above each row of nodes.
  const trunkX = margin / 2;
  let prevBusY = y - 14;
  body.push(`<line class="bus" x1="${margin}" y1="${prevBusY}" x2="${trunkX}" y2="${prevBusY}"/>`);
  y += 14;
  // Nodes in rows of COLS.
  const nodeHeight = (n: TopoNode): number => (4 + n.pods.length + (n.hiddenPods > 0 ? 1 : 0)) * ROW + 30;
  for (let i = 0; i < m.nodes.length; i += cols) {
    const row = m.nodes.slice(i, i + cols);
    const h = Math.max(...row.map(nodeHeight));
    const busY = y - 8;
    body.push(`<line class="bus" x1="${trunkX}" y1="${busY}" x2="${margin + row.length * (NODE_W + GAP) - GAP}" y2="${busY}"/>`);
    body.push(`<line class="bus" x1="${trunkX}" y1="${prevBusY}" x2="${trunkX}" y2="${busY}"/>`);
    prevBusY = busY;
    row.forEach((n, j) => {
      const x = margin + j * (NODE_W + GAP);
      body.push(`<g class="node"><rect x="${x}" y="${y}" width="${NODE_W}" height="${h}" rx="6"/></g>`);
      body.push(`<line class="bus" x1="${x + NODE_W / 2}" y1="${busY}" x2="${x + NODE_W / 2}" y2="${y}"/>`);
      let ry = y + 6;
      item(n.id, x + 6, ry, NODE_W - 12, `${n.name}  ${n.ip ?? ''}  ${n.podCIDR ?? ''}`, 'nodehead', `node ${n.name} ${n.ip ?? ''}`);
      ry += ROW;
      item(undefined, x + 6, ry, NODE_W - 12, `eth0 ${n.ip ?? ''}`, 'iface');
      ry += ROW;
      item(undefined, x + 6, ry, NODE_W - 12, n.flannel ? `${n.flannel} (overlay)` : 'no flannel', 'iface');
      ry += ROW;
      item(undefined, x + 6, ry, NODE_W - 12, n.cni0 ? `cni0 ${n.podCIDR ?? ''}` : 'no cni0 yet', 'iface');
      ry += ROW + 4;
      for (const p of n.pods) {
        const text = `${p.name} ${p.ip ?? ''} ${p.hostNetwork ? 'host' : (p.veth ?? '')}`;
        item(p.id, x + 16, ry, NODE_W - 22, text, p.hostNetwork ? 'pod hostnet' : 'pod', `pod ${p.namespace}/${p.name} ${p.ip ?? ''}`);
        ry += ROW;
      }
      if (n.hiddenPods > 0) item(`more:${n.name}`, x + 16, ry, NODE_W - 22, morePods(n.hiddenPods), 'more');
    });
    y += h + GAP;
  }
  const nodeOfEndpoint = new Map<string, string>();
  for (const n of m.nodes) {
    for (const p of n.pods) nodeOfEndpoint.set(p.id, n.name);
    nodeOfEndpoint.set(`more:${n.name}`, n.name);
  }
  // Services by namespace, in columns of three; Ingress rules after them.
  body.push(`<text class="title" x="${margin}" y="${y + 12}">Services (by namespace)</text>`);
  y += 22;
  const SVC_W = 340;
  let col = 0;
  let rowTop = y;
  let rowH = 0;
  for (const ns of m.namespaces) {
    const x = margin + col * (SVC_W + GAP);
    let ry = rowTop;
    body.push(`<text class="ns" x="${x}" y="${ry + 12}">${esc(ns.name)}</text>`);
    ry += ROW;
    for (const s of ns.services) {
      item(`svcname:${s.namespace}/${s.name}`, x, ry, SVC_W, `${s.name} ${s.type} ${s.clusterIP ?? 'None'}`, 'svc');
      ry += ROW;
      for (const p of s.ports) {
        if (s.clusterIP) item(p.id, x + 10, ry, 70, `:${p.port}/${p.proto}`, 'port', `Service ${s.namespace}/${s.name} ${s.clusterIP}:${p.port}/${p.proto}`);
        if (p.nodePort) item(p.nodePort.id, x + 84, ry, 106, `NodePort ${p.nodePort.port}`, 'port', `NodePort ${p.nodePort.port}/${p.proto} of ${s.namespace}/${s.name}`);
        for (const [k, l] of p.lb.entries()) item(l.id, x + 194 + k * 2, ry, 146, `LB ${l.ip}:${p.port}`, 'port', `load balancer ${l.ip}:${p.port}/${p.proto}`);
        ry += ROW;
      }
      const a = anchor.get(`svcname:${s.namespace}/${s.name}`)!;
      // Past EDGE_LIMIT endpoints, one edge per node that holds some (to its header), not per pod.
      const targets = s.endpoints.length > EDGE_LIMIT ? [...new Set(s.endpoints.map((e) => `node:${nodeOfEndpoint.get(e) ?? ''}`))] : s.endpoints;
      for (const e of targets) {
        const b = anchor.get(e);
        if (b) edges.push(`<path class="edge" d="M${a.x2} ${a.y} C${a.x2 + 40} ${a.y} ${b.x2 + 40} ${b.y} ${b.x2} ${b.y}"/>`);
      }
    }
    if (ns.hiddenServices > 0) {
      item(undefined, x, ry, SVC_W, moreServices(ns.hiddenServices), 'more');
      ry += ROW;
    }
    rowH = Math.max(rowH, ry - rowTop);
    col += 1;
    if (col === 3) {
      col = 0;
      rowTop += rowH + GAP;
      rowH = 0;
    }
  }
  y = rowTop + rowH + GAP;
  if (m.ingress.length > 0) {
    body.push(`<text class="title" x="${margin}" y="${y + 12}">Ingress rules</text>`);
    y += 22;
    for (const r of m.ingress) {
      item(r.id, margin, y, 260, `${r.host}${r.path} → ${r.service ?? '?'}`, 'ing', `ingress ${r.host}${r.path}`);
      const a = anchor.get(r.id)!;
      const b = r.service ? anchor.get(`svcname:${r.service}`) : undefined;
      if (b) edges.push(`<path class="edge ingedge" d="M${a.x2} ${a.y} L${b.x1} ${b.y}"/>`);
      y += ROW;
    }
    y += GAP;
  }
  const height = y + margin;
  const style = [
    'text{font:11px monospace;fill:#1b1b1b}',
    '.title{font-weight:bold;font-size:12px}',
    '.ns{font-weight:bold;fill:#37474f}',
    '.node>rect{fill:#f4f7fb;stroke:#5b7aa8;stroke-width:1.5}',
    '.nodehead>rect{fill:#c9dcf5;stroke:#5b7aa8}',
    '.iface>rect{fill:#e8eef5;stroke:#9aaec8}',
    '.pod>rect{fill:#dff2df;stroke:#4c9a4c}',
    '.hostnet>rect{fill:#f2ecd9;stroke:#a8924c}',
    '.more>rect{fill:#eeeeee;stroke:#999;stroke-dasharray:3 2}',
    '.ext>rect{fill:#f9e0c7;stroke:#c87a2f}',
    '.svc>rect{fill:#e7dcf4;stroke:#7b57a8}',
    '.port>rect{fill:#f3edf9;stroke:#9b82bd}',
    '.ing>rect{fill:#fbe3ea;stroke:#b4546f}',
    '.bus{stroke:#c87a2f;stroke-width:2}',
    '.edge{fill:none;stroke:#7b57a8;stroke-opacity:.45}',
    '.ingedge{stroke:#b4546f}',
  ].join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="cluster topology">`,
    `<style>${style}</style>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    // Edges first, so that boxes are drawn over them.
    ...edges,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
