"""twilio_server.py -- Twilio's Programmable Messaging API
(https://www.twilio.com/docs/messaging/api/message-resource) as the
`twilio` destination uses it:

  POST /2010-04-01/Accounts/{AccountSid}/Messages.json

HTTP Basic authentication with the Account SID and Auth Token (else 401,
code 20003); a form body with To (E.164, else 400 code 21211), From (a
number the account owns, else 400 code 21606) or MessagingServiceSid
(MG...), Body (1 to 1600 characters, else 400 code 21617) and an optional
StatusCallback. A To listed in --opted-out answers 400 code 21610 (the
recipient replied STOP). Success is 201 with the Message resource (sid
SM + 32 hex, status "queued", num_segments as a string: GSM-7 160/153,
else UCS-2 70/67). Errors have Twilio's shape {"code","message",
"more_info","status"}.

Every created message is appended to --log as one JSON line
  {"sid": .., "to": .., "from": .., "body": .., "status_callback": ..}
Faults come from contract_base's queue.

Webhooks Twilio sends back, on the test's cue (control endpoints), as
form POSTs signed with X-Twilio-Signature
(https://www.twilio.com/docs/usage/webhooks/webhooks-security):

  POST /__control/send-callbacks   each created message with a
      StatusCallback gets "sent" then its final status: "delivered", or
      "undelivered" with ErrorCode 30003 for a To in --undeliverable, or
      "failed" with 30005 for a To in --unknown-handsets. Answers
      [{"sid", "to", "answers": [HTTP status per callback]}].
  POST /__control/reply {"url", "from", "to", "body", "forge"?, "json"?,
      "tamper"?} an incoming message to the number, posted to url (the
      number's webhook); "forge": true signs it with a wrong token;
      "json": true sends the fields as a JSON object, the URL carrying
      bodySHA256 and signed alone; "tamper": true then sends another body
      than the one hashed. Answers {"status": HTTP status, "body": answer}.
"""

import base64
import hashlib
import hmac
import json
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid

import contract_base as cb

PATH = r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$"
GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
           "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXT = set("^{}\\[~]|€\f")


