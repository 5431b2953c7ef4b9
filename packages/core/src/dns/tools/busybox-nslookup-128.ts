// busybox ≤ 1.28.4 nslookup: print_host over the image libc's getaddrinfo + getnameinfo (the format
// follows its source: "%-10s %s", "Address %u: %s %s"), as busybox:1.28.4 in the CKA labs prints it.

import type { ResolvConf } from '../resolv.js';
import { glibcLookup, isIpAddress, muslLookup, reverseLookup, uclibcLookup, type LookupResult, type QueryFn, type QueryRecord } from '../stub/index.js';
import type { ToolOutput, ToolRun } from './output.js';

export interface ResolvedAddress {
  ip: string;
  /** getnameinfo(NI_NAMEREQD) result: the PTR name, or null when the reverse lookup failed. */
  reverse: string | null;
}

/**
 * busybox ≤ 1.28.4:
 * ```
 * Server:    10.96.0.10
 * Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local
 *
 * Name:      kubernetes
 * Address 1: 10.96.0.1 kubernetes.default.svc.cluster.local
 * ```
 * The name is printed as typed; `result` null is a getaddrinfo failure: `nslookup: can't resolve 'x'`
 * on stderr, exit 1. A server whose PTR fails shows only its address.
 */
export function busyboxNslookup128(server: string, serverName: string | null, name: string, result: ResolvedAddress[] | null): ToolOutput {
  const block = (header: string, host: string, addrs: ResolvedAddress[]): string =>
    `${header.padEnd(10)} ${host}\n${addrs.map((a, i) => `Address ${i + 1}: ${a.ip}${a.reverse ? ` ${a.reverse}` : ''}\n`).join('')}`;
  let stdout = `${block('Server:', server, [{ ip: server, reverse: serverName }])}\n`;
  if (!result || result.length === 0) return { stdout, stderr: `nslookup: can't resolve '${name}'\n`, exitCode: 1 };
  stdout += block('Name:', name, result);
  return { stdout, stderr: '', exitCode: 0 };
}

export interface BusyboxRunOptions {
  /** Which libc the image's busybox is linked against: uclibc for busybox:1.28.4 on amd64. */
  libc?: 'uclibc' | 'glibc' | 'musl';
  /** The optional second argument: the DNS server to ask. */
  server?: string;
  /** glibc only: the pod owns a global IPv6 address (RFC 6724 sort). */
  preferIPv6?: boolean;
}

/**
 * busybox ≤ 1.28.4 end to end: PTR of the server (getnameinfo), getaddrinfo(AF_UNSPEC) of the name
 * (uClibc: the whole AAAA search, then the whole A search), then one PTR per address.
 */
export function runBusyboxNslookup128(name: string, conf: ResolvConf, query: QueryFn, opts: BusyboxRunOptions = {}): ToolRun {
  const libc = opts.libc ?? 'uclibc';
  const effective: ResolvConf = opts.server ? { ...conf, nameservers: [opts.server] } : conf;
  const server = effective.nameservers[0] ?? '127.0.0.1';
  const queries: QueryRecord[] = [];
  const srvRev = reverseLookup(server, effective, query, libc);
  queries.push(...srvRev.queries);
  let result: ResolvedAddress[] | null = null;
  if (isIpAddress(name)) {
    const rev = reverseLookup(name, effective, query, libc);
    queries.push(...rev.queries);
    result = [{ ip: name, reverse: rev.name }];
  } else {
    const lr: LookupResult =
      libc === 'uclibc'
        ? uclibcLookup(name, effective, query, 'unspec')
        : libc === 'musl'
          ? muslLookup(name, effective, query, 'unspec')
          : glibcLookup(name, effective, query, 'unspec', { preferIPv6: opts.preferIPv6 });
    queries.push(...lr.queries);
    if (lr.status === 'ok') {
      // uClibc lists IPv6 first because gaih_inet asks AF_INET6 first; the others as resolved.
      const addrs = libc === 'uclibc' ? [...lr.addresses.filter((a) => a.includes(':')), ...lr.addresses.filter((a) => !a.includes(':'))] : lr.addresses;
      result = addrs.map((ip) => {
        const rev = reverseLookup(ip, effective, query, libc);
        queries.push(...rev.queries);
        return { ip, reverse: rev.name };
      });
    }
  }
  return { ...busyboxNslookup128(server, srvRev.name, name, result), queries };
}
