// A Kubernetes NetworkPolicy as Felix programs it (iptables dataplane, canal): converted to a
// Calico policy in the default tier at order 1000 (libcalico-go K8sNetworkPolicyToCalico: one
// Calico rule per protocol and per peer of each Kubernetes rule, TCP made explicit, ports merged
// into ranges), scoped to its namespace, then rendered to the chains cali-pi-… (ingress) and
// cali-po-… (egress) named by a hash of `knp/NAMESPACE/NAME` (felix/rules/policy.go). A matching
// allow rule sets the accept mark and returns; trailing RETURNs are dropped; the first rule carries
// the chain's comment "KubernetesNetworkPolicy NAMESPACE/NAME ingress".

import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from '../../api/types.js';
import { parseCIDR } from '../../net/ipv4.js';
import { ipToString } from '../../net/ipv4.js';
import { MARK_ACCEPT, MARK_SCRATCH0, MARK_SCRATCH1, rule, type FelixRule } from './render.js';
import { type CalicoSelector, ipsetName, lengthLimitedID, peerSelector, selectorIpset, selectorText, uniqueID } from './selector.js';

/** iptables' limit on chain names (felix/iptables MaxChainNameLength). */
export const MAX_CHAIN_NAME = 28;

export type Direction = 'ingress' | 'egress';

/** An ipset a rule refers to: the endpoints a selector picks, or their named port. */
export interface IpsetRequest {
  name: string;
  selector: CalicoSelector;
  namedPort?: { name: string; protocol: 'tcp' | 'udp' | 'sctp' };
}

export function policyChainName(direction: Direction, p: NetworkPolicy): string {
  return lengthLimitedID(direction === 'ingress' ? 'cali-pi-' : 'cali-po-', `knp/${p.metadata.namespace ?? 'default'}/${p.metadata.name}`, MAX_CHAIN_NAME);
}

/** One Calico rule: what a Kubernetes rule becomes for one protocol and one peer. */
interface CalicoRule {
  /** The Kubernetes rule it came from (index into spec.ingress / spec.egress). */
  k8sRule: number;
  protocol?: 'tcp' | 'udp' | 'sctp';
  ports: (number | [number, number])[];
  namedPorts: string[];
  selector?: CalicoSelector;
  nets: string[];
  notNets: string[];
}

function portsOf(ports: readonly NetworkPolicyPort[] | undefined): Map<string, { numeric: (number | [number, number])[]; named: string[] } | null> {
  // Protocol ("" = any) → ports; null = every port of that protocol.
  const out = new Map<string, { numeric: (number | [number, number])[]; named: string[] } | null>();
  if (!ports?.length) return new Map([['', null]]);
  for (const p of ports) {
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    if (p.port === undefined) {
      out.set(proto, null);
      continue;
    }
    if (out.has(proto) && out.get(proto) === null) continue;
    const cur = out.get(proto) ?? { numeric: [], named: [] };
    if (typeof p.port === 'string') cur.named.push(p.port);
    // A one-port range is a port (PortRangesToMultiport writes First only when First == Last).
    else cur.numeric.push(p.endPort !== undefined && p.endPort !== p.port ? [p.port, p.endPort] : p.port);
    out.set(proto, cur);
  }
  return out;
}

/** SimplifyPorts: numeric ports sorted and merged into ranges; named ports first, as given. */
function simplify(numeric: (number | [number, number])[]): (number | [number, number])[] {
  if (numeric.length <= 1) return numeric;
  const all: number[] = [];
  for (const p of numeric) {
    if (typeof p === 'number') all.push(p);
    else for (let i = p[0]; i <= p[1]; i++) all.push(i);
  }
  all.sort((a, b) => a - b);
  const out: (number | [number, number])[] = [];
  for (let i = 0; i < all.length; ) {
    const first = all[i]!;
    let last = first;
    i++;
    while (i < all.length && all[i]! <= last + 1) last = all[i++]!;
    out.push(first === last ? first : [first, last]);
  }
  return out;
}

function normalisedCidr(cidr: string): string {
  const c = parseCIDR(cidr);
  return `${ipToString(c.ip)}/${c.prefixLen}`;
}

function calicoRules(namespace: string, peers: readonly NetworkPolicyPeer[] | undefined, ports: readonly NetworkPolicyPort[] | undefined, k8sRule: number): CalicoRule[] {
  const byProto = portsOf(ports);
  const protocols = [...byProto.keys()].sort();
  const out: CalicoRule[] = [];
  for (const proto of protocols) {
    const p = byProto.get(proto);
    const numeric = p ? simplify(p.numeric) : [];
    const named = p ? p.named : [];
    for (const peer of peers?.length ? peers : [undefined]) {
      const r: CalicoRule = { k8sRule, ports: numeric, namedPorts: named, nets: [], notNets: [] };
      if (proto) r.protocol = proto as 'tcp' | 'udp' | 'sctp';
      if (peer?.ipBlock) {
        r.nets = [normalisedCidr(peer.ipBlock.cidr)];
        r.notNets = (peer.ipBlock.except ?? []).map(normalisedCidr);
      } else if (peer) {
        r.selector = peerSelector(namespace, peer);
      }
      out.push(r);
    }
  }
  return out;
}

