#!/usr/bin/env python3
"""Probe agent for the kernel differential test harness.

One agent runs in each network namespace of a cluster materialised with real
netns:  ip netns exec NS python3 agent.py --id NAME [--listen tcp:80,udp:53]
 - Each TCP connection / UDP datagram on a listener is answered with one JSON
   line: who answered, the peer, the local address it arrived on (after any
   DNAT) and the TTL it arrived with, so the runner sees where a packet really
   landed and how many hops it crossed.
 - JSON requests on stdin send TCP / UDP / ICMP probes; one JSON line per
   request comes back on stdout. Only JSON goes to stdout, logs go to stderr.
TTL: UDP exposes the received TTL (IP_RECVTTL) but TCP exposes none, so a raw
IPPROTO_TCP socket copies every incoming SYN / SYN-ACK and records its IP TTL
keyed by (saddr, sport, daddr, dport). Python 3.11 stdlib only; needs root.
"""
import argparse, ctypes, errno, itertools, json, os, random, socket, struct, sys, threading, time

SOL_IP, IP_TTL, IP_PKTINFO, IP_RECVERR, IP_RECVTTL = 0, 2, 8, 11, 12  # <linux/in.h>
SO_ATTACH_FILTER, SO_EE_ORIGIN_ICMP = 26, 2
VERDICT = {"ECONNREFUSED": "refused", "EHOSTUNREACH": "unreachable", "ENETUNREACH": "unreachable", "ETIMEDOUT": "timeout"}
out_lock = threading.Lock()

def emit(obj):
    with out_lock:  # one whole line per write, never interleaved between threads
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

def log(*a):
    print("agent:", *a, file=sys.stderr, flush=True)

# ---- TTL of incoming SYN / SYN-ACK, captured with a raw socket -------------
syn_ttl, syn_cond = {}, threading.Condition()  # key -> (ttl, monotonic time seen)

def open_syn_capture():
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    # Classic BPF so the kernel only queues packets with SYN set, cut to 128 bytes:
    # ldxb 4*([0]&0xf); ldb [x+13]; jset #2 ? ret #128 : ret #0
    prog = [(0xb1, 0, 0, 0), (0x50, 0, 0, 13), (0x45, 0, 1, 2), (0x06, 0, 0, 128), (0x06, 0, 0, 0)]
    buf = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in prog))
    try:
        raw.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, struct.pack("HP", len(prog), ctypes.addressof(buf)))
    except OSError as e:  # still correct without it, just more work in Python
        log("BPF filter not attached:", e)
    return raw

def syn_capture_loop(raw):
    while True:
        try:
            p = raw.recv(256)
        except OSError as e:
            log("raw TCP socket error:", e); continue
        ihl = (p[0] & 15) * 4
        if len(p) < ihl + 14 or not p[ihl + 13] & 0x02:  # SYN flag (SYN or SYN-ACK)
            continue
        sport, dport = struct.unpack_from("!HH", p, ihl)
        key = (socket.inet_ntoa(p[12:16]), sport, socket.inet_ntoa(p[16:20]), dport)
        with syn_cond:
            syn_ttl[key] = (p[8], time.monotonic())
            while len(syn_ttl) > 8192:  # forget unclaimed entries, oldest first
                del syn_ttl[next(iter(syn_ttl))]
            syn_cond.notify_all()

def take_ttl(key, wait=1.0, since=0.0):
    """TTL recorded for key at or after `since`; waits for the raw thread (it lags under load), returning at once when it has it."""
    with syn_cond:
        syn_cond.wait_for(lambda: key in syn_ttl and syn_ttl[key][1] >= since, wait)
        ttl, seen = syn_ttl.pop(key, (None, 0.0))
    return ttl if seen >= since else None

# ---- listeners ---------------------------------------------------------------
def cmsg(anc, typ):
    return next((d for lvl, t, d in anc if lvl == SOL_IP and t == typ), None)

def cmsg_ttl(anc):
    d = cmsg(anc, IP_TTL)
    return None if d is None else int.from_bytes(d[:4], sys.byteorder)

def hello(name, peer, local, ttl):
    return {"id": name, "src": peer[0], "sport": peer[1], "dst": local[0], "dport": local[1], "ttl": ttl}

def tcp_answer(conn, peer, name):
    with conn:
        try:
            local = conn.getsockname()
            ttl = take_ttl((peer[0], peer[1], local[0], local[1]))
            conn.sendall((json.dumps(hello(name, peer, local, ttl)) + "\n").encode())
        except OSError as e:
            log("tcp answer to", peer, "failed:", e)

def tcp_listener(ls, name):
    while True:
        try:
            conn, peer = ls.accept()
        except OSError as e:
            log("accept failed:", e); time.sleep(0.05); continue
        threading.Thread(target=tcp_answer, args=(conn, peer, name), daemon=True).start()

