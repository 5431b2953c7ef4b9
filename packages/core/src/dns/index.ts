// Cluster DNS. Named exports only: resolv.ts/stub.ts define their own QType/Rcode (a superset of
// the server model's), so `export *` from several modules here would collide.

// --- CoreDNS server model: Corefile, the kubernetes plugin's view, the plugin chain, upstream ---

/** Corefile parsing/validation in CoreDNS's wording, and kubeadm's Corefile. */
export {
  COREDNS_DIRECTIVES,
  CorefileError,
  KUBEADM_COREFILE,
  MODELLED_PLUGINS,
  formatCorefile,
  kubeadmCorefile,
  parseCorefile,
  type CachePlugin,
  type Corefile,
  type CorefileToken,
  type Directive,
  type ForwardPlugin,
  type HostsEntry,
  type HostsPlugin,
  type KubernetesPlugin,
  type ParseOptions,
  type PluginConfig,
  type RewriteNameRule,
  type RewriteOtherRule,
  type RewritePlugin,
  type ServerBlock,
  type SimplePlugin,
  type UnmodelledPlugin,
  type ZoneAddr,
} from './corefile.js';

/** What the kubernetes plugin sees (cached per state), records and address helpers. */
export {
  addressFromReverse,
  canonicalIP,
  dnsData,
  endpointHostname,
  reverseName,
  serveKubernetes,
  type DnsData,
  type DnsEndpointAddress,
  type DnsEndpoints,
  type DnsMessage,
  type DnsPod,
  type DnsPort,
  type DnsService,
  type RR,
  type RRType,
} from './records.js';

/** One query through CoreDNS: server block selection and the plugin chain. */
export { answer, type AnswerContext, type DnsAnswer, type DnsQuery } from './server.js';

/** The recursive resolvers beyond `forward`. */
export {
  defaultUpstreamZone,
  isUnreachable,
  makeUpstream,
  unreachableUpstream,
  type UpstreamAnswer,
  type UpstreamFn,
  type UpstreamQuery,
  type UpstreamRecords,
  type UpstreamReply,
  type UpstreamUnreachable,
  type UpstreamZone,
} from './upstream.js';
