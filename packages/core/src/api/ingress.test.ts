// Ingress and IngressClass through validateManifest: served versions, legacy conversion,
// defaults and the API server's validation messages.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ApiError, kubectlErrorLine } from './errors.js';
import { admitDefaultIngressClass, defaultIngressClass } from './ingress-admission.js';
import { deprecationWarning } from './kinds.js';
import type { Manifest } from './manifest-types.js';
import type { IngressClass } from './types.js';
import { validateManifest, type ValidateManifestOptions } from './manifest.js';

/** The spec of a manifest that has one. */
const specOf = (m: unknown): unknown => (m as { spec: unknown }).spec;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const WILDCARD_MSG =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** Messages are in the Go-syntax era (1.31) unless a test passes another version. */
function fail(obj: unknown, opts: ValidateManifestOptions = {}): ApiError {
  try {
    validateManifest(obj, { kubernetesVersion: '1.31.4', ...opts });
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected validateManifest to throw');
}

/** The causes as kubectl prints them, one per line. */
function causes(obj: unknown, opts: ValidateManifestOptions = {}): string[] {
  const e = fail(obj, opts);
  expect(e.reason).toBe('Invalid');
  const text = kubectlErrorLine(e);
  const head = `The Ingress${e.details.kind === 'IngressClass' ? 'Class' : ''} "${e.details.name}" is invalid: `;
  if (!text.includes('\n')) return [text.slice(head.length)];
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.replace(/^\* /, ''));
}

const v1 = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'web' }) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec });
const legacy = (spec: Record<string, unknown>, apiVersion = 'extensions/v1beta1') => ({ apiVersion, kind: 'Ingress', metadata: { name: 'web' }, spec });
const svc = (name: string, port: Record<string, unknown> = { number: 80 }) => ({ service: { name, port } });
const path = (p: Record<string, unknown>) => ({ http: { paths: [p] } });
const prefix = (pth: string, backend: unknown = svc('web')) => ({ path: pth, pathType: 'Prefix', backend });

describe('served versions', () => {
  test('networking.k8s.io/v1 from 1.19', () => {
    expect(validateManifest(v1({ defaultBackend: svc('web') }), { kubernetesVersion: '1.19.0' }).kind).toBe('Ingress');
    const e = fail(v1({ defaultBackend: svc('web') }), { kubernetesVersion: '1.18.20', source: 'ing.yaml' });
    expect(e.reason).toBe('NoKindMatch');
    expect(kubectlErrorLine(e)).toBe('error: unable to recognize "ing.yaml": no matches for kind "Ingress" in version "networking.k8s.io/v1"');
  });

  test('networking.k8s.io/v1beta1 from 1.14 until 1.22; extensions/v1beta1 until 1.22', () => {
    const spec = { backend: { serviceName: 'web', servicePort: 80 } };
    expect(validateManifest(legacy(spec, 'networking.k8s.io/v1beta1'), { kubernetesVersion: '1.14.0' }).apiVersion).toBe('networking.k8s.io/v1');
    expect(fail(legacy(spec, 'networking.k8s.io/v1beta1'), { kubernetesVersion: '1.13.0' }).reason).toBe('NoKindMatch');
    expect(fail(legacy(spec, 'networking.k8s.io/v1beta1'), { kubernetesVersion: '1.22.0' }).reason).toBe('NoKindMatch');
    expect(validateManifest(legacy(spec), { kubernetesVersion: '1.10.0' }).apiVersion).toBe('networking.k8s.io/v1');
    const e = fail(legacy(spec), { kubernetesVersion: '1.34.2', source: 'ingress.yaml' });
    expect(kubectlErrorLine(e)).toBe(
      'error: resource mapping not found for name: "web" namespace: "" from "ingress.yaml": no matches for kind "Ingress" in version "extensions/v1beta1"\nensure CRDs are installed first',
    );
  });

  test('IngressClass: networking.k8s.io/v1 from 1.19, v1beta1 1.18–1.21', () => {
    const ic = (apiVersion: string) => ({ apiVersion, kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } });
    expect(validateManifest(ic('networking.k8s.io/v1'))).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx' },
      spec: { controller: 'k8s.io/ingress-nginx' },
    });
    expect(fail(ic('networking.k8s.io/v1'), { kubernetesVersion: '1.18.0' }).reason).toBe('NoKindMatch');
    expect(validateManifest(ic('networking.k8s.io/v1beta1'), { kubernetesVersion: '1.18.0' }).apiVersion).toBe('networking.k8s.io/v1');
    expect(fail(ic('networking.k8s.io/v1beta1')).reason).toBe('NoKindMatch');
  });

  test('deprecation warnings (API servers send them from 1.19)', () => {
    expect(deprecationWarning('extensions/v1beta1', 'Ingress', '1.20.0')).toBe(
      'extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress',
    );
    expect(deprecationWarning('extensions/v1beta1', 'Ingress', '1.18.0')).toBeUndefined();
    expect(deprecationWarning('networking.k8s.io/v1beta1', 'Ingress', '1.21.0')).toBe(
      'networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress',
    );
    // The replacement names IngressClassList: the API server's own slip, kept.
    expect(deprecationWarning('networking.k8s.io/v1beta1', 'IngressClass', '1.19.3')).toBe(
      'networking.k8s.io/v1beta1 IngressClass is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 IngressClassList',
    );
    expect(deprecationWarning('networking.k8s.io/v1', 'Ingress', '1.21.0')).toBeUndefined();
  });
});

