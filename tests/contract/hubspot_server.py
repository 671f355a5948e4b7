"""hubspot_server.py -- contract server for the HubSpot CRM v3 contacts API
(docs: https://developers.hubspot.com/docs/api/crm/contacts), on contract_base.

Reproduces: Bearer auth (401 INVALID_AUTHENTICATION), the contacts list with
`limit` (<= 100) and the `paging.next.after` cursor (absent on the last page),
the search endpoint (filterGroups/filters/sorts caps, limit <= 200, at most
10,000 results per query -> 400, epoch-millisecond date filters, `total`),
rate-limit headers on list responses (none on search), HubSpot's error
shapes. Faults: base kinds; a "429" fault answers with a SECONDLY body;
`modify` specs understood here (extra JSON fields of the fault):
  {"touch": ["id", ...]}      set lastmodifieddate of those contacts to now
  {"respond": "DAILY"|"SECONDLY"} answer this request with that 429 body
Fixture truth: --dump FILE is (re)written atomically with every contact
whenever the data changes, so tests compare against it.
Joint fixtures: --people FILE (JSON array of {"first_name","last_name",
"email","phone"}, phone in E.164) makes contact i (in id order) person i:
firstname/lastname/email/phone properties as given (empty -> null).
Invariant: all property values are strings (or null), ids are digit strings.
"""

import json
import os
import random
import threading
import time
import uuid

import contract_base as cb

LIST_PATH = "/crm/v3/objects/contacts"
SEARCH_PATH = "/crm/v3/objects/contacts/search"
DEFAULT_PROPS = ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate",
                 "lastname"]
FIRST = ["Sara", "Ali", "Maryam", "Reza", "Jane", "John", "Neda", "Omid"]
LAST = ["Ahmadi", "Karimi", "Doe", "Smith", "Rostami", "Hosseini"]
STAGES = ["subscriber", "lead", "customer", "evangelist"]


def iso_ms(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)


def parse_iso_ms(text):
    base, frac = text.rstrip("Z").split(".")
    import calendar
    return calendar.timegm(time.strptime(base, "%Y-%m-%dT%H:%M:%S")) * 1000 + int(frac[:3])


