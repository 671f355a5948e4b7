// woocommerce_e2e_test.cpp -- the real `halo` binary importing from the
// WooCommerce contract server (tests/contract/woocommerce_server.py) over
// TLS with a test CA, and over plain HTTP with OAuth 1.0a: exact totals per
// buyer against the fixture's own oracle, incremental second runs, faults
// and SIGKILL giving the same profiles, wrong credentials failing fast
// without leaking the secret, and webhook mode.
#include "contract_process.h"
#include "loopback_port.h"
#include "woo_e2e_support.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

namespace halo::woo::e2e {
namespace {

using halo::contract::ContractProcess;
using halo::e2e::run;

const std::map<std::string, std::string> kEnv = {{"WC_KEY", "ck_test_key"},
                                                 {"WC_SECRET", "cs_test_secret"}};

class WooE2E : public ::testing::Test {
 protected:
  void SetUp() override { halo::contract::make_test_ca(tls_ / "tls"); }
  int start_server(bool tls = true) {
    return server_.start(server_script(), kFixtureArgs, tls ? tls_ / "tls" : "");
  }
  std::string pipeline(const std::string &extra = "", int per_page = 7) {
    std::string config =
        "      url: \"" + server_.base_url() + "\"\n" + "      consumer_key: \"${WC_KEY}\"\n" +
        "      consumer_secret: \"${WC_SECRET}\"\n" + "      ca_file: \"" + tls_ / "tls/ca.pem" +
        "\"\n" + "      per_page: " + std::to_string(per_page) + "\n" + extra;
    return write_pipeline(dir_, config);
  }
  CommandResult run_halo(const std::string &pipeline_path,
                         const std::map<std::string, std::string> &env = kEnv) {
    return run({halo::e2e::halo_bin(), "run", pipeline_path, "-q"}, env);
  }
  std::map<std::string, Totals> totals() { return totals_by_email(dir_ / "profiles.jsonl"); }

  TempDir tls_, dir_;
  ContractProcess server_;
};

TEST_F(WooE2E, FullImportOverTlsGivesExactTotalsPerBuyer) {
  start_server();
  CommandResult r = run_halo(pipeline());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto want = expected_totals();
  ASSERT_GT(want.size(), 10u);
  EXPECT_EQ(totals_difference(want, totals()), "");
  // 20 customers in pages of 7, 60 orders in pages of 7 (keyset pages).
  EXPECT_EQ(server_.requests_for("/wp-json/wc/v3/customers"), 3);
  // Each keyset page after the first re-reads only the order at its lower
  // bound second: 7 new, then 6 new per page -> 10 order requests.
  EXPECT_EQ(server_.requests_for("/wp-json/wc/v3/orders"), 10);
  EXPECT_EQ(server_.stat("records_returned"), 20 + 60 + (10 - 1));
}

TEST_F(WooE2E, SecondRunFetchesOnlyWhatChanged) {
  start_server();
  std::string p = pipeline();
  ASSERT_EQ(run_halo(p).exit_code, 0);
  auto before = totals();
  server_.reset_stats();
  // Between runs: order 3 (refunded) is edited, guest order 15 (pending)
  // is completed, and one customer signs up.
  server_.inject(R"({"kind":"modify","touch":{"orders":[3],"complete":[15],"new_customers":1}})");
  CommandResult r = run_halo(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.requests_for("/wp-json/wc/v3/customers"), 1);
  EXPECT_EQ(server_.requests_for("/wp-json/wc/v3/orders"), 1);
  // customers: one page of 7, newest first, stopping at the known ids;
  // orders: the 2 changed + the newest one re-read by the overlap window.
  EXPECT_EQ(server_.stat("records_returned"), 7 + 3);
  auto after = totals();
  ASSERT_EQ(after.count("guest15@example.test"), 1u);
  EXPECT_EQ(after["guest15@example.test"].order_count, "1");
  std::string was =
      before.count("guest15@example.test") ? before["guest15@example.test"].order_count : "";
  EXPECT_TRUE(was.empty() || was == "0") << "pending before the change: " << was;
  after.erase("guest15@example.test");
  before.erase("guest15@example.test");
  EXPECT_EQ(totals_difference(
                [&] {
                  std::map<std::string, Totals> m;
                  for (auto &[k, v] : before)
                    if (!v.order_count.empty() && v.order_count != "0") m[k] = v;
                  return m;
                }(),
                after),
            "");
}

TEST_F(WooE2E, FaultsEndWithTheSameProfilesAsACleanRun) {
  start_server();
  // 429 with Retry-After, 500s, a slow answer, a dropped connection, and an
  // order modified between pages (it jumps behind the pages already read).
  server_.inject(R"([{"kind":"429","count":2,"retry_after":1,"path":"/orders$"},
                     {"kind":"500","count":2,"path":"/customers$"},
                     {"kind":"slow","count":1,"delay_ms":400},
                     {"kind":"drop","count":1,"path":"/orders$"},
                     {"kind":"modify","count":3,"path":"/orders$"}])");
  CommandResult r = run_halo(pipeline());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.stat("faults_pending"), 0) << server_.stats();
  EXPECT_EQ(totals_difference(expected_totals(), totals()), "");
}

