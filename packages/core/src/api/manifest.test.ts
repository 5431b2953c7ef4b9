import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ApiError, kubectlErrorLine } from './errors.js';
import { validateManifest, type ValidateManifestOptions } from './manifest.js';
import { KIND_API_VERSION, SUPPORTED_KINDS } from './kinds.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** Expected messages below are in the Go-syntax era (≤ 1.33) unless a test says otherwise. */
function fail(obj: unknown, opts?: ValidateManifestOptions): ApiError {
  try {
    validateManifest(obj, { kubernetesVersion: '1.31.4', ...opts });
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected validateManifest to throw');
}

const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'p' }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata,
  spec,
});
const nginx = { name: 'web', image: 'nginx:1.25' };

const deployment = (spec: Record<string, unknown>, name = 'web') => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec });
const template = (labels: Record<string, string> | undefined, spec: Record<string, unknown> = { containers: [nginx] }) => ({
  metadata: labels ? { labels } : {},
  spec,
});

describe('Pod validation messages', () => {
  test('an invalid name, full text', () => {
    const e = fail(pod({ containers: [nginx] }, { name: 'Bad_Name' }));
    expect(e.reason).toBe('Invalid');
    expect(e.code).toBe(422);
    expect(e.message).toBe(`The Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`);
    expect(kubectlErrorLine(e)).toBe(e.message);
  });

  test('name required', () => {
    expect(fail(pod({ containers: [nginx] }, {})).message).toBe('The Pod "" is invalid: metadata.name: Required value: name or generateName is required');
  });

  test('generateName stands in for name', () => {
    const m = validateManifest(pod({ containers: [nginx] }, { generateName: 'web-' }));
    expect(m.metadata).toEqual({ name: '', generateName: 'web-', namespace: 'default' });
  });

  test('several causes aggregate in API server order', () => {
    const e = fail(
      pod({
        containers: [
          { name: 'Web', image: '' },
          {
            name: 'b',
            image: 'x',
            ports: [
              { containerPort: 70000, protocol: 'tcp' },
              { name: 'http--x', containerPort: 80 },
            ],
          },
          { name: 'b', image: 'x' },
        ],
        restartPolicy: 'Sometimes',
        dnsPolicy: 'Cluster',
      }),
    );
    expect(e.causes.map((c) => c.field)).toEqual([
      'spec.containers[0].name',
      'spec.containers[0].image',
      'spec.containers[1].ports[0].containerPort',
      'spec.containers[1].ports[0].protocol',
      'spec.containers[1].ports[1].name',
      'spec.containers[2].name',
      'spec.restartPolicy',
      'spec.dnsPolicy',
    ]);
    expect(e.message).toBe(
      'The Pod "p" is invalid: [' +
        [
          `spec.containers[0].name: Invalid value: "Web": ${LABEL_MSG}`,
          'spec.containers[0].image: Required value',
          'spec.containers[1].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
          'spec.containers[1].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
          'spec.containers[1].ports[1].name: Invalid value: "http--x": must not contain consecutive hyphens',
          'spec.containers[2].name: Duplicate value: "b"',
          'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
          'spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
        ].join(', ') +
        ']',
    );
  });

  test('no containers', () => {
    expect(fail(pod({})).message).toBe('The Pod "p" is invalid: spec.containers: Required value');
  });

  test('imagePullPolicy', () => {
    expect(fail(pod({ containers: [{ ...nginx, imagePullPolicy: 'Sometimes' }] })).message).toBe(
      'The Pod "p" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    );
  });

  test('containerPort missing is Required', () => {
    expect(fail(pod({ containers: [{ ...nginx, ports: [{ name: 'http' }] }] })).message).toBe('The Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Required value');
  });

  test('dnsPolicy None', () => {
    expect(fail(pod({ containers: [nginx], dnsPolicy: 'None' })).message).toBe(
      'The Pod "p" is invalid: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    );
    expect(fail(pod({ containers: [nginx], dnsPolicy: 'None', dnsConfig: { searches: ['a.b'] } })).message).toBe(
      'The Pod "p" is invalid: spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    );
  });

  test('dnsConfig limits', () => {
    const e = fail(
      pod({
        containers: [nginx],
        dnsPolicy: 'None',
        dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'] },
      }),
    );
    expect(e.message).toBe(
      'The Pod "p" is invalid: spec.dnsConfig.nameservers: Invalid value: []string{"1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"}: must not have more than 3 nameservers',
    );
    const e2 = fail(pod({ containers: [nginx], dnsConfig: { nameservers: ['8.8.8'], searches: ['ok.local.', 'Bad_Domain'], options: [{ value: '1' }] } }));
    expect(e2.causes.map((c) => `${c.field}|${c.detail}`)).toEqual([
      'spec.dnsConfig.nameservers[0]|must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      `spec.dnsConfig.searches[1]|${SUBDOMAIN_MSG}`,
      'spec.dnsConfig.options[0]|must not be empty',
    ]);
  });

  test('labels, annotations and namespace', () => {
    const e = fail(pod({ containers: [nginx] }, { name: 'p', namespace: 'Prod', labels: { 'bad key!': 'ok', app: 'bad value' }, annotations: { '-x': '1' } }));
    expect(e.causes.map((c) => c.field)).toEqual(['metadata.namespace', 'metadata.labels', 'metadata.labels', 'metadata.annotations']);
    expect(e.causes[1]!.badValue).toBe('bad key!');
    expect(e.causes[2]!.badValue).toBe('bad value');
  });

  test('tolerations', () => {
    const e = fail(
      pod({
        containers: [nginx],
        tolerations: [
          { operator: 'Equal', value: 'x' },
          { key: 'k', effect: 'Sometimes' },
        ],
      }),
    );
    expect(e.causes.map((c) => `${c.field}: ${c.detail}`)).toEqual([
      'spec.tolerations[0].operator: operator must be Exists when `key` is empty, which means "match all values and all keys"',
      'spec.tolerations[1].effect: supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });

  test('hostNetwork: hostPort must equal containerPort', () => {
    const m = validateManifest(pod({ hostNetwork: true, containers: [{ ...nginx, ports: [{ containerPort: 80 }] }] }));
    expect(m.kind === 'Pod' && m.spec.containers[0]!.ports).toEqual([{ containerPort: 80, hostPort: 80, protocol: 'TCP' }]);
    expect(fail(pod({ hostNetwork: true, containers: [{ ...nginx, ports: [{ containerPort: 80, hostPort: 81 }] }] })).message).toBe(
      'The Pod "p" is invalid: spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true',
    );
  });
});

describe('defaults', () => {
  test('image pull policy follows the tag', () => {
    const policy = (image: string) => {
      const m = validateManifest(pod({ containers: [{ name: 'c', image }] }));
      return m.kind === 'Pod' ? m.spec.containers[0]!.imagePullPolicy : undefined;
    };
    expect(policy('nginx')).toBe('Always');
    expect(policy('nginx:latest')).toBe('Always');
    expect(policy('nginx:1.25')).toBe('IfNotPresent');
    expect(policy('localhost:5000/nginx')).toBe('Always');
    expect(policy('registry.io:5000/team/app:v2')).toBe('IfNotPresent');
    expect(policy(`nginx@sha256:${'a'.repeat(64)}`)).toBe('IfNotPresent');
  });

  test('pod spec and port defaults, default namespace option', () => {
    const m = validateManifest(pod({ containers: [{ ...nginx, ports: [{ containerPort: 80 }] }] }), { defaultNamespace: 'team-a' });
    expect(m).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'team-a' },
      spec: {
        containers: [{ name: 'web', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
        restartPolicy: 'Always',
        dnsPolicy: 'ClusterFirst',
        schedulerName: 'default-scheduler',
        terminationGracePeriodSeconds: 30,
      },
    });
  });

  test('Deployment defaults', () => {
    const m = validateManifest(deployment({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) }));
    expect(m).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'web', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent' }],
            restartPolicy: 'Always',
            dnsPolicy: 'ClusterFirst',
            schedulerName: 'default-scheduler',
            terminationGracePeriodSeconds: 30,
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
    });
  });

  test('Recreate strategy gets no rollingUpdate; a partial rollingUpdate is completed', () => {
    const base = { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) };
    const r = validateManifest(deployment({ ...base, strategy: { type: 'Recreate' } }));
    expect(r.kind === 'Deployment' && r.spec.strategy).toEqual({ type: 'Recreate' });
    const p = validateManifest(deployment({ ...base, strategy: { rollingUpdate: { maxSurge: 1 } } }));
    expect(p.kind === 'Deployment' && p.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } });
  });

  test('ReplicaSet and DaemonSet', () => {
    const rs = validateManifest({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'r' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: template({ a: 'b' }) },
    });
    expect(rs.kind === 'ReplicaSet' && rs.spec.replicas).toBe(1);
    const ds = validateManifest({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'd', namespace: 'kube-system' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: template({ a: 'b' }) },
    });
    expect(ds.metadata.namespace).toBe('kube-system');
  });

  test('cluster-scoped kinds: Namespace and Node', () => {
    expect(validateManifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', namespace: 'ignored' } })).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
      spec: { finalizers: ['kubernetes'] },
    });
    expect(validateManifest({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node1' }, spec: { podCIDR: '10.244.1.0/24' } })).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node1' },
      spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
    });
  });

  test('namespace names are DNS-1123 labels', () => {
    expect(fail({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }).message).toBe(
      `The Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": ${LABEL_MSG}`,
    );
  });

  test('defaulting is idempotent', () => {
    const once = validateManifest(deployment({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) }));
    expect(validateManifest(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });
});

