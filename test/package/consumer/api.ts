// Type-checked only (tsc --strict, skipLibCheck false): the public API as a user writes it.
import { type ApiError, Cluster, isApiError, type ClusterOptions, type PodInfo, type ServiceInfo, type TraceOutcome, type TraceRequest, type TraceResult } from '@k8s-netsim/core';
import {
  arbCluster,
  arbInvalidManifest,
  arbManifests,
  arbPacket,
  checkInvariants,
  deploymentInput,
  resolveName,
  serviceInput,
  traceMatchers,
  type InvariantViolation,
  type Manifests,
} from '@k8s-netsim/testing';
import type fc from 'fast-check';
import { realToolsRequired } from '@k8s-netsim/testing/kernel';
import { main } from '@k8s-netsim/cli';
import { expect } from 'vitest';
import '@k8s-netsim/testing/vitest';

const options: ClusterOptions = { seed: 7, nodes: 4, flannelBackend: 'host-gw' };
const c: Cluster = Cluster.create(options).apply([deploymentInput('web', 2), serviceInput('web', { app: 'web' }, [{ port: 80 }], { type: 'NodePort' })]);
const pods: PodInfo[] = c.pods({ selector: 'app=web' });
const svc: ServiceInfo = c.service('default/web');
const req: TraceRequest = { from: { pod: `default/${pods[0]?.name ?? ''}` }, to: { ip: svc.clusterIPs[0] ?? '', port: 80 }, proto: 'tcp' };
const one: TraceResult = c.trace(req);
const all: TraceOutcome[] = c.traceAll(req);
const ok: boolean = traceMatchers.delivered(one).pass && all.every((o) => o.probability > 0);
const addresses: string[] = resolveName(c, { from: { node: 'node01' }, name: 'kubernetes.default.svc.cluster.local' }).addresses;
expect(one).toBeDeliveredTo(pods[0]?.name ?? '');
expect(all).toKeepClientIP();
expect(one).not.toBeMasqueraded();
try {
  c.apply('kind: Pod');
} catch (e) {
  if (isApiError(e)) console.log((e as ApiError).message);
}
const manifests: fc.Arbitrary<Manifests> = arbManifests({ namespaces: ['default', 'shop'] });
const violations: InvariantViolation[] = checkInvariants(c);
const packets: fc.Arbitrary<TraceRequest> = arbPacket(c, { to: ['clusterIP', 'nodePort'] });
const invalid = arbInvalidManifest().map((m) => m.field);
const clusters: fc.Arbitrary<Cluster> = arbCluster({ nodes: { min: 2, max: 4 }, backends: ['host-gw'] });
export const used = [manifests, violations, packets, invalid, clusters, ok, addresses, realToolsRequired(), main(['--help'], { out: () => {}, err: () => {} })];
