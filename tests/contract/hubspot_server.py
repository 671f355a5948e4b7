"""hubspot_server.py -- contract server for the HubSpot CRM v3 contacts API
(docs: https://developers.hubspot.com/docs/api/crm/contacts), on contract_base.

Reproduces: Bearer auth (401 INVALID_AUTHENTICATION), the contacts list with
`limit` (<= 100) and the `paging.next.after` cursor (absent on the last page),
the search endpoint (filterGroups/filters/sorts caps, limit <= 200, at most
10,000 results per query -> 400, epoch-millisecond date filters, `total`),
rate-limit headers on list and batch upsert responses (none on search), a
burst limit on them (more than --rate-max calls in a --rate-window-ms window
-> 429 TEN_SECONDLY_ROLLING with Retry-After: the seconds left in the
window), HubSpot's error shapes.

Batch upsert (POST /crm/v3/objects/contacts/batch/upsert, docs:
https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/contacts/batch/upsert-contacts):
`inputs` of {"id": email, "idProperty": "email", "properties": {...},
"objectWriteTraceId"}, upserted by email (any case): a new contact gets the
next id and `new: true`, an existing one has the given properties replaced
(`new: false`), others kept. The whole batch is refused (400
VALIDATION_ERROR, nothing written) for: a body that is not JSON, no inputs
or more than 100, an input without `id` or with an idProperty other than
"email", the same id twice, a property the portal does not have
(PROPERTY_DOESNT_EXIST); and, when some input has no objectWriteTraceId,
for any input's failure. Otherwise an input fails on its own -- a 207
Multi-Status whose `errors[]` name it by `context.objectWriteTraceId`, with
`numErrors`, while the good inputs are written; 200 when none fails -- for:
an invalid email (INVALID_EMAIL), a property value that is not a JSON string
(INVALID_TYPE), a value its property's type refuses (number: a decimal;
datetime: epoch milliseconds or ISO 8601; bool: true/false; checkboxes:
';'-separated known options, "" clears). Error codes other than
INVALID_EMAIL and PROPERTY_DOESNT_EXIST are this server's best effort.
The portal's properties: HubSpot's usual contact properties (strings) plus
--property NAME:TYPE (repeatable; TYPE string, number, datetime, bool or
checkbox:OPT|OPT...).

Faults: base kinds; a "429" fault answers with a TEN_SECONDLY_ROLLING body;
`modify` specs understood here (extra JSON fields of the fault):
  {"touch": ["id", ...]}      set lastmodifieddate of those contacts to now
  {"respond": "DAILY"|"SECONDLY"} answer this request with that 429 body
A dropped or faulted upsert writes nothing.
Fixture truth: --dump FILE is (re)written atomically with every contact
whenever the data changes, so tests compare against it; --upsert-log FILE
gets one JSON line per input an upsert wrote ({"email", "new",
"objectWriteTraceId", "properties"}), so tests count writes.
Joint fixtures: --people FILE (JSON array of {"first_name","last_name",
"email","phone"}, phone in E.164) makes contact i (in id order) person i:
firstname/lastname/email/phone properties as given (empty -> null).
Invariant: all property values are strings (or null), ids are digit strings.
"""

import json
import os
import random
import re
import threading
import time
import uuid

import contract_base as cb

LIST_PATH = "/crm/v3/objects/contacts"
SEARCH_PATH = "/crm/v3/objects/contacts/search"
UPSERT_PATH = "/crm/v3/objects/contacts/batch/upsert"
MAX_BATCH_INPUTS = 100
# Contact properties a fresh portal has that an upsert may set (all strings
# here); HubSpot sets hs_object_id, createdate and lastmodifieddate itself.
PORTAL_PROPERTIES = ["email", "firstname", "lastname", "phone", "mobilephone", "city", "state",
                     "country", "zip", "address", "company", "jobtitle", "website",
                     "lifecyclestage"]
