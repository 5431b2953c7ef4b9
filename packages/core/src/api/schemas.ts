// Zod schemas for manifests as users write them: the JSON shape of the v1 / apps/v1 Go
// structs, every field optional (Go zero values fill the gaps). These check structure and
// JSON types only — what encoding/json would reject. Enum values, names and cross-field
// rules are the API server's validation (validate-*.ts) and run after defaulting.
// Each schema records its Go type so a type error can be worded like encoding/json's.
// Only the fields the simulator models are described here, and the others are stripped; which
// fields exist at all (strict field validation refuses the rest) is known-fields.ts's table.

import { z } from 'zod';
import { goBase64DecodedLength } from './gojson.js';
import type { Kind } from './types.js';

export const goTypes = z.registry<{ go: string }>();

function go<T extends z.ZodType>(schema: T, goType: string): T {
  goTypes.add(schema, { go: goType });
  return schema;
}

/** Message on the refinement issue that marks a number Go cannot store in the field. */
export const GO_NUMBER_RANGE = 'go-number-out-of-range';

const INT_RANGE = {
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
} as const;

const int = (type: 'int32' | 'int64') =>
  go(
    z.number().refine((n) => Number.isInteger(n) && n >= INT_RANGE[type][0] && n <= INT_RANGE[type][1], {
      message: GO_NUMBER_RANGE,
    }),
    type,
  );
const str = (type = 'string') => go(z.string(), type);
const bool = () => go(z.boolean(), 'bool');
const strings = () => go(z.array(str()), '[]string');
const stringMap = () => go(z.record(z.string(), str()), 'map[string]string');
const list = <T extends z.ZodType>(element: T, goType: string) => go(z.array(element), goType);
const struct = <S extends z.ZodRawShape>(goType: string, shape: S) => go(z.object(shape), goType);
/** intstr.IntOrString has its own UnmarshalJSON, so its errors read differently. */
const intOrString = () => go(z.union([z.string(), int('int32')]), 'intstr.IntOrString');

export const ownerReferenceSchema = struct('v1.OwnerReference', {
  apiVersion: str().optional(),
  kind: str().optional(),
  name: str().optional(),
  uid: str('types.UID').optional(),
  controller: bool().optional(),
  blockOwnerDeletion: bool().optional(),
});

export const objectMetaSchema = struct('v1.ObjectMeta', {
  name: str().optional(),
  generateName: str().optional(),
  namespace: str().optional(),
  labels: stringMap().optional(),
  annotations: stringMap().optional(),
  ownerReferences: list(ownerReferenceSchema, '[]v1.OwnerReference').optional(),
});

export const containerPortSchema = struct('v1.ContainerPort', {
  name: str().optional(),
  hostPort: int('int32').optional(),
  containerPort: int('int32').optional(),
  protocol: str('v1.Protocol').optional(),
  hostIP: str().optional(),
});

export const containerSchema = struct('v1.Container', {
  name: str().optional(),
  image: str().optional(),
  command: strings().optional(),
  args: strings().optional(),
  ports: list(containerPortSchema, '[]v1.ContainerPort').optional(),
  imagePullPolicy: str('v1.PullPolicy').optional(),
});

export const podDNSConfigSchema = struct('v1.PodDNSConfig', {
  nameservers: strings().optional(),
  searches: strings().optional(),
  options: list(struct('v1.PodDNSConfigOption', { name: str().optional(), value: str().optional() }), '[]v1.PodDNSConfigOption').optional(),
});

export const tolerationSchema = struct('v1.Toleration', {
  key: str().optional(),
  operator: str('v1.TolerationOperator').optional(),
  value: str().optional(),
  effect: str('v1.TaintEffect').optional(),
  tolerationSeconds: int('int64').optional(),
});

export const podSpecSchema = struct('v1.PodSpec', {
  containers: list(containerSchema, '[]v1.Container').optional(),
  initContainers: list(containerSchema, '[]v1.Container').optional(),
  restartPolicy: str('v1.RestartPolicy').optional(),
  terminationGracePeriodSeconds: int('int64').optional(),
  dnsPolicy: str('v1.DNSPolicy').optional(),
  nodeSelector: stringMap().optional(),
  serviceAccountName: str().optional(),
  nodeName: str().optional(),
  hostNetwork: bool().optional(),
  hostname: str().optional(),
  subdomain: str().optional(),
  schedulerName: str().optional(),
  tolerations: list(tolerationSchema, '[]v1.Toleration').optional(),
  priorityClassName: str().optional(),
  priority: int('int32').optional(),
  dnsConfig: podDNSConfigSchema.optional(),
});

