// Which resolver a container image's programs use (its libc) and which busybox nslookup it ships,
// from the official image definitions.

import type { BusyboxVersion } from './candidates.js';

export type ImageResolver = 'glibc' | 'musl' | 'uclibc';

/**
 * The libc behind getaddrinfo() for common images, from the official image definitions: the plain
 * busybox tags are the uclibc variant on amd64 (docker-library/official-images library/busybox lists
 * `latest` → amd64-Directory: uclibc; assumed the same for 1.28.4), `-glibc`/`-musl` tags say so;
 * alpine is musl; Debian/Ubuntu based images (nginx, httpd, dnsutils) are glibc.
 */
export function imageResolver(image: string): ImageResolver {
  const ref = image.toLowerCase();
  const [repoPart = '', tag = 'latest'] = ref.includes(':') ? [ref.slice(0, ref.lastIndexOf(':')), ref.slice(ref.lastIndexOf(':') + 1)] : [ref, 'latest'];
  const repo = repoPart.split('/').pop() ?? repoPart;
  if (repo === 'busybox') return tag.includes('glibc') ? 'glibc' : tag.includes('musl') ? 'musl' : 'uclibc';
  if (repo === 'alpine' || tag.includes('alpine')) return 'musl';
  return 'glibc';
}

/** busybox nslookup flavour: ≤ 1.28.x uses libc getaddrinfo, 1.29.x its own resolver without search, 1.30+ with. */
export function busyboxVersionOf(image: string): BusyboxVersion {
  const m = /:(\d+)\.(\d+)/.exec(image);
  if (!m) return 'modern';
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major < 1 || (major === 1 && minor <= 28)) return '1.28';
  return major === 1 && minor === 29 ? '1.29' : 'modern';
}
