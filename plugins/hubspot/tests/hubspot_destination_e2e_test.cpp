// hubspot_destination_e2e_test.cpp -- the real `halo` binary keeps HubSpot
// contacts in sync with its profiles through the contract server's batch
// upsert (tests/contract/hubspot_server.py), over TLS with a test CA: a
// pipeline of events with traits, an `aggregates` feature builder and
// declared segments delivers exact property text (Persian names, decimals,
// counts, dates, segment memberships); a 207 for one bad email leaves the
// others synced and names the bad one; a batch refused as a whole is sent
// again one contact per request; a second run sends only the changed
// profiles; a wrong token stops the destination without printing it and
// loses nothing; 500s, 429s (Retry-After honoured by the host), dropped
// connections and a call the kernel makes again still end with every
// contact written exactly once.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <string>

#include "contract_process.h"
#include "e2e_support.h"

namespace halo::e2e {
namespace {

using contract::ContractProcess;
using Properties = std::map<std::string, std::string>;

const char *kToken = "pat-na1-contract-test";
const char *kUpsert = "/crm/v3/objects/contacts/batch/upsert";

std::string identify(const std::string &user, const std::string &traits, const std::string &id) {
  return R"({"type":"identify","userId":")" + user + R"(","messageId":")" + id +
         R"(","timestamp":"2026-01-04T09:00:00Z","traits":)" + traits + "}\n";
}

std::string order(const std::string &user, const std::string &revenue, const std::string &at,
                  const std::string &id) {
  return R"({"type":"track","event":"Order Completed","userId":")" + user + R"(","messageId":")" +
         id + R"(","timestamp":")" + at + R"(","properties":{"revenue":)" + revenue + "}}\n";
}

// Six people: sara (two orders, big spender and repeat buyer), ali (one
// order), a HubSpot-invalid address, one without an email, one with two
// emails, jane (no orders).
std::string shop() {
  return identify("u0", R"({"email":"sara@example.ir","first_name":"سارا","city":"تهران"})", "i0") +
         order("u0", "80.25", "2026-01-05T10:00:00Z", "o0a") +
         order("u0", "40.25", "2026-01-05T11:00:00Z", "o0b") +
         identify("u1", R"({"email":"ali@example.org","first_name":"Ali"})", "i1") +
         order("u1", "30", "2026-01-06T08:30:00Z", "o1") +
         identify("u2", R"({"email":"bad@localhost","first_name":"Bad"})", "i2") +
         order("u2", "5", "2026-01-06T09:00:00Z", "o2") +
         identify("u3", R"({"first_name":"Nobody"})", "i3") +
         identify("u4", R"({"email":"zed@example.org","first_name":"Zed"})", "i4a") +
         identify("u4", R"({"email":"amy@example.org"})", "i4b") +
         identify("u5", R"({"email":"jane@example.test","first_name":"Jane"})", "i5");
}

class HubspotDestinationE2E : public ::testing::Test {
 protected:
  void SetUp() override { contract::make_test_ca(dir_ / "tls"); }

  void start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "--contacts",   "0",
        "--dump",       dir_ / "contacts.json",
        "--upsert-log", dir_ / "upserts.jsonl",
        "--property",   "lifetime_value:number",
        "--property",   "orders:number",
        "--property",   "last_order_at:datetime",
        "--property",   "halo_segments:checkbox:big_spenders|repeat_buyers"};
    args.insert(args.end(), extra.begin(), extra.end());
    server_.start(source_dir() + "/tests/contract/hubspot_server.py", args, dir_ / "tls");
  }

  // The pipeline, its destination mapping `properties` (YAML lines at the
  // mapping's indentation).
  std::string pipeline(const std::string &properties = "") {
    const std::string mapping = properties.empty() ? R"(        firstname: traits.first_name
        city: traits.city
        lifetime_value: features.revenue
        orders: features.orders
        last_order_at: features.last_order
)"
                                                   : properties;
    write_file(dir_ / "pipeline.yaml", R"(version: 1
store: { kind: sqlite, path: halo.db }
run: { as_of: "2026-01-10T00:00:00Z" }
identity:
  resolver: deterministic
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: email, priority: 2, max_per_profile: 3, paths: [traits.email] }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
features:
  - name: shop
    plugin: aggregates
    config:
      features:
        orders: { count: { event: Order Completed } }
        revenue: { sum: { event: Order Completed, field: properties.revenue } }
        last_order: { last: { event: Order Completed } }
segments:
  - { name: big_spenders, expression: "features.revenue >= 100" }
  - { name: repeat_buyers, expression: "features.orders >= 2" }
