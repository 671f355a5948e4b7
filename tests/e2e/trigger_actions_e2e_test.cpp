// trigger_actions_e2e_test.cpp -- `set_trait` and `add_tag` through the
// `halo` binary: the traits land on the profile in the run that fires the
// trigger, segments and triggers over them follow in that run, feature
// builders do not count them as activity, a held-out or suppressed fire
// writes nothing, later runs write nothing again and `halo rebuild` gives
// the same profiles (computed values included); `halo validate` refuses
// actions that cannot work.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace halo::e2e::trigger_actions_e2e_test {
namespace {

constexpr int64_t kDayAfter = 1'767'657'600;  // 2026-01-06T00:00:00Z: after shop_events' orders

std::string pipeline_text(const std::string &triggers, const std::string &traits = "") {
  return segment_pipeline_text(kDayAfter,
                               "{ orders: { count: { event: Order Completed } }, identifies: { "
                               "count: { type: identify } } }",
                               traits + R"(segments:
  - { name: buyers, expression: "features.orders >= 1" }
  - { name: gold, expression: "traits.tier == 'gold' and traits.tags == 'vip'" }
triggers:
)" + triggers);
}

// The statuses of `trigger`'s messages, in key order.
std::vector<std::string> statuses(const std::string &pipeline, const std::string &trigger) {
  std::vector<std::string> out;
  for (const auto &[key, status] : message_statuses(pipeline)) {
    if (key.starts_with(trigger + ":")) out.push_back(status.substr(0, status.find('|')));
  }
  return out;
}

const char *kTriggers = R"(  - name: promote
    on: { entered: buyers }
    if: "identifiers.user_id in ['c1', 'c2']"
    set_trait: { tier: gold, level: 2, active: true, code: "07", orders_then: { from: features.orders }, since: { from: fire_time } }
    add_tag: [vip, loyal]
  - name: welcome_gold
    on: { entered: gold }
    send: { channel: email, destination: mailer, template: gold }
  - name: control
    on: { entered: buyers }
    holdout: 100
    set_trait: { held: true }
    send: { channel: email, destination: mailer, template: gold }
)";

