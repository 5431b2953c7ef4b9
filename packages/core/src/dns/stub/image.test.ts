// Image references to the libc and busybox flavour behind them.

import { describe, expect, it } from 'vitest';
import { busyboxVersionOf, imageResolver } from './image.js';

describe('image resolvers', () => {
  it('images', () => {
    expect(imageResolver('busybox:1.28.4')).toBe('uclibc');
    expect(imageResolver('busybox:1.36-glibc')).toBe('glibc');
    expect(imageResolver('docker.io/library/busybox:1.28-musl')).toBe('musl');
    expect(imageResolver('alpine:3.19')).toBe('musl');
    expect(imageResolver('nginx:1.25-alpine')).toBe('musl');
    expect(imageResolver('nginx')).toBe('glibc');
    expect(imageResolver('registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3')).toBe('glibc');
    expect(busyboxVersionOf('busybox:1.28.4')).toBe('1.28');
    expect(busyboxVersionOf('busybox:1.29.3')).toBe('1.29');
    expect(busyboxVersionOf('busybox:1.36')).toBe('modern');
    expect(busyboxVersionOf('busybox')).toBe('modern');
  });
});
