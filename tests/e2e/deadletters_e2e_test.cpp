// deadletters_e2e_test.cpp -- `halo deadletters` filters (in SQL) and
// formats, and `halo deadletters replay`: fixed records land and leave the
// dead letters, records that fail again stay with the same id and the new
// reason, feature dead letters are reported as not replayable, a --from
// file replays exactly its lines and is refused whole when malformed.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>

#include "e2e_support.h"

namespace halo::e2e::deadletters_e2e_test {
namespace {

bool has(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

// One dead letter as `halo deadletters` prints it.
struct Letter {
  int64_t id = 0;
  std::string stage, reason, source, position, raw, line;
};

std::vector<Letter> parse_jsonl(const std::string &text) {
  std::vector<Letter> out;
  simdjson::dom::parser parser;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    if (line.empty()) continue;
    simdjson::dom::element e;
    EXPECT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line;
    Letter l;
    l.id = int64_t(e["id"]);
    l.stage = std::string(std::string_view(e["stage"]));
    l.reason = std::string(std::string_view(e["reason"]));
    l.source = std::string(std::string_view(e["source"]));
    l.position = std::string(std::string_view(e["position"]));
    l.raw = std::string(std::string_view(e["raw"]));
    l.line = line;
    out.push_back(l);
  }
  return out;
}

// Source f (test plugin, 2 batches of 10 identify events u<batch>-<i>):
// the resolver refuses u1-3 (stage resolve), the feature builder u2-5
// (stage feature). Source web (file-jsonl): one malformed line and one
// without `type` (stage validate).
class DeadLettersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_ / "web.jsonl",
               "{\"type\":\"identify\",\"messageId\":\"w1\",\"userId\":\"w1\"}\n"
               "{not json\n"
               "{\"messageId\":\"w3\",\"userId\":\"w3\"}\n");
    write_pipeline("u1-3");
    CommandResult r = halo({"run", pipeline(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void write_pipeline(const std::string &resolver_refuses) {
    write_file(dir_ / "p.yaml",
               "version: 1\nstore: { kind: sqlite, path: var/halo.db }\n"
               "sources:\n"
               "  - name: f\n    plugin: faulty-source\n    config: { batches: 2 }\n"
               "  - name: web\n    plugin: file-jsonl\n    config: { path: web.jsonl }\n"
               "identity:\n  resolver: faulty-resolver\n  config: { reject_user: \"" +
                   resolver_refuses +
                   "\" }\n"
                   "features:\n  - name: seen\n    plugin: faulty-features\n"
                   "    config: { reject_user: u2-5 }\n");
  }
  std::string pipeline() const { return dir_ / "p.yaml"; }
  CommandResult halo(std::vector<std::string> args) {
    args.insert(args.begin(), halo_bin());
    const bool runs = args[1] == "run" || args[1] == "rebuild" || args[2] == "replay";
    if (runs) {
      args.push_back("--plugin-dir");
      args.push_back(HALO_TEST_PLUGIN_DIR);
    }
    return run(args);
  }
  std::vector<Letter> list(std::vector<std::string> filters = {}) {
    filters.insert(filters.begin(), {"deadletters", pipeline()});
    CommandResult r = halo(filters);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return parse_jsonl(r.out);
  }
  const Letter *find(const std::vector<Letter> &all, const std::string &stage,
                     const std::string &reason) {
    for (const Letter &l : all) {
      if (l.stage == stage && l.reason == reason) return &l;
    }
    return nullptr;
  }
  TempDir dir_;
};

TEST_F(DeadLettersTest, EveryDeadLetterHasAStableUniqueId) {
  std::vector<Letter> all = list();
  ASSERT_EQ(all.size(), 4u);
  std::set<int64_t> ids;
  for (const Letter &l : all) {
    EXPECT_GT(l.id, 0) << l.line;
    ids.insert(l.id);
  }
  EXPECT_EQ(ids.size(), all.size());
  std::vector<Letter> again = list();
  ASSERT_EQ(again.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(again[i].line, all[i].line);
}

TEST_F(DeadLettersTest, FiltersSelectInTheStore) {
  std::vector<Letter> all = list();
  ASSERT_EQ(all.size(), 4u);
  auto count = [&](std::vector<std::string> f) { return list(std::move(f)).size(); };
  EXPECT_EQ(count({"--source", "web"}), 2u);
  EXPECT_EQ(count({"--source", "f"}), 2u);
  EXPECT_EQ(count({"--source", "nope"}), 0u);
  EXPECT_EQ(count({"--stage", "resolve"}), 1u);
  EXPECT_EQ(count({"--stage", "feature"}), 1u);
  EXPECT_EQ(count({"--reason", "test_refused"}), 2u);
  EXPECT_EQ(count({"--reason", "test_refused", "--stage", "feature"}), 1u);
  EXPECT_EQ(count({"--since", "1h"}), 4u);
  EXPECT_EQ(count({"--since", "2000-01-01T00:00:00Z"}), 4u);
  EXPECT_EQ(count({"--since", "2999-01-01"}), 0u);
  std::vector<Letter> first = list({"--limit", "1"});
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, all[0].id) << "--limit keeps the oldest";
  EXPECT_EQ(count({"--limit", "3"}), 3u);
  for (std::vector<std::string> bad : {std::vector<std::string>{"--limit", "0"},
                                       {"--limit", "-1"},
                                       {"--limit", "x"},
                                       {"--since", "yesterday"},
                                       {"--since", "-5h"},
                                       {"--since", "5y"},
                                       {"--format", "xml"}}) {
    bad.insert(bad.begin(), {"deadletters", pipeline()});
    CommandResult r = halo(bad);
    EXPECT_EQ(r.exit_code, 2) << bad[2] << " " << bad[3];
    EXPECT_TRUE(has(r.err, bad[2])) << r.err;
  }
}

TEST_F(DeadLettersTest, JsonAndTableFormats) {
  std::vector<Letter> all = list();
  CommandResult json = halo({"deadletters", pipeline(), "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json.out).get(doc), simdjson::SUCCESS) << json.out;
  simdjson::dom::array array;
  ASSERT_EQ(doc.get(array), simdjson::SUCCESS) << json.out;
  ASSERT_EQ(array.size(), all.size());
  size_t i = 0;
  for (simdjson::dom::element e : array) EXPECT_EQ(int64_t(e["id"]), all[i++].id);
  CommandResult none = halo({"deadletters", pipeline(), "--format", "json", "--source", "nope"});
  EXPECT_EQ(none.out, "[]\n");

  CommandResult table = halo({"deadletters", pipeline(), "--format", "table"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(has(table.out, "ID")) << table.out;
  EXPECT_TRUE(has(table.out, "4 dead letter(s):")) << table.out;
  EXPECT_TRUE(has(table.out, "source web, stage validate, reason malformed_json")) << table.out;
  EXPECT_TRUE(has(table.out, "source f, stage resolve, reason test_refused")) << table.out;
}

TEST_F(DeadLettersTest, ReplayAfterTheFixLandsTheRecordAndRemovesItsDeadLetter) {
  // Not fixed yet: it fails again and stays, with the same id.
  const Letter before = *find(list(), "resolve", "test_refused");
  CommandResult again = halo({"deadletters", "replay", pipeline(), "--stage", "resolve"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(has(again.out, "failed again  1")) << again.out;
  const std::vector<Letter> kept_list = list();
  const Letter *kept = find(kept_list, "resolve", "test_refused");
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->id, before.id);
  EXPECT_EQ(list().size(), 4u);
  EXPECT_EQ(halo({"profile", "get", pipeline(), "--id", "user_id=u1-3"}).exit_code, 3);

  write_pipeline("nobody");  // the operator fixes the resolver's rules
  CommandResult r = halo({"deadletters", "replay", pipeline(), "--stage", "resolve"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "landed        1")) << r.out;
  std::vector<Letter> after = list();
  EXPECT_EQ(after.size(), 3u);
  EXPECT_EQ(find(after, "resolve", "test_refused"), nullptr);
  CommandResult profile = halo({"profile", "get", pipeline(), "--id", "user_id=u1-3"});
  EXPECT_EQ(profile.exit_code, 0) << profile.err;
  // The replayed event is in the log: a rebuild keeps it.
  ASSERT_EQ(halo({"rebuild", pipeline(), "-q"}).exit_code, 0);
  EXPECT_EQ(halo({"profile", "get", pipeline(), "--id", "user_id=u1-3"}).exit_code, 0);
  CommandResult store = halo({"store", "check", pipeline()});
  EXPECT_EQ(store.exit_code, 0) << store.out;
}

TEST_F(DeadLettersTest, FeatureAndMalformedDeadLettersAreReportedNotReplayed) {
  write_pipeline("nobody");
  CommandResult r = halo({"deadletters", "replay", pipeline()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "replayed 4 dead letter(s)")) << r.out;
  EXPECT_TRUE(has(r.out, "skipped       1 of stage feature")) << r.out;
  EXPECT_TRUE(has(r.out, "halo rebuild")) << r.out;
  // The two web records are still invalid: they fail again and stay.
  EXPECT_TRUE(has(r.out, "failed again  2")) << r.out;
  std::vector<Letter> after = list();
  EXPECT_NE(find(after, "feature", "test_refused"), nullptr);
  EXPECT_NE(find(after, "validate", "malformed_json"), nullptr);
  EXPECT_NE(find(after, "validate", "missing_field"), nullptr);
  EXPECT_EQ(after.size(), 3u);
}

TEST_F(DeadLettersTest, ReplayFromAFixedExport) {
  CommandResult exported = halo({"deadletters", pipeline(), "--source", "web"});
  ASSERT_EQ(exported.exit_code, 0);
  std::vector<Letter> web = parse_jsonl(exported.out);
  ASSERT_EQ(web.size(), 2u);
  const Letter *malformed = find(web, "validate", "malformed_json");
  const Letter *untyped = find(web, "validate", "missing_field");
  ASSERT_TRUE(malformed && untyped);
  // The operator fixes the malformed line and replays the fixed record of
  // the other one as a copy of an event already stored (a duplicate).
  std::string fixed_raw = R"({\"type\":\"identify\",\"messageId\":\"w2\",\"userId\":\"w2\"})";
  std::string dup_raw = R"({\"type\":\"identify\",\"messageId\":\"w1\",\"userId\":\"w1\"})";
  write_file(dir_ / "fix.jsonl",
             "{\"id\":" + std::to_string(malformed->id) + ",\"source\":\"web\",\"position\":\"" +
                 malformed->position + "\",\"raw\":\"" + fixed_raw + "\"}\n\n" +
                 "{\"id\":" + std::to_string(untyped->id) + ",\"raw\":\"" + dup_raw + "\"}\n");
  CommandResult r = halo({"deadletters", "replay", pipeline(), "--from", dir_ / "fix.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "landed        1")) << r.out;
  EXPECT_TRUE(has(r.out, "duplicates    1")) << r.out;
  EXPECT_TRUE(list({"--source", "web"}).empty());
  EXPECT_EQ(halo({"profile", "get", pipeline(), "--id", "user_id=w2"}).exit_code, 0);
  // The same file again: its dead letters are gone (exit 3, named).
  CommandResult gone = halo({"deadletters", "replay", pipeline(), "--from", dir_ / "fix.jsonl"});
  EXPECT_EQ(gone.exit_code, 3);
  EXPECT_TRUE(has(gone.err, "dead letter " + std::to_string(malformed->id) + ": no such"))
      << gone.err;
}

TEST_F(DeadLettersTest, ABadFromFileChangesNothing) {
  const std::vector<Letter> all = list();
  const std::string id = std::to_string(all[0].id);
  const std::map<std::string, std::string> bad = {
      {"not json", "{\"id\":" + id + ",\"raw\":\"x\"}\n{oops\n"},
      {"no raw", "{\"id\":" + id + "}\n"},
      {"id zero", "{\"id\":0,\"raw\":\"x\"}\n"},
      {"id twice", "{\"id\":" + id + ",\"raw\":\"x\"}\n{\"id\":" + id + ",\"raw\":\"y\"}\n"},
      {"empty", "\n"},
  };
  for (const auto &[what, text] : bad) {
    write_file(dir_ / "bad.jsonl", text);
    CommandResult r = halo({"deadletters", "replay", pipeline(), "--from", dir_ / "bad.jsonl"});
    EXPECT_EQ(r.exit_code, 2) << what << "\n" << r.err;
    EXPECT_TRUE(has(r.err, "bad.jsonl")) << what << "\n" << r.err;
  }
  CommandResult mixed =
      halo({"deadletters", "replay", pipeline(), "--from", dir_ / "bad.jsonl", "--source", "web"});
  EXPECT_EQ(mixed.exit_code, 2);
  CommandResult missing =
      halo({"deadletters", "replay", pipeline(), "--from", dir_ / "missing.jsonl"});
  EXPECT_EQ(missing.exit_code, 2);
  // A position that no longer matches is refused for that line (exit 3).
  write_file(dir_ / "moved.jsonl",
             "{\"id\":" + id + ",\"position\":\"elsewhere\",\"raw\":\"{}\"}\n");
  EXPECT_EQ(halo({"deadletters", "replay", pipeline(), "--from", dir_ / "moved.jsonl"}).exit_code,
            3);
  std::vector<Letter> after = list();
  ASSERT_EQ(after.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(after[i].line, all[i].line);
}

TEST(DeadLetters, ReplayWithoutAStoreIsNotFound) {
  TempDir dir;
  write_file(dir / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: var/halo.db }\n"
             "sources:\n  - name: f\n    plugin: faulty-source\n"
             "identity:\n  resolver: faulty-resolver\n");
  CommandResult r = run({halo_bin(), "deadletters", "replay", dir / "p.yaml"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "var/halo.db"));
}

}  // namespace
}  // namespace halo::e2e::deadletters_e2e_test
