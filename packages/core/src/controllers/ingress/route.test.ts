import { describe, expect, it } from 'vitest';
import type { HTTPIngressPath, Ingress, IngressRule } from '../../api/types.js';
import { hostMatches, ingressHosts, normalizePath, routeIngress, sortIngressesForNginx } from './route.js';

type PathSpec = [path: string | undefined, pathType: HTTPIngressPath['pathType'], service: string];

function path([p, pathType, service]: PathSpec): HTTPIngressPath {
  return { ...(p !== undefined ? { path: p } : {}), pathType, backend: { service: { name: service, port: { number: 80 } } } };
}

function rule(host: string | undefined, paths: PathSpec[]): IngressRule {
  return { ...(host ? { host } : {}), http: { paths: paths.map(path) } };
}

function ingress(name: string, spec: Ingress['spec'], opts: { namespace?: string; created?: string } = {}): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      creationTimestamp: opts.created ?? '2024-05-01T10:00:00Z',
    },
    spec,
    status: { loadBalancer: {} },
  };
}

const svc = (name: string, port: { number?: number; name?: string } = { number: 80 }) => ({ service: { name, port } });

/** The service a request reaches, or "default" for the controller's default backend (404). */
function target(ings: Ingress[], host: string, p: string): string {
  return routeIngress(ings, { host, path: p })?.backend.service?.name ?? 'default';
}

// kubernetes.io/docs/concepts/services-networking/ingress/#examples, one Ingress with a
// host-less rule per row. Each path sends to its own Service so the winner is visible.
describe('the Kubernetes docs path-matching examples', () => {
  const table: { kind: string; paths: PathSpec[]; requests: string[]; expected: string; redirect?: string }[] = [
    { kind: 'Prefix', paths: [['/', 'Prefix', 'root']], requests: ['/', '/foo', '/aaa/bbb/ccc', '/index.html'], expected: 'root' },
    { kind: 'Exact', paths: [['/foo', 'Exact', 'foo']], requests: ['/foo'], expected: 'foo' },
    { kind: 'Exact', paths: [['/foo', 'Exact', 'foo']], requests: ['/bar'], expected: 'default' },
    { kind: 'Exact', paths: [['/foo', 'Exact', 'foo']], requests: ['/foo/'], expected: 'default' },
    { kind: 'Prefix', paths: [['/foo', 'Prefix', 'foo']], requests: ['/foo', '/foo/'], expected: 'foo' },
    { kind: 'Prefix', paths: [['/foo/', 'Prefix', 'foo']], requests: ['/foo/'], expected: 'foo' },
    // "Yes": ingress-nginx gets there by answering 301 to "/foo/" first.
    { kind: 'Prefix', paths: [['/foo/', 'Prefix', 'foo']], requests: ['/foo'], expected: 'foo', redirect: '/foo/' },
    { kind: 'Prefix', paths: [['/aaa/bb', 'Prefix', 'bb']], requests: ['/aaa/bbb'], expected: 'default' },
    { kind: 'Prefix', paths: [['/aaa/bbb', 'Prefix', 'bbb']], requests: ['/aaa/bbb'], expected: 'bbb' },
    { kind: 'Prefix', paths: [['/aaa/bbb/', 'Prefix', 'bbb']], requests: ['/aaa/bbb'], expected: 'bbb', redirect: '/aaa/bbb/' },
    { kind: 'Prefix', paths: [['/aaa/bbb', 'Prefix', 'bbb']], requests: ['/aaa/bbb/'], expected: 'bbb' },
    { kind: 'Prefix', paths: [['/aaa/bbb', 'Prefix', 'bbb']], requests: ['/aaa/bbb/ccc'], expected: 'bbb' },
    { kind: 'Prefix', paths: [['/aaa/bbb', 'Prefix', 'bbb']], requests: ['/aaa/bbbxyz'], expected: 'default' },
    {
      kind: 'Prefix',
      paths: [
        ['/', 'Prefix', 'root'],
        ['/aaa', 'Prefix', 'aaa'],
      ],
      requests: ['/aaa/ccc'],
      expected: 'aaa',
    },
    {
      kind: 'Prefix',
      paths: [
        ['/', 'Prefix', 'root'],
        ['/aaa', 'Prefix', 'aaa'],
        ['/aaa/bbb', 'Prefix', 'bbb'],
      ],
      requests: ['/aaa/bbb'],
      expected: 'bbb',
    },
    {
      kind: 'Prefix',
      paths: [
        ['/', 'Prefix', 'root'],
        ['/aaa', 'Prefix', 'aaa'],
        ['/aaa/bbb', 'Prefix', 'bbb'],
      ],
      requests: ['/ccc'],
      expected: 'root',
    },
    { kind: 'Prefix', paths: [['/aaa', 'Prefix', 'aaa']], requests: ['/ccc'], expected: 'default' },
    {
      kind: 'Mixed',
      paths: [
        ['/foo', 'Prefix', 'prefix'],
        ['/foo', 'Exact', 'exact'],
      ],
      requests: ['/foo'],
      expected: 'exact',
    },
    // The same, with the Exact path listed first.
    {
      kind: 'Mixed',
      paths: [
        ['/foo', 'Exact', 'exact'],
        ['/foo', 'Prefix', 'prefix'],
      ],
      requests: ['/foo'],
      expected: 'exact',
    },
  ];

  for (const row of table) {
    for (const request of row.requests) {
      it(`${row.kind} ${row.paths.map((p) => p[0]).join(', ')} with ${request} → ${row.expected}`, () => {
        const ing = ingress('docs', { rules: [rule(undefined, row.paths)] });
        const d = routeIngress([ing], { host: 'example.com', path: request });
        expect(d?.backend.service?.name ?? 'default').toBe(row.expected);
        expect(d?.redirect).toBe(row.redirect);
      });
    }
  }

  it('Exact "/foo/" and a request for "/foo": the docs say no match; nginx redirects to "/foo/" (it is a proxied location ending in "/")', () => {
    const ing = ingress('docs', { rules: [rule(undefined, [['/foo/', 'Exact', 'foo']])] });
    expect(routeIngress([ing], { host: 'example.com', path: '/foo' })).toMatchObject({ redirect: '/foo/', backend: svc('foo') });
    expect(routeIngress([ing], { host: 'example.com', path: '/foo/' })?.redirect).toBeUndefined();
  });

  it('matching is case-sensitive', () => {
    const ing = ingress('docs', {
      rules: [
        rule(undefined, [
          ['/foo', 'Exact', 'exact'],
          ['/Bar', 'Prefix', 'bar'],
        ]),
      ],
    });
    expect(target([ing], 'x', '/FOO')).toBe('default');
    expect(target([ing], 'x', '/bar/baz')).toBe('default');
    expect(target([ing], 'x', '/Bar/baz')).toBe('bar');
  });
});

