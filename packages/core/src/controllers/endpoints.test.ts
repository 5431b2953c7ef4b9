import { describe, expect, it } from 'vitest';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { listObjects } from '../state/store.js';
import { applyObjects } from './transitions.js';
import type { EndpointSlice, Pod } from '../api/types.js';
import { deploymentInput, podInput, serviceInput } from '@k8s-netsim/testing';

const base = bootstrapCluster();

describe('endpoints and EndpointSlice controllers', () => {
  it('the kubernetes Service points at the API server on the control plane', () => {
    expect(base.endpoints.default?.kubernetes?.subsets).toEqual([{ addresses: [{ ip: '192.168.56.10' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
    expect(base.endpointSlices.default?.kubernetes?.endpoints.map((e) => e.addresses[0])).toEqual(['192.168.56.10']);
  });

  it('lists matching running pods by IP, with node and pod references', () => {
    const s = applyObjects(base, [deploymentInput('web', 3), podInput('other'), serviceInput('web', { app: 'web' }, [{ port: 80, name: 'http' }])]).state;
    const pods = (listObjects(s, 'Pod', 'default') as Pod[]).filter((p) => p.metadata.labels?.app === 'web');
    const addrs = s.endpoints.default!.web!.subsets![0]!.addresses!;
    expect(addrs.map((a) => a.ip).sort()).toEqual(pods.map((p) => p.status.podIP).sort());
    expect(addrs.every((a) => a.targetRef?.kind === 'Pod' && a.nodeName)).toBe(true);
    const slices = listObjects(s, 'EndpointSlice', 'default') as EndpointSlice[];
    const slice = slices.find((x) => x.metadata.labels?.['kubernetes.io/service-name'] === 'web')!;
    expect(slice.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by']).toBe('endpointslice-controller.k8s.io');
    expect(slice.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
    expect(slice.endpoints.every((e) => e.conditions.ready && e.conditions.serving && !e.conditions.terminating)).toBe(true);
  });

  it('resolves a named targetPort per pod and leaves out pods without it', () => {
    const named = podInput('named', { nodeName: 'node01' });
    named.metadata.labels = { app: 'x' };
    named.spec.containers[0]!.ports = [{ name: 'web', containerPort: 8080, protocol: 'TCP' }];
    const plain = podInput('plain', { nodeName: 'node02' });
    plain.metadata.labels = { app: 'x' };
    const s = applyObjects(base, [named, plain, serviceInput('x', { app: 'x' }, [{ port: 80, targetPort: 'web' }])]).state;
    const subsets = s.endpoints.default!.x!.subsets!;
    expect(subsets).toHaveLength(1);
    expect(subsets[0]!.addresses!.map((a) => a.targetRef?.name)).toEqual(['named']);
    expect(subsets[0]!.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });

  it('a Service without a selector is left alone; one with no pods has no subsets', () => {
    const s = applyObjects(base, [serviceInput('manual', undefined, [{ port: 80 }]), serviceInput('empty', { app: 'none' }, [{ port: 80 }])]).state;
    expect(s.endpoints.default?.manual).toBeUndefined();
    expect(s.endpoints.default?.empty?.subsets).toBeUndefined();
  });

  it('splits more than 100 endpoints across slices', () => {
    const s = applyObjects(bootstrapCluster({ nodes: 4, nodeNetwork: '192.168.0.0/22' }), [deploymentInput('big', 150), serviceInput('big', { app: 'big' }, [{ port: 80 }])]).state;
    const slices = (listObjects(s, 'EndpointSlice', 'default') as EndpointSlice[]).filter((x) => x.metadata.labels?.['kubernetes.io/service-name'] === 'big');
    expect(slices.map((x) => x.endpoints.length).sort((a, b) => a - b)).toEqual([50, 100]);
  });
});
