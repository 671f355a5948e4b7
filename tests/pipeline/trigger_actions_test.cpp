// trigger_actions_test.cpp -- the identify events a trigger's set_trait and
// add_tag make: typed literals from the YAML, the profile's strongest
// identifier at a path that is not a trait, one "traits" object even when
// the identifier's only path is a trait, one event per tag, none without
// an identifier the pipeline reads.
#include "pipeline/trigger_actions.h"

#include <gtest/gtest.h>

namespace halo {
namespace {

constexpr int64_t kActionsJan5 = 1'767'571'200'000;  // 2026-01-05T00:00:00Z

PipelineConfig config(const std::string &identity, const std::string &trigger) {
  auto cfg = parse_pipeline(R"(version: 1
store: { kind: sqlite, path: halo.db }
)" + identity + R"y(
sources: [{ name: web, plugin: file-jsonl, config: { path: e.jsonl } }]
segments: [{ name: all, expression: "exists(traits.city)" }]
triggers:
)y" + trigger,
                            "", process_env());
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
  return cfg.ok() ? std::move(*cfg) : PipelineConfig{};
}

ProfileExport profile(std::vector<std::pair<std::string, std::string>> identifiers) {
  ProfileExport p;
  p.id = 7;
  p.identifiers = std::move(identifiers);
  return p;
}

TEST(TriggerActions, LiteralsKeepTheirYamlTypeAndTheStrongestIdentifierCarriesThem) {
  const PipelineConfig cfg = config("", R"(  - name: promote
    on: { entered: all }
    set_trait: { tier: gold, level: 2, ratio: -0.5e3, active: false, code: "07", zip: 007, hex: 0x10, name: "سارا" }
)");
  ASSERT_EQ(cfg.triggers.size(), 1u);
  const auto events = trigger_action_events(cfg, cfg.triggers[0],
                                            profile({{"anonymous_id", "a1"}, {"user_id", "u1"}}),
                                            "promote:7:3", kActionsJan5);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(
      events[0],
      R"({"type":"identify","messageId":"promote:7:3/0","timestamp":"2026-01-05T00:00:00.000Z",)"
      R"("userId":"u1","traits":{"tier":"gold","level":2,"ratio":-0.5e3,"active":false,)"
      R"("code":"07","zip":"007","hex":"0x10","name":"سارا"}})");
}

TEST(TriggerActions, ATraitPathIdentifierSharesTheTraitsObjectAndEachTagIsAnEvent) {
  const PipelineConfig cfg =
      config(R"(identity:
  identifiers:
    - { type: email, kind: email, priority: 1, paths: [traits.email] }
    - { type: anonymous_id, priority: 9 })",
             R"(  - { name: tag, on: { entered: all }, add_tag: [vip, "new buyer"] }
)");
  ASSERT_EQ(cfg.triggers.size(), 1u);
  EXPECT_EQ(cfg.traits.at("tags"), Survivorship::kAll);  // given by add_tag
  const auto events = trigger_action_events(cfg, cfg.triggers[0],
                                            profile({{"anonymous_id", "a1"}, {"email", "s@x.ir"}}),
                                            "tag:7:1", kActionsJan5);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0],
            R"({"type":"identify","messageId":"tag:7:1/0","timestamp":"2026-01-05T00:00:00.000Z",)"
            R"("traits":{"email":"s@x.ir","tags":"vip"}})");
  EXPECT_NE(events[1].find(R"("messageId":"tag:7:1/1")"), std::string::npos) << events[1];
  EXPECT_NE(events[1].find(R"("traits":{"email":"s@x.ir","tags":"new buyer"}})"), std::string::npos)
      << events[1];
  // No identifier the pipeline reads: nothing could carry the actions.
  EXPECT_TRUE(
      trigger_action_events(cfg, cfg.triggers[0], profile({{"phone", "+989121234567"}}), "k", 0)
          .empty());
}

TEST(TriggerActions, ComputedValuesAreReadWhenTheTriggerFires) {
  const PipelineConfig cfg = config("", R"(  - name: promote
    on: { entered: all }
    set_trait:
      tier: gold
      gold_since: { from: fire_time }
      clv_then: { from: features.clv }
      last_order_then: { from: features.last_order }
      city_then: { from: traits.city }
      missing: { from: features.nothing }
      nulled: { from: traits.gone }
)");
  ASSERT_EQ(cfg.triggers.size(), 1u);
  ProfileExport p = profile({{"user_id", "u1"}});
  p.traits.push_back({"city", TypedValue::string("Tehran")});
  p.traits.push_back({"gone", TypedValue::null()});
  p.features.push_back({"clv", TypedValue::decimal("1250000.50")});
  p.features.push_back({"last_order", TypedValue::timestamp(kActionsJan5 - 3'600'000)});
  const auto events = trigger_action_events(cfg, cfg.triggers[0], p, "promote:7:1", kActionsJan5);
  ASSERT_EQ(events.size(), 1u);
  // Absent and null values are left out, not written as null.
  EXPECT_EQ(
      events[0],
      R"({"type":"identify","messageId":"promote:7:1/0","timestamp":"2026-01-05T00:00:00.000Z",)"
      R"("userId":"u1","traits":{"tier":"gold","gold_since":"2026-01-05T00:00:00.000Z",)"
      R"("clv_then":1250000.50,"last_order_then":"2026-01-04T23:00:00.000Z",)"
      R"("city_then":"Tehran"}})");
  // Nothing computed holds and no literal: no event at all.
  const PipelineConfig only_computed = config("", R"(  - name: copy
    on: { entered: all }
    set_trait: { clv_then: { from: features.clv } }
)");
  EXPECT_TRUE(trigger_action_events(only_computed, only_computed.triggers[0],
                                    profile({{"user_id", "u1"}}), "k", kActionsJan5)
                  .empty());
}

}  // namespace
}  // namespace halo