describe('legacy versions convert to v1', () => {
  test('backend → defaultBackend, serviceName/servicePort → service, missing pathType → ImplementationSpecific, path kept as given', () => {
    const m = validateManifest(
      legacy({
        backend: { serviceName: 'fallback', servicePort: 'http' },
        tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }],
        rules: [
          {
            host: 'web.example.com',
            http: {
              paths: [
                { path: '/api', backend: { serviceName: 'api', servicePort: 8080 } },
                { path: '/exact', pathType: 'Exact', backend: { serviceName: 'web', servicePort: 80 } },
              ],
            },
          },
          { http: { paths: [{ backend: { serviceName: 'web', servicePort: 80 } }] } },
        ],
      }),
      { kubernetesVersion: '1.20.0' },
    );
    expect(m).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        defaultBackend: { service: { name: 'fallback', port: { name: 'http' } } },
        tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }],
        rules: [
          {
            host: 'web.example.com',
            http: {
              paths: [
                { path: '/api', pathType: 'ImplementationSpecific', backend: { service: { name: 'api', port: { number: 8080 } } } },
                { path: '/exact', pathType: 'Exact', backend: { service: { name: 'web', port: { number: 80 } } } },
              ],
            },
          },
          { http: { paths: [{ pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 80 } } } }] } },
        ],
      },
    });
  });

  test('errors name the fields as the legacy request spells them', () => {
    expect(causes(legacy({}), { kubernetesVersion: '1.21.0' })).toEqual(['spec: Invalid value: []networking.IngressRule(nil): either `backend` or `rules` must be specified']);
    const e = fail(legacy({ backend: { servicePort: 80 } }), { kubernetesVersion: '1.21.0' });
    // The Status message names the group the request used.
    expect(e.serverMessage).toBe('Ingress.extensions "web" is invalid: spec.backend.serviceName: Required value');
    expect(
      causes(
        legacy({
          rules: [
            path({ path: '/a', backend: { serviceName: 'Web', servicePort: 'HTTP' } }),
            path({ path: '/b', backend: { serviceName: 'web', servicePort: 70000 } }),
            path({ path: '/c', backend: { serviceName: 'web', servicePort: '80' } }),
            path({ path: '/d', backend: {} }),
            path({ path: '/e', backend: { serviceName: 'web', servicePort: '' } }),
          ],
        }),
        { kubernetesVersion: '1.21.0' },
      ),
    ).toEqual([
      `spec.rules[0].http.paths[0].backend.serviceName: Invalid value: "Web": ${DNS1035_MSG}`,
      'spec.rules[0].http.paths[0].backend.servicePort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.rules[0].http.paths[0].backend.servicePort: Invalid value: "HTTP": must contain at least one letter (a-z)',
      'spec.rules[1].http.paths[0].backend.servicePort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.rules[2].http.paths[0].backend.servicePort: Invalid value: "80": must contain at least one letter (a-z)',
      'spec.rules[3].http.paths[0].backend: Invalid value: "": resource or service backend is required',
      'spec.rules[4].http.paths[0].backend: Required value: port name or number is required',
    ]);
  });

  test('legacy requests were lenient: wildcard-host rules and TLS secret names go unchecked', () => {
    const spec = {
      tls: [{ hosts: ['*.example.com'], secretName: 'Bad_Secret' }],
      rules: [{ host: '*.example.com', http: { paths: [{ path: 'relative', pathType: 'Exact', backend: { serviceName: 'web', servicePort: 80 } }] } }],
    };
    expect(validateManifest(legacy(spec), { kubernetesVersion: '1.21.0' }).kind).toBe('Ingress');
  });
});

