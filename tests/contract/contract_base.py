"""contract_base.py -- the shared base of Halo's contract servers.

A contract server stands in for a real HTTP API in tests: it serves seeded
fixture data with the real field names, auth, pagination and error shapes, and
injects faults on demand. This module holds everything that is not specific to
one API (Python 3 standard library only):

  * ContractServer: a threaded HTTP/1.1 server on 127.0.0.1 (ephemeral port,
    keep-alive, Content-Length and chunked request bodies, optional TLS) with a
    route table, exact request/record/fault counters and a fault queue.
  * Control endpoints (no auth) on every server, see README.md:
      POST /__control/faults       queue faults for the next matching requests
      GET  /__control/stats        counters as JSON
      POST /__control/reset-stats  zero the counters, clear the request log
      GET  /__control/requests     request log (method, path, query, status)
  * main(server_factory): the CLI (--port-file, --control-port-file, --cert,
    --key, --seed) that runs a server until SIGTERM.

Invariants: counters are updated under one lock *before* the response bytes
are written, so a client that got a response and then reads the stats sees it
counted. Control requests are never counted. Faults apply in queue order to
requests whose path matches the fault's `path` regex (re.search).
"""

import argparse
import json
import os
import re
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import traceback
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULT_KINDS = ("429", "500", "slow", "drop", "close", "modify")
CONTROL_PREFIX = "/__control/"


class Request:
    """One parsed request as handlers see it."""

    def __init__(self, method, target, headers, body, peer=None):
        split = urllib.parse.urlsplit(target)
        self.peer = peer  # the client's (address, port): one port per connection
        self.method = method
        self.path = split.path
        self.query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        self.raw_query = split.query
        self.headers = headers  # email.message.Message: case-insensitive get()
        self.body = body
        self.match = None

    def arg(self, name, default=None):
        """First value of query parameter `name`, or default."""
        values = self.query.get(name)
        return values[0] if values else default

    def json(self):
        """The body decoded as JSON (None when empty)."""
        return json.loads(self.body) if self.body else None


