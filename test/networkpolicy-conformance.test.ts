// The upstream NetworkPolicy e2e cases (the kit's CONFORMANCE_CASES: namespaces x, y, z with pods
// a, b, c serving 80 and 81 on TCP, UDP and SCTP), run as packets through a canal cluster: every
// probe of every case is a trace from one model pod to another's IP, through Felix's chains on
// both nodes, and must end as upstream expects — delivered when allowed, dropped by policy when
// not. As upstream does on a real cluster, a pod's probe to itself is not judged (it never leaves
// the pod's network namespace).

import { Cluster, type Proto } from '@k8s-netsim/core';
import { CONFORMANCE_CASES, type ConnectivityJudge, conformanceModel, judgeCase, type ModelLabels, podKey, resolvePolicies } from '@k8s-netsim/testing';
import { describe, expect, it } from 'vitest';

const bases = new Map<string, Cluster>();
function base(labels: ModelLabels = {}): Cluster {
  const key = JSON.stringify(labels);
  let c = bases.get(key);
  if (!c) {
    c = Cluster.create({ cni: 'canal' }).apply(conformanceModel(labels)).settle();
    bases.set(key, c);
  }
  return c;
}

function ipOf(c: Cluster, ns: string, name: string): string {
  const ip = c.state.pods[ns]?.[name]?.status.podIP;
  if (!ip) throw new Error(`${ns}/${name} has no IP`);
  return ip;
}

/** Traces as the judge: allowed = the packet reached the destination's socket. */
function traceJudge(c: Cluster, failures: string[]): ConnectivityJudge {
  return (from, to, port, protocol) => {
    const t = c.trace({ from: { pod: podKey(from) }, to: { ip: ipOf(c, to.namespace, to.name), port }, proto: protocol.toLowerCase() as Proto });
    // Anything but a delivery or a policy drop would be a bug in the path, not a verdict.
    if (t.verdict !== 'delivered' && !(t.verdict === 'dropped' && t.policy?.decisions?.some((d) => d.verdict === 'deny')))
      failures.push(`${podKey(from)} → ${podKey(to)}:${port}/${protocol}: ${t.verdict} ${t.reason ?? ''}`);
    return t.verdict === 'delivered';
  };
}

describe('upstream NetworkPolicy e2e cases, traced through canal', () => {
  it.each(CONFORMANCE_CASES.map((k) => [k.name, k] as const))('%s', (_name, k) => {
    const c0 = base(k.labels);
    const policies = resolvePolicies(k.policies, (p) => ipOf(c0, p.namespace, p.name));
    const c = policies.length ? c0.apply(policies) : c0;
    const failures: string[] = [];
    expect(judgeCase(k, traceJudge(c, failures), { ignoreLoopback: true })).toEqual([]);
    expect(failures).toEqual([]);
  });
});