destinations:
  - name: crm
    plugin: hubspot
    config:
      token: "${HUBSPOT_TOKEN}"
      base_url: ")" + server_.base_url() +
                                           R"("
      ca_file: ")" + dir_ / "tls/ca.pem" +
                                           R"("
      properties:
)" + mapping);
    return dir_ / "pipeline.yaml";
  }

  RunOutcome halo(const std::string &token = kToken) {
    return run_pipeline(dir_ / "pipeline.yaml", {{"HUBSPOT_TOKEN", token}});
  }

  // email -> the contact's properties, from the server's dump.
  std::map<std::string, Properties> contacts() {
    std::map<std::string, Properties> out;
    simdjson::dom::parser parser;
    for (simdjson::dom::element c : parser.load(dir_ / "contacts.json").get_array()) {
      Properties props;
      for (auto [key, value] : simdjson::dom::object(c["properties"])) {
        std::string_view text;
        if (!value.get_string().get(text)) props[std::string(key)] = std::string(text);
      }
      out[props["email"]] = props;
    }
    return out;
  }

  // email -> how many times an upsert wrote it.
  std::map<std::string, int> writes() {
    std::map<std::string, int> out;
    simdjson::dom::parser parser;
    for (const std::string &line : read_lines(dir_ / "upserts.jsonl")) {
      ++out[std::string(std::string_view(parser.parse(line)["email"]))];
    }
    return out;
  }

  int64_t answered(const std::string &status) {
    simdjson::dom::parser parser;
    simdjson::dom::element s = parser.parse(server_.stats());
    int64_t n = 0;
    return s["by_status"][status].get_int64().get(n) ? 0 : n;
  }

  TempDir dir_;
  ContractProcess server_;
};

