// connectors_e2e_test.cpp -- issue 4 acceptance: one `halo run` on a
// pipeline with all four connectors (WooCommerce, HubSpot and Square
// contract servers over TLS with a test CA, and a POS drop folder) joins
// the shop customer, the CRM contact, the Square customer and the till
// customer into one profile per person (by email and phone written in
// different forms), with exact order counts and revenue; a second run
// fetches nothing new and leaves the profiles file byte-identical.
//
// The expected profiles come from the servers' own fixture dumps through
// an independent union-find (identity_oracle.h), never from the kernel.
#include "contract_process.h"
#include "e2e_support.h"
#include "identity_oracle.h"
#include "joint_fixture.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace halo::connectors_e2e {
namespace {

using contract::ContractProcess;
using e2e::CommandResult;
using e2e::Profile;
using e2e::TempDir;

const std::map<std::string, std::string> kSecrets = {{"WC_KEY", "ck_test_key"},
                                                     {"WC_SECRET", "cs_test_secret"},
                                                     {"HUBSPOT_TOKEN", "pat-na1-contract-test"},
                                                     {"SQUARE_TOKEN", "EAAA-contract-test"}};
const std::vector<std::string> kSquareLocations = {"L1", "L2"};

std::string script(const std::string &name) {
  return e2e::source_dir() + "/tests/contract/" + name;
}

class AllSourcesE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    contract::make_test_ca(dir_ / "tls");
    people_ = make_people();
    e2e::write_file(dir_ / "woo-people.json", people_json(people_, System::woo));
    e2e::write_file(dir_ / "crm-people.json", people_json(people_, System::crm));
    e2e::write_file(dir_ / "square-people.json", people_json(people_, System::square));
    woo_.start(script("woocommerce_server.py"),
               {"--customers", "20", "--orders", "60", "--currency", "IRR", "--people",
                dir_ / "woo-people.json", "--dump", dir_ / "woo.json"},
               dir_ / "tls");
    crm_.start(
        script("hubspot_server.py"),
        {"--contacts", "15", "--people", dir_ / "crm-people.json", "--dump", dir_ / "crm.json"},
        dir_ / "tls");
    square_.start(script("square_server.py"),
                  {"--customers", "15", "--orders", "60", "--currency", "IRR", "--people",
                   dir_ / "square-people.json", "--dump", dir_ / "square.json"},
                  dir_ / "tls");
    sales_ = make_pos_sales(people_);
    std::filesystem::create_directories(dir_ / "drop");
    e2e::write_file(dir_ / "drop/till-1.csv", pos_csv(sales_));
    write_pipeline();
  }

  void write_pipeline() {
    std::string ca = dir_ / "tls/ca.pem";
    std::string yaml =
        "version: 1\n"
        "store: { kind: sqlite, path: var/halo.db }\n"
        "identity:\n"
        "  resolver: deterministic\n"
        "  identifiers:\n"
        "    - { type: woo_customer_id, priority: 2, max_per_profile: 1, paths: "
        "[traits.woo_customer_id, context.traits.woo_customer_id] }\n"
        "    - { type: crm_id, priority: 3, max_per_profile: 1, paths: [traits.crm_id] }\n"
        "    - { type: square_customer_id, priority: 3, max_per_profile: 1, paths: "
        "[traits.square_customer_id, context.traits.square_customer_id] }\n"
        "    - { type: email, priority: 4, max_per_profile: 5 }\n"
        "    - { type: phone, priority: 5, max_per_profile: 3, default_region: IR }\n"
        "    - { type: pos_card, priority: 6, max_per_profile: 5, paths: "
        "[context.traits.pos_card] }\n"
        "sources:\n"
        "  - name: shop\n    plugin: woocommerce\n    config:\n"
        "      url: \"" +
        woo_.base_url() +
        "\"\n"
        "      consumer_key: \"${WC_KEY}\"\n      consumer_secret: \"${WC_SECRET}\"\n"
        "      ca_file: \"" +
        ca +
        "\"\n      per_page: 25\n"
        "  - name: crm\n    plugin: hubspot\n    config:\n"
        "      base_url: \"" +
        crm_.base_url() +
        "\"\n"
        "      access_token: \"${HUBSPOT_TOKEN}\"\n      ca_file: \"" +
        ca +
        "\"\n"
        "  - name: square\n    plugin: square\n    config:\n"
        "      base_url: \"" +
        square_.base_url() +
        "\"\n"
        "      access_token: \"${SQUARE_TOKEN}\"\n      ca_file: \"" +
        ca +
        "\"\n"
        "      location_ids: [L1, L2]\n      currency_minor_units: 0\n"
        "  - name: tills\n    plugin: pos-csv\n    config:\n"
        "      dir: drop\n      settle_seconds: 0\n      refund_event: Order Refunded\n"
        "      mapping:\n"
        "        type: \"=track\"\n        event: \"=Order Completed\"\n"
        "        messageId: \"شماره فاکتور\"\n"
        "        timestamp: { from: \"تاریخ\", as: date, calendar: jalali, format: "
        "\"%Y/%m/%d %H:%M\", timezone_offset: \"+03:30\" }\n"
        "        context.traits.pos_card: { from: \"شماره کارت\", required: true }\n"
        "        context.traits.phone: \"تلفن\"\n"
        "        properties.revenue: { from: \"مبلغ\", as: money, unit: toman, "
        "output_unit: rial, refund_sign: true }\n"
        "        properties.currency: \"=IRR\"\n"
        "features:\n  - name: orders\n    plugin: aggregates\n    config:\n      features:\n"
        "        order_count: { count: { event: Order Completed } }\n"
        "        revenue: { sum: { event: Order Completed, field: properties.revenue } }\n"
        "destinations:\n"
        "  - { name: profiles, plugin: file-jsonl, config: { path: profiles.jsonl } }\n";
    e2e::write_file(dir_ / "pipeline.yaml", yaml);
  }

  CommandResult run_halo(const std::string &summary) {
    return e2e::run(
        {e2e::halo_bin(), "run", dir_ / "pipeline.yaml", "-q", "--summary-json", dir_ / summary},
        kSecrets);
  }

  std::vector<ExpectedProfile> expected() {
    std::vector<FixtureRecord> all = woo_records(dir_ / "woo.json");
    for (auto part :
         {hubspot_records(dir_ / "crm.json"),
          square_records(dir_ / "square.json", kSquareLocations), pos_records(sales_)}) {
      all.insert(all.end(), part.begin(), part.end());
    }
    return join_records(all);
  }

  TempDir dir_;
  ContractProcess woo_, crm_, square_;
  std::vector<Person> people_;
  std::vector<PosSale> sales_;
};

