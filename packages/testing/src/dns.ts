// DNS assertions: resolve a name as a program in a pod (or on a node) would, through the
// cluster's CoreDNS — the pod's resolv.conf search list, its image's libc, traced queries.

import { lookupName, type Cluster, type NameLookup, type NameLookupRequest } from '@k8s-netsim/core';

/**
 * Resolve `name` from a pod or node. A and AAAA lookups go through the context's stub resolver
 * (search list and ndots applied, as getaddrinfo does); other types send one query for the name
 * as given, as dig does.
 *
 * @example
 * expect(resolveName(c, { from: { pod: 'default/client' }, name: 'web' }).addresses).toEqual([c.service('web').clusterIPs[0]]);
 */
export function resolveName(cluster: Cluster, request: NameLookupRequest): NameLookup {
  return lookupName(cluster.state, request);
}
