// `netsim dns serve`: the simulated CoreDNS on a real socket, so dig, nslookup or a stub resolver
// can query the cluster. Queries arrive over UDP (and TCP, on the same port), are decoded with
// dns-packet, answered by the simulator's CoreDNS (`answer` over the cluster's `dnsData`, with
// the Corefile CoreDNS is serving) and encoded back.
//
// Wire behaviour:
// - header: the query's id and rd are echoed; aa as the simulator answered; ra only on replies
//   relayed from the upstream resolver by `forward` (CoreDNS's own kubernetes answers carry
//   `qr aa rd`, which is why dig warns "recursion requested but not available").
// - EDNS: a query with an OPT record gets an OPT back (its payload size clamped to 512..4096,
//   the DO bit echoed, no options); EDNS versions above 0 get BADVERS.
// - UDP replies larger than the client's payload size (512 without EDNS) are truncated (TC,
//   empty sections) so the client retries over TCP.
// - Query types the simulator does not model (MX, HTTPS, …), classes other than IN and opcodes
//   other than QUERY get NOTIMP; several questions FORMERR; undecodable messages FORMERR when
//   the header is readable, otherwise they are dropped.
// - Only 127.0.0.1 is ever bound.

import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, OptAnswer, Packet, Question } from 'dns-packet';
import { answer, Cluster, dnsData, internetResolver, servingCorefile, type ClusterState, type Corefile, type DnsData, type QType, type RR } from '@k8s-netsim/core';

/** The only address `serveDns` binds: this machine must not send traffic to other addresses. */
export const LOOPBACK = '127.0.0.1';

/** Client address the simulated CoreDNS sees when no pod fits (a pod IP on worker 1's podCIDR). */
export const DEFAULT_CLIENT_IP = '10.244.1.100';

export interface ServeDnsOptions {
  /** UDP/TCP port; 0 (default) picks a free one, reported as `port`. */
  port?: number;
  /** Must be 127.0.0.1 (the default); anything else is refused. */
  address?: string;
  /** Source address CoreDNS sees; default: the first ordinary pod's IP, else 10.244.1.100. */
  clientIP?: string;
  /** Also listen on TCP (default true). */
  tcp?: boolean;
  /** Close after the first reply is sent. */
  once?: boolean;
}

export interface DnsServer {
  port: number;
  address: string;
  /** The zones of the Corefile's server blocks, as CoreDNS lists them. */
  zones: string[];
  close(): Promise<void>;
  /** Settles when the server has closed (by `close()` or after one reply with `once`). */
  closed: Promise<void>;
}

export class DnsServeError extends Error {}

const RCODE: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };
const MODELLED: readonly string[] = ['A', 'AAAA', 'SRV', 'PTR', 'TXT', 'SOA', 'NS', 'CNAME', 'ANY'];

/** Refuse any address but 127.0.0.1 (`localhost` is taken to mean it). */
export function checkAddress(address: string | undefined): string {
  const a = address ?? LOOPBACK;
  if (a === LOOPBACK || a === 'localhost') return LOOPBACK;
  throw new DnsServeError(`dns serve: refusing to listen on ${a}: only ${LOOPBACK} is allowed`);
}

/** The server blocks' zones (`cluster.local.:53 in-addr.arpa.:53 …`), in Corefile order. */
export function corefileZones(cf: Corefile): string[] {
  return [...new Set(cf.serverBlocks.flatMap((b) => b.zones.map((z) => `${z.zone}:${z.port}`)))];
}

/** The first Running, non-hostNetwork pod outside kube-system (a busybox the lesson made), else the default. */
export function defaultClientIP(state: ClusterState): string {
  for (const ns of Object.keys(state.pods).sort()) {
    if (ns === 'kube-system') continue;
    const pods = state.pods[ns] ?? {};
    for (const name of Object.keys(pods).sort()) {
      const p = pods[name];
      if (p && !p.spec.hostNetwork && p.status?.podIP) return p.status.podIP;
    }
  }
  return DEFAULT_CLIENT_IP;
}

/** TXT presentation data (`"a b" "c\"d"`) → the character-strings. */
function txtStrings(data: string): Buffer[] {
  const out: Buffer[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(data); m; m = re.exec(data)) {
    const s = m[1] ?? m[2] ?? '';
    const bytes: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (c === '\\' && /^\d{3}$/.test(s.slice(i + 1, i + 4))) {
        bytes.push(Number(s.slice(i + 1, i + 4)));
        i += 3;
      } else if (c === '\\' && i + 1 < s.length) {
        bytes.push(...Buffer.from(s[++i]!, 'utf8'));
      } else bytes.push(...Buffer.from(c, 'utf8'));
    }
    out.push(Buffer.from(bytes));
  }
  return out;
}