EMAIL = re.compile(r"[^@\s\"(),:;<>\[\]\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
DECIMAL = re.compile(r"-?\d+(\.\d+)?")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?")
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
        self.rate_window_ms = args.rate_window_ms
        self.upsert_log = args.upsert_log
        self.properties = {p: "string" for p in PORTAL_PROPERTIES}
        for spec in args.property or []:
            name, _, kind = spec.partition(":")
            self.properties[name] = kind or "string"
        self.data_lock = threading.Lock()
        self.window = [0, 0]  # [window start ms, calls in window]
        self.contacts = self._seed(args.contacts)
        self._apply_people(args.people)
        self._write_dump()
        self.route("GET", LIST_PATH, self.list_contacts)
        self.route("POST", SEARCH_PATH, self.search_contacts)
        self.route("POST", UPSERT_PATH, self.upsert_contacts)

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

    def _rate_window(self):
        """Counts one call in the burst window: (headers, None), or (headers,
        a 429 response) when the window's calls are used up."""
        now = int(time.time() * 1000)
        with self.data_lock:
            if now - self.window[0] >= self.rate_window_ms:
                self.window = [now, 0]
            self.window[1] += 1
            over = self.window[1] > self.rate_max
            remaining = max(0, self.rate_max - self.window[1])
            left_ms = self.window[0] + self.rate_window_ms - now
        headers = {"X-HubSpot-RateLimit-Max": str(self.rate_max),
                   "X-HubSpot-RateLimit-Remaining": str(remaining),
                   "X-HubSpot-RateLimit-Interval-Milliseconds": str(self.rate_window_ms),
                   "X-HubSpot-RateLimit-Daily": "250000",
                   "X-HubSpot-RateLimit-Daily-Remaining": "249000"}
        if not over:
            return headers, None
        limited = dict(headers, **{"Retry-After": str(max(1, -(-left_ms // 1000)))})
        return headers, (429, limited, self._rate_body("TEN_SECONDLY_ROLLING"))

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
        headers, limited = self._rate_window()
        if limited:
            return limited
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
        return 200, headers, body

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

    def upsert_contacts(self, req):
        err = self._precheck(req)
        if err:
            return err
        headers, limited = self._rate_window()
        if limited:
            return limited
        try:
            body = req.json() or {}
        except ValueError:
            return self._bad("Invalid input JSON on line 1")
        inputs = body.get("inputs") if isinstance(body, dict) else None
        if not isinstance(inputs, list) or not inputs:
            return self._bad("inputs must be a non-empty list")
        if len(inputs) > MAX_BATCH_INPUTS:
            return self._bad("Batch input of size %d exceeds the limit of %d"
                             % (len(inputs), MAX_BATCH_INPUTS))
        ids = []
        for i in inputs:
            if not isinstance(i, dict) or not isinstance(i.get("id"), str) or not i["id"]:
                return self._bad("Every input needs an id (the idProperty's value)")
            if i.get("idProperty") != "email":
                return self._bad("Unable to perform upsert by non-unique property %r"
                                 % i.get("idProperty"))
            ids.append(i["id"].lower())
        dupes = sorted({x for x in ids if ids.count(x) > 1})
        if dupes:
            return self._bad("Duplicate IDs found in batch input: %s" % dupes)
        for i in inputs:
            for name in (i.get("properties") or {}):
                if name not in self.properties:
                    return self._invalid_properties(400, [(name, "Property \"%s\" does not exist"
                                                           % name, "PROPERTY_DOESNT_EXIST")])
        failures = [(i, self._input_problems(i)) for i in inputs]
        failed = [(i, p) for i, p in failures if p]
        if failed and any(not i.get("objectWriteTraceId") for i in inputs):
            return self._invalid_properties(400, failed[0][1])  # no multi-status without trace ids
        started = iso_ms(int(time.time() * 1000))
        with self.data_lock:
            results = [self._upsert_one(i) for i, p in failures if not p]
            self._write_dump()
        self.add_records(len(results))
        out = {"status": "COMPLETE", "results": results, "startedAt": started,
               "completedAt": iso_ms(int(time.time() * 1000))}
        if not failed:
            return 200, headers, out
        out["numErrors"] = len(failed)
        out["errors"] = [dict(self._error_body(p), context={"objectWriteTraceId":
                                                            [i["objectWriteTraceId"]]})
                         for i, p in failed]
        return 207, headers, out

    def _input_problems(self, inp):
        """[(property, message, code)] that make this input fail on its own."""
        problems = []
        if not EMAIL.fullmatch(inp["id"]):
            problems.append(("email", "Email address %s is invalid" % inp["id"], "INVALID_EMAIL"))
        props = inp.get("properties") or {}
        if not isinstance(props, dict):
            return problems + [("properties", "properties must be an object", "INVALID_TYPE")]
        for name, value in props.items():
            if not isinstance(value, str):
                problems.append((name, "Property \"%s\" must be a string, got %s"
                                 % (name, json.dumps(value)), "INVALID_TYPE"))
                continue
            kind = self.properties[name]
            problem = self._type_problem(kind, value)
            if problem:
                code, why = problem
                problems.append((name, "%r is not a valid value of %s (%s): %s"
                                 % (value, name, kind.split(":")[0], why), code))
        return problems

    @staticmethod
    def _type_problem(kind, value):
        """(code, why) when the property's type refuses value, else None."""
        if kind == "number" and not DECIMAL.fullmatch(value):
            return "INVALID_NUMBER", "not a decimal number"
        if kind == "datetime" and not (value.isdigit() or ISO_DATETIME.fullmatch(value)):
            return "INVALID_DATE", "neither epoch milliseconds nor ISO 8601"
        if kind == "bool" and value not in ("true", "false"):
            return "INVALID_BOOLEAN", "use true or false"
        if kind.startswith("checkbox:") and value:
            options = kind.split(":", 1)[1].split("|")
            unknown = [v for v in value.split(";") if v not in options]
            if unknown:
                return "INVALID_OPTION", "%s not among the options %s" % (unknown, options)
        return None

    def _upsert_one(self, inp):
        email = inp["id"].lower()
        now = iso_ms(int(time.time() * 1000))
        contact = next((c for c in self.contacts.values()
                        if (c["properties"].get("email") or "").lower() == email), None)
        new = contact is None
        if new:
            cid = str(max([int(c) for c in self.contacts] + [1000]) + 1)
            contact = {"id": cid, "properties": {"email": email, "hs_object_id": cid,
                                                 "createdate": now},
                       "createdAt": now, "archived": False}
            self.contacts[cid] = contact
        given = inp.get("properties") or {}
        contact["properties"].update(given)
        contact["properties"]["lastmodifieddate"] = now
        contact["updatedAt"] = now
        if self.upsert_log:
            with open(self.upsert_log, "a") as f:
                f.write(json.dumps({"email": email, "new": new, "properties": given,
                                    "objectWriteTraceId": inp.get("objectWriteTraceId")}) + "\n")
        result = {"id": contact["id"], "properties": dict(contact["properties"]),
                  "createdAt": contact["createdAt"], "updatedAt": now, "archived": False,
                  "new": new}
        if inp.get("objectWriteTraceId"):
            result["objectWriteTraceId"] = inp["objectWriteTraceId"]
        return result

    @staticmethod
    def _error_body(problems):
        detail = [{"isValid": False, "message": m, "error": code, "name": name}
                  for name, m, code in problems]
        return {"status": "error", "category": "VALIDATION_ERROR",
                "message": "Property values were not valid: " + json.dumps(detail),
                "errors": [{"message": m, "code": code, "context": {"propertyName": [name]}}
                           for name, m, code in problems]}

    def _invalid_properties(self, status, problems):
        return status, {}, dict(self._error_body(problems), correlationId=str(uuid.uuid4()))

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
    p.add_argument("--rate-max", type=int, default=190, help="calls per burst window")
    p.add_argument("--rate-window-ms", type=int, default=10000,
                   help="the burst window (HubSpot's is 10 s)")
    p.add_argument("--property", action="append",
                   help="NAME:TYPE, a portal property beside the usual ones (TYPE string, "
                        "number, datetime, bool or checkbox:OPT|OPT...)")
    p.add_argument("--upsert-log", help="append one JSON line per contact an upsert writes")
    cb.main(lambda args: HubSpotServer(args), p)
