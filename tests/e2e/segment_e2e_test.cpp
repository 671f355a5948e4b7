// segment_e2e_test.cpp -- `halo segment preview`: a segment expression
// over the profiles a run stored (features, traits, identifiers), counted
// and sampled without writing; an expression that does not parse names
// its column; no store is "not found".
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace halo::e2e::segment_e2e_test {
namespace {

std::string preview(const std::string &pipeline, const std::string &expression,
                    const std::vector<std::string> &extra = {"--format", "json"}) {
  std::vector<std::string> argv = {halo_bin(), "segment", "preview", pipeline, expression};
  argv.insert(argv.end(), extra.begin(), extra.end());
  CommandResult r = run(argv);
  EXPECT_EQ(r.exit_code, 0) << expression << "\n" << r.err;
  return r.out;
}

TEST(SegmentPreviewE2E, CountsAndSamplesStoredProfiles) {
  TempDir dir;
  const std::string p = shop_pipeline(dir,
                                      "  - { name: out, plugin: file-jsonl, config: { path: "
                                      "profiles.jsonl } }\n");
  write_file(dir / "events.jsonl", shop_events(6) + shop_changes());
  // No run yet: no store.
  EXPECT_EQ(run({halo_bin(), "segment", "preview", p, "features.orders >= 1"}).exit_code, 3);
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  const std::string before = read_file(dir / "halo.db");

  // Six customers ordered (c3 twice); c5 merged with the visitor from Tabriz.
  std::string out = preview(p, "features.orders >= 1");
  EXPECT_EQ(json_number(out, "profiles"), 6) << out;
  EXPECT_EQ(json_number(out, "matched"), 6) << out;
  out = preview(p, "features.orders == 2", {"--format", "json", "--limit", "1"});
  EXPECT_EQ(json_number(out, "matched"), 1) << out;
  EXPECT_NE(out.find(R"("user_id":["c3"])"), std::string::npos) << out;
  out = preview(p, "traits.city == 'Tabriz' and identifiers.anonymous_id == 'anon'");
  EXPECT_EQ(json_number(out, "matched"), 1) << out;
  EXPECT_NE(out.find(R"("user_id":["c5"])"), std::string::npos) << out;
  out = preview(p,
                "identifiers.user_id in ['c0', 'c1'] or not exists(traits.city) and "
                "features.orders > 1");
  EXPECT_EQ(json_number(out, "matched"), 3) << out;
  // Text: the count, then the sample in the export format.
  out = preview(p, "features.orders == 1", {"--limit", "2"});
  EXPECT_EQ(out.substr(0, out.find('\n')), "5 of 6 profiles match");
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3) << out;
  EXPECT_EQ(read_file(dir / "halo.db"), before);  // nothing written

  CommandResult bad =
      run({halo_bin(), "segment", "preview", p, "features.orders >= 1 and tratis.x"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("column 26: unknown name 'tratis.x' (did you mean 'traits.x'?)"),
            std::string::npos)
      << bad.err;
  EXPECT_NE(bad.err.find("\n                           ^"), std::string::npos) << bad.err;
}

// `segments:` in the pipeline: `halo validate` checks every expression
// (the YAML line and column of the value, then the column inside it), and
// preview takes a segment's name.
TEST(SegmentPreviewE2E, PipelineSegmentsAreCheckedAndPreviewedByName) {
  TempDir dir;
  const std::string p = shop_pipeline(dir,
                                      "  - { name: out, plugin: file-jsonl, config: { path: "
                                      "profiles.jsonl } }\n");
  write_file(dir / "events.jsonl", shop_events(4) + shop_changes());
  const std::string good = read_file(p);
  write_file(p, good +
                    "segments:\n  - { name: repeat, expression: \"features.orders >= 2\" }\n"
                    "  - name: tabriz\n    description: visitors from Tabriz\n"
                    "    expression: traits.city == 'Tabriz'\n");
  ASSERT_EQ(run({halo_bin(), "validate", p}).exit_code, 0);
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  std::string out = preview(p, "repeat");
  EXPECT_EQ(json_number(out, "matched"), 1) << out;
  EXPECT_NE(out.find(R"("expression":"features.orders >= 2")"), std::string::npos) << out;
  EXPECT_EQ(json_number(preview(p, "tabriz"), "matched"), 1);

  write_file(p, good +
                    "segments:\n  - { name: repeat, expression: \"features.orders >== 2\" }\n"
                    "  - { name: Bad Name, expression: traits.x }\n"
                    "  - { name: repeat, expression: traits.x }\n");
  CommandResult v = run({halo_bin(), "validate", p});
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_NE(v.err.find("pipeline.yaml:18:13: segments[1].name: segment name 'Bad Name' must match"),
            std::string::npos)
      << v.err;
  EXPECT_NE(v.err.find("segments[2].name: duplicate segment name 'repeat'"), std::string::npos)
      << v.err;
  write_file(p, good + "segments:\n  - { name: repeat, expression: \"features.orders >== 2\" }\n");
  v = run({halo_bin(), "validate", p});
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_NE(v.err.find("pipeline.yaml:17:33: segments[0].expression: column 19: '=' is not an "
                       "operator (compare with '==')"),
            std::string::npos)
      << v.err;
}

}  // namespace
}  // namespace halo::e2e::segment_e2e_test