function fields(rr: RR, n: number): string[] {
  const f = rr.data.trim().split(/\s+/);
  if (f.length !== n) throw new DnsServeError(`bad ${rr.type} data for ${rr.name}: "${rr.data}"`);
  return f;
}

function num(s: string): number {
  const v = Number(s);
  if (!Number.isInteger(v) || v < 0) throw new DnsServeError(`bad number "${s}"`);
  return v;
}

/** One simulator RR (presentation data) as a dns-packet record. */
export function toWireRecord(rr: RR): Answer {
  const base = { name: rr.name, ttl: rr.ttl, class: 'IN' as const };
  switch (rr.type) {
    case 'A':
    case 'AAAA':
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return { ...base, type: rr.type, data: rr.data.trim() };
    case 'SRV': {
      const [priority, weight, port, target] = fields(rr, 4);
      return { ...base, type: 'SRV', data: { priority: num(priority!), weight: num(weight!), port: num(port!), target: target! } };
    }
    case 'TXT':
      return { ...base, type: 'TXT', data: txtStrings(rr.data) };
    case 'SOA': {
      const [mname, rname, serial, refresh, retry, expire, minimum] = fields(rr, 7);
      return {
        ...base,
        type: 'SOA',
        data: { mname: mname!, rname: rname!, serial: num(serial!), refresh: num(refresh!), retry: num(retry!), expire: num(expire!), minimum: num(minimum!) },
      };
    }
  }
}

/** The reply to one wire-format query, or undefined to drop it (UDP replies are truncated to the client's payload size). */
export type Responder = (msg: Buffer, transport: 'udp' | 'tcp') => Buffer | undefined;

/** A function from query bytes to reply bytes, answering from `state`'s simulated CoreDNS. */
export function dnsResponder(state: ClusterState, opts: { clientIP?: string } = {}): Responder {
  let data: DnsData | undefined;
  const corefile = servingCorefile(state);
  const clientIP = opts.clientIP ?? defaultClientIP(state);
  const upstream = (q: Parameters<NonNullable<ReturnType<typeof internetResolver>>>[0]) =>
    internetResolver(state, '8.8.8.8')?.(q) ?? { unreachable: true as const, server: '8.8.8.8' };

  return (msg, transport) => {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      if (msg.length < 12) return undefined;
      return dnsPacket.encode({ type: 'response', id: msg.readUInt16BE(0), flags: RCODE.FORMERR! });
    }
    if (query.type === 'response') return undefined;
    const flagsIn = query.flags ?? 0;
    const rd = flagsIn & dnsPacket.RECURSION_DESIRED;
    const opcode = (flagsIn >> 11) & 0xf;
    const questions: Question[] = query.questions ?? [];
    const optIn = (query.additionals ?? []).find((a): a is OptAnswer => a.type === 'OPT');
    const reply = (rcode: number, extra: Partial<Packet> = {}, extendedRcode = 0): Packet => {
      const out: Packet = { type: 'response', id: query.id ?? 0, flags: rd | (rcode & 0xf), questions, ...extra };
      if (optIn) {
        const opt: OptAnswer = {
          type: 'OPT',
          name: '.',
          udpPayloadSize: Math.min(Math.max(optIn.udpPayloadSize || 512, 512), 4096),
          extendedRcode,
          ednsVersion: 0,
          flags: optIn.flags & dnsPacket.DNSSEC_OK,
          flag_do: (optIn.flags & dnsPacket.DNSSEC_OK) !== 0,
          options: [],
        };
        out.additionals = [...(out.additionals ?? []), opt];
      }
      return out;
    };

    let out: Packet;
    const q = questions[0];
    if (opcode !== 0) out = reply(RCODE.NOTIMP!);
    else if (questions.length !== 1 || !q) out = reply(RCODE.FORMERR!);
    else if (optIn && optIn.ednsVersion > 0)
      out = reply(0, {}, 1); // BADVERS (16)
    else if ((q.class ?? 'IN') !== 'IN' || !MODELLED.includes(q.type)) out = reply(RCODE.NOTIMP!);
    else {
      try {
        data ??= dnsData(state);
        const name = q.name === '' ? '.' : q.name.endsWith('.') ? q.name : `${q.name}.`;
        const a = answer(data, corefile, { name, type: q.type as QType }, { clientIP, upstream, port: 53, queryId: query.id ?? 0 });
        const ra = a.plugin === 'forward' && a.rcode !== 'SERVFAIL';
        const flags = (a.aa ? dnsPacket.AUTHORITATIVE_ANSWER : 0) | (ra ? dnsPacket.RECURSION_AVAILABLE : 0);
        out = reply(RCODE[a.rcode]!, {
          answers: a.answer.map(toWireRecord),
          authorities: a.authority.map(toWireRecord),
          additionals: a.additional.map(toWireRecord),
        });
        out.flags = (out.flags ?? 0) | flags;
      } catch {
        out = reply(RCODE.SERVFAIL!);
      }
    }

    let buf = dnsPacket.encode(out);
    const limit = transport === 'tcp' ? 65535 : optIn ? Math.max(optIn.udpPayloadSize || 512, 512) : 512;
    if (buf.length > limit) {
      const opt = (out.additionals ?? []).filter((r) => r.type === 'OPT');
      buf = dnsPacket.encode({ ...out, flags: (out.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [], authorities: [], additionals: opt });
    }
    return buf;
  };
}

