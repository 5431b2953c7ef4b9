// Stub resolvers as pure functions: given a resolv.conf and a `query(name, type, server)` callback
// they return every packet they would send, in order, and what getaddrinfo() would report. One
// file per libc: they share the wire vocabulary, but each reads options and searches its own way.

// Which code path a container uses depends on its image (imageResolver):
//   glibc   Debian/Ubuntu based images (nginx, dnsutils, busybox:*-glibc)   → glibcLookup
//   musl    alpine and busybox:*-musl                                      → muslLookup
//   uClibc  busybox:1.28.4 and the other untagged busybox images on amd64   → uclibcLookup
//   busybox ≥1.30 nslookup has its own resolver                            → busyboxNslookupCandidates
//   bind9 nslookup/host (dig with +search)                                 → bindSearchCandidates
// Verified against real binaries in a private network namespace (glibc 2.36, musl 1.2.3, busybox
// 1.35, bind 9.18.49) answering from a scripted server; uClibc-ng is from its source only.

export { isReply, type DnsReply, type DnsRR, type DnsTransportError, type QType, type QueryFn, type QueryOutcome, type QueryRecord, type Rcode } from './wire.js';
export type { Family, GaiError, LookupResult, LookupStatus } from './getaddrinfo.js';
export { glibcLookup, glibcOptions, type GlibcLookupOptions, type GlibcOptions } from './glibc.js';
export { muslLookup, muslOptions, type MuslOptions } from './musl.js';
export { uclibcLookup } from './uclibc.js';
export { isIpAddress, ptrName, reverseLookup } from './reverse.js';
export { bindSearchCandidates, busyboxNslookupCandidates, type BusyboxVersion } from './candidates.js';
export { busyboxVersionOf, imageResolver, type ImageResolver } from './image.js';
