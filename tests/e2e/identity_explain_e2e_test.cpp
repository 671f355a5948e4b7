// `halo identity explain` and `halo identity merges` through the real
// binaries: every identifier, merge and refused link named with its event,
// in text, JSON, DOT and JSON Lines, the same after `halo rebuild`.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "e2e_support.h"

namespace halo::e2e::identity_explain_e2e_test {
namespace {

// dev-1 browses and gives an email; dev-2 logs in as ali with that email
// (merging the two profiles); sara signs up with the same email (the email
// is demoted: ali's profile already has its one user_id, so sara gets her
// own); ali buys on a third device; sara logs in on ali's first device (the
// merge of the two people is refused).
const char *kEvents =
    R"({"type":"page","messageId":"m1","anonymousId":"dev-1","timestamp":"2026-01-01T00:00:00Z"}
{"type":"identify","messageId":"m2","anonymousId":"dev-1","traits":{"email":"ali@x.ir"},"timestamp":"2026-01-02T00:00:00Z"}
{"type":"page","messageId":"m3","anonymousId":"dev-2","timestamp":"2026-01-03T00:00:00Z"}
{"type":"identify","messageId":"m4","anonymousId":"dev-2","userId":"ali","traits":{"email":"ali@x.ir"},"timestamp":"2026-01-04T00:00:00Z"}
{"type":"identify","messageId":"m5","userId":"sara","traits":{"email":"ali@x.ir"},"timestamp":"2026-01-05T00:00:00Z"}
{"type":"track","event":"Order Completed","messageId":"m6","anonymousId":"dev-3","userId":"ali","timestamp":"2026-01-06T00:00:00Z"}
{"type":"page","messageId":"m7","anonymousId":"dev-1","userId":"sara","timestamp":"2026-01-07T00:00:00Z"}
)";

class IdentityExplain : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_ / "events.jsonl", kEvents);
    write_file(dir_ / "p.yaml",
               "version: 1\nstore: { kind: sqlite, path: halo.db }\nsources:\n"
               "  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }\n");
    RunOutcome r = run_pipeline(pipeline());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string pipeline() const { return dir_ / "p.yaml"; }
  CommandResult identity(std::vector<std::string> args) {
    args.insert(args.begin(), {halo_bin(), "identity"});
    return run(args);
  }
  TempDir dir_;
};

