"""square_server.py -- contract server for Square Orders and Customers
(docs: https://developer.squareup.com/reference/square/orders-api/search-orders), on contract_base.

Reproduces: Bearer auth (401 UNAUTHORIZED), the Square-Version header
(missing -> 400 BAD_REQUEST), POST /v2/orders/search with location_ids,
limit (<= 1000), state/date filters, sort, `return_entries`, and cursor
paging where a follow-up page must repeat the first query exactly (else 400
INVALID_VALUE); the rule that a date_time_filter field must match the sort
field (else 400); POST /v2/customers/search and GET /v2/customers (limit
1..100, VALUE_TOO_LOW/HIGH); Money as int64 minor units; Square's error shape
{"errors":[{"category","code","detail"}]}.
Faults: base kinds ("429" answers RATE_LIMITED); `modify` specs understood
here (extra JSON fields of the fault):
  {"respond": 429}                     RATE_LIMITED with no headers at all
  {"late_order": {"hours_ago": H, "customer_id": C, "amount": A}}
        create a COMPLETED order whose created_at/updated_at are H hours ago
        (an offline POS order synced late); an optional "location_id" fixes
        its location (else a seeded random one)
  {"touch_orders": [id, ...]}          bump updated_at (now) and version
Fixture truth: --dump FILE is (re)written atomically on every change.
Joint fixtures: --people FILE (JSON array of {"first_name","last_name",
"email","phone"}, phone in E.164) makes customer CUST000i person i-1
(given_name, family_name, email_address, phone_number; empty -> omitted);
--currency CODE labels every Money (default USD). Amounts are minor units of
that currency, so with IRR (0 minor units) an amount is whole rials.
"""

import base64
import hashlib
import json
import os
import random
import threading
import time

import contract_base as cb

VERSION = "2025-01-23"
LOCATIONS = ["L1", "L2", "L3"]
ITEMS = [("Latte", 450), ("Espresso", 300), ("Croissant", 375), ("Tea", 250), ("Bagel", 525)]


def iso_ms(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)


def parse_iso_ms(text):
    import calendar
    text = text.rstrip("Z")
    base, _, frac = text.partition(".")
    return calendar.timegm(time.strptime(base, "%Y-%m-%dT%H:%M:%S")) * 1000 + int((frac + "000")[:3])


def error(status, category, code, detail, field=None):
    e = {"category": category, "code": code, "detail": detail}
    if field:
        e["field"] = field
    return status, {}, {"errors": [e]}


