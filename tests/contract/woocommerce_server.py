#!/usr/bin/env python3
"""WooCommerce wc/v3 contract server, after the public WooCommerce REST API
docs (https://woocommerce.github.io/woocommerce-rest-api-docs/, sections
"Authentication", "Orders", "Customers", "Webhooks") and the WooCommerce
sources they point to (WC_REST_Authentication in
https://github.com/woocommerce/woocommerce/blob/trunk/plugins/woocommerce/includes/class-wc-rest-authentication.php,
WC_Webhook in
https://github.com/woocommerce/woocommerce/blob/trunk/plugins/woocommerce/includes/class-wc-webhook.php).

Serves seeded customers, orders and products with the real field names and
types (money as 2-decimal strings, GMT dates without "Z", billing objects,
line_items with numeric prices), the real collection parameters
(page/per_page <= 100/modified_after/dates_are_gmt/orderby/order/status),
X-WP-Total / X-WP-TotalPages / Link headers, WP REST error shapes, and the
authentication of WC_REST_Authentication exactly: Basic over TLS
(query consumer_key/consumer_secret win over the header) and one-legged OAuth
1.0a (HMAC-SHA1/SHA256, raw-key sort, +/-15 min timestamps, nonce reuse).

Faults come from contract_base. `modify` is interpreted here:
  {"kind":"modify","path":"/orders$","count":K}            -> on the K-th
      matching request, the order with the oldest date_modified gets
      date_modified = now (and processing -> completed): it moves behind the
      pages already read, shifting every later record one place forward.
  {"kind":"modify","touch":{"orders":[ids],"complete":[ids],
                            "new_customers":N}}           -> on the next
      request: the listed orders get date_modified = now; "complete" ones also
      become completed; N new customers are created. Tests use it between
      runs to check that a second run fetches only what changed.

Invariants: fixture data depends only on --seed, --people, --currency and the
modifications; records_returned counts the objects in every 200 collection body.

Joint fixtures (several servers describing the same people):
  --people FILE   JSON array of {"first_name","last_name","email","phone"}
      (phone in E.164, "+98912..."): customer i (1-based) becomes person
      i-1, written the way shoppers type it at checkout -- billing phone in
      national form ("0912..."), billing email with varied letter case; the
      customer's orders carry that billing. Empty/absent email or phone is
      left empty.
  --currency CODE every order in CODE (default: EUR, every 7th order IRR);
      zero-decimal currencies (IRR, JPY, ...) get whole-number totals, as
      WooCommerce prints them with 0 price decimals.
  --dump FILE     the fixture truth {"customers": [...], "orders": [...]}
      (re)written atomically at start and after every modification.

Servers that echo credentials (tests of secret masking, docs/security.md):
  --echo-credentials 401     every wc/v3 request is answered 401 with a WP
      REST error whose message and data quote the request's Authorization
      header, its oauth_* and consumer_key/consumer_secret query parameters
      and the decoded Basic key and secret, JSON-encoded the way PHP does
      ("/" escaped as "\/"), as some real servers and proxies do.
  --echo-credentials record  requests are authenticated as usual, but the
      first page of every collection carries one extra object with a
      non-numeric id (so the source dead-letters it) whose meta_data quotes
      the same credentials.

Also a webhook sender for tests (no server started):
  woocommerce_server.py --send-webhook URL --secret S --topic order.updated
      --id N [--bad-signature] [--ping] [--delivery-id D] [--seed S]
posts one delivery with the seven X-WC-Webhook-* headers, signed with
base64(HMAC-SHA256(secret, body)); prints the HTTP status.
"""
import base64
import calendar
import hashlib
import hmac
import json
import os
import random
import sys
import threading
import time
import urllib.parse
import urllib.request

import contract_base as cb

BASE = "/wp-json/wc/v3/"
EPOCH = 1767225600  # 2026-01-01T00:00:00Z
LOCAL_OFFSET = 12600  # site timezone +03:30: local dates differ from GMT ones
STATUSES = ["completed", "processing", "completed", "refunded", "cancelled", "pending",
            "completed", "on-hold", "completed", "failed"]
FIRST = ["Sara", "Ali", "Maryam", "Reza", "Neda", "Omid", "Leila", "Kian", "Dina", "Arash"]
LAST = ["Ahmadi", "Karimi", "Rahimi", "Moradi", "Hosseini", "Jafari", "Sadeghi", "Kazemi"]
NONCE_WINDOW = 15 * 60


def gmt(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts))


