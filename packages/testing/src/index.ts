// @k8s-netsim/testing — the kit for testing with the simulator: fast-check arbitraries of
// manifests, clusters, packets and rules; manifest builders; cluster invariants; DNS lookups;
// trace predicates. Vitest matchers: `import '@k8s-netsim/testing/vitest'`. The real kernel's
// tools (iptables-restore in a network namespace): `@k8s-netsim/testing/kernel`.

export * from './builders.js';
export * from './arbitraries/kube-proxy.js';
export * from './arbitraries/netfilter.js';
export * from './dns.js';
export * from './trace-match.js';
export * from './invariants.js';
export * from './arbitraries/manifests.js';
export * from './arbitraries/cluster.js';
export * from './arbitraries/packet.js';
export * from './arbitraries/invalid.js';
export * from './arbitraries/networkpolicy.js';
export * from './networkpolicy/cases.js';
