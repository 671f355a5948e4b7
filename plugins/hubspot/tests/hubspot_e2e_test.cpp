// hubspot_e2e_test.cpp -- the real `halo` binary imports contacts from the
// HubSpot contract server (tests/contract/hubspot_server.py) over TLS with a
// test CA: full import equals the server's fixture truth, a second run
// fetches only what changed, faults and a crash mid-pagination end with the
// same profiles, and a wrong token fails fast without leaking it.
#include "contract_process.h"
#include "e2e_support.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>

namespace halo::e2e {
namespace {

using contract::ContractProcess;
using Identifiers = std::map<std::string, std::set<std::string>>;

const char *kToken = "pat-na1-contract-test";

class HubspotE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    contract::make_test_ca(dir_ / "tls");
    server_.start(source_dir() + "/tests/contract/hubspot_server.py",
                  {"--dump", dir_ / "truth.json", "--contacts", "230"}, dir_ / "tls");
  }

  std::string pipeline(const std::string &name, int page_size = 50, const std::string &run = "") {
    std::string yaml =
        "version: 1\nstore: { kind: sqlite, path: " + dir_ / (name + ".db") + " }\n" +
        (run.empty() ? "" : "run:\n" + run + "\n") +
        "identity:\n  resolver: deterministic\n  identifiers:\n"
        "    - { type: crm_id, priority: 1, max_per_profile: 1, paths: [traits.crm_id] }\n"
        "    - { type: email, priority: 2, max_per_profile: 5 }\n"
        "    - { type: phone, priority: 3, max_per_profile: 3, default_region: US }\n"
        "sources:\n  - name: crm\n    plugin: hubspot\n    config:\n"
        "      base_url: \"" +
        server_.base_url() +
        "\"\n"
        "      access_token: \"${HUBSPOT_TOKEN}\"\n"
        "      ca_file: \"" +
        dir_ / "tls/ca.pem" +
        "\"\n"
        "      page_size: " +
        std::to_string(page_size) +
        "\n"
        "destinations:\n  - { name: out, plugin: file-jsonl, config: { path: " +
        dir_ / (name + ".jsonl") + " } }\n";
    std::string path = dir_ / (name + ".yaml");
    write_file(path, yaml);
    return path;
  }

  CommandResult halo(const std::string &yaml, const std::string &token = kToken,
                     std::map<std::string, std::string> env = {}) {
    env["HUBSPOT_TOKEN"] = token;
    return run({halo_bin(), "run", yaml, "-q"}, env);
  }

  // crm_id/email/phone of every contact in the server's truth file.
  std::set<Identifiers> truth() {
    simdjson::dom::parser parser;
    std::set<Identifiers> out;
    for (simdjson::dom::element c : parser.load(dir_ / "truth.json").get_array()) {
      Identifiers ids;
      ids["crm_id"].insert(std::string(std::string_view(c["id"])));
      simdjson::dom::element props = c["properties"];
      std::string_view v;
      if (!props["email"].get_string().get(v)) ids["email"].insert(std::string(v));
      if (!props["phone"].get_string().get(v)) ids["phone"].insert(std::string(v));
      out.insert(ids);
    }
    return out;
  }

  std::set<Identifiers> profiles(const std::string &name) {
    std::set<Identifiers> out;
    for (const Profile &p : read_profiles(dir_ / (name + ".jsonl"))) out.insert(p.identifiers);
    return out;
  }

  TempDir dir_;
  ContractProcess server_;
};

