"""kavenegar_server.py -- the Kavenegar SMS REST API (https://kavenegar.com/rest.html)
as the `kavenegar` destination uses it:

  POST /v1/{API-KEY}/sms/send.json                 receptor, message, sender?, localid?
  POST /v1/{API-KEY}/sms/statuslocalmessageid.json localid
  POST /v1/{API-KEY}/sms/status.json               messageid (comma-separated)
  POST /v1/{API-KEY}/sms/receive.json              linenumber, isread (0 or 1)
  POST /v1/{API-KEY}/verify/lookup.json            receptor, template, token, token2?,
                                                   token3?, token10?, token20?, type?

Form bodies (application/x-www-form-urlencoded). Every answer is the API's
envelope {"return":{"status":N,"message":".."},"entries":[..]|null}, with
the HTTP status equal to return.status: 200 with one entry per receptor
(messageid, message, status 1 "queued", sender, receptor, date, cost);
403 for a wrong key; 411 for a receptor that is not 09xxxxxxxxx or
00<digits>; 412 for a sender line the account does not own; 413 for an
empty message or one over 900 characters. statuslocalmessageid answers
status 100 for a localid it never saw.

sms/status.json answers one entry per asked messageid, in the order asked
(at most 500 ids, else 414): status 100 for an id it never gave; 4 ("sent
to the operator") for the first --in-transit status questions about a
message; then 11 (undelivered) for a receptor in --undelivered, 14
(filtered) for one in --filtered, else 10 (delivered). Every status
question is appended to --status-log as {"messageids": [..]}.

sms/receive.json answers the messages people sent to `linenumber`, from
--inbox (JSON lines {"sender", "message", "receptor", "date"?}, read at
start, numbered from messageid 5000001): with isread=0 the oldest unread
ones, at most 100, which it then marks read (as Kavenegar does); with
isread=1 the latest 100 already read. `entries` is null when there are
none; a missing linenumber is 400.

verify/lookup.json fills a template of the account (--templates, comma-
separated): 424 for a template it does not have, 432 when token is missing,
431 when token, token2 or token3 holds white space, 411 for a bad receptor
as above, 400 for a type other than sms or call; else 200 with one entry
(the template's text is not known here: `message` is the tokens joined).
Each lookup is appended to --log as {"lookup": template, "receptor": ..,
"tokens": {name: value}, "type": .., "messageid": N}.

Every send is appended to --log as one JSON line
  {"localid": .., "receptor": .., "message": .., "sender": .., "messageid": N,
   "duplicate": bool}
(`duplicate`: a send with a localid seen before) so a test can count what
went out. Faults come from contract_base's queue; a `modify` fault means
"take the send, then answer only after delay_ms" -- a send whose answer a
client with a shorter timeout never sees.
"""

import json
import threading
import time
import urllib.parse

import contract_base as cb

SEND = r"^/v1/(?P<key>[^/]+)/sms/send\.json$"
LOOKUP = r"^/v1/(?P<key>[^/]+)/sms/statuslocalmessageid\.json$"
STATUS = r"^/v1/(?P<key>[^/]+)/sms/status\.json$"
RECEIVE = r"^/v1/(?P<key>[^/]+)/sms/receive\.json$"
VERIFY = r"^/v1/(?P<key>[^/]+)/verify/lookup\.json$"
TOKENS = ("token", "token2", "token3", "token10", "token20")
STATUS_TEXT = {4: "ارسال به مخابرات", 10: "رسیده به گیرنده", 11: "نرسیده به گیرنده",
               14: "بلاک شده توسط گیرنده", 100: "شناسه پیامک نامعتبر است"}


def valid_receptor(receptor):
    """09xxxxxxxxx (an Iranian mobile) or 00 and international digits."""
    return receptor.isdigit() and ((receptor.startswith("09") and len(receptor) == 11)
                                   or receptor.startswith("00"))


def envelope(status, message, entries=None):
    return {"return": {"status": status, "message": message}, "entries": entries}


