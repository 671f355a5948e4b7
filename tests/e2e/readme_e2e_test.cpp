// readme_e2e_test.cpp -- the profile lookups README.md shows work, verbatim,
// on the demo data: the test reads the `halo profile get` lines from
// README.md and the generator's seed from tools/demo.sh, so it breaks when
// either drifts. The people of the demo data do not depend on the customer
// count (each draws from its own random stream, tools/datagen), so a small
// generation holds the README's person.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <regex>

#include "e2e_support.h"

namespace halo::e2e::readme_e2e_test {
namespace {

// A shell command line split into words: '...' and "..." quoting, a
// trailing `# comment` dropped. Enough for the README's examples.
std::vector<std::string> shell_words(const std::string &line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\'' || c == '"') {
      size_t end = line.find(c, i + 1);
      word += line.substr(i + 1, end - i - 1);
      in_word = true;
      i = end == std::string::npos ? line.size() : end;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else if (c == '#' && !in_word) {
      break;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

std::vector<std::string> readme_lookups() {
  std::vector<std::string> out;
  for (const std::string &line : read_lines(source_dir() + "/README.md")) {
    if (line.rfind("build/bin/halo profile get ", 0) == 0) out.push_back(line);
  }
  return out;
}

std::string demo_seed() {
  std::smatch m;
  std::string script = read_file(source_dir() + "/tools/demo.sh");
  if (!std::regex_search(script, m, std::regex("halo-datagen demo [^\\n]*--seed ([0-9]+)"))) {
    return "";
  }
  return m[1];
}

TEST(Readme, ProfileLookupExamplesWorkOnTheDemoData) {
  const std::vector<std::string> lookups = readme_lookups();
  ASSERT_GE(lookups.size(), 3u) << "README.md shows no `halo profile get` examples";
  const std::string seed = demo_seed();
  ASSERT_FALSE(seed.empty()) << "no --seed in tools/demo.sh";
  TempDir dir;
  CommandResult gen = run(
      {datagen_bin(), "demo", "--out", dir / "data/demo", "--customers", "300", "--seed", seed});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const std::string pipeline = install_demo_pipeline(dir.path());
  CommandResult r = run({halo_bin(), "run", pipeline, "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> profile_ids;
  simdjson::dom::parser parser;
  for (const std::string &line : lookups) {
    std::vector<std::string> words = shell_words(line);
    ASSERT_GE(words.size(), 5u) << line;
    ASSERT_EQ(words[3], "config/demo.yaml") << line;
    words[0] = halo_bin();
    words[3] = pipeline;
    CommandResult lookup = run(words);
    EXPECT_EQ(lookup.exit_code, 0) << line << "\n" << lookup.err;
    simdjson::dom::element profile;
    ASSERT_EQ(parser.parse(lookup.out).get(profile), simdjson::SUCCESS) << line << lookup.out;
    std::string_view id;
    EXPECT_EQ(profile["profile_id"].get(id), simdjson::SUCCESS) << lookup.out;
    simdjson::dom::object identifiers;
    EXPECT_EQ(profile["identifiers"].get(identifiers), simdjson::SUCCESS) << lookup.out;
    profile_ids.insert(std::string(id));
  }
  // The README says the lookups find one person three ways.
  EXPECT_EQ(profile_ids.size(), 1u);
}

TEST(Readme, ShellWordsSplitsLikeTheShell) {
  EXPECT_EQ(shell_words("a 'b c'  d # e"), (std::vector<std::string>{"a", "b c", "d"}));
  EXPECT_EQ(shell_words("x --id=\"p q\""), (std::vector<std::string>{"x", "--id=p q"}));
}

}  // namespace
}  // namespace halo::e2e::readme_e2e_test