def parse_gmt(text):
    return calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S"))


ZERO_DECIMAL = ("IRR", "JPY", "KRW", "VND", "CLP", "ISK")


def money(cents, decimals=2):
    if decimals == 0:
        return "%d" % cents
    return "%d.%02d" % (cents // 100, cents % 100)


def national_phone(e164):
    """+98912... -> 0912... (how Iranian shoppers type it)."""
    return "0" + e164[3:] if e164.startswith("+98") else e164


def varied_case(email):
    """Sara.Ahmadi@example.test -> SARA.ahmadi@Example.TEST-like variants."""
    local, _, domain = email.partition("@")
    head, dot, tail = local.partition(".")
    return head.capitalize() + dot + tail.upper() + "@" + domain.capitalize()


def load_people(path):
    if not path:
        return []
    with open(path) as f:
        return json.load(f)


def rfc3986(s):
    return urllib.parse.quote(s, safe="~")


def wp_error(status, code, message, extra=None):
    data = {"status": status}
    data.update(extra or {})
    return status, {}, {"code": code, "message": message, "data": data}


class Fixture:
    """Seeded store data; all access under the server lock."""

    def __init__(self, seed, n_customers, n_orders, people=(), currency=None):
        rng = random.Random(seed)
        self.currency = currency
        self.decimals = 0 if currency in ZERO_DECIMAL else 2
        self.customers = {}
        self.orders = {}
        self.products = {}
        for pid in range(1, 11):
            cents = rng.randint(300, 9000)
            self.products[pid] = {"cents": cents, "sku": "SKU-%03d" % pid,
                                  "name": "Product %d" % pid}
        for cid in range(1, n_customers + 1):
            self.add_customer(cid, rng, EPOCH - 86400 * 30 + cid * 600)
        for cid, person in enumerate(people[:n_customers], start=1):
            self.make_person(self.customers[cid], person)
        for oid in range(1, n_orders + 1):
            self.add_order(oid, rng, n_customers)

    def add_customer(self, cid, rng, created):
        first, last = FIRST[cid % len(FIRST)], LAST[cid % len(LAST)]
        email = "%s.%s%d@example.test" % (first.lower(), last.lower(), cid)
        phone = "0912%07d" % (1000000 + cid)
        self.customers[cid] = {
            "id": cid, "date_created": gmt(created + LOCAL_OFFSET), "date_created_gmt": gmt(created),
            "date_modified": gmt(created + LOCAL_OFFSET), "date_modified_gmt": gmt(created),
            "email": email, "first_name": first, "last_name": last, "role": "customer",
            "username": "%s%d" % (first.lower(), cid),
            "billing": {"first_name": first, "last_name": last, "company": "", "address_1": "",
                        "address_2": "", "city": "Tehran", "state": "", "postcode": "",
                        "country": "IR", "email": email, "phone": phone},
            "shipping": {"first_name": first, "last_name": last, "company": "", "address_1": "",
                         "address_2": "", "city": "Tehran", "state": "", "postcode": "",
                         "country": "IR", "phone": ""},
            "is_paying_customer": True, "avatar_url": "", "meta_data": []}

    @staticmethod
    def make_person(customer, person):
        first, last = person.get("first_name") or "", person.get("last_name") or ""
        email = person.get("email") or ""
        customer.update({"first_name": first, "last_name": last, "email": email})
        customer["billing"].update({"first_name": first, "last_name": last,
                                    "email": varied_case(email) if email else "",
                                    "phone": national_phone(person.get("phone") or "")})
        customer["shipping"].update({"first_name": first, "last_name": last})

    def add_order(self, oid, rng, n_customers):
        created = EPOCH + oid * 3600  # distinct seconds, far apart
        guest = oid % 5 == 0
        cid = 0 if guest else rng.randint(1, n_customers)
        if guest:
            billing = {"first_name": "Guest", "last_name": str(oid), "company": "",
                       "address_1": "", "address_2": "", "city": "", "state": "", "postcode": "",
                       "country": "IR", "email": "guest%d@example.test" % oid, "phone": ""}
        else:
            billing = dict(self.customers[cid]["billing"])
        items, subtotal = [], 0
        for n in range(rng.randint(1, 3)):
            pid = rng.randint(1, len(self.products))
            qty = rng.randint(1, 3)
            p = self.products[pid]
            subtotal += p["cents"] * qty
            items.append({"id": oid * 10 + n, "name": p["name"], "product_id": pid,
                          "variation_id": 0, "quantity": qty, "tax_class": "",
                          "subtotal": self.money(p["cents"] * qty), "subtotal_tax": self.money(0),
                          "total": self.money(p["cents"] * qty), "total_tax": self.money(0),
                          "taxes": [], "meta_data": [], "sku": p["sku"],
                          "price": p["cents"] / 100 if self.decimals else p["cents"],
                          "image": {"id": 0, "src": ""}})
        shipping = rng.choice([0, 500, 1000])
        status = STATUSES[oid % len(STATUSES)]
        completed = created + 1800 if status == "completed" else None
        self.orders[oid] = {
            "id": oid, "parent_id": 0, "number": str(oid), "order_key": "wc_order_%d" % oid,
            "created_via": "checkout", "version": "9.0.0", "status": status,
            "currency": self.currency or ("IRR" if oid % 7 == 0 else "EUR"),
            "date_created": gmt(created + LOCAL_OFFSET), "date_created_gmt": gmt(created),
            "date_modified": gmt(created + 1800 + LOCAL_OFFSET),
            "date_modified_gmt": gmt(created + 1800),
            "discount_total": self.money(0), "discount_tax": self.money(0),
            "shipping_total": self.money(shipping), "shipping_tax": self.money(0),
            "cart_tax": self.money(0), "total": self.money(subtotal + shipping),
            "total_tax": self.money(0), "prices_include_tax": False, "customer_id": cid,
            "customer_ip_address": "", "customer_user_agent": "", "customer_note": "",
            "billing": billing, "shipping": {k: v for k, v in billing.items() if k != "email"},
            "payment_method": "bacs", "payment_method_title": "Bank transfer",
            "transaction_id": "", "date_paid_gmt": gmt(created + 60)
            if status in ("completed", "processing") else None,
            "date_completed_gmt": gmt(completed) if completed else None,
            "cart_hash": "", "meta_data": [], "line_items": items, "tax_lines": [],
            "shipping_lines": [], "fee_lines": [], "coupon_lines": [], "refunds": []}

    def money(self, minor):
        return money(minor, self.decimals)

    def write_dump(self, path):
        if not path:
            return
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"customers": [self.customers[k] for k in sorted(self.customers)],
                       "orders": [self.orders[k] for k in sorted(self.orders)]}, f)
        os.replace(tmp, path)  # readers never see a half-written file

    def touch(self, record, now, complete=False):
        record["date_modified_gmt"] = gmt(now)
        record["date_modified"] = gmt(now + LOCAL_OFFSET)
        if complete or record.get("status") == "processing":
            record["status"] = "completed"