class KavenegarServer(cb.ContractServer):
    def __init__(self, args):
        super().__init__(seed=args.seed, tls_context=cb.tls_context(args), verbose=args.verbose)
        self.api_key = args.api_key
        self.lines = set(args.lines.split(",")) if args.lines else set()
        self.log_path = args.log
        self.lock = threading.Lock()
        self.by_localid = {}
        self.receptors = {}  # messageid -> receptor
        self.questions = {}  # messageid -> status questions so far
        self.in_transit = args.in_transit
        self.undelivered = set(filter(None, args.undelivered.split(",")))
        self.filtered = set(filter(None, args.filtered.split(",")))
        self.status_log = args.status_log
        self.next_id = 8792343
        self.route("POST", SEND, self.send)
        self.route("POST", LOOKUP, self.lookup)
        self.route("POST", STATUS, self.status)
        self.route("POST", RECEIVE, self.receive)
        self.route("POST", VERIFY, self.verify_lookup)
        self.templates = set(filter(None, args.templates.split(",")))
        self.inbox = []  # [message entry, read?]
        if args.inbox:
            with open(args.inbox, encoding="utf-8") as f:
                for n, line in enumerate(l for l in f if l.strip()):
                    m = json.loads(line)
                    entry = {"messageid": 5000001 + n, "message": m["message"],
                             "sender": m["sender"], "receptor": m["receptor"],
                             "date": m.get("date", int(time.time()))}
                    self.inbox.append([entry, False])

    def error_response(self, status, req, message):
        return {}, envelope(status, message)

    def on_modify_fault(self, req, fault):
        req.answer_after_ms = fault["delay_ms"]

    def form(self, req):
        return {k: v[0] for k, v in urllib.parse.parse_qs(req.body.decode("utf-8"),
                                                           keep_blank_values=True).items()}

    def check_key(self, req):
        if req.match.group("key") != self.api_key:
            return 403, {}, envelope(403, "کلید API نامعتبر است")
        return None

    def send(self, req):
        bad = self.check_key(req)
        if bad:
            return bad
        f = self.form(req)
        receptor, message, sender = f.get("receptor", ""), f.get("message", ""), f.get("sender")
        if not valid_receptor(receptor):
            return 411, {}, envelope(411, "گیرنده نامعتبر است")
        if sender is not None and self.lines and sender not in self.lines:
            return 412, {}, envelope(412, "ارسال کننده نامعتبر است")
        if not message or len(message) > 900:
            return 413, {}, envelope(413, "پیام خالی یا طولانی است")
        localid = f.get("localid")
        with self.lock:
            self.next_id += 1
            messageid = self.next_id
            duplicate = localid is not None and localid in self.by_localid
            if localid is not None and not duplicate:
                self.by_localid[localid] = messageid
            self.receptors[messageid] = receptor
            with open(self.log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps({"localid": localid, "receptor": receptor,
                                      "message": message, "sender": sender,
                                      "messageid": messageid, "duplicate": duplicate},
                                     ensure_ascii=False) + "\n")
        delay = getattr(req, "answer_after_ms", 0)
        if delay:
            time.sleep(delay / 1000.0)
        entry = {"messageid": messageid, "message": message, "status": 1,
                 "statustext": "در صف ارسال", "sender": sender or "10004346",
                 "receptor": receptor, "date": int(time.time()), "cost": 120}
        return 200, {}, envelope(200, "تایید شد", [entry])

    def verify_lookup(self, req):
        bad = self.check_key(req)
        if bad:
            return bad
        f = self.form(req)
        receptor, template = f.get("receptor", ""), f.get("template", "")
        if not valid_receptor(receptor):
            return 411, {}, envelope(411, "گیرنده نامعتبر است")
        if template not in self.templates:
            return 424, {}, envelope(424, "الگوی مورد نظر پیدا نشد")
        if not f.get("token"):
            return 432, {}, envelope(432, "پارامتر کد در متن پیام پیدا نشد")
        if any(c.isspace() for name in TOKENS[:3] for c in f.get(name, "")):
            return 431, {}, envelope(431, "ساختار کد صحیح نمی‌باشد")
        kind = f.get("type", "sms")
        if kind not in ("sms", "call"):
            return 400, {}, envelope(400, "پارامترها ناقص هستند")
        tokens = {name: f[name] for name in TOKENS if name in f}
        with self.lock:
            self.next_id += 1
            messageid = self.next_id
            self.receptors[messageid] = receptor
            with open(self.log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps({"lookup": template, "receptor": receptor, "tokens": tokens,
                                      "type": kind, "messageid": messageid},
                                     ensure_ascii=False) + "\n")
        delay = getattr(req, "answer_after_ms", 0)
        if delay:
            time.sleep(delay / 1000.0)
        entry = {"messageid": messageid, "message": " ".join(tokens.values()), "status": 5,
                 "statustext": "ارسال به مخابرات", "sender": "10004346", "receptor": receptor,
                 "date": int(time.time()), "cost": 120}
        return 200, {}, envelope(200, "تایید شد", [entry])

    def lookup(self, req):
        bad = self.check_key(req)
        if bad:
            return bad
        localid = self.form(req).get("localid", "")
        with self.lock:
            messageid = self.by_localid.get(localid)
        if messageid is None:
            entry = {"messageid": 0, "localid": localid, "status": 100, "statustext": "نامعتبر"}
        else:
            entry = {"messageid": messageid, "localid": localid, "status": 10,
                     "statustext": "رسیده به گیرنده"}
        return 200, {}, envelope(200, "تایید شد", [entry])

    def status_of(self, messageid):
        receptor = self.receptors.get(messageid)
        if receptor is None:
            return 100
        asked = self.questions.get(messageid, 0)
        self.questions[messageid] = asked + 1
        if asked < self.in_transit:
            return 4
        if receptor in self.undelivered:
            return 11
        return 14 if receptor in self.filtered else 10

    def status(self, req):
        bad = self.check_key(req)
        if bad:
            return bad
        text = self.form(req).get("messageid", "")
        try:
            ids = [int(x) for x in text.split(",")]
        except ValueError:
            return 400, {}, envelope(400, "پارامترها ناقص هستند")
        if len(ids) > 500:
            return 414, {}, envelope(414, "تعداد رکوردها بیش از حد مجاز است")
        entries = []
        with self.lock:
            if self.status_log:
                with open(self.status_log, "a", encoding="utf-8") as log:
                    log.write(json.dumps({"messageids": ids}) + "\n")
            for messageid in ids:
                code = self.status_of(messageid)
                entries.append({"messageid": messageid, "status": code,
                                "statustext": STATUS_TEXT[code]})
        return 200, {}, envelope(200, "تایید شد", entries)


    def receive(self, req):
        bad = self.check_key(req)
        if bad:
            return bad
        f = self.form(req)
        line, isread = f.get("linenumber", ""), f.get("isread", "0")
        if not line:
            return 400, {}, envelope(400, "پارامترها ناقص هستند")
        with self.lock:
            mine = [m for m in self.inbox if m[0]["receptor"] == line]
            if isread == "1":
                entries = [m[0] for m in mine if m[1]][-100:]
            else:
                unread = [m for m in mine if not m[1]][:100]
                for m in unread:
                    m[1] = True
                entries = [m[0] for m in unread]
        return 200, {}, envelope(200, "تایید شد", entries or None)


def main():
    p = cb.base_arguments("Kavenegar SMS API contract server")
    p.add_argument("--api-key", required=True)
    p.add_argument("--lines", default="", help="comma-separated sender lines the account owns")
    p.add_argument("--log", required=True, help="append one JSON line per send")
    p.add_argument("--status-log", default="", help="append one JSON line per status question")
    p.add_argument("--in-transit", type=int, default=0,
                   help="status questions per message answered 4 (sent to the operator)")
    p.add_argument("--undelivered", default="", help="comma-separated receptors answered 11")
    p.add_argument("--filtered", default="", help="comma-separated receptors answered 14")
    p.add_argument("--inbox", default="", help="JSON lines of messages people sent to lines")
    p.add_argument("--templates", default="otp",
                   help="comma-separated verify/lookup templates the account has")
    cb.main(KavenegarServer, p)


if __name__ == "__main__":
    main()
