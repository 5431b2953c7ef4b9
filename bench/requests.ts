// What the benchmarks send: from the first running pod of a generated namespace to the ClusterIP
// and first TCP port of every generated Service that has a ready endpoint.

import type { ClusterState } from '../packages/core/src/state/types.js';

/** The first running, non-hostNetwork pod of a generated namespace (`ns-…`), as `ns/name`. */
export function firstClientPod(state: ClusterState): string {
  for (const [ns, shard] of Object.entries(state.pods)) {
    if (!ns.startsWith('ns-')) continue;
    for (const p of Object.values(shard)) if (p.status.phase === 'Running' && !p.spec.hostNetwork) return `${ns}/${p.metadata.name}`;
  }
  throw new Error('no running pod to send from');
}

/** ClusterIP and first port of every generated service that has a ready endpoint (TCP ports only). */
export function targets(state: ClusterState): { ip: string; port: number }[] {
  const out: { ip: string; port: number }[] = [];
  for (const [ns, shard] of Object.entries(state.services)) {
    if (!ns.startsWith('ns-')) continue;
    for (const s of Object.values(shard)) {
      const ip = s.spec.clusterIP;
      const port = s.spec.ports?.[0];
      const eps = state.endpoints[ns]?.[s.metadata.name]?.subsets?.some((x) => (x.addresses?.length ?? 0) > 0);
      if (ip && ip !== 'None' && port && eps && (port.protocol ?? 'TCP') === 'TCP') out.push({ ip, port: port.port });
    }
  }
  return out;
}
