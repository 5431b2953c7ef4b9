// An EndpointSlice endpoint's conditions with the API's meaning of unset values (discovery/v1):
// ready and serving nil mean true, terminating nil means false. kube-proxy reads them this way.

import type { EndpointSliceEndpoint } from './types.js';

export function endpointConditions(ep: EndpointSliceEndpoint): { ready: boolean; serving: boolean; terminating: boolean } {
  return { ready: ep.conditions.ready ?? true, serving: ep.conditions.serving ?? true, terminating: ep.conditions.terminating ?? false };
}
