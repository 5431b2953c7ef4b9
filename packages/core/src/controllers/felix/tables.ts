// What Felix (canal's calico-node) programs into a node's filter table, and the ipsets its rules
// name (felix/rules static.go, dispatch.go, endpoints.go, policy.go; iptables dataplane):
//
//   FORWARD ─► cali-FORWARD ─► -i cali+ ─► cali-from-wl-dispatch ─► cali-fw-IFACE (egress policy)
//                           └► -o cali+ ─► cali-to-wl-dispatch   ─► cali-tw-IFACE (ingress policy)
//   INPUT   ─► cali-INPUT   ─► -i cali+ ─► cali-wl-to-host ─► cali-from-wl-dispatch, then ACCEPT
//   OUTPUT  ─► cali-OUTPUT  ─► -o cali+ ─► RETURN (the host reaches its own pods unpoliced)
//
// An endpoint chain accepts established flows, clears the accept/pass marks, jumps to each
// selecting policy (or a group chain for consecutive policies with the same selector), returns
// once one accepts, drops at the end of the tier if none did, and otherwise runs the namespace's
// and service account's profiles (which allow). Endpoints are all the node's pods with an IP,
// whatever CNI created them: Felix names the interface from the pod (`cali` + hash), so a pod
// from before canal, on cni0, is named in rules but never crosses them.
// Not modelled: Felix's raw, mangle and nat chains, failsafe chains, host endpoints.

import { createHash } from 'node:crypto';
import type { NetworkPolicy, Pod, PolicyType } from '../../api/types.js';
import { ipPortKey, type Chain, type IpSet } from '../../net/netfilter.js';
import { parseIPv4 } from '../../net/ipv4.js';
import type { ClusterState } from '../../state/types.js';
import { calicoVethName } from '../kubelet.js';
import { ALL_CALICO_MARKS, felixChain, MARK_ACCEPT, MARK_PASS, rule, type FelixRule } from './render.js';
import { type IpsetRequest, MAX_CHAIN_NAME, policyChainName, policyChainRules } from './policy.js';
import { LABEL_NAMESPACE, LABEL_ORCHESTRATOR, LABEL_SERVICE_ACCOUNT, lengthLimitedID, NAMESPACE_LABEL_PREFIX, policySelector, selects } from './selector.js';

const VXLAN_PORT = 4789;

export interface FelixTables {
  /** Rules Felix inserts at the top of built-in chains. */
  insert: Chain[];
  /** Rules Felix appends to built-in chains. */
  append: Chain[];
  /** Its own chains. */
  chains: Chain[];
  ipsets: Map<string, IpSet>;
}

/** A Calico workload endpoint: a pod with an IP, its interface and its labels as Calico sees them. */
export interface WorkloadEndpoint {
  pod: Pod;
  key: string;
  iface: string;
  ip: number;
  labels: Record<string, string>;
}

// Endpoints per pod object (immutable), valid while the namespaces (their labels) are the same.
const endpointMemo = new WeakMap<Pod, { namespaces: ClusterState['namespaces']; ep: WorkloadEndpoint | undefined }>();

export function workloadEndpoint(state: ClusterState, pod: Pod): WorkloadEndpoint | undefined {
  const hit = endpointMemo.get(pod);
  if (hit?.namespaces === state.namespaces) return hit.ep;
  const ep = makeEndpoint(state, pod);
  endpointMemo.set(pod, { namespaces: state.namespaces, ep });
  return ep;
}

function makeEndpoint(state: ClusterState, pod: Pod): WorkloadEndpoint | undefined {
  if (pod.spec.hostNetwork || !pod.status.podIP || !pod.spec.nodeName) return undefined;
  const ns = pod.metadata.namespace ?? 'default';
  const labels: Record<string, string> = {};
  // The namespace's profile labels (pcns.*, and its name), then the pod's own and Calico's.
  for (const [k, v] of Object.entries(state.namespaces[ns]?.metadata.labels ?? {})) labels[NAMESPACE_LABEL_PREFIX + k] = v;
  labels[`${NAMESPACE_LABEL_PREFIX}projectcalico.org/name`] = ns;
  Object.assign(labels, pod.metadata.labels ?? {});
  labels[LABEL_NAMESPACE] = ns;
  labels[LABEL_ORCHESTRATOR] = 'k8s';
  labels[LABEL_SERVICE_ACCOUNT] = pod.spec.serviceAccountName ?? 'default';
  return { pod, key: `${ns}/${pod.metadata.name}`, iface: calicoVethName(ns, pod.metadata.name), ip: parseIPv4(pod.status.podIP), labels };
}

