// `kubectl describe networkpolicy` (describe.go's describeNetworkPolicy and
// describeNetworkPolicySpec, networking.k8s.io/v1). There are no events for NetworkPolicies.

import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from '../../../api/types.js';
import { formatLabelSelector } from '../helpers.js';
import { PrefixWriter } from './prefix-writer.js';
import { printAnnotationsMultiline, printLabelsMultiline } from './sections.js';

const INDENT = '    ';

/** metav1.Time printed with %s: Go's time.Time.String() of a UTC time. */
function goTimeString(rfc3339: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?Z$/.exec(rfc3339);
  return m ? `${m[1]} ${m[2]} +0000 UTC` : rfc3339;
}

/** `To Port: 80/TCP`, `To Port Range: 32000-32768/TCP`; a nil port prints as `<nil>`. */
function portLine(p: NetworkPolicyPort): string {
  const port = p.port === undefined ? '<nil>' : String(p.port);
  return p.endPort === undefined ? `To Port: ${port}/${p.protocol}` : `To Port Range: ${port}-${p.endPort}/${p.protocol}`;
}

function printPeer(w: PrefixWriter, peer: NetworkPolicyPeer): void {
  if (peer.podSelector && peer.namespaceSelector) {
    w.write(1, `${INDENT}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
    w.write(1, `${INDENT}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
  } else if (peer.podSelector) {
    w.write(1, `${INDENT}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
  } else if (peer.namespaceSelector) {
    w.write(1, `${INDENT}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
  } else if (peer.ipBlock) {
    w.write(1, `${INDENT}IPBlock:\n`);
    w.write(2, `${INDENT}CIDR: ${peer.ipBlock.cidr}\n`);
    w.write(2, `${INDENT}Except: ${(peer.ipBlock.except ?? []).join(', ')}\n`);
  }
}

/** printNetworkPolicySpecIngressFrom / printNetworkPolicySpecEgressTo, one function for both. */
function printRules(w: PrefixWriter, rules: { ports?: NetworkPolicyPort[]; peers?: NetworkPolicyPeer[] }[], dir: 'ingress' | 'egress'): void {
  if (rules.length === 0) {
    w.write(0, `${INDENT}<none> (Selected pods are isolated for ${dir} connectivity)\n`);
    return;
  }
  const peerWord = dir === 'ingress' ? 'From' : 'To';
  rules.forEach((r, i) => {
    if (!r.ports?.length) w.write(0, `${INDENT}To Port: <any> (traffic allowed to all ports)\n`);
    else for (const p of r.ports) w.write(0, `${INDENT}${portLine(p)}\n`);
    if (!r.peers?.length) {
      w.write(0, `${INDENT}${peerWord}: <any> (traffic not restricted by ${dir === 'ingress' ? 'source' : 'destination'})\n`);
    } else {
      for (const peer of r.peers) {
        w.write(0, `${INDENT}${peerWord}:\n`);
        printPeer(w, peer);
      }
    }
    if (i !== rules.length - 1) w.write(0, `${INDENT}----------\n`);
  });
}

/** `kubectl describe networkpolicy`. */
export function describeNetworkPolicy(np: NetworkPolicy): string {
  const w = new PrefixWriter();
  const meta = np.metadata;
  w.write(0, `Name:\t${meta.name}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  w.write(0, `Created on:\t${goTimeString(meta.creationTimestamp)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  const spec = np.spec;
  w.write(0, 'Spec:\n');
  w.write(1, 'PodSelector: ');
  const sel = spec.podSelector;
  if (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
    w.write(2, '<none> (Allowing the specific traffic to all pods in this namespace)\n');
  } else {
    w.write(2, `${formatLabelSelector(sel)}\n`);
  }
  if (spec.policyTypes.includes('Ingress')) {
    w.write(1, 'Allowing ingress traffic:\n');
    printRules(
      w,
      (spec.ingress ?? []).map((r) => ({ ports: r.ports, peers: r.from })),
      'ingress',
    );
  } else {
    w.write(1, 'Not affecting ingress traffic\n');
  }
  if (spec.policyTypes.includes('Egress')) {
    w.write(1, 'Allowing egress traffic:\n');
    printRules(
      w,
      (spec.egress ?? []).map((r) => ({ ports: r.ports, peers: r.to })),
      'egress',
    );
  } else {
    w.write(1, 'Not affecting egress traffic\n');
  }
  w.write(1, `Policy Types: ${spec.policyTypes.length > 0 ? spec.policyTypes.join(', ') : '<none>'}\n`);
  return w.toString();
}
