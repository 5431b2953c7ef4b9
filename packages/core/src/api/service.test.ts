// Service, Endpoints and EndpointSlice through validateManifest: defaults and the API server's
// exact validation messages. Go-syntax values (≤ 1.33) unless a test names a later version.
import { describe, expect, test } from 'vitest';
import { ApiError, kubectlErrorLine } from './errors.js';
import { validateManifest, type ValidateManifestOptions } from './manifest.js';
import { deprecationWarning } from './kinds.js';

const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const LB_ONLY = "may only be used when `type` is 'LoadBalancer'";

const OPTS: ValidateManifestOptions = { kubernetesVersion: '1.31.4' };

function fail(obj: unknown, opts?: ValidateManifestOptions): ApiError {
  try {
    validateManifest(obj, { ...OPTS, ...opts });
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected validateManifest to throw');
}

/** The rendered causes (kubectl's `* …` lines without the bullet). */
function causes(obj: unknown, opts?: ValidateManifestOptions): string[] {
  const e = fail(obj, opts);
  expect(e.reason).toBe('Invalid');
  const line = kubectlErrorLine(e, { kubernetesVersion: opts?.kubernetesVersion ?? OPTS.kubernetesVersion });
  const head = `The ${e.details.kind} "${e.details.name}" is invalid: `;
  expect(line.startsWith(head.trimEnd())).toBe(true);
  return e.causes.length === 1
    ? [line.slice(head.length)]
    : line
        .split('\n')
        .slice(1)
        .map((l) => l.slice(2));
}

const svc = (spec: Record<string, unknown>, name = 'web', metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...metadata },
  spec,
});
const ok = (obj: unknown, opts?: ValidateManifestOptions) => validateManifest(obj, { ...OPTS, ...opts }) as { spec: Record<string, unknown> } & Record<string, unknown>;

