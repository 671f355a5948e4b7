// The tracking plan (`events:`) through the real `halo`: a property value
// of another kind than its event declares is left out of the stored event
// (a dead letter says so) and comes back with `halo rebuild` once the kind
// is right; `halo validate` refuses segments and triggers that name an
// undeclared event or read a property its declaration cannot give.
#include <gtest/gtest.h>

#include <string>

#include "e2e_support.h"

namespace halo::e2e::event_schema_e2e_test {
namespace {

const char *kOrders =
    R"({"type":"track","event":"Order Completed","userId":"u1","messageId":"o1","timestamp":"2026-01-02T10:00:00Z","properties":{"revenue":100,"coupon":"NOWRUZ"}}
{"type":"track","event":"Order Completed","userId":"u1","messageId":"o2","timestamp":"2026-01-03T10:00:00Z","properties":{"revenue":"abc"}}
{"type":"track","event":"Order Refunded","userId":"u1","messageId":"r1","timestamp":"2026-01-04T10:00:00Z","properties":{"revenue":"all of it"}}
)";

std::string pipeline(const std::string &events, const std::string &tail = "") {
  return R"(version: 1
store: { kind: sqlite, path: halo.db }
run: { as_of: "2026-01-05T00:00:00Z" }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
features:
  - name: orders
    plugin: aggregates
    config:
      features:
        revenue: { sum: { event: Order Completed, field: properties.revenue } }
        coupons: { distinct: { event: Order Completed, field: properties.coupon } }
destinations:
  - { name: out, plugin: file-jsonl, config: { path: profiles.jsonl } }
)" + events +
         tail;
}

TEST(EventSchemaE2E, AValueOfAnotherKindIsLeftOutUntilItsKindIsRight) {
  TempDir dir;
  write_file(dir / "events.jsonl", kOrders);
  const std::string p = dir / "p.yaml";
  // coupon is declared a number by mistake; Order Refunded declares nothing.
  write_file(p, pipeline("events:\n"
                         "  Order Completed: { properties: { revenue: number, coupon: number } }\n"
                         "  Order Refunded:\n"));
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "accepted"), 3) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "invalid_properties"), 2) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "rejected"), 0) << r.summary;
  std::string u1 = exported_profile(dir / "profiles.jsonl", "u1");
  EXPECT_NE(u1.find(R"("features":{"revenue":100,"coupons":0})"), std::string::npos) << u1;
  CommandResult dl = run({halo_bin(), "deadletters", p, "--format", "jsonl"});
  EXPECT_NE(dl.out.find("properties.revenue of 'Order Completed' is 'abc', not a number as "
                        "`events:` declares; the event was stored without it"),
            std::string::npos)
      << dl.out;
  EXPECT_NE(dl.out.find("properties.coupon of 'Order Completed' is 'NOWRUZ', not a number"),
            std::string::npos)
      << dl.out;
  EXPECT_NE(dl.out.find(R"("stage":"property")"), std::string::npos) << dl.out;

  // The log keeps the raw records: with coupon text, a rebuild reads it.
  write_file(p, pipeline("events:\n"
                         "  Order Completed: { properties: { revenue: number, coupon: text, "
                         "shipping.cost: number, "
                         "shipping.city: text } }\n"
                         "  Order Refunded:\n"));
  CommandResult rebuild = run({halo_bin(), "rebuild", p, "-q"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  u1 = exported_profile(dir / "profiles.jsonl", "u1");
  EXPECT_NE(u1.find(R"("features":{"revenue":100,"coupons":1})"), std::string::npos) << u1;
}

// List elements through a run: the wrong element's value is left out and
// named by its index (the rest of the list stays: normalize_test), and a
// single object where the plan says list is left out whole.
TEST(EventSchemaE2E, AListElementOfAnotherKindIsLeftOutAndNamedByItsIndex) {
  TempDir dir;
  write_file(
      dir / "events.jsonl",
      R"({"type":"track","event":"Cart Viewed","userId":"u1","messageId":"c1","timestamp":"2026-01-02T10:00:00Z","properties":{"products":[{"sku":"A1","price":10},{"sku":"B2","price":"ten"}]}}
{"type":"track","event":"Cart Viewed","userId":"u1","messageId":"c2","timestamp":"2026-01-03T10:00:00Z","properties":{"products":{"sku":"C3","price":5}}}
)");
  const std::string p = dir / "p.yaml";
  write_file(p, pipeline("events:\n"
                         "  Cart Viewed:\n"
                         "    properties:\n"
                         "      products[].sku: text\n"
                         "      products[].price: number\n"));
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "accepted"), 2) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "invalid_properties"), 2) << r.summary;
  CommandResult dl = run({halo_bin(), "deadletters", p, "--format", "jsonl"});
  EXPECT_NE(dl.out.find("properties.products.1.price of 'Cart Viewed' is 'ten', not a number as "
                        "`events:` declares; the event was stored without it"),
            std::string::npos)
      << dl.out;
  EXPECT_NE(dl.out.find("properties.products of 'Cart Viewed' is an object, not a list as "
                        "`events:` declares (products[].price)"),
            std::string::npos)
      << dl.out;
}

