// json_field_lookup_test.cpp -- On-Demand path lookups: nested keys, array
// indexes, escaped strings, exact number text, raw objects, missing paths,
// and malformed records.
#include "common/json_field_lookup.h"

#include <gtest/gtest.h>

namespace halo::plugins {
namespace {

TEST(JsonFieldLookup, PointerEscapesTildeAndSlash) {
  EXPECT_EQ(to_json_pointer("a.b.0.c"), "/a/b/0/c");
  EXPECT_EQ(to_json_pointer("x~y/z"), "/x~0y~1z");
}

TEST(JsonFieldLookup, ReadsEveryKindOfValue) {
  std::vector<std::string> paths = {"billing.email", "total",   "line_items.1.sku", "paid", "note",
                                    "line_items",    "missing", "total.x",          "gone"};
  JsonFieldLookup lookup(paths);
  std::string error;
  ASSERT_TRUE(lookup.load(
      R"({"billing":{"email":"A@b.ir"},"total":120.50,"paid":true,"note":"say \"hi\"\n",)"
      R"("line_items":[{"sku":"a"},{"sku":"b"}],"gone":null})",
      false, error))
      << error;
  EXPECT_EQ(lookup.field(0).kind, ValueKind::kString);
  EXPECT_EQ(lookup.field(0).text, "A@b.ir");
  EXPECT_EQ(lookup.field(1).kind, ValueKind::kNumber);
  EXPECT_EQ(lookup.field(1).text, "120.50");
  EXPECT_EQ(lookup.field(2).text, "b");
  EXPECT_EQ(lookup.field(3).kind, ValueKind::kBool);
  EXPECT_EQ(lookup.field(3).text, "true");
  EXPECT_EQ(lookup.field(4).text, "say \"hi\"\n");
  EXPECT_EQ(lookup.field(5).kind, ValueKind::kJson);
  EXPECT_EQ(lookup.field(5).text, R"([{"sku":"a"},{"sku":"b"}])");
  EXPECT_EQ(lookup.field(6).kind, ValueKind::kMissing);
  EXPECT_EQ(lookup.field(7).kind, ValueKind::kMissing);
  EXPECT_EQ(lookup.field(8).kind, ValueKind::kNull);
}

TEST(JsonFieldLookup, MalformedRecordsFailWithSimdjsonMessage) {
  JsonFieldLookup lookup({"a"});
  std::string error;
  EXPECT_FALSE(lookup.load(R"({"a":1,)", false, error));
  EXPECT_NE(error.find("malformed JSON"), std::string::npos) << error;
  error.clear();
  EXPECT_FALSE(lookup.load(R"({"a":"ok", "b": tru})", false, error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(lookup.load("[1,2]", false, error));
  EXPECT_EQ(error, "record is not a JSON object");
}

TEST(JsonFieldLookup, ValuesSurviveFurtherLookupsInTheSameRecord) {
  JsonFieldLookup lookup({"a", "b", "c"});
  std::string error;
  ASSERT_TRUE(lookup.load(R"({"c":"third","a":"fi\u0072st","b":"second"})", false, error));
  EXPECT_EQ(lookup.field(0).text, "first");
  EXPECT_EQ(lookup.field(1).text, "second");
  EXPECT_EQ(lookup.field(2).text, "third");
}

}  // namespace
}  // namespace halo::plugins