function listenUdp(sock: Socket, port: number, address: string): Promise<number> {
  return new Promise((res, rej) => {
    sock.once('error', rej);
    sock.bind(port, address, () => {
      sock.off('error', rej);
      res(sock.address().port);
    });
  });
}

function listenTcp(srv: Server, port: number, address: string): Promise<void> {
  return new Promise((res, rej) => {
    srv.once('error', rej);
    srv.listen(port, address, () => {
      srv.off('error', rej);
      res();
    });
  });
}

/** TCP: two-byte length prefix per message (RFC 1035 §4.2.2). */
function serveTcpConnection(conn: TcpSocket, respond: Responder, onReply: () => void): void {
  let pending = Buffer.alloc(0);
  conn.setTimeout(10_000, () => conn.destroy());
  conn.on('error', () => conn.destroy());
  conn.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 2) {
      const len = pending.readUInt16BE(0);
      if (pending.length < 2 + len) break;
      const msg = pending.subarray(2, 2 + len);
      pending = pending.subarray(2 + len);
      const reply = respond(msg, 'tcp');
      if (!reply) continue;
      const framed = Buffer.alloc(2 + reply.length);
      framed.writeUInt16BE(reply.length, 0);
      reply.copy(framed, 2);
      conn.write(framed, onReply);
    }
  });
}

/**
 * Serve `cluster`'s simulated CoreDNS on 127.0.0.1 (UDP, and TCP on the same port). Resolves
 * once listening; `close()` stops both listeners and drops open TCP connections.
 */
export async function serveDns(cluster: Cluster | ClusterState, opts: ServeDnsOptions = {}): Promise<DnsServer> {
  const address = checkAddress(opts.address);
  const state = cluster instanceof Cluster ? cluster.state : cluster;
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new DnsServeError(`dns serve: bad port "${opts.port}"`);
  const respond = dnsResponder(state, opts.clientIP !== undefined ? { clientIP: opts.clientIP } : {});
  const wantTcp = opts.tcp ?? true;

  // With port 0, UDP picks the port and TCP must get the same one; retry if TCP's is taken.
  let udp: Socket | undefined;
  let tcp: Server | undefined;
  let bound = 0;
  for (let attempt = 0; ; attempt++) {
    udp = createSocket('udp4');
    try {
      bound = await listenUdp(udp, port, address);
    } catch (e) {
      udp.close();
      throw new DnsServeError(`dns serve: cannot listen on ${address}:${port}/udp: ${(e as Error).message}`);
    }
    if (!wantTcp) break;
    tcp = createServer();
    try {
      await listenTcp(tcp, bound, address);
      break;
    } catch (e) {
      udp.close();
      tcp.close();
      tcp = undefined;
      if (port !== 0 || attempt >= 5) throw new DnsServeError(`dns serve: cannot listen on ${address}:${bound}/tcp: ${(e as Error).message}`);
    }
  }

  const conns = new Set<TcpSocket>();
  let closing: Promise<void> | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const c of conns) c.destroy();
      await Promise.all([new Promise<void>((r) => udp!.close(() => r())), tcp ? new Promise<void>((r) => tcp!.close(() => r())) : Promise.resolve()]);
      resolveClosed();
    })();
    return closing;
  };
  const onReply = () => {
    if (opts.once) void close();
  };

  const udpSock = udp;
  udpSock.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
    if (closing) return;
    const reply = respond(msg, 'udp');
    if (reply) udpSock.send(reply, rinfo.port, rinfo.address, onReply);
  });
  udpSock.on('error', () => void close());
  tcp?.on('connection', (conn) => {
    if (closing) return void conn.destroy();
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    serveTcpConnection(conn, respond, onReply);
  });

  return { port: bound, address, zones: corefileZones(servingCorefile(state)), close, closed };
}