class ContractServer(ThreadingHTTPServer):
    """Threaded HTTP/1.1 server with routes, counters and fault injection."""

    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default listen backlog is 5: a client with more
    # connections opening at once would see SYNs dropped and retried a
    # second later, which no real API server does.
    request_queue_size = 128

    def __init__(self, seed=0, tls_context=None, verbose=False):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seed = seed
        self.verbose = verbose
        self._tls = tls_context
        self._routes = []
        self._lock = threading.Lock()
        self._faults = []
        self._in_flight = 0
        self.reset_stats()

    # ---- routes -----------------------------------------------------------
    def route(self, method, regex, handler):
        """Registers handler(req) -> (status, headers, body) for method and a
        path regex (full match). body may be bytes, str, or a dict/list that
        is sent as JSON."""
        self._routes.append((method.upper(), re.compile(regex), handler))

    def find_route(self, method, path):
        allowed = False
        for m, regex, handler in self._routes:
            match = regex.fullmatch(path)
            if match:
                if m == method:
                    return handler, match
                allowed = True
        return None, allowed

    # ---- hooks for subclasses ---------------------------------------------
    def error_response(self, status, req, message):
        """The body of an injected or routing error; override for the API's
        real error shape. Returns (headers, body)."""
        return {}, {"error": message, "status": status}

    def on_modify_fault(self, req, fault):
        """Called for a `modify` fault before req is answered; override to
        change fixture data between pages (e.g. bump a record's date)."""

    # ---- counters ----------------------------------------------------------
    def control(self, name, req):
        """A server's own control endpoint /__control/NAME: (status,
        headers, body), or None when it has none by that name."""
        return None

    def add_records(self, n):
        """Handlers call this with the number of records a response returns."""
        with self._lock:
            self._stats["records_returned"] += n

    def reset_stats(self):
        with self._lock:
            self._stats = {"requests": 0, "by_path": {}, "by_status": {},
                           "records_returned": 0, "faults_applied": 0,
                           "faults_pending": 0, "max_in_flight": 0}
            self._log = []

    def stats(self):
        with self._lock:
            s = json.loads(json.dumps(self._stats))
            s["faults_pending"] = sum(f["count"] for f in self._faults)
            return s

    def request_log(self):
        with self._lock:
            return list(self._log)

    def count_request(self, req):
        with self._lock:
            self._stats["requests"] += 1
            by_path = self._stats["by_path"]
            by_path[req.path] = by_path.get(req.path, 0) + 1

    def entered(self):
        """A request is being answered: max_in_flight is the most answered
        at once since the stats were reset."""
        with self._lock:
            self._in_flight += 1
            self._stats["max_in_flight"] = max(self._stats["max_in_flight"], self._in_flight)

    def left(self):
        with self._lock:
            self._in_flight -= 1

    def count_response(self, req, status, fault):
        with self._lock:
            key = str(status)
            self._stats["by_status"][key] = self._stats["by_status"].get(key, 0) + 1
            if fault:
                self._stats["faults_applied"] += 1
            self._log.append({"method": req.method, "path": req.path,
                              "query": req.query, "status": status,
                              "fault": fault["kind"] if fault else None})

    # ---- faults ------------------------------------------------------------
    def add_fault(self, spec):
        kind = str(spec.get("kind", ""))
        if kind not in FAULT_KINDS and not re.fullmatch(r"[45]\d\d", kind):
            raise ValueError("unknown fault kind %r (use one of %s or a 4xx/5xx status)"
                             % (kind, ", ".join(FAULT_KINDS)))
        fault = {"kind": kind, "count": int(spec.get("count", 1)),
                 "retry_after": spec.get("retry_after"),
                 "delay_ms": int(spec.get("delay_ms", 1000)),
                 "path": re.compile(spec["path"]) if spec.get("path") else None,
                 "spec": spec}
        with self._lock:
            self._faults.append(fault)

    def take_fault(self, path):
        """Pops one use of the first queued fault matching path."""
        with self._lock:
            for fault in self._faults:
                if fault["path"] is None or fault["path"].search(path):
                    fault["count"] -= 1
                    if fault["count"] <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def clear_faults(self):
        with self._lock:
            self._faults.clear()

    # ---- TLS: handshake in the worker thread, never in accept() ----------
    def get_request(self):
        sock, addr = super().get_request()
        if self._tls is not None:
            sock = self._tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def finish_request(self, request, client_address):
        if self._tls is not None:
            try:
                request.settimeout(10)
                request.do_handshake()
                request.settimeout(None)
            except (OSError, ssl.SSLError) as e:
                if self.verbose:
                    print("contract: TLS handshake failed: %s" % e, file=sys.stderr)
                return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, socket.timeout)):
            return  # clients that time out or hang up are part of the tests
        super().handle_error(request, client_address)


class ControlServer(ThreadingHTTPServer):
    """Plain-HTTP listener serving only /__control/* of `target`, so helpers
    without a TLS stack can drive a TLS contract server."""

    daemon_threads = True

    def __init__(self, target):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.target = target


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The status line and headers go out in one write and the body in
    # another: with Nagle's algorithm on, a kept-alive client waits for its
    # own delayed ACK (~40 ms) before the body comes. Real servers set
    # TCP_NODELAY.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        if getattr(self._contract(), "verbose", False):
            sys.stderr.write("contract: " + (fmt % args) + "\n")

    def _contract(self):
        return getattr(self.server, "target", self.server)

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _dispatch(self):
        req = Request(self.command, self.path, self.headers, self._read_body(),
                      self.client_address)
        server = self._contract()
        if req.path.startswith(CONTROL_PREFIX):
            return self._send(*_control(server, req))
        if isinstance(self.server, ControlServer):
            return self._send(404, {}, {"error": "control port serves /__control/* only"})
        server.count_request(req)
        server.entered()
        try:
            fault = server.take_fault(req.path)
            if fault and fault["kind"] == "drop":
                server.count_response(req, 0, fault)
                return self._drop()
            status, headers, body = _answer(server, req, fault)
            server.count_response(req, status, fault)
        finally:
            server.left()
        self._send(status, headers, body)
        if fault and fault["kind"] == "close":
            self.close_connection = True

    def _drop(self):
        # SO_LINGER 0 makes close() send RST: the client sees a reset
        # connection mid-request, never a response.
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def _send(self, status, headers, body):
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            headers = dict(headers)
            headers.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode("utf-8")
        body = body or b""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, str(value))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _dispatch


