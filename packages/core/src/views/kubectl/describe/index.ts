// `kubectl describe pod|node|configmap|service|ingress|ingressclass|networkpolicy`, following kubectl's
// pkg/describe/describe.go: one module per describer, over the shared PrefixWriter
// (prefix-writer.ts) and sections (sections.ts). The folder's way in.

export { describeConfigMap } from './configmap.js';
export { describeIngress, describeIngressClass, ingressEndpointsLookup, type IngressEndpointsLookup } from './ingress.js';
export { describeNetworkPolicy } from './networkpolicy.js';
export { describeNode, type DescribeNodeOptions, type NodeLease } from './node.js';
export { describePod } from './pod.js';
export { describeService, formatEndpointSlices } from './service.js';
