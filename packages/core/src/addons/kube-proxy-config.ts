// kube-proxy's configuration file: the `config.conf` kubeadm writes into the kube-system/kube-proxy
// ConfigMap, and kube-proxy's reading of it when its container starts (Kubernetes v1.34).
//
// Writing (kubeadm: cmd/kubeadm/app/componentconfigs/kubeproxy.go, phases/addons/proxy): kubeadm
// fills in only bindAddress (0.0.0.0 for an IPv4 advertise address), clusterCIDR (the pod
// subnet) and clientConnection.kubeconfig, and marshals the v1alpha1 struct as JSON turned into
// YAML: every field of k8s.io/kube-proxy/config/v1alpha1 (but `omitempty` ones) with Go's zero
// values (`mode: ""`, `masqueradeBit: null`, `configSyncPeriod: 0s`), keys sorted.
//
// Reading (cmd/kube-proxy/app Options.Complete, then Validate): decode, apply the v1alpha1
// defaults (masqueradeBit 14, localhostNodePorts true, …), platformApplyDefaults (mode "" →
// iptables, detectLocalMode "" → ClusterCIDR), convert to the internal type (clusterCIDR split at
// commas into detectLocal.clusterCIDRs), then validation.Validate; a failure is the error the
// process exits with, as `failed complete: …` or `failed validate: …`.
//
// Only what the simulator acts on is kept in KubeProxyConfiguration; the other fields are
// decoded and checked where kube-proxy checks them, then dropped. Not modelled: unknown fields
// (kube-proxy decodes leniently and logs a warning; here they are ignored silently), durations
// (syncPeriod and friends are not parsed), featureGates, logging, and apiVersion/kind other than
// kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration (the scheme's "no kind is registered"
// error is not reproduced).

import { jsonKind } from '../api/decode.js';
import { invalid, notSupported, aggregateMessage, renderFieldError, type FieldError } from '../api/errors.js';
import { isApiError } from '../api/errors.js';
import { parseManifests } from '../api/yaml.js';
import { tryParseCIDR, tryParseIPv4 } from '../net/ipv4.js';

export type ProxyMode = 'iptables' | 'ipvs' | 'nftables';
export type LocalMode = 'ClusterCIDR' | 'NodeCIDR' | 'BridgeInterface' | 'InterfaceNamePrefix';

/** `nodePortAddresses: [primary]`: the node's primary IP(s) only. */
export const NODE_PORT_ADDRESSES_PRIMARY = 'primary';

/**
 * The configuration a kube-proxy started with, as its internal (defaulted, converted, valid)
 * KubeProxyConfiguration holds the fields that decide its rules.
 */
export interface KubeProxyConfiguration {
  mode: ProxyMode;
  detectLocalMode: LocalMode;
  /** `clusterCIDR` split at commas (DetectLocal.ClusterCIDRs); empty when unset. */
  clusterCIDRs: string[];
  bridgeInterface: string;
  interfaceNamePrefix: string;
  masqueradeAll: boolean;
  /** iptables.masqueradeBit: KUBE-MARK-MASQ sets 1 << bit (14: 0x4000). */
  masqueradeBit: number;
  /** iptables.localhostNodePorts as configured (kube-proxy turns it off when nodePortAddresses excludes 127.0.0.0/8). */
  localhostNodePorts: boolean;
  /** CIDRs, or [`primary`]; empty: every local address. */
  nodePortAddresses: string[];
}

/** The configuration kube-proxy runs with when config.conf is kubeadm's (for a pod network `clusterCIDR`). */
export function defaultKubeProxyConfiguration(clusterCIDR: string): KubeProxyConfiguration {
  return {
    mode: 'iptables',
    detectLocalMode: 'ClusterCIDR',
    clusterCIDRs: clusterCIDR ? clusterCIDR.split(',') : [],
    bridgeInterface: '',
    interfaceNamePrefix: '',
    masqueradeAll: false,
    masqueradeBit: 14,
    localhostNodePorts: true,
    nodePortAddresses: [],
  };
}

// ---------------------------------------------------------------------------------------------
// What kubeadm writes

/** The ConfigMap key kube-proxy's --config points at, and the mount directory. */
export const KUBE_PROXY_CONFIG_KEY = 'config.conf';
export const KUBE_PROXY_CONFIG_DIR = '/var/lib/kube-proxy';

/**
 * config.conf as kubeadm init writes it for a pod subnet (empty when kubeadm had none): the
 * v1alpha1 struct, sorted keys, Go zero values. No trailing newline (the template's `|-`).
 */
