import { Cluster } from '@k8s-netsim/core';
import { it } from 'vitest';
it('x', () => {
  for (const opts of [{}, { seed: 7 }, { seed: 3, nodes: 1 }, { seed: 9, nodes: 5, flannelBackend: 'host-gw' as const }]) {
    const t0 = Date.now();
    const c = Cluster.create(opts);
    console.log(JSON.stringify(opts), Date.now() - t0, 'ms');
    console.log(Object.keys(c.state.namespaces));
    for (const ns of Object.keys(c.state.services)) for (const n of Object.keys(c.state.services[ns]!)) {
      const s = c.service(`${ns}/${n}`);
      console.log(ns, n, s.type, s.clusterIPs, JSON.stringify(s.ports), s.loadBalancerIPs, (c.state.services[ns]![n]!.spec as any).healthCheckNodePort);
    }
    console.log(c.pods().map(p => `${p.namespace}/${p.name} ${p.ip} ${p.node} ${p.phase}`).join('\n'));
    console.log(Object.keys(c.state.ingressClasses));
  }
});
