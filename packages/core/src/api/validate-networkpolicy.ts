// NetworkPolicy create validation (pkg/apis/networking/validation/validation.go,
// ValidateNetworkPolicy), in upstream order: metadata, spec.podSelector, each ingress rule's
// ports then peers, each egress rule's ports then peers, then policyTypes.

import type { IPBlock, NetworkPolicyPeer, NetworkPolicyPort } from './types.js';
import type { Manifest } from './manifest-types.js';
import { forbidden, invalid, notSupported, required, type FieldError } from './errors.js';
import { GoPointer, GoSlice } from './gofmt.js';
import { validateLabelSelector, validateObjectMeta } from './validate-meta.js';
import { isValidCIDR, isValidPortName, isValidPortNum, nameIsDNSSubdomain } from './validation.js';
import { tryParseCidr } from '../net/cidr.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

/** ValidateNetworkPolicyPort. */
export function validateNetworkPolicyPort(port: NetworkPolicyPort, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
  if (port.port !== undefined) {
    if (typeof port.port === 'number') {
      errs.push(...isValidPortNum(port.port).map((msg) => invalid(`${path}.port`, port.port, msg)));
      if (port.endPort !== undefined) {
        if (port.endPort < port.port) errs.push(invalid(`${path}.endPort`, port.endPort, 'must be greater than or equal to `port`'));
        errs.push(...isValidPortNum(port.endPort).map((msg) => invalid(`${path}.endPort`, port.endPort, msg)));
      }
    } else {
      if (port.endPort !== undefined) errs.push(invalid(`${path}.endPort`, port.endPort, 'may not be specified when `port` is non-numeric'));
      errs.push(...isValidPortName(port.port).map((msg) => invalid(`${path}.port`, port.port, msg)));
    }
  } else if (port.endPort !== undefined) {
    errs.push(invalid(`${path}.endPort`, port.endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

/** ValidateIPBlock: cidr required and valid; each `except` valid and a strict subset of `cidr`. */
export function validateIPBlock(block: IPBlock, path: string): FieldError[] {
  if (block.cidr === '') return [required(`${path}.cidr`)];
  const errs = isValidCIDR(block.cidr).map((msg) => invalid(`${path}.cidr`, block.cidr, msg));
  const outer = tryParseCidr(block.cidr);
  if (errs.length > 0 || !outer) return errs;
  (block.except ?? []).forEach((x, i) => {
    const p = `${path}.except[${i}]`;
    const bad = isValidCIDR(x).map((msg) => invalid(p, x, msg));
    errs.push(...bad);
    const inner = tryParseCidr(x);
    if (bad.length > 0 || !inner) return;
    // !cidrIPNet.Contains(exceptCIDR.IP) || cidrMaskLen >= exceptMaskLen
    if (inner.first < outer.first || inner.first > outer.last || outer.prefixLen >= inner.prefixLen) {
      errs.push(invalid(p, x, 'must be a strict subset of `cidr`'));
    }
  });
  return errs;
}

/** ValidateNetworkPolicyPeer: at least one peer; ipBlock never with a selector. */
export function validateNetworkPolicyPeer(peer: NetworkPolicyPeer, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (peer.podSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (peer.namespaceSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (peer.ipBlock) {
    n++;
    errs.push(...validateIPBlock(peer.ipBlock, `${path}.ipBlock`));
  }
  if (n === 0) errs.push(required(path, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock) errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** ValidateNetworkPolicy (create). */
export function validateNetworkPolicy(np: Manifest<'NetworkPolicy'>, kubernetesVersion?: string): FieldError[] {
  const errs = validateObjectMeta(np.metadata, true, nameIsDNSSubdomain, kubernetesVersion);
  const spec = np.spec;
  errs.push(...validateLabelSelector(spec.podSelector, 'spec.podSelector'));
  for (const [i, rule] of (spec.ingress ?? []).entries()) {
    for (const [j, p] of (rule.ports ?? []).entries()) errs.push(...validateNetworkPolicyPort(p, `spec.ingress[${i}].ports[${j}]`));
    for (const [j, p] of (rule.from ?? []).entries()) errs.push(...validateNetworkPolicyPeer(p, `spec.ingress[${i}].from[${j}]`));
  }
  for (const [i, rule] of (spec.egress ?? []).entries()) {
    for (const [j, p] of (rule.ports ?? []).entries()) errs.push(...validateNetworkPolicyPort(p, `spec.egress[${i}].ports[${j}]`));
    for (const [j, p] of (rule.to ?? []).entries()) errs.push(...validateNetworkPolicyPeer(p, `spec.egress[${i}].to[${j}]`));
  }
  if (spec.policyTypes.length > POLICY_TYPES.length) {
    // The server passes &spec.PolicyTypes: a pointer to the internal type's slice.
    const bad = new GoPointer('*[]networking.PolicyType', new GoSlice('networking.PolicyType', spec.policyTypes));
    errs.push(invalid('spec.policyTypes', bad, 'may not specify more than two policyTypes'));
    return errs;
  }
  spec.policyTypes.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) errs.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  return errs;
}