def udp_listener(s, name):
    port = s.getsockname()[1]
    while True:
        try:
            _, anc, _, peer = s.recvmsg(65535, 256)
            pi = cmsg(anc, IP_PKTINFO) or bytes(12)  # struct in_pktinfo {ifindex, spec_dst, addr}
            msg = json.dumps(hello(name, peer, (socket.inet_ntoa(pi[8:12]), port), cmsg_ttl(anc))) + "\n"
            # Reply from the address the datagram was sent to (the socket is bound to
            # 0.0.0.0), otherwise the prober's connected socket would ignore it.
            s.sendmsg([msg.encode()], [(SOL_IP, IP_PKTINFO, bytes(4) + pi[4:8] + bytes(4))], 0, peer)
        except OSError as e:
            log("udp listener", port, "error:", e)

def open_listeners(spec, name):
    for item in filter(None, spec.split(",")):
        proto, port = item.split(":")
        s = socket.socket(socket.AF_INET, {"tcp": socket.SOCK_STREAM, "udp": socket.SOCK_DGRAM}[proto])
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", int(port)))
        if proto == "tcp":
            s.listen(512)
        else:
            s.setsockopt(SOL_IP, IP_RECVTTL, 1)
            s.setsockopt(SOL_IP, IP_PKTINFO, 1)
        yield threading.Thread(target=tcp_listener if proto == "tcp" else udp_listener, args=(s, name), daemon=True)

# ---- probes ------------------------------------------------------------------
def fail(r, e, icmp=None):
    name = "ETIMEDOUT" if e.errno is None else errno.errorcode.get(e.errno, str(e.errno))
    r.update(verdict=VERDICT.get(name, "error"), errno=name)
    if icmp:
        r["icmp"] = icmp
    return r

def icmp_error(s):
    """The ICMP error IP_RECVERR queued on s, as {src,type,code}, else None."""
    try:
        s.setblocking(False)
        d = cmsg(s.recvmsg(1, 512, socket.MSG_ERRQUEUE)[1], IP_RECVERR)
    except OSError:
        return None
    # struct sock_extended_err {u32 errno; u8 origin, type, code, pad; u32 info, data}, then offender sockaddr_in
    if d and len(d) >= 24 and d[4] == SO_EE_ORIGIN_ICMP:
        return {"src": socket.inet_ntoa(d[20:24]), "type": d[5], "code": d[6]}

