// hostile_yaml_test.cpp -- pipeline text built to hang, crash or exhaust the
// loader: alias bombs, self-referencing anchors, deep nesting, text that
// multiplies through aliases or ${ENV}, and megabyte-long keys. Each must end
// quickly in a config error that names the file and the limit.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "config/env_substitution.h"
#include "config/pipeline_config.h"
#include "config/suggest.h"
#include "config/yaml_limits.h"
#include "test_env.h"

namespace halo {
namespace {

using testing::fake_env;
using Clock = std::chrono::steady_clock;

const std::string kHostileHead =
    "version: 1\nstore: { path: var/halo.db }\nsources: [ { name: web, plugin: file-jsonl } ]\n";

// "billion laughs": 9 levels of 9 aliases each, 9^9 strings once expanded.
std::string billion_laughs() {
  std::string text = "lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 9; ++i) {
    std::string prev = "*l" + std::to_string(i - 1);
    text += "lol" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 9; ++j) text += (j ? ", " : "") + prev;
    text += "]\n";
  }
  return text;
}

// The error of parsing `text` as p.yaml, and how long it took.
std::string hostile_error(const std::string &text, double *seconds = nullptr,
                          const EnvLookup &env = fake_env({})) {
  const Clock::time_point start = Clock::now();
  Result<PipelineConfig> r = parse_pipeline(text, "p.yaml", env);
  if (seconds) *seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_FALSE(r.ok()) << "expected an error";
  return r.ok() ? "" : r.status().message();
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

TEST(HostileYaml, BillionLaughsIsRefusedQuicklyNamingTheBudget) {
  double seconds = 0;
  const std::string err = hostile_error(kHostileHead + billion_laughs(), &seconds);
  EXPECT_LT(seconds, 1.0);
  EXPECT_TRUE(contains(err, "p.yaml:")) << err;
  EXPECT_TRUE(contains(err, "more than 100000 nodes once aliases are expanded")) << err;
}

TEST(HostileYaml, BillionLaughsInsideAPluginConfigIsRefused) {
  // Env substitution used to walk every expansion of a plugin's config.
  std::string text =
      "version: 1\nstore: { path: var/halo.db }\nsources:\n"
      "  - name: web\n    plugin: file-jsonl\n    config:\n      path: \"${DIR:-x}\"\n";
  std::string laughs = billion_laughs();
  // Indent the aliases under config:.
  for (size_t at = 0; at < laughs.size(); at = laughs.find('\n', at) + 1)
    laughs.insert(at, "      ");
  double seconds = 0;
  const std::string err = hostile_error(text + laughs, &seconds);
  EXPECT_LT(seconds, 1.0);
  EXPECT_TRUE(contains(err, "more than 100000 nodes")) << err;
}

TEST(HostileYaml, SelfReferencingSequenceAnchorIsAClearError) {
  EXPECT_EQ(hostile_error(kHostileHead + "run: &a [*a]\n"),
            "p.yaml:4:10: alias '*a' is used inside the node it refers to ('&a' at line 4), which "
            "would make the document infinitely deep (an alias must refer to a node that is "
            "complete before it)");
}

TEST(HostileYaml, SelfReferencingMappingAndIndirectCyclesAreErrors) {
  EXPECT_TRUE(
      contains(hostile_error(kHostileHead + "run: &m { x: *m }\n"), "alias '*m' is used inside"));
  EXPECT_TRUE(contains(hostile_error(kHostileHead + "run: &o { a: [ { b: *o } ] }\n"),
                       "alias '*o' is used inside"));
  // As a key, too.
  EXPECT_TRUE(contains(hostile_error(kHostileHead + "run: &k { ? *k : 1 }\n"),
                       "alias '*k' is used inside"));
  // At the top level, where nothing else would catch it first.
  EXPECT_TRUE(contains(hostile_error("&top { version: 1, again: *top }\n"), "alias '*top'"));
}

TEST(HostileYaml, AnAliasToACompleteNodeIsFine) {
  const std::string text =
      kHostileHead + "run: &r { batch_size: 10 }\nidentity: { config: { r: *r } }\n";
  Result<PipelineConfig> r = parse_pipeline(text, "p.yaml", fake_env({}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->batch_size, 10u);
}

TEST(HostileYaml, NestingDeeperThanTheLimitIsRefused) {
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  EXPECT_TRUE(
      contains(hostile_error(kHostileHead + "run: " + deep + "\n"), "nests deeper than 64 levels"));
  // yaml-cpp's own guard is at 2000 levels; ours stops the parse far earlier.
  const std::string deeper = std::string(5000, '[') + std::string(5000, ']');
  EXPECT_TRUE(
      contains(hostile_error(kHostileHead + "run: " + deeper + "\n"), "nests deeper than 64"));
  // Depth reached through aliases counts too.
  std::string chain = "a0: &a0 [x]\n";
  for (int i = 1; i < 70; ++i) {
    chain += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) +
             "]\n";
  }
  EXPECT_TRUE(contains(hostile_error(kHostileHead + chain), "nests deeper than 64 levels"));
}

TEST(HostileYaml, NestingWithinTheLimitIsAccepted) {
  const std::string ok = std::string(60, '[') + std::string(60, ']');
  Result<PipelineConfig> r = parse_pipeline(
      kHostileHead + "identity: { config: { deep: " + ok + " } }\n", "p.yaml", fake_env({}));
  EXPECT_TRUE(r.ok()) << r.status().message();
}

TEST(HostileYaml, LongTextRepeatedByAliasesIsRefused) {
  // 1 MiB once, 40 times through aliases: few nodes, 40 MiB to copy.
  std::string text = kHostileHead + "x: &big \"" + std::string(1 << 20, 'a') + "\"\nplugin_dirs: [";
  for (int i = 0; i < 40; ++i) text += (i ? ", " : "") + std::string("*big");
  text += "]\n";
  EXPECT_TRUE(contains(hostile_error(text), "more than 16 MiB of text once aliases"))
      << hostile_error(text);
}

TEST(HostileYaml, EnvValueRepeatedByAliasesIsRefused) {
  // Short in the file, long once substituted: the limit holds after ${ENV}.
  const EnvLookup env = fake_env({{"BIG", std::string(1 << 20, 'b')}});
  std::string text = kHostileHead + "identity:\n  config:\n    v: &v \"${BIG}\"\n    list: [";
  for (int i = 0; i < 40; ++i) text += (i ? ", " : "") + std::string("*v");
  text += "]\n";
  const std::string err = hostile_error(text, nullptr, env);
  EXPECT_TRUE(contains(err, "p.yaml:")) << err;
  EXPECT_TRUE(contains(err, "more than 16 MiB of text")) << err;
}

TEST(HostileYaml, ManyReferencesToALongVariableStopAtTheLimit) {
  const EnvLookup env = fake_env({{"BIG", std::string(1 << 20, 'b')}});
  std::string refs;
  for (int i = 0; i < 40; ++i) refs += "${BIG}";
  Result<std::string> r = substitute_env(refs, env);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(contains(r.status().message(), "longer than 16777216 bytes")) << r.status().message();
  EXPECT_FALSE(substitute_env("${BIG}", env, 1000).ok());
  EXPECT_TRUE(substitute_env("${BIG}", env, 1 << 20).ok());
}

TEST(HostileYaml, FileTextOverTheSizeLimitIsRefused) {
  const std::string text = kHostileHead + "# " + std::string(kMaxYamlBytes, 'x') + "\n";
  EXPECT_EQ(hostile_error(text),
            "p.yaml: the file is larger than 4 MiB (4194304 bytes), the limit for pipeline files");
}

TEST(HostileYaml, MegabyteKeysGiveShortMessagesQuickly) {
  const std::string key(256 << 10, 'k');
  double seconds = 0;
  // Explicit keys: YAML caps implicit ones at 1024 characters.
  const std::string err =
      hostile_error(kHostileHead + "? " + key + "\n: 1\n? " + key + "\n: 2\n", &seconds);
  EXPECT_LT(seconds, 1.0);
  EXPECT_LT(err.size(), 1000u) << err.substr(0, 300);
  EXPECT_TRUE(contains(err, "unknown key 'kkkk")) << err.substr(0, 300);
  EXPECT_TRUE(contains(err, "duplicate key 'kkkk")) << err.substr(0, 300);
  // An unterminated reference does not quote the value at all.
  const std::string err2 = hostile_error(kHostileHead + "run: { as_of: \"${" + key + "\" }\n");
  EXPECT_LT(err2.size(), 1000u);
  EXPECT_TRUE(contains(err2, "unterminated '${'")) << err2.substr(0, 300);
}

TEST(HostileYaml, ErrorsStayOneLinePerProblem) {
  // Found by fuzzing: after a NUL byte yaml-cpp reports an "unknown escape
  // character" that is the line break, and the message split into a line
  // that did not name the file.
  const std::string err = hostile_error(kHostileHead + "x: e1" + std::string(1, '\0') + "\n");
  EXPECT_EQ(err.find('\n'), std::string::npos) << err;
  EXPECT_TRUE(contains(err, "p.yaml:5:1: invalid YAML: unknown escape character: \\n")) << err;
  // Values quoted in messages are escaped too.
  const std::string err2 = hostile_error(kHostileHead + "run: { as_of: \"bad\\nline\\u001b\" }\n");
  EXPECT_EQ(err2.find('\n'), std::string::npos) << err2;
  EXPECT_TRUE(contains(err2, "got 'bad\\nline\\x1b'")) << err2;
}

TEST(HostileYaml, SuggestionsForLongWordsAreCheap) {
  const std::string word = "version" + std::string(1 << 22, 'x');
  const Clock::time_point start = Clock::now();
  EXPECT_EQ(suggest(word, {"version", "store"}), "version");  // a prefix still matches
  EXPECT_EQ(suggest(std::string(1 << 22, 'q'), {"version", "store"}), "");
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 0.5);
}

