"""sendgrid_server.py -- SendGrid's v3 Mail Send API
(https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send,
errors: https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors)
as the `sendgrid` destination uses it:

  POST /v3/mail/send

`Authorization: Bearer <key>` (else 401). A JSON body with 1 to 1000
personalizations, each with a non-empty `to` of valid addresses, at most
1000 recipients in all and no address twice in one personalization;
`from.email` a verified sender (--senders, else 403); a subject (top
level or per personalization); `content` with text/plain before
text/html; string values only in `custom_args` and `headers`, and no
reserved header (From, To, Subject, ...) in `headers`. An address listed
in --invalid is "not a valid address". Every violation is 400 with
SendGrid's shape {"errors":[{"message","field","help"}]}, and SendGrid
checks the whole request first: a 400 sends nothing. Success is 202 with
an empty body and X-Message-Id.

Every accepted personalization is appended to --log as one JSON line
  {"message_id", "to", "subject", "text", "html", "headers", "custom_args"}
Faults come from contract_base's queue.

The Signed Event Webhook
(https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event,
security: .../getting-started-event-webhook-security-features), on the
test's cue: the server makes a P-256 key pair with the openssl tool and
signs timestamp + body with ECDSA/SHA-256 (base64 DER signature in
X-Twilio-Email-Event-Webhook-Signature, the Unix time in
X-Twilio-Email-Event-Webhook-Timestamp).

  GET /__control/event-key   {"key": base64 DER public key}
  POST /__control/send-events {"url", "forge"?}   one POST to url with the
      events of every recipient accepted since the last call, each with
      its personalization's custom_args flattened in: "processed", then
      "bounce" (5.1.1) for --bounced, "delivered" and "spamreport" for
      --spam, "delivered" and "unsubscribe" for --unsubscribed,
      "delivered", "open" and "click" (with its url) for --clicked, else
      "delivered" and "open". "forge": true signs with another key;
      "unsigned": true leaves both headers out.
      With "oauth": {"client_id", "client_secret", "token_url"} it first
      gets an access token as SendGrid's OAuth option does: the client
      credentials grant (RFC 6749 section 4.4) POSTed to token_url with
      HTTP Basic client authentication, a token kept until a minute
      before its expires_in; then posts with `Authorization: Bearer`.
      "forge_token": true sends a made-up token instead.
      Answers {"status": HTTP status, "events": count, "token_status"?}.
"""

import base64
import json
import os
import re
import secrets
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

import contract_base as cb

ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
RESERVED = {"from", "to", "cc", "bcc", "subject", "reply-to", "content-type",
            "dkim-signature", "x-sg-id", "x-sg-eid", "received", "return-path",
            "content-transfer-encoding", "date", "message-id", "mime-version"}


def ec_key(directory, name):
    """A P-256 private key file and its public key as base64 DER."""
    key = os.path.join(directory, name + ".pem")
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout",
                    "-out", key], check=True, capture_output=True)
    der = subprocess.run(["openssl", "ec", "-in", key, "-pubout", "-outform", "DER"],
                         check=True, capture_output=True).stdout
    return key, base64.b64encode(der).decode()


def ecdsa_sign(key, data):
    return base64.b64encode(subprocess.run(["openssl", "dgst", "-sha256", "-sign", key],
                                           input=data, check=True,
                                           capture_output=True).stdout).decode()


def bad(message, field=None):
    return 400, {}, {"errors": [{"message": message, "field": field, "help": None}]}