describe('Service defaults', () => {
  test('a bare ClusterIP service', () => {
    expect(ok(svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }))).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        type: 'ClusterIP',
        selector: { app: 'web' },
        ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
        ipFamilyPolicy: 'SingleStack',
        ipFamilies: ['IPv4'],
      },
    });
  });

  test('targetPort zero values mean the port; names are kept', () => {
    const spec = ok(
      svc({
        ports: [
          { name: 'a', port: 80, targetPort: '' },
          { name: 'b', port: 81, targetPort: 0 },
          { name: 'c', port: 82, targetPort: 'http' },
        ],
      }),
    ).spec;
    expect(spec.ports).toEqual([
      { name: 'a', protocol: 'TCP', port: 80, targetPort: 80 },
      { name: 'b', protocol: 'TCP', port: 81, targetPort: 81 },
      { name: 'c', protocol: 'TCP', port: 82, targetPort: 'http' },
    ]);
  });

  test('ClientIP affinity gets the 3-hour timeout unless one is given', () => {
    expect(ok(svc({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP' })).spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    expect(ok(svc({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })).spec.sessionAffinityConfig).toEqual({
      clientIP: { timeoutSeconds: 60 },
    });
    // None drops a config altogether.
    expect(ok(svc({ ports: [{ port: 80 }], sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })).spec.sessionAffinityConfig).toBeUndefined();
  });

  test('externalTrafficPolicy only for externally reachable services', () => {
    expect(ok(svc({ type: 'NodePort', ports: [{ port: 80 }] })).spec.externalTrafficPolicy).toBe('Cluster');
    expect(ok(svc({ ports: [{ port: 80 }], externalIPs: ['192.168.1.10'] })).spec.externalTrafficPolicy).toBe('Cluster');
    expect(ok(svc({ ports: [{ port: 80 }] })).spec.externalTrafficPolicy).toBeUndefined();
  });

  test('LoadBalancer allocates nodePorts by default (1.22+)', () => {
    expect(ok(svc({ type: 'LoadBalancer', ports: [{ port: 80 }] })).spec).toMatchObject({ allocateLoadBalancerNodePorts: true, externalTrafficPolicy: 'Cluster' });
    expect(ok(svc({ type: 'LoadBalancer', ports: [{ port: 80 }] }), { kubernetesVersion: '1.21.0' }).spec.allocateLoadBalancerNodePorts).toBeUndefined();
  });

  test('clusterIP seeds clusterIPs', () => {
    expect(ok(svc({ clusterIP: '10.96.0.10', ports: [{ port: 53, protocol: 'UDP' }] })).spec).toMatchObject({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
  });

  test('ExternalName gets no traffic policy and no IP families', () => {
    expect(ok(svc({ type: 'ExternalName', externalName: 'db.example.com' })).spec).toEqual({ type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' });
  });

  test('headless without a selector is dual-stack by default, with one it is single-stack', () => {
    expect(ok(svc({ clusterIP: 'None' })).spec).toMatchObject({ ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] });
    expect(ok(svc({ clusterIP: 'None', selector: { app: 'x' }, ports: [{ port: 80 }] })).spec).toMatchObject({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] });
  });

  test('internalTrafficPolicy from 1.22, IP families from 1.21', () => {
    const spec = ok(svc({ ports: [{ port: 80 }] }), { kubernetesVersion: '1.21.0' }).spec;
    expect(spec.internalTrafficPolicy).toBeUndefined();
    expect(spec.ipFamilies).toEqual(['IPv4']);
    expect(ok(svc({ ports: [{ port: 80 }] }), { kubernetesVersion: '1.20.0' }).spec.ipFamilies).toBeUndefined();
  });
});

describe('Service validation messages', () => {
  test('names are DNS-1035 labels (the double space is upstream)', () => {
    const e = fail(svc({ ports: [{ port: 80 }] }, '1web'));
    expect(e.message).toBe(`The Service "1web" is invalid: metadata.name: Invalid value: "1web": ${DNS1035_MSG}`);
  });

  test('ports are required unless headless or ExternalName', () => {
    expect(causes(svc({ selector: { app: 'x' } }))).toEqual(['spec.ports: Required value']);
    expect(() => ok(svc({ clusterIP: 'None', selector: { app: 'x' } }))).not.toThrow();
  });

  test('port names: required when there are several, DNS-1123 labels, unique', () => {
    expect(causes(svc({ ports: [{ port: 80 }, { name: 'https', port: 443 }] }))).toEqual(['spec.ports[0].name: Required value']);
    expect(causes(svc({ ports: [{ name: 'Web', port: 80 }] }))).toEqual([`spec.ports[0].name: Invalid value: "Web": ${LABEL_MSG}`]);
    expect(
      causes(
        svc({
          ports: [
            { name: 'http', port: 80 },
            { name: 'http', port: 81 },
          ],
        }),
      ),
    ).toEqual(['spec.ports[1].name: Duplicate value: "http"']);
  });

  test('port numbers and protocols', () => {
    expect(causes(svc({ ports: [{ port: 70000, targetPort: 80 }] }))).toEqual(['spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive']);
    // A zero port also leaves targetPort at zero.
    expect(causes(svc({ ports: [{ port: 0 }] }))).toEqual([
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
    expect(causes(svc({ ports: [{ port: 80, protocol: 'tcp' }] }))).toEqual(['spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"']);
  });

  test('named targetPorts follow IsValidPortName', () => {
    const tp = (targetPort: string) => causes(svc({ ports: [{ port: 80, targetPort }] }));
    expect(tp('a-very-long-port-name')).toEqual(['spec.ports[0].targetPort: Invalid value: "a-very-long-port-name": must be no more than 15 characters']);
    expect(tp('HTTP')).toEqual([
      'spec.ports[0].targetPort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.ports[0].targetPort: Invalid value: "HTTP": must contain at least one letter (a-z)',
    ]);
    expect(tp('8080x--y')).toEqual(['spec.ports[0].targetPort: Invalid value: "8080x--y": must not contain consecutive hyphens']);
    expect(tp('-web')).toEqual(['spec.ports[0].targetPort: Invalid value: "-web": must not begin or end with a hyphen']);
    expect(tp('8080')).toEqual(['spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)']);
  });

  test('the same port and protocol twice: the internal ServicePort key, Go syntax then JSON', () => {
    const dup = svc({
      ports: [
        { name: 'a', port: 53, protocol: 'UDP' },
        { name: 'b', port: 53, protocol: 'UDP' },
        { name: 'c', port: 53 },
      ],
    });
    expect(causes(dup)).toEqual([
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"UDP", AppProtocol:(*string)(nil), Port:53, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ]);
    expect(causes(dup, { kubernetesVersion: '1.34.2' })).toEqual([
      'spec.ports[1]: Duplicate value: {"Name":"","Protocol":"UDP","AppProtocol":null,"Port":53,"TargetPort":0,"NodePort":0}',
    ]);
  });

  test('headless NodePort and LoadBalancer services', () => {
    expect(causes(svc({ type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] }))).toEqual([
      `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`,
    ]);
    expect(causes(svc({ type: 'LoadBalancer', clusterIP: 'None', ports: [{ port: 80 }] }))).toEqual([
      `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for LoadBalancer services`,
    ]);
  });

  test('ExternalName rules', () => {
    expect(causes(svc({ type: 'ExternalName' }))).toEqual(['spec.externalName: Required value']);
    expect(causes(svc({ type: 'ExternalName', externalName: 'My_DB.example.com' }))).toEqual([`spec.externalName: Invalid value: "My_DB.example.com": ${SUBDOMAIN_MSG}`]);
    // A trailing dot (fully qualified) is fine.
    expect(() => ok(svc({ type: 'ExternalName', externalName: 'db.example.com.' }))).not.toThrow();
    expect(causes(svc({ type: 'ExternalName', externalName: 'db.example.com', clusterIP: '10.96.0.20', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }))).toEqual([
      'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
      'spec.ipFamilies: Forbidden: may not be set for ExternalName services',
      'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services',
    ]);
  });

  test('nodePort: forbidden for ClusterIP, unique per protocol, range left to the allocator', () => {
    expect(causes(svc({ ports: [{ port: 80, nodePort: 30080 }] }))).toEqual(["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
    expect(
      causes(
        svc({
          type: 'NodePort',
          ports: [
            { name: 'a', port: 80, nodePort: 30080 },
            { name: 'b', port: 81, nodePort: 30080 },
          ],
        }),
      ),
    ).toEqual(['spec.ports[1].nodePort: Duplicate value: 30080']);
    expect(() =>
      ok(
        svc({
          type: 'NodePort',
          ports: [
            { name: 'dns', port: 53, nodePort: 30053 },
            { name: 'dns-tcp', port: 53, protocol: 'UDP', nodePort: 30053 },
          ],
        }),
      ),
    ).not.toThrow();
    expect(() => ok(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }))).not.toThrow();
  });

  test('LoadBalancer-only fields', () => {
    expect(causes(svc({ ports: [{ port: 80 }], loadBalancerSourceRanges: ['10.0.0.0/8'] }))).toEqual([`spec.LoadBalancerSourceRanges: Forbidden: ${LB_ONLY}`]);
    expect(causes(svc({ type: 'NodePort', ports: [{ port: 80 }], allocateLoadBalancerNodePorts: false }))).toEqual([`spec.allocateLoadBalancerNodePorts: Forbidden: ${LB_ONLY}`]);
    expect(causes(svc({ ports: [{ port: 80 }], loadBalancerClass: 'example.com/lb' }))).toEqual([`spec.loadBalancerClass: Forbidden: ${LB_ONLY}`]);
    expect(causes(svc({ ports: [{ port: 80 }] }, 'web', { annotations: { 'service.beta.kubernetes.io/load-balancer-source-ranges': '10.0.0.0/8' } }))).toEqual([
      `metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Forbidden: ${LB_ONLY}`,
    ]);
  });

  test('loadBalancerSourceRanges must be CIDRs (space padding tolerated)', () => {
    expect(causes(svc({ type: 'LoadBalancer', ports: [{ port: 80 }], loadBalancerSourceRanges: [' 10.0.0.0/8 ', '10.0.0.1'] }))).toEqual([
      'spec.LoadBalancerSourceRanges[1]: Invalid value: "10.0.0.1": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
  });

  test('externalTrafficPolicy and healthCheckNodePort', () => {
    expect(causes(svc({ ports: [{ port: 80 }], externalTrafficPolicy: 'Local' }))).toEqual([
      'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ]);
    expect(causes(svc({ type: 'NodePort', ports: [{ port: 80 }], externalTrafficPolicy: 'Global' }))).toEqual([
      'spec.externalTrafficPolicy: Unsupported value: "Global": supported values: "Cluster", "Local"',
    ]);
    expect(causes(svc({ type: 'NodePort', ports: [{ port: 80 }], externalTrafficPolicy: 'Local', healthCheckNodePort: 30001 }))).toEqual([
      "spec.healthCheckNodePort: Invalid value: 30001: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    ]);
    expect(causes(svc({ type: 'LoadBalancer', ports: [{ port: 80 }], externalTrafficPolicy: 'Local', healthCheckNodePort: 70000 }))).toEqual([
      'spec.healthCheckNodePort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    expect(() => ok(svc({ type: 'LoadBalancer', ports: [{ port: 80 }], externalTrafficPolicy: 'Local' }))).not.toThrow();
  });

  test('internalTrafficPolicy values', () => {
    expect(causes(svc({ ports: [{ port: 80 }], internalTrafficPolicy: 'Node' }))).toEqual([
      'spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"',
    ]);
  });

  test('clusterIP: a valid IP, "None" or empty', () => {
    expect(causes(svc({ clusterIP: '10.96.0.300', ports: [{ port: 80 }] }))).toEqual([`spec.clusterIPs[0]: Invalid value: "10.96.0.300": ${IP_MSG}`]);
    // Before ClusterIPs (1.19) the singular field had its own wording.
    expect(causes(svc({ clusterIP: 'auto', ports: [{ port: 80 }] }), { kubernetesVersion: '1.19.16' })).toEqual([
      `spec.clusterIP: Invalid value: "auto": must be empty, 'None', or a valid IP address`,
    ]);
  });

  test('IP-family errors come alone from 1.23 (the registry checks them before ValidateService)', () => {
    const bad = svc({ clusterIP: 'x', ports: [{ port: 80 }] }, 'Web');
    expect(causes(bad)).toEqual([`spec.clusterIPs[0]: Invalid value: "x": ${IP_MSG}`]);
    expect(causes(bad, { kubernetesVersion: '1.22.17' })).toEqual([`metadata.name: Invalid value: "Web": ${DNS1035_MSG}`, `spec.clusterIPs[0]: Invalid value: "x": ${IP_MSG}`]);
  });

  test('clusterIPs must agree with clusterIP; bad values print as []string then JSON', () => {
    const mismatch = svc({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.11'], ports: [{ port: 80 }] });
    expect(causes(mismatch)).toEqual(['spec.clusterIPs: Invalid value: []string{"10.96.0.11"}: first value must match `clusterIP`']);
    expect(causes(mismatch, { kubernetesVersion: '1.34.2' })).toEqual(['spec.clusterIPs: Invalid value: ["10.96.0.11"]: first value must match `clusterIP`']);
  });

  test('a single-stack IPv4 cluster refuses IPv6 and dual-stack requests', () => {
    expect(causes(svc({ clusterIP: 'fd00::10', ports: [{ port: 80 }] }))).toEqual([
      'spec.clusterIPs[0]: Invalid value: []string{"fd00::10"}: IPv6 is not configured on this cluster',
    ]);
    expect(causes(svc({ ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] }))).toEqual([
      'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    ]);
    expect(causes(svc({ ipFamilies: ['IPv6'], ports: [{ port: 80 }] }))).toEqual(['spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster']);
    expect(causes(svc({ ipFamilyPolicy: 'Dual', ports: [{ port: 80 }] }))).toEqual([
      'spec.ipFamilyPolicy: Unsupported value: "Dual": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"',
    ]);
    // PreferDualStack quietly stays single-stack.
    expect(ok(svc({ ipFamilyPolicy: 'PreferDualStack', ports: [{ port: 80 }] })).spec.ipFamilies).toEqual(['IPv4']);
  });

  test('externalIPs must be ordinary IPs', () => {
    expect(causes(svc({ ports: [{ port: 80 }], externalIPs: ['203.0.113.7', 'node-1', '127.0.0.1', '169.254.169.254', '0.0.0.0'] }))).toEqual([
      `spec.externalIPs[1]: Invalid value: "node-1": ${IP_MSG}`,
      'spec.externalIPs[2]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'spec.externalIPs[3]: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      'spec.externalIPs[4]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
    ]);
  });

  test('session affinity', () => {
    expect(causes(svc({ ports: [{ port: 80 }], sessionAffinity: 'Sticky' }))).toEqual(['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']);
    for (const t of [0, 86401]) {
      expect(causes(svc({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: t } } }))).toEqual([
        `spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: ${t}: must be greater than 0 and less than 86400`,
      ]);
    }
    expect(() => ok(svc({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86400 } } }))).not.toThrow();
  });

  test('selector labels, type and appProtocol', () => {
    expect(causes(svc({ ports: [{ port: 80 }], selector: { app: 'web server' } }))).toEqual([
      "spec.selector: Invalid value: \"web server\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
    expect(causes(svc({ ports: [{ port: 80 }], type: 'Internal' }))).toEqual([
      'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
    expect(causes(svc({ ports: [{ port: 80, appProtocol: 'h2 c' }] }))).toEqual([
      "spec.ports[0].appProtocol: Invalid value: \"h2 c\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
  });

  test('several causes in the API server order', () => {
    expect(
      causes(
        svc(
          {
            type: 'NodePort',
            ports: [
              { port: 80, nodePort: 30080 },
              { port: 81, nodePort: 30080 },
            ],
            externalIPs: ['x'],
          },
          'Web',
        ),
      ),
    ).toEqual([
      `metadata.name: Invalid value: "Web": ${DNS1035_MSG}`,
      'spec.ports[0].name: Required value',
      'spec.ports[1].name: Required value',
      `spec.externalIPs[0]: Invalid value: "x": ${IP_MSG}`,
      'spec.ports[1].nodePort: Duplicate value: 30080',
    ]);
  });

  test('decoding: a string port is a JSON type error', () => {
    const e = fail(svc({ ports: [{ port: '80' }] }));
    expect(e.reason).toBe('BadRequest');
    expect(e.message).toBe('Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32');
  });
});

const ep = (subsets: unknown, name = 'db') => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name }, subsets });

describe('Endpoints', () => {
  test('defaults: port protocol TCP', () => {
    expect(ok(ep([{ addresses: [{ ip: '192.168.1.50' }], ports: [{ port: 5432 }] }]))).toEqual({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'db', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '192.168.1.50' }], ports: [{ port: 5432, protocol: 'TCP' }] }],
    });
  });

  test('addresses: valid, ordinary IPs (a malformed one is reported in both wordings)', () => {
    expect(causes(ep([{ addresses: [{ ip: 'db-1' }, { ip: '127.0.0.1' }], notReadyAddresses: [{ ip: 'fe80::1' }] }]))).toEqual([
      `subsets[0].addresses[0].ip: Invalid value: "db-1": ${IP_MSG}`,
      'subsets[0].addresses[0].ip: Invalid value: "db-1": must be a valid IP address',
      'subsets[0].addresses[1].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'subsets[0].notReadyAddresses[0].ip: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    ]);
  });

  test('subsets need addresses; ports are named when several, in range', () => {
    expect(causes(ep([{ ports: [{ port: 80 }] }]))).toEqual(['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']);
    expect(causes(ep([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }, { name: 'https', port: 0, protocol: 'ICMP' }] }]))).toEqual([
      'subsets[0].ports[0].name: Required value',
      'subsets[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'subsets[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ]);
  });
});

const slice = (fields: Record<string, unknown>, apiVersion = 'discovery.k8s.io/v1') => ({ apiVersion, kind: 'EndpointSlice', metadata: { name: 'web-abc12' }, ...fields });

describe('EndpointSlice', () => {
  test('defaults: port name "" and protocol TCP; conditions are not defaulted', () => {
    expect(ok(slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.244.1.5'], nodeName: 'node01' }], ports: [{ port: 80 }] }))).toEqual({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abc12', namespace: 'default' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.1.5'], conditions: {}, nodeName: 'node01' }],
      ports: [{ name: '', protocol: 'TCP', port: 80 }],
    });
  });

  test('addressType is required and one of FQDN, IPv4, IPv6', () => {
    expect(causes(slice({ endpoints: [] }))).toEqual(['addressType: Required value']);
    expect(causes(slice({ addressType: 'IP' }))).toEqual(['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']);
  });

  test('at most 1000 endpoints and 100 addresses each', () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ addresses: [`10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`] }));
    expect(causes(slice({ addressType: 'IPv4', endpoints: many }))).toEqual(['endpoints: Too many: 1001: must have at most 1000 items']);
    const addrs = Array.from({ length: 101 }, (_, i) => `10.1.0.${i + 1}`);
    expect(causes(slice({ addressType: 'IPv4', endpoints: [{ addresses: addrs }] }))).toEqual(['endpoints[0].addresses: Too many: 101: must have at most 100 items']);
    expect(causes(slice({ addressType: 'IPv4', endpoints: [{ addresses: [] }] }))).toEqual(['endpoints[0].addresses: Required value: must contain at least 1 address']);
  });

  test('addresses match the address type', () => {
    expect(causes(slice({ addressType: 'IPv4', endpoints: [{ addresses: ['fd00::1', 'pod-a', '127.0.0.2'] }] }))).toEqual([
      'endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
      'endpoints[0].addresses[1]: Invalid value: "pod-a": must be a valid IPv4 address',
      'endpoints[0].addresses[1]: Invalid value: "pod-a": must be a valid IP address',
      'endpoints[0].addresses[2]: Invalid value: "127.0.0.2": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ]);
    expect(causes(slice({ addressType: 'IPv6', endpoints: [{ addresses: ['10.0.0.1'] }] }))).toEqual([
      'endpoints[0].addresses[0]: Invalid value: "10.0.0.1": must be a valid IPv6 address',
    ]);
    expect(causes(slice({ addressType: 'FQDN', endpoints: [{ addresses: ['localhost', 'db.Example.com'] }] }))).toEqual([
      'endpoints[0].addresses[0]: Invalid value: "localhost": should be a domain with at least two segments separated by dots',
      `endpoints[0].addresses[1]: Invalid value: "db.Example.com": ${SUBDOMAIN_MSG}`,
    ]);
  });

  test('port names are unique (two unnamed ports clash on "")', () => {
    expect(causes(slice({ addressType: 'IPv4', endpoints: [], ports: [{ port: 80 }, { port: 443 }] }))).toEqual(['ports[1].name: Duplicate value: ""']);
    expect(causes(slice({ addressType: 'IPv4', endpoints: [], ports: [{ name: 'HTTP', port: 80 }] }))).toEqual([`ports[0].name: Invalid value: "HTTP": ${LABEL_MSG}`]);
  });

  test('discovery.k8s.io/v1beta1 is served 1.17-1.24 and converted (topology → nodeName, zone)', () => {
    const beta = slice(
      { addressType: 'IPv4', endpoints: [{ addresses: ['10.244.1.5'], topology: { 'kubernetes.io/hostname': 'node01', 'topology.kubernetes.io/zone': 'a' } }] },
      'discovery.k8s.io/v1beta1',
    );
    expect(ok(beta, { kubernetesVersion: '1.20.0' })).toMatchObject({
      apiVersion: 'discovery.k8s.io/v1',
      endpoints: [{ addresses: ['10.244.1.5'], conditions: {}, nodeName: 'node01', zone: 'a' }],
    });
    expect(fail(beta, { kubernetesVersion: '1.25.0' }).reason).toBe('NoKindMatch');
    expect(fail(slice({ addressType: 'IPv4', endpoints: [] }), { kubernetesVersion: '1.20.0' }).reason).toBe('NoKindMatch');
  });
});

describe('deprecation warnings', () => {
  test('v1 Endpoints from 1.33, v1beta1 EndpointSlice 1.21-1.24', () => {
    expect(deprecationWarning('v1', 'Endpoints', '1.33.0')).toBe('v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice');
    expect(deprecationWarning('v1', 'Endpoints', '1.32.3')).toBeUndefined();
    expect(deprecationWarning('discovery.k8s.io/v1beta1', 'EndpointSlice', '1.21.0')).toBe(
      'discovery.k8s.io/v1beta1 EndpointSlice is deprecated in v1.21+, unavailable in v1.25+; use discovery.k8s.io/v1 EndpointSlice',
    );
    expect(deprecationWarning('v1', 'Service', '1.34.0')).toBeUndefined();
  });
});
