// Service, Endpoints and EndpointSlice create validation (pkg/apis/core/validation ValidateService,
// ValidateEndpoints; pkg/apis/discovery/validation), plus the IP-family initialisation the
// Service registry runs before it allocates (storage/alloc.go initIPFamilyFields). Errors come
// out in the upstream order so aggregated messages match.
//
// Not covered here, because they need cluster state: nodePort / clusterIP allocation (see
// allocation-errors.ts for the messages) and the healthCheckNodePort the allocator fills in.

import type { EndpointSlice, ServicePort, ServiceSpec } from './types.js';
import type { Manifest } from './manifest-types.js';
import { duplicate, forbidden, invalid, notSupported, required, tooMany, type FieldError } from './errors.js';
import { GoNil, GoStruct } from './gofmt.js';
import { externallyAccessible } from './defaults.js';
import { goIntOrString } from './validate-objects.js';
import { validateLabels, validateObjectMeta } from './validate-meta.js';
import {
  fullyQualifiedDomainNameError,
  isDNS1123Label,
  isDNS1123Subdomain,
  isIP,
  isIPv6,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidPortName,
  isValidPortNum,
  nameIsDNS1035Label,
  nameIsDNSSubdomain,
  nonSpecialIPErrors,
  parseIPv4,
} from './validation.js';
import { versionAtLeast } from './version.js';

// sets.List order (sorted), as the API server lists supported values.
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

/** core.MaxClientIPServiceAffinitySeconds (one day). */
export const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
/** discovery validation limits. */
export const MAX_SLICE_ENDPOINTS = 1000;
export const MAX_ENDPOINT_ADDRESSES = 100;
export const MAX_SLICE_PORTS = 20000;

/** The legacy annotation LoadBalancerSourceRanges replaced; still validated when the field is empty. */
export const LB_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

type IPFamily = NonNullable<ServiceSpec['ipFamilies']>[number];

function dns1123Label(value: string, field: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => invalid(field, value, msg));
}

function qualifiedName(value: string, field: string): FieldError[] {
  return isQualifiedName(value).map((msg) => invalid(field, value, msg));
}

/** Headless: exactly one ClusterIP and it is "None" (before 1.20 only the singular field existed). */
export function isHeadlessService(spec: Pick<ServiceSpec, 'clusterIP' | 'clusterIPs'>): boolean {
  const ips = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []);
  return ips.length === 1 && ips[0] === 'None';
}

/** apiservice.NeedsHealthCheck: LoadBalancer with externalTrafficPolicy Local. */
export function needsHealthCheck(spec: Pick<ServiceSpec, 'type' | 'externalTrafficPolicy'>): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

function familyOf(ip: string): IPFamily {
  return isIPv6(ip) ? 'IPv6' : 'IPv4';
}

/** netutils.IsDualStackIPStrings: at least one address of each family. */
function isDualStack(ips: readonly string[]): boolean {
  const families = new Set(ips.map(familyOf));
  return families.size === 2;
}

/** ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs agreement, families and policy. */
export function validateServiceClusterIPsRelatedFields(spec: ServiceSpec): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? [];
  const families = spec.ipFamilies ?? [];
  if (spec.clusterIP) {
    if (ips.length === 0) errs.push(required('spec.clusterIPs'));
    else if (ips[0] !== spec.clusterIP) errs.push(invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length > 0) {
    errs.push(invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (!IP_FAMILIES.includes(f)) errs.push(notSupported(`spec.ipFamilies[${i}]`, f, IP_FAMILIES));
    if (seen.has(f)) errs.push(duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  if (spec.ipFamilyPolicy !== undefined && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  let hasInvalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        hasInvalidIPs = true;
        errs.push(invalid('spec.clusterIPs', ips, "'None' must be the first and only value"));
      }
      return;
    }
    const msgs = isValidIP(ip);
    if (msgs.length > 0) hasInvalidIPs = true;
    errs.push(...msgs.map((msg) => invalid(`spec.clusterIPs[${i}]`, ip, msg)));
  });
  if (ips.length > 2) errs.push(invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  // Later checks would only restate a malformed address.
  if (hasInvalidIPs) return errs;
  if (ips.length > 1 && !isDualStack(ips)) errs.push(invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  if (!isHeadlessService(spec) && ips.length > 0 && families.length > 0) {
    ips.forEach((ip, i) => {
      if (i >= families.length) return;
      if (families[i] === 'IPv4' && isIPv6(ip)) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !isIPv6(ip)) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

export interface ServiceIPFamilyOptions {
  kubernetesVersion?: string;
  /** Families the cluster's service CIDRs cover; the simulated cluster is single-stack IPv4. */
  clusterFamilies?: readonly IPFamily[];
}

/**
 * initIPFamilyFields for a create: infers ipFamilyPolicy and ipFamilies (mutating `spec`) and
 * returns the errors the registry reports on their own, before allocation and before
 * ValidateService (IPv6DualStack was on by default from 1.21; earlier servers set neither).
 */
export function initServiceIPFamilies(spec: ServiceSpec, selector: ServiceSpec['selector'], opts: ServiceIPFamilyOptions = {}): FieldError[] {
  if (spec.type === 'ExternalName' || !versionAtLeast(opts.kubernetesVersion, 1, 21)) return [];
  const clusterFamilies = opts.clusterFamilies ?? ['IPv4'];
  const primary = clusterFamilies[0] ?? 'IPv4';
  const headlessSelectorless = spec.clusterIP === 'None' && Object.keys(selector ?? {}).length === 0;
  // Headless services without a selector default to dual-stack: their endpoints are the user's.
  spec.ipFamilyPolicy ??= headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  const pre = validateServiceClusterIPsRelatedFields(spec);
  if (pre.length > 0) return pre;

  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? [];
  const families = [...(spec.ipFamilies ?? [])];
  if (spec.ipFamilyPolicy === 'SingleStack') {
    if (ips.length === 2) {
      errs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    }
    if (families.length === 2) {
      errs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
  }
  for (let i = 0; i < ips.length; i++) {
    if (ips[i] === 'None') break;
    if (i < families.length) continue;
    const fam = familyOf(ips[i]!);
    if (!clusterFamilies.includes(fam)) errs.push(invalid(`spec.clusterIPs[${i}]`, ips, `${fam} is not configured on this cluster`));
    else families.push(fam);
  }
  if (errs.length > 0) return errs;

  if (headlessSelectorless) {
    if (families.length === 0) families.push(primary);
    if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    spec.ipFamilies = families;
    return [];
  }
  if (spec.ipFamilyPolicy === 'RequireDualStack' && clusterFamilies.length < 2) {
    errs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  }
  families.forEach((f, i) => {
    if (!clusterFamilies.includes(f)) errs.push(invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
  });
  if (errs.length > 0) return errs;
  if (families.length === 0) families.push(primary);
  if (spec.ipFamilyPolicy !== 'SingleStack' && families.length === 1 && clusterFamilies.length === 2) {
    families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
  }
  spec.ipFamilies = families;
  return [];
}

/**
 * The internal core.ServicePort {Protocol, Port} key that a duplicate port is reported with.
 * Internal types have no json tags, so the JSON form (1.34+) uses the Go field names.
 */
function goServicePortKey(p: ServicePort, kubernetesVersion?: string): GoStruct {
  const fields = [
    { name: 'Name', json: 'Name', value: '' },
    { name: 'Protocol', json: 'Protocol', value: p.protocol },
    // AppProtocol joined the struct in 1.18.
    ...(versionAtLeast(kubernetesVersion, 1, 18) ? [{ name: 'AppProtocol', json: 'AppProtocol', value: new GoNil('*string') }] : []),
    { name: 'Port', json: 'Port', value: p.port },
    { name: 'TargetPort', json: 'TargetPort', value: goIntOrString(0) },
    { name: 'NodePort', json: 'NodePort', value: 0 },
  ];
  return new GoStruct('core.ServicePort', fields);
}

function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) {
    errs.push(required(`${path}.name`));
  } else if (sp.name) {
    errs.push(...dns1123Label(sp.name, `${path}.name`));
    if (names.has(sp.name)) errs.push(duplicate(`${path}.name`, sp.name));
    else names.add(sp.name);
  }
  errs.push(...isValidPortNum(sp.port).map((msg) => invalid(`${path}.port`, sp.port, msg)));
  if (!sp.protocol) errs.push(required(`${path}.protocol`));
  else if (!PROTOCOLS.includes(sp.protocol)) errs.push(notSupported(`${path}.protocol`, sp.protocol, PROTOCOLS));
  const tp = sp.targetPort;
  if (typeof tp === 'number') errs.push(...isValidPortNum(tp).map((msg) => invalid(`${path}.targetPort`, tp, msg)));
  else errs.push(...isValidPortName(tp).map((msg) => invalid(`${path}.targetPort`, tp, msg)));
  if (sp.appProtocol !== undefined) errs.push(...qualifiedName(sp.appProtocol, `${path}.appProtocol`));
  return errs;
}

function validateExternalIPs(ips: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  ips.forEach((ip, i) => {
    const path = `spec.externalIPs[${i}]`;
    const msgs = isValidIP(ip);
    if (msgs.length > 0) errs.push(...msgs.map((msg) => invalid(path, ip, msg)));
    else errs.push(...nonSpecialIPErrors(ip).map((msg) => invalid(path, ip, msg)));
  });
  return errs;
}

function validateSourceRanges(svc: Manifest<'Service'>): FieldError[] {
  const spec = svc.spec;
  const errs: FieldError[] = [];
  const lbOnly = "may only be used when `type` is 'LoadBalancer'";
  const ranges = spec.loadBalancerSourceRanges ?? [];
  if (ranges.length > 0) {
    // The capitalised path is the API server's own (a leftover from the annotation days).
    const path = 'spec.LoadBalancerSourceRanges';
    if (spec.type !== 'LoadBalancer') errs.push(forbidden(path, lbOnly));
    ranges.forEach((r, i) => {
      // Space padding is tolerated, for the same historical reason.
      const value = r.trim();
      errs.push(...isValidCIDR(value).map((msg) => invalid(`${path}[${i}]`, value, msg)));
    });
    return errs;
  }
  const annotation = svc.metadata.annotations?.[LB_SOURCE_RANGES_ANNOTATION];
  if (annotation !== undefined) {
    const path = `metadata.annotations[${LB_SOURCE_RANGES_ANNOTATION}]`;
    if (spec.type !== 'LoadBalancer') errs.push(forbidden(path, lbOnly));
    const value = annotation.trim();
    if (value !== '') {
      for (const part of value.split(',')) {
        const cidr = part.trim();
        errs.push(...isValidCIDR(cidr).map((msg) => invalid(path, cidr, msg)));
      }
    }
  }
  return errs;
}

function validateTrafficPolicies(spec: ServiceSpec, kubernetesVersion?: string): FieldError[] {
  const errs: FieldError[] = [];
  const etp = spec.externalTrafficPolicy;
  if (!externallyAccessible(spec)) {
    if (etp) errs.push(invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (!etp) {
    errs.push(required('spec.externalTrafficPolicy'));
  } else if (!TRAFFIC_POLICIES.includes(etp)) {
    errs.push(notSupported('spec.externalTrafficPolicy', etp, TRAFFIC_POLICIES));
  }
  const hc = spec.healthCheckNodePort ?? 0;
  if (!needsHealthCheck(spec)) {
    if (hc !== 0) {
      errs.push(invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (hc !== 0) {
    // A missing value is never seen on create: the allocator assigns one before validation.
    errs.push(...isValidPortNum(hc).map((msg) => invalid('spec.healthCheckNodePort', hc, msg)));
  }
  const itp = spec.internalTrafficPolicy;
  if (itp === undefined) {
    if (versionAtLeast(kubernetesVersion, 1, 22) && (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')) {
      errs.push(required('spec.internalTrafficPolicy'));
    }
  } else if (!TRAFFIC_POLICIES.includes(itp)) {
    errs.push(notSupported('spec.internalTrafficPolicy', itp, TRAFFIC_POLICIES));
  }
  return errs;
}

/** ValidateService for a create (after defaulting and initServiceIPFamilies). */
export function validateService(svc: Manifest<'Service'>, kubernetesVersion?: string): FieldError[] {
  const errs = validateObjectMeta(svc.metadata, true, nameIsDNS1035Label, kubernetesVersion);
  const spec = svc.spec;
  const ports = spec.ports ?? [];
  const headless = isHeadlessService(spec);
  const type: string = spec.type;

  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(required('spec.ports'));
  switch (type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (headless) errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
      break;
    case 'ExternalName': {
      const forExternalName = 'may not be set for ExternalName services';
      if ((spec.clusterIPs ?? []).length > 0) errs.push(forbidden('spec.clusterIPs', forExternalName));
      if ((spec.ipFamilies ?? []).length > 0) errs.push(forbidden('spec.ipFamilies', forExternalName));
      if (spec.ipFamilyPolicy !== undefined) errs.push(forbidden('spec.ipFamilyPolicy', forExternalName));
      // A trailing dot marks the CNAME target as fully qualified.
      const cname = (spec.externalName ?? '').replace(/\.$/, '');
      if (cname.length > 0) errs.push(...isDNS1123Subdomain(cname).map((msg) => invalid('spec.externalName', cname, msg)));
      else errs.push(required('spec.externalName'));
      break;
    }
  }

  const names = new Set<string>();
  ports.forEach((p, i) => {
    errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`));
  });
  if (spec.selector) errs.push(...validateLabels(spec.selector, 'spec.selector'));

  if (!spec.sessionAffinity) errs.push(required('spec.sessionAffinity'));
  else if (!SESSION_AFFINITIES.includes(spec.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, SESSION_AFFINITIES));
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = spec.sessionAffinityConfig;
    const when = 'when session affinity type is ClientIP';
    if (!cfg) errs.push(required('spec.sessionAffinityConfig', when));
    else if (!cfg.clientIP) errs.push(required('spec.sessionAffinityConfig.clientIP', when));
    else if (cfg.clientIP.timeoutSeconds === undefined) errs.push(required('spec.sessionAffinityConfig.clientIP.timeoutSeconds', when));
    else {
      const t = cfg.clientIP.timeoutSeconds;
      if (t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS) {
        errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`));
      }
    }
  } else if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }

  if (versionAtLeast(kubernetesVersion, 1, 20)) {
    errs.push(...validateServiceClusterIPsRelatedFields(spec));
  } else if (spec.clusterIP && spec.clusterIP !== 'None' && !isIP(spec.clusterIP)) {
    // Before ClusterIPs existed the singular field was checked on its own.
    errs.push(invalid('spec.clusterIP', spec.clusterIP, "must be empty, 'None', or a valid IP address"));
  }
  errs.push(...validateExternalIPs(spec.externalIPs ?? []));

  if (!type) errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported('spec.type', type, SERVICE_TYPES));

  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (portKeys.has(key)) errs.push(duplicate(`spec.ports[${i}]`, goServicePortKey(p, kubernetesVersion)));
    portKeys.add(key);
  });

  errs.push(...validateSourceRanges(svc));
  const lbOnly = "may only be used when `type` is 'LoadBalancer'";
  if (spec.allocateLoadBalancerNodePorts !== undefined && type !== 'LoadBalancer') errs.push(forbidden('spec.allocateLoadBalancerNodePorts', lbOnly));
  if (spec.loadBalancerClass !== undefined) {
    if (type === 'LoadBalancer') errs.push(...qualifiedName(spec.loadBalancerClass, 'spec.loadBalancerClass'));
    else errs.push(forbidden('spec.loadBalancerClass', lbOnly));
  }
  errs.push(...validateTrafficPolicies(spec, kubernetesVersion));
  return errs;
}

// ---------------------------------------------------------------------------------------
// Endpoints

function validateEndpointAddress(a: { ip: string; hostname?: string; nodeName?: string }, path: string): FieldError[] {
  const errs = isValidIP(a.ip).map((msg) => invalid(`${path}.ip`, a.ip, msg));
  if (a.hostname) errs.push(...dns1123Label(a.hostname, `${path}.hostname`));
  if (a.nodeName !== undefined) errs.push(...nameIsDNSSubdomain(a.nodeName, false).map((msg) => invalid(`${path}.nodeName`, a.nodeName, msg)));
  // Current servers run both checks, so a malformed address is reported twice in two wordings.
  errs.push(...nonSpecialIPErrors(a.ip).map((msg) => invalid(`${path}.ip`, a.ip, msg)));
  return errs;
}

/** ValidateEndpoints (create). */
export function validateEndpoints(ep: Manifest<'Endpoints'>, kubernetesVersion?: string): FieldError[] {
  const errs = validateObjectMeta(ep.metadata, true, nameIsDNSSubdomain, kubernetesVersion);
  (ep.subsets ?? []).forEach((ss, i) => {
    const path = `subsets[${i}]`;
    const addresses = ss.addresses ?? [];
    const notReady = ss.notReadyAddresses ?? [];
    if (addresses.length === 0 && notReady.length === 0) errs.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => {
      errs.push(...validateEndpointAddress(a, `${path}.addresses[${j}]`));
    });
    notReady.forEach((a, j) => {
      errs.push(...validateEndpointAddress(a, `${path}.notReadyAddresses[${j}]`));
    });
    const ports = ss.ports ?? [];
    ports.forEach((p, j) => {
      const pp = `${path}.ports[${j}]`;
      if (ports.length > 1 && !p.name) errs.push(required(`${pp}.name`));
      else if (p.name) errs.push(...dns1123Label(p.name, `${pp}.name`));
      errs.push(...isValidPortNum(p.port).map((msg) => invalid(`${pp}.port`, p.port, msg)));
      if (!p.protocol) errs.push(required(`${pp}.protocol`));
      else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
      if (p.appProtocol !== undefined) errs.push(...qualifiedName(p.appProtocol, `${pp}.appProtocol`));
    });
  });
  return errs;
}

// ---------------------------------------------------------------------------------------
// EndpointSlice

function validateSliceAddress(addressType: EndpointSlice['addressType'], address: string, path: string): FieldError[] {
  switch (addressType) {
    case 'IPv4': {
      // ParseIPSloppy(...).To4() also accepts the IPv4-mapped IPv6 spelling.
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
      const ok = parseIPv4(address) !== null || (mapped !== null && parseIPv4(mapped[1]!) !== null);
      const errs = ok ? [] : [invalid(path, address, 'must be a valid IPv4 address')];
      return [...errs, ...nonSpecialIPErrors(address).map((msg) => invalid(path, address, msg))];
    }
    case 'IPv6': {
      const errs = !isIPv6(address) || /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? [invalid(path, address, 'must be a valid IPv6 address')] : [];
      return [...errs, ...nonSpecialIPErrors(address).map((msg) => invalid(path, address, msg))];
    }
    case 'FQDN': {
      const e = fullyQualifiedDomainNameError(address);
      if (e === 'required') return [required(path)];
      return e ? [invalid(path, e.value, e.detail)] : [];
    }
    default:
      // Unknown address types fall through unvalidated (addressType itself is reported).
      return [];
  }
}

/** ValidateEndpointSliceCreate. */
export function validateEndpointSlice(slice: Manifest<'EndpointSlice'>, kubernetesVersion?: string): FieldError[] {
  const errs = validateObjectMeta(slice.metadata, true, nameIsDNSSubdomain, kubernetesVersion);
  const addressType: string = slice.addressType;
  if (!addressType) errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(notSupported('addressType', addressType, ADDRESS_TYPES));

  const endpoints = slice.endpoints;
  if (endpoints.length > MAX_SLICE_ENDPOINTS) {
    errs.push(tooMany('endpoints', endpoints.length, MAX_SLICE_ENDPOINTS));
  } else {
    endpoints.forEach((e, i) => {
      const path = `endpoints[${i}]`;
      if (e.addresses.length === 0) errs.push(required(`${path}.addresses`, 'must contain at least 1 address'));
      else if (e.addresses.length > MAX_ENDPOINT_ADDRESSES) errs.push(tooMany(`${path}.addresses`, e.addresses.length, MAX_ENDPOINT_ADDRESSES));
      e.addresses.forEach((a, j) => {
        errs.push(...validateSliceAddress(slice.addressType, a, `${path}.addresses[${j}]`));
      });
      if (e.nodeName !== undefined) errs.push(...nameIsDNSSubdomain(e.nodeName, false).map((msg) => invalid(`${path}.nodeName`, e.nodeName, msg)));
      if (e.hostname !== undefined) errs.push(...dns1123Label(e.hostname, `${path}.hostname`));
    });
  }

  const ports = slice.ports ?? [];
  if (ports.length > MAX_SLICE_PORTS) {
    errs.push(tooMany('ports', ports.length, MAX_SLICE_PORTS));
    return errs;
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `ports[${i}]`;
    const name = p.name ?? '';
    if (name.length > 0) errs.push(...dns1123Label(name, `${path}.name`));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    else names.add(name);
    if (p.protocol === undefined) errs.push(required(`${path}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
    if (p.appProtocol !== undefined) errs.push(...qualifiedName(p.appProtocol, `${path}.appProtocol`));
  });
  return errs;
}