TEST(EventSchemaE2E, ValidateRefusesNamesAndPropertiesThePlanDoesNotDeclare) {
  TempDir dir;
  write_file(dir / "events.jsonl", kOrders);
  const std::string p = dir / "p.yaml";
  const std::string plan =
      "events:\n"
      "  Order Completed: { properties: { revenue: number, coupon: text, shipping.cost: number, "
      "shipping.city: text, 'products[].sku': text, 'products[].price': number } }\n"
      "  Checkout Started:\n";
  struct Case {
    std::string tail, error;
  };
  const std::vector<Case> cases = {
      {"segments:\n  - { name: s, expression: \"count(Order Complted within 90d) >= 1\" }\n",
       "segments[0].expression: event 'Order Complted' is not declared under `events:` (did "
       "you mean 'Order Completed'?)"},
      {"segments:\n  - { name: s, expression: \"sum(Order Completed.coupon within 30d) > 1\" }\n",
       "segments[0].expression: sum over properties.coupon of 'Order Completed', which "
       "`events:` declares text, not a number"},
      {"segments:\n  - { name: s, expression: \"avg(Order Completed.revnue) > 1\" }\n",
       "avg over properties.revnue of 'Order Completed', which `events:` does not declare (did "
       "you mean 'revenue'?)"},
      {"segments:\n  - { name: s, expression: \"max(Order Completed.shipping.city) > 1\" }\n",
       "max over properties.shipping.city of 'Order Completed', which `events:` declares text, "
       "not a number"},
      {"triggers:\n  - { name: t, on: { event: Order Completed, where: \"properties.shipping.zip "
       "== '7'\" }, add_tag: x }\n",
       "triggers[0].on.where: properties.shipping.zip: 'Order Completed' declares no property "
       "'shipping.zip' under `events:` (valid properties: coupon, products[].price, "
       "products[].sku, "
       "revenue, shipping.city, shipping.cost)"},
      {"triggers:\n  - { name: t, on: { event: Signed Up }, add_tag: x }\n",
       "triggers[0].on: event 'Signed Up' is not declared under `events:`"},
      {"triggers:\n  - { name: t, on: { event: Checkout Started }, wait: 1h, unless: { event: "
       "Order Complete }, add_tag: x }\n",
       "triggers[0].unless: event 'Order Complete' is not declared under `events:` (did you "
       "mean 'Order Completed'?)"},
      {"triggers:\n  - { name: t, on: { event: Order Completed, where: \"properties.revenue > "
       "'high'\" }, add_tag: x }\n",
       "triggers[0].on.where: properties.revenue holds a number"},
      {"triggers:\n  - { name: t, on: { event: Order Completed, where: \"properties.total > "
       "10\" }, add_tag: x }\n",
       "triggers[0].on.where: properties.total: 'Order Completed' declares no property 'total' "
       "under `events:`"},
      // List elements are named as the plan declares them.
      {"segments:\n  - { name: s, expression: \"sum(Order Completed.products[].sku) > 1\" }\n",
       "sum over properties.products[].sku of 'Order Completed', which `events:` declares text, "
       "not a number"},
      {"triggers:\n  - { name: t, on: { event: Order Completed, where: \"properties.products[]."
       "price == 'x'\" }, add_tag: x }\n",
       "triggers[0].on.where: properties.products[].price holds a number"},
      {"triggers:\n  - { name: t, on: { event: Order Completed, where: \"properties.products[]."
       "qty > 1\" }, add_tag: x }\n",
       "'Order Completed' declares no property 'products[].qty' under `events:`"},
  };
  for (const Case &c : cases) {
    write_file(p, pipeline(plan, c.tail));
    CommandResult v = run({halo_bin(), "validate", p});
    EXPECT_EQ(v.exit_code, 2) << c.tail;
    EXPECT_NE(v.err.find(c.error), std::string::npos) << c.tail << "\n" << v.err;
  }
  // What the plan declares passes; without a plan nothing is checked.
  const std::string fine =
      "segments:\n  - { name: s, expression: \"sum(Order Completed.revenue within 30d) > 1 and "
      "did Checkout Started within 1d and avg(Order Completed.shipping.cost) > 0\" }\n"
      "triggers:\n  - { name: t, on: { event: Order Completed, where: \"properties.coupon == "
      "'NOWRUZ' or properties.products[].price > 5\" }, add_tag: x }\n"
      "  - { name: u, on: { event: Checkout Started }, if: \"max(Order Completed.products[].price) "
      "> 9\", add_tag: y }\n";
  write_file(p, pipeline(plan, fine));
  CommandResult ok = run({halo_bin(), "validate", p});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  write_file(p, pipeline("", cases[0].tail));
  CommandResult no_plan = run({halo_bin(), "validate", p});
  EXPECT_EQ(no_plan.exit_code, 0) << no_plan.err;
}

}  // namespace
}  // namespace halo::e2e::event_schema_e2e_test
