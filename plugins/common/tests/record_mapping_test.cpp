// record_mapping_test.cpp -- every spec form, typed conversions with exact
// number text, map/default/required, JSON copies, nested targets, escaping,
// messageId handling, and compile-time rejection of bad specs.
#include "common/record_mapping.h"
#include "common/json_field_lookup.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace halo::plugins {
namespace {

using Targets = std::vector<std::pair<std::string, FieldSpec>>;

FieldSpec from(std::string path, ValueType as = ValueType::kAuto) {
  FieldSpec s;
  s.from = std::move(path);
  s.as = as;
  return s;
}

// Maps one JSON record; returns the event or "ERROR: <message>".
std::string map_json(const RecordMapping &m, std::string_view record,
                     std::string_view message_id = "") {
  JsonFieldLookup lookup(m.source_paths());
  std::string out, error;
  if (!lookup.load(record, false, error)) return "PARSE: " + error;
  if (!m.apply(lookup, message_id, out, error)) return "ERROR: " + error;
  return out;
}

bool is_valid_json_text(const std::string &s) {
  simdjson::dom::parser p;
  return p.parse(simdjson::padded_string(s)).error() == simdjson::SUCCESS;
}

TEST(RecordMapping, ShortFormsLiteralsAndNestedTargets) {
  auto m = RecordMapping::compile({{"type", parse_spec_string("=track")},
                                   {"event", parse_spec_string("=Order Completed")},
                                   {"userId", parse_spec_string("customer_id")},
                                   {"context.traits.email", parse_spec_string("billing.email")},
                                   {"context.traits.phone", parse_spec_string("billing.phone")},
                                   {"properties.code", parse_spec_string("=123")}});
  std::string out = map_json(m, R"({"customer_id":7,"billing":{"email":"a@b.ir"}})", "mid-1");
  EXPECT_EQ(out, R"({"messageId":"mid-1","type":"track","event":"Order Completed","userId":7,)"
                 R"("context":{"traits":{"email":"a@b.ir"}},"properties":{"code":"123"}})");
}

TEST(RecordMapping, MissingPathsOmitTargetsAndEmptyObjects) {
  auto m = RecordMapping::compile({{"context.traits.email", from("email")},
                                   {"context.traits.phone", from("phone")},
                                   {"userId", from("id")}});
  EXPECT_EQ(map_json(m, R"({"id":"u1"})"), R"({"userId":"u1"})");
  EXPECT_EQ(map_json(m, R"({"phone":"0912","email":null})"),
            R"({"context":{"traits":{"phone":"0912"}}})");
  EXPECT_EQ(map_json(m, R"({})"), "{}");
}

TEST(RecordMapping, NumbersKeepExactTextAndRejectSeparators) {
  auto m = RecordMapping::compile({{"properties.revenue", from("total", ValueType::kNumber)}});
  EXPECT_EQ(map_json(m, R"({"total":"42.00"})"), R"({"properties":{"revenue":42.00}})");
  EXPECT_EQ(map_json(m, R"({"total":1250000.10})"), R"({"properties":{"revenue":1250000.10}})");
  EXPECT_EQ(map_json(m, R"({"total":" -3e2 "})"), R"({"properties":{"revenue":-3e2}})");
  std::string bad = map_json(m, R"({"total":"1,250"})");
  EXPECT_EQ(bad.rfind("ERROR: ", 0), 0u) << bad;
  EXPECT_NE(bad.find("\"1,250\""), std::string::npos) << bad;
  EXPECT_NE(bad.find("'total'"), std::string::npos) << bad;
  EXPECT_NE(bad.find("properties.revenue"), std::string::npos) << bad;
  EXPECT_NE(bad.find("not a number"), std::string::npos) << bad;
  EXPECT_EQ(map_json(m, R"({"total":true})").rfind("ERROR: ", 0), 0u);
}

TEST(RecordMapping, StringBoolAndJsonConversions) {
  auto m = RecordMapping::compile({{"a", from("n", ValueType::kString)},
                                   {"b", from("flag", ValueType::kBool)},
                                   {"c", from("items", ValueType::kJson)},
                                   {"d", from("obj", ValueType::kString)},
                                   {"e", from("encoded", ValueType::kJson)}});
  EXPECT_EQ(map_json(m, R"({"n":12.50,"flag":"Yes","items":[1,{"x":"y"}],"obj":{"k":1},)"
                        R"("encoded":"{\"z\":[true]}"})"),
            R"({"a":"12.50","b":true,"c":[1,{"x":"y"}],"d":"{\"k\":1}","e":{"z":[true]}})");
  EXPECT_NE(map_json(m, R"({"flag":"maybe"})").find("not a boolean"), std::string::npos);
  EXPECT_NE(map_json(m, R"({"encoded":"{broken"})").find("not valid JSON"), std::string::npos);
}

TEST(RecordMapping, MapLookupWithDefaultAndRejection) {
  FieldSpec status = from("status");
  status.map = {{"completed", "Order Completed"}, {"refunded", "Order Refunded"}};
  auto strict = RecordMapping::compile({{"event", status}});
  EXPECT_EQ(map_json(strict, R"({"status":"refunded"})"), R"({"event":"Order Refunded"})");
  std::string miss = map_json(strict, R"({"status":"on-hold"})");
  EXPECT_NE(miss.find("\"on-hold\""), std::string::npos) << miss;
  EXPECT_NE(miss.find("mapping.event.map"), std::string::npos) << miss;

  status.default_value = "Order Updated";
  auto lenient = RecordMapping::compile({{"event", status}});
  EXPECT_EQ(map_json(lenient, R"({"status":"on-hold"})"), R"({"event":"Order Updated"})");
  EXPECT_EQ(map_json(lenient, R"({})"), R"({"event":"Order Updated"})");
}

TEST(RecordMapping, RequiredFieldsRejectRecordsNamingThePath) {
  FieldSpec email = from("billing.email");
  email.required = true;
  auto m = RecordMapping::compile({{"context.traits.email", email}});
  std::string out = map_json(m, R"({"billing":{}})");
  EXPECT_EQ(out.rfind("ERROR: ", 0), 0u);
  EXPECT_NE(out.find("'billing.email'"), std::string::npos) << out;
  EXPECT_NE(out.find("required"), std::string::npos) << out;
}

TEST(RecordMapping, TypedLiteralsAndDefaults) {
  FieldSpec number;
  number.literal = "123";
  number.as = ValueType::kNumber;
  FieldSpec flag;
  flag.default_value = "false";
  flag.as = ValueType::kBool;
  auto m = RecordMapping::compile({{"properties.n", number}, {"properties.f", flag}});
  EXPECT_EQ(map_json(m, "{}"), R"({"properties":{"n":123,"f":false}})");
}

TEST(RecordMapping, EscapesStringsIntoValidUtf8Json) {
  auto m = RecordMapping::compile({{"traits.name", from("name")}, {"traits.note", from("note")}});
  std::string out = map_json(m, R"({"name":"علی \"رضایی\"","note":"tab\there\u0001\\"})");
  EXPECT_EQ(out, R"({"traits":{"name":"علی \"رضایی\"","note":"tab\there\u0001\\"}})");
  EXPECT_TRUE(is_valid_json_text(out));
}

