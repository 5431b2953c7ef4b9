// The default lab: what `kubeadm init` + `kubectl apply -f kube-flannel.yml` + `kubeadm join`
// leave behind. Built in the order a real lab is: the control-plane node comes up with its static
// pods, kube-proxy, Flannel and CoreDNS (so CoreDNS lands on the control plane, as it does when
// workers join later), then the workers join.
//
// The parts: options.ts (ClusterOptions and their defaults), kubeadm.ts (nodes, static pods,
// namespaces: kubeadm init and join), addons.ts (kube-proxy, CoreDNS, Flannel, MetalLB,
// ingress-nginx as the lab installs them).

import { produce } from '../util/immer.js';
import { applyObjects } from '../controllers/transitions.js';
import { kubeadmCorefile } from '../dns/corefile/index.js';
import { converge } from '../controllers/converge.js';
import { nodeInternalIP } from '../state/queries.js';
import { nthAddress, parseCidr } from '../net/cidr.js';
import { ipToString, tryParseIPv4 } from '../net/ipv4.js';
import { poolAddresses } from '../controllers/loadbalancer.js';
import { NetsimInputError } from '../packet/request.js';
import type { ClusterState } from '../state/types.js';
import { canalManifests, coreDNS, corednsObjects, flannelManifests, ingressNginxManifests, kubeProxy, metallbManifests } from './addons.js';
import { kubeadmInit, kubeadmJoin, kubernetesService } from './kubeadm.js';
import { defaultConfig, nodeSpecs, startTimeMs, type ClusterOptions, type NodeSpecInput } from './options.js';
import { checkClusterOptions, checkJoinSpec } from './options-check.js';

export { DEFAULT_KUBERNETES_VERSION } from '../api/version.js';
export type { ClusterOptions, NodeSpecInput } from './options.js';

/** Up to this many nodes, bootstrap lets the controllers settle after each join. */
const LAB_SIZE = 50;

/**
 * Build the initial ClusterState of a kubeadm + Flannel lab. The options are checked first: a
 * wrong one throws a NetsimInputError naming it (`options.podCIDR`, `options.nodes[1].ip`).
 */
export function bootstrapCluster(opts: ClusterOptions = {}): ClusterState {
  checkClusterOptions(opts);
  const config = defaultConfig(opts);
  const start = startTimeMs(opts);
  const empty: ClusterState = {
    config,
    clock: start,
    resourceVersion: 0,
    namespaces: {},
    nodes: {},
    nodeOrder: [],
    pods: {},
    deployments: {},
    replicaSets: {},
    daemonSets: {},
    configMaps: {},
    serviceAccounts: {},
    services: {},
    endpoints: {},
    endpointSlices: {},
    ingresses: {},
    networkPolicies: {},
    ingressClasses: {},
    workstationHosts: {},
    coredns: { corefile: kubeadmCorefile(config.clusterDomain, config.kubernetesVersion) },
    clusterRoles: {},
    clusterRoleBindings: {},
    nodeAgents: {},
    events: [],
  };
  const specs = nodeSpecs(opts, config);
  const cps = specs.filter((s) => s.role === 'control-plane');
  const first = cps[0] ?? specs[0]!;
  // kubeadm init: namespaces, the control-plane node and its static pods, kube-proxy, CoreDNS
  // (Pending until a CNI is installed).
  let state = produce(empty, (draft) => {
    kubeadmInit(draft, first);
    kubeProxy(draft);
    coreDNS(draft);
  });
  state = produce(converge(state), (draft) => {
    draft.clock += 60_000;
  });
  // The API server's `kubernetes` Service (first address of the range), kubeadm's kube-dns and
  // the coredns ConfigMap with its Corefile.
  state = applyObjects(state, [kubernetesService(config), ...corednsObjects(config)]).state;
  // kubectl apply -f kube-flannel.yml, a minute later.
  if ((opts.cni ?? 'flannel') === 'flannel') state = applyObjects(state, flannelManifests(config, opts.flannelBackend, opts.hairpinMode)).state;
  // …or canal.yaml instead: Calico's policy on Flannel's network.
  if (opts.cni === 'canal') state = applyObjects(state, canalManifests(config, opts.flannelBackend)).state;
  // kubeadm join, a few minutes later each. In a lab-sized cluster the controllers settle after
  // every join, as they would; for large generated clusters the nodes join together and the
  // controllers settle once (converging per node made bootstrap quadratic).
  const settleEachJoin = specs.length <= LAB_SIZE;
  const join = (draft: ClusterState, spec: Required<NodeSpecInput>, afterMs: number) => {
    draft.clock += afterMs;
    kubeadmJoin(draft, spec);
  };
  const joining = specs.filter((s) => s !== first);
  if (settleEachJoin) {
    for (const spec of joining)
      state = converge(
        produce(state, (draft) => join(draft, spec, 120_000)),
        state,
      );
  } else {
    state = converge(
      produce(state, (draft) =>
        joining.forEach((spec) => {
          join(draft, spec, 1_000);
        }),
      ),
      state,
    );
  }
  state = produce(state, (draft) => {
    draft.clock += 60_000;
  });
  // The lab's add-ons: MetalLB (L2) for LoadBalancer Services, then ingress-nginx behind it.
  if (config.loadBalancer.provider === 'metallb') state = applyObjects(state, metallbManifests(config)).state;
  if (opts.ingressController !== false) state = applyObjects(state, ingressNginxManifests(config)).state;
  // The student logs in some time after the lab was built.
  return converge(
    produce(state, (draft) => {
      draft.clock = Math.max(draft.clock, start + 45 * 60_000);
    }),
    state,
  );
}

/**
 * `kubeadm join`: a new node registers, gets a podCIDR, and the DaemonSets and Flannel follow.
 * The spec is checked first (NetsimInputError naming `spec.name`, `spec.ip`); without an ip the
 * node takes the first free address from the node network's .10 up, outside the MetalLB pool.
 */
export function joinNode(state: ClusterState, spec: NodeSpecInput): ClusterState {
  checkJoinSpec(state, spec);
  const nodeNet = parseCidr(state.config.nodeNetwork);
  const used = new Set(Object.values(state.nodes).map((n) => nodeInternalIP(n)));
  const pool = new Set(poolAddresses(state.config.loadBalancer.pool));
  const gateway = tryParseIPv4(state.config.nodeGateway);
  let address = spec.ip;
  for (let i = 10; !address; i++) {
    if (i >= nodeNet.size - 1) throw new NetsimInputError('spec', spec, `nodeNetwork "${state.config.nodeNetwork}" has no free address left: give an ip`);
    const candidate = nthAddress(nodeNet, i);
    if (candidate !== gateway && !pool.has(candidate) && !used.has(ipToString(candidate))) address = ipToString(candidate);
  }
  const joined = produce(state, (draft) => {
    kubeadmJoin(draft, { name: spec.name, role: spec.role ?? 'worker', ip: address });
  });
  return converge(joined, state);
}
