// square_e2e_test.cpp -- the real `halo` binary imports Square customers
// and completed orders from the contract server (tests/contract/
// square_server.py) over TLS: profiles and exact order totals equal the
// server's fixture truth; faults and a crash mid-pagination change nothing;
// a late offline order inside late_arrival_hours is picked up by the next
// run; no follow-up page ever changes the query (the server would 400); a
// wrong token fails fast without leaking it.
#include "contract_process.h"
#include "e2e_support.h"
#include "pipeline/pipeline.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>

namespace halo::e2e {
namespace {

using contract::ContractProcess;
const char *kToken = "EAAA-contract-test";

// Per customer id: completed order count and revenue in cents.
struct Totals {
  int64_t orders = 0;
  int64_t cents = 0;
  bool operator==(const Totals &) const = default;
};

class SquareE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    contract::make_test_ca(dir_ / "tls");
    server_.start(source_dir() + "/tests/contract/square_server.py",
                  {"--dump", dir_ / "truth.json"}, dir_ / "tls");
  }

  std::string pipeline(const std::string &name, const std::string &run = "") {
    std::string yaml =
        "version: 1\nstore: { kind: sqlite, path: " + dir_ / (name + ".db") + " }\n" +
        (run.empty() ? "" : "run:\n" + run + "\n") +
        "identity:\n  resolver: deterministic\n  identifiers:\n"
        "    - { type: square_customer_id, priority: 1, max_per_profile: 1, paths: "
        "[traits.square_customer_id, context.traits.square_customer_id] }\n"
        "    - { type: email, priority: 2, max_per_profile: 5 }\n"
        "    - { type: phone, priority: 3, max_per_profile: 3, default_region: IR }\n"
        "sources:\n  - name: pos\n    plugin: square\n    config:\n"
        "      base_url: \"" +
        server_.base_url() +
        "\"\n"
        "      access_token: \"${SQUARE_TOKEN}\"\n"
        "      ca_file: \"" +
        dir_ / "tls/ca.pem" +
        "\"\n"
        "      location_ids: [L1, L2]\n      limit: 25\n"
        "features:\n  - name: orders\n    plugin: aggregates\n    config:\n      features:\n"
        "        order_count: { count: { event: Order Completed } }\n"
        "        revenue: { sum: { event: Order Completed, field: properties.revenue } }\n"
        "destinations:\n  - { name: out, plugin: file-jsonl, config: { path: " +
        dir_ / (name + ".jsonl") + " } }\n";
    std::string path = dir_ / (name + ".yaml");
    write_file(path, yaml);
    return path;
  }

  CommandResult halo(const std::string &yaml, const std::string &token = kToken,
                     std::map<std::string, std::string> env = {}) {
    env["SQUARE_TOKEN"] = token;
    return run({halo_bin(), "run", yaml, "-q"}, env);
  }

  // Truth: COMPLETED orders of L1/L2 per customer.
  std::map<std::string, Totals> truth() {
    simdjson::dom::parser parser;
    std::map<std::string, Totals> out;
    simdjson::dom::element doc = parser.load(dir_ / "truth.json");
    for (simdjson::dom::element o : doc["orders"].get_array()) {
      std::string_view loc = o["location_id"], state = o["state"];
      if (state != "COMPLETED" || (loc != "L1" && loc != "L2")) continue;
      Totals &t = out[std::string(std::string_view(o["customer_id"]))];
      t.orders++;
      t.cents += int64_t(o["total_money"]["amount"]);
    }
    return out;
  }

  std::map<std::string, Totals> profiles(const std::string &name) {
    std::map<std::string, Totals> out;
    for (const Profile &p : read_profiles(dir_ / (name + ".jsonl"))) {
      auto found = p.identifiers.find("square_customer_id");
      if (found == p.identifiers.end()) continue;
      const auto &ids = found->second;
      if (ids.size() != 1 || p.order_count.empty() || p.order_count == "0") continue;
      Totals t;
      t.orders = std::stoll(p.order_count);
      std::string rev = p.revenue;
      size_t dot = rev.find('.');
      std::string frac =
          dot == std::string::npos ? "00" : (rev.substr(dot + 1) + "00").substr(0, 2);
      t.cents = std::stoll(rev.substr(0, dot)) * 100 + std::stoll(frac);
      out[*ids.begin()] = t;
    }
    return out;
  }

  int64_t bad_requests() {
    simdjson::dom::parser parser;
    simdjson::dom::element s = parser.parse(server_.stats());
    int64_t n = 0;
    if (s["by_status"]["400"].get_int64().get(n)) return 0;
    return n;
  }

  TempDir dir_;
  ContractProcess server_;
};

