// The reachability matrix: exact cells for a default-deny lab on Flannel (nothing enforced: all
// allowed, wouldDeny naming the policy) and on canal (denied, with Felix's chain); options and
// their errors; and the property that every cell is what one trace() of that pair says.

import fc from 'fast-check';
import { arbPolicyScenario, POLICY_PORTS } from '@k8s-netsim/testing';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster.js';
import { evaluateNetworkPolicy, storedPolicies } from '../state/networkpolicy.js';
import { getObject } from '../state/store.js';
import { reach, reachCell, reachCellOf, type ReachMatrix } from './reach.js';
import type { PolicyName, Proto, TraceResult } from './types.js';
import { trace } from './walker.js';

const pods = ['a', 'b', 'c']
  .map((n) => `apiVersion: v1\nkind: Pod\nmetadata: { name: ${n}, labels: { app: ${n} } }\nspec: { containers: [ { name: web, image: nginx } ] }`)
  .join('\n---\n');
const denyIngress = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny-ingress }
spec: { podSelector: {}, policyTypes: [Ingress] }`;
const allowFromC = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: b-from-c }
spec:
  podSelector: { matchLabels: { app: b } }
  ingress: [ { from: [ { podSelector: { matchLabels: { app: c } } } ], ports: [ { port: 80 } ] } ]`;

const DENY: PolicyName = { namespace: 'default', name: 'default-deny-ingress' };
const keys = ['default/a', 'default/b', 'default/c'];

const flannel = Cluster.create().apply(`${pods}\n---\n${denyIngress}`);
const canalBase = Cluster.create({ cni: 'canal' });
const canal = canalBase.apply(`${pods}\n---\n${denyIngress}`);

describe('reach on Flannel (no NetworkPolicy enforced)', () => {
  it('a default-deny-ingress lab: every cell allowed, wouldDeny naming the policy, the ingress decision from the spec', () => {
    const m = flannel.reach();
    expect(m).toMatchObject({ proto: 'tcp', ports: [80], enforced: false, groupBy: 'pod', rows: keys, sources: keys, excluded: [] });
    expect(m.columns.map((c) => c.pod)).toEqual(keys);
    expect(m.cells).toHaveLength(9);
    for (const c of m.cells) {
      // A pod reaching itself never leaves its network namespace: no policy judges it.
      const self = c.from === c.to;
      expect(c).toEqual({
        from: c.from,
        to: c.to,
        port: 80,
        status: 'allowed',
        verdict: 'delivered',
        enforced: false,
        wouldDeny: self ? [] : [DENY],
        decisions: self ? [] : [{ direction: 'ingress', pod: c.to, verdict: 'deny', selectedBy: [DENY] }],
      });
    }
  });

  it('a refused port is still allowed (the packet reached the pod), and the spec says what would deny it', () => {
    const c = reachCell(flannel.reach({ ports: [81] }), 'default/a', 'default/b', 81);
    expect(c).toMatchObject({ status: 'allowed', verdict: 'rejected', reason: 'Connection refused', wouldDeny: [DENY] });
  });

  it('names the allowing policy and rule of an allowed cell', () => {
    const m = Cluster.create()
      .apply(`${pods}\n---\n${allowFromC}`)
      .reach({ ports: [80, 81] });
    expect(reachCell(m, 'default/c', 'default/b', 80)).toMatchObject({
      status: 'allowed',
      wouldDeny: [],
      decisions: [{ direction: 'ingress', pod: 'default/b', verdict: 'allow', policy: { namespace: 'default', name: 'b-from-c' }, rule: 0 }],
    });
    expect(reachCell(m, 'default/c', 'default/b', 81)?.wouldDeny).toEqual([{ namespace: 'default', name: 'b-from-c' }]);
    expect(reachCell(m, 'default/a', 'default/c', 80)).toMatchObject({ status: 'allowed', wouldDeny: [], decisions: [] });
  });
});

