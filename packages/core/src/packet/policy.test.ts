// packet/policy.ts: Flannel delivers what a NetworkPolicy would deny, and the trace says so.

import { describe, expect, it } from 'vitest';
import '@k8s-netsim/testing/vitest';
import { deploymentInput, podInput, serviceInput } from '@k8s-netsim/testing';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { applyObjects } from '../controllers/transitions.js';
import { validateManifest } from '../api/manifest.js';
import type { Pod } from '../api/types.js';
import { listObjects } from '../state/store.js';
import { formatTrace } from '../views/trace/format.js';
import { trace, traceAll } from './walker.js';

const allowFrontend = validateManifest(
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web-allow-frontend', namespace: 'default' },
    spec: { podSelector: { matchLabels: { app: 'nginx' } }, ingress: [{ from: [{ podSelector: { matchLabels: { run: 'frontend' } } }], ports: [{ port: 80 }] }] },
  },
  {},
);

function lab() {
  const s = applyObjects(bootstrapCluster(), [
    deploymentInput('nginx', 2),
    podInput('client', { nodeName: 'node01', image: 'busybox' }),
    podInput('frontend', { nodeName: 'node02', image: 'busybox' }),
    serviceInput('web', { app: 'nginx' }, [{ port: 80 }]),
    allowFrontend as Parameters<typeof applyObjects>[1][number],
  ]).state;
  const nginx = (listObjects(s, 'Pod', 'default') as Pod[]).filter((p) => p.metadata.name.startsWith('nginx-'));
  return { s, ip: s.services.default!.web!.spec.clusterIP!, nginx };
}

describe('a trace notes the NetworkPolicies Flannel does not enforce', () => {
  const { s, ip, nginx } = lab();

  it('client → Service → an nginx endpoint is delivered, and every outcome names the policy that would deny it', () => {
    const outcomes = traceAll(s, { from: { pod: 'client' }, to: { ip, port: 80 } });
    expect(outcomes).toHaveLength(2);
    for (const o of outcomes) {
      expect(o.result).toBeDelivered();
      expect(o.result.policy).toEqual({ enforced: false, wouldDeny: [{ namespace: 'default', name: 'web-allow-frontend' }] });
    }
    const text = formatTrace(outcomes[0]!.result);
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      "policy: not enforced: NetworkPolicy default/web-allow-frontend would deny this (the cluster's CNI, flannel, ignores NetworkPolicy)",
    );
  });

  it('the frontend pod is allowed: no note; a pod no policy selects: no note', () => {
    const r = trace(s, { from: { pod: 'frontend' }, to: { ip, port: 80 } });
    expect(r).toBeDelivered();
    expect(r.policy).toBeUndefined();
    const direct = trace(s, { from: { pod: nginx[0]!.metadata.name }, to: { ip: s.pods.default!.frontend!.status.podIP! }, proto: 'icmp' });
    expect(direct.policy).toBeUndefined();
  });

  it('ICMP to a selected pod: the only rule lists ports, so it would be denied', () => {
    const r = trace(s, { from: { pod: 'frontend' }, to: { ip: nginx[0]!.status.podIP! }, proto: 'icmp' });
    expect(r).toBeDelivered();
    expect(r.policy?.wouldDeny).toEqual([{ namespace: 'default', name: 'web-allow-frontend' }]);
  });
});
