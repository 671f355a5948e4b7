// bad_input_e2e_test.cpp -- bad records become dead letters with a reason
// while good records keep flowing; bad pipeline files stop the run with a
// message that says where and what to fix.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace halo::e2e::bad_input_e2e_test {
namespace {

const char *kPipeline = R"(version: 1
store: { kind: sqlite, path: var/halo.db }
sources:
  - name: web
    plugin: file-jsonl
    config: { path: events.jsonl }
  - name: crm
    plugin: file-csv
    config:
      path: crm.csv
      mapping: { type: "=identify", messageId: id, traits.email: email, traits.first_name: name }
  - name: gone
    plugin: file-jsonl
    config: { path: missing-dir/nothing.jsonl, optional: true }
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

std::string good(int i, const std::string &email, const std::string &revenue) {
  return R"({"type":"track","event":"Order Completed","messageId":"m)" + std::to_string(i) +
         R"(","timestamp":"2026-01-0)" + std::to_string(1 + i % 9) +
         R"(T10:00:00Z","context":{"traits":{"email":")" + email +
         R"("}},"properties":{"revenue":)" + revenue + "}}\n";
}

TEST(BadInput, BadRecordsAreDeadLetteredAndGoodOnesFlow) {
  TempDir dir;
  write_file(dir / "pipeline.yaml", kPipeline);
  std::string events = good(1, "a@x.test", "10.10") + "{\"type\":\"track\",\"event\":\n" +
                       good(2, "A@X.test ", "20.20") +
                       "{\"type\":\"track\",\"event\":\"Bad \xff\xfe\",\"userId\":\"u\"}\n" +
                       "{\"type\":\"track\",\"event\":42,\"userId\":\"u1\"}\n" +
                       "{\"type\":\"track\",\"event\":\"Order Completed\"}\n" +
                       good(3, "b@x.test", "5") + good(3, "b@x.test", "5");  // last: re-sent
  write_file(dir / "events.jsonl", events);
  write_file(dir / "crm.csv",
             "id,email,name\nc1,a@x.test,Sara\nc2,b@x.test\nc3,\"c@x.test\",\"Ali, Jr\"\n");
  CommandResult r =
      run({halo_bin(), "run", dir / "pipeline.yaml", "--summary-json", dir / "s.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string summary = read_file(dir / "s.json");
  // 7 JSONL records + 1 duplicate + 3 CSV rows; the optional missing
  // input is a warning, not a dead letter.
  EXPECT_NE(summary.find("\"duplicates\":1"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"rejected\":5"), std::string::npos) << summary;
  EXPECT_NE(r.err.find("missing-dir/nothing.jsonl"), std::string::npos) << r.err;
  CommandResult dl = run({halo_bin(), "deadletters", dir / "pipeline.yaml"});
  ASSERT_EQ(dl.exit_code, 0) << dl.err;
  for (const char *reason :
       {"malformed_json", "invalid_utf8", "wrong_type", "no_identifier", "wrong_shape"}) {
    EXPECT_NE(dl.out.find(std::string("\"reason\":\"") + reason + "\""), std::string::npos)
        << reason << " missing in:\n"
        << dl.out;
  }
  EXPECT_NE(dl.out.find("events.jsonl:2"), std::string::npos) << "position of the bad line";
  auto profiles = read_profiles(dir / "var/profiles.jsonl");
  ASSERT_EQ(profiles.size(), 3u);  // a@, b@, c@
  std::map<std::string, std::string> revenue;
  for (const Profile &p : profiles) revenue[*p.identifiers.at("email").begin()] = p.revenue;
  EXPECT_TRUE(same_decimal(revenue["a@x.test"], "30.30")) << revenue["a@x.test"];
  EXPECT_TRUE(same_decimal(revenue["b@x.test"], "5")) << revenue["b@x.test"];
  EXPECT_TRUE(same_decimal(revenue["c@x.test"], "0")) << revenue["c@x.test"];
}

struct BadPipeline {
  const char *name;
  std::string edit_from, edit_to;
  std::vector<std::string> expected;  // substrings of stderr
};

void PrintTo(const BadPipeline &b, std::ostream *os) {
  *os << b.name;
}

class BadPipelineTest : public ::testing::TestWithParam<BadPipeline> {};

TEST_P(BadPipelineTest, StopsWithALocatedMessage) {
  const BadPipeline &c = GetParam();
  TempDir dir;
  std::string yaml = kPipeline;
  size_t at = yaml.find(c.edit_from);
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, c.edit_from.size(), c.edit_to);
  write_file(dir / "pipeline.yaml", yaml);
  write_file(dir / "events.jsonl", good(1, "a@x.test", "1"));
  for (const char *cmd : {"validate", "run"}) {
    CommandResult r = run({halo_bin(), cmd, dir / "pipeline.yaml"});
    EXPECT_EQ(r.exit_code, 2) << cmd << ": " << r.err;
    for (const std::string &s : c.expected) {
      EXPECT_NE(r.err.find(s), std::string::npos) << cmd << ": '" << s << "' not in:\n" << r.err;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadPipelineTest,
    ::testing::Values(BadPipeline{"UnknownPlugin",
                                  "plugin: file-csv",
                                  "plugin: file-cvs",
                                  {"pipeline.yaml:7:", "unknown source plugin 'file-cvs'",
                                   "did you mean 'file-csv'"}},
                      BadPipeline{"UnknownKey",
                                  "    plugin: file-jsonl\n    config: { path: events",
                                  "    plugn: file-jsonl\n    config: { path: events",
                                  {"pipeline.yaml:5:", "plugn", "did you mean 'plugin'"}},
                      BadPipeline{"UnknownOption",
                                  "config: { path: events.jsonl }",
                                  "config: { pth: events.jsonl }",
                                  {"pipeline.yaml:6:", "pth", "did you mean 'path'"}},
                      BadPipeline{"BadYaml", "features:\n", "features: [\n", {"pipeline.yaml:"}},
                      BadPipeline{"MissingEnv",
                                  "path: events.jsonl",
                                  "path: \"${HALO_TEST_UNSET_VAR}\"",
                                  {"pipeline.yaml:6:", "HALO_TEST_UNSET_VAR"}}),
    [](const auto &info) { return std::string(info.param.name); });

}  // namespace
}  // namespace halo::e2e::bad_input_e2e_test
