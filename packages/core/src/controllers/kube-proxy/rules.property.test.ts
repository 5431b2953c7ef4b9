// Properties of the generated rules over random service ports (fast-check), checked against a
// small independent statement of kube-proxy's semantics (the reference's "which endpoints count").

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatProbability, normalizeRule } from '../../dataplane/netfilter/normalise.js';
import { parseRuleSpec } from '../../dataplane/netfilter/restore-parse.js';
import { ruleSpec } from '../../dataplane/netfilter/save.js';
import type { Chain, Rule } from '../../net/netfilter.js';
import { PROXY_CONFIG, PROXY_NODE, arbProxyServicePort, arbProxyServicePorts } from '@k8s-netsim/testing';
import { endpointChainName, servicePortNameString } from './hash.js';
import { kubeProxyTables, servicePortChains } from './rules.js';
import type { ProxyEndpoint, ProxyServicePort } from './types.js';

// ---------------------------------------------------------------------------------------------
// The oracle

const key = (e: ProxyEndpoint) => `${e.ip}:${e.port}`;

/** One endpoint per ip:port, a non-terminating copy winning. */
function dedupe(eps: ProxyEndpoint[]): ProxyEndpoint[] {
  const m = new Map<string, ProxyEndpoint>();
  for (const e of eps) if (!m.has(key(e)) || !e.terminating) m.set(key(e), e);
  return [...m.values()];
}

/** Ready ones; if none, serving + terminating ones. */
function usable(eps: ProxyEndpoint[], where: (e: ProxyEndpoint) => boolean = () => true): Set<string> {
  const d = dedupe(eps).filter(where);
  const r = d.filter((e) => e.ready);
  return new Set((r.length ? r : d.filter((e) => e.serving && e.terminating)).map(key));
}

const isLocal = (node: string) => (e: ProxyEndpoint) => e.nodeName === node;
const externalCount = (sp: ProxyServicePort) => sp.externalIPs.length + sp.loadBalancerIPs.length + (sp.nodePort ? 1 : 0);
const isJump = (r: Rule): r is Rule & { target: { t: 'jump'; chain: string } } => r.target.t === 'jump';
const commentOf = (r: Rule) => r.matches.find((m) => m.m === 'comment')?.comment;