TEST_F(SquareE2E, FullImportMatchesFixtureTotalsExactly) {
  CommandResult r = halo(pipeline("p"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto expected = truth();
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(profiles("p"), expected);
  EXPECT_GT(server_.requests_for("/v2/orders/search"), 2);  // several pages
  EXPECT_EQ(bad_requests(), 0);  // identical query on every follow-up page
  // Customers carry email and phone into the same profile.
  size_t with_email = 0;
  for (const Profile &p : read_profiles(dir_ / "p.jsonl"))
    with_email += p.identifiers.count("email");
  EXPECT_EQ(with_email, 40u);
}

TEST_F(SquareE2E, SecondRunPicksUpLateOrderAndCountsNothingTwice) {
  std::string yaml = pipeline("l");
  ASSERT_EQ(halo(yaml).exit_code, 0);
  // An offline POS order synced now with updated_at 10 h ago.
  server_.inject(
      R"({"kind":"modify","path":"/v2/customers/search","late_order":{"hours_ago":10,"customer_id":"CUST0007","amount":12345}})");
  server_.reset_stats();
  CommandResult r = halo(yaml);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto expected = truth();
  auto got = profiles("l");
  EXPECT_EQ(got, expected);
  EXPECT_EQ(got["CUST0007"], expected["CUST0007"]);
  EXPECT_EQ(bad_requests(), 0);
}

// Waits until a search path saw requests and then none for `quiet` seconds:
// a pass has ended and the source waits for its next poll.
bool wait_for_quiet_pass(const ContractProcess &server, double quiet, double limit) {
  auto start = std::chrono::steady_clock::now(), changed = start;
  int64_t last = -1;
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < limit) {
    int64_t n = server.requests_for("/v2/orders/search");
    auto now = std::chrono::steady_clock::now();
    if (n != last) {
      last = n;
      changed = now;
    } else if (n > 0 && std::chrono::duration<double>(now - changed).count() >= quiet) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// Logged events whose raw record contains `text`.
int count_logged(const std::string &db, const std::string &text) {
  auto store = SqliteStore::open(db, {.read_only = true});
  if (!store.ok()) return -1;
  int n = 0;
  Status s = (*store)->scan_events([&](const std::vector<LoggedEvent> &events) {
    for (const LoggedEvent &e : events) n += e.raw.find(text) != std::string_view::npos;
    return Status::Ok();
  });
  return s.ok() ? n : -1;
}

// keep_polling (halo serve): after end of data the source is called again
// at its poll_interval and searches again from its watermark, so an order
// synced after the first pass is read by the next one, exactly once.
TEST_F(SquareE2E, PolledAgainAfterEndOfDataReadsALateOrderOnce) {
  std::string yaml = read_file(pipeline("poll"));
  yaml.replace(yaml.find("    plugin: square\n"), 19,
               "    plugin: square\n    poll_interval: 2s\n");
  auto config = parse_pipeline(yaml, dir_ / "poll.yaml", [](const std::string &name) {
    return name == "SQUARE_TOKEN" ? std::optional<std::string>(kToken) : std::nullopt;
  });
  ASSERT_TRUE(config.ok()) << config.status().message();
  std::atomic<bool> cancel{false};
  RunOptions options;
  options.cancel = &cancel;
  options.keep_polling = true;
  options.extra_plugin_dirs = {HALO_BUNDLED_PLUGIN_DIR};
  auto pipeline = Pipeline::open(*config, options);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().message();
  RunSummary summary;
  Status status;
  std::thread run([&] { status = (*pipeline)->run(&summary); });
  const bool first_pass = wait_for_quiet_pass(server_, 1.0, 60);
  // An offline order synced late, at an imported location.
  const int before = count_logged(dir_ / "poll.db", "123.45");
  server_.inject(
      R"({"kind":"modify","path":"/v2/customers/search","late_order":{"hours_ago":10,"customer_id":"CUST0007","amount":12345,"location_id":"L1"}})");
  server_.reset_stats();
  const bool second_pass = first_pass && wait_for_quiet_pass(server_, 1.0, 60);
  cancel = true;
  run.join();
  ASSERT_TRUE(first_pass && second_pass) << "no pass ended (or no second pass began)";
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(before, 0);
  EXPECT_EQ(count_logged(dir_ / "poll.db", "123.45"), 1) << "the late order, read once";
  EXPECT_GT(summary.duplicates, 0u) << "the overlap window was re-read (and dropped)";
  EXPECT_GT(server_.requests_for("/v2/customers/search"), 0) << "a second pass searched again";
  EXPECT_EQ(bad_requests(), 0);
  EXPECT_FALSE(summary.sources.at(0).failed());
}

TEST_F(SquareE2E, FaultsAndModifiedOrderEndWithTheSameTotals) {
  const std::string p = "/v2/orders/search";
  server_.inject(R"([{"kind":"429","count":1,"retry_after":1,"path":")" + p + R"("},
                     {"kind":"modify","count":1,"respond":429,"path":")" +
                 p + R"("},
                     {"kind":"500","count":1,"path":")" +
                 p + R"("},
                     {"kind":"slow","count":1,"delay_ms":300,"path":")" +
                 p + R"("},
                     {"kind":"drop","count":1,"path":")" +
                 p + R"("},
                     {"kind":"modify","count":1,"touch_orders":["ORD00001","ORD00002"],"path":")" +
                 p + R"("}])");
  CommandResult r = halo(pipeline("f"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.stat("faults_pending"), 0);
  ASSERT_EQ(halo(pipeline("f")).exit_code, 0);  // re-reads touched orders: no double count
  EXPECT_EQ(profiles("f"), truth());
}

TEST_F(SquareE2E, CrashMidPaginationThenResumeKeepsTotalsExact) {
  std::string yaml = pipeline("c", "  batch_size: 10\n  commit_every: 10");
  CommandResult crashed = halo(yaml, kToken, {{"HALO_TEST_EXIT_AFTER_EVENTS", "75"}});
  ASSERT_NE(crashed.exit_code, 0);
  CommandResult resumed = halo(yaml);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(profiles("c"), truth());
  EXPECT_EQ(bad_requests(), 0);
}

TEST_F(SquareE2E, WrongTokenFailsFastNamingTheCredentialNeverPrintingIt) {
  const std::string bad = "EAAA-WRONG-SECRET-987";
  CommandResult r = halo(pipeline("w"), bad);
  EXPECT_NE(r.exit_code, 0);
  std::string all = r.out + r.err;
  EXPECT_NE(all.find("access_token"), std::string::npos) << all;
  EXPECT_NE(all.find("pos"), std::string::npos) << all;
  EXPECT_EQ(all.find(bad), std::string::npos) << all;
  EXPECT_EQ(server_.stat("requests"), 1);
}

}  // namespace
}  // namespace halo::e2e