std::string describe(const Identifiers &ids) {
  std::string out;
  for (const auto &[type, values] : ids) {
    for (const std::string &v : values) out += (out.empty() ? "" : " ") + type + "=" + v;
  }
  return out;
}

int64_t whole_number(const std::string &json_number) {
  return json_number.empty() ? 0 : parse_minor_units(json_number, 0);
}

// Index of the expected profile holding `ids` (all of them), else -1 with
// a message naming the split/merge.
int match(const std::vector<ExpectedProfile> &want, const Identifiers &ids, std::string &why) {
  int found = -1;
  for (const auto &[type, values] : ids) {
    for (const std::string &v : values) {
      int owner = -1;
      for (size_t i = 0; i < want.size(); ++i) {
        auto it = want[i].identifiers.find(type);
        if (it != want[i].identifiers.end() && it->second.count(v)) owner = static_cast<int>(i);
      }
      if (owner < 0 || (found >= 0 && owner != found)) {
        why = "profile {" + describe(ids) + "} " +
              (owner < 0 ? "holds unexpected " + type + "=" + v : "merges two persons");
        return -1;
      }
      found = owner;
    }
  }
  return found;
}

TEST_F(AllSourcesE2E, OneRunJoinsEveryPersonWithExactTotals) {
  CommandResult r = run_halo("run1.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<ExpectedProfile> want = expected();
  // The oracle ignores per-type limits; the fixture must not need them.
  EXPECT_EQ(max_per_type(want, "woo_customer_id"), 1u);
  EXPECT_EQ(max_per_type(want, "crm_id"), 1u);
  EXPECT_EQ(max_per_type(want, "square_customer_id"), 1u);
  EXPECT_LE(max_per_type(want, "email"), 5u);
  EXPECT_LE(max_per_type(want, "phone"), 3u);
  EXPECT_LE(max_per_type(want, "pos_card"), 5u);

  std::vector<Profile> got = e2e::read_profiles(dir_ / "profiles.jsonl");
  EXPECT_EQ(got.size(), want.size()) << "profiles vs distinct persons + non-person fixtures";
  std::vector<int> seen(want.size(), 0);
  for (const Profile &p : got) {
    std::string why;
    int i = match(want, p.identifiers, why);
    if (i < 0) {
      ADD_FAILURE() << why;
      continue;
    }
    ++seen[static_cast<size_t>(i)];
    const ExpectedProfile &w = want[static_cast<size_t>(i)];
    EXPECT_EQ(describe(p.identifiers), describe(w.identifiers)) << "split person";
    EXPECT_EQ(whole_number(p.order_count), w.order_count) << describe(w.identifiers);
    EXPECT_EQ(whole_number(p.revenue), w.revenue) << describe(w.identifiers);
  }
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(seen[i], 1) << "profiles for {" << describe(want[i].identifiers) << "}";
  }
}