def route_src(dst):
    """Local address the kernel would use towards dst (connecting UDP sends nothing)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.connect((dst, 9))
            return u.getsockname()[0]
    except OSError:
        return None

# Client ports come from a counter, never reused in the agent's life: the kernel would hand a
# closed connection's port out again, and conntrack, still holding the old flow, would then
# rewrite the new flow's source port to keep the tuples apart (NAT clash), which the simulator,
# tracing each connection as the first, would rightly never show.
CLIENT_PORTS, port_lock = itertools.count(20000 + random.randrange(0, 8000)), threading.Lock()

def new_probe(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.setsockopt(SOL_IP, IP_RECVERR, 1)  # all ICMP errors become errno, and icmp_error() can tell who sent them
    while True:  # fix the port now, so it is known even on failure
        with port_lock:
            port = next(CLIENT_PORTS)
        try:
            s.bind(("0.0.0.0", port))
            break
        except OSError as e:
            if e.errno != errno.EADDRINUSE or port > 65000:
                raise
    return s, {"verdict": None, "lport": s.getsockname()[1], "lsrc": None, "reply": None, "replyTtl": None}

def probe_tcp(dst, port, timeout):
    s, r = new_probe(socket.SOCK_STREAM)
    with s:
        s.settimeout(timeout)
        t0 = time.monotonic()
        try:
            s.connect((dst, port))
        except OSError as e:
            r["lsrc"] = route_src(dst)
            return fail(r, e, icmp_error(s))
        r["verdict"], r["lsrc"] = "delivered", s.getsockname()[0]
        # The SYN-ACK arrives already un-NATed: its source is the dst we dialled.
        r["replyTtl"] = take_ttl((dst, port, r["lsrc"], r["lport"]), since=t0)
        try:
            line = s.makefile("rb").readline(65536)
            r["reply"] = json.loads(line) if line else None
        except (OSError, ValueError) as e:  # connected, but no proper greeting
            r["error"] = f"reading reply: {e!r}"
    return r

def probe_udp(dst, port, timeout):
    s, r = new_probe(socket.SOCK_DGRAM)
    with s:
        s.setsockopt(SOL_IP, IP_RECVTTL, 1)
        try:
            s.connect((dst, port))  # connected: ICMP errors surface as errno, foreign replies are dropped
            r["lsrc"] = s.getsockname()[0]
            s.settimeout(timeout)
            s.send(b"probe\n")
            data, anc, _, _ = s.recvmsg(65535, 256)
        except OSError as e:
            r["lsrc"] = r["lsrc"] or route_src(dst)
            return fail(r, e, icmp_error(s))
        r["verdict"], r["replyTtl"] = "delivered", cmsg_ttl(anc)
        try:
            r["reply"] = json.loads(data)
        except ValueError:
            r["reply"] = data.decode("utf-8", "replace")
    return r

ICMP_ID, ICMP_SEQ = (os.getpid() ^ random.getrandbits(16)) & 0xFFFF, itertools.count(random.getrandbits(16))

def checksum(b):  # RFC 1071, b has even length
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF

def probe_icmp(dst, timeout):
    r = {"verdict": None, "lsrc": route_src(dst), "reply": None, "replyTtl": None}
    want = struct.pack("!HH", ICMP_ID, next(ICMP_SEQ) & 0xFFFF)  # (id, seq) unique per try
    body = want + b"kernel-probe"
    pkt = struct.pack("!BBH", 8, 0, checksum(b"\x08\0\0\0" + body)) + body
    # Unconnected on purpose: a connected raw socket would drop errors sent by routers.
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP) as s:
        deadline = time.monotonic() + timeout
        try:
            s.sendto(pkt, (dst, 0))
        except OSError as e:
            return fail(r, e)
        while (left := deadline - time.monotonic()) > 0:
            s.settimeout(left)
            try:
                p = s.recv(65535)  # sees every incoming ICMP packet: keep only ours
            except TimeoutError:
                break
            ihl = (p[0] & 15) * 4
            if len(p) < ihl + 8:
                continue
            src, typ, code = socket.inet_ntoa(p[12:16]), p[ihl], p[ihl + 1]
            if typ == 0 and p[ihl + 4:ihl + 8] == want:  # echo reply
                r.update(verdict="delivered", reply={"src": src}, replyTtl=p[8])
                return r
            inner = p[ihl + 8:]  # dest-unreachable / time-exceeded quote our echo request
            iihl = (inner[0] & 15) * 4 if inner else 0
            if typ in (3, 11) and len(inner) >= iihl + 8 and inner[9] == 1 and inner[iihl] == 8 and inner[iihl + 4:iihl + 8] == want:
                refused = typ == 3 and code == 3
                # errno as the kernel maps this ICMP error for a TCP/UDP socket
                eno = "ECONNREFUSED" if refused else "ENETUNREACH" if typ == 3 and code in (0, 6, 9, 11) else "EHOSTUNREACH"
                r.update(verdict="refused" if refused else "unreachable", errno=eno, icmp={"src": src, "type": typ, "code": code})
                return r
    return fail(r, TimeoutError())

def handle(req):
    q = req.get("q") if isinstance(req, dict) else None
    try:
        op, dst = req["op"], str(req["dst"])
        socket.inet_pton(socket.AF_INET, dst)
        tries, timeout = int(req.get("tries", 1)), float(req.get("timeout", 1.0))
        if op in ("tcp", "udp"):
            port = int(req["port"])
            if not 0 < port < 65536:
                raise ValueError(f"bad port {port}")
            run = lambda: (probe_tcp if op == "tcp" else probe_udp)(dst, port, timeout)
        elif op == "icmp":
            run = lambda: probe_icmp(dst, timeout)
        else:
            raise ValueError(f"unknown op {op!r}")
    except Exception as e:
        return emit({"q": q, "results": [{"verdict": "error", "error": f"bad request: {e!r}"}]})
    def one():
        try:
            return run()
        except Exception as e:
            return {"verdict": "error", "error": repr(e)}
    # Each try uses a fresh socket (a new conntrack entry). In order by default: a try may depend
    # on an earlier one (session affinity); "parallel" overlaps them, in waves of 16, so tries
    # that time out cost one timeout per wave instead of one each.
    n = max(tries, 1)
    if req.get("parallel"):
        results = [None] * n
        def at(i):
            results[i] = one()
        for start in range(0, n, 16):
            wave = [threading.Thread(target=at, args=(i,), daemon=True) for i in range(start, min(n, start + 16))]
            for t in wave:
                t.start()
            for t in wave:
                t.join()
    else:
        results = [one() for _ in range(n)]
    emit({"q": q, "results": results})

def main():
    ap = argparse.ArgumentParser(description="netns probe agent")
    ap.add_argument("--id", required=True)
    ap.add_argument("--listen", default="", help="e.g. tcp:80,udp:53")
    args = ap.parse_args()
    try:
        threads = list(open_listeners(args.listen, args.id))
    except (OSError, ValueError, KeyError) as e:
        emit({"ready": False, "error": f"listen {args.listen!r}: {e!r}"})
        sys.exit(1)
    try:  # opened before "ready" so no SYN is missed
        threads.append(threading.Thread(target=syn_capture_loop, args=(open_syn_capture(),), daemon=True))
    except OSError as e:  # e.g. not root: keep going, TCP TTLs will be null
        log("raw TCP socket unavailable, TCP ttl/replyTtl will be null:", e)
    for t in threads:
        t.start()
    emit({"ready": True})
    pending = []
    for line in sys.stdin:
        try:
            req = json.loads(line) if line.strip() else None
        except ValueError as e:
            emit({"q": None, "results": [{"verdict": "error", "error": f"bad json: {e}"}]})
            continue
        if isinstance(req, dict) and req.get("op") == "quit":
            os._exit(0)
        if req is not None:
            pending = [t for t in pending if t.is_alive()]
            pending.append(threading.Thread(target=handle, args=(req,), daemon=True))
            pending[-1].start()
    for t in pending:  # EOF: let in-flight requests answer, then leave
        t.join()
    os._exit(0)

if __name__ == "__main__":
    main()
