// Admission on the apply path: NamespaceLifecycle, and DefaultIngressClass as the plugin runs it
// (api/ingress-admission.ts) against the cluster's IngressClasses.

import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.js';
import { validateManifest } from '../api/manifest.js';
import { parseManifests } from '../api/yaml.js';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { advanceClock, applyObjects } from '../controllers/transitions.js';
import type { ClusterState } from '../state/types.js';

function apply(state: ClusterState, yaml: string): ClusterState {
  const inputs = parseManifests(yaml, 'test.yaml').map((doc) => validateManifest(doc, { kubernetesVersion: state.config.kubernetesVersion }));
  return applyObjects(state, inputs).state;
}

const ingress = (name: string, annotations = '') => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}${annotations ? `\n  annotations: { ${annotations} }` : ''}
spec:
  defaultBackend: { service: { name: web, port: { number: 80 } } }
`;

const defaultClass = (name: string) => `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: ${name}
  annotations: { ingressclass.kubernetes.io/is-default-class: "true" }
spec: { controller: example.com/${name} }
`;

const className = (state: ClusterState, name: string) => state.ingresses.default?.[name]?.spec.ingressClassName;

describe('admission on apply', () => {
  const lab = bootstrapCluster();

  it('refuses an object in a namespace that does not exist (NamespaceLifecycle), changing nothing', () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: nope }\n';
    expect(() => apply(lab, yaml)).toThrow(ApiError);
    expect(() => apply(lab, yaml)).toThrow('namespaces "nope" not found');
  });

  it("gives a class-less Ingress the default IngressClass (the lab's nginx)", () => {
    expect(className(apply(lab, ingress('web')), 'web')).toBe('nginx');
  });

  it('leaves an Ingress that names a class, by field or by the old annotation (even empty), alone', () => {
    const named = apply(lab, ingress('web').replace('spec:\n', 'spec:\n  ingressClassName: other\n'));
    expect(className(named, 'web')).toBe('other');
    expect(className(apply(lab, ingress('web', 'kubernetes.io/ingress.class: traefik')), 'web')).toBeUndefined();
    expect(className(apply(lab, ingress('web', 'kubernetes.io/ingress.class: ""')), 'web')).toBeUndefined();
  });

  it('defaults nothing without a default IngressClass', () => {
    expect(className(apply(bootstrapCluster({ ingressController: false }), ingress('web')), 'web')).toBeUndefined();
  });

  it('with several defaults: the newest from 1.25, Forbidden before', () => {
    const two = (version: string) => apply(advanceClock(bootstrapCluster({ kubernetesVersion: version }), 60_000), defaultClass('newer'));
    expect(className(apply(two('1.25.0'), ingress('web')), 'web')).toBe('newer');
    const old = two('1.24.0');
    expect(() => apply(old, ingress('web'))).toThrow(
      'ingresses.networking.k8s.io "web" is forbidden: Internal error occurred: 2 default IngressClasses were found, only 1 allowed',
    );
    expect(old.ingresses.default?.web).toBeUndefined();
  });
});
