// A Service changing type or traffic policy through `kubectl patch`: the storage's
// dropTypeDependentFields wipes the fields the new shape no longer uses (nodePorts,
// healthCheckNodePort, externalTrafficPolicy) when the user left them as they were — so the
// update passes validation as on a real API server (pkg/registry/core/service/storage).

import { describe, expect, it } from 'vitest';
import { deploymentInput, serviceInput } from '@k8s-netsim/testing';
import { Cluster } from '../cluster/cluster.js';

const lab = Cluster.create().apply([
  deploymentInput('web', 2),
  serviceInput('lb', { app: 'web' }, [{ port: 80 }], { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
  serviceInput('np', { app: 'web' }, [{ port: 80, nodePort: 30080 }], { type: 'NodePort' }),
]);

function patch(c: Cluster, svc: string, body: object): { out: string; c: Cluster } {
  const r = c.exec(`kubectl patch svc ${svc} -p '${JSON.stringify(body)}'`);
  return { out: r.stdout + r.stderr, c: r.cluster };
}

describe('kubectl patch of a Service', () => {
  it('externalTrafficPolicy Local → Cluster drops the healthCheckNodePort', () => {
    expect(lab.state.services.default!.lb!.spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    const r = patch(lab, 'lb', { spec: { externalTrafficPolicy: 'Cluster' } });
    expect(r.out).toBe('service/lb patched\n');
    const spec = r.c.state.services.default!.lb!.spec;
    expect(spec.externalTrafficPolicy).toBe('Cluster');
    expect(spec.healthCheckNodePort).toBeUndefined();
    // The nodePort stays: a LoadBalancer still needs it.
    expect(spec.ports![0]!.nodePort).toBe(lab.state.services.default!.lb!.spec.ports![0]!.nodePort);
  });

  it('LoadBalancer → ClusterIP drops nodePorts, healthCheckNodePort and the traffic policy', () => {
    const r = patch(lab, 'lb', { spec: { type: 'ClusterIP' } });
    expect(r.out).toBe('service/lb patched\n');
    const spec = r.c.state.services.default!.lb!.spec;
    expect(spec.type).toBe('ClusterIP');
    expect(spec.ports![0]!.nodePort).toBeUndefined();
    expect(spec.healthCheckNodePort).toBeUndefined();
    expect(spec.externalTrafficPolicy).toBeUndefined();
    expect(spec.clusterIP).toBe(lab.state.services.default!.lb!.spec.clusterIP);
  });

  it('NodePort → ClusterIP frees the nodePort; a nodePort the user changes is still refused', () => {
    const r = patch(lab, 'np', { spec: { type: 'ClusterIP' } });
    expect(r.out).toBe('service/np patched\n');
    expect(r.c.state.services.default!.np!.spec.ports![0]!.nodePort).toBeUndefined();
    const bad = patch(lab, 'np', { spec: { type: 'ClusterIP', ports: [{ port: 80, nodePort: 30099 }] } });
    expect(bad.out).toMatch(/^The Service "np" is invalid: spec\.ports\[0\]\.nodePort: Forbidden: may not be used when `type` is 'ClusterIP'/);
  });
});
