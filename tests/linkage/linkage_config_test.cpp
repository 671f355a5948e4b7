// The probabilistic resolver's configuration: defaults and every refusal.
#include "linkage/linkage_config.h"

#include <gtest/gtest.h>

#include <string>

namespace halo::linkage {
namespace {

struct Read {
  LinkageConfig config;
  std::string errors;  // "" when ok
};

Read read(const std::string &yaml) {
  Read r;
  Diagnostics diags("c.yaml");
  read_linkage_config(YAML::Load(yaml), Mark{"c.yaml", 1, 1}, diags, r.config);
  if (!diags.ok()) r.errors = diags.status().message();
  return r;
}

TEST(LinkageConfig, ReadsFieldsKeysAndDefaults) {
  Read r = read(
      "fields: [{column: surname, compare: name}, {column: age, compare: number, near: 2}]\n"
      "blocking: [[surname:soundex, postcode], [dob]]\n");
  ASSERT_EQ(r.errors, "");
  ASSERT_EQ(r.config.fields.size(), 2u);
  EXPECT_EQ(r.config.fields[1].compare, Compare::kNumber);
  EXPECT_EQ(r.config.fields[1].near, 2);
  ASSERT_EQ(r.config.blocking.size(), 2u);
  EXPECT_EQ(r.config.blocking[0][0].transform, KeyTransform::kSoundex);
  EXPECT_EQ(key_part_text(r.config.blocking[0][0]), "surname:soundex");
  EXPECT_EQ(key_part_text(r.config.blocking[0][1]), "postcode");
  EXPECT_EQ(r.config.link_probability, 0.95);
  EXPECT_EQ(r.config.review_probability, 0.5);
  EXPECT_EQ(r.config.max_block_records, 1000u);
}

TEST(LinkageConfig, NamesEveryMistakeWithItsPlace) {
  Read r = read(
      "fields: [{column: surname, compare: fuzzy}, {column: x, compare: name, near: 1}]\n"
      "blocking: [[surname:metaphone]]\n"
      "link_probability: 1.5\n"
      "max_block_records: 1\n"
      "treshold: 3\n");
  EXPECT_NE(r.errors.find("c.yaml:1:37: identity.config.fields[0].compare: unknown comparator "
                          "'fuzzy' (one of exact, code, name, text, date, number)"),
            std::string::npos)
      << r.errors;
  EXPECT_NE(r.errors.find("'near' applies only to compare: number"), std::string::npos);
  EXPECT_NE(r.errors.find("identity.config.blocking[0][0]: expected COLUMN or COLUMN:TRANSFORM"),
            std::string::npos)
      << r.errors;
  EXPECT_NE(r.errors.find("link_probability: expected a probability between 0 and 1"),
            std::string::npos);
  EXPECT_NE(r.errors.find("max_block_records"), std::string::npos);
  EXPECT_NE(r.errors.find("treshold"), std::string::npos);
}

TEST(LinkageConfig, RequiresFieldsAndBlocking) {
  Read r = read("link_probability: 0.9\n");
  EXPECT_NE(r.errors.find("missing required key 'fields'"), std::string::npos) << r.errors;
  EXPECT_NE(r.errors.find("missing required key 'blocking'"), std::string::npos) << r.errors;
  EXPECT_NE(read("fields: []\nblocking: [[a]]\n").errors.find("expected 1 to 16 fields"),
            std::string::npos);
  EXPECT_NE(read("fields: [{column: a, compare: exact}]\nblocking: [[a]]\n"
                 "review_probability: 0.99\n")
                .errors.find("must not be above link_probability"),
            std::string::npos);
}

TEST(LinkageConfig, SwapWithNamesAnotherFieldOfTheSameKind) {
  EXPECT_EQ(read("fields: [{column: a, compare: name, swap_with: b}, {column: b, compare: name}]\n"
                 "blocking: [[a]]\n")
                .errors,
            "");
  const std::string unknown =
      read("fields: [{column: a, compare: name, swap_with: zz}]\nblocking: [[a]]\n").errors;
  EXPECT_NE(unknown.find("identity.config.fields[0].swap_with: 'zz' must be another field of this "
                         "list with the same compare"),
            std::string::npos)
      << unknown;
  EXPECT_NE(read("fields: [{column: a, compare: name, swap_with: b}, {column: b, compare: code}]\n"
                 "blocking: [[a]]\n")
                .errors.find("swap_with"),
            std::string::npos);
  EXPECT_NE(read("fields: [{column: a, compare: name, swap_with: a}]\nblocking: [[a]]\n")
                .errors.find("swap_with"),
            std::string::npos);
}

}  // namespace
}  // namespace halo::linkage
