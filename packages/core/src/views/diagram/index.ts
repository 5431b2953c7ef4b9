// Pictures of the simulator's answers: a trace (or every outcome of traceAll) as a Mermaid
// sequence diagram or a self-contained SVG, and the cluster's topology. Text in, text out:
// no browser, no network.

export { traceMermaid, traceSvg } from './trace.js';
export {
  topology,
  topologyMermaid,
  topologySvg,
  type TopoIngressRule,
  type TopologyModel,
  type TopologyOptions,
  type TopologySvgOptions,
  type TopoNamespace,
  type TopoNode,
  type TopoPod,
  type TopoService,
  type TopoServicePort,
} from './topology.js';
export { topologyHtml, type PageTrace, type TopologyPageOptions } from './page.js';