TEST(TriggerActionsE2E, TraitsLandAndSegmentsAndTriggersFollowInTheSameRun) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  write_file(dir / "events.jsonl", shop_events(4));
  write_file(p, pipeline_text(kTriggers));
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "trigger_actions"), 6) << r.summary;  // 3 each for c1, c2
  EXPECT_EQ(summary_count(r.summary, "accepted"), 5) << r.summary;         // sources' events only

  const std::string c1 = exported_profile(dir / "profiles.jsonl", "c1");
  EXPECT_NE(c1.find(R"("traits":{"active":true,"code":"07","level":2,"orders_then":1,)"
                    R"("since":"2026-01-06T00:00:00.000Z","tags":["loyal","vip"],"tier":"gold"})"),
            std::string::npos)
      << c1;
  // The trigger's identify events are not activity: one order, no identify.
  EXPECT_NE(c1.find(R"("features":{"orders":1,"identifies":0})"), std::string::npos) << c1;
  EXPECT_NE(c1.find(R"("segments":["buyers","gold"])"), std::string::npos) << c1;
  const std::string c3 = exported_profile(dir / "profiles.jsonl", "c3");
  EXPECT_NE(c3.find(R"("traits":{})"), std::string::npos) << c3;  // `if` false; `control` held out
  EXPECT_NE(c3.find(R"("segments":["buyers"])"), std::string::npos) << c3;

  // The gold segment, entered in the actions' round, fired its trigger.
  EXPECT_EQ(statuses(p, "welcome_gold"), (std::vector<std::string>{"pending", "pending"}));
  EXPECT_EQ(statuses(p, "control").size(), 4u);
  for (const std::string &s : statuses(p, "control")) EXPECT_EQ(s, "held_out");

  // Nothing new: nothing fires or is written again; a rebuild (derived
  // state cleared) replays the logged actions into the same profiles.
  const std::vector<std::string> before = read_lines(dir / "profiles.jsonl");
  r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "trigger_actions"), 0);
  EXPECT_EQ(read_lines(dir / "profiles.jsonl"), before);
  CommandResult rebuild = run({halo_bin(), "rebuild", p, "-q"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  EXPECT_EQ(read_lines(dir / "profiles.jsonl"), before);
  EXPECT_EQ(statuses(p, "welcome_gold").size(), 2u);
  EXPECT_EQ(run({halo_bin(), "store", "check", p}).exit_code, 0);
}

TEST(TriggerActionsE2E, ValidateRefusesActionsThatCannotWork) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  write_file(dir / "events.jsonl", shop_events(2));
  struct Case {
    std::string trigger, traits, error;
  };
  const std::vector<Case> cases = {
      {"  - { name: a, on: { entered: buyers } }\n", "", "a trigger needs an action"},
      {"  - { name: a, on: { entered: buyers }, set_trait: { user_id: x } }\n", "",
       "traits.user_id is read as the identifier 'user_id'"},
      {"  - { name: a, on: { entered: buyers }, set_trait: { a.b: x } }\n", "",
       "a trait name is 1 to 128 ASCII letters"},
      {"  - { name: a, on: { entered: buyers }, set_trait: { tier: null } }\n", "",
       "a trait's value is text, a number, true or false"},
      {"  - { name: a, on: { entered: buyers }, set_trait: { tier: [a] } }\n", "",
       "a trait's value is text, a number, true or false"},
      {"  - { name: a, on: { entered: buyers }, set_trait: {} }\n", "", "name at least one trait"},
      {"  - { name: a, on: { entered: buyers }, set_trait: { t: { from: now } } }\n", "",
       "triggers[0].set_trait.t.from: a computed trait comes from fire_time, traits.NAME or "
       "features.NAME, not 'now'"},
      {"  - { name: a, on: { entered: buyers }, set_trait: { t: { form: fire_time } } }\n", "",
       "unknown key 'form'"},
      {"  - { name: a, on: { entered: buyers }, set_trait: { t: { from: features.order } } }\n", "",
       "triggers[0].set_trait.t.from"},
      {"  - { name: a, on: { entered: buyers }, add_tag: [] }\n", "", "add_tag names 1 to 20 tags"},
      {"  - { name: a, on: { entered: buyers }, cap: { messages: 1, within: 1d }, add_tag: x }\n",
       "", "triggers[0].cap: cap counts messages; a trigger without send makes none"},
      {"  - { name: a, on: { entered: buyers }, holdout: 10, add_tag: x }\n", "",
       "holdout counts messages"},
      {"  - { name: a, on: { entered: buyers }, add_tag: x }\n",
       "traits: { tags: { survivorship: most_recent } }\n",
       "add_tag adds to the trait 'tags', which keeps every value only with"},
      // Declared trait kinds: what an action writes must fit.
      {"  - { name: a, on: { entered: buyers }, set_trait: { level: high } }\n",
       "traits: { level: { kind: number } }\n",
       "triggers[0].set_trait.level: traits.level is declared to hold number (traits:); this "
       "action writes text"},
      {"  - { name: a, on: { entered: buyers }, set_trait: { since: \"soon\" } }\n",
       "traits: { since: { kind: time } }\n",
       "declared to hold time (traits:); this action writes text"},
      {"  - { name: a, on: { entered: buyers }, set_trait: { vip: { from: fire_time } } }\n",
       "traits: { vip: { kind: bool } }\n",
       "declared to hold bool (traits:); this action writes time"},
      {"  - { name: a, on: { entered: buyers }, set_trait: { n: { from: features.orders } } }\n",
       "traits: { n: { kind: text } }\n",
       "triggers[0].set_trait.n.from: traits.n is declared to hold text (traits:); features.orders "
       "is of another kind"},
      {"  - { name: a, on: { entered: buyers }, add_tag: x }\n",
       "traits: { tags: { kind: number } }\n",
       "add_tag adds text to the trait 'tags', which `traits:` declares to hold number"},
      // ... and segments compare traits only with what their kind can equal.
      {"  - { name: a, on: { entered: buyers }, add_tag: x }\n",
       "traits: { tier: { kind: number } }\n",
       "segments[1].expression: traits.tier holds a number; comparing it with text is false for "
       "every profile"},
  };
  for (const Case &c : cases) {
    write_file(p, pipeline_text(c.trigger, c.traits));
    CommandResult v = run({halo_bin(), "validate", p});
    EXPECT_EQ(v.exit_code, 2) << c.trigger;
    EXPECT_NE(v.err.find(c.error), std::string::npos) << c.trigger << "\n" << v.err;
    EXPECT_EQ(run_pipeline(p).exit_code, 2) << c.trigger;  // run refuses it too
  }
  // Kinds that fit pass: a time is also text, a number literal a number.
  write_file(p, pipeline_text("  - { name: a, on: { entered: buyers }, set_trait: { since: { from: "
                              "fire_time }, n: 3, seen: \"2026-01-01T00:00:00Z\" } }\n",
                              "traits: { since: { kind: text }, n: { kind: number }, seen: { kind: "
                              "time }, tier: { kind: text } }\n"));
  CommandResult fits = run({halo_bin(), "validate", p});
  EXPECT_EQ(fits.exit_code, 0) << fits.err;
  // A trigger that only acts needs no destination or template.
  write_file(p, pipeline_text("  - { name: a, on: { entered: buyers }, add_tag: x }\n"));
  CommandResult v = run({halo_bin(), "validate", p});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_EQ(v.err.find("outbox"), std::string::npos) << v.err;  // no "messages wait" warning
}

}  // namespace
}  // namespace halo::e2e::trigger_actions_e2e_test
