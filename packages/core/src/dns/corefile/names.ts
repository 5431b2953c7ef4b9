// Names, zones and addresses as CoreDNS normalises them (miekg/dns, plugin.Host, SplitHostPort),
// shared by the server-block keys and every plugin that takes zones or addresses.

import { CorefileError, type CorefileToken, type ZoneAddr } from './types.js';

/** miekg/dns IsDomainName: no empty inner labels, labels < 64 octets, wire length ≤ 255. */
export function isDomainName(s: string): boolean {
  if (s.length === 0) return false;
  const fq = s.endsWith('.') ? s : `${s}.`;
  if (fq === '.') return true;
  let off = 0;
  let begin = 0;
  let wasDot = false;
  let escaping = false;
  for (let i = 0; i < fq.length; i++) {
    const c = fq[i];
    if (c === '\\') {
      escaping = !escaping;
      continue;
    }
    if (c === '.') {
      if (escaping) {
        escaping = false;
        continue;
      }
      if (wasDot) return false;
      wasDot = true;
      const labelLen = i - begin;
      if (labelLen >= 64) return false;
      off += 1 + labelLen;
      if (off > 256) return false;
      begin = i + 1;
    } else {
      wasDot = false;
      escaping = false;
    }
  }
  return true;
}

/** plugin.Name(...).Normalize(): lowercase FQDN. */
export function normalizeName(s: string): string {
  const l = s.toLowerCase();
  return l.endsWith('.') ? l : `${l}.`;
}

export function splitTransport(s: string): { transport: ZoneAddr['transport']; rest: string } {
  for (const t of ['dns', 'tls', 'grpc', 'https', 'quic'] as const) {
    if (s.startsWith(`${t}://`)) return { transport: t, rest: s.slice(t.length + 3) };
  }
  return { transport: 'dns', rest: s };
}

export const DEFAULT_PORTS: Record<ZoneAddr['transport'], number> = { dns: 53, tls: 853, grpc: 443, https: 443, quic: 853 };

/** Reverse zone for a CIDR key, rounding the mask out to an octet boundary as SplitHostPort does. */
export function reverseZoneForCidr(host: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(host);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const ones = Number(m[5]);
  if (octets.some((o) => o > 255) || ones > 32) return undefined;
  const hostBits = 32 - ones;
  const nearest = hostBits + (hostBits % 8);
  const strip = Math.floor(nearest / 8);
  const labels = [...octets].reverse().slice(strip);
  return `${labels.join('.')}${labels.length ? '.' : ''}in-addr.arpa.`;
}

/** Host part of a key or zone argument (transport and port stripped), as plugin.Host.Normalize. */
export function splitHostPort(s: string): { host: string; port?: string } {
  const colon = s.lastIndexOf(':');
  if (colon === s.length - 1 && colon >= 0) throw new CorefileError(`expecting data after last colon: ${JSON.stringify(s)}`);
  let host = s;
  let port: string | undefined;
  if (colon !== -1) {
    const p = s.slice(colon + 1);
    if (/^[+-]?\d+$/.test(p)) {
      port = String(Number(p));
      host = s.slice(0, colon);
    }
  }
  if (host.length > 255) throw new CorefileError(`specified zone is too long: ${host.length} > 255`);
  if (!isDomainName(host)) throw new CorefileError(`zone is not a valid domain name: ${host}`);
  const rev = reverseZoneForCidr(host);
  return rev ? { host: rev, ...(port !== undefined ? { port } : {}) } : { host, ...(port !== undefined ? { port } : {}) };
}

export function hostNormalize(s: string): string {
  try {
    return normalizeName(splitHostPort(splitTransport(s).rest).host);
  } catch {
    return '';
  }
}

export function zoneAddrs(keys: CorefileToken[]): ZoneAddr[] {
  return keys.map((k) => {
    const { transport, rest } = splitTransport(k.text);
    const { host, port } = splitHostPort(rest);
    return { zone: normalizeName(host), port: port !== undefined ? Number(port) : DEFAULT_PORTS[transport], transport };
  });
}

/** fall.F.SetZonesFromArgs: no zones = everything. */
export function fallZones(args: string[]): string[] {
  return args.length === 0 ? ['.'] : args.map((z) => hostNormalize(z) || normalizeName(z));
}

/** Whether a normalised zone is a reverse (in-addr.arpa / ip6.arpa) zone. */
export function isReverseZone(z: string): boolean {
  return z.endsWith('in-addr.arpa.') || z.endsWith('ip6.arpa.');
}

/** Whether `s` is an IPv4 or IPv6 literal (net.ParseIP, approximately). */
export function parseIPLiteral(s: string): boolean {
  if (/^(\d{1,3})(\.\d{1,3}){3}$/.test(s)) return s.split('.').every((o) => Number(o) <= 255 && !(o.length > 1 && o.startsWith('0')));
  return s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s) && (s.match(/::/g)?.length ?? 0) <= 1;
}
