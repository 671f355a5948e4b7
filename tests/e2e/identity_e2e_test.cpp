// `halo identity evaluate`: the shipped FEBRL configuration through the real
// binary, on FEBRL 1 and on generated FEBRL-style data it was not written
// for, and its refusals.
#include <gtest/gtest.h>

#include <string>

#include "e2e_support.h"

namespace halo::e2e::identity_e2e_test {
namespace {

const std::string kConfig = source_dir() + "/config/febrl.yaml";
const std::string kFebrl1 = source_dir() + "/tests/data/febrl/dataset1.csv";

TEST(IdentityEvaluate, ReachesF1OfAtLeast099OnFebrl1InJson) {
  CommandResult r = run({halo_bin(), "identity", "evaluate", "--config", kConfig, "--data", kFebrl1,
                         "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json_number(r.out, "records"), 1000);
  EXPECT_EQ(json_number(r.out, "true_pairs"), 500);
  EXPECT_GE(json_number(r.out, "f1"), 0.99) << r.out;
  EXPECT_GE(json_number(r.out, "precision"), 0.99);
  EXPECT_GE(json_number(r.out, "recall"), 0.99);
  EXPECT_NE(r.out.find("\"em_converged\":true"), std::string::npos) << r.out;
}

TEST(IdentityEvaluate, PairsFileExplainsEveryLinkFieldByField) {
  TempDir dir;
  CommandResult r = run({halo_bin(), "identity", "evaluate", "--config", kConfig, "--data", kFebrl1,
                         "--pairs", dir / "pairs.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = read_lines(dir / "pairs.jsonl");
  ASSERT_EQ(lines.size(), 500u);  // 500 links, no review pair on FEBRL 1
  for (const std::string &line : lines) {
    EXPECT_EQ(line.rfind(R"({"a":"rec-)", 0), 0u) << line;
    EXPECT_NE(line.find(R"("decision":"link")"), std::string::npos) << line;
    EXPECT_NE(line.find(R"("same_person":true)"), std::string::npos) << line;
    EXPECT_NE(line.find(R"({"column":"soc_sec_id","a":")"), std::string::npos) << line;
  }
  EXPECT_NE(run({halo_bin(), "identity", "evaluate", "--config", kConfig, "--data", kFebrl1,
                 "--pairs", dir / "no/such/dir/p.jsonl"})
                .exit_code,
            0);
}

TEST(IdentityEvaluate, HoldsOnGeneratedFebrlStyleRecords) {
  TempDir dir;
  const std::string data = dir / "people.csv";
  CommandResult g =
      run({datagen_bin(), "people", "--out", data, "--records", "10000", "--seed", "11"});
  ASSERT_EQ(g.exit_code, 0) << g.err;
  CommandResult r = run({halo_bin(), "identity", "evaluate", "--config", kConfig, "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t at = r.out.find("f1 ");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_GE(std::stod(r.out.substr(at + 3)), 0.99) << r.out;
  EXPECT_NE(r.out.find("records          10000\n"), std::string::npos) << r.out;
}

TEST(IdentityEvaluate, RefusesBadInputWithTheReason) {
  TempDir dir;
  CommandResult r = run({halo_bin(), "identity", "evaluate", "--config", kConfig});
  EXPECT_EQ(r.exit_code, 2);
  r = run({halo_bin(), "identity", "evaluate", "--config", kConfig, "--data", dir / "none.csv"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("none.csv: cannot read"), std::string::npos) << r.err;

  write_file(dir / "short.csv", "rec_id, surname\nrec-1-org, smith\n");
  r = run({halo_bin(), "identity", "evaluate", "--config", kConfig, "--data", dir / "short.csv"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("names column 'given_name', which the data does not have"),
            std::string::npos)
      << r.err;

  write_file(dir / "ragged.csv", "rec_id, surname\nrec-1-org, smith, extra\n");
  r = run({halo_bin(), "identity", "evaluate", "--config", kConfig, "--data", dir / "ragged.csv"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("ragged.csv: line 2: 3 fields, the header has 2"), std::string::npos)
      << r.err;

  write_file(dir / "det.yaml", "identity: { resolver: deterministic }\n");
  r = run({halo_bin(), "identity", "evaluate", "--config", dir / "det.yaml", "--data", kFebrl1});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("det.yaml:1:23: identity.resolver: expected 'probabilistic'"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace halo::e2e::identity_e2e_test
