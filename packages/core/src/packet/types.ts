// The result of tracing a packet: a contract (`netsim trace -o json` prints it as is).
// Extend it; never rename fields.

export type Proto = 'tcp' | 'udp' | 'icmp' | 'sctp';

export type Verdict = 'delivered' | 'dropped' | 'rejected';

/** Where a hop happened. */
export interface HopLocation {
  node: string;
  /** `root` for the node's namespace, `cni-…` for a pod's. */
  netns: string;
  /** Pod owning the namespace, "ns/name". */
  pod?: string;
  iface?: string;
}

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

export type HopKind =
  | 'send'
  | 'route'
  | 'arp'
  | 'veth'
  | 'bridge'
  | 'forward'
  | 'netfilter'
  | 'encap'
  | 'decap'
  | 'wire'
  | 'gateway'
  | 'conntrack'
  | 'local'
  | 'deliver'
  | 'reject'
  | 'drop';

export interface Hop {
  kind: HopKind;
  at: HopLocation;
  /** What happened, in a sentence. */
  action: string;
  /** The table entry that decided it, in the real tool's text (`ip route`, `bridge fdb`, `ip neigh`). */
  entry?: string;
  table?: string;
  chain?: string;
  rule?: string;
  object?: ObjectRef;
}

export interface Endpoint {
  ip: string;
  port?: number;
}

export interface TraceResult {
  verdict: Verdict;
  /** Why it was dropped or rejected, as the kernel/tool would put it (e.g. "Connection refused"). */
  reason?: string;
  proto: Proto;
  /** The packet as the sender built it. */
  packet: { src: Endpoint; dst: Endpoint };
  /** On delivery: who received it (a pod, a node, or a host on the simulated internet). */
  to?: { pod?: string; node?: string; host?: string; ip: string; port?: number };
  /** On delivery: the source address and port as the receiver sees it. */
  source?: Endpoint;
  /** On delivery: the reply as the sender sees it, after conntrack undid any NAT. */
  reply?: { src: Endpoint; dst: Endpoint };
  /** An ICMP error sent back to the sender, and by whom (ping prints `From X … Destination Host Unreachable`). */
  icmpError?: { from: string; type: 'host-unreachable' | 'net-unreachable' | 'port-unreachable' | 'frag-needed'; mtu?: number };
  /**
   * A local send error (the sender's kernel refused it): EMSGSIZE with the path MTU,
   * ENETUNREACH, or EPERM when the sender's own OUTPUT/POSTROUTING rules drop a UDP datagram
   * or a ping (`ping: sendmsg: Operation not permitted`; a TCP SYN dropped so is retried until
   * the connection times out).
   */
  localError?: { errno: 'EMSGSIZE' | 'ENETUNREACH' | 'EPERM'; mtu?: number };
  /**
   * With an HTTP request (`--http`): what answered, and when an ingress controller proxied it, its
   * L7 decision (which rule matched and why) and the second connection it opened.
   */
  http?: {
    request: { host: string; path: string };
    status?: number;
    ingress?: {
      reason: string;
      rule?: { namespace: string; name: string; host?: string; path?: string; pathType?: string };
      service?: { namespace: string; name: string; port: number | string };
      upstream?: string;
      headers: Record<string, string>;
    };
    upstream?: TraceResult;
  };
  /** The TTL the receiver's reply starts with (64 for Linux), for ping. */
  replyTtl?: number;
  /** Routers the packet crossed (TTL decrements), for ping's ttl=. */
  forwardings: number;
  hops: Hop[];
  /**
   * NetworkPolicy's part in this packet's fate. With a CNI that does not enforce them (plain
   * Flannel): present on a delivery to a pod that policies would have denied, `enforced: false`,
   * `wouldDeny` naming them. With an enforcing one (canal: Calico's Felix): present whenever a
   * policy selects the source (egress) or the destination (ingress) pod, `enforced: true`, with
   * one decision per direction judged; `wouldDeny` then names the policies that denied it.
   */
  policy?: TracePolicy;
}

/** A NetworkPolicy reference. */
export interface PolicyName {
  namespace: string;
  name: string;
}

export interface TracePolicy {
  enforced: boolean;
  /** The policies whose selection denied it (would have, when not enforced). */
  wouldDeny: PolicyName[];
  /** Who enforces: 'calico' (canal's Felix) when enforced. */
  enforcer?: 'calico';
  /** Under enforcement: each direction judged, egress (at the source pod) first. */
  decisions?: PolicyDecision[];
  /**
   * Why a selected pod was not judged though the CNI enforces policy (e.g. its interface is
   * not a Calico workload endpoint: created before canal was installed).
   */
  note?: string;
}

/** One direction's verdict at one pod, as the enforcing dataplane decided it. */
export interface PolicyDecision {
  direction: 'ingress' | 'egress';
  /** namespace/name of the pod whose policies decided: the destination (ingress) or source (egress). */
  pod: string;
  verdict: 'allow' | 'deny';
  /** The policy and rule index (into spec.ingress / spec.egress) that allowed it. */
  policy?: PolicyName;
  rule?: number;
  /** Every policy selecting the pod in this direction, in the order the dataplane tries them. */
  selectedBy: PolicyName[];
  /** The netfilter chain that decided (cali-pi-…/cali-po-… for an allow, cali-tw-…/cali-fw-… for a denial). */
  chain?: string;
}

export interface TraceRequest {
  /**
   * A pod ("ns/name" or "name" in default), a node, or a machine outside the cluster (`external`:
   * its address): on the node network a host there (the lab host 192.168.56.1 is the workstation,
   * the network's gateway), anywhere else a client on the internet, which reaches the lab through
   * that router.
   */
  from: { pod: string } | { node: string } | { external: string };
  to: { ip: string; port?: number };
  proto?: Proto;
  /** Source port; default: a seeded ephemeral port. */
  sport?: number;
  /** IP total length in bytes (default: 84, a default ping; 60 for a TCP SYN; 28 + 32 for UDP). */
  size?: number;
  /** Don't Fragment (default: set, as Linux does for TCP and for ping's PMTU discovery). */
  df?: boolean;
}