describe('ImplementationSpecific', () => {
  it('is element-wise like Prefix (ingress-nginx rewrites it), not a string prefix', () => {
    const ing = ingress('impl', { rules: [rule(undefined, [['/app', 'ImplementationSpecific', 'app']])] });
    expect(target([ing], 'x', '/app')).toBe('app');
    expect(target([ing], 'x', '/app/x')).toBe('app');
    expect(target([ing], 'x', '/apple')).toBe('default');
  });

  it('an empty path is "/", and takes over the server root', () => {
    const ing = ingress('impl', { defaultBackend: svc('fallback'), rules: [rule('a.example.com', [[undefined, 'ImplementationSpecific', 'web']])] });
    const d = routeIngress([ing], { host: 'a.example.com', path: '/anything' });
    expect(d).toMatchObject({ backend: svc('web'), ruleIndex: 0, pathIndex: 0, pathType: 'ImplementationSpecific', host: 'a.example.com' });
    expect(d?.path).toBeUndefined();
  });

  it('shares a location with a Prefix path of the same text: the older Ingress keeps it', () => {
    const old = ingress('old', { rules: [rule(undefined, [['/api', 'ImplementationSpecific', 'old']])] }, { created: '2024-05-01T09:00:00Z' });
    const young = ingress('young', { rules: [rule(undefined, [['/api', 'Prefix', 'young']])] });
    expect(target([young, old], 'x', '/api/v1')).toBe('old');
  });
});

