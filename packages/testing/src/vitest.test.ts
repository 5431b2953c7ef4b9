// The kit's vitest matchers on the default lab: what each one accepts, and that a failure
// prints the trace hop by hop.

import { describe, expect, it } from 'vitest';
import { Cluster, formatTrace } from '@k8s-netsim/core';
import { deploymentInput, serviceInput } from './builders.js';
import './vitest.js';

// A web tier behind a NodePort (ETP Cluster), the same pods behind one with ETP Local, and a
// Service that selects nothing.
const WEB = [
  deploymentInput('web', 2),
  serviceInput('web', { app: 'web' }, [{ port: 80, nodePort: 30080 }], { type: 'NodePort' }),
  serviceInput('web-local', { app: 'web' }, [{ port: 80, nodePort: 30081 }], { type: 'NodePort', externalTrafficPolicy: 'Local' }),
  serviceInput('nobody', { app: 'nobody' }, [{ port: 80 }]),
];

const c = Cluster.create().apply(WEB).exec('kubectl run client --image=busybox -- sleep 3600').cluster;
const web = c.pods({ selector: 'app=web' });
const client = c.pods({ selector: 'run=client' })[0]!;
const LAB_HOST = '192.168.56.1';

describe('trace matchers', () => {
  it('pod to pod: delivered to that pod, with the client IP kept (Flannel never NATs pod to pod)', () => {
    const t = c.trace({ from: { pod: 'client' }, to: { ip: web[0]!.ip!, port: 80 } });
    expect(t).toBeDelivered();
    expect(t).toBeDeliveredTo(`default/${web[0]!.name}`);
    expect(t).toBeDeliveredTo({ ip: web[0]!.ip!, port: 80 });
    expect(t).toKeepClientIP();
    expect(t).not.toBeMasqueraded();
    expect(t).not.toBeDeliveredTo(web[1]!.name);
    expect(t.source?.ip).toBe(client.ip);
  });

  it('a ClusterIP: every kube-proxy path delivers to one of the endpoints', () => {
    const all = c.traceAll({ from: { pod: 'client' }, to: { ip: c.service('web').clusterIPs[0]!, port: 80 } });
    expect(all).toHaveLength(2);
    expect(all).toBeDelivered();
    // Not every path reaches the first pod: the matcher holds only when all of them do.
    expect(all).not.toBeDeliveredTo(web[0]!.name);
    expect(() => expect(all).toBeDeliveredTo(web[0]!.name)).toThrow(`expected the packet to be delivered to pod default/${web[0]!.name} (every one of 2 paths)`);
  });

  it('NodePort from outside: ETP Cluster masquerades; ETP Local keeps the client IP or drops on a node without an endpoint', () => {
    const nodes = c.pods({ selector: 'app=web' }).map((p) => p.node!);
    const withEndpoint = nodes[0]!;
    const without = ['node01', 'node02'].find((n) => !nodes.includes(n));
    expect(c.traceAll({ from: { external: LAB_HOST }, to: { ip: c.node(withEndpoint).internalIP!, port: 30080 } })).toBeMasqueraded();
    expect(c.traceAll({ from: { external: LAB_HOST }, to: { ip: c.node(withEndpoint).internalIP!, port: 30081 } })).toKeepClientIP();
    if (without) expect(c.trace({ from: { external: LAB_HOST }, to: { ip: c.node(without).internalIP!, port: 30081 } })).toBeDropped();
    // The control plane runs no web pod: ETP Local drops there too.
    expect(c.trace({ from: { external: LAB_HOST }, to: { ip: '192.168.56.10', port: 30081 } })).toBeDropped();
  });

  it("rejected: a Service without endpoints (kube-proxy's REJECT) and a closed pod port (RST)", () => {
    const noEndpoints = c.trace({ from: { pod: 'client' }, to: { ip: c.service('nobody').clusterIPs[0]!, port: 80 } });
    expect(noEndpoints).toBeRejected();
    expect(noEndpoints).not.toBeDelivered();
    const closed = c.trace({ from: { pod: 'client' }, to: { ip: web[0]!.ip!, port: 8080 } });
    expect(closed).toBeRejected();
    expect(closed.reason).toBe('Connection refused');
  });

  it('a failure prints what was expected and the trace, hop by hop', () => {
    const closed = c.trace({ from: { pod: 'client' }, to: { ip: web[0]!.ip!, port: 8080 } });
    let message = '';
    try {
      expect(closed).toBeDelivered();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(`expected the packet to be delivered; the trace:\n${formatTrace(closed).trimEnd()}`);
    expect(message).toContain('Connection refused');
    expect(() => expect(closed).not.toBeRejected()).toThrow(/^expected the packet not to be rejected; the trace:\n/);
  });
});