export const podTemplateSpecSchema = struct('v1.PodTemplateSpec', {
  metadata: objectMetaSchema.optional(),
  spec: podSpecSchema.optional(),
});

export const labelSelectorSchema = struct('v1.LabelSelector', {
  matchLabels: stringMap().optional(),
  matchExpressions: list(
    struct('v1.LabelSelectorRequirement', {
      key: str().optional(),
      operator: str('v1.LabelSelectorOperator').optional(),
      values: strings().optional(),
    }),
    '[]v1.LabelSelectorRequirement',
  ).optional(),
});

export const deploymentSpecSchema = struct('v1.DeploymentSpec', {
  replicas: int('int32').optional(),
  selector: labelSelectorSchema.optional(),
  template: podTemplateSpecSchema.optional(),
  strategy: struct('v1.DeploymentStrategy', {
    type: str('v1.DeploymentStrategyType').optional(),
    rollingUpdate: struct('v1.RollingUpdateDeployment', {
      maxUnavailable: intOrString().optional(),
      maxSurge: intOrString().optional(),
    }).optional(),
  }).optional(),
  minReadySeconds: int('int32').optional(),
  revisionHistoryLimit: int('int32').optional(),
  paused: bool().optional(),
  progressDeadlineSeconds: int('int32').optional(),
});

export const replicaSetSpecSchema = struct('v1.ReplicaSetSpec', {
  replicas: int('int32').optional(),
  minReadySeconds: int('int32').optional(),
  selector: labelSelectorSchema.optional(),
  template: podTemplateSpecSchema.optional(),
});

export const daemonSetSpecSchema = struct('v1.DaemonSetSpec', {
  selector: labelSelectorSchema.optional(),
  template: podTemplateSpecSchema.optional(),
  minReadySeconds: int('int32').optional(),
  revisionHistoryLimit: int('int32').optional(),
});

export const nodeSpecSchema = struct('v1.NodeSpec', {
  podCIDR: str().optional(),
  podCIDRs: strings().optional(),
  unschedulable: bool().optional(),
  taints: list(struct('v1.Taint', { key: str().optional(), value: str().optional(), effect: str('v1.TaintEffect').optional() }), '[]v1.Taint').optional(),
});

export const namespaceSpecSchema = struct('v1.NamespaceSpec', {
  finalizers: list(str('v1.FinalizerName'), '[]v1.FinalizerName').optional(),
});

/**
 * []byte fields arrive as base64 text; encoding/json decodes them with StdEncoding and fails
 * with its CorruptInputError. The refinement reports that text as the decode error.
 */
const bytes = () =>
  go(
    z.string().superRefine((s, ctx) => {
      const r = goBase64DecodedLength(s);
      if (typeof r === 'string') ctx.addIssue({ code: 'custom', message: r });
    }),
    '[]uint8',
  );

export const policyRuleSchema = struct('v1.PolicyRule', {
  verbs: strings().optional(),
  apiGroups: strings().optional(),
  resources: strings().optional(),
  resourceNames: strings().optional(),
  nonResourceURLs: strings().optional(),
});

export const roleRefSchema = struct('v1.RoleRef', {
  apiGroup: str().optional(),
  kind: str().optional(),
  name: str().optional(),
});

export const subjectSchema = struct('v1.Subject', {
  kind: str().optional(),
  apiGroup: str().optional(),
  name: str().optional(),
  namespace: str().optional(),
});

export const servicePortSchema = struct('v1.ServicePort', {
  name: str().optional(),
  protocol: str('v1.Protocol').optional(),
  appProtocol: str().optional(),
  port: int('int32').optional(),
  targetPort: intOrString().optional(),
  nodePort: int('int32').optional(),
});

export const serviceSpecSchema = struct('v1.ServiceSpec', {
  ports: list(servicePortSchema, '[]v1.ServicePort').optional(),
  selector: stringMap().optional(),
  clusterIP: str().optional(),
  clusterIPs: strings().optional(),
  type: str('v1.ServiceType').optional(),
  externalIPs: strings().optional(),
  sessionAffinity: str('v1.ServiceAffinity').optional(),
  loadBalancerIP: str().optional(),
  loadBalancerSourceRanges: strings().optional(),
  externalName: str().optional(),
  externalTrafficPolicy: str('v1.ServiceExternalTrafficPolicy').optional(),
  healthCheckNodePort: int('int32').optional(),
  publishNotReadyAddresses: bool().optional(),
  sessionAffinityConfig: struct('v1.SessionAffinityConfig', {
    clientIP: struct('v1.ClientIPConfig', { timeoutSeconds: int('int32').optional() }).optional(),
  }).optional(),
  ipFamilies: list(str('v1.IPFamily'), '[]v1.IPFamily').optional(),
  ipFamilyPolicy: str('v1.IPFamilyPolicy').optional(),
  allocateLoadBalancerNodePorts: bool().optional(),
  loadBalancerClass: str().optional(),
  internalTrafficPolicy: str('v1.ServiceInternalTrafficPolicy').optional(),
});

