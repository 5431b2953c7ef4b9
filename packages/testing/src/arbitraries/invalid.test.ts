import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster, isApiError } from '@k8s-netsim/core';
import { arbInvalidManifest, INVALID_MUTATIONS, type InvalidManifest } from './invalid.js';

const lab = Cluster.create();
const snapshot = lab.snapshot();

/** Apply and return the error (or fail when the manifest is accepted). */
function refusal(v: InvalidManifest): unknown {
  try {
    lab.apply(v.manifest);
  } catch (e) {
    return e;
  }
  throw new Error(`accepted: ${fc.stringify(v)}`);
}

function expectRefused(v: InvalidManifest): void {
  const state = lab.state;
  const e = refusal(v);
  expect(isApiError(e), String(e)).toBe(true);
  const message = (e as Error).message;
  expect(message).toMatch(new RegExp(`^The ${v.manifest.kind} ".*" is invalid: `, 's'));
  expect(message, v.mutation).toContain(`${v.field}: `);
  expect(lab.state).toBe(state);
}

describe('arbInvalidManifest', () => {
  it('is refused by the API server with the expected field, and the cluster is unchanged', () => {
    fc.assert(fc.property(arbInvalidManifest(), expectRefused), { numRuns: 300 });
    expect(lab.snapshot()).toBe(snapshot);
  });

  it('every mutation kind is refused as described', () => {
    for (const m of INVALID_MUTATIONS) {
      const values = fc.sample(arbInvalidManifest({ mutations: [m] }), { numRuns: 5, seed: 1 });
      for (const v of values) {
        expect(v.mutation).toBe(m);
        expectRefused(v);
      }
    }
    expect(lab.snapshot()).toBe(snapshot);
  });

  it('covers the mutations the API server is known for', () => {
    for (const m of [
      'Deployment: invalid metadata.name',
      'Deployment: negative replicas',
      'Deployment: selector does not match template labels',
      'Pod: missing containers',
      'Pod: invalid imagePullPolicy',
      'Service: service port out of range',
      'Service: duplicate service port',
      'Service: nodePort out of range',
      'Service: targetPort name too long',
      'Service: clusterIP outside the service CIDR',
      'Ingress: unknown pathType',
    ]) {
      expect(INVALID_MUTATIONS).toContain(m);
    }
    expect(() => arbInvalidManifest({ mutations: ['Pod: nope'] })).toThrow(/INVALID_MUTATIONS/);
  });

  it('prints the mutation, the field and the object as YAML', () => {
    const [v] = fc.sample(arbInvalidManifest({ mutations: ['Service: service port out of range'] }), { numRuns: 1, seed: 2 });
    const text = fc.stringify(v);
    expect(text).toMatch(/^# mutation: Service: service port out of range\n# expected field: spec\.ports\[0\]\.port\napiVersion: v1\nkind: Service\n/);
  });
});
