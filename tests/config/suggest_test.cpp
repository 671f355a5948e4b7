// suggest_test.cpp -- edit distance and did-you-mean suggestions.
#include "config/suggest.h"

#include <gtest/gtest.h>

namespace halo {
namespace {

TEST(EditDistance, CountsInsertDeleteSubstituteAndSwap) {
  EXPECT_EQ(edit_distance("plugin", "plugin"), 0u);
  EXPECT_EQ(edit_distance("plugn", "plugin"), 1u);    // insert
  EXPECT_EQ(edit_distance("pluggin", "plugin"), 1u);  // delete
  EXPECT_EQ(edit_distance("plugim", "plugin"), 1u);   // substitute
  EXPECT_EQ(edit_distance("plguin", "plugin"), 1u);   // adjacent swap
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Suggest, FindsTheClosestCandidate) {
  const std::vector<std::string> keys = {"name", "plugin", "priority", "config"};
  EXPECT_EQ(suggest("plugn", keys), "plugin");
  EXPECT_EQ(suggest("confg", keys), "config");
  EXPECT_EQ(suggest("prioirty", keys), "priority");
  EXPECT_EQ(suggest("Plugin", keys), "plugin");  // case-insensitive
}

TEST(Suggest, ReturnsEmptyWhenNothingIsClose) {
  EXPECT_EQ(suggest("xyzzy", {"name", "plugin"}), "");
  EXPECT_EQ(suggest("anything", {}), "");
  // Short words need a closer match: "id" must not suggest "ip" and "ab".
  EXPECT_EQ(suggest("ab", {"xy"}), "");
}

TEST(Suggest, AcceptsPrefixes) {
  EXPECT_EQ(suggest("batch", {"threads", "batch_size"}), "batch_size");
  EXPECT_EQ(suggest("destinations_list", {"destinations"}), "destinations");
}

TEST(Suggest, PluginNames) {
  EXPECT_EQ(suggest("file-jsnl", {"file-csv", "file-jsonl", "http-collector"}), "file-jsonl");
}

TEST(UnknownNameHint, SuggestsOrListsOrSaysNone) {
  EXPECT_EQ(unknown_name_hint("pth", {"path", "glob"}), " (did you mean 'path'?)");
  EXPECT_EQ(unknown_name_hint("zzzz", {"path", "glob"}, "options"), " (valid options: path, glob)");
  EXPECT_EQ(unknown_name_hint("x", {}, "options"), " (no options are accepted here)");
}

}  // namespace
}  // namespace halo