describe('reach on canal (Calico enforces)', () => {
  it('a default-deny-ingress lab: every other pod denied, with the pod, the policy and the chain; a pod reaches itself', () => {
    const m = canal.reach();
    expect(m.enforced).toBe(true);
    for (const c of m.cells) {
      if (c.from === c.to) {
        expect(c).toMatchObject({ status: 'allowed', verdict: 'delivered', wouldDeny: [], decisions: [] });
        continue;
      }
      expect(c).toMatchObject({ status: 'denied', verdict: 'dropped', enforced: true, wouldDeny: [DENY] });
      expect(c.decisions).toEqual([{ direction: 'ingress', pod: c.to, verdict: 'deny', selectedBy: [DENY], chain: expect.stringMatching(/^cali-tw-cali[0-9a-f]{11}$/) }]);
    }
  });

  it('grouped by namespace: the destination is not its own source, so each column is plainly denied', () => {
    const m = canal.reach({ groupBy: 'namespace', ports: [80, 81] });
    expect(m.rows).toEqual(['default']);
    expect(m.groups).toHaveLength(6);
    for (const g of m.groups!)
      expect(g).toEqual({ from: 'default', to: g.to, port: g.port, status: 'denied', counts: { allowed: 0, denied: 2, unreachable: 0, wouldDeny: 0 }, wouldDeny: [DENY] });
    expect(m.cells).toHaveLength(18);
  });

  it('an allowing rule: allowed with its policy and rule; mixed when a namespace has both', () => {
    const m = canalBase.apply(`${pods}\n---\n${allowFromC}`).reach({ groupBy: 'namespace' });
    expect(reachCell(m, 'default/c', 'default/b', 80)).toMatchObject({
      status: 'allowed',
      decisions: [{ direction: 'ingress', pod: 'default/b', verdict: 'allow', policy: { namespace: 'default', name: 'b-from-c' }, rule: 0 }],
    });
    expect(reachCell(m, 'default/a', 'default/b', 80)?.status).toBe('denied');
    expect(m.groups!.find((g) => g.to === 'default/b')).toMatchObject({ status: 'mixed', counts: { allowed: 1, denied: 1, unreachable: 0, wouldDeny: 0 } });
    expect(m.groups!.find((g) => g.to === 'default/a')).toMatchObject({ status: 'allowed', counts: { allowed: 2, denied: 0, unreachable: 0, wouldDeny: 0 } });
  });
});

describe('reachCellOf: one trace, classified', () => {
  const a = getObject(flannel.state, 'Pod', 'default', 'a')!;
  const b = getObject(flannel.state, 'Pod', 'default', 'b')!;
  const world = { policies: [], namespaces: flannel.state.namespaces };
  const base = { proto: 'tcp' as const, packet: { src: { ip: a.status.podIP! }, dst: { ip: b.status.podIP!, port: 80 } }, forwardings: 0 };

  it('a drop that is no policy decision is unreachable, with the verdict and reason', () => {
    const r: TraceResult = { ...base, verdict: 'dropped', reason: 'Network is unreachable', hops: [] };
    expect(reachCellOf(world, r, a, b, 80, true)).toEqual({
      from: 'default/a',
      to: 'default/b',
      port: 80,
      status: 'unreachable',
      verdict: 'dropped',
      reason: 'Network is unreachable',
      enforced: true,
      wouldDeny: [],
      decisions: [],
    });
  });

  it('a rejection by another pod or a node (not the destination kernel) is unreachable too', () => {
    const at = { node: 'node01', netns: 'root' };
    const r: TraceResult = { ...base, verdict: 'rejected', reason: 'Connection refused', hops: [{ kind: 'reject', at, action: 'RST' }] };
    expect(reachCellOf(world, r, a, b, 80, false).status).toBe('unreachable');
    const mine: TraceResult = { ...r, hops: [{ kind: 'reject', at: { ...at, netns: 'cni-x', pod: 'default/b' }, action: 'RST' }] };
    expect(reachCellOf(world, mine, a, b, 80, false).status).toBe('allowed');
  });
});

describe('reach options', () => {
  it('leaves the system namespaces out by default, lists hostNetwork pods as excluded with -A', () => {
    const all = flannel.reach({ allNamespaces: true });
    expect(all.sources).toContain('kube-system/coredns-7bd98f49dd-lfg9q');
    expect(all.excluded).toContainEqual({ pod: 'kube-system/etcd-controlplane', reason: 'hostNetwork' });
    expect(flannel.reach({ namespaces: ['kube-system'] }).sources.every((s) => s.startsWith('kube-system/'))).toBe(true);
  });

  it('ICMP has no port layer', () => {
    const m = flannel.reach({ proto: 'icmp', ports: [80] });
    expect(m.ports).toEqual([]);
    expect(m.cells).toHaveLength(9);
    expect(reachCell(m, 'default/a', 'default/b')).toMatchObject({ status: 'allowed', verdict: 'delivered' });
    expect(reachCell(m, 'default/a', 'default/b')).not.toHaveProperty('port');
  });

  it('rejects bad options naming the field, and an unknown namespace as the API server does', () => {
    expect(() => flannel.reach({ ports: [0] })).toThrow('options.ports[0]: Invalid value: 0: must be a port number from 1 to 65535');
    expect(() => flannel.reach({ ports: [] })).toThrow('options.ports');
    expect(() => flannel.reach({ proto: 'http' as Proto })).toThrow('options.proto');
    expect(() => flannel.reach({ groupBy: 'node' as 'pod' })).toThrow('options.groupBy');
    expect(() => flannel.reach({ namespaces: ['nope'] })).toThrow('namespaces "nope" not found');
    expect(() => flannel.reach({ port: 80 } as never)).toThrow('options.port: Invalid value: 80: unknown field; did you mean "ports"?');
    expect(() => flannel.reach(null as never)).toThrow('options: Invalid value: null');
    expect(() => flannel.reach({ proto: 'toString' as Proto })).toThrow('options.proto');
    expect(() => flannel.reach({ namespaces: 'default' as never })).toThrow('options.namespaces');
  });
});