TEST_F(HubspotDestinationE2E, ProfilesBecomeContactsWithExactTextAndTheBadEmailIsReported) {
  start();
  write_file(dir_ / "events.jsonl", shop());
  pipeline();
  RunOutcome r = halo();
  ASSERT_EQ(r.exit_code, 0) << r.err;

  std::map<std::string, Properties> got = contacts();
  ASSERT_EQ(got.size(), 4u) << r.err;
  const Properties &sara = got["sara@example.ir"];
  EXPECT_EQ(sara.at("firstname"), "سارا");
  EXPECT_EQ(sara.at("city"), "تهران");
  EXPECT_EQ(sara.at("lifetime_value"), "120.5");  // 80.25 + 40.25, exact
  EXPECT_EQ(sara.at("orders"), "2");
  EXPECT_EQ(sara.at("last_order_at"), "2026-01-05T11:00:00.000Z");
  const Properties &ali = got["ali@example.org"];
  EXPECT_EQ(ali.at("lifetime_value"), "30");
  EXPECT_EQ(ali.at("orders"), "1");
  EXPECT_EQ(ali.count("city"), 0u);  // no trait: left out, never ""
  // Two emails: the first in the host's (sorted) order is the contact.
  EXPECT_EQ(got.count("amy@example.org"), 1u);
  EXPECT_EQ(got.count("zed@example.org"), 0u);
  EXPECT_EQ(got["amy@example.org"].at("firstname"), "Zed");
  // No orders: count and sum are 0, the last order is null and left out.
  const Properties &jane = got["jane@example.test"];
  EXPECT_EQ(jane.at("orders"), "0");
  EXPECT_EQ(jane.at("lifetime_value"), "0");
  EXPECT_EQ(jane.count("last_order_at"), 0u);
  EXPECT_EQ(got.count("bad@localhost"), 0u);

  // One request for all five with an email, answered 207 for the bad one.
  EXPECT_EQ(server_.requests_for(kUpsert), 1);
  EXPECT_EQ(answered("207"), 1);
  for (const auto &[email, n] : writes()) EXPECT_EQ(n, 1) << email;
  EXPECT_NE(r.err.find("(bad@localhost) not synced: VALIDATION_ERROR: Email address "
                       "bad@localhost is invalid (INVALID_EMAIL)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("4 contacts synced, 1 failed, 1 profiles without an email skipped"),
            std::string::npos)
      << r.err;
}

TEST_F(HubspotDestinationE2E, SegmentsAreSentAsCheckboxValues) {
  start();
  write_file(dir_ / "events.jsonl", shop());
  pipeline("        firstname: traits.first_name\n        halo_segments: segments\n");
  RunOutcome r = halo();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, Properties> got = contacts();
  ASSERT_EQ(got.size(), 4u) << r.err;
  EXPECT_EQ(got["sara@example.ir"].at("halo_segments"), "big_spenders;repeat_buyers");
  EXPECT_EQ(got["ali@example.org"].at("halo_segments"), "");  // in none: cleared

  // Ali orders again and joins both segments: the next run upserts him
  // alone, with them.
  write_file(dir_ / "events.jsonl", shop() + order("u1", "100", "2026-01-07T08:00:00Z", "o1b"));
  server_.reset_stats();
  r = halo();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(contacts()["ali@example.org"].at("halo_segments"), "big_spenders;repeat_buyers");
  EXPECT_EQ(server_.requests_for(kUpsert), 1);
  EXPECT_EQ(writes()["ali@example.org"], 2);
  EXPECT_EQ(writes()["sara@example.ir"], 1);
}

TEST_F(HubspotDestinationE2E, ASecondRunUpsertsOnlyTheProfilesThatChanged) {
  start();
  write_file(dir_ / "events.jsonl", shop());
  pipeline();
  ASSERT_EQ(halo().exit_code, 0);
  const std::map<std::string, int> first = writes();
  EXPECT_EQ(first.size(), 4u);

  // Nothing new: no delivery, no request.
  server_.reset_stats();
  RunOutcome same = halo();
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(server_.requests_for(kUpsert), 0);

  // Ali orders again: only his contact is written, with the new values.
  write_file(dir_ / "events.jsonl", shop() + order("u1", "12.75", "2026-01-08T12:00:00Z", "o1c"));
  server_.reset_stats();
  RunOutcome changed = halo();
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_EQ(server_.requests_for(kUpsert), 1);
  std::map<std::string, int> after = writes();
  EXPECT_EQ(after["ali@example.org"], 2);
  for (const char *other : {"sara@example.ir", "amy@example.org", "jane@example.test"}) {
    EXPECT_EQ(after[other], 1) << other;
  }
  const Properties ali = contacts()["ali@example.org"];
  EXPECT_EQ(ali.at("lifetime_value"), "42.75");
  EXPECT_EQ(ali.at("orders"), "2");
  EXPECT_EQ(ali.at("last_order_at"), "2026-01-08T12:00:00.000Z");
  EXPECT_NE(changed.err.find("1 contacts synced, 0 failed"), std::string::npos) << changed.err;
}

TEST_F(HubspotDestinationE2E, ABatchRefusedAsAWholeIsSentOneContactPerRequest) {
  start();
  // The portal has no property favorite_color: HubSpot refuses any batch
  // that sets it. Only Ali has the trait.
  write_file(dir_ / "events.jsonl",
             shop() + identify("u1", R"({"favorite_color":"green"})", "i1c"));
  pipeline("        firstname: traits.first_name\n        favorite_color: traits.favorite_color\n");
  RunOutcome r = halo();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, Properties> got = contacts();
  EXPECT_EQ(got.size(), 3u);
  EXPECT_EQ(got.count("ali@example.org"), 0u);
  for (const char *email : {"sara@example.ir", "amy@example.org", "jane@example.test"}) {
    EXPECT_EQ(got.count(email), 1u) << email;
  }
  EXPECT_EQ(server_.requests_for(kUpsert), 1 + 5);  // the batch, then one each
  EXPECT_EQ(answered("400"), 2);                    // the batch and Ali alone
  EXPECT_NE(r.err.find("sending them one per request"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(ali@example.org) not synced: HubSpot 400: VALIDATION_ERROR: Property "
                       "\"favorite_color\" does not exist (PROPERTY_DOESNT_EXIST)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("(bad@localhost) not synced"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("3 contacts synced, 2 failed"), std::string::npos) << r.err;
}

TEST_F(HubspotDestinationE2E, AWrongTokenStopsTheDestinationWithoutPrintingItAndLosesNothing) {
  start();
  write_file(dir_ / "events.jsonl", shop());
  pipeline();
  const std::string bad = "pat-na1-WRONG-SECRET-123";
  RunOutcome wrong = halo(bad);
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.err.find("token was refused"), std::string::npos) << wrong.err;
  EXPECT_NE(wrong.err.find("HTTP 401 INVALID_AUTHENTICATION"), std::string::npos) << wrong.err;
  EXPECT_EQ((wrong.err + wrong.summary).find(bad), std::string::npos) << wrong.err;
  EXPECT_EQ(server_.requests_for(kUpsert), 1);  // no retry of a 401
  EXPECT_TRUE(contacts().empty());

  RunOutcome right = halo();
  ASSERT_EQ(right.exit_code, 0) << right.err;
  EXPECT_EQ(contacts().size(), 4u);
}

TEST_F(HubspotDestinationE2E, TheDailyLimitStopsTheDestinationWithAClearMessage) {
  start();
  write_file(dir_ / "events.jsonl", shop());
  pipeline();
  // The host retries every 429 (it cannot tell a DAILY one); the
  // destination stops on the last answer instead of asking to retry.
  server_.inject(R"({"kind":"modify","count":20,"respond":"DAILY","path":"batch/upsert$"})");
  RunOutcome r = halo();
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("daily API limit"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("midnight"), std::string::npos) << r.err;
  EXPECT_EQ(server_.requests_for(kUpsert), 5);  // http.retry.max_attempts, no re-call
  EXPECT_TRUE(contacts().empty());
}

// 250 customers: three requests (100, 100, 50).
std::string customers(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    const std::string u = "c" + std::to_string(i);
    out += identify(u,
                    R"({"email":")" + u + R"(@example.org","first_name":"C)" + std::to_string(i) +
                        R"("})",
                    "i-" + u) +
           order(u, std::to_string(i) + ".5", "2026-01-05T10:00:00Z", "o-" + u);
  }
  return out;
}