TEST(HostileYaml, InMemoryCyclicTreeStopsTheSubstitutionWalk) {
  // A tree that did not come through load_bounded_yaml: the walk's own
  // budget must stop it (it used to recurse until the stack overflowed).
  YAML::Node root = YAML::Load("a: &a [x, *a]\n");
  ASSERT_TRUE(root["a"][1].is(root["a"]));
  Status s = substitute_env_in_tree(root, "mem.yaml", fake_env({}));
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(contains(s.message(), "mem.yaml:1:1: ")) << s.message();
  EXPECT_TRUE(contains(s.message(), "an alias refers to a node that contains it")) << s.message();
}

TEST(HostileYaml, InMemoryAliasBombStopsTheSubstitutionWalk) {
  YAML::Node root = YAML::Load(billion_laughs());
  const Clock::time_point start = Clock::now();
  Status s = substitute_env_in_tree(root, "mem.yaml", fake_env({}));
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 1.0);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(contains(s.message(), "more than 100000 nodes")) << s.message();
}

TEST(HostileYaml, WalkBudgetCountsNodesDepthAndBytes) {
  WalkBudget nodes;
  for (uint64_t i = 0; i < kMaxYamlNodes; ++i) ASSERT_TRUE(nodes.enter(1));
  EXPECT_FALSE(nodes.enter(1));
  EXPECT_TRUE(contains(nodes.describe(), "100000 nodes"));

  WalkBudget depth;
  EXPECT_TRUE(depth.enter(kMaxYamlDepth - 1));
  EXPECT_FALSE(depth.enter(kMaxYamlDepth));
  EXPECT_TRUE(contains(depth.describe(), "64 levels"));

  WalkBudget bytes;
  bytes.add_bytes(kMaxYamlExpandedBytes);
  EXPECT_FALSE(bytes.exceeded());
  EXPECT_EQ(bytes.bytes_left(), 0u);
  bytes.add_bytes(1);
  EXPECT_TRUE(bytes.exceeded());
  EXPECT_FALSE(bytes.enter(0));
}

}  // namespace
}  // namespace halo