/** Chance of a new client (no `recent` entry yet) reaching each SEP of an SVC/SVL chain. */
function reachProbabilities(chain: Chain): Map<string, number> {
  const out = new Map<string, number>();
  let remaining = 1;
  for (const r of chain.rules) {
    if (!isJump(r) || r.target.chain === 'KUBE-MARK-MASQ') continue; // marks and returns
    if (r.matches.some((m) => m.m === 'recent')) continue; // only matches returning clients
    const st = r.matches.find((m) => m.m === 'statistic');
    const p = st?.m === 'statistic' ? st.probability : 1;
    out.set(r.target.chain, (out.get(r.target.chain) ?? 0) + remaining * p);
    remaining *= 1 - p;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

describe('rule counts (the reference formula, ClusterIP services)', () => {
  it('nat = 5 + Σ(2 + 3·endpoints) over ports with endpoints; filter = 3 + one REJECT per port without', () => {
    fc.assert(
      fc.property(arbProxyServicePorts({ clusterIPOnly: true, uniqueEndpoints: true, maxLength: 10, maxEndpoints: 8 }), (sps) => {
        const t = kubeProxyTables(sps, PROXY_CONFIG);
        const count = (chains: Chain[], names?: string[]) =>
          chains
            .filter((c) => (names ? names.includes(c.name) : !['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'FORWARD'].includes(c.name)))
            .reduce((n, c) => n + c.rules.length, 0);
        let nat = 5;
        let rejects = 0;
        for (const sp of sps) {
          const n = usable(sp.endpoints).size;
          if (n > 0) nat += 2 + 3 * n;
          else rejects++;
        }
        // Every rule kube-proxy writes to nat (its restore input), and to its own filter chains;
        // kubelet's KUBE-FIREWALL rule (which kube-proxy also rewrites) comes on top.
        expect(count(t.nat)).toBe(nat);
        expect(count(t.filter, ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL'])).toBe(3 + rejects);
        expect(count(t.filter, ['KUBE-FIREWALL'])).toBe(1);
      }),
      { numRuns: 200 },
    );
  });
});

describe('properties over random service ports', () => {
  it('whole tables: unique chain names, every jump target exists, canonical rules that round-trip', () => {
    fc.assert(
      fc.property(arbProxyServicePorts(), fc.constantFrom(PROXY_NODE, 'node2'), fc.boolean(), (sps, nodeName, masqueradeAll) => {
        const t = kubeProxyTables(sps, { ...PROXY_CONFIG, nodeName, masqueradeAll });
        for (const chains of [t.mangle, t.nat, t.filter]) {
          const names = chains.map((c) => c.name);
          expect(new Set(names).size).toBe(names.length);
          for (const c of chains) {
            for (const r of c.rules) {
              if (r.target.t === 'jump' || r.target.t === 'goto') expect(names, `${c.name} → ${r.target.chain}`).toContain(r.target.chain);
              // Canonical: only the probability changes, to the kernel's fixed point.
              const { owner: _o, ...bare } = r;
              const kernel = { ...bare, matches: bare.matches.map((m) => (m.m === 'statistic' ? { ...m, probability: Number(formatProbability(m.probability)) } : m)) };
              expect(normalizeRule(r)).toEqual(kernel);
              expect(parseRuleSpec(ruleSpec(c.name, r)).rule).toEqual(kernel);
            }
          }
        }
        const services = t.nat.find((c) => c.name === 'KUBE-SERVICES')!.rules;
        expect(commentOf(services.at(-1)!)).toMatch(/^kubernetes service nodeports/);
      }),
      { numRuns: 150 },
    );
  });

  it('per port: endpoints that count, equal load balancing, REJECT/DROP when they are missing', () => {
    fc.assert(
      fc.property(arbProxyServicePort(), fc.constantFrom(PROXY_NODE, 'node2'), (sp, nodeName) => {
        const out = servicePortChains(sp, { ...PROXY_CONFIG, nodeName });
        const all = [...out.nat.services, ...out.nat.nodePorts, ...out.nat.chains.flatMap((c) => c.rules), ...Object.values(out.filter).flat()];
        if (sp.clusterIP === undefined) {
          expect(all).toEqual([]);
          return;
        }
        const spn = servicePortNameString(sp.namespace, sp.name, sp.portName);
        const proto = sp.protocol.toLowerCase();
        for (const r of all) expect(r.owner).toMatchObject({ by: 'kube-proxy', kind: 'Service', namespace: sp.namespace, name: sp.name });

        const cluster = usable(sp.endpoints);
        const local = usable(sp.endpoints, isLocal(nodeName));
        const ext = externalCount(sp) > 0;
        const itpLocal = sp.internalTrafficPolicy === 'Local';
        const etpLocal = sp.externalTrafficPolicy === 'Local' && ext;

        if (cluster.size === 0) {
          // No endpoints anywhere: filter REJECTs everything, nat has nothing of this port.
          expect(out.nat.services).toEqual([]);
          expect(out.nat.nodePorts).toEqual([]);
          expect(out.nat.chains).toEqual([]);
          expect(out.filter.services.map((r) => [r.target.t, commentOf(r)])).toEqual([['REJECT', `${spn} has no endpoints`]]);
          expect(out.filter.externalServices).toHaveLength(externalCount(sp));
          for (const r of out.filter.externalServices) expect([r.target.t, commentOf(r)]).toEqual(['REJECT', `${spn} has no endpoints`]);
          return;
        }
        expect(out.filter.services.map((r) => [r.target.t, commentOf(r)])).toEqual(itpLocal && local.size === 0 ? [['DROP', `${spn} has no local endpoints`]] : []);
        const drops = etpLocal && local.size === 0 ? externalCount(sp) : 0;
        expect(out.filter.externalServices).toHaveLength(drops);
        for (const r of out.filter.externalServices) expect([r.target.t, commentOf(r)]).toEqual(['DROP', `${spn} has no local endpoints`]);

        // Every SEP DNATs to an endpoint that counts, and is named after it.
        const reachable = new Set([...(itpLocal && !ext ? [] : cluster), ...(itpLocal || etpLocal ? local : [])]);
        const seps = out.nat.chains.filter((c) => c.name.startsWith('KUBE-SEP-'));
        expect(new Set(seps.map((c) => c.rules.at(-1)!.owner?.endpoint))).toEqual(reachable);
        for (const c of seps) {
          const dnat = c.rules.at(-1)!;
          expect(dnat.target.t).toBe('DNAT');
          const to = (dnat.target as { to: string }).to;
          expect(c.name).toBe(endpointChainName(spn, proto, to));
          expect(ruleSpec(c.name, c.rules[0]!)).toMatch(new RegExp(`^-A ${c.name} -s ${to.split(':')[0]!.replace(/\./g, '\\.')}/32 .*-j KUBE-MARK-MASQ$`));
        }

        // SVC and SVL pick each of their endpoints with probability 1/n.
        const sepFor = new Map(seps.map((c) => [c.name, c.rules.at(-1)!.owner?.endpoint]));
        for (const [prefix, expected] of [
          ['KUBE-SVC-', cluster],
          ['KUBE-SVL-', local],
        ] as const) {
          const chain = out.nat.chains.find((c) => c.name.startsWith(prefix));
          if (!chain) continue;
          const reach = reachProbabilities(chain);
          expect(new Set([...reach.keys()].map((s) => sepFor.get(s)))).toEqual(expected);
          let sum = 0;
          for (const p of reach.values()) {
            expect(p).toBeCloseTo(1 / expected.size, 9);
            sum += p;
          }
          expect(sum).toBeCloseTo(1, 9);
        }
      }),
      { numRuns: 500 },
    );
  });
});