// ---------------------------------------------------------------------------------------------
// Property: every cell is what one trace says.

function lastHopAt(r: TraceResult, pod: string): boolean {
  const last = r.hops.at(-1);
  return (last?.kind === 'deliver' || last?.kind === 'reject') && last.at.pod === pod;
}

function checkAgainstTraces(c: Cluster, m: ReachMatrix, sampled?: (from: string, to: string, port: number | undefined) => boolean): void {
  const state = c.state;
  const layers: (number | undefined)[] = m.ports.length ? m.ports : [undefined];
  expect(m.cells).toHaveLength(m.sources.length * m.columns.length * layers.length);
  for (const from of m.sources) {
    for (const t of m.columns) {
      for (const port of layers) {
        if (sampled && !sampled(from, t.pod, port)) continue;
        const cell = reachCell(m, from, t.pod, port)!;
        const r = trace(state, { from: { pod: from }, to: { ip: t.ip, ...(port !== undefined ? { port } : {}) }, proto: m.proto });
        const where = `${from} -> ${t.pod}:${port}`;
        expect(cell.verdict, where).toBe(r.verdict);
        expect(cell.reason, where).toBe(r.reason);
        // allowed ⇔ the packet ended in the destination pod's namespace.
        expect(cell.status === 'allowed', where).toBe(lastHopAt(r, t.pod));
        if (r.verdict === 'delivered') expect(cell.status, where).toBe('allowed');
        if (m.enforced) {
          expect(cell.decisions, where).toEqual(r.policy?.decisions ?? []);
          expect(cell.wouldDeny, where).toEqual(r.policy?.wouldDeny ?? []);
          if (cell.status === 'denied')
            expect(
              r.policy?.decisions?.some((d) => d.verdict === 'deny'),
              where,
            ).toBe(true);
        } else {
          expect(cell.status, where).not.toBe('denied');
          if (r.verdict === 'delivered') expect(cell.wouldDeny, where).toEqual(r.policy?.wouldDeny ?? []);
        }
      }
    }
  }
  if (m.groups) {
    for (const g of m.groups) {
      const members = m.sources.filter((s) => s.startsWith(`${g.from}/`));
      const counted = members.length > 1 ? members.filter((s) => s !== g.to) : members;
      const cells = counted.map((s) => reachCell(m, s, g.to, g.port)!);
      // allowed cells split in two by wouldDeny: a namespace is plainly allowed only if they agree.
      const kinds = new Set(cells.map((c) => (c.status === 'allowed' && c.wouldDeny.length ? 'allowed!' : c.status)));
      expect(g.counts.allowed + g.counts.denied + g.counts.unreachable).toBe(counted.length);
      expect(g.counts.wouldDeny).toBe(cells.filter((c) => c.status === 'allowed' && c.wouldDeny.length).length);
      expect(g.status).toBe(kinds.size === 1 ? cells[0]!.status : 'mixed');
    }
  }
}