describe('Ingress validation (networking.k8s.io/v1)', () => {
  test('either defaultBackend or rules; nil vs empty list; JSON values from 1.34', () => {
    const e = fail(v1({}));
    expect(e.message).toBe('The Ingress "web" is invalid: spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified');
    expect(e.serverMessage).toBe(
      'Ingress.networking.k8s.io "web" is invalid: spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified',
    );
    expect(causes(v1({ rules: [] }))).toEqual(['spec: Invalid value: []networking.IngressRule{}: either `defaultBackend` or `rules` must be specified']);
    expect(causes(v1({}), { kubernetesVersion: '1.34.2' })).toEqual(['spec: Invalid value: null: either `defaultBackend` or `rules` must be specified']);
    expect(causes(v1({ rules: [] }), { kubernetesVersion: '1.34.2' })).toEqual(['spec: Invalid value: []: either `defaultBackend` or `rules` must be specified']);
  });

  test('pathType is required in v1, and must be one of three', () => {
    expect(fail(v1({ rules: [path({ path: '/', backend: svc('web') })] })).message).toBe(
      'The Ingress "web" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    );
    expect(causes(v1({ rules: [path({ path: '/', pathType: 'Regex', backend: svc('web') })] }))).toEqual([
      'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
    ]);
  });

  test('Exact and Prefix paths: absolute, no //, /./, /../, %2f, no trailing /. or /..', () => {
    const paths = ['foo', '', '/a//b', '/a/./b', '/a/../b', '/a%2fb', '/a%2Fb', '/a/..', '/a/.'];
    const c = causes(v1({ rules: [{ http: { paths: paths.map((p) => ({ path: p, pathType: 'Exact', backend: svc('web') })) } }] }));
    expect(c).toEqual([
      'spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path',
      'spec.rules[0].http.paths[1].path: Invalid value: "": must be an absolute path',
      `spec.rules[0].http.paths[2].path: Invalid value: "/a//b": must not contain '//'`,
      `spec.rules[0].http.paths[3].path: Invalid value: "/a/./b": must not contain '/./'`,
      `spec.rules[0].http.paths[4].path: Invalid value: "/a/../b": must not contain '/../'`,
      `spec.rules[0].http.paths[5].path: Invalid value: "/a%2fb": must not contain '%2f'`,
      `spec.rules[0].http.paths[6].path: Invalid value: "/a%2Fb": must not contain '%2F'`,
      `spec.rules[0].http.paths[7].path: Invalid value: "/a/..": cannot end with '/..'`,
      `spec.rules[0].http.paths[8].path: Invalid value: "/a/.": cannot end with '/.'`,
    ]);
  });

  test('ImplementationSpecific: an empty path is fine, otherwise only absolute is checked', () => {
    expect(validateManifest(v1({ rules: [path({ pathType: 'ImplementationSpecific', backend: svc('web') })] })).kind).toBe('Ingress');
    expect(validateManifest(v1({ rules: [path({ path: '/a//b', pathType: 'ImplementationSpecific', backend: svc('web') })] })).kind).toBe('Ingress');
    expect(causes(v1({ rules: [path({ path: 'a', pathType: 'ImplementationSpecific', backend: svc('web') })] }))).toEqual([
      'spec.rules[0].http.paths[0].path: Invalid value: "a": must be an absolute path',
    ]);
  });

  test('http without paths', () => {
    expect(causes(v1({ rules: [{ host: 'a.example.com', http: {} }] }))).toEqual(['spec.rules[0].http.paths: Required value']);
    // A rule with only a host is fine.
    expect(specOf(validateManifest(v1({ rules: [{ host: 'a.example.com' }] })))).toEqual({ rules: [{ host: 'a.example.com' }] });
  });

  test('hosts: DNS names, not IPs; `*` only as the whole first label', () => {
    const rules = ['192.168.1.10', '::1', 'Foo.example.com', 'foo.*.example.com', '*', '*foo.example.com', '*.example.com'].map((host) => ({ host, ...path(prefix('/')) }));
    expect(causes(v1({ rules }))).toEqual([
      'spec.rules[0].host: Invalid value: "192.168.1.10": must be a DNS name, not an IP address',
      'spec.rules[1].host: Invalid value: "::1": must be a DNS name, not an IP address',
      `spec.rules[1].host: Invalid value: "::1": ${SUBDOMAIN_MSG}`,
      `spec.rules[2].host: Invalid value: "Foo.example.com": ${SUBDOMAIN_MSG}`,
      `spec.rules[3].host: Invalid value: "foo.*.example.com": ${WILDCARD_MSG}`,
      `spec.rules[4].host: Invalid value: "*": ${WILDCARD_MSG}`,
      `spec.rules[5].host: Invalid value: "*foo.example.com": ${WILDCARD_MSG}`,
    ]);
  });

  test('backends: service name (DNS-1035) and port', () => {
    expect(causes(v1({ defaultBackend: svc('web', {}) }))).toEqual(['spec.defaultBackend: Required value: port name or number is required']);
    expect(causes(v1({ defaultBackend: svc('web', { name: 'http', number: 80 }) }))).toEqual(['spec.defaultBackend: Invalid value: "": cannot set both port name & port number']);
    expect(causes(v1({ defaultBackend: { service: {} } }))).toEqual([
      'spec.defaultBackend.service.name: Required value',
      'spec.defaultBackend: Required value: port name or number is required',
    ]);
    expect(
      causes(
        v1({
          rules: [
            path(prefix('/a', svc('1web'))),
            path(prefix('/b', svc('web', { number: 0, name: 'HTTP' }))),
            path(prefix('/c', svc('web', { number: 70000 }))),
            path(prefix('/d', { ...svc('web'), resource: { kind: 'Bucket', name: 'b' } })),
            path(prefix('/e', {})),
          ],
        }),
      ),
    ).toEqual([
      `spec.rules[0].http.paths[0].backend.service.name: Invalid value: "1web": ${DNS1035_MSG}`,
      'spec.rules[1].http.paths[0].backend.service.port.name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.rules[1].http.paths[0].backend.service.port.name: Invalid value: "HTTP": must contain at least one letter (a-z)',
      'spec.rules[2].http.paths[0].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.rules[3].http.paths[0].backend: Invalid value: "": cannot set both resource and service backends',
      'spec.rules[4].http.paths[0].backend: Invalid value: "": resource or service backend is required',
    ]);
  });

  test('resource backends: kind and name required, path-segment names', () => {
    expect(specOf(validateManifest(v1({ defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } } })))).toEqual({
      defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } },
    });
    expect(causes(v1({ defaultBackend: { resource: { apiGroup: '', name: 'a/b' } } }))).toEqual([
      `spec.defaultBackend.resource.apiGroup: Invalid value: "": ${SUBDOMAIN_MSG}`,
      'spec.defaultBackend.resource.kind: Required value: kind is required',
      `spec.defaultBackend.resource.name: Invalid value: "a/b": may not contain '/'`,
    ]);
  });

  test('TLS hosts and secret names; ingressClassName', () => {
    expect(
      causes(
        v1({
          ingressClassName: 'Nginx',
          defaultBackend: svc('web'),
          tls: [{ hosts: ['*.example.com', 'Web.example.com', 'a.*.com'], secretName: 'Web_TLS' }, { hosts: ['ok.example.com'] }],
        }),
      ),
    ).toEqual([
      `spec.tls[0].hosts[1]: Invalid value: "Web.example.com": ${SUBDOMAIN_MSG}`,
      `spec.tls[0].hosts[2]: Invalid value: "a.*.com": ${WILDCARD_MSG}`,
      `spec.tls[0].secretName: Invalid value: "Web_TLS": ${SUBDOMAIN_MSG}`,
      `spec.ingressClassName: Invalid value: "Nginx": ${SUBDOMAIN_MSG}`,
    ]);
  });

  test('the kubernetes.io/ingress.class annotation next to ingressClassName', () => {
    const ing = (annotation: string) => v1({ ingressClassName: 'nginx', defaultBackend: svc('web') }, { name: 'web', annotations: { 'kubernetes.io/ingress.class': annotation } });
    expect(validateManifest(ing('nginx')).kind).toBe('Ingress');
    expect(causes(ing('traefik'))).toEqual(['annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified']);
    expect(causes(ing('nginx'), { kubernetesVersion: '1.26.0' })).toEqual([
      'annotations.kubernetes.io/ingress.class: Invalid value: "nginx": can not be set when the class field is also set',
    ]);
  });

  test('metadata: DNS-subdomain names, namespaced', () => {
    expect(causes(v1({ defaultBackend: svc('web') }, { name: 'Web' }))).toEqual([`metadata.name: Invalid value: "Web": ${SUBDOMAIN_MSG}`]);
    expect(validateManifest(v1({ defaultBackend: svc('web') }), { defaultNamespace: 'shop' }).metadata.namespace).toBe('shop');
  });

  test('several problems print as a list, in the server order', () => {
    const e = fail(v1({ ingressClassName: 'X', rules: [{ host: '10.0.0.1', http: { paths: [{ path: 'x', pathType: 'Prefix', backend: svc('web', {}) }] } }] }));
    expect(kubectlErrorLine(e)).toBe(
      [
        'The Ingress "web" is invalid: ',
        '* spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
        '* spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path',
        '* spec.rules[0].http.paths[0].backend: Required value: port name or number is required',
        `* spec.ingressClassName: Invalid value: "X": ${SUBDOMAIN_MSG}`,
      ].join('\n'),
    );
  });

  test('a valid Ingress is stored as given, without defaults of its own', () => {
    const m = validateManifest(
      v1({
        ingressClassName: 'nginx',
        tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
        rules: [
          {
            host: 'shop.example.com',
            http: { paths: [prefix('/', svc('shop', { name: 'http' })), { path: '/healthz', pathType: 'Exact', backend: svc('shop', { number: 8080 }) }] },
          },
        ],
      }),
    );
    expect(m).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
        rules: [
          {
            host: 'shop.example.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { name: 'http' } } } },
                { path: '/healthz', pathType: 'Exact', backend: { service: { name: 'shop', port: { number: 8080 } } } },
              ],
            },
          },
        ],
      },
    });
  });

  test('wrong JSON types are decode errors worded like encoding/json', () => {
    const e = fail(v1({ rules: [path({ path: '/', pathType: 5, backend: svc('web') })] }));
    expect(e.reason).toBe('BadRequest');
    expect(e.message).toBe(
      'Ingress in version "v1" cannot be handled as a Ingress: json: cannot unmarshal number into Go struct field HTTPIngressPath.spec.rules.http.paths.pathType of type v1.PathType',
    );
    expect(fail(legacy({ backend: { serviceName: 'web', servicePort: true } }), { kubernetesVersion: '1.20.0' }).message).toBe(
      'Ingress in version "v1beta1" cannot be handled as a Ingress: json: cannot unmarshal bool into Go value of type int32',
    );
  });
});

