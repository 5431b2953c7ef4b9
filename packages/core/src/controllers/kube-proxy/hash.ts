// kube-proxy's chain names: a prefix plus the first 16 characters of the standard (RFC 4648,
// upper-case) base32 encoding of sha256(servicePortName + protocol [+ endpoint]). iptables limits
// chain names to 28 characters; the longest prefix, "KUBE-SVC-" etc. (9), plus 16 stays well
// inside. Checked against kube-proxy's own test values (see hash.test.ts).

import { createHash } from 'node:crypto';

export type ServicePortChainPrefix = 'KUBE-SVC-' | 'KUBE-SVL-' | 'KUBE-EXT-' | 'KUBE-FW-';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** First 16 base32 characters of sha256(text): exactly the first 10 bytes (80 bits) of the digest. */
function hash16(text: string): string {
  const d = createHash('sha256').update(text, 'utf8').digest();
  let out = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < 10; i++) {
    acc = (acc << 8) | d[i]!;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/**
 * `ns/name[:portName]` as kube-proxy's ServicePortName.String() prints it: the `:portName` part
 * only when the Service port is named.
 */
export function servicePortNameString(namespace: string, name: string, portName: string): string {
  return portName ? `${namespace}/${name}:${portName}` : `${namespace}/${name}`;
}

/**
 * KUBE-SVC-/SVL-/EXT-/FW- chain of a service port. kube-proxy hashes the protocol lower-cased
 * ("tcp"), so either case may be passed here.
 */
export function servicePortChainName(prefix: ServicePortChainPrefix, servicePortName: string, protocol: string): string {
  return prefix + hash16(servicePortName + protocol.toLowerCase());
}

/** KUBE-SEP- chain of one endpoint (`ip:port`) of a service port. */
export function endpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(servicePortName + protocol.toLowerCase() + endpoint)}`;
}