/** The rules of one policy chain, and the ipsets they name. */
export function policyChainRules(p: NetworkPolicy, direction: Direction, ipsets: Map<string, IpsetRequest>): FelixRule[] {
  const ns = p.metadata.namespace ?? 'default';
  const owner = { kind: 'NetworkPolicy', namespace: ns, name: p.metadata.name };
  const k8sRules =
    direction === 'ingress' ? (p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
  const out: FelixRule[] = [];
  const srcOrDst = direction === 'ingress' ? 'src' : 'dst';
  k8sRules.forEach((kr, i) => {
    for (const cr of calicoRules(ns, kr.peers, kr.ports, i)) {
      const block: FelixRule[] = [];
      let usingBlocks = false;
      // Ports: numeric ranges (15 multiport slots per rule) and named ports; more than one of
      // them becomes a match block that sets a scratch mark.
      const splits: (number | [number, number])[][] = [];
      let slots = 15;
      for (const port of cr.ports) {
        const need = typeof port === 'number' ? 1 : 2;
        if (!splits.length || slots < need) {
          splits.push([]);
          slots = 15;
        }
        splits[splits.length - 1]!.push(port);
        slots -= need;
      }
      const namedSets = cr.namedPorts.map((name) => {
        const sel: CalicoSelector = cr.selector && direction === 'egress' ? cr.selector : { op: 'all' };
        const id = uniqueID('n', `${uniqueID('s', selectorText(sel))},${cr.protocol ?? 'any'},${name}`);
        const req: IpsetRequest = { name: ipsetName(id), selector: sel, namedPort: { name, protocol: cr.protocol ?? 'tcp' } };
        ipsets.set(req.name, req);
        return req.name;
      });
      let ports = splits[0];
      let named = namedSets[0];
      if (splits.length + namedSets.length > 1) {
        usingBlocks = true;
        block.push(rule().mark(0, MARK_SCRATCH0 | MARK_SCRATCH1));
        for (const s of splits) {
          const r = rule();
          if (cr.protocol) r.proto(cr.protocol);
          block.push(r.dports(s).mark(MARK_SCRATCH0, MARK_SCRATCH0));
        }
        for (const n of namedSets) block.push(rule().set(n, 'dst,dst').mark(MARK_SCRATCH0, MARK_SCRATCH0));
        ports = undefined;
        named = undefined;
      }
      // ipBlock with except: a negated match block clears the scratch mark for each exception.
      let notNets = cr.notNets;
      if (cr.nets.length + cr.notNets.length > 1) {
        if (!usingBlocks) block.push(rule().mark(MARK_SCRATCH0, MARK_SCRATCH0 | MARK_SCRATCH1));
        usingBlocks = true;
        for (const n of cr.notNets) block.push(rule().net(srcOrDst, n).mark(0, MARK_SCRATCH0));
        notNets = [];
      }
      // The match (CalculateRuleMatch order): protocol, nets, selector ipset, ports, named port.
      const m = rule();
      if (cr.protocol) m.proto(cr.protocol);
      // An egress rule's destination selector is left out when named ports (filtered by it) alone say where.
      const selectorSet = cr.selector && (direction === 'ingress' || cr.ports.length > 0 || cr.namedPorts.length === 0) ? selectorIpset(cr.selector) : undefined;
      if (selectorSet) ipsets.set(selectorSet, { name: selectorSet, selector: cr.selector! });
      if (direction === 'ingress' && cr.nets[0]) m.net('src', cr.nets[0]);
      if (direction === 'ingress' && selectorSet) m.set(selectorSet, 'src');
      if (direction === 'egress' && cr.nets[0]) m.net('dst', cr.nets[0]);
      if (direction === 'egress' && selectorSet) m.set(selectorSet, 'dst');
      if (ports) m.dports(ports);
      if (named) m.set(named, 'dst,dst');
      for (const n of notNets) m.net(srcOrDst, n, true);
      if (usingBlocks) m.markSet(MARK_SCRATCH0);
      out.push(...block, m.mark(MARK_ACCEPT, MARK_ACCEPT).verdict({ verdict: 'allow', direction, rule: i }, owner), rule().markSet(MARK_ACCEPT).return());
    }
  });
  // Trailing RETURNs are no-ops: Felix strips them; the chain's comment goes on the first rule.
  while (out.length && out[out.length - 1]!.action?.target.t === 'RETURN') out.pop();
  if (!out.length) out.push(rule());
  out[0]!.comment(`KubernetesNetworkPolicy ${ns}/${p.metadata.name} ${direction}`);
  return out;
}
