// The compiled fast path and kube-proxy's configuration: it models only the rules kube-proxy
// writes with kubeadm's configuration (or one equal to it once defaulted), on every node, while
// it runs. Any other configuration, a crash-looping kube-proxy's frozen rules, or a node where
// none ever ran make it answer "unsupported" (the walker answers), so it never disagrees with
// the walker (fastpath.test.ts checks the agreement where it answers).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster.js';
import { ipToString, parseIPv4 } from '../net/ipv4.js';
import { getAgent } from '../state/store.js';
import { compileFastPath, PROTO_TCP, ResolveOut, VERDICT_DELIVERED, VERDICT_UNSUPPORTED } from './fastpath.js';
import type { TraceRequest } from './types.js';
import { traceAll } from './walker.js';

const CHOICES = 32;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { type: NodePort, clusterIP: 10.96.0.80, selector: { app: web }, ports: [{ port: 80, nodePort: 30080 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client }
spec: { nodeName: node01, containers: [{ name: client, image: busybox }] }
`;

const base = Cluster.create().apply(WEB).settle();

/** The lab after editing config.conf (one line each) and `kubectl -n kube-system rollout restart ds kube-proxy`. */
function restarted(c: Cluster, edits: readonly [string, string][]): Cluster {
  let text = c.state.configMaps['kube-system']!['kube-proxy']!.data!['config.conf']!;
  for (const [from, to] of edits) text = text.replace(from, to);
  for (const line of [
    `kubectl -n kube-system patch cm kube-proxy --type merge -p '${JSON.stringify({ data: { 'config.conf': text } })}'`,
    'sleep 1',
    'kubectl -n kube-system rollout restart ds kube-proxy',
  ]) {
    const r = c.exec(line);
    expect(r.exitCode, r.stderr).toBe(0);
    c = r.cluster;
  }
  return c;
}

const REQUESTS: TraceRequest[] = [
  { from: { pod: 'client' }, to: { ip: '10.96.0.80', port: 80 } },
  { from: { node: 'node01' }, to: { ip: '10.96.0.80', port: 80 } },
  { from: { node: 'node02' }, to: { ip: '192.168.56.11', port: 30080 } },
  { from: { external: '192.168.56.1' }, to: { ip: '192.168.56.12', port: 30080 } },
];

/** The fast path's answers for a request over evenly spaced draws: delivered targets and shares, or 'unsupported'. */
function fast(c: Cluster, req: TraceRequest): Map<string, number> | 'unsupported' {
  const fp = compileFastPath(c.state);
  const src = fp.sourceOf(req.from);
  const out = new ResolveOut();
  const got = new Map<string, number>();
  let unsupported = 0;
  for (let i = 0; i < CHOICES; i++) {
    const v = src < 0 ? VERDICT_UNSUPPORTED : fp.resolve(src, parseIPv4(req.to.ip), req.to.port ?? 0, PROTO_TCP, (i + 0.5) / CHOICES, out);
    if (v === VERDICT_UNSUPPORTED) unsupported++;
    else {
      const k = v === VERDICT_DELIVERED ? `delivered ${ipToString(out.dstIP)}:${out.dport} from ${ipToString(out.srcIP)}` : `verdict ${v}`;
      got.set(k, (got.get(k) ?? 0) + 1 / CHOICES);
    }
  }
  expect(unsupported === 0 || unsupported === CHOICES).toBe(true);
  return unsupported ? 'unsupported' : got;
}

/** The walker's delivered targets, as `fast` keys them. */
function walker(c: Cluster, req: TraceRequest): string[] {
  return traceAll(c.state, req)
    .map((o) => (o.result.verdict === 'delivered' ? `delivered ${o.result.to!.ip}:${o.result.to!.port} from ${o.result.source!.ip}` : `walker ${o.result.verdict}`))
    .sort();
}

describe('the fast path under kube-proxy configurations', () => {
  it("models kubeadm's configuration, and agrees with the walker there", () => {
    expect(compileFastPath(base.state).supported).toBe(true);
    for (const req of REQUESTS) {
      const f = fast(base, req);
      expect(f).not.toBe('unsupported');
      expect([...(f as Map<string, number>).keys()].sort()).toEqual([...new Set(walker(base, req))]);
    }
  });

  it('an edited ConfigMap alone changes nothing: the running kube-proxies keep their rules', () => {
    const edited = base.exec(
      `kubectl -n kube-system patch cm kube-proxy --type merge -p '{"data":{"config.conf":"apiVersion: kubeproxy.config.k8s.io/v1alpha1\\nkind: KubeProxyConfiguration\\niptables:\\n  masqueradeAll: true\\n"}}'`,
    ).cluster;
    expect(compileFastPath(edited.state).supported).toBe(true);
  });

  it('declines every packet once a kube-proxy runs with another configuration; the walker answers, with its effect', () => {
    const c = restarted(base, [['  masqueradeAll: false', '  masqueradeAll: true']]);
    expect(compileFastPath(c.state).supported).toBe(false);
    for (const req of REQUESTS) expect(fast(c, req)).toBe('unsupported');
    // masqueradeAll: the pod's connection to the ClusterIP is masqueraded, which the fast path does not model.
    const outcomes = traceAll(c.state, REQUESTS[0]!);
    expect(outcomes.every((o) => o.result.verdict === 'delivered' && o.result.source!.ip !== o.result.packet.src.ip)).toBe(true);
  });

  it('declines a crash-looping node’s frozen rules, and models the cluster again once every kube-proxy runs the defaults', () => {
    const broken = restarted(base, [['  masqueradeBit: null', '  masqueradeBit: 40']]);
    expect(compileFastPath(broken.state).supported).toBe(false);
    const fixed = restarted(broken, [['  masqueradeBit: 40', '  masqueradeBit: null']]).exec('sleep 30').cluster;
    const running = (c: Cluster) => c.state.nodeOrder.filter((n) => getAgent(c.state, n)?.kubeProxy?.programmed && !getAgent(c.state, n)!.kubeProxy!.programmed!.frozen);
    expect(running(broken)).toHaveLength(2);
    expect(running(fixed)).toEqual(['controlplane', 'node01', 'node02']);
    expect(compileFastPath(fixed.state).supported).toBe(true);
  });

  it('property: after any configuration edit and restart, the fast path either declines or agrees with the walker', () => {
    const edit = fc.constantFrom<[string, string][]>(
      [],
      [['mode: ""', 'mode: iptables']],
      [['  masqueradeBit: null', '  masqueradeBit: 14']],
      [['  masqueradeBit: null', '  masqueradeBit: 0']],
      [['  localhostNodePorts: null', '  localhostNodePorts: true']],
      [['  localhostNodePorts: null', '  localhostNodePorts: false']],
      [['detectLocalMode: ""', 'detectLocalMode: ClusterCIDR']],
      [['detectLocalMode: ""', 'detectLocalMode: NodeCIDR']],
      [['nodePortAddresses: null', 'nodePortAddresses:\n- primary']],
      [['nodePortAddresses: null', 'nodePortAddresses:\n- 0.0.0.0/0']],
      [['clusterCIDR: 10.244.0.0/16', 'clusterCIDR: ""']],
      [['clusterCIDR: 10.244.0.0/16', 'clusterCIDR: 10.244.0.0/16,fd00::/64']],
      [['  masqueradeAll: false', '  masqueradeAll: true']],
      [['mode: ""', 'mode: ipvs']],
      [['mode: ""', 'mode: bogus']],
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), fc.constantFrom(...REQUESTS), (edits, req) => {
        const c = restarted(base, edits.flat());
        const f = fast(c, req);
        if (f === 'unsupported') return;
        expect([...f.keys()].sort()).toEqual([...new Set(walker(c, req))]);
      }),
      { seed: 15, numRuns: 40 },
    );
  });
});