export const objectReferenceSchema = struct('v1.ObjectReference', {
  kind: str().optional(),
  namespace: str().optional(),
  name: str().optional(),
  uid: str('types.UID').optional(),
  apiVersion: str().optional(),
  resourceVersion: str().optional(),
  fieldPath: str().optional(),
});

const endpointAddressSchema = struct('v1.EndpointAddress', {
  ip: str().optional(),
  hostname: str().optional(),
  nodeName: str().optional(),
  targetRef: objectReferenceSchema.optional(),
});

export const endpointSubsetSchema = struct('v1.EndpointSubset', {
  addresses: list(endpointAddressSchema, '[]v1.EndpointAddress').optional(),
  notReadyAddresses: list(endpointAddressSchema, '[]v1.EndpointAddress').optional(),
  ports: list(
    struct('v1.EndpointPort', {
      name: str().optional(),
      port: int('int32').optional(),
      protocol: str('v1.Protocol').optional(),
      appProtocol: str().optional(),
    }),
    '[]v1.EndpointPort',
  ).optional(),
});

/** discovery.k8s.io EndpointSlice; `pkg` is the Go package name of the version (v1, v1beta1). */
function endpointSliceFields(pkg: 'v1' | 'v1beta1') {
  const conditions = struct(`${pkg}.EndpointConditions`, { ready: bool().optional(), serving: bool().optional(), terminating: bool().optional() });
  const endpoint = struct(`${pkg}.Endpoint`, {
    addresses: strings().optional(),
    conditions: conditions.optional(),
    hostname: str().optional(),
    targetRef: objectReferenceSchema.optional(),
    nodeName: str().optional(),
    // v1 has zone and deprecatedTopology; v1beta1 has topology. Both are listed: a field a
    // version does not have is refused before this schema sees it (known-fields.ts).
    ...(pkg === 'v1' ? { zone: str().optional(), deprecatedTopology: stringMap().optional() } : { topology: stringMap().optional() }),
  });
  return {
    addressType: str(`${pkg}.AddressType`).optional(),
    endpoints: list(endpoint, `[]${pkg}.Endpoint`).optional(),
    ports: list(
      struct(`${pkg}.EndpointPort`, {
        name: str().optional(),
        protocol: str('v1.Protocol').optional(),
        port: int('int32').optional(),
        appProtocol: str().optional(),
      }),
      `[]${pkg}.EndpointPort`,
    ).optional(),
  };
}

/** TypedLocalObjectReference: a resource backend (or, in v1beta1, an IngressClass's parameters). */
const typedLocalObjectReference = () => struct('v1.TypedLocalObjectReference', { apiGroup: str().optional(), kind: str().optional(), name: str().optional() });

const ingressTLS = (pkg: string) => list(struct(`${pkg}.IngressTLS`, { hosts: strings().optional(), secretName: str().optional() }), `[]${pkg}.IngressTLS`);

export const ingressBackendSchema = struct('v1.IngressBackend', {
  service: struct('v1.IngressServiceBackend', {
    name: str().optional(),
    port: struct('v1.ServiceBackendPort', { name: str().optional(), number: int('int32').optional() }).optional(),
  }).optional(),
  resource: typedLocalObjectReference().optional(),
});

export const legacyIngressBackendSchema = struct('v1beta1.IngressBackend', {
  serviceName: str().optional(),
  servicePort: intOrString().optional(),
  resource: typedLocalObjectReference().optional(),
});

/**
 * Rules of an Ingress spec in one API version, with that version's backend struct. The Go
 * package of extensions/v1beta1 and networking.k8s.io/v1beta1 is named v1beta1 in both.
 */
