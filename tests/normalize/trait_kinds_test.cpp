// Declared trait kinds (`traits: { NAME: { kind: KIND } }`) and event
// property kinds (`events: { EVENT: { properties: { NAME: KIND } } }`): a
// value of another kind is left out of the event and reported; values of
// the kind, nulls and undeclared traits, properties and events pass
// untouched.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

#include "normalize/normalizer.h"

namespace halo {
namespace {

// path -> value text of the event's trait-like fields.
std::map<std::string, std::string> fields_of(const EventBatch &b, size_t event) {
  std::map<std::string, std::string> out;
  const Event &e = b.events[event];
  for (uint32_t k = e.field_begin; k < e.field_begin + e.field_count; ++k) {
    const Field &f = b.fields[k];
    out[std::string(f.path)] = f.value.kind == HALO_VALUE_BOOL
                                   ? (f.value.boolean ? "true" : "false")
                               : f.value.kind == HALO_VALUE_NULL ? "null"
                                                                 : std::string(f.value.text);
  }
  return out;
}

NormalizeOptions declared() {
  NormalizeOptions o;
  o.trait_kinds = {{"age", TraitKind::kNumber},
                   {"vip", TraitKind::kBool},
                   {"city", TraitKind::kText},
                   {"birthday", TraitKind::kTime},
                   {"address.zip", TraitKind::kText}};
  return o;
}

TEST(TraitKinds, ValuesOfAnotherKindAreLeftOutAndReported) {
  Normalizer n(declared());
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(R"({"type":"identify","userId":"u1","traits":{
      "age":"forty","vip":1,"city":12,"birthday":"next week","address":{"zip":98},
      "nickname":7,"email":"u1@example.ir"}})",
                          "web", 0, batch, &why))
      << why.message;
  const auto f = fields_of(batch, 0);
  for (const char *gone :
       {"traits.age", "traits.vip", "traits.city", "traits.birthday", "traits.address.zip"}) {
    EXPECT_EQ(f.count(gone), 0u) << gone;
  }
  EXPECT_EQ(f.at("traits.nickname"), "7");  // undeclared: anything goes
  EXPECT_EQ(f.at("traits.email"), "u1@example.ir");
  EXPECT_EQ(batch.events[0].id_count, 2u);  // identifiers are not traits' business
  const std::vector<KindProblem> &p = n.kind_problems();
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].name, "age");
  EXPECT_EQ(p[0].path, "traits.age");
  EXPECT_EQ(p[0].value, "forty");
  EXPECT_EQ(p[0].declared, TraitKind::kNumber);
  EXPECT_EQ(p[1].value, "1");
  EXPECT_EQ(p[1].declared, TraitKind::kBool);
  EXPECT_EQ(p[3].value, "next week");
  EXPECT_EQ(p[4].name, "address.zip");

  // The next record starts clean.
  ASSERT_TRUE(n.normalize(R"({"type":"identify","userId":"u2"})", "web", 0, batch, &why));
  EXPECT_TRUE(n.kind_problems().empty());
}

TEST(TraitKinds, ValuesOfTheKindAndNullsPass) {
  Normalizer n(declared());
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(R"({"type":"identify","userId":"u1","traits":{
      "age":41.5,"vip":false,"city":"شیراز","birthday":"1990-04-01T00:00:00Z",
      "address":{"zip":"71946"}}})",
                          "web", 0, batch, &why));
  ASSERT_TRUE(n.normalize(R"({"type":"track","event":"Viewed","userId":"u1",
      "context":{"traits":{"age":null,"vip":true}},"properties":{"age":"not a trait"}})",
                          "web", 0, batch, &why));
  EXPECT_TRUE(n.kind_problems().empty());
  const auto identify = fields_of(batch, 0);
  EXPECT_EQ(identify.at("traits.age"), "41.5");
  EXPECT_EQ(identify.at("traits.vip"), "false");
  EXPECT_EQ(identify.at("traits.birthday"), "1990-04-01T00:00:00Z");
  EXPECT_EQ(identify.at("traits.address.zip"), "71946");
  const auto track = fields_of(batch, 1);
  EXPECT_EQ(track.at("context.traits.age"), "null");
  EXPECT_EQ(track.at("properties.age"), "not a trait");
}

