// What a stub resolver or tool sends and gets back through the `query(name, type, server)` callback,
// and the Wire that records every send: the one interface between resolvers and the network.

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';
export type QType = 'A' | 'AAAA' | 'PTR' | 'CNAME' | 'SRV' | 'TXT' | 'NS' | 'SOA' | 'MX' | 'ANY';

/** One resource record. `data` is the presentation form dig prints (names end with a dot). */
export interface DnsRR {
  name: string;
  ttl: number;
  class: 'IN';
  type: QType;
  data: string;
}

/**
 * The part of a DNS response the stub resolvers and the tools look at. The server model's answers are
 * adapted to this shape; `ra` defaults to true (CoreDNS sets it), `edns` is the UDP size echoed in the
 * reply's OPT record (absent: no OPT).
 */
export interface DnsReply {
  rcode: Rcode;
  aa: boolean;
  ra?: boolean;
  tc?: boolean;
  answer: DnsRR[];
  authority: DnsRR[];
  additional: DnsRR[];
  edns?: { udpSize: number };
}

/** No reply at all (`timeout`), or an ICMP port unreachable (`unreachable`, ECONNREFUSED). */
export interface DnsTransportError {
  error: 'timeout' | 'unreachable';
}

export type QueryOutcome = DnsReply | DnsTransportError;
/** Sends one query. Names handed to it never carry the trailing dot; case is kept as typed. */
export type QueryFn = (name: string, type: QType, server: string) => QueryOutcome;

export interface QueryRecord {
  name: string;
  type: QType;
  server: string;
  rcode: Rcode | 'TIMEOUT' | 'UNREACHABLE';
}

export function isReply(o: QueryOutcome): o is DnsReply {
  return (o as DnsReply).rcode !== undefined;
}

function outcomeCode(o: QueryOutcome): QueryRecord['rcode'] {
  if (isReply(o)) return o.rcode;
  return o.error === 'timeout' ? 'TIMEOUT' : 'UNREACHABLE';
}

export const dropDot = (n: string): string => (n.endsWith('.') ? n.slice(0, -1) : n);
export const countDots = (n: string): number => n.split('.').length - 1;

/** Records one send through `query` and returns its outcome. */
export class Wire {
  readonly queries: QueryRecord[] = [];
  constructor(private readonly fn: QueryFn) {}
  send(name: string, type: QType, server: string): QueryOutcome {
    const out = this.fn(name, type, server);
    this.queries.push({ name, type, server, rcode: outcomeCode(out) });
    return out;
  }
}
