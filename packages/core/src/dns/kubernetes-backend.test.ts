// The backend's naming rules, checked directly (the answers built on them are in kubernetes-plugin.test.ts).

import { describe, expect, it } from 'vitest';
import { endpointHostname } from './kubernetes-backend.js';

describe('endpoint hostnames', () => {
  it('names endpoints like endpointHostname', () => {
    const a = { ip: '172.0.0.2', hostname: '', targetRefName: 'web-abc' };
    expect(endpointHostname(a, false)).toBe('172-0-0-2');
    expect(endpointHostname(a, true)).toBe('web-abc');
    expect(endpointHostname({ ...a, hostname: 'db-0' }, true)).toBe('db-0');
    expect(endpointHostname({ ip: '1234:abcd::', hostname: '', targetRefName: '' }, false)).toBe('1234-abcd--0');
    expect(endpointHostname({ ip: '5678:abcd::1', hostname: '', targetRefName: '' }, false)).toBe('5678-abcd--1');
    expect(endpointHostname({ ...a, targetRefName: 'x'.repeat(64) }, true)).toBe('172-0-0-2');
  });
});