TEST(TraitKinds, ContextTraitsAreCheckedOnEveryEventTraitsOnlyOnIdentify) {
  Normalizer n(declared());
  EventBatch batch;
  Rejection why;
  // A track event's top-level `traits` is not the profile's (Segment spec):
  // only context.traits is.
  ASSERT_TRUE(n.normalize(R"({"type":"track","event":"X","userId":"u1",
      "traits":{"age":"old"},"context":{"traits":{"age":"older"}}})",
                          "web", 0, batch, &why));
  ASSERT_EQ(n.kind_problems().size(), 1u);
  EXPECT_EQ(n.kind_problems()[0].path, "context.traits.age");
  EXPECT_EQ(n.kind_problems()[0].value, "older");
  const auto f = fields_of(batch, 0);
  EXPECT_EQ(f.at("traits.age"), "old");
  EXPECT_EQ(f.count("context.traits.age"), 0u);
}

TEST(TraitKinds, AReportedValueIsCutAtACharacterBoundary) {
  Normalizer n(declared());
  EventBatch batch;
  Rejection why;
  std::string long_text;
  for (int i = 0; i < 40; ++i) long_text += "سن";  // 2-byte letters
  ASSERT_TRUE(
      n.normalize(R"({"type":"identify","userId":"u1","traits":{"age":")" + long_text + "\"}}",
                  "web", 0, batch, &why));
  ASSERT_EQ(n.kind_problems().size(), 1u);
  const std::string &v = n.kind_problems()[0].value;
  EXPECT_EQ(v.size(), 64u);
  EXPECT_EQ(long_text.rfind(v, 0), 0u);
}

TEST(PropertyKinds, ADeclaredEventsPropertiesOfAnotherKindAreLeftOutAndReported) {
  NormalizeOptions o;
  o.event_properties["Order Completed"] = {
      {"revenue", TraitKind::kNumber}, {"coupon", TraitKind::kText}, {"paid_at", TraitKind::kTime}};
  Normalizer n(o);
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(R"({"type":"track","event":"Order Completed","userId":"u1",
      "properties":{"revenue":"1,200,000","coupon":{"code":"X","pct":10},"paid_at":"2026-01-02T03:04:05Z",
      "order_id":"o-1","note":7},"context":{"traits":{"revenue":"not a property"}}})",
                          "web", 0, batch, &why))
      << why.message;
  auto f = fields_of(batch, 0);
  EXPECT_EQ(f.count("properties.revenue"), 0u);
  EXPECT_EQ(f.count("properties.coupon.code"), 0u);
  EXPECT_EQ(f.count("properties.coupon.pct"), 0u);
  EXPECT_EQ(f.at("properties.paid_at"), "2026-01-02T03:04:05Z");
  EXPECT_EQ(f.at("properties.order_id"), "o-1");  // undeclared property: anything goes
  EXPECT_EQ(f.at("properties.note"), "7");
  EXPECT_EQ(f.at("context.traits.revenue"), "not a property");
  const std::vector<KindProblem> &p = n.kind_problems();
  ASSERT_EQ(p.size(), 2u);  // the object is reported once
  EXPECT_EQ(p[0].event, "Order Completed");
  EXPECT_EQ(p[0].name, "revenue");
  EXPECT_EQ(p[0].path, "properties.revenue");
  EXPECT_EQ(p[0].value, "1,200,000");
  EXPECT_EQ(p[0].declared, TraitKind::kNumber);
  EXPECT_EQ(p[1].name, "coupon");
  EXPECT_EQ(p[1].value, "");
  EXPECT_TRUE(p[1].structured);
  EXPECT_FALSE(p[0].structured);

  // Another event of the same properties is not judged; nor are nulls.
  ASSERT_TRUE(n.normalize(R"({"type":"track","event":"Order Refunded","userId":"u1",
      "properties":{"revenue":"1,200,000"}})",
                          "web", 0, batch, &why));
  EXPECT_TRUE(n.kind_problems().empty());
  EXPECT_EQ(fields_of(batch, 1).at("properties.revenue"), "1,200,000");
  ASSERT_TRUE(n.normalize(R"({"type":"track","event":"Order Completed","userId":"u1",
      "properties":{"revenue":null,"coupon":"NOWRUZ"}})",
                          "web", 0, batch, &why));
  EXPECT_TRUE(n.kind_problems().empty());
  f = fields_of(batch, 2);
  EXPECT_EQ(f.at("properties.revenue"), "null");
  EXPECT_EQ(f.at("properties.coupon"), "NOWRUZ");
}

