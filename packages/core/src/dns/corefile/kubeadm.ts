// The Corefile kubeadm writes into the `coredns` ConfigMap, per Kubernetes version: what every
// simulated cluster starts with.

import { DEFAULT_KUBERNETES_VERSION, versionAtLeast } from '../../api/version.js';

/**
 * The Corefile kubeadm writes into the `coredns` ConfigMap (cmd/kubeadm/app/phases/addons/dns/
 * manifests.go). Since kubeadm 1.32 (kubernetes#128359) the cache skips the cluster domain so
 * authoritative answers are never served stale.
 */
export function kubeadmCorefile(clusterDomain = 'cluster.local', kubernetesVersion: string = DEFAULT_KUBERNETES_VERSION): string {
  const cache = versionAtLeast(kubernetesVersion, 1, 32)
    ? `    cache 30 {\n       disable success ${clusterDomain}\n       disable denial ${clusterDomain}\n    }\n`
    : '    cache 30\n';
  return (
    '.:53 {\n' +
    '    errors\n' +
    '    health {\n' +
    '       lameduck 5s\n' +
    '    }\n' +
    '    ready\n' +
    `    kubernetes ${clusterDomain} in-addr.arpa ip6.arpa {\n` +
    '       pods insecure\n' +
    '       fallthrough in-addr.arpa ip6.arpa\n' +
    '       ttl 30\n' +
    '    }\n' +
    '    prometheus :9153\n' +
    '    forward . /etc/resolv.conf {\n' +
    '       max_concurrent 1000\n' +
    '    }\n' +
    cache +
    '    loop\n' +
    '    reload\n' +
    '    loadbalance\n' +
    '}\n'
  );
}

/** kubeadm's Corefile for the default Kubernetes version and cluster.local. */
export const KUBEADM_COREFILE = kubeadmCorefile();
