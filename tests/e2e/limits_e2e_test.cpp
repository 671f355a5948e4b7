// limits_e2e_test.cpp -- hostile records through the real `halo` binary:
// a record nested 50,000 levels deep (under 1 MiB), duplicate keys and
// unusable numbers become typed dead letters naming the limit or field,
// while the other records of the same file land and the run exits 0.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace halo::e2e::limits_e2e_test {
namespace {

const char *kPipeline = R"(version: 1
store: { kind: sqlite, path: var/halo.db }
limits: { max_depth: 64 }
sources:
  - name: web
    plugin: file-jsonl
    config: { path: events.jsonl }
features:
  - name: orders
    plugin: aggregates
    config:
      features:
        revenue: { sum: { event: Order Completed, field: properties.revenue } }
destinations:
  - { name: out, plugin: file-jsonl, config: { path: var/profiles.jsonl } }
)";

std::string order(const std::string &id, const std::string &email, const std::string &revenue,
                  const std::string &extra = "") {
  return R"({"type":"track","event":"Order Completed","messageId":")" + id +
         R"(","timestamp":"2026-01-02T10:00:00Z","context":{"traits":{"email":")" + email +
         R"("}},"properties":{"revenue":)" + revenue + extra + "}}\n";
}

std::string deeply_nested(size_t levels) {
  std::string s = R"({"type":"track","event":"Order Completed","userId":"deep","properties":)";
  for (size_t i = 0; i < levels; ++i) s += "{\"a\":";
  s += "1";
  s += std::string(levels, '}');
  return s + "}\n";
}

TEST(LimitsE2E, DeepDuplicateAndUnusableRecordsAreDeadLettersOthersLand) {
  TempDir dir;
  write_file(dir / "pipeline.yaml", kPipeline);
  const std::string deep = deeply_nested(50000);
  ASSERT_LT(deep.size(), size_t{1} << 20);
  write_file(dir / "events.jsonl",
             order("m1", "a@x.test", "10.5") + deep + order("m2", "a@x.test", "1e400") +
                 order("m3", "a@x.test", std::string(50, '9')) + order("m4", "a@x.test", "00012") +
                 order("m5", "a@x.test", "1", R"(,"revenue":2)") + order("m6", "b@x.test", "7"));
  CommandResult r =
      run({halo_bin(), "run", dir / "pipeline.yaml", "--summary-json", dir / "s.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string summary = read_file(dir / "s.json");
  EXPECT_NE(summary.find("\"rejected\":5"), std::string::npos) << summary;
  CommandResult dl = run({halo_bin(), "deadletters", dir / "pipeline.yaml"});
  ASSERT_EQ(dl.exit_code, 0) << dl.err;
  for (const char *expected :
       {"\"reason\":\"too_deep\"", "more than 64 levels deep", "limits.max_depth",
        "\"reason\":\"number_out_of_range\"", "\"reason\":\"number_too_precise\"",
        "limits.max_number_digits", "\"reason\":\"malformed_json\"", "\"reason\":\"duplicate_key\"",
        "properties.revenue"}) {
    EXPECT_NE(dl.out.find(expected), std::string::npos) << expected << " missing";
  }
  // The good records landed; no unusable amount was counted as 0 or summed.
  std::map<std::string, std::string> revenue;
  for (const Profile &p : read_profiles(dir / "var/profiles.jsonl")) {
    revenue[*p.identifiers.at("email").begin()] = p.revenue;
  }
  ASSERT_EQ(revenue.size(), 2u);
  EXPECT_TRUE(same_decimal(revenue["a@x.test"], "10.5")) << revenue["a@x.test"];
  EXPECT_TRUE(same_decimal(revenue["b@x.test"], "7")) << revenue["b@x.test"];
  // A re-run finds the same file already consumed: no crash loop.
  CommandResult again = run({halo_bin(), "run", dir / "pipeline.yaml"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
}

}  // namespace
}  // namespace halo::e2e::limits_e2e_test