describe('hosts', () => {
  // The seed lesson's Ingress, as stored after conversion from extensions/v1beta1.
  const seed = ingress('service-ingress', {
    rules: [
      rule('kubeserve.example.com', [[undefined, 'ImplementationSpecific', 'kubeserve2']]),
      rule('app.example.com', [[undefined, 'ImplementationSpecific', 'nginx']]),
      rule(undefined, [[undefined, 'ImplementationSpecific', 'httpd']]),
    ],
  });

  it('the seed Ingress: two named hosts and a catch-all', () => {
    expect(target([seed], 'kubeserve.example.com', '/')).toBe('kubeserve2');
    expect(target([seed], 'app.example.com', '/index.html')).toBe('nginx');
    expect(target([seed], 'kubeserve2.example.com', '/')).toBe('httpd');
    expect(target([seed], '203.0.113.10', '/')).toBe('httpd');
    expect(target([seed], '', '/')).toBe('httpd');
  });

  it('explains the decision', () => {
    expect(routeIngress([seed], { host: 'app.example.com', path: '/index.html' })?.reason).toBe(
      'host "app.example.com" matched rule 1 of Ingress default/service-ingress; the empty path (ImplementationSpecific, matched as Prefix "/") is the longest match for "/index.html"',
    );
    expect(routeIngress([seed], { host: 'other.example.com', path: '/' })?.reason).toBe(
      'no rule names host "other.example.com", so the host-less rule 2 of Ingress default/service-ingress applies; the empty path (ImplementationSpecific, matched as Prefix "/") is the longest match for "/"',
    );
  });

  it('host matching ignores case, a port and a trailing dot', () => {
    expect(target([seed], 'APP.Example.COM:8080', '/')).toBe('nginx');
    expect(target([seed], 'app.example.com.', '/')).toBe('nginx');
  });

  it('a host with its own server never falls back to host-less rules', () => {
    const ing = ingress('split', {
      rules: [rule('app.example.com', [['/api', 'Prefix', 'api']]), rule(undefined, [['/', 'Prefix', 'catch-all']])],
    });
    expect(target([ing], 'app.example.com', '/api/users')).toBe('api');
    // No path of app.example.com matches and the Ingress has no defaultBackend: 404.
    expect(target([ing], 'app.example.com', '/')).toBe('default');
    expect(target([ing], 'other.example.com', '/')).toBe('catch-all');
  });

  it('a wildcard matches exactly one extra label; an exact host wins over it', () => {
    const ing = ingress('wild', {
      rules: [rule('*.foo.com', [['/', 'Prefix', 'wild']]), rule('exact.foo.com', [['/', 'Prefix', 'exact']])],
    });
    expect(target([ing], 'bar.foo.com', '/')).toBe('wild');
    expect(target([ing], 'exact.foo.com', '/')).toBe('exact');
    expect(target([ing], 'baz.bar.foo.com', '/')).toBe('default');
    expect(target([ing], 'foo.com', '/')).toBe('default');
    expect(target([ing], '*.foo.com', '/')).toBe('default');
    expect(routeIngress([ing], { host: 'bar.foo.com', path: '/' })?.reason).toBe(
      'host "bar.foo.com" matched the wildcard "*.foo.com" rule 0 of Ingress default/wild; path "/" (Prefix) is the longest match for "/"',
    );
    expect(hostMatches('*.foo.com', 'A.FOO.COM')).toBe(true);
    expect(hostMatches('*.foo.com', 'a.b.foo.com')).toBe(false);
  });

  it('ingressHosts lists distinct rule hosts in order', () => {
    expect(ingressHosts(seed)).toEqual(['kubeserve.example.com', 'app.example.com']);
  });
});