class HubSpotServer(cb.ContractServer):
    def __init__(self, args):
        super().__init__(seed=args.seed, tls_context=cb.tls_context(args), verbose=args.verbose)
        self.token = args.token
        self.dump = args.dump
        self.search_cap = args.search_cap
        self.rate_max = args.rate_max
        self.data_lock = threading.Lock()
        self.window = [0, 0]  # [window start ms, calls in window]
        self.contacts = self._seed(args.contacts)
        self._apply_people(args.people)
        self._write_dump()
        self.route("GET", LIST_PATH, self.list_contacts)
        self.route("POST", SEARCH_PATH, self.search_contacts)

    # ---- fixtures ------------------------------------------------------------
    def _seed(self, n):
        rng = random.Random(self.seed)
        now = int(time.time() * 1000)
        contacts = {}
        for i in range(n):
            cid = str(1001 + i)
            created = now - rng.randint(40, 400) * 86400000
            modified = now - rng.randint(3600000, 30 * 86400000)
            props = {"email": "c%s@example.test" % cid,
                     "firstname": rng.choice(FIRST), "lastname": rng.choice(LAST),
                     "phone": "+1555%07d" % (1000000 + i) if i % 5 else None,
                     "lifecyclestage": rng.choice(STAGES), "hs_object_id": cid,
                     "createdate": iso_ms(created), "lastmodifieddate": iso_ms(modified)}
            contacts[cid] = {"id": cid, "properties": props, "createdAt": iso_ms(created),
                             "updatedAt": iso_ms(modified), "archived": False}
        return contacts

    def _apply_people(self, path):
        if not path:
            return
        with open(path) as f:
            people = json.load(f)
        for cid, person in zip(sorted(self.contacts, key=int), people):
            props = self.contacts[cid]["properties"]
            props.update({"firstname": person.get("first_name") or None,
                          "lastname": person.get("last_name") or None,
                          "email": person.get("email") or None,
                          "phone": person.get("phone") or None})

    def _write_dump(self):
        if not self.dump:
            return
        tmp = self.dump + ".tmp"
        with open(tmp, "w") as f:
            json.dump(sorted(self.contacts.values(), key=lambda c: int(c["id"])), f)
        os.replace(tmp, self.dump)

    def touch(self, ids):
        with self.data_lock:
            now = int(time.time() * 1000)
            for cid in ids:
                c = self.contacts[cid]
                c["properties"]["lastmodifieddate"] = iso_ms(now)
                c["updatedAt"] = iso_ms(now)
            self._write_dump()

    # ---- hooks ---------------------------------------------------------------
    def error_response(self, status, req, message):
        if status == 429:
            return {}, self._rate_body("TEN_SECONDLY_ROLLING")
        category = {401: "INVALID_AUTHENTICATION", 404: "OBJECT_NOT_FOUND"}.get(
            status, "VALIDATION_ERROR" if status < 500 else "INTERNAL_ERROR")
        return {}, {"status": "error", "message": message, "category": category,
                    "correlationId": str(uuid.uuid4())}

    def on_modify_fault(self, req, fault):
        spec = fault["spec"]
        if spec.get("touch"):
            self.touch([str(i) for i in spec["touch"]])
        if spec.get("respond"):
            req.forced = spec["respond"]

    @staticmethod
    def _rate_body(policy):
        return {"status": "error", "message": "You have reached your %s limit." % policy.lower(),
                "errorType": "RATE_LIMIT", "correlationId": str(uuid.uuid4()),
                "policyName": policy, "requestId": str(uuid.uuid4())}

    # ---- shared checks ---------------------------------------------------------
    def _precheck(self, req):
        """An error response for auth/forced faults, or None."""
        auth = req.headers.get("Authorization") or ""
        if auth != "Bearer " + self.token:
            return 401, {}, {"status": "error", "category": "INVALID_AUTHENTICATION",
                             "message": "Authentication credentials not found.",
                             "correlationId": str(uuid.uuid4())}
        forced = getattr(req, "forced", None)
        if forced in ("DAILY", "SECONDLY"):
            headers = {"Retry-After": "1"} if forced == "SECONDLY" else {}
            return 429, headers, self._rate_body(forced)
        return None

    def _rate_headers(self):
        now = int(time.time() * 1000)
        with self.data_lock:
            if now - self.window[0] >= 10000:
                self.window = [now, 0]
            self.window[1] += 1
            remaining = max(0, self.rate_max - self.window[1])
        return {"X-HubSpot-RateLimit-Max": str(self.rate_max),
                "X-HubSpot-RateLimit-Remaining": str(remaining),
                "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
                "X-HubSpot-RateLimit-Daily": "250000",
                "X-HubSpot-RateLimit-Daily-Remaining": "249000"}

    @staticmethod
    def _bad(message):
        return 400, {}, {"status": "error", "message": message, "category": "VALIDATION_ERROR",
                         "correlationId": str(uuid.uuid4())}

    @staticmethod
    def _project(contact, props):
        out = dict(contact)
        out["properties"] = {p: contact["properties"].get(p) for p in props}
        return out

    # ---- routes ----------------------------------------------------------------
    def list_contacts(self, req):
        err = self._precheck(req)
        if err:
            return err
        limit = int(req.arg("limit", "10"))
        if limit < 1 or limit > 100:
            return self._bad("limit must be between 1 and 100")
        props = [p for p in ",".join(req.query.get("properties", [])).split(",") if p] \
            or DEFAULT_PROPS
        after = req.arg("after")
        with self.data_lock:
            ids = sorted(self.contacts, key=int)
            start = 0
            if after:  # HubSpot's list cursor: the id to continue from
                start = next((i for i, cid in enumerate(ids) if int(cid) >= int(after)), len(ids))
            page = [self._project(self.contacts[c], props) for c in ids[start:start + limit]]
            more = start + limit < len(ids)
            body = {"results": page}
            if more:
                nxt = ids[start + limit]
                body["paging"] = {"next": {"after": nxt,
                                           "link": "%s?after=%s" % (LIST_PATH, nxt)}}
        self.add_records(len(page))
        return 200, self._rate_headers(), body

    def search_contacts(self, req):
        err = self._precheck(req)
        if err:
            return err
        try:
            body = req.json() or {}
        except ValueError:
            return self._bad("Invalid input JSON")
        groups = body.get("filterGroups", [])
        if len(groups) > 5 or any(len(g.get("filters", [])) > 10 for g in groups) or \
                sum(len(g.get("filters", [])) for g in groups) > 25:
            return self._bad("Too many filters: at most 5 groups, 10 per group, 25 in total")
        limit = int(body.get("limit", 10))
        if limit < 1 or limit > 200:
            return self._bad("limit must be between 1 and 200")
        offset = int(body.get("after") or 0)
        if offset + limit > self.search_cap:
            return self._bad("paging past %d results is not supported" % self.search_cap)
        props = body.get("properties") or DEFAULT_PROPS
        with self.data_lock:
            rows = [c for c in self.contacts.values() if self._matches(c, groups)]
            for s in reversed(body.get("sorts", [])):
                rows.sort(key=lambda c: self._sort_key(c, s["propertyName"]),
                          reverse=s.get("direction") == "DESCENDING")
            page = [self._project(c, props) for c in rows[offset:offset + limit]]
        out = {"total": len(rows), "results": page}
        if offset + limit < len(rows):
            out["paging"] = {"next": {"after": str(offset + limit)}}
        self.add_records(len(page))
        return 200, {}, out

    @staticmethod
    def _sort_key(contact, prop):
        value = contact["properties"].get(prop) or ""
        if prop in ("lastmodifieddate", "createdate") and value:
            return (parse_iso_ms(value), int(contact["id"]))
        return (value, int(contact["id"]))

    @staticmethod
    def _matches(contact, groups):
        if not groups:
            return True
        for g in groups:
            if all(HubSpotServer._filter(contact, f) for f in g.get("filters", [])):
                return True
        return False

    @staticmethod
    def _filter(contact, f):
        value = contact["properties"].get(f["propertyName"])
        op = f["operator"]
        if op == "HAS_PROPERTY":
            return value is not None
        if value is None:
            return op == "NOT_HAS_PROPERTY"
        if f["propertyName"] in ("lastmodifieddate", "createdate"):
            value, target = parse_iso_ms(value), int(f.get("value", "0"))
        else:
            target = f.get("value")
        return {"EQ": value == target, "NEQ": value != target, "GT": value > target,
                "GTE": value >= target, "LT": value < target, "LTE": value <= target}[op]


if __name__ == "__main__":
    p = cb.base_arguments("HubSpot CRM v3 contacts contract server")
    p.add_argument("--token", default="pat-na1-contract-test")
    p.add_argument("--contacts", type=int, default=230)
    p.add_argument("--dump", help="write the fixture truth (JSON array) here")
    p.add_argument("--people", help="JSON array of people taking the first contacts' places")
    p.add_argument("--search-cap", type=int, default=10000)
    p.add_argument("--rate-max", type=int, default=190, help="calls per 10 s window")
    cb.main(lambda args: HubSpotServer(args), p)