TEST(RecordMapping, ExplicitMessageIdWins) {
  auto m = RecordMapping::compile({{"messageId", from("id", ValueType::kString)}});
  EXPECT_TRUE(m.sets_message_id());
  EXPECT_EQ(map_json(m, R"({"id":991})", "fallback"), R"({"messageId":"991"})");
}

TEST(RecordMapping, CompileRejectsBadSpecsNamingTheTarget) {
  auto expect_error = [](const Targets &t, const std::string &target, const std::string &text) {
    try {
      RecordMapping::compile(t);
      ADD_FAILURE() << "expected MappingError for " << target;
    } catch (const MappingError &e) {
      EXPECT_EQ(e.target(), target);
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  };
  FieldSpec bad_literal;
  bad_literal.literal = "12,5";
  bad_literal.as = ValueType::kNumber;
  expect_error({{"properties.total", bad_literal}}, "properties.total", "not a number");
  expect_error({{"a", from("x")}, {"a.b", from("y")}}, "a.b", "conflicts with target 'a'");
  expect_error({{"a.b", from("x")}, {"a", from("y")}}, "a", "mapped twice");
  expect_error({{"a..b", from("x")}}, "a..b", "empty segment");
  expect_error({{"a", FieldSpec{}}}, "a", "needs a source");
}

TEST(RecordMapping, SharedSourcePathsAreLookedUpOnce) {
  auto m = RecordMapping::compile(
      {{"userId", from("id")}, {"traits.id", from("id")}, {"traits.x", from("x")}});
  EXPECT_EQ(m.source_paths(), (std::vector<std::string>{"id", "x"}));
  EXPECT_EQ(map_json(m, R"({"id":"u","x":1})"), R"({"userId":"u","traits":{"id":"u","x":1}})");
}

TEST(ParseValueType, KnownNamesOnly) {
  EXPECT_EQ(parse_value_type("number"), ValueType::kNumber);
  EXPECT_EQ(parse_value_type("bool"), ValueType::kBool);
  EXPECT_FALSE(parse_value_type("integer").has_value());
}

}  // namespace
}  // namespace halo::plugins
