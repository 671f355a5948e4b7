// file_sources_e2e_test.cpp -- the file sources through the real `halo`
// binary: a missing input fails the run naming the path and the source
// (optional: true makes it a warning), and a refreshed CSV export with
// CR-only line endings yields exactly its new and changed rows while its
// bad row is not dead-lettered a second time.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace halo::e2e::file_sources_e2e_test {
namespace {

std::string pipeline(const std::string &web_config) {
  return R"(version: 1
store: { kind: sqlite, path: var/halo.db }
sources:
  - name: crm
    plugin: file-csv
    config:
      path: crm.csv
      mapping: { type: "=identify", userId: id, traits.email: email, traits.tier: tier }
  - name: web
    plugin: file-jsonl
    config: )" +
         web_config +
         R"(
destinations:
  - { name: out, plugin: file-jsonl, config: { path: var/profiles.jsonl } }
)";
}

std::string summary_field(const std::string &json, const std::string &key) {
  size_t at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return "<none>";
  at += key.size() + 3;
  return json.substr(at, json.find_first_of(",}", at) - at);
}

TEST(FileSourcesE2e, MissingInputFailsNamingPathAndSourceAfterEarlierSourcesCommit) {
  TempDir dir;
  write_file(dir / "pipeline.yaml", pipeline("{ path: data/wrong-name.jsonl }"));
  write_file(dir / "crm.csv", "id,email,tier\n1,a@x.test,gold\n");
  CommandResult r = run({halo_bin(), "run", dir / "pipeline.yaml"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("data/wrong-name.jsonl"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'web'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;

  // `crm` ran before `web` and was committed: marked optional, a second run
  // finds nothing new in crm.csv and only warns about the missing file.
  write_file(dir / "pipeline.yaml", pipeline("{ path: data/wrong-name.jsonl, optional: true }"));
  r = run({halo_bin(), "run", dir / "pipeline.yaml", "--summary-json", dir / "s.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("optional: true"), std::string::npos) << r.err;
  std::string summary = read_file(dir / "s.json");
  EXPECT_EQ(summary_field(summary, "records_read"), "0") << summary;
  EXPECT_EQ(summary_field(summary, "profiles"), "1") << summary;
}

TEST(FileSourcesE2e, GlobMatchingNothingIsAnErrorUnlessOptional) {
  TempDir dir;
  write_file(dir / "pipeline.yaml", pipeline("{ path: \"exports/*.jsonl\" }"));
  write_file(dir / "crm.csv", "id,email,tier\n1,a@x.test,gold\n");
  CommandResult r = run({halo_bin(), "run", dir / "pipeline.yaml"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("exports/*.jsonl"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("matches no file"), std::string::npos) << r.err;
}

TEST(FileSourcesE2e, RefreshedExportYieldsOnlyNewAndChangedRows) {
  TempDir dir;
  write_file(dir / "pipeline.yaml", pipeline("{ path: web.jsonl }"));
  write_file(dir / "web.jsonl", "");
  // CR-only line endings (classic Mac exports): every row must be read.
  write_file(dir / "crm.csv", "id,email,tier\r1,a@x.test,gold\r2,b@x.test,silver\r3,bad\r");
  CommandResult r =
      run({halo_bin(), "run", dir / "pipeline.yaml", "--summary-json", dir / "1.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string first = read_file(dir / "1.json");
  EXPECT_EQ(summary_field(first, "accepted"), "2") << first;
  EXPECT_EQ(summary_field(first, "dead_letters_total"), "1") << first;

  // The refreshed export: a new row on top, row 2 changed, row 1 and the bad
  // row unchanged, now with CRLF.
  write_file(
      dir / "crm.csv",
      "id,email,tier\r\n0,n@x.test,bronze\r\n1,a@x.test,gold\r\n2,b@x.test,gold\r\n3,bad\r\n");
  r = run({halo_bin(), "run", dir / "pipeline.yaml", "--summary-json", dir / "2.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string second = read_file(dir / "2.json");
  EXPECT_EQ(summary_field(second, "records_read"), "4") << second;
  EXPECT_EQ(summary_field(second, "accepted"), "2") << second;    // row 0, changed row 2
  EXPECT_EQ(summary_field(second, "duplicates"), "1") << second;  // row 1
  EXPECT_EQ(summary_field(second, "dead_letters_total"), "1") << second;
  EXPECT_EQ(summary_field(second, "profiles"), "3") << second;
  CommandResult dl = run({halo_bin(), "deadletters", dir / "pipeline.yaml"});
  ASSERT_EQ(dl.exit_code, 0) << dl.err;
  EXPECT_NE(dl.out.find("\"raw\":\"3,bad\""), std::string::npos) << dl.out;
}

TEST(FileSourcesE2e, CompositeMessageIdFromYamlList) {
  TempDir dir;
  write_file(dir / "pipeline.yaml", R"(version: 1
store: { kind: sqlite, path: var/halo.db }
sources:
  - name: orders
    plugin: file-csv
    config:
      path: lines.csv
      mapping:
        type: "=track"
        event: "=Order Completed"
        messageId: [order_id, line_no]
        userId: customer
destinations:
  - { name: out, plugin: file-jsonl, config: { path: var/profiles.jsonl } }
)");
  write_file(dir / "lines.csv", "order_id,line_no,customer\nA,1,u1\nA,2,u1\nA,1,u1\n");
  CommandResult r =
      run({halo_bin(), "run", dir / "pipeline.yaml", "--summary-json", dir / "s.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string summary = read_file(dir / "s.json");
  EXPECT_EQ(summary_field(summary, "accepted"), "2") << summary;
  EXPECT_EQ(summary_field(summary, "duplicates"), "1") << summary;
}

}  // namespace
}  // namespace halo::e2e::file_sources_e2e_test