describe('Deployment validation messages', () => {
  test('selector required and template mismatch (the classic apps/v1 migration error)', () => {
    const e = fail(deployment({ template: template({ app: 'web' }) }));
    expect(e.message).toBe(
      'The Deployment "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]',
    );
    expect(e.serverMessage.startsWith('Deployment.apps "web" is invalid: [')).toBe(true);
    expect(kubectlErrorLine(e)).toBe(
      'The Deployment "web" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    );
  });

  test('from 1.34 composite values print as JSON (kubernetes#132314)', () => {
    const e = fail(deployment({ template: template({ app: 'web' }) }), { kubernetesVersion: '1.34.2' });
    expect(e.message).toBe(
      'The Deployment "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`]',
    );
  });

  test('template without labels', () => {
    expect(fail(deployment({ selector: { matchLabels: { app: 'web' } }, template: template(undefined) })).message).toBe(
      'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
    );
  });

  test('JSON value rendering from 1.34', () => {
    expect(fail(deployment({ selector: { matchLabels: { app: 'x' } }, template: template({ app: 'web' }) }), { kubernetesVersion: '1.34.1' }).message).toBe(
      'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    );
  });

  test('negative replicas and restartPolicy Never', () => {
    const e = fail(deployment({ replicas: -1, selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }, { containers: [nginx], restartPolicy: 'Never' }) }));
    expect(e.message).toBe(
      'The Deployment "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"]',
    );
  });

  test('empty selector', () => {
    expect(fail(deployment({ selector: {}, template: template({ app: 'web' }) })).message).toBe(
      'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    );
  });

  test('matchExpressions select too', () => {
    const ok = validateManifest(deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, template: template({ app: 'api' }) }));
    expect(ok.kind).toBe('Deployment');
    expect(fail(deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'In' }] }, template: template({ app: 'api' }) })).causes.map((c) => c.field)).toEqual([
      'spec.selector.matchExpressions[0].values',
      'spec.selector',
    ]);
  });

  test('rolling update parameters', () => {
    const base = { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) };
    expect(fail(deployment({ ...base, strategy: { rollingUpdate: { maxSurge: 'lots' } } })).message).toBe(
      `The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"lots"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
    );
    expect(fail(deployment({ ...base, strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } })).message).toBe(
      'The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0',
    );
  });

  test('template labels are validated at spec.template.labels (upstream path)', () => {
    const e = fail(deployment({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web', 'a b': 'c' }) }));
    expect(e.causes.map((c) => c.field)).toEqual(['spec.template.labels']);
  });
});

describe('wrong JSON types are a BadRequest like the API server decoder', () => {
  test('replicas: "two"', () => {
    const e = fail(deployment({ replicas: 'two' }));
    expect(e.reason).toBe('BadRequest');
    expect(e.code).toBe(400);
    expect(e.message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    expect(kubectlErrorLine(e, { verb: 'creating', source: 'web.yaml' })).toBe(
      'Error from server (BadRequest): error when creating "web.yaml": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    expect(e.causes).toEqual([
      {
        field: 'spec.replicas',
        type: 'FieldValueTypeInvalid',
        badValue: 'two',
        detail: 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      },
    ]);
  });

  test.each([
    [pod({ containers: 'nginx' }), 'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container'],
    [pod({ containers: ['nginx'] }), 'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container'],
    [pod({ containers: [{ name: 'a', command: ['sleep', 3600] }] }), 'json: cannot unmarshal number into Go struct field Container.spec.containers.command of type string'],
    [
      pod({ containers: [{ name: 'a', ports: [{ containerPort: 80.5 }] }] }),
      'json: cannot unmarshal number 80.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    ],
    [pod({ containers: [] }, { name: 'p', labels: { enabled: true } }), 'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string'],
    [pod('x' as never), 'json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec'],
    [deployment({ strategy: { rollingUpdate: { maxSurge: true } } }), 'json: cannot unmarshal bool into Go value of type int32'],
  ])('%#', (obj, expected) => {
    const e = fail(obj);
    expect(e.reason).toBe('BadRequest');
    expect(e.message.endsWith(expected)).toBe(true);
  });

  test('only the first error, in sorted key order; every mismatch is kept in causes', () => {
    const e = fail(pod({ restartPolicy: 1, containers: [{ name: 2 }] }, { name: 'p', labels: { a: 1 } }));
    expect(e.message).toBe('Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string');
    expect(e.causes.map((c) => c.field)).toEqual(['metadata.labels[a]', 'spec.containers[0].name', 'spec.restartPolicy']);
  });

  test('null means "not set"', () => {
    const m = validateManifest(pod({ containers: [{ ...nginx, command: null, ports: null }], nodeSelector: null }, { name: 'p', creationTimestamp: null, labels: null }));
    expect(m.metadata).toEqual({ name: 'p', namespace: 'default' });
  });
});

describe('mapping and decode errors', () => {
  test('unknown kind', () => {
    const e = fail({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, { source: 'w.yaml' });
    expect(e.reason).toBe('NoKindMatch');
    expect(e.message).toBe('no matches for kind "Widget" in version "example.com/v1"');
    expect(kubectlErrorLine(e)).toBe(
      'error: resource mapping not found for name: "w" namespace: "" from "w.yaml": no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first',
    );
  });

  test('Deployment in extensions/v1beta1 (removed in 1.16)', () => {
    expect(fail({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'd' } }).reason).toBe('NoKindMatch');
    expect(fail({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'd' } }, { kubernetesVersion: '1.15.0' }).reason).toBe('KindNotSupported');
  });

  test('built-in kinds not simulated yet are distinguishable', () => {
    for (const kind of ['Secret', 'ReplicationController']) {
      const e = fail({ apiVersion: 'v1', kind, metadata: { name: 'x' } });
      expect(e.reason).toBe('KindNotSupported');
      expect(e.message).toBe(`no matches for kind "${kind}" in version "v1"`);
    }
    expect(fail({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'x' } }).reason).toBe('KindNotSupported');
    // NetworkPolicy is stored in networking.k8s.io/v1; its extensions/v1beta1 form is not modelled.
    expect(fail({ apiVersion: 'extensions/v1beta1', kind: 'NetworkPolicy', metadata: { name: 'x' } }, { kubernetesVersion: '1.15.0' }).reason).toBe('KindNotSupported');
  });

  test('missing kind or apiVersion', () => {
    const e = fail({ apiVersion: 'v1', metadata: { name: 'p' } }, { source: 'p.yaml' });
    expect(e.origin).toBe('decode');
    expect(kubectlErrorLine(e)).toBe(`error: unable to decode "p.yaml": Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"name":"p"}}'`);
    expect(fail({ kind: 'Pod' }).message).toBe(`Object 'apiVersion' is missing in '{"kind":"Pod"}'`);
  });

  test('SUPPORTED_KINDS all resolve', () => {
    expect([...SUPPORTED_KINDS]).toEqual([
      'Namespace',
      'Node',
      'Pod',
      'Deployment',
      'ReplicaSet',
      'DaemonSet',
      'ConfigMap',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Service',
      'Endpoints',
      'EndpointSlice',
      'Ingress',
      'IngressClass',
      'NetworkPolicy',
    ]);
  });
});