class SendgridServer(cb.ContractServer):
    def __init__(self, args):
        super().__init__(seed=args.seed, tls_context=cb.tls_context(args), verbose=args.verbose)
        self.key = args.api_key
        self.senders = set(args.senders.split(",")) if args.senders else set()
        self.invalid = set(args.invalid.split(",")) if args.invalid else set()
        self.log_path = args.log
        self.lock = threading.Lock()
        self.route("POST", r"^/v3/mail/send$", self.send)
        self.bounced = set(filter(None, args.bounced.split(",")))
        self.spam = set(filter(None, args.spam.split(",")))
        self.unsubscribed = set(filter(None, args.unsubscribed.split(",")))
        self.clicked = set(filter(None, args.clicked.split(",")))
        self.accepted = []  # (to, sg_message_id, custom_args) not yet reported
        self.keys = tempfile.mkdtemp(prefix="sendgrid-keys-")
        self.event_key, self.event_public = ec_key(self.keys, "events")
        self.forged_key, _ = ec_key(self.keys, "forged")
        self.tokens = {}  # (token_url, client_id) -> (token, good until)

    def access_token(self, oauth):
        """(HTTP status of the token request, token or None); 200 when a
        kept token is still good."""
        slot = (oauth["token_url"], oauth["client_id"])
        kept = self.tokens.get(slot)
        if kept and kept[1] > time.time():
            return 200, kept[0]
        basic = base64.b64encode(
            (oauth["client_id"] + ":" + oauth["client_secret"]).encode()).decode()
        request = urllib.request.Request(
            oauth["token_url"], data=b"grant_type=client_credentials", method="POST",
            headers={"Authorization": "Basic " + basic,
                     "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                grant = json.loads(answer.read())
        except urllib.error.HTTPError as e:
            return e.code, None
        except (urllib.error.URLError, OSError):
            return 0, None
        if grant.get("token_type", "").lower() != "bearer" or not grant.get("access_token"):
            return 502, None
        self.tokens[slot] = (grant["access_token"],
                             time.time() + int(grant.get("expires_in", 3600)) - 60)
        return 200, grant["access_token"]

    def control(self, name, req):
        if name == "event-key" and req.method == "GET":
            return 200, {}, {"key": self.event_public}
        if name == "send-events" and req.method == "POST":
            r = req.json()
            with self.lock:
                due, self.accepted = self.accepted, []
            events = []
            for to, sg_id, args in due:
                for kind in self.events_for(to):
                    e = {"email": to, "timestamp": int(time.time()), "event": kind,
                         "sg_event_id": secrets.token_urlsafe(12),
                         "sg_message_id": sg_id + ".filter0001.1.0"}
                    if kind == "bounce":
                        e.update(type="bounce", status="5.1.1",
                                 reason="550 5.1.1 The email account that you tried to reach "
                                        "does not exist")
                    if kind == "click":
                        e.update(url="https://shop.example/p/1?utm_source=halo",
                                 url_offset={"index": 0, "type": "html"})
                    e.update(args)
                    events.append(e)
            body = json.dumps(events).encode()
            stamp = str(int(time.time()))
            key = self.forged_key if r.get("forge") else self.event_key
            headers = {"Content-Type": "application/json"}
            if not r.get("unsigned"):
                headers["X-Twilio-Email-Event-Webhook-Timestamp"] = stamp
                headers["X-Twilio-Email-Event-Webhook-Signature"] = ecdsa_sign(
                    key, stamp.encode() + body)
            answer_extra = {}
            if r.get("forge_token"):
                headers["Authorization"] = "Bearer hsg1.4102444800.bm90IGEgcmVhbCB0b2tlbg=="
            elif r.get("oauth"):
                token_status, token = self.access_token(r["oauth"])
                answer_extra["token_status"] = token_status
                if token is None:
                    with self.lock:
                        self.accepted = due + self.accepted
                    return 200, {}, {"status": 0, "events": len(events), **answer_extra}
                headers["Authorization"] = "Bearer " + token
            request = urllib.request.Request(r["url"], data=body, method="POST",
                                             headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    status = answer.status
            except urllib.error.HTTPError as e:
                status = e.code
            except (urllib.error.URLError, OSError):
                status = 0
            if status != 200:  # not taken: SendGrid would post them again
                with self.lock:
                    self.accepted = due + self.accepted
            return 200, {}, {"status": status, "events": len(events), **answer_extra}
        return None

    def events_for(self, to):
        if to in self.bounced:
            return ["processed", "bounce"]
        if to in self.spam:
            return ["processed", "delivered", "spamreport"]
        if to in self.unsubscribed:
            return ["processed", "delivered", "unsubscribe"]
        if to in self.clicked:
            return ["processed", "delivered", "open", "click"]
        return ["processed", "delivered", "open"]

    def error_response(self, status, req, message):
        return {}, {"errors": [{"message": message, "field": None, "help": None}]}

    def check_strings(self, obj, field):
        if not isinstance(obj, dict):
            return bad("%s must be an object" % field, field)
        for k, v in obj.items():
            if not isinstance(v, str):
                return bad("%s values must be strings" % field, "%s.%s" % (field, k))
        return None

    def send(self, req):
        if req.headers.get("Authorization") != "Bearer " + self.key:
            return 401, {}, {"errors": [{
                "message": "The provided authorization grant is invalid, expired, or revoked",
                "field": None, "help": None}]}
        try:
            mail = json.loads(req.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return bad("Bad Request", None)
        ps = mail.get("personalizations")
        if not isinstance(ps, list) or not 1 <= len(ps) <= 1000:
            return bad("The personalizations field is required and must have at least one "
                       "personalization.", "personalizations")
        sender = (mail.get("from") or {}).get("email")
        if sender not in self.senders:
            return 403, {}, {"errors": [{
                "message": "The from address does not match a verified Sender Identity.",
                "field": "from", "help": None}]}
        content = mail.get("content") or []
        types = [c.get("type") for c in content]
        if not content or any(not c.get("value") for c in content):
            return bad("Unless a valid template_id is provided, the content parameter is "
                       "required.", "content")
        if "text/html" in types and "text/plain" in types and \
                types.index("text/html") < types.index("text/plain"):
            return bad("The text/plain content type must be first.", "content")
        total = 0
        for n, p in enumerate(ps):
            to = p.get("to")
            if not isinstance(to, list) or not to:
                return bad("The to array is required for all personalization objects, and "
                           "must have at least one email object with a valid email address.",
                           "personalizations.%d.to" % n)
            seen = set()
            for m, t in enumerate(to):
                email = (t or {}).get("email", "")
                if not ADDRESS.match(email) or email in self.invalid:
                    return bad("Does not contain a valid address.",
                               "personalizations.%d.to.%d.email" % (n, m))
                if email.lower() in seen:
                    return bad("Each email address in the personalization block should be "
                               "unique between to, cc, and bcc.",
                               "personalizations.%d.to.%d.email" % (n, m))
                seen.add(email.lower())
            total += len(to)
            if not (p.get("subject") or mail.get("subject")):
                return bad("The subject is required.", "subject")
            for name in ("custom_args", "headers"):
                if name in p:
                    err = self.check_strings(p[name], "personalizations.%d.%s" % (n, name))
                    if err:
                        return err
            for h in p.get("headers", {}):
                if h.lower() in RESERVED:
                    return bad("%s is a reserved header." % h,
                               "personalizations.%d.headers" % n)
        if total > 1000:
            return bad("The total number of recipients must be no more than 1000.",
                       "personalizations")
        message_id = secrets.token_urlsafe(16)[:22]
        text = next((c["value"] for c in content if c.get("type") == "text/plain"), None)
        html = next((c["value"] for c in content if c.get("type") == "text/html"), None)
        with self.lock, open(self.log_path, "a", encoding="utf-8") as log:
            for p in ps:
                for t in p["to"]:
                    log.write(json.dumps({
                        "message_id": message_id, "to": t["email"],
                        "subject": p.get("subject") or mail.get("subject"), "text": text,
                        "html": html, "headers": p.get("headers", {}),
                        "custom_args": p.get("custom_args", {})}, ensure_ascii=False) + "\n")
                    self.accepted.append((t["email"], message_id, p.get("custom_args", {})))
        return 202, {"X-Message-Id": message_id}, b""


def main():
    p = cb.base_arguments("SendGrid v3 Mail Send contract server")
    p.add_argument("--api-key", required=True)
    p.add_argument("--senders", default="", help="comma-separated verified sender addresses")
    p.add_argument("--invalid", default="", help="comma-separated addresses SendGrid refuses")
    p.add_argument("--bounced", default="", help="comma-separated addresses whose events bounce")
    p.add_argument("--spam", default="", help="comma-separated addresses that report spam")
    p.add_argument("--clicked", default="", help="comma-separated addresses that also click")
    p.add_argument("--unsubscribed", default="",
                   help="comma-separated addresses that unsubscribe at SendGrid")
    p.add_argument("--log", required=True, help="append one JSON line per accepted recipient")
    cb.main(SendgridServer, p)


if __name__ == "__main__":
    main()