describe('IngressClass validation', () => {
  const ic = (spec: Record<string, unknown>, name = 'nginx') => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name }, spec });
  const icCauses = (spec: Record<string, unknown>, opts?: ValidateManifestOptions) => causes(ic(spec), opts);

  test('controller: required, a domain-prefixed path, at most 250 bytes', () => {
    expect(fail(ic({})).message).toBe('The IngressClass "nginx" is invalid: spec.controller: Required value');
    expect(icCauses({ controller: 'nginx' })).toEqual(['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
    expect(icCauses({ controller: 'k8s.io/' })).toEqual(['spec.controller: Invalid value: "k8s.io/": must be a domain-prefixed path (such as "acme.io/foo")']);
    expect(icCauses({ controller: 'K8s.io/a b' })).toEqual([
      `spec.controller: Invalid value: "K8s.io": ${SUBDOMAIN_MSG}`,
      `spec.controller: Invalid value: "a b": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')`,
    ]);
    const long = `example.com/${'a'.repeat(250)}`;
    expect(icCauses({ controller: long })).toEqual(['spec.controller: Too long: may not be more than 250 bytes']);
    expect(icCauses({ controller: long }, { kubernetesVersion: '1.29.0' })).toEqual(['spec.controller: Too long: must have at most 250 bytes']);
  });

  test('parameters: scope defaults to Cluster; kind and name required; Namespace scope needs a namespace', () => {
    expect(specOf(validateManifest(ic({ controller: 'example.com/ingress', parameters: { apiGroup: 'example.com', kind: 'Params', name: 'p' } })))).toEqual({
      controller: 'example.com/ingress',
      parameters: { apiGroup: 'example.com', kind: 'Params', name: 'p', scope: 'Cluster' },
    });
    expect(icCauses({ controller: 'example.com/ingress', parameters: { apiGroup: 'Example' } })).toEqual([
      `spec.parameters.apiGroup: Invalid value: "Example": ${SUBDOMAIN_MSG}`,
      'spec.parameters.kind: Required value: kind is required',
      'spec.parameters.name: Required value: name is required',
    ]);
    expect(icCauses({ controller: 'example.com/ingress', parameters: { kind: 'P', name: 'p', scope: 'Global' } })).toEqual([
      'spec.parameters.scope: Unsupported value: "Global": supported values: "Cluster", "Namespace"',
    ]);
    expect(icCauses({ controller: 'example.com/ingress', parameters: { kind: 'P', name: 'p', scope: 'Namespace' } })).toEqual([
      "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
    ]);
    expect(icCauses({ controller: 'example.com/ingress', parameters: { kind: 'P', name: 'p', namespace: 'ops' } })).toEqual([
      "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
    ]);
    expect(validateManifest(ic({ controller: 'example.com/ingress', parameters: { kind: 'P', name: 'p', scope: 'Namespace', namespace: 'ops' } })).kind).toBe('IngressClass');
  });

  test('cluster-scoped, DNS-subdomain names', () => {
    expect(causes(ic({ controller: 'k8s.io/ingress-nginx' }, 'Nginx'))).toEqual([`metadata.name: Invalid value: "Nginx": ${SUBDOMAIN_MSG}`]);
    expect(validateManifest(ic({ controller: 'k8s.io/ingress-nginx' }), { defaultNamespace: 'shop' }).metadata.namespace).toBeUndefined();
  });
});