describe('properties', () => {
  const kindArb = fc.constantFrom(...SUPPORTED_KINDS);
  const apiVersionFor = (k: (typeof SUPPORTED_KINDS)[number]) => KIND_API_VERSION[k];
  const shapedInput = fc.record({
    kind: kindArb,
    metadata: fc.anything(),
    spec: fc.oneof(fc.anything(), fc.record({ containers: fc.array(fc.anything()), selector: fc.anything(), template: fc.anything(), replicas: fc.anything() })),
    // Top-level fields of ConfigMap and the RBAC kinds (ignored by the others).
    data: fc.anything(),
    binaryData: fc.oneof(fc.anything(), fc.dictionary(fc.string(), fc.string())),
    rules: fc.oneof(fc.anything(), fc.array(fc.dictionary(fc.constantFrom('verbs', 'apiGroups', 'resources', 'nonResourceURLs'), fc.anything()))),
    roleRef: fc.anything(),
    subjects: fc.oneof(fc.anything(), fc.array(fc.dictionary(fc.constantFrom('kind', 'name', 'namespace', 'apiGroup'), fc.anything()))),
  });

  test('arbitrary JSON input only ever throws ApiError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          shapedInput.map((o) => ({ ...o, apiVersion: apiVersionFor(o.kind) })),
        ),
        (input) => {
          try {
            validateManifest(input);
          } catch (e) {
            if (!(e instanceof ApiError)) throw e;
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test('validation is deterministic', () => {
    const outcome = (input: unknown) => {
      try {
        return JSON.stringify(validateManifest(input));
      } catch (e) {
        return (e as Error).message;
      }
    };
    fc.assert(
      fc.property(
        shapedInput.map((o) => ({ ...o, apiVersion: apiVersionFor(o.kind) })),
        (input) => {
          expect(outcome(input)).toBe(outcome(input));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('valid pods round-trip: validating the result again changes nothing', () => {
    const name = fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/);
    const podArb = fc.record({
      name,
      containers: fc.uniqueArray(fc.record({ name, image: fc.constantFrom('nginx', 'busybox:1.28.4', 'registry.io/x/y:v1') }), {
        minLength: 1,
        maxLength: 3,
        selector: (c) => c.name,
      }),
      restartPolicy: fc.constantFrom('Always', 'OnFailure', 'Never', undefined),
    });
    fc.assert(
      fc.property(podArb, ({ name: n, containers, restartPolicy }) => {
        const first = validateManifest(pod({ containers, restartPolicy }, { name: n }));
        expect(validateManifest(JSON.parse(JSON.stringify(first)))).toEqual(first);
      }),
    );
  });
});
