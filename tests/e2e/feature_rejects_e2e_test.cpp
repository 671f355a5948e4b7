// feature_rejects_e2e_test.cpp -- a value the aggregates builder cannot use
// exactly (not a number, beyond the summable range) is never counted as
// zero: the event is stored, the builder skips it, a dead letter (stage
// "feature") names the feature, the field and the profile, and every other
// event of the batch is counted. A rebuild gives the same result.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace halo::e2e::feature_rejects_e2e_test {
namespace {

const char *kPipeline = R"(version: 1
store: { kind: sqlite, path: var/halo.db }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
features:
  - name: orders
    plugin: aggregates
    config:
      features:
        order_count: { count: { event: Order Completed } }
        revenue: { sum: { event: Order Completed, field: properties.revenue } }
destinations:
  - { name: out, plugin: file-jsonl, config: { path: var/profiles.jsonl } }
)";

std::string order(int i, const std::string &email, const std::string &revenue) {
  return R"({"type":"track","event":"Order Completed","messageId":"m)" + std::to_string(i) +
         R"(","timestamp":"2026-01-02T10:00:0)" + std::to_string(i) +
         R"(Z","context":{"traits":{"email":")" + email + R"("}},"properties":{"revenue":)" +
         revenue + "}}\n";
}

TEST(FeatureRejects, UnusableMoneyIsADeadLetterNeverAZero) {
  TempDir dir;
  write_file(dir / "p.yaml", kPipeline);
  write_file(dir / "events.jsonl", order(1, "a@x.ir", "10") + order(2, "a@x.ir", "\"abc\"") +
                                       order(3, "a@x.ir", "5000000000000000000") +
                                       order(4, "a@x.ir", "20.5") + order(5, "b@x.ir", "7"));
  CommandResult r = run({halo_bin(), "run", dir / "p.yaml", "--summary-json", dir / "s.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string summary = read_file(dir / "s.json");
  EXPECT_NE(summary.find("\"accepted\":5"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"feature_rejections\":2"), std::string::npos) << summary;

  std::vector<Profile> profiles = read_profiles(dir / "var/profiles.jsonl");
  ASSERT_EQ(profiles.size(), 2u);
  for (const Profile &p : profiles) {
    if (p.identifiers.at("email").count("a@x.ir")) {
      EXPECT_EQ(p.order_count, "2") << p.line;
      EXPECT_TRUE(same_decimal(p.revenue, "30.5")) << p.line;
    } else {
      EXPECT_EQ(p.order_count, "1") << p.line;
      EXPECT_TRUE(same_decimal(p.revenue, "7")) << p.line;
    }
  }
  CommandResult dl = run({halo_bin(), "deadletters", dir / "p.yaml"});
  ASSERT_EQ(dl.exit_code, 0) << dl.err;
  for (const char *part : {"\"stage\":\"feature\"", "\"reason\":\"not_a_number\"",
                           "\"reason\":\"number_out_of_range\"", "feature 'orders' (aggregates)",
                           "feature 'revenue' (sum of properties.revenue)", "messageId m2",
                           "messageId m3", "(profile "}) {
    EXPECT_NE(dl.out.find(part), std::string::npos) << part << "\n" << dl.out;
  }

  std::string before = read_file(dir / "var/profiles.jsonl");
  CommandResult rb = run({halo_bin(), "rebuild", dir / "p.yaml"});
  ASSERT_EQ(rb.exit_code, 0) << rb.err;
  EXPECT_EQ(read_file(dir / "var/profiles.jsonl"), before);
  CommandResult again = run({halo_bin(), "deadletters", dir / "p.yaml"});
  EXPECT_EQ(again.out, dl.out);
}

}  // namespace
}  // namespace halo::e2e::feature_rejects_e2e_test