TEST_F(AllSourcesE2E, EveryPersonInSeveralSystemsIsOneProfileWithAllIdentifiers) {
  ASSERT_EQ(run_halo("run1.json").exit_code, 0);
  std::vector<Profile> got = e2e::read_profiles(dir_ / "profiles.jsonl");
  int joined = 0;
  for (const Person &person : people_) {
    std::string phone = normalize_phone(person.phone);
    std::vector<const Profile *> holders;
    for (const Profile &p : got) {
      auto emails = p.identifiers.find("email");
      auto phones = p.identifiers.find("phone");
      bool by_email = emails != p.identifiers.end() && emails->second.count(person.email);
      bool by_phone = phones != p.identifiers.end() && phones->second.count(phone);
      if (by_email || by_phone) holders.push_back(&p);
    }
    ASSERT_EQ(holders.size(), 1u) << person.email << " is in " << holders.size() << " profiles";
    const Identifiers &ids = holders[0]->identifiers;
    std::string label = person.email + ": " + describe(ids);
    EXPECT_EQ(ids.count("woo_customer_id"), person.in_woo ? 1u : 0u) << label;
    EXPECT_EQ(ids.count("crm_id"), person.in_crm ? 1u : 0u) << label;
    EXPECT_EQ(ids.count("square_customer_id"), person.in_square ? 1u : 0u) << label;
    EXPECT_EQ(ids.count("pos_card"), person.in_pos ? 1u : 0u) << label;
    bool has_email =
        person.in_woo || person.in_crm || (person.in_square && !person.square_without_email);
    EXPECT_EQ(ids.count("email") && ids.at("email").count(person.email), has_email) << label;
    EXPECT_TRUE(ids.count("phone") && ids.at("phone").count(phone)) << label;
    joined += person.systems() >= 2;
  }
  EXPECT_GE(joined, 8) << "the fixture must exercise joins";
}

TEST_F(AllSourcesE2E, SecondRunFetchesNothingNewAndChangesNoByte) {
  ASSERT_EQ(run_halo("run1.json").exit_code, 0);
  std::string before = e2e::read_file(dir_ / "profiles.jsonl");
  ASSERT_FALSE(before.empty());
  CommandResult r = run_halo("run2.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string summary = e2e::read_file(dir_ / "run2.json");
  EXPECT_NE(summary.find("\"accepted\":0"), std::string::npos) << summary;
  EXPECT_EQ(e2e::read_file(dir_ / "profiles.jsonl"), before);
}

// The documented example (config/all-sources.yaml) stays loadable: every
// plugin accepts its options; secrets come from the environment only.
TEST(AllSourcesExample, ValidatesWithSecretsFromTheEnvironment) {
  TempDir dir;
  std::filesystem::create_directories(dir / "config");
  std::filesystem::create_directories(dir / "data/pos-drop");
  std::filesystem::copy_file(e2e::source_dir() + "/config/all-sources.yaml",
                             dir / "config/all-sources.yaml");
  CommandResult r =
      e2e::run({e2e::halo_bin(), "validate", dir / "config/all-sources.yaml"}, kSecrets);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("4 sources"), std::string::npos) << r.out;
  r = e2e::run({e2e::halo_bin(), "validate", dir / "config/all-sources.yaml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("SQUARE_TOKEN"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace halo::connectors_e2e
