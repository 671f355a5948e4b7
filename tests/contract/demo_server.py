"""demo_server.py -- a generic contract server for the kernel HTTP client
tests (tests/http): no API, just routes that exercise the transport.

  GET|POST|PUT /echo[/...]  -> 200, JSON of method, path, query, headers, body
                               and peer_port (the client's port: one per connection)
  GET /records?n=N          -> 200, {"records": [...]} (counts N records)
  GET /status/NNN           -> that status
  GET /gzip                 -> gzip-encoded text when the client accepts gzip
  GET /big?bytes=N          -> N bytes of "x"
"""

import gzip

import contract_base as cb


def demo_factory(args):
    """A bare server with generic routes."""
    server = cb.ContractServer(seed=args.seed, tls_context=cb.tls_context(args),
                               verbose=args.verbose)

    def echo(req):
        headers = {k: v for k, v in req.headers.items()}
        return 200, {"X-Echo-Method": req.method}, {
            "method": req.method, "path": req.path, "query": req.query,
            "headers": headers, "body": req.body.decode("utf-8", "replace"),
            "peer_port": req.peer[1] if req.peer else None}

    def records(req):
        n = int(req.arg("n", "3"))
        server.add_records(n)
        return 200, {}, {"records": [{"id": i} for i in range(n)]}

    def gzipped(req):
        text = ("hello gzip " * 100).encode()
        if "gzip" not in (req.headers.get("Accept-Encoding") or ""):
            return 200, {}, text
        return 200, {"Content-Encoding": "gzip"}, gzip.compress(text)

    def big(req):
        return 200, {"Content-Type": "application/octet-stream"}, b"x" * int(req.arg("bytes", "0"))

    def status(req):
        code = int(req.match.group(1))
        return code, {}, {"status": code}

    server.route("GET", r"/echo(/.*)?", echo)
    server.route("POST", r"/echo(/.*)?", echo)
    server.route("PUT", r"/echo(/.*)?", echo)
    server.route("GET", r"/records", records)
    server.route("GET", r"/status/(\d{3})", status)
    server.route("GET", r"/gzip", gzipped)
    server.route("GET", r"/big", big)
    return server


if __name__ == "__main__":
    cb.main(demo_factory)
