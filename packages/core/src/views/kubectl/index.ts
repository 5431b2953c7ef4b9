// kubectl output, rendered from API objects: `kubectl get` (tables, -o wide/yaml/json/name),
// `kubectl describe pod|node|configmap|service|ingress|ingressclass|networkpolicy`, and the formatting primitives they share.
// The folder's way in: other folders import from here.

export { DESCRIBE_TABWRITER, formatTable, GET_TABWRITER, noResourcesFound, sanitizeCell, type TableOptions } from './table.js';
export { toKubectlJson, toKubectlYaml, yamlKeyLess } from './goyaml.js';
export {
  formatEndpoints,
  formatIngressHosts,
  formatIngressPorts,
  ingressAddress,
  ingressClassParameters,
  isNamespacedResource,
  renderGet,
  renderWatchRow,
  resolveResource,
  serviceExternalIP,
  servicePortsString,
  type GetOptions,
  type GetResult,
  type OutputFormat,
  type ResourceName,
} from './get.js';
export {
  describeConfigMap,
  describeIngress,
  describeIngressClass,
  describeNetworkPolicy,
  describeNode,
  describePod,
  describeService,
  formatEndpointSlices,
  ingressEndpointsLookup,
  type DescribeNodeOptions,
  type IngressEndpointsLookup,
  type NodeLease,
} from './describe/index.js';
export {
  findNodeRoles,
  formatLabels,
  formatLabelSelector,
  formatRFC1123Z,
  selectorString,
  summarizePod,
  type PodSummary,
} from './helpers.js';
export { addQuantity, formatQuantity, parseQuantity, type Quantity } from './quantity.js';
export { JsonPathError, renderJsonPath } from './jsonpath.js';