describe('DefaultIngressClass admission', () => {
  const cls = (name: string, isDefault: boolean, created = '2024-05-01T10:00:00Z'): IngressClass => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name,
      uid: name,
      resourceVersion: '1',
      creationTimestamp: created,
      ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}),
    },
    spec: { controller: 'k8s.io/ingress-nginx' },
  });
  const ing = (metadata: Record<string, unknown> = { name: 'web' }, spec: Record<string, unknown> = { defaultBackend: svc('web') }) =>
    validateManifest(v1(spec, metadata)) as Manifest<'Ingress'>;

  test('fills in the default class when neither the field nor the annotation names one', () => {
    expect(admitDefaultIngressClass(ing(), [cls('nginx', true), cls('other', false)]).spec.ingressClassName).toBe('nginx');
    expect(admitDefaultIngressClass(ing(), [cls('other', false)]).spec.ingressClassName).toBeUndefined();
    expect(admitDefaultIngressClass(ing(undefined, { ingressClassName: 'other', defaultBackend: svc('web') }), [cls('nginx', true)]).spec.ingressClassName).toBe('other');
    expect(admitDefaultIngressClass(ing({ name: 'web', annotations: { 'kubernetes.io/ingress.class': 'traefik' } }), [cls('nginx', true)]).spec.ingressClassName).toBeUndefined();
  });

  test('several defaults: the newest from 1.25, refused before', () => {
    const classes = [cls('a', true, '2024-05-01T10:00:00Z'), cls('b', true, '2024-05-02T10:00:00Z')];
    expect(admitDefaultIngressClass(ing(), classes, '1.25.0').spec.ingressClassName).toBe('b');
    expect(defaultIngressClass([cls('b', true), cls('a', true)])?.metadata.name).toBe('a');
    try {
      admitDefaultIngressClass(ing(), classes, '1.24.0');
      throw new Error('expected Forbidden');
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect(kubectlErrorLine(e as ApiError, { verb: 'creating', source: 'web.yaml' })).toBe(
        'Error from server (Forbidden): error when creating "web.yaml": ingresses.networking.k8s.io "web" is forbidden: Internal error occurred: 2 default IngressClasses were found, only 1 allowed',
      );
    }
  });
});