// A dotted name declares a nested value; an object or a list where it is
// is reported once; the objects around it and undeclared neighbours pass.
TEST(PropertyKinds, ANestedPropertyIsCheckedAtItsPath) {
  NormalizeOptions o;
  o.event_properties["Order Completed"] = {{"shipping.cost", TraitKind::kNumber},
                                           {"shipping.address.city", TraitKind::kText}};
  Normalizer n(o);
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(R"({"type":"track","event":"Order Completed","userId":"u1",
      "properties":{"shipping":{"cost":"free","carrier":"post",
      "address":{"city":{"name":"Shiraz","zip":"71"},"street":"Zand"}},"cost":"free"}})",
                          "web", 0, batch, &why))
      << why.message;
  auto f = fields_of(batch, 0);
  EXPECT_EQ(f.count("properties.shipping.cost"), 0u);
  EXPECT_EQ(f.count("properties.shipping.address.city.name"), 0u);
  EXPECT_EQ(f.count("properties.shipping.address.city.zip"), 0u);
  EXPECT_EQ(f.at("properties.shipping.carrier"), "post");
  EXPECT_EQ(f.at("properties.shipping.address.street"), "Zand");
  EXPECT_EQ(f.at("properties.cost"), "free");  // another property
  const std::vector<KindProblem> &p = n.kind_problems();
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].name, "shipping.cost");
  EXPECT_EQ(p[0].path, "properties.shipping.cost");
  EXPECT_EQ(p[0].value, "free");
  EXPECT_EQ(p[1].name, "shipping.address.city");
  EXPECT_TRUE(p[1].structured);

  ASSERT_TRUE(n.normalize(R"({"type":"track","event":"Order Completed","userId":"u1",
      "properties":{"shipping":{"cost":12.5,"address":{"city":"Shiraz"}}}})",
                          "web", 0, batch, &why));
  EXPECT_TRUE(n.kind_problems().empty());
  f = fields_of(batch, 1);
  EXPECT_EQ(f.at("properties.shipping.cost"), "12.5");
  EXPECT_EQ(f.at("properties.shipping.address.city"), "Shiraz");
}

// `products[].sku` checks `sku` in every element of the list `products`;
// `tags[]` every element of `tags`. An element's value of another kind is
// left out alone, with its own path; the other elements stay.
TEST(PropertyKinds, AListElementIsCheckedInEveryElement) {
  NormalizeOptions o;
  o.event_properties["Order Completed"] = {{"products[].sku", TraitKind::kText},
                                           {"products[].price", TraitKind::kNumber},
                                           {"tags[]", TraitKind::kText},
                                           {"grid[][]", TraitKind::kNumber}};
  Normalizer n(o);
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(R"({"type":"track","event":"Order Completed","userId":"u1",
      "properties":{"products":[{"sku":"A1","price":10,"name":"tea"},{"sku":5,"price":"x"},
      {"sku":{"a":1},"price":null}],"tags":["new",3,null],"grid":[[1,"x"],[2]],"tags[]":7}})",
                          "web", 0, batch, &why))
      << why.message;
  auto f = fields_of(batch, 0);
  EXPECT_EQ(f.at("properties.products.0.sku"), "A1");
  EXPECT_EQ(f.at("properties.products.0.price"), "10");
  EXPECT_EQ(f.at("properties.products.0.name"), "tea");
  EXPECT_EQ(f.count("properties.products.1.sku"), 0u);
  EXPECT_EQ(f.count("properties.products.1.price"), 0u);
  EXPECT_EQ(f.count("properties.products.2.sku.a"), 0u);
  EXPECT_EQ(f.at("properties.products.2.price"), "null");
  EXPECT_EQ(f.at("properties.tags.0"), "new");
  EXPECT_EQ(f.count("properties.tags.1"), 0u);
  EXPECT_EQ(f.at("properties.tags.2"), "null");
  EXPECT_EQ(f.at("properties.grid.0.0"), "1");
  EXPECT_EQ(f.count("properties.grid.0.1"), 0u);
  EXPECT_EQ(f.at("properties.grid.1.0"), "2");
  // A key that holds brackets is a key, not a list.
  EXPECT_EQ(f.at("properties.tags[]"), "7");
  const std::vector<KindProblem> &p = n.kind_problems();
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].path, "properties.products.1.sku");
  EXPECT_EQ(p[0].value, "5");
  EXPECT_EQ(p[0].declared, TraitKind::kText);
  EXPECT_EQ(p[1].path, "properties.products.1.price");
  EXPECT_EQ(p[1].declared, TraitKind::kNumber);
  EXPECT_EQ(p[2].name, "products.2.sku");
  EXPECT_TRUE(p[2].structured);
  EXPECT_EQ(p[3].name, "tags.1");
  EXPECT_EQ(p[4].name, "grid.0.1");
  for (const KindProblem &k : p) EXPECT_TRUE(k.list.empty()) << k.name;
}