export function kubeadmKubeProxyConfigConf(podSubnet: string): string {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: ${podSubnet || '""'}
configSyncPeriod: 0s
conntrack:
  maxPerCore: null
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocal:
  bridgeInterface: ""
  interfaceNamePrefix: ""
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: ""
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
metricsBindAddress: ""
mode: ""
nftables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForVersion: ""
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: ""
  rootHnsEndpointName: ""
  sourceVip: ""`;
}

/** kubeconfig.conf of the same ConfigMap: the pod's service account token against the control-plane endpoint (`https://IP:6443`). */
export function kubeadmKubeProxyKubeconfig(server: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: ${server}
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token`;
}

// ---------------------------------------------------------------------------------------------
// What kube-proxy reads

/**
 * What kube-proxy made of its config file. `modeDefaulted`: decoding succeeded with no `mode`, so
 * platformApplyDefaults chose iptables (and logged "Using iptables proxy") before validating.
 */
export type KubeProxyConfigResult = { ok: true; config: KubeProxyConfiguration; modeDefaulted: boolean } | { ok: false; error: string; modeDefaulted: boolean };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** encoding/json's type errors while decoding into the v1alpha1 struct (first one wins, as in Go). */
class Decoder {
  error: string | undefined;

  private fail(value: unknown, struct: string, path: string, goType: string): void {
    const kind = jsonKind(value);
    const what = kind === 'number' && goType === 'int32' ? `number ${String(value)}` : kind;
    this.error ??= `json: cannot unmarshal ${what} into Go struct field ${struct}.${path} of type ${goType}`;
  }

  string(o: Json, key: string, struct: string, path: string): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    this.fail(v, struct, path, 'string');
    return undefined;
  }

  bool(o: Json, key: string, struct: string, path: string): boolean | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    this.fail(v, struct, path, 'bool');
    return undefined;
  }

  int32(o: Json, key: string, struct: string, path: string): number | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) return v;
    this.fail(v, struct, path, 'int32');
    return undefined;
  }

  strings(o: Json, key: string, struct: string, path: string): string[] | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.fail(v, struct, path, '[]string');
      return undefined;
    }
    const out: string[] = [];
    for (const item of v) {
      if (typeof item === 'string') out.push(item);
      else if (item !== null) {
        this.fail(item, struct, path, 'string');
        return undefined;
      } else out.push('');
    }
    return out;
  }

  object(o: Json, key: string, struct: string, path: string, goType: string): Json {
    const v = o[key];
    if (v === undefined || v === null) return {};
    if (isObject(v)) return v;
    this.fail(v, struct, path, goType);
    return {};
  }
}

/** The fields read from the v1alpha1 document (undefined: absent or null). */
interface Decoded {
  mode?: string;
  bindAddress?: string;
  clusterCIDR?: string;
  detectLocalMode?: string;
  bridgeInterface?: string;
  interfaceNamePrefix?: string;
  masqueradeAll?: boolean;
  masqueradeBit?: number;
  localhostNodePorts?: boolean;
  nftMasqueradeBit?: number;
  nodePortAddresses?: string[];
  oomScoreAdj?: number;
  maxPerCore?: number;
  min?: number;
  burst?: number;
}

function decode(doc: Json): { decoded: Decoded } | { error: string } {
  const d = new Decoder();
  const top = 'KubeProxyConfiguration';
  const iptables = d.object(doc, 'iptables', top, 'iptables', 'v1alpha1.KubeProxyIPTablesConfiguration');
  const nftables = d.object(doc, 'nftables', top, 'nftables', 'v1alpha1.KubeProxyNFTablesConfiguration');
  const detectLocal = d.object(doc, 'detectLocal', top, 'detectLocal', 'v1alpha1.DetectLocalConfiguration');
  const conntrack = d.object(doc, 'conntrack', top, 'conntrack', 'v1alpha1.KubeProxyConntrackConfiguration');
  const client = d.object(doc, 'clientConnection', top, 'clientConnection', 'v1alpha1.ClientConnectionConfiguration');
  const decoded: Decoded = {};
  const set = <K extends keyof Decoded>(k: K, v: Decoded[K] | undefined): void => {
    if (v !== undefined) decoded[k] = v;
  };
  // In the order encoding/json meets the keys of kubeadm's (sorted) file.
  set('bindAddress', d.string(doc, 'bindAddress', top, 'bindAddress'));
  set('burst', d.int32(client, 'burst', 'ClientConnectionConfiguration', 'clientConnection.burst'));
  set('clusterCIDR', d.string(doc, 'clusterCIDR', top, 'clusterCIDR'));
  set('maxPerCore', d.int32(conntrack, 'maxPerCore', 'KubeProxyConntrackConfiguration', 'conntrack.maxPerCore'));
  set('min', d.int32(conntrack, 'min', 'KubeProxyConntrackConfiguration', 'conntrack.min'));
  set('bridgeInterface', d.string(detectLocal, 'bridgeInterface', 'DetectLocalConfiguration', 'detectLocal.bridgeInterface'));
  set('interfaceNamePrefix', d.string(detectLocal, 'interfaceNamePrefix', 'DetectLocalConfiguration', 'detectLocal.interfaceNamePrefix'));
  set('detectLocalMode', d.string(doc, 'detectLocalMode', top, 'detectLocalMode'));
  set('localhostNodePorts', d.bool(iptables, 'localhostNodePorts', 'KubeProxyIPTablesConfiguration', 'iptables.localhostNodePorts'));
  set('masqueradeAll', d.bool(iptables, 'masqueradeAll', 'KubeProxyIPTablesConfiguration', 'iptables.masqueradeAll'));
  set('masqueradeBit', d.int32(iptables, 'masqueradeBit', 'KubeProxyIPTablesConfiguration', 'iptables.masqueradeBit'));
  set('mode', d.string(doc, 'mode', top, 'mode'));
  set('nftMasqueradeBit', d.int32(nftables, 'masqueradeBit', 'KubeProxyNFTablesConfiguration', 'nftables.masqueradeBit'));
  set('nodePortAddresses', d.strings(doc, 'nodePortAddresses', top, 'nodePortAddresses'));
  set('oomScoreAdj', d.int32(doc, 'oomScoreAdj', top, 'oomScoreAdj'));
  return d.error ? { error: d.error } : { decoded };
}

/** Go's net.ParseIP: an IPv4 dotted quad or an IPv6 address. */
function isIP(s: string): boolean {
  return tryParseIPv4(s) !== undefined || isIPv6(s);
}

function isIPv6(s: string): boolean {
  if (!s.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(s)) return false;
  try {
    return new URL(`http://[${s}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/** netutils.ParseCIDRSloppy succeeds. */
export function isCIDR(s: string): boolean {
  if (tryParseCIDR(s)) return true;
  const slash = s.lastIndexOf('/');
  if (slash < 0) return false;
  const len = s.slice(slash + 1);
  return isIPv6(s.slice(0, slash)) && /^\d{1,3}$/.test(len) && Number(len) <= 128;
}

const isIPv4CIDR = (s: string): boolean => tryParseCIDR(s) !== undefined;

/** validation.Validate, for the fields the simulator reads (field paths as the v1.34 internal type names them). */
function validate(c: KubeProxyConfiguration, decoded: Decoded, bindAddress: string): FieldError[] {
  const errs: FieldError[] = [];
  const root = 'KubeProxyConfiguration';
  if (c.masqueradeBit < 0 || c.masqueradeBit > 31) errs.push(invalid(`${root}.KubeProxyIPTablesConfiguration.MasqueradeBit`, c.masqueradeBit, 'must be within the range [0, 31]'));
  if (c.mode === 'nftables') {
    const bit = decoded.nftMasqueradeBit ?? 14;
    if (bit < 0 || bit > 31) errs.push(invalid(`${root}.KubeProxyNFTablesConfiguration.MasqueradeBit`, bit, 'must be within the range [0, 31]'));
  }
  const linux = `${root}.KubeProxyLinuxConfiguration`;
  if (decoded.maxPerCore !== undefined && decoded.maxPerCore < 0)
    errs.push(invalid(`${linux}.KubeProxyConntrackConfiguration.MaxPerCore`, decoded.maxPerCore, 'must be greater than or equal to 0'));
  if (decoded.min !== undefined && decoded.min < 0) errs.push(invalid(`${linux}.KubeProxyConntrackConfiguration.Min`, decoded.min, 'must be greater than or equal to 0'));
  if (decoded.oomScoreAdj !== undefined && (decoded.oomScoreAdj < -1000 || decoded.oomScoreAdj > 1000)) {
    errs.push(invalid(`${linux}.OOMScoreAdj`, decoded.oomScoreAdj, 'must be within the range [-1000, 1000]'));
  }
  if (!['iptables', 'ipvs', 'nftables'].includes(c.mode)) {
    errs.push(invalid(`${root}.Mode.ProxyMode`, c.mode, 'must be iptables, ipvs, nftables or blank (blank means the best-available proxy [currently iptables])'));
  }
  if (decoded.burst !== undefined && decoded.burst < 0) errs.push(invalid(`${root}.ClientConnection.Burst`, decoded.burst, 'must be greater than or equal to 0'));
  if (!isIP(bindAddress)) errs.push(invalid(`${root}.BindAddress`, bindAddress, 'not a valid textual representation of an IP address'));
  const npa = c.nodePortAddresses;
  for (let i = 0; i < npa.length; i++) {
    if (npa[i] === NODE_PORT_ADDRESSES_PRIMARY) {
      if (i !== 0 || npa.length !== 1) errs.push(invalid(`${root}.NodePortAddresses[${i}]`, npa[i], "can't use both 'primary' and CIDRs"));
      break;
    }
    if (!isCIDR(npa[i]!)) errs.push(invalid(`${root}.NodePortAddresses[${i}]`, npa[i], 'must be a valid CIDR'));
  }
  const modes = ['ClusterCIDR', 'NodeCIDR', 'BridgeInterface', 'InterfaceNamePrefix', ''];
  if (!modes.includes(c.detectLocalMode)) errs.push(notSupported(`${root}.DetectLocalMode`, c.detectLocalMode, modes));
  const dl = `${root}.DetectLocalConfiguration`;
  if (c.detectLocalMode === 'BridgeInterface' && c.bridgeInterface === '') errs.push(invalid(`${dl}.InterfaceName`, '', 'must not be empty'));
  if (c.detectLocalMode === 'InterfaceNamePrefix' && c.interfaceNamePrefix === '') errs.push(invalid(`${dl}.InterfacePrefix`, '', 'must not be empty'));
  if (c.detectLocalMode === 'ClusterCIDR' && c.clusterCIDRs.length > 0) {
    const cidrs = c.clusterCIDRs;
    const pair = 'must be a either a single CIDR or dual-stack pair of CIDRs (e.g. [10.100.0.0/16, fde4:8dba:82e1::/48]';
    if (cidrs.length > 2) errs.push(invalid(`${dl}.ClusterCIDRs`, cidrs, pair));
    else {
      cidrs.forEach((s, i) => {
        if (!isCIDR(s)) errs.push(invalid(`${dl}.ClusterCIDRs[${i}]`, s, 'must be a valid CIDR block (e.g. 10.100.0.0/16 or fde4:8dba:82e1::/48)'));
      });
      // IsDualStackCIDRStrings: both must parse, one of each family.
      if (cidrs.length === 2 && cidrs.every(isCIDR) && isIPv4CIDR(cidrs[0]!) === isIPv4CIDR(cidrs[1]!)) errs.push(invalid(`${dl}.ClusterCIDRs`, cidrs, pair));
    }
  }
  return errs;
}

/**
 * kube-proxy reading its config file: the configuration it runs with, or the error it exits with
 * (the text of its `"command failed" err=…` line).
 */
export function readKubeProxyConfiguration(text: string): KubeProxyConfigResult {
  let docs: unknown[];
  try {
    docs = parseManifests(text, KUBE_PROXY_CONFIG_KEY);
  } catch (e) {
    if (!isApiError(e)) throw e;
    return { ok: false, error: `failed complete: failed to decode: ${e.message.replace(`error parsing ${KUBE_PROXY_CONFIG_KEY}: `, '')}`, modeDefaulted: false };
  }
  const doc = docs[0];
  if (!isObject(doc) || typeof doc.kind !== 'string' || doc.kind === '')
    return { ok: false, error: `failed complete: failed to decode: Object 'Kind' is missing in '${text}'`, modeDefaulted: false };
  if (typeof doc.apiVersion !== 'string' || doc.apiVersion === '')
    return { ok: false, error: `failed complete: failed to decode: Object 'apiVersion' is missing in '${text}'`, modeDefaulted: false };
  const r = decode(doc);
  if ('error' in r) return { ok: false, error: `failed complete: failed to decode: ${r.error}`, modeDefaulted: false };
  const d = r.decoded;
  // v1alpha1 defaults, then platformApplyDefaults (Linux), then conversion to the internal type.
  const config: KubeProxyConfiguration = {
    mode: (d.mode || 'iptables') as ProxyMode,
    detectLocalMode: (d.detectLocalMode || 'ClusterCIDR') as LocalMode,
    clusterCIDRs: d.clusterCIDR ? d.clusterCIDR.split(',') : [],
    bridgeInterface: d.bridgeInterface ?? '',
    interfaceNamePrefix: d.interfaceNamePrefix ?? '',
    masqueradeAll: d.masqueradeAll ?? false,
    masqueradeBit: d.masqueradeBit ?? 14,
    localhostNodePorts: d.localhostNodePorts ?? true,
    nodePortAddresses: d.nodePortAddresses ?? [],
  };
  // nftables mode serves NodePorts on the primary IPs unless told otherwise.
  if (config.mode === 'nftables' && config.nodePortAddresses.length === 0) config.nodePortAddresses = [NODE_PORT_ADDRESSES_PRIMARY];
  const modeDefaulted = !d.mode;
  const errs = validate(config, d, d.bindAddress || '0.0.0.0');
  if (errs.length) return { ok: false, error: `failed validate: ${aggregateMessage(errs.map((e) => renderFieldError(e)))}`, modeDefaulted };
  return { ok: true, config, modeDefaulted };
}