describe('properties', () => {
  const backendArb = fc.oneof(
    fc.record(
      {
        service: fc.record({ name: fc.string(), port: fc.record({ name: fc.string(), number: fc.integer() }, { requiredKeys: [] }) }, { requiredKeys: [] }),
        resource: fc.anything(),
      },
      { requiredKeys: [] },
    ),
    fc.record({ serviceName: fc.anything(), servicePort: fc.oneof(fc.string(), fc.integer(), fc.anything()) }, { requiredKeys: [] }),
    fc.anything(),
  );
  const pathArb = fc.record(
    { path: fc.oneof(fc.string(), fc.anything()), pathType: fc.oneof(fc.constantFrom('Exact', 'Prefix', 'ImplementationSpecific', 'X'), fc.anything()), backend: backendArb },
    { requiredKeys: [] },
  );
  const ruleArb = fc.record(
    {
      host: fc.oneof(fc.domain(), fc.string(), fc.constant('*.example.com')),
      http: fc.oneof(fc.record({ paths: fc.array(pathArb, { maxLength: 3 }) }, { requiredKeys: [] }), fc.anything()),
    },
    { requiredKeys: [] },
  );
  const specArb = fc.record(
    {
      ingressClassName: fc.oneof(fc.string(), fc.anything()),
      defaultBackend: backendArb,
      backend: backendArb,
      tls: fc.anything(),
      rules: fc.oneof(fc.array(ruleArb, { maxLength: 3 }), fc.anything()),
    },
    { requiredKeys: [] },
  );

  test('any Ingress-shaped input either validates or throws ApiError, in every served version', () => {
    fc.assert(
      fc.property(
        specArb,
        fc.constantFrom('networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1'),
        fc.constantFrom('1.18.0', '1.21.0', '1.34.2'),
        (spec, apiVersion, version) => {
          try {
            const m = validateManifest({ apiVersion, kind: 'Ingress', metadata: { name: 'web' }, spec }, { kubernetesVersion: version });
            expect(m.apiVersion).toBe('networking.k8s.io/v1');
          } catch (e) {
            expect(e).toBeInstanceOf(ApiError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