TEST_F(HubspotE2E, FullImportThenSecondRunFetchesOnlyChanges) {
  std::string yaml = pipeline("p");
  CommandResult first = halo(yaml);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(profiles("p"), truth());
  EXPECT_EQ(profiles("p").size(), 230u);
  EXPECT_EQ(server_.stat("records_returned"), 230);
  EXPECT_EQ(server_.requests_for("/crm/v3/objects/contacts"), 5);  // 230 / 50

  // Second run: the first incremental search re-reads what changed since
  // the listing began (minus the overlap): nothing was modified, so nothing.
  server_.reset_stats();
  CommandResult second = halo(yaml);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(server_.requests_for("/crm/v3/objects/contacts"), 0);
  EXPECT_EQ(server_.requests_for("/crm/v3/objects/contacts/search"), 1);
  EXPECT_EQ(server_.stat("records_returned"), 0);

  // Three contacts change: the next run fetches exactly those three.
  server_.inject(R"({"kind":"modify","touch":["1003","1100","1200"],"path":"/search$"})");
  server_.reset_stats();
  CommandResult third = halo(yaml);
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(server_.stat("records_returned"), 3);
  EXPECT_EQ(profiles("p"), truth());

  // Then only the contacts at the watermark instant are seen again.
  server_.reset_stats();
  ASSERT_EQ(halo(yaml).exit_code, 0);
  EXPECT_LE(server_.stat("records_returned"), 3);
  EXPECT_EQ(server_.requests_for("/crm/v3/objects/contacts/search"), 1);
}

TEST_F(HubspotE2E, FaultsEndWithTheSameProfilesAsACleanRun) {
  const std::string list = "/crm/v3/objects/contacts$";
  server_.inject(R"([{"kind":"429","count":1,"retry_after":1,"path":")" + list + R"("},
                     {"kind":"500","count":2,"path":")" +
                 list + R"("},
                     {"kind":"slow","count":1,"delay_ms":300,"path":")" +
                 list + R"("},
                     {"kind":"drop","count":1,"path":")" +
                 list + R"("},
                     {"kind":"modify","count":1,"respond":"SECONDLY","path":")" +
                 list + R"("},
                     {"kind":"modify","count":1,"touch":["1001"],"path":")" +
                 list + R"("}])");
  CommandResult r = halo(pipeline("f"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.stat("faults_pending"), 0);
  EXPECT_GE(server_.stat("faults_applied"), 6);
  // The contact modified mid-listing is picked up by the next run.
  ASSERT_EQ(halo(pipeline("f")).exit_code, 0);
  EXPECT_EQ(profiles("f"), truth());
}

TEST_F(HubspotE2E, CrashMidPaginationThenResumeLosesNothing) {
  std::string run = "  batch_size: 20\n  commit_every: 20";
  std::string yaml = pipeline("c", 50, run);
  CommandResult crashed = halo(yaml, kToken, {{"HALO_TEST_EXIT_AFTER_EVENTS", "110"}});
  ASSERT_NE(crashed.exit_code, 0) << crashed.err;
  ASSERT_GT(server_.stat("records_returned"), 0);
  CommandResult resumed = halo(yaml);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(profiles("c"), truth());
}

TEST_F(HubspotE2E, WrongTokenFailsFastNamingTheCredentialNeverPrintingIt) {
  const std::string bad = "pat-na1-WRONG-SECRET-123";
  CommandResult r = halo(pipeline("w"), bad);
  EXPECT_NE(r.exit_code, 0);
  std::string all = r.out + r.err;
  EXPECT_NE(all.find("access_token"), std::string::npos) << all;
  EXPECT_NE(all.find("crm"), std::string::npos) << all;
  EXPECT_NE(all.find("401"), std::string::npos) << all;
  EXPECT_EQ(all.find(bad), std::string::npos) << all;
  EXPECT_EQ(all.find(kToken), std::string::npos);
  EXPECT_EQ(server_.requests_for("/crm/v3/objects/contacts"), 1);  // no retry on 401
}

TEST_F(HubspotE2E, DailyLimitStopsTheRunWithAClearMessage) {
  server_.inject(R"({"kind":"modify","count":10,"respond":"DAILY"})");
  CommandResult r = halo(pipeline("d"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("DAILY"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("midnight"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace halo::e2e