describe('reach: every cell equals a single trace of that pair', () => {
  const scenario = arbPolicyScenario({ namespaces: ['default', 'other'], pods: { min: 2, max: 4 }, policies: { max: 3 } });
  for (const cni of ['flannel', 'canal'] as const) {
    const base = cni === 'canal' ? canalBase : Cluster.create();
    it(`on ${cni}`, () => {
      // What the runs saw, so the property is known to have met denials, not only open clusters.
      const seen = { allowed: 0, denied: 0, unreachable: 0, wouldDeny: 0 };
      fc.assert(
        fc.property(scenario, fc.constantFrom<Proto>('tcp', 'tcp', 'udp', 'icmp'), fc.constantFrom<'pod' | 'namespace'>('pod', 'namespace'), (manifests, proto, groupBy) => {
          const c = base.apply(manifests);
          const m = reach(c.state, { ports: [...POLICY_PORTS], proto, groupBy });
          checkAgainstTraces(c, m);
          for (const cell of m.cells) {
            seen[cell.status]++;
            if (cell.status === 'allowed' && cell.wouldDeny.length) seen.wouldDeny++;
          }
        }),
        { numRuns: 30 },
      );
      expect(seen.allowed).toBeGreaterThan(0);
      if (cni === 'canal') expect(seen.denied).toBeGreaterThan(0);
      else expect(seen.wouldDeny).toBeGreaterThan(0);
    });
  }

  it('on canal, between two pods, a cell is allowed exactly when the spec allows it (TCP)', () => {
    fc.assert(
      fc.property(arbPolicyScenario({ policies: { min: 1, max: 3 } }), (manifests) => {
        const c = canalBase.apply(manifests);
        const world = { policies: storedPolicies(c.state), namespaces: c.state.namespaces };
        const m = c.reach({ ports: [...POLICY_PORTS] });
        for (const cell of m.cells) {
          if (cell.from === cell.to) continue;
          const [sns = '', sname = ''] = cell.from.split('/');
          const [dns = '', dname = ''] = cell.to.split('/');
          const src = getObject(c.state, 'Pod', sns, sname)!;
          const dst = getObject(c.state, 'Pod', dns, dname)!;
          const v = evaluateNetworkPolicy(world, { source: { pod: src }, destination: dst, port: cell.port!, protocol: 'TCP' });
          expect(cell.status, `${cell.from} -> ${cell.to}:${cell.port}`).toBe(v.allowed ? 'allowed' : 'denied');
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('reach on labs of many alike pods: sampled cells equal single traces', () => {
  // Many pods per label class, so most cells are answered from another pair's walk and verdict.
  for (const cni of ['flannel', 'canal'] as const) {
    const base = cni === 'canal' ? canalBase : Cluster.create();
    it(`on ${cni}`, () => {
      fc.assert(
        fc.property(
          arbPolicyScenario({ pods: { min: 14, max: 22 }, policies: { min: 1, max: 4 } }),
          fc.constantFrom<Proto>('tcp', 'udp', 'icmp'),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          (manifests, proto, salt) => {
            const c = base.apply(manifests);
            const m = reach(c.state, { ports: [...POLICY_PORTS], proto });
            // About 40 cells of the matrix, picked by a hash of the pair and the run's salt.
            const n = m.cells.length;
            checkAgainstTraces(c, m, (from, to, port) => hash(`${salt}|${from}|${to}|${port}`) % n < 40);
          },
        ),
        { numRuns: 12 },
      );
    });
  }
});

/** FNV-1a, to pick sampled cells deterministically per run. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

describe('reach walks one pair per class of equivalent pairs, and gives what walking every pair gives', () => {
  // A Flannel lab moved to canal: pods from before keep cni0 veths (unpoliced, and unable to
  // ARP for a Calico pod of their node), pods after get cali veths; policies over both.
  const migrated = Cluster.create()
    .apply(arbPolicyPods('old', 4))
    .exec('kubectl apply -f https://raw.githubusercontent.com/projectcalico/calico/v3.32.1/manifests/canal.yaml')
    .cluster.settle();
  it.each([
    ['flannel', Cluster.create()],
    ['canal', canalBase],
    ['a Flannel lab moved to canal', migrated.apply(arbPolicyPods('new', 4))],
  ] as const)('on %s, for random policies, protocols and ports', (_name, base) => {
    fc.assert(
      fc.property(
        arbPolicyScenario({ namespaces: ['default', 'other'], pods: { min: 3, max: 6 }, policies: { max: 4 } }),
        fc.constantFrom<Proto>('tcp', 'udp', 'sctp', 'icmp'),
        (manifests, proto) => {
          const c = base.apply(manifests);
          const options = { ports: [...POLICY_PORTS], proto, allNamespaces: false };
          expect(JSON.stringify(reach(c.state, options))).toBe(JSON.stringify(reach(c.state, { ...options, byTraces: true })));
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** `n` plain nginx pods named PREFIX-i, labelled from the policy vocabulary (app a, b, c). */
function arbPolicyPods(prefix: string, n: number): string {
  return Array.from(
    { length: n },
    (_, i) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${prefix}-${i}, labels: {app: ${['a', 'b', 'c'][i % 3]}}}\nspec: {containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 80}]}]}`,
  ).join('\n---\n');
}