TEST_F(IdentityExplain, TextNamesEveryLinkMergeAndRefusalWithItsEvent) {
  CommandResult r = identity({"explain", pipeline(), "--email", "ALI@x.ir"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string &out = r.out;
  EXPECT_NE(out.find("identifiers (5)"), std::string::npos) << out;
  EXPECT_NE(out.find("  email ali@x.ir\n    carried by the event assigned to this profile: event 2 "
                     "from web, messageId m2, identify, at 2026-01-02T00:00:00Z"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("  user_id ali\n    carried by the event assigned to this profile: event 4 "),
            std::string::npos);
  EXPECT_NE(out.find("merges (1)\n  profile 2 merged into 1\n    the event carried identifiers of "
                     "both profiles: event 4 from web, messageId m4"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("refused links (2)\n  email ali@x.ir, profile 1\n    demoted: the event's "
                     "user_id 'sara' is stronger and profile 1 already holds its limit of 1 "
                     "user_id; not used to match this event: event 5 from web, messageId m5"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("  user_id sara, profile 1\n    merge refused: profiles 1 and 3 would hold 2 "
                     "user_id identifiers (limit 1): event 7 from web, messageId m7, page"),
            std::string::npos)
      << out;
}

TEST_F(IdentityExplain, JsonAndDotCarryTheSameGraph) {
  CommandResult j =
      identity({"explain", pipeline(), "--id", "anonymous_id=dev-3", "--format", "json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(j.out);
  EXPECT_EQ(int64_t(doc["profile_id"]), 1);
  EXPECT_EQ(simdjson::dom::array(doc["identifiers"]).size(), 5u);
  simdjson::dom::element merge = simdjson::dom::array(doc["merges"]).at(0);
  EXPECT_EQ(int64_t(merge["from"]), 2);
  EXPECT_EQ(std::string_view(merge["event"]["message_id"]), "m4");
  EXPECT_EQ(std::string_view(merge["event"]["source"]), "web");
  simdjson::dom::array refused = doc["refused"];
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_EQ(std::string_view(refused.at(0)["value"]), "ali@x.ir");
  EXPECT_EQ(int64_t(refused.at(0)["event"]["sequence"]), 5);
  EXPECT_EQ(std::string_view(refused.at(1)["value"]), "sara");
  EXPECT_EQ(std::string_view(refused.at(1)["event"]["message_id"]), "m7");

  CommandResult d = identity({"explain", pipeline(), "--id", "user_id=ali", "--format", "dot"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_EQ(d.out.rfind("digraph identity {", 0), 0u) << d.out;
  EXPECT_NE(d.out.find("p2 -> p1 [label=\"merged, event 4\"];"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("label=\"user_id: sara\""), std::string::npos);
  EXPECT_EQ(d.out.back(), '\n');
}

TEST_F(IdentityExplain, MergesListsDecisionsInLogOrderAndFiltersByTime) {
  CommandResult r = identity({"merges", pipeline()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines;
  for (size_t at = 0, end; (end = r.out.find('\n', at)) != std::string::npos; at = end + 1) {
    lines.push_back(r.out.substr(at, end - at));
  }
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0].rfind(R"({"kind":"merge","from":2,"into":1,)", 0), 0u) << lines[0];
  EXPECT_EQ(
      lines[1].rfind(R"({"kind":"refused_link","type":"email","value":"ali@x.ir","profile":1,)", 0),
      0u)
      << lines[1];
  EXPECT_EQ(
      lines[2].rfind(R"({"kind":"refused_link","type":"user_id","value":"sara","profile":1,)", 0),
      0u)
      << lines[2];
  // Events were received just now: a --since in the future keeps nothing.
  r = identity({"merges", pipeline(), "--since", "2099-01-01T00:00:00Z"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  r = identity({"merges", pipeline(), "--since", "1h", "--format", "table"});
  EXPECT_NE(r.out.find("merge    profile 2 into 1"), std::string::npos) << r.out;
  EXPECT_EQ(identity({"merges", pipeline(), "--since", "yesterday"}).exit_code, 2);
}

TEST_F(IdentityExplain, RebuildGivesTheSameExplanation) {
  const std::string before =
      identity({"explain", pipeline(), "--email", "ali@x.ir", "--format", "json"}).out;
  CommandResult rebuild = run({halo_bin(), "rebuild", pipeline(), "-q"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  EXPECT_EQ(identity({"explain", pipeline(), "--email", "ali@x.ir", "--format", "json"}).out,
            before);
}

TEST_F(IdentityExplain, UnknownIdentifierOrBadFlagsAreClearErrors) {
  CommandResult r = identity({"explain", pipeline(), "--email", "nobody@x.ir"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no profile with email 'nobody@x.ir'"), std::string::npos) << r.err;
  EXPECT_EQ(identity({"explain", pipeline()}).exit_code, 2);
  EXPECT_EQ(identity({"explain", pipeline(), "--email", "a@b.ir", "--format", "svg"}).exit_code, 2);
  EXPECT_EQ(identity({"explain", pipeline(), "--id", "novalue"}).exit_code, 2);
  EXPECT_EQ(identity({"frobnicate"}).exit_code, 2);
  TempDir empty;
  write_file(empty / "p.yaml", read_file(pipeline()));
  EXPECT_EQ(identity({"explain", empty / "p.yaml", "--email", "a@b.ir"}).exit_code, 3);  // no store
}

}  // namespace
}  // namespace halo::e2e::identity_explain_e2e_test
