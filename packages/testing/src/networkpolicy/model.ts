// The NetworkPolicy conformance model of the upstream e2e suite (kubernetes/kubernetes,
// test/e2e/network/netpol/model.go): namespaces x, y, z, each with pods a, b, c; every pod runs one
// container per port × protocol (80 and 81 on TCP, UDP and SCTP), named `cont-80-tcp` with the
// container port `serve-80-tcp`, as upstream's Container.Name() and PortName() spell them.
//
// Upstream labels a namespace `ns: <name>` and a pod `pod: <name>`; the API server adds
// `kubernetes.io/metadata.name` to a namespace (upstream relies on it), and the model states it
// too so a judge that does not default it still sees it.
//
// ipBlock CIDRs depend on pod IPs, which only a running cluster knows: a case writes them as
// `$(ns/pod)/prefix` and `resolvePolicies` fills them in (see there).

export type ConformanceProtocol = 'TCP' | 'UDP' | 'SCTP';

/** A pod of the model. */
export interface ModelPod {
  namespace: string;
  name: string;
}

export const MODEL_NAMESPACES = ['x', 'y', 'z'] as const;
export const MODEL_POD_NAMES = ['a', 'b', 'c'] as const;
export const MODEL_PORTS = [80, 81] as const;
export const MODEL_PROTOCOLS: readonly ConformanceProtocol[] = ['TCP', 'UDP', 'SCTP'];

/** The nine pods in upstream's order: x/a, x/b, x/c, y/a, …, z/c. */
export const MODEL_PODS: readonly ModelPod[] = MODEL_NAMESPACES.flatMap((namespace) => MODEL_POD_NAMES.map((name) => ({ namespace, name })));

/** "x/a", as upstream's PodString. */
export function podKey(p: ModelPod): string {
  return `${p.namespace}/${p.name}`;
}

/** Labels added to the model's defaults (a case that relabels a namespace or pod, as upstream's "updated" tests do). */
export interface ModelLabels {
  /** By namespace name, merged over `ns` and `kubernetes.io/metadata.name`. */
  namespaces?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** By "ns/pod", merged over `pod`. */
  pods?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The container port name upstream gives port 80 on TCP: `serve-80-tcp`. */
export function servePortName(port: number, protocol: ConformanceProtocol): string {
  return `serve-${port}-${protocol.toLowerCase()}`;
}

const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';

function container(port: number, protocol: ConformanceProtocol): object {
  const command = protocol === 'SCTP' ? ['/agnhost', 'porter'] : ['/agnhost', 'serve-hostname', protocol === 'TCP' ? '--tcp' : '--udp', '--http=false', '--port', String(port)];
  return {
    name: `cont-${port}-${protocol.toLowerCase()}`,
    image: AGNHOST,
    imagePullPolicy: 'IfNotPresent',
    command,
    ...(protocol === 'SCTP' ? { env: [{ name: `SERVE_SCTP_PORT_${port}`, value: 'foo' }] } : {}),
    ports: [{ containerPort: port, name: servePortName(port, protocol), protocol }],
  };
}

/**
 * The model's manifests: three Namespaces, then nine Pods, ready for `Cluster.apply`. `labels`
 * adds labels (for the cases that relabel a namespace or pod mid-test).
 */
export function conformanceModel(labels: ModelLabels = {}): object[] {
  const namespaces = MODEL_NAMESPACES.map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { ns: name, 'kubernetes.io/metadata.name': name, ...labels.namespaces?.[name] } },
  }));
  const pods = MODEL_PODS.map((p) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.namespace, labels: { pod: p.name, ...labels.pods?.[podKey(p)] } },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: MODEL_PORTS.flatMap((port) => MODEL_PROTOCOLS.map((protocol) => container(port, protocol))),
    },
  }));
  return [...namespaces, ...pods];
}

const IP_REF = /^\$\(([a-z0-9-]+)\/([a-z0-9-]+)\)\/(\d{1,2})$/;

function maskedCidr(ip: string, prefix: number): string {
  const octets = ip.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) throw new Error(`not an IPv4 address: ${ip}`);
  const n = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const base = n - (n % size);
  return `${[24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.')}/${prefix}`;
}

/**
 * The policies with every `$(ns/pod)/prefix` string (an ipBlock's `cidr` or `except` entry)
 * replaced by that pod's IP masked to the prefix: `$(y/b)/32` is y/b's host route, `$(x/b)/4`
 * the /4 around x/b, as upstream's makeLargeCIDRForIP builds it. Other values are copied as is.
 */
export function resolvePolicies(policies: readonly object[], podIP: (pod: ModelPod) => string): object[] {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const m = IP_REF.exec(v);
      return m ? maskedCidr(podIP({ namespace: m[1]!, name: m[2]! }), Number(m[3])) : v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return policies.map((p) => walk(p) as object);
}