def segments(body):
    if all(c in GSM7 or c in GSM7_EXT for c in body):
        units = sum(2 if c in GSM7_EXT else 1 for c in body)
        return 1 if units <= 160 else -(-units // 153)
    units = len(body.encode("utf-16-le")) // 2
    return 1 if units <= 70 else -(-units // 67)


def error(status, code, message):
    return status, {}, {"code": code, "message": message,
                        "more_info": "https://www.twilio.com/docs/errors/%d" % code,
                        "status": status}


def signature(token, url, fields):
    data = url + "".join(k + v for k, v in sorted(fields))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def post_form(url, fields, token):
    body = urllib.parse.urlencode(fields).encode()
    return post(url, body, {"Content-Type": "application/x-www-form-urlencoded",
                            "X-Twilio-Signature": signature(token, url, fields)})


def post_json(url, fields, token, tamper=False):
    """A JSON-bodied webhook: the URL carries bodySHA256 and is signed
    alone. tamper: the body sent is not the one hashed."""
    body = json.dumps(dict(fields), ensure_ascii=False).encode()
    url += ("&" if "?" in url else "?") + "bodySHA256=" + hashlib.sha256(body).hexdigest()
    if tamper:
        body = json.dumps(dict(fields, Body="STOP"), ensure_ascii=False).encode()
    return post(url, body, {"Content-Type": "application/json; charset=utf-8",
                            "X-Twilio-Signature": signature(token, url, [])})


def post(url, body, headers):
    req = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10,
                                    context=ssl._create_unverified_context()) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as e:  # nobody listens (yet)
        return 0, str(e)


class TwilioServer(cb.ContractServer):
    def __init__(self, args):
        super().__init__(seed=args.seed, tls_context=cb.tls_context(args), verbose=args.verbose)
        self.sid = args.account_sid
        self.token = args.auth_token
        self.numbers = set(args.numbers.split(",")) if args.numbers else set()
        self.opted_out = set(args.opted_out.split(",")) if args.opted_out else set()
        self.undeliverable = set(filter(None, args.undeliverable.split(",")))
        self.unknown = set(filter(None, args.unknown_handsets.split(",")))
        self.log_path = args.log
        self.lock = threading.Lock()
        self.pending_callbacks = []  # (sid, to, from, url)
        self.route("POST", PATH, self.create)

    def control(self, name, req):
        if name == "send-callbacks" and req.method == "POST":
            with self.lock:
                due, self.pending_callbacks = self.pending_callbacks, []
            return 200, {}, [self.call_back(*one) for one in due]
        if name == "reply" and req.method == "POST":
            r = req.json()
            fields = [("MessageSid", "SM" + uuid.uuid4().hex), ("AccountSid", self.sid),
                      ("From", r["from"]), ("To", r["to"]), ("Body", r["body"]),
                      ("NumMedia", "0"), ("ApiVersion", "2010-04-01")]
            token = "not-the-token" if r.get("forge") else self.token
            if r.get("json"):
                status, body = post_json(r["url"], fields, token, r.get("tamper", False))
            else:
                status, body = post_form(r["url"], fields, token)
            return 200, {}, {"status": status, "body": body}
        return None

    def call_back(self, sid, to, sender, url):
        if to in self.unknown:
            final = [("MessageStatus", "failed"), ("ErrorCode", "30005")]
        elif to in self.undeliverable:
            final = [("MessageStatus", "undelivered"), ("ErrorCode", "30003")]
        else:
            final = [("MessageStatus", "delivered")]
        answers = []
        for status in ([("MessageStatus", "sent")], final):
            fields = [("MessageSid", sid), ("SmsSid", sid), ("AccountSid", self.sid),
                      ("From", sender or ""), ("To", to), ("ApiVersion", "2010-04-01")] + status
            answers.append(post_form(url, fields, self.token)[0])
        return {"sid": sid, "to": to, "answers": answers}

    def error_response(self, status, req, message):
        return {}, {"code": 20500 if status >= 500 else 20429 if status == 429 else 20001,
                    "message": message, "more_info": "", "status": status}

    def create(self, req):
        expected = "Basic " + base64.b64encode(
            ("%s:%s" % (self.sid, self.token)).encode()).decode()
        if req.headers.get("Authorization") != expected or req.match.group("sid") != self.sid:
            return error(401, 20003, "Authenticate")
        f = {k: v[0] for k, v in urllib.parse.parse_qs(req.body.decode("utf-8"),
                                                       keep_blank_values=True).items()}
        to, sender, body = f.get("To", ""), f.get("From"), f.get("Body", "")
        if not (to.startswith("+") and to[1:].isdigit() and 8 <= len(to) <= 16):
            return error(400, 21211, "The 'To' number %s is not a valid phone number." % to)
        service = f.get("MessagingServiceSid")
        if sender is None and not (service and service.startswith("MG")):
            return error(400, 21606, "A 'From' phone number or MessagingServiceSid is required.")
        if sender is not None and sender not in self.numbers:
            return error(400, 21606, "The From phone number %s is not a valid, SMS-capable "
                                     "inbound phone number for your account." % sender)
        if not body or len(body) > 1600:
            return error(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        if to in self.opted_out:
            return error(400, 21610, "Attempt to send to unsubscribed recipient")
        sid = "SM" + uuid.uuid4().hex
        with self.lock, open(self.log_path, "a", encoding="utf-8") as log:
            if f.get("StatusCallback"):
                self.pending_callbacks.append((sid, to, sender, f["StatusCallback"]))
            log.write(json.dumps({"sid": sid, "to": to, "from": sender, "body": body,
                                  "status_callback": f.get("StatusCallback")},
                                 ensure_ascii=False) + "\n")
        return 201, {}, {"sid": sid, "account_sid": self.sid, "to": to, "from": sender,
                         "messaging_service_sid": service, "body": body, "status": "queued",
                         "num_segments": str(segments(body)), "num_media": "0",
                         "direction": "outbound-api", "api_version": "2010-04-01",
                         "price": None, "price_unit": "USD", "error_code": None,
                         "error_message": None,
                         "date_created": "Fri, 02 Jan 2026 03:04:05 +0000",
                         "uri": "/2010-04-01/Accounts/%s/Messages/%s.json" % (self.sid, sid)}


def main():
    p = cb.base_arguments("Twilio Messages API contract server")
    p.add_argument("--account-sid", required=True)
    p.add_argument("--auth-token", required=True)
    p.add_argument("--numbers", default="", help="comma-separated From numbers the account owns")
    p.add_argument("--opted-out", default="", help="comma-separated To numbers that replied STOP")
    p.add_argument("--undeliverable", default="",
                   help="comma-separated To numbers whose callbacks say undelivered (30003)")
    p.add_argument("--unknown-handsets", default="",
                   help="comma-separated To numbers whose callbacks say failed (30005)")
    p.add_argument("--log", required=True, help="append one JSON line per created message")
    cb.main(TwilioServer, p)


if __name__ == "__main__":
    main()