// Where the plan names list elements, a value that is not a list is left
// out whole and reported as such -- an object with keys "0", "1" included:
// its paths look like a list's, but it is none. null passes.
TEST(PropertyKinds, AValueThatIsNotAListWhereThePlanNamesElementsIsLeftOut) {
  NormalizeOptions o;
  o.event_properties["Order Completed"] = {{"products[].sku", TraitKind::kText},
                                           {"tags[]", TraitKind::kText}};
  Normalizer n(o);
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(R"({"type":"track","event":"Order Completed","userId":"u1",
      "properties":{"products":{"0":{"sku":"A1"},"1":{"sku":"B2"}},"tags":"new","total":3}})",
                          "web", 0, batch, &why))
      << why.message;
  auto f = fields_of(batch, 0);
  EXPECT_EQ(f.count("properties.products.0.sku"), 0u);
  EXPECT_EQ(f.count("properties.products.1.sku"), 0u);
  EXPECT_EQ(f.count("properties.tags"), 0u);
  EXPECT_EQ(f.at("properties.total"), "3");
  const std::vector<KindProblem> &p = n.kind_problems();
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].name, "products");
  EXPECT_TRUE(p[0].structured);
  EXPECT_EQ(p[0].list, "products[].sku");
  EXPECT_EQ(p[1].name, "tags");
  EXPECT_EQ(p[1].value, "new");
  EXPECT_EQ(p[1].list, "tags[]");

  ASSERT_TRUE(n.normalize(R"({"type":"track","event":"Order Completed","userId":"u1",
      "properties":{"products":null,"tags":[]}})",
                          "web", 0, batch, &why));
  EXPECT_TRUE(n.kind_problems().empty());
  EXPECT_EQ(fields_of(batch, 1).at("properties.products"), "null");
}

// Page and screen names are stored with Arabic letter variants folded to
// Persian ones: a plan naming a page in either form judges it in either
// form. Track event names are matched exactly, as they are stored.
TEST(PropertyKinds, APageNameIsMatchedWithItsLettersFolded) {
  const std::string arabic_kaf = "\u0643\u062a\u0627\u0628";   // كتاب
  const std::string persian_kaf = "\u06a9\u062a\u0627\u0628";  // کتاب
  for (const auto &[declared, sent] :
       {std::pair{arabic_kaf, persian_kaf}, std::pair{persian_kaf, arabic_kaf},
        std::pair{arabic_kaf, arabic_kaf}}) {
    NormalizeOptions o;
    o.event_properties[declared] = {{"price", TraitKind::kNumber}};
    Normalizer n(o);
    EventBatch batch;
    Rejection why;
    ASSERT_TRUE(n.normalize(
        R"({"type":"page","name":")" + sent + R"(","userId":"u1","properties":{"price":"cheap"}})",
        "web", 0, batch, &why))
        << why.message;
    ASSERT_EQ(n.kind_problems().size(), 1u) << declared << " / " << sent;
    EXPECT_EQ(n.kind_problems()[0].event, sent);
    EXPECT_EQ(fields_of(batch, 0).count("properties.price"), 0u);
  }
  NormalizeOptions o;
  o.event_properties[arabic_kaf] = {{"price", TraitKind::kNumber}};
  Normalizer n(o);
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(R"({"type":"track","event":")" + persian_kaf +
                              R"(","userId":"u1","properties":{"price":"cheap"}})",
                          "web", 0, batch, &why));
  EXPECT_TRUE(n.kind_problems().empty());  // another track event
}

}  // namespace
}  // namespace halo