describe('default backends', () => {
  it("a named host's unmatched paths go to the defaultBackend of the Ingress that first named the host", () => {
    const first = ingress('first', { defaultBackend: svc('first-default'), rules: [rule('a.example.com', [['/api', 'Prefix', 'api']])] }, { created: '2024-05-01T09:00:00Z' });
    const second = ingress('second', { defaultBackend: svc('second-default'), rules: [rule('a.example.com', [['/web', 'Prefix', 'web']])] });
    const d = routeIngress([second, first], { host: 'a.example.com', path: '/other' });
    expect(d).toMatchObject({ ingress: { namespace: 'default', name: 'first' }, backend: svc('first-default'), host: 'a.example.com' });
    expect(d?.ruleIndex).toBeUndefined();
    expect(d?.reason).toBe('host "a.example.com" matched (first named by Ingress default/first) but no path matches "/other"; that Ingress\'s defaultBackend serves it');
    expect(target([second, first], 'a.example.com', '/web/x')).toBe('web');
  });

  it('an Ingress with only a defaultBackend serves what no rule takes, even over host-less "/" rules', () => {
    const catchAll = ingress('catch-all', { defaultBackend: svc('fallback') }, { created: '2024-05-01T11:00:00Z' });
    const rules = ingress('rules', {
      rules: [
        rule(undefined, [
          ['/', 'Prefix', 'root'],
          ['/api', 'Prefix', 'api'],
        ]),
        rule('a.example.com', [['/', 'Prefix', 'a']]),
      ],
    });
    expect(target([catchAll, rules], 'x', '/other')).toBe('fallback');
    expect(target([catchAll, rules], 'x', '/api')).toBe('api');
    expect(target([catchAll, rules], 'a.example.com', '/other')).toBe('a');
    expect(routeIngress([catchAll], { host: 'x', path: '/' })?.reason).toBe(
      'no rule names host "x" and no host-less rule path matches "/"; Ingress default/catch-all has only a defaultBackend, which serves every such request',
    );
  });

  it('nothing at all: undefined (the controller answers 404)', () => {
    expect(routeIngress([], { host: 'x', path: '/' })).toBeUndefined();
    const ing = ingress('a', { rules: [rule('a.example.com', [['/', 'Prefix', 'a']])] });
    expect(routeIngress([ing], { host: 'b.example.com', path: '/' })).toBeUndefined();
  });

  it('resource backends are skipped by ingress-nginx', () => {
    const ing = ingress('res', {
      defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } },
      rules: [{ http: { paths: [{ path: '/static', pathType: 'Prefix', backend: { resource: { kind: 'StorageBucket', name: 'static' } } }] } }],
    });
    expect(routeIngress([ing], { host: 'x', path: '/static/a' })).toBeUndefined();
  });
});

describe('several Ingresses', () => {
  it('the same host and path: the oldest Ingress wins; equal ages, the greater namespace/name', () => {
    const a = ingress('a', { rules: [rule('h.example.com', [['/', 'Prefix', 'a']])] });
    const b = ingress('b', { rules: [rule('h.example.com', [['/', 'Prefix', 'b']])] });
    const older = ingress('z-older', { rules: [rule('h.example.com', [['/', 'Prefix', 'older']])] }, { created: '2024-05-01T08:00:00Z' });
    expect(target([a, b], 'h.example.com', '/')).toBe('b');
    expect(target([a, b, older], 'h.example.com', '/')).toBe('older');
    expect(sortIngressesForNginx([a, b, older]).map((i) => i.metadata.name)).toEqual(['z-older', 'b', 'a']);
  });

  it('rules of different Ingresses for one host merge; the longest path wins across them', () => {
    const a = ingress('a', { rules: [rule('h.example.com', [['/', 'Prefix', 'root']])] });
    const b = ingress('b', { rules: [rule('h.example.com', [['/api', 'Prefix', 'api']])] }, { namespace: 'other' });
    const d = routeIngress([a, b], { host: 'h.example.com', path: '/api/x' });
    expect(d).toMatchObject({ ingress: { namespace: 'other', name: 'b' }, namespace: 'other', backend: svc('api') });
  });
});

describe('request paths', () => {
  it('are normalized as nginx does before matching', () => {
    expect(normalizePath('/a//b/./c/../d?x=1')).toBe('/a/b/d');
    expect(normalizePath('')).toBe('/');
    expect(normalizePath('/%61pi')).toBe('/api');
    expect(normalizePath('/a/..')).toBe('/');
  });
});