function ingressRules<B extends z.ZodType>(pkg: string, backend: B) {
  const path = struct(`${pkg}.HTTPIngressPath`, {
    path: str().optional(),
    pathType: str(`${pkg}.PathType`).optional(),
    backend: backend.optional(),
  });
  const rule = struct(`${pkg}.IngressRule`, {
    host: str().optional(),
    // IngressRuleValue is embedded (inline) in the Go struct, so `http` sits on the rule itself.
    http: struct(`${pkg}.HTTPIngressRuleValue`, { paths: list(path, `[]${pkg}.HTTPIngressPath`).optional() }).optional(),
  });
  return list(rule, `[]${pkg}.IngressRule`);
}

export const ingressSpecSchema = struct('v1.IngressSpec', {
  ingressClassName: str().optional(),
  defaultBackend: ingressBackendSchema.optional(),
  tls: ingressTLS('v1').optional(),
  rules: ingressRules('v1', ingressBackendSchema).optional(),
});

/** extensions/v1beta1 and networking.k8s.io/v1beta1: `backend` instead of `defaultBackend`. */
export const legacyIngressSpecSchema = struct('v1beta1.IngressSpec', {
  ingressClassName: str().optional(),
  backend: legacyIngressBackendSchema.optional(),
  tls: ingressTLS('v1beta1').optional(),
  rules: ingressRules('v1beta1', legacyIngressBackendSchema).optional(),
});

export const ingressClassSpecSchema = struct('v1.IngressClassSpec', {
  controller: str().optional(),
  parameters: struct('v1.IngressClassParametersReference', {
    apiGroup: str().optional(),
    kind: str().optional(),
    name: str().optional(),
    scope: str().optional(),
    namespace: str().optional(),
  }).optional(),
});

/** networking.k8s.io/v1beta1 IngressClass: parameters were a plain TypedLocalObjectReference. */
export const ingressClassSpecV1beta1Schema = struct('v1beta1.IngressClassSpec', {
  controller: str().optional(),
  parameters: typedLocalObjectReference().optional(),
});

const networkPolicyPorts = () =>
  list(struct('v1.NetworkPolicyPort', { protocol: str('v1.Protocol').optional(), port: intOrString().optional(), endPort: int('int32').optional() }), '[]v1.NetworkPolicyPort');
const networkPolicyPeers = () =>
  list(
    struct('v1.NetworkPolicyPeer', {
      podSelector: labelSelectorSchema.optional(),
      namespaceSelector: labelSelectorSchema.optional(),
      ipBlock: struct('v1.IPBlock', { cidr: str().optional(), except: strings().optional() }).optional(),
    }),
    '[]v1.NetworkPolicyPeer',
  );

export const networkPolicySpecSchema = struct('v1.NetworkPolicySpec', {
  podSelector: labelSelectorSchema.optional(),
  ingress: list(
    struct('v1.NetworkPolicyIngressRule', { ports: networkPolicyPorts().optional(), from: networkPolicyPeers().optional() }),
    '[]v1.NetworkPolicyIngressRule',
  ).optional(),
  egress: list(struct('v1.NetworkPolicyEgressRule', { ports: networkPolicyPorts().optional(), to: networkPolicyPeers().optional() }), '[]v1.NetworkPolicyEgressRule').optional(),
  policyTypes: list(str('v1.PolicyType'), '[]v1.PolicyType').optional(),
});

const typeMeta = {
  apiVersion: str().optional(),
  kind: str().optional(),
  metadata: objectMetaSchema.optional(),
};

const root = <S extends z.ZodType>(goType: string, spec: S) => struct(goType, { ...typeMeta, spec: spec.optional() });

export const configMapSchema = struct('v1.ConfigMap', {
  ...typeMeta,
  immutable: bool().optional(),
  data: stringMap().optional(),
  binaryData: go(z.record(z.string(), bytes()), 'map[string][]uint8').optional(),
});

export const serviceAccountSchema = struct('v1.ServiceAccount', {
  ...typeMeta,
  automountServiceAccountToken: bool().optional(),
});

export const clusterRoleSchema = struct('v1.ClusterRole', {
  ...typeMeta,
  rules: list(policyRuleSchema, '[]v1.PolicyRule').optional(),
});

export const clusterRoleBindingSchema = struct('v1.ClusterRoleBinding', {
  ...typeMeta,
  subjects: list(subjectSchema, '[]v1.Subject').optional(),
  roleRef: roleRefSchema.optional(),
});

export const serviceSchema = root('v1.Service', serviceSpecSchema);

export const endpointsSchema = struct('v1.Endpoints', {
  ...typeMeta,
  subsets: list(endpointSubsetSchema, '[]v1.EndpointSubset').optional(),
});