class WooServer(cb.ContractServer):
    def __init__(self, args):
        super().__init__(seed=args.seed, tls_context=cb.tls_context(args), verbose=args.verbose)
        self.key, self.secret = args.consumer_key, args.consumer_secret
        self.echo = args.echo_credentials
        self.data = fixture(args)
        self.dump = args.dump
        self.data.write_dump(self.dump)
        self.data_lock = threading.Lock()
        self.nonces = {}  # consumer key -> {nonce: timestamp}
        for resource in ("customers", "orders", "products"):
            self.route("GET", BASE + resource, self.collection_handler(resource))
            self.route("GET", BASE + resource + r"/(\d+)", self.item_handler(resource))

    # ---- errors and faults -----------------------------------------------------
    def error_response(self, status, req, message):
        return {}, {"code": "rest_error" if status != 404 else "rest_no_route",
                    "message": message, "data": {"status": status}}

    def on_modify_fault(self, req, fault):
        spec = fault["spec"]
        now = int(time.time())
        with self.data_lock:
            touch = spec.get("touch")
            if touch:
                for oid in touch.get("orders", []) + touch.get("complete", []):
                    self.data.touch(self.data.orders[oid], now, oid in touch.get("complete", []))
                rng = random.Random(now)
                for _ in range(int(touch.get("new_customers", 0))):
                    cid = max(self.data.customers) + 1
                    self.data.add_customer(cid, rng, now)
                self.data.write_dump(self.dump)
                return
            spec["_seen"] = spec.get("_seen", 0) + 1
            if spec["_seen"] < int(spec.get("count", 1)):
                return  # act on the last use: pages before it were read
            oldest = min(self.data.orders.values(), key=lambda o: (o["date_modified_gmt"], o["id"]))
            self.data.touch(oldest, now)
            self.data.write_dump(self.dump)

    # ---- echoed credentials (--echo-credentials) ---------------------------------
    def echoed_credentials(self, req):
        auth = req.headers.get("Authorization") or ""
        echoed = {"authorization": auth}
        for name, values in req.query.items():
            if name.startswith("oauth_") or name in ("consumer_key", "consumer_secret"):
                echoed[name] = values[0]
        if auth.startswith("Basic "):
            try:
                key, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                echoed.update({"consumer_key": key, "consumer_secret": secret})
            except ValueError:
                pass
        elif auth.startswith("OAuth "):
            echoed.update({k: v for k, v in self.oauth_params(req).items() if k.startswith("oauth_")})
        return echoed

    def echo_401(self, req):
        echoed = self.echoed_credentials(req)
        body = {"code": "woocommerce_rest_authentication_error",
                "message": "Invalid credentials: Authorization: %s (consumer_key %s)"
                           % (echoed["authorization"], echoed.get("consumer_key",
                                                                  echoed.get("oauth_consumer_key"))),
                "data": {"status": 401, "request": echoed}}
        # PHP's json_encode (wp_json_encode) escapes "/" as "\/".
        return 401, {"Content-Type": "application/json"}, json.dumps(body).replace("/", "\\/")

    def echo_record(self, req, rows):
        bogus = {"id": "echo", "email": "echo@example.test",
                 "meta_data": [{"key": k, "value": v}
                               for k, v in sorted(self.echoed_credentials(req).items())]}
        return rows + [bogus]

    # ---- authentication (REST API docs, "Authentication over HTTP") -------------
    def authenticate(self, req):
        """None when allowed, else an error response."""
        if self.echo == "401":
            return self.echo_401(req)
        if self._tls is not None:
            key, secret = req.arg("consumer_key"), req.arg("consumer_secret")
            auth = req.headers.get("Authorization") or ""
            if key is None and auth.startswith("Basic "):
                try:
                    key, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                except ValueError:
                    key = None
            if key is not None:
                return self.check_basic(key, secret)
        return self.check_oauth(req)

    def check_basic(self, key, secret):
        realm = {"WWW-Authenticate": 'Basic realm="WooCommerce REST API"'}
        if key != self.key:
            s, h, b = wp_error(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
            return s, realm, b
        if not hmac.compare_digest((secret or "").encode(), self.secret.encode()):
            s, h, b = wp_error(401, "woocommerce_rest_authentication_error",
                               "Consumer secret is invalid.")
            return s, realm, b
        return None

    def oauth_params(self, req):
        params = {k: v[0] for k, v in req.query.items()}
        ctype = req.headers.get("Content-Type") or ""
        if req.body and "application/x-www-form-urlencoded" in ctype:
            params.update({k: v[0] for k, v in urllib.parse.parse_qs(req.body.decode()).items()})
        auth = req.headers.get("Authorization") or ""
        if auth.startswith("OAuth "):
            for part in auth[6:].split(","):
                k, _, v = part.strip().partition("=")
                if k and k != "realm":
                    params[k] = urllib.parse.unquote(v.strip().strip('"'))
        return params

    def check_oauth(self, req):
        params = self.oauth_params(req)
        required = ["oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature",
                    "oauth_signature_method"]
        missing = [p for p in required if not params.get(p)]
        if len(missing) == len(required):
            return wp_error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
        if missing:
            return wp_error(401, "woocommerce_rest_authentication_missing_parameter",
                            "Missing OAuth parameter %s" % ", ".join(missing))
        if params["oauth_consumer_key"] != self.key:
            return wp_error(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
        method = params["oauth_signature_method"]
        digest = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256}.get(method)
        if digest is None:
            return wp_error(401, "woocommerce_rest_authentication_error",
                            "Invalid signature - signature method is invalid.")
        scheme = "https" if self._tls is not None else "http"
        base_uri = "%s://127.0.0.1:%d%s" % (scheme, self.server_address[1], req.path)
        signed = sorted((k, v) for k, v in params.items() if k != "oauth_signature")
        pairs = [rfc3986(rfc3986(k) + "=" + rfc3986(v)) for k, v in signed]
        to_sign = req.method.upper() + "&" + rfc3986(base_uri) + "&" + "%26".join(pairs)
        expected = base64.b64encode(hmac.new((self.secret + "&").encode(), to_sign.encode(),
                                             digest).digest()).decode()
        given = urllib.parse.unquote(params["oauth_signature"].replace(" ", "+"))
        if not hmac.compare_digest(expected.encode(), given.encode()):
            return wp_error(401, "woocommerce_rest_authentication_error",
                            "Invalid signature - provided signature does not match.")
        return self.check_timestamp_and_nonce(params)

    def check_timestamp_and_nonce(self, params):
        now = int(time.time())
        try:
            ts = int(params["oauth_timestamp"])
        except ValueError:
            ts = -1
        if abs(now - ts) > NONCE_WINDOW:
            return wp_error(401, "woocommerce_rest_authentication_error", "Invalid timestamp.")
        with self.data_lock:
            used = self.nonces.setdefault(params["oauth_consumer_key"], {})
            for nonce, when in list(used.items()):
                if when < now - NONCE_WINDOW:
                    del used[nonce]
            if params["oauth_nonce"] in used:
                return wp_error(401, "woocommerce_rest_authentication_error",
                                "Invalid nonce - nonce has already been used.")
            used[params["oauth_nonce"]] = ts
        return None

    # ---- collections (REST API docs, "List all orders" / "List all customers") --
    def collection_handler(self, resource):
        return lambda req: self.collection(resource, req)

    def item_handler(self, resource):
        def handler(req):
            denied = self.authenticate(req)
            if denied:
                return denied
            with self.data_lock:
                item = getattr(self.data, resource).get(int(req.match.group(1)))
                item = json.loads(json.dumps(item))
            if item is None:
                return wp_error(404, "woocommerce_rest_%s_invalid_id" % resource, "Invalid ID.")
            return 200, {}, item
        return handler

    def collection(self, resource, req):
        denied = self.authenticate(req)
        if denied:
            return denied
        try:
            per_page = int(req.arg("per_page", "10"))
            page = int(req.arg("page", "1"))
        except ValueError:
            per_page, page = 0, 0
        if not 1 <= per_page <= 100:
            return wp_error(400, "rest_invalid_param", "Invalid parameter(s): per_page",
                            {"params": {"per_page": "per_page must be between 1 (inclusive) "
                                                    "and 100 (inclusive)"}})
        if page < 1:
            return wp_error(400, "rest_invalid_param", "Invalid parameter(s): page",
                            {"params": {"page": "page must be greater than or equal to 1"}})
        with self.data_lock:
            rows = json.loads(json.dumps(list(getattr(self.data, resource).values())))
        rows = self.filter_and_sort(resource, req, rows)
        if isinstance(rows, tuple):
            return rows
        total = len(rows)
        pages = (total + per_page - 1) // per_page
        body = rows[(page - 1) * per_page: page * per_page]
        self.add_records(len(body))
        if self.echo == "record" and page == 1:
            body = self.echo_record(req, body)
        return 200, {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages),
                     "Link": self.link(req, page, pages)}, body

    def filter_and_sort(self, resource, req, rows):
        gmt_dates = req.arg("dates_are_gmt", "false") in ("true", "1")
        suffix = "_gmt" if gmt_dates else ""
        if resource != "customers":  # customers have no date filters ("List all customers")
            for param, field, after in (("modified_after", "date_modified", True),
                                        ("modified_before", "date_modified", False),
                                        ("after", "date_created", True),
                                        ("before", "date_created", False)):
                value = req.arg(param)
                if value is None:
                    continue
                try:
                    bound = parse_gmt(value)
                except ValueError:
                    return wp_error(400, "rest_invalid_param", "Invalid parameter(s): " + param,
                                    {"params": {param: "Invalid date."}})
                column = field + suffix
                rows = [r for r in rows if (parse_gmt(r[column]) > bound if after
                                            else parse_gmt(r[column]) < bound)]
        status = req.arg("status", "any")
        if resource == "orders" and status != "any":
            wanted = status.split(",")
            rows = [r for r in rows if r["status"] in wanted]
        default_by, default_order = ("name", "asc") if resource == "customers" else ("date", "desc")
        by = req.arg("orderby", default_by)
        order = req.arg("order", default_order)
        keys = {"id": lambda r: (r["id"],),
                "date": lambda r: (r["date_created_gmt"], r["id"]),
                "registered_date": lambda r: (r["date_created_gmt"], r["id"]),
                "modified": lambda r: (r["date_modified_gmt"], r["id"]),
                "name": lambda r: (r.get("last_name", r.get("name", "")), r["id"]),
                "title": lambda r: (r.get("name", ""), r["id"])}
        if by not in keys or order not in ("asc", "desc"):
            return wp_error(400, "rest_invalid_param", "Invalid parameter(s): orderby, order",
                            {"params": {"orderby": "orderby is not one of %s." % ", ".join(keys)}})
        return sorted(rows, key=keys[by], reverse=order == "desc")

    def link(self, req, page, pages):
        scheme = "https" if self._tls is not None else "http"
        def url(p):
            q = dict((k, v[0]) for k, v in req.query.items())
            q["page"] = str(p)
            return "<%s://127.0.0.1:%d%s?%s>" % (scheme, self.server_address[1], req.path,
                                                 urllib.parse.urlencode(q))
        links = []
        if page < pages:
            links.append(url(page + 1) + '; rel="next"')
        if page > 1:
            links.append(url(page - 1) + '; rel="prev"')
        return ", ".join(links)