/** Every workload endpoint in the cluster (ipset members come from every node). */
export function workloadEndpoints(state: ClusterState): WorkloadEndpoint[] {
  const out: WorkloadEndpoint[] = [];
  for (const ns of Object.keys(state.pods).sort()) {
    const shard = state.pods[ns]!;
    for (const name of Object.keys(shard).sort()) {
      const ep = workloadEndpoint(state, shard[name]!);
      if (ep) out.push(ep);
    }
  }
  return out;
}

// Per endpoint and policy list (both immutable): the same answer is asked for every pair it is in.
const selectingMemo = new WeakMap<WorkloadEndpoint, { policies: readonly NetworkPolicy[]; byType: Partial<Record<PolicyType, NetworkPolicy[]>> }>();

/** The policies (in Calico's order: the default tier, order 1000, then by name) that select an endpoint for a type. */
export function selectingPolicies(policies: readonly NetworkPolicy[], ep: WorkloadEndpoint, type: PolicyType): NetworkPolicy[] {
  let memo = selectingMemo.get(ep);
  if (memo?.policies !== policies) selectingMemo.set(ep, (memo = { policies, byType: {} }));
  return (memo.byType[type] ??= selecting(policies, ep, type));
}

function selecting(policies: readonly NetworkPolicy[], ep: WorkloadEndpoint, type: PolicyType): NetworkPolicy[] {
  const ns = ep.pod.metadata.namespace ?? 'default';
  return policies
    .filter((p) => (p.metadata.namespace ?? 'default') === ns && p.spec.policyTypes.includes(type) && selects(policySelector(ns, p.spec.podSelector), ep.labels))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

/** The selector string Felix groups policies by (the syncer's `(SELECTOR) && projectcalico.org/namespace == 'NS'`). */
function groupSelector(p: NetworkPolicy): string {
  const sel = p.spec.podSelector;
  const terms = [`${LABEL_ORCHESTRATOR} == 'k8s'`];
  for (const k of Object.keys(sel.matchLabels ?? {}).sort()) terms.push(`${k} == '${sel.matchLabels![k]}'`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = (e.values ?? []).join("', '");
    terms.push(
      e.operator === 'In' ? `${e.key} in { '${vals}' }` : e.operator === 'NotIn' ? `${e.key} not in { '${vals}' }` : e.operator === 'Exists' ? `has(${e.key})` : `! has(${e.key})`,
    );
  }
  return `(${terms.join(' && ')}) && ${LABEL_NAMESPACE} == '${p.metadata.namespace ?? 'default'}'`;
}

interface Group {
  direction: 'inbound' | 'outbound';
  policies: NetworkPolicy[];
  selector: string;
}

function groups(policies: NetworkPolicy[], direction: Group['direction']): Group[] {
  const out: Group[] = [];
  for (const p of policies) {
    const sel = groupSelector(p);
    const last = out[out.length - 1];
    if (last && last.selector === sel) last.policies.push(p);
    else out.push({ direction, policies: [p], selector: sel });
  }
  return out;
}

/** PolicyGroup.ChainName: cali-gi-/cali-go- and SHA3-224 over the selector, direction, count and policies. */
function groupChainName(g: Group): string {
  const h = createHash('sha3-224');
  const write = (s: string) => h.update(`${s}\n`);
  write(g.selector);
  write(g.direction);
  write(String(g.policies.length));
  for (const p of g.policies) write(`{Name: ${p.metadata.name}, Namespace: ${p.metadata.namespace ?? 'default'}, Kind: KubernetesNetworkPolicy}`);
  return `${g.direction === 'inbound' ? 'cali-gi-' : 'cali-go-'}${h
    .digest()
    .toString('base64url')
    .slice(0, MAX_CHAIN_NAME - 8)}`;
}

/** PolicyGroupToIptablesChains: jump to each policy; every fifth, return once one decided. */
function groupChainRules(g: Group): FelixRule[] {
  const dir = g.direction === 'inbound' ? 'ingress' : 'egress';
  const out: FelixRule[] = [];
  g.policies.forEach((p, i) => {
    if (i !== 0 && i % 5 === 0)
      out.push(
        rule()
          .comment('Return on verdict')
          .markNotClear(MARK_PASS | MARK_ACCEPT)
          .return(),
      );
    const r = rule();
    if (i % 5 !== 0) r.markClear(MARK_PASS | MARK_ACCEPT);
    out.push(r.jump(policyChainName(dir, p)));
  });
  return out;
}

function profileName(prefix: 'cali-pri-' | 'cali-pro-', profile: string): string {
  return lengthLimitedID(prefix, profile, MAX_CHAIN_NAME);
}

/** A workload endpoint's chain (endpointIptablesChain), for one direction. */
function endpointChain(ep: WorkloadEndpoint, direction: 'ingress' | 'egress', tier: Group[], profiles: string[], extra: Chain[], seen: Set<string>): Chain {
  const out: FelixRule[] = [rule().ctstate(['RELATED', 'ESTABLISHED']).accept(), rule().ctstate(['INVALID']).drop(), rule().mark(0, MARK_ACCEPT | MARK_PASS)];
  if (direction === 'egress') {
    out.push(rule().comment('Drop VXLAN encapped packets originating in workloads').proto('udp', true).dports([VXLAN_PORT]).drop());
    out.push(rule().comment('Drop IPinIP encapped packets originating in workloads').ipip().drop());
  }
  if (tier.length) {
    out.push(rule().comment('Start of tier default').mark(0, MARK_PASS));
    for (const g of tier) {
      let targets: string[];
      if (g.policies.length > 1) {
        const name = groupChainName(g);
        if (!seen.has(name)) {
          seen.add(name);
          extra.push(felixChain(name, groupChainRules(g)));
        }
        targets = [name];
      } else targets = [policyChainName(direction, g.policies[0]!)];
      for (const t of targets) {
        out.push(rule().markClear(MARK_PASS).jump(t));
        out.push(rule().comment('Return if policy accepted').markSet(MARK_ACCEPT).return());
      }
    }
    out.push(rule().comment('End of tier default. Drop if no policies passed packet').markClear(MARK_PASS).drop().verdict({ verdict: 'deny', direction, pod: ep.key }));
  }
  for (const p of profiles) {
    out.push(rule().jump(profileName(direction === 'ingress' ? 'cali-pri-' : 'cali-pro-', p)));
    out.push(rule().comment('Return if profile accepted').markSet(MARK_ACCEPT).return());
  }
  out.push(rule().comment('Drop if no profiles matched').drop());
  return felixChain(`${direction === 'ingress' ? 'cali-tw-' : 'cali-fw-'}${ep.iface}`, out);
}

/** The dispatch chains: a goto per interface, a child chain per shared next character. */
function dispatchChains(root: string, ifaces: string[], endpointPrefix: string, dir: 'in' | 'out'): Chain[] {
  const names = [...new Set(ifaces)].sort();
  let common = names[0] ?? '';
  for (const n of names) while (!n.startsWith(common)) common = common.slice(0, -1);
  const prefixes: string[] = [];
  const byPrefix = new Map<string, string[]>();
  for (const n of names) {
    const p = n.length > common.length ? n.slice(0, common.length + 1) : common;
    if (!byPrefix.has(p)) {
      prefixes.push(p);
      byPrefix.set(p, []);
    }
    byPrefix.get(p)!.push(n);
  }
  const match = (r: FelixRule, iface: string) => (dir === 'in' ? r.inIface(iface) : r.outIface(iface));
  const end = () => rule().comment('Unknown interface').drop();
  const children: Chain[] = [];
  const rootRules: FelixRule[] = [];
  for (const p of prefixes) {
    const group = byPrefix.get(p)!;
    if (group.length > 1) {
      const child = `${root}-${p.slice(common.length)}`;
      rootRules.push(match(rule(), `${p}+`).goto(child));
      children.push(felixChain(child, [...group.map((n) => match(rule(), n).goto(`${endpointPrefix}${n}`)), end()]));
    } else {
      rootRules.push(match(rule(), group[0]!).goto(`${endpointPrefix}${group[0]!}`));
    }
  }
  rootRules.push(end());
  return [...children, felixChain(root, rootRules)];
}

function ipsetOf(req: IpsetRequest, endpoints: readonly WorkloadEndpoint[]): IpSet {
  const addresses = new Set<number>();
  const ipPorts = new Set<number>();
  for (const ep of endpoints) {
    if (!selects(req.selector, ep.labels)) continue;
    if (!req.namedPort) {
      addresses.add(ep.ip);
      continue;
    }
    for (const c of ep.pod.spec.containers) {
      for (const cp of c.ports ?? []) {
        if (cp.name === req.namedPort.name && cp.protocol.toLowerCase() === req.namedPort.protocol) ipPorts.add(ipPortKey(ep.ip, req.namedPort.protocol, cp.containerPort));
      }
    }
  }
  return { name: req.name, type: req.namedPort ? 'hash:ip,port' : 'hash:net', addresses, nets: [], ipPorts };
}

/** Felix's filter-table chains and ipsets on one node. */
export function felixTables(nodeName: string, policies: readonly NetworkPolicy[], endpoints: readonly WorkloadEndpoint[]): FelixTables {
  const local = endpoints.filter((ep) => ep.pod.spec.nodeName === nodeName);
  const chains: Chain[] = [];
  const seen = new Set<string>();
  const requests = new Map<string, IpsetRequest>();
  const activePolicies = new Map<string, NetworkPolicy>();
  const profiles = new Set<string>();
  for (const ep of local) {
    const ns = ep.pod.metadata.namespace ?? 'default';
    const epProfiles = [`kns.${ns}`, `ksa.${ns}.${ep.pod.spec.serviceAccountName ?? 'default'}`];
    for (const p of epProfiles) profiles.add(p);
    const ingress = selectingPolicies(policies, ep, 'Ingress');
    const egress = selectingPolicies(policies, ep, 'Egress');
    for (const p of [...ingress, ...egress]) activePolicies.set(`${p.metadata.namespace}/${p.metadata.name}`, p);
    chains.push(endpointChain(ep, 'ingress', groups(ingress, 'inbound'), epProfiles, chains, seen));
    chains.push(endpointChain(ep, 'egress', groups(egress, 'outbound'), epProfiles, chains, seen));
  }
  for (const p of activePolicies.values()) {
    chains.push(felixChain(policyChainName('ingress', p), policyChainRules(p, 'ingress', requests)));
    chains.push(felixChain(policyChainName('egress', p), policyChainRules(p, 'egress', requests)));
  }
  for (const prof of profiles) {
    // A namespace's profile allows; a service account's carries labels only (no rules).
    const allows = prof.startsWith('kns.');
    for (const [prefix, dir] of [
      ['cali-pri-', 'ingress'],
      ['cali-pro-', 'egress'],
    ] as const) {
      const r = rule().comment(`Profile ${prof} ${dir}`);
      if (allows) r.mark(MARK_ACCEPT, MARK_ACCEPT);
      chains.push(felixChain(profileName(prefix, prof), [r]));
    }
  }
  const ifaces = local.map((ep) => ep.iface);
  chains.push(...dispatchChains('cali-from-wl-dispatch', ifaces, 'cali-fw-', 'in'), ...dispatchChains('cali-to-wl-dispatch', ifaces, 'cali-tw-', 'out'));
  chains.push(
    felixChain('cali-FORWARD', [
      rule().mark(0, ALL_CALICO_MARKS & ~MARK_ACCEPT),
      rule().markClear(MARK_ACCEPT).jump('cali-from-hep-forward'),
      rule().inIface('cali+').jump('cali-from-wl-dispatch'),
      rule().outIface('cali+').jump('cali-to-wl-dispatch'),
      rule().jump('cali-to-hep-forward'),
      rule().jump('cali-cidr-block'),
    ]),
    felixChain('cali-INPUT', [
      rule().inIface('cali+').goto('cali-wl-to-host'),
      rule().markSet(MARK_ACCEPT).accept(),
      rule().mark(0, ALL_CALICO_MARKS),
      rule().jump('cali-from-host-endpoint'),
      rule().comment('Host endpoint policy accepted packet.').markSet(MARK_ACCEPT).accept(),
    ]),
    felixChain('cali-wl-to-host', [rule().jump('cali-from-wl-dispatch'), rule().comment('Configured DefaultEndpointToHostAction').accept()]),
    felixChain('cali-OUTPUT', [
      rule().markSet(MARK_ACCEPT).accept(),
      rule().outIface('cali+').return(),
      rule().mark(0, ALL_CALICO_MARKS),
      rule().ctstate(['DNAT'], true).jump('cali-to-host-endpoint'),
      rule().comment('Host endpoint policy accepted packet.').markSet(MARK_ACCEPT).accept(),
    ]),
  );
  // No host endpoints, no service-loop prevention: these dispatch chains are empty.
  for (const name of ['cali-from-hep-forward', 'cali-to-hep-forward', 'cali-from-host-endpoint', 'cali-to-host-endpoint', 'cali-cidr-block']) chains.push({ name, rules: [] });
  const ipsets = new Map<string, IpSet>();
  for (const req of [...requests.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) ipsets.set(req.name, ipsetOf(req, endpoints));
  return {
    insert: [felixChain('FORWARD', [rule().jump('cali-FORWARD')]), felixChain('INPUT', [rule().jump('cali-INPUT')]), felixChain('OUTPUT', [rule().jump('cali-OUTPUT')])],
    append: [
      felixChain('FORWARD', [rule().comment('Policy explicitly accepted packet.').markSet(MARK_ACCEPT).accept(), rule().mark(MARK_ACCEPT, MARK_ACCEPT)], 'FORWARD*appends*'),
    ],
    chains,
    ipsets,
  };
}