TEST_F(HubspotDestinationE2E, FaultsStillEndWithEveryContactWrittenExactlyOnce) {
  constexpr int kCustomers = 250;
  start();
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  pipeline();
  server_.inject(R"([{"kind":"500","count":1,"path":"batch/upsert$"},
                     {"kind":"429","count":1,"retry_after":0,"path":"batch/upsert$"},
                     {"kind":"drop","count":1,"path":"batch/upsert$"}])");
  RunOutcome r = halo();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.stat("faults_pending"), 0);
  EXPECT_EQ(server_.requests_for(kUpsert), 3 + 3);  // the faulted ones wrote nothing
  const std::map<std::string, int> w = writes();
  EXPECT_EQ(w.size(), static_cast<size_t>(kCustomers));
  for (const auto &[email, n] : w) EXPECT_EQ(n, 1) << email;
  std::map<std::string, Properties> got = contacts();
  ASSERT_EQ(got.size(), static_cast<size_t>(kCustomers));
  EXPECT_EQ(got["c7@example.org"].at("lifetime_value"), "7.5");
  EXPECT_EQ(got["c249@example.org"].at("firstname"), "C249");
  EXPECT_NE(r.err.find("250 contacts synced, 0 failed"), std::string::npos) << r.err;
}

// 423 Locked is not retried by the host: the destination asks the kernel to
// call again, and that call sends only the contacts the first had not
// settled.
TEST_F(HubspotDestinationE2E, ACallMadeAgainSendsOnlyWhatTheFirstHadNotSettled) {
  constexpr int kCustomers = 250;
  start();
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  pipeline();
  server_.inject(R"([{"kind":"slow","count":1,"delay_ms":1,"path":"batch/upsert$"},
                     {"kind":"423","count":1,"path":"batch/upsert$"}])");
  RunOutcome r = halo();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(answered("423"), 1);
  EXPECT_NE(r.err.find("asked to retry"), std::string::npos) << r.err;
  // 100 accepted, 100 refused with 423, then the other 150 in two requests.
  EXPECT_EQ(server_.requests_for(kUpsert), 4);
  const std::map<std::string, int> w = writes();
  EXPECT_EQ(w.size(), static_cast<size_t>(kCustomers));
  for (const auto &[email, n] : w) EXPECT_EQ(n, 1) << email;
  EXPECT_NE(r.err.find("250 contacts synced, 0 failed"), std::string::npos) << r.err;
}

TEST_F(HubspotDestinationE2E, TheBurstLimitIsWaitedOutAsRetryAfterSays) {
  constexpr int kCustomers = 250;
  start({"--rate-max", "1", "--rate-window-ms", "2000"});
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  pipeline();
  RunOutcome r = halo();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(answered("429"), 1);
  EXPECT_EQ(answered("200"), 3);
  const std::map<std::string, int> w = writes();
  EXPECT_EQ(w.size(), static_cast<size_t>(kCustomers));
  for (const auto &[email, n] : w) EXPECT_EQ(n, 1) << email;
}

TEST_F(HubspotDestinationE2E, ValidateRefusesAMappingHubspotCannotTake) {
  start();
  write_file(dir_ / "events.jsonl", shop());
  pipeline("        firstname: trait.first_name\n");
  CommandResult r =
      run({halo_bin(), "validate", dir_ / "pipeline.yaml"}, {{"HUBSPOT_TOKEN", kToken}});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("properties.firstname"), std::string::npos) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("traits.NAME, features.NAME or segments"), std::string::npos)
      << r.out << r.err;

  pipeline("        email: traits.email\n");
  r = run({halo_bin(), "validate", dir_ / "pipeline.yaml"}, {{"HUBSPOT_TOKEN", kToken}});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("contact's id"), std::string::npos) << r.out << r.err;

  pipeline();
  r = run({halo_bin(), "validate", dir_ / "pipeline.yaml"}, {{"HUBSPOT_TOKEN", kToken}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(server_.stat("requests"), 0);  // validating sends nothing
}

}  // namespace
}  // namespace halo::e2e