class SquareServer(cb.ContractServer):
    def __init__(self, args):
        super().__init__(seed=args.seed, tls_context=cb.tls_context(args), verbose=args.verbose)
        self.token = args.token
        self.dump = args.dump
        self.data_lock = threading.Lock()
        self.rng = random.Random(self.seed)
        self.currency = args.currency
        self.customers = self._seed_customers(args.customers)
        self._apply_people(args.people)
        self.orders = {}
        for _ in range(args.orders):
            self._add_order(self._random_age_ms())
        self._write_dump()
        self.route("POST", r"/v2/orders/search", self.search_orders)
        self.route("POST", r"/v2/customers/search", self.search_customers)
        self.route("GET", r"/v2/customers", self.list_customers)

    # ---- fixtures ------------------------------------------------------------
    def _random_age_ms(self):
        # Most orders are older than the 72 h late-arrival window, some newer.
        hours = self.rng.choice([self.rng.randint(100, 700), self.rng.randint(1, 60)])
        return hours * 3600000 + self.rng.randint(0, 3599999)

    def _seed_customers(self, n):
        now = int(time.time() * 1000)
        out = {}
        for i in range(n):
            cid = "CUST%04d" % (i + 1)
            created = now - self.rng.randint(800, 2000) * 3600000
            out[cid] = {"id": cid, "created_at": iso_ms(created), "updated_at": iso_ms(created),
                        "given_name": self.rng.choice(["Sara", "Ali", "Neda", "Omid", "Jane"]),
                        "family_name": self.rng.choice(["Karimi", "Doe", "Rostami"]),
                        "email_address": "%s@shop.example.test" % cid.lower(),
                        "phone_number": "+98912%07d" % (1000000 + i),
                        "creation_source": "THIRD_PARTY", "version": 1}
        return out

    def _apply_people(self, path):
        if not path:
            return
        with open(path) as f:
            people = json.load(f)
        for cid, person in zip(sorted(self.customers), people):
            c = self.customers[cid]
            for field, key in (("given_name", "first_name"), ("family_name", "last_name"),
                               ("email_address", "email"), ("phone_number", "phone")):
                c.pop(field, None)
                if person.get(key):
                    c[field] = person[key]

    def _add_order(self, age_ms, customer_id=None, amount=None, state=None, location_id=None):
        now = int(time.time() * 1000)
        oid = "ORD%05d" % (len(self.orders) + 1)
        when = now - age_ms
        lines = []
        for k in range(self.rng.randint(1, 3)):
            name, price = self.rng.choice(ITEMS)
            qty = self.rng.randint(1, 3)
            lines.append({"uid": "%s-li%d" % (oid, k), "name": name, "quantity": str(qty),
                          "catalog_object_id": "CAT-" + name.upper(),
                          "base_price_money": {"amount": price, "currency": self.currency},
                          "total_money": {"amount": price * qty, "currency": self.currency}})
        total = amount if amount is not None else sum(l["total_money"]["amount"] for l in lines)
        state = state or self.rng.choice(["COMPLETED"] * 8 + ["OPEN", "CANCELED"])
        location = self.rng.choice(LOCATIONS)  # drawn always: the seeded sequence stays the same
        order = {"id": oid, "location_id": location_id or location, "state": state,
                 "customer_id": customer_id or self.rng.choice(sorted(self.customers)),
                 "version": 1, "created_at": iso_ms(when), "updated_at": iso_ms(when + 60000),
                 "source": {"name": "Square Point of Sale"}, "line_items": lines,
                 "total_money": {"amount": total, "currency": self.currency},
                 "total_tax_money": {"amount": 0, "currency": self.currency}}
        if state == "COMPLETED":
            order["closed_at"] = iso_ms(when + 60000)
        self.orders[oid] = order
        return order

    def _write_dump(self):
        if not self.dump:
            return
        tmp = self.dump + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"customers": sorted(self.customers.values(), key=lambda c: c["id"]),
                       "orders": sorted(self.orders.values(), key=lambda o: o["id"])}, f)
        os.replace(tmp, self.dump)

    # ---- hooks ---------------------------------------------------------------
    def error_response(self, status, req, message):
        if status == 429:
            return {}, {"errors": [{"category": "RATE_LIMIT_ERROR", "code": "RATE_LIMITED",
                                    "detail": message}]}
        category = "API_ERROR" if status >= 500 else "INVALID_REQUEST_ERROR"
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(
            status, "INTERNAL_SERVER_ERROR" if status >= 500 else "BAD_REQUEST")
        return {}, {"errors": [{"category": category, "code": code, "detail": message}]}

    def on_modify_fault(self, req, fault):
        spec = fault["spec"]
        with self.data_lock:
            if spec.get("respond"):
                req.forced = int(spec["respond"])
            late = spec.get("late_order")
            if late:
                self._add_order(int(float(late.get("hours_ago", 10)) * 3600000),
                                late.get("customer_id"), late.get("amount"), "COMPLETED",
                                late.get("location_id"))
            now = int(time.time() * 1000)
            for oid in spec.get("touch_orders", []):
                o = self.orders[oid]
                o["updated_at"] = iso_ms(now)
                o["version"] += 1
            self._write_dump()

    # ---- shared checks ---------------------------------------------------------
    def _precheck(self, req):
        if (req.headers.get("Authorization") or "") != "Bearer " + self.token:
            return error(401, "AUTHENTICATION_ERROR", "UNAUTHORIZED",
                         "This request could not be authorized.")
        if not req.headers.get("Square-Version"):
            return error(400, "INVALID_REQUEST_ERROR", "BAD_REQUEST",
                         "Square-Version header is required")
        if getattr(req, "forced", None) == 429:
            return 429, {}, {"errors": [{"category": "RATE_LIMIT_ERROR", "code": "RATE_LIMITED"}]}
        return None

    @staticmethod
    def _query_hash(body):
        q = {k: v for k, v in body.items() if k != "cursor"}
        return hashlib.sha256(json.dumps(q, sort_keys=True).encode()).hexdigest()[:16]

    def _page(self, body, rows, key=None):
        """Cursor paging with the identical-query rule; returns (page, next) or an error.
        With `key` (the sort key of a row) the cursor is a keyset position, so
        rows that move (updated between pages) never shift unread rows."""
        qh = self._query_hash(body)
        offset = 0
        if body.get("cursor"):
            try:
                token = json.loads(base64.b64decode(body["cursor"]))
            except ValueError:
                return None, error(400, "INVALID_REQUEST_ERROR", "INVALID_CURSOR", "bad cursor",
                                   "cursor")
            if token["q"] != qh:
                return None, error(400, "INVALID_REQUEST_ERROR", "INVALID_VALUE",
                                   "The query must be identical to the one that produced "
                                   "the cursor", "cursor")
            offset = token["o"]
            if key and token.get("k") is not None:
                last = tuple(token["k"])
                offset = next((i for i, r in enumerate(rows) if tuple(key(r)) > last), len(rows))
        limit = body["_limit"]
        page = rows[offset:offset + limit]
        nxt = None
        if offset + limit < len(rows):
            pos = {"q": qh, "o": offset + limit, "k": list(key(page[-1])) if key else None}
            nxt = base64.b64encode(json.dumps(pos).encode()).decode()
        return (page, nxt), None

    @staticmethod
    def _in_range(value, rng):
        ms = parse_iso_ms(value)
        if rng.get("start_at") and ms < parse_iso_ms(rng["start_at"]):
            return False
        if rng.get("end_at") and ms > parse_iso_ms(rng["end_at"]):
            return False
        return True

    # ---- routes ----------------------------------------------------------------
    def search_orders(self, req):
        err = self._precheck(req)
        if err:
            return err
        body = req.json() or {}
        locs = body.get("location_ids") or []
        if not 1 <= len(locs) <= 10:
            return error(400, "INVALID_REQUEST_ERROR", "INVALID_VALUE",
                         "location_ids must have 1 to 10 entries", "location_ids")
        limit = int(body.get("limit", 500))
        if limit < 1 or limit > 1000:
            return error(400, "INVALID_REQUEST_ERROR",
                         "VALUE_TOO_HIGH" if limit > 1000 else "VALUE_TOO_LOW",
                         "limit must be 1..1000", "limit")
        query = body.get("query", {})
        filt = query.get("filter", {})
        dtf = filt.get("date_time_filter", {})
        sort = query.get("sort", {"sort_field": "CREATED_AT", "sort_order": "ASC"})
        sort_field = sort.get("sort_field", "CREATED_AT")
        if len(dtf) > 1:
            return error(400, "INVALID_REQUEST_ERROR", "INVALID_VALUE",
                         "only one date_time_filter field may be set", "query.filter")
        if dtf and list(dtf)[0].upper() != sort_field:
            return error(400, "INVALID_REQUEST_ERROR", "INVALID_VALUE",
                         "sort_field must match the date_time_filter field",
                         "query.sort.sort_field")
        states = filt.get("state_filter", {}).get("states")
        if sort_field == "CLOSED_AT" and (not states or "OPEN" in states):
            return error(400, "INVALID_REQUEST_ERROR", "INVALID_VALUE",
                         "CLOSED_AT sort requires a COMPLETED-only state filter",
                         "query.sort.sort_field")
        key = sort_field.lower()
        with self.data_lock:
            rows = [o for o in self.orders.values() if o["location_id"] in locs
                    and (not states or o["state"] in states)
                    and all(self._in_range(o.get(f, o["created_at"]), r) for f, r in dtf.items())
                    and o.get(key)]
            desc = sort.get("sort_order") == "DESC"
            rows.sort(key=lambda o: (parse_iso_ms(o[key]), o["id"]), reverse=desc)
            body["_limit"] = limit
            keyset = None if desc else (lambda o: (parse_iso_ms(o[key]), o["id"]))
            result, err = self._page(body, rows, keyset)
        if err:
            return err
        page, nxt = result
        self.add_records(len(page))
        out = {}
        if page:
            out["order_entries" if body.get("return_entries") else "orders"] = [
                {"order_id": o["id"], "version": o["version"], "location_id": o["location_id"]}
                if body.get("return_entries") else o for o in page]
        if nxt:
            out["cursor"] = nxt
        return 200, {}, out

    def _customer_limit(self, limit):
        if limit < 1:
            return error(400, "INVALID_REQUEST_ERROR", "VALUE_TOO_LOW", "limit >= 1", "limit")
        if limit > 100:
            return error(400, "INVALID_REQUEST_ERROR", "VALUE_TOO_HIGH", "limit <= 100", "limit")
        return None

    def search_customers(self, req):
        err = self._precheck(req)
        if err:
            return err
        body = req.json() or {}
        limit = int(body.get("limit", 100))
        err = self._customer_limit(limit)
        if err:
            return err
        filt = body.get("query", {}).get("filter", {})
        with self.data_lock:
            rows = [c for c in self.customers.values()
                    if all(self._in_range(c[f], filt[f]) for f in ("created_at", "updated_at")
                           if f in filt)]
            rows.sort(key=lambda c: (c["created_at"], c["id"]))
            body["_limit"] = limit
            result, err = self._page(body, rows)
        if err:
            return err
        page, nxt = result
        self.add_records(len(page))
        out = {"customers": page} if page else {}
        if nxt:
            out["cursor"] = nxt
        return 200, {}, out

    def list_customers(self, req):
        err = self._precheck(req)
        if err:
            return err
        limit = int(req.arg("limit", "100"))
        err = self._customer_limit(limit)
        if err:
            return err
        body = {"_limit": limit, "sort_field": req.arg("sort_field", "DEFAULT"),
                "sort_order": req.arg("sort_order", "ASC")}
        if req.arg("cursor"):
            body["cursor"] = req.arg("cursor")
        with self.data_lock:
            rows = sorted(self.customers.values(), key=lambda c: (c["created_at"], c["id"]))
            result, err = self._page(body, rows)
        if err:
            return err
        page, nxt = result
        self.add_records(len(page))
        out = {"customers": page} if page else {}
        if nxt:
            out["cursor"] = nxt
        return 200, {}, out


if __name__ == "__main__":
    p = cb.base_arguments("Square Orders/Customers contract server")
    p.add_argument("--token", default="EAAA-contract-test")
    p.add_argument("--customers", type=int, default=40)
    p.add_argument("--orders", type=int, default=150)
    p.add_argument("--dump", help="write the fixture truth (JSON) here")
    p.add_argument("--people", help="JSON array of people taking the first customers' places")
    p.add_argument("--currency", default="USD", help="currency of every Money object")
    cb.main(lambda args: SquareServer(args), p)
