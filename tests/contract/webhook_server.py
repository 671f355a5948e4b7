"""webhook_server.py -- a webhook receiver as the Standard Webhooks
specification describes one (https://www.standardwebhooks.com/): it checks
`webhook-signature` (v1, HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>"
with the secret, base64 after its "whsec_" prefix), refuses timestamps more
than five minutes away (replays), and de-duplicates by `webhook-id`: a
message delivered again is answered 200 and counted, never processed twice.

Every accepted request is appended to --log as one JSON line:
  {"id": .., "duplicate": bool, "body": <the request's JSON>}
so a test can count what arrived. Faults (500, 429 + Retry-After, drop, ...)
come from contract_base's fault queue.
"""

import base64
import hashlib
import hmac
import json
import threading
import time

import contract_base as cb

PATH = r"/hooks"
TOLERANCE_S = 300


class WebhookServer(cb.ContractServer):
    def __init__(self, args):
        super().__init__(seed=args.seed, tls_context=cb.tls_context(args), verbose=args.verbose)
        secret = args.secret
        self.key = (base64.b64decode(secret[len("whsec_"):]) if secret.startswith("whsec_")
                    else secret.encode())
        self.log_path = args.log
        self.seen = set()
        self.log_lock = threading.Lock()
        self.route("POST", PATH, self.receive)

    def receive(self, req):
        msg_id = req.headers.get("webhook-id")
        stamp = req.headers.get("webhook-timestamp")
        signatures = req.headers.get("webhook-signature")
        if not msg_id or not stamp or not signatures:
            return 400, {}, {"error": "webhook-id, webhook-timestamp and webhook-signature are required"}
        signed = msg_id.encode() + b"." + stamp.encode() + b"." + req.body
        expected = "v1," + base64.b64encode(hmac.new(self.key, signed, hashlib.sha256).digest()).decode()
        if not any(hmac.compare_digest(expected, s) for s in signatures.split(" ")):
            return 401, {}, {"error": "signature does not match"}
        if not stamp.isdigit() or abs(time.time() - int(stamp)) > TOLERANCE_S:
            return 401, {}, {"error": "timestamp outside the tolerance"}
        body = json.loads(req.body)
        with self.log_lock:
            duplicate = msg_id in self.seen
            self.seen.add(msg_id)
            with open(self.log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps({"id": msg_id, "duplicate": duplicate, "body": body,
                                      "at_ms": int(time.time() * 1000)},
                                     ensure_ascii=False) + "\n")
            receipt = "rcv-%d" % len(self.seen)
        return 200, {"X-Message-Id": receipt}, {"ok": True}


if __name__ == "__main__":
    p = cb.base_arguments("Standard Webhooks receiver contract server")
    p.add_argument("--secret", required=True)
    p.add_argument("--log", required=True, help="append one JSON line per accepted request")
    cb.main(lambda args: WebhookServer(args), p)