TEST_F(WooE2E, SigkillMidPaginationThenResumeGivesTheSameProfiles) {
  start_server();
  std::string p = pipeline("", 3);
  // Slow pages so the kill lands mid-scan.
  server_.inject(R"({"kind":"slow","count":40,"delay_ms":60})");
  int kills = 0;
  for (int delay_ms : {700, 900, 1100}) {
    pid_t pid = spawn_halo(p, kEnv);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    if (waitpid(pid, nullptr, WNOHANG) == 0) {
      kill(pid, SIGKILL);
      ++kills;
    }
    wait_child(pid);
  }
  CommandResult r = run_halo(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(kills, 0) << "no run was killed: the test did not test anything";
  EXPECT_EQ(totals_difference(expected_totals(), totals()), "");
}

TEST_F(WooE2E, WrongSecretFailsFastNamingItWithoutLeakingIt) {
  start_server();
  const std::string secret = "cs_wrong_value_4711";
  CommandResult r = run_halo(pipeline(), {{"WC_KEY", "ck_test_key"}, {"WC_SECRET", secret}});
  EXPECT_TRUE(r.exit_code == 1 || r.exit_code == 2) << r.exit_code;
  std::string all = r.out + r.err;
  EXPECT_NE(all.find("consumer_secret"), std::string::npos) << all;
  EXPECT_NE(all.find("shop"), std::string::npos) << all;
  EXPECT_NE(all.find("/wp-json/wc/v3/customers"), std::string::npos) << all;
  EXPECT_EQ(all.find(secret), std::string::npos) << all;
  EXPECT_EQ(server_.requests_for("/wp-json/wc/v3/customers"), 1) << "fail fast: no retries";
  r = run_halo(pipeline(), {{"WC_KEY", "ck_other"}, {"WC_SECRET", "cs_test_secret"}});
  EXPECT_NE(r.err.find("consumer_key"), std::string::npos) << r.err;
}

TEST_F(WooE2E, OAuth1OverPlainHttpIsVerifiedByTheServer) {
  start_server(/*tls=*/false);
  CommandResult r = run_halo(pipeline());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(totals_difference(expected_totals(), totals()), "");
  r = run_halo(pipeline(), {{"WC_KEY", "ck_test_key"}, {"WC_SECRET", "cs_nope"}});
  EXPECT_NE(r.err.find("consumer_secret"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("signature does not match"), std::string::npos) << r.err;
}

TEST_F(WooE2E, WebhookModeVerifiesDeduplicatesAndImports) {
  int port = test::unused_loopback_port();
  std::string p = write_pipeline(
      dir_,
      "      mode: webhook\n      listen: \"127.0.0.1:" + std::to_string(port) +
          "\"\n      path: /hook\n      webhook_secret: \"${WH_SECRET}\"\n"
          "      max_idle_ms: 6000\n");  // each delivery starts a Python client: slow under load
  pid_t pid = spawn_halo(p, {{"WH_SECRET", "whsec_e2e"}});
  for (int i = 0; i < 100 && !port_accepts(port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(send_webhook(port, {"--ping"}), "200");
  EXPECT_EQ(send_webhook(port, {"--topic", "order.updated", "--id", "1", "--delivery-id", "d-1"}),
            "200");
  EXPECT_EQ(send_webhook(port, {"--topic", "order.updated", "--id", "1", "--delivery-id", "d-1"}),
            "200");
  EXPECT_EQ(send_webhook(port, {"--topic", "order.updated", "--id", "2", "--bad-signature"}),
            "401");
  EXPECT_EQ(send_webhook(port, {"--topic", "customer.updated", "--id", "4"}), "200");
  ASSERT_EQ(wait_child(pid), 0);
  auto got = totals();
  auto want = expected_totals();
  // Order 1 (processing -> Order Completed) counted exactly once; order 2's
  // forged delivery imported nothing.
  int counted = 0;
  for (const auto &[email, t] : got) {
    if (!t.order_count.empty() && t.order_count != "0") {
      ++counted;
      EXPECT_EQ(t.order_count, "1") << email;
    }
  }
  EXPECT_EQ(counted, 1);
}

}  // namespace
}  // namespace halo::woo::e2e
