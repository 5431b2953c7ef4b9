// The Corefile module's single way in: CoreDNS's Corefile parsing and validation (in its error
// wording), printing, and kubeadm's Corefile. Everything else in this folder is internal.

export { COREDNS_DIRECTIVES, MODELLED_PLUGINS } from './directives.js';
export { formatCorefile } from './format.js';
export { KUBEADM_COREFILE, kubeadmCorefile } from './kubeadm.js';
export { parseCorefile } from './load.js';
export { isDomainName } from './names.js';
export {
  type CachePlugin,
  type Corefile,
  CorefileError,
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
} from './types.js';