export const endpointSliceSchema = struct('v1.EndpointSlice', { ...typeMeta, ...endpointSliceFields('v1') });
export const endpointSliceV1beta1Schema = struct('v1beta1.EndpointSlice', { ...typeMeta, ...endpointSliceFields('v1beta1') });

export const ingressSchema = root('v1.Ingress', ingressSpecSchema);
export const legacyIngressSchema = root('v1beta1.Ingress', legacyIngressSpecSchema);
export const ingressClassSchema = root('v1.IngressClass', ingressClassSpecSchema);
export const ingressClassV1beta1Schema = root('v1beta1.IngressClass', ingressClassSpecV1beta1Schema);
export const networkPolicySchema = root('v1.NetworkPolicy', networkPolicySpecSchema);

export const manifestSchemas = {
  Pod: root('v1.Pod', podSpecSchema),
  Namespace: root('v1.Namespace', namespaceSpecSchema),
  Node: root('v1.Node', nodeSpecSchema),
  Deployment: root('v1.Deployment', deploymentSpecSchema),
  ReplicaSet: root('v1.ReplicaSet', replicaSetSpecSchema),
  DaemonSet: root('v1.DaemonSet', daemonSetSpecSchema),
  ConfigMap: configMapSchema,
  ServiceAccount: serviceAccountSchema,
  ClusterRole: clusterRoleSchema,
  ClusterRoleBinding: clusterRoleBindingSchema,
  Service: serviceSchema,
  Endpoints: endpointsSchema,
  EndpointSlice: endpointSliceSchema,
  Ingress: ingressSchema,
  IngressClass: ingressClassSchema,
  NetworkPolicy: networkPolicySchema,
} satisfies Record<Kind, z.ZodType>;

/** Schemas of older served versions, by apiVersion then kind (decoded, then converted to the stored version). */
export const legacyManifestSchemas: Partial<Record<string, Partial<Record<Kind, z.ZodType>>>> = {
  'discovery.k8s.io/v1beta1': { EndpointSlice: endpointSliceV1beta1Schema },
  'extensions/v1beta1': { Ingress: legacyIngressSchema },
  'networking.k8s.io/v1beta1': { Ingress: legacyIngressSchema, IngressClass: ingressClassV1beta1Schema },
};

export type RawObjectMeta = z.infer<typeof objectMetaSchema>;
export type RawContainer = z.infer<typeof containerSchema>;
export type RawPodSpec = z.infer<typeof podSpecSchema>;
export type RawPodTemplateSpec = z.infer<typeof podTemplateSpecSchema>;
export type RawLabelSelector = z.infer<typeof labelSelectorSchema>;
export type RawDeploymentSpec = z.infer<typeof deploymentSpecSchema>;
export type RawReplicaSetSpec = z.infer<typeof replicaSetSpecSchema>;
export type RawDaemonSetSpec = z.infer<typeof daemonSetSpecSchema>;
export type RawNodeSpec = z.infer<typeof nodeSpecSchema>;
export type RawNamespaceSpec = z.infer<typeof namespaceSpecSchema>;
export type RawConfigMap = z.infer<typeof configMapSchema>;
export type RawServiceAccount = z.infer<typeof serviceAccountSchema>;
export type RawClusterRole = z.infer<typeof clusterRoleSchema>;
export type RawClusterRoleBinding = z.infer<typeof clusterRoleBindingSchema>;
export type RawServiceSpec = z.infer<typeof serviceSpecSchema>;
export type RawEndpoints = z.infer<typeof endpointsSchema>;
export type RawEndpointSlice = z.infer<typeof endpointSliceSchema>;
export type RawEndpointSliceV1beta1 = z.infer<typeof endpointSliceV1beta1Schema>;
export type RawIngressSpec = z.infer<typeof ingressSpecSchema>;
export type RawLegacyIngressSpec = z.infer<typeof legacyIngressSpecSchema>;
export type RawIngressBackend = z.infer<typeof ingressBackendSchema>;
export type RawLegacyIngressBackend = z.infer<typeof legacyIngressBackendSchema>;
export type RawIngressClassSpec = z.infer<typeof ingressClassSpecSchema>;
export type RawIngressClassSpecV1beta1 = z.infer<typeof ingressClassSpecV1beta1Schema>;
export type RawNetworkPolicySpec = z.infer<typeof networkPolicySpecSchema>;
export type RawManifest = z.infer<(typeof manifestSchemas)[keyof typeof manifestSchemas]>;

/** The Go type recorded for a schema, looking through `.optional()`. */
export function goTypeOf(schema: z.ZodType): string | undefined {
  return goTypes.get(unwrap(schema))?.go;
}

export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}
