// ingress-nginx's routing decision over the Ingresses of its class (pure; see route.ts).
export {
  hostMatches,
  ingressHosts,
  normalizeHost,
  normalizePath,
  routeIngress,
  sortIngressesForNginx,
  type IngressDecision,
  type IngressRequest,
} from './route.js';