def send_webhook(args):
    """Posts one delivery the way WC_Webhook::deliver() does (REST API docs,
    "Webhooks", "Delivery/payload")."""
    if args.ping:
        body = ("webhook_id=%d" % args.webhook_id).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
    else:
        data = fixture(args)
        resource, _, event = args.topic.partition(".")
        record = (data.orders if resource == "order" else data.customers)[args.id]
        if args.touch:
            data.touch(record, int(time.time()), complete=True)
        body = json.dumps(record).encode()
        digest = hmac.new(args.secret.encode(), body, hashlib.sha256).digest()
        signature = base64.b64encode(digest).decode()
        if args.bad_signature:
            signature = base64.b64encode(hashlib.sha256(b"wrong").digest()).decode()
        headers = {"Content-Type": "application/json",
                   "User-Agent": "WooCommerce/9.0.0 Hookshot (WordPress/6.5)",
                   "X-WC-Webhook-Source": "http://127.0.0.1/",
                   "X-WC-Webhook-Topic": args.topic, "X-WC-Webhook-Resource": resource,
                   "X-WC-Webhook-Event": event, "X-WC-Webhook-Signature": signature,
                   "X-WC-Webhook-ID": str(args.webhook_id),
                   "X-WC-Webhook-Delivery-ID": args.delivery_id or hashlib.md5(
                       ("%d%d" % (args.webhook_id, int(time.time()))).encode()).hexdigest()}
    request = urllib.request.Request(args.send_webhook, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            print(r.status)
    except urllib.error.HTTPError as e:
        print(e.code)


def print_expected(args):
    """Per buyer (billing email): Order Completed count and revenue of the
    seeded data, computed from the fixture alone (the tests' oracle)."""
    data = fixture(args)
    buyers = {}
    for o in data.orders.values():
        if o["status"] in ("completed", "processing"):
            count, cents = buyers.get(o["billing"]["email"], (0, 0))
            total = o["total"].replace(".", "")
            buyers[o["billing"]["email"]] = (count + 1, cents + int(total))
    for email, (count, cents) in sorted(buyers.items()):
        print(json.dumps({"email": email, "order_count": count,
                          "revenue": data.money(cents)}))


def fixture(args):
    return Fixture(args.seed, args.customers, args.orders, load_people(args.people),
                   args.currency)


if __name__ == "__main__":
    p = cb.base_arguments("WooCommerce wc/v3 contract server")
    p.add_argument("--customers", type=int, default=20)
    p.add_argument("--orders", type=int, default=60)
    p.add_argument("--consumer-key", default="ck_test_key")
    p.add_argument("--consumer-secret", default="cs_test_secret")
    p.add_argument("--send-webhook", help="POST one webhook delivery to this URL and exit")
    p.add_argument("--secret", default="")
    p.add_argument("--topic", default="order.updated")
    p.add_argument("--id", type=int, default=1)
    p.add_argument("--webhook-id", type=int, default=7)
    p.add_argument("--delivery-id")
    p.add_argument("--touch", action="store_true", help="send the record as modified now")
    p.add_argument("--bad-signature", action="store_true")
    p.add_argument("--ping", action="store_true")
    p.add_argument("--print-expected", action="store_true")
    p.add_argument("--people", help="JSON array of people taking the first customers' places")
    p.add_argument("--currency", help="every order in this currency (default: EUR, some IRR)")
    p.add_argument("--dump", help="write the fixture truth (JSON) here")
    p.add_argument("--echo-credentials", choices=["401", "record"],
                   help="quote the request's credentials in a 401 body or a bogus record")
    cli = p.parse_args()
    if cli.print_expected:
        print_expected(cli)
        sys.exit(0)
    if cli.send_webhook:
        send_webhook(cli)
        sys.exit(0)
    cb.main(lambda args: WooServer(args), p)
