import { describe, expect, test } from 'vitest';
import {
  clusterIPAllocated,
  clusterIPOutOfRange,
  clusterIPRangeFull,
  healthCheckNodePortFailed,
  nodePortAllocated,
  nodePortOutOfRange,
  nodePortRangeFull,
} from './allocation-errors.js';
import { kubectlErrorLine } from './errors.js';

const GO = { kubernetesVersion: '1.31.4' };
const JSON_ERA = { kubernetesVersion: '1.34.2' };

describe('nodePort allocation errors', () => {
  test('out of range', () => {
    const e = nodePortOutOfRange('x', 0, 80, undefined, GO);
    expect(e.reason).toBe('Invalid');
    expect(e.code).toBe(422);
    expect(e.message).toBe(
      'The Service "x" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    expect(e.serverMessage).toBe(
      'Service "x" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    expect(kubectlErrorLine(e)).toBe(e.message);
    expect(nodePortOutOfRange({ metadata: { name: 'web', namespace: 'shop' } }, 2, 40000, '31000-31999').message).toBe(
      'The Service "web" is invalid: spec.ports[2].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 31000-31999',
    );
    expect(nodePortOutOfRange({ metadata: { name: 'web', namespace: 'shop' } }, 0, 1).details.namespace).toBe('shop');
  });

  test('already allocated', () => {
    expect(nodePortAllocated('nginx-nodeport', 0, 30080).message).toBe(
      'The Service "nginx-nodeport" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
  });

  test('range full is an internal error', () => {
    const e = nodePortRangeFull();
    expect(e.reason).toBe('InternalError');
    expect(e.code).toBe(500);
    expect(e.message).toBe('Internal error occurred: failed to allocate a nodePort: range is full');
    expect(kubectlErrorLine(e, { verb: 'creating', source: 'svc.yaml' })).toBe(
      'Error from server (InternalError): error when creating "svc.yaml": Internal error occurred: failed to allocate a nodePort: range is full',
    );
    expect(kubectlErrorLine(e)).toBe('Error from server (InternalError): Internal error occurred: failed to allocate a nodePort: range is full');
  });

  test('healthCheckNodePort failures', () => {
    expect(healthCheckNodePortFailed('allocated', 30500).message).toBe(
      'Internal error occurred: failed to allocate requested HealthCheck NodePort 30500: provided port is already allocated',
    );
    expect(healthCheckNodePortFailed('out-of-range', 80).message).toBe(
      'Internal error occurred: failed to allocate requested HealthCheck NodePort 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    expect(healthCheckNodePortFailed('full').message).toBe('Internal error occurred: failed to allocate a HealthCheck NodePort 0: range is full');
  });
});

describe('clusterIP allocation errors', () => {
  test('already allocated: []string before 1.34, JSON after', () => {
    expect(clusterIPAllocated('dns', '10.96.0.10', GO).message).toBe(
      'The Service "dns" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    const e = clusterIPAllocated('dns', '10.96.0.10', JSON_ERA);
    expect(e.message).toBe('The Service "dns" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated');
    expect(kubectlErrorLine(e)).toBe(e.message);
  });

  test('the bad value is the whole requested list', () => {
    const svc = { metadata: { name: 'dual' }, spec: { clusterIPs: ['10.96.0.10', 'fd00::10'] } };
    expect(clusterIPAllocated(svc, '10.96.0.10', GO).message).toBe(
      'The Service "dual" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10", "fd00::10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
  });

  test('out of range', () => {
    expect(clusterIPOutOfRange('x', '1.1.1.1', '10.96.0.0/12', GO).message).toBe(
      'The Service "x" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
  });

  test('range full', () => {
    const e = clusterIPRangeFull('10.96.0.0/12');
    expect(e.reason).toBe('InternalError');
    expect(e.message).toBe('Internal error occurred: failed to allocate a serviceIP: range is full');
  });
});