def _answer(server, req, fault):
    """Applies fault (if any) then the route; returns (status, headers, body)."""
    if fault:
        kind = fault["kind"]
        if kind == "slow":
            time.sleep(fault["delay_ms"] / 1000.0)
        elif kind == "modify":
            server.on_modify_fault(req, fault)
        elif kind != "close":
            status = int(kind)
            headers, body = server.error_response(status, req, "injected fault %s" % kind)
            headers = dict(headers)
            if status == 429 or fault["retry_after"] is not None:
                headers["Retry-After"] = str(fault["retry_after"] if fault["retry_after"]
                                             is not None else 1)
            return status, headers, body
    handler, match = server.find_route(req.method, req.path)
    if handler is None:
        status = 405 if match else 404
        headers, body = server.error_response(status, req, "no route for %s %s"
                                              % (req.method, req.path))
        return status, headers, body
    req.match = match
    try:
        return handler(req)
    except Exception:  # a fixture bug must show up, not hang the client
        traceback.print_exc()
        headers, body = server.error_response(500, req, "contract server handler crashed")
        return 500, headers, body


def _control(server, req):
    name = req.path[len(CONTROL_PREFIX):]
    try:
        if name == "faults" and req.method == "POST":
            spec = req.json()
            for one in (spec if isinstance(spec, list) else [spec]):
                server.add_fault(one)
            return 200, {}, {"ok": True}
        if name == "faults" and req.method == "DELETE":
            server.clear_faults()
            return 200, {}, {"ok": True}
        if name == "stats" and req.method == "GET":
            return 200, {}, server.stats()
        if name == "reset-stats" and req.method == "POST":
            server.reset_stats()
            return 200, {}, {"ok": True}
        if name == "requests" and req.method == "GET":
            return 200, {}, server.request_log()
        answer = server.control(name, req)
        if answer is not None:
            return answer
    except (ValueError, KeyError, TypeError, re.error) as e:
        return 400, {}, {"error": str(e)}
    return 404, {}, {"error": "unknown control endpoint %s %s" % (req.method, req.path)}


def _write_port(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)  # readers never see a half-written file


def base_arguments(description):
    """The common CLI; subclasses add their own arguments to the parser."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--port-file", help="write the bound port here once listening")
    p.add_argument("--control-port-file", help="also serve /__control/* on plain HTTP; "
                                               "write that port here")
    p.add_argument("--cert", help="server certificate (PEM); enables TLS")
    p.add_argument("--key", help="server private key (PEM)")
    p.add_argument("--seed", type=int, default=0, help="fixture data seed")
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    p.add_argument("--processes", type=int, default=1,
                   help="benchmarks only: serve the one listening socket from this many "
                        "processes, so the server is not the bottleneck; counters, faults "
                        "and de-duplication are then per process")
    return p


def tls_context(args):
    if not args.cert:
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    return ctx


def _fork_workers(server, processes):
    """Forks processes - 1 children that serve server's listening socket
    until SIGTERM; returns their pids (the parent serves too)."""
    children = []
    for _ in range(max(0, processes - 1)):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            server.serve_forever()
            os._exit(0)
        children.append(pid)
    return children


def main(server_factory, parser=None):
    """Runs server_factory(args) -> ContractServer until SIGTERM/SIGINT.
    server_factory should pass seed=args.seed, tls_context=tls_context(args)."""
    parser = parser or base_arguments("Halo contract server")
    args = parser.parse_args()
    server = server_factory(args)
    children = _fork_workers(server, args.processes)
    threads = [threading.Thread(target=server.serve_forever, daemon=True)]
    control = None
    if args.control_port_file:
        control = ControlServer(server)
        threads.append(threading.Thread(target=control.serve_forever, daemon=True))
    for t in threads:
        t.start()
    if control:
        _write_port(args.control_port_file, control.server_address[1])
    if args.port_file:
        _write_port(args.port_file, server.server_address[1])
    else:
        print(server.server_address[1], flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass
    for pid in children:
        os.kill(pid, signal.SIGTERM)
    server.shutdown()
    if control:
        control.shutdown()
