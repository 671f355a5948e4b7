// trigger_e2e_test.cpp -- triggers through the `halo` binary with the
// reference time set by run.as_of: a wait fires only once it has passed,
// across runs (the timer is stored); each fire makes one message, never a
// second one on later runs or a rebuild; a holdout share is held out
// within tolerance; a false `if` suppresses; a trigger added later does not
// act on history; a cap limits messages per profile; waits end at a local
// time of day; a run killed while firing leaves each message once;
// `halo validate` refuses bad triggers.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "e2e_support.h"

namespace halo::e2e::trigger_e2e_test {
namespace {

constexpr int64_t kOrderDay = 1'767'571'200;  // 2026-01-05T00:00:00Z, seconds

std::string pipeline_text(int64_t as_of, const std::string &triggers) {
  return segment_pipeline_text(as_of, "{ orders: { count: { event: Order Completed } } }",
                               R"(segments:
  - { name: buyers, expression: "features.orders >= 1" }
  - { name: repeat, expression: "features.orders >= 2" }
triggers:
)" + triggers);
}

const char *kThanks = R"(  - name: thanks
    on: { entered: buyers }
    wait: 1h
    holdout: 50
    send:
      channel: email
      destination: out
      template: thank_you
      variables: { orders: features.orders, user: identifiers.user_id, id: profile_id }
)";

std::vector<std::string> messages(const std::string &pipeline, const std::string &status = "") {
  std::vector<std::string> argv = {halo_bin(), "messages", "list", pipeline};
  if (!status.empty()) argv.insert(argv.end(), {"--status", status});
  CommandResult r = run(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = r.out.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(r.out.substr(start, end - start));
  }
  return lines;
}

TEST(TriggerE2E, WaitHoldoutAndEachMessageOnce) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  write_file(dir / "events.jsonl", shop_events(200));
  const int64_t t0 = kOrderDay + 86'400;
  write_file(p, pipeline_text(t0, kThanks));
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "segment_entries"), 200);
  EXPECT_TRUE(messages(p).empty());  // scheduled for an hour later

  write_file(p, pipeline_text(t0 + 1800, kThanks));  // half an hour: not yet
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  EXPECT_TRUE(messages(p).empty());

  write_file(p, pipeline_text(t0 + 3600, kThanks));  // the hour has passed
  r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const long queued = summary_count(r.summary, "messages_queued");
  const long held = summary_count(r.summary, "messages_held_out");
  EXPECT_EQ(queued + held, 200);
  EXPECT_GE(held, 70);  // 50% of 200, well within chance
  EXPECT_LE(held, 130);
  const std::vector<std::string> all = messages(p);
  ASSERT_EQ(all.size(), 200u);
  EXPECT_EQ(messages(p, "held_out").size(), static_cast<size_t>(held));
  EXPECT_EQ(messages(p, "pending").size(), static_cast<size_t>(queued));
  const std::string c7 = [&] {
    for (const std::string &m : all) {
      if (m.find(R"("user":["c7"])") != std::string::npos) return m;
    }
    return std::string();
  }();
  EXPECT_NE(c7.find(R"("trigger":"thanks")"), std::string::npos) << c7;
  EXPECT_NE(c7.find(R"("channel":"email","destination":"out","template":"thank_you")"),
            std::string::npos)
      << c7;
  EXPECT_NE(c7.find(R"("variables":{"orders":1,"user":["c7"],"id":")"), std::string::npos) << c7;
  EXPECT_TRUE(std::regex_search(c7, std::regex(R"("idempotency_key":"thanks:\d+:\d+")"))) << c7;

  // Later runs, a rebuild and new events for others make no second message.
  write_file(p, pipeline_text(t0 + 7200, kThanks));
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  CommandResult rebuild = run({halo_bin(), "rebuild", p, "-q"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  EXPECT_EQ(messages(p), all);
  EXPECT_EQ(run({halo_bin(), "store", "check", p}).exit_code, 0);
}

TEST(TriggerE2E, FalseConditionSuppressesAndANewTriggerIgnoresHistory) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  write_file(dir / "events.jsonl", shop_events(6) + shop_changes());
  const int64_t t0 = kOrderDay + 86'400;
  const std::string tabriz = R"y(  - name: tabriz_repeat
    on: { entered: repeat }
    if: "traits.city == 'Tabriz' and in_segment(buyers)"
    send: { channel: sms, destination: out, template: hello }
)y";
  write_file(p, pipeline_text(t0, tabriz));
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // c3 entered `repeat` but has no city: suppressed, with no variables.
  EXPECT_EQ(summary_count(r.summary, "messages_suppressed"), 1);
  ASSERT_EQ(messages(p, "suppressed").size(), 1u);
  EXPECT_NE(messages(p)[0].find(R"("variables":{})"), std::string::npos) << messages(p)[0];

  // A trigger added now does not act on the entries already recorded.
  write_file(p, pipeline_text(t0, tabriz + kThanks));
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  write_file(p, pipeline_text(t0 + 7200, tabriz + kThanks));
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  EXPECT_EQ(messages(p).size(), 1u);
  // New entries after it was added do.
  write_file(
      dir / "events.jsonl",
      shop_events(6) + shop_changes() +
          R"({"type":"track","event":"Order Completed","userId":"c9","messageId":"o-c9","timestamp":"2026-01-07T10:00:00Z"})"
          "\n");
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  write_file(p, pipeline_text(t0 + 3 * 7200, tabriz + kThanks));
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  const std::vector<std::string> all = messages(p);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_NE(all[1].find(R"("user":["c9"])"), std::string::npos) << all[1];
}

// `cap: { messages: 1, within: 7d }`: a profile that enters again within
// 7 days of its last message gets a suppressed message, one that enters
// later a pending one. The profile enters on each order (`did ... within
// 1d`) and leaves a day later.
TEST(TriggerE2E, CapLimitsMessagesPerProfileInTheWindow) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  const auto order = [](int64_t at, const std::string &id) {
    return R"({"type":"track","event":"Order Completed","userId":"u1","messageId":")" + id +
           R"(","timestamp":")" + iso_utc(at) + "\"}\n";
  };
  const int64_t day = 86'400, t = kOrderDay;
  const auto text = [&](int64_t as_of) {
    return segment_pipeline_text(as_of, "{ orders: { count: { event: Order Completed } } }", R"(
segments:
  - { name: recent, expression: "did Order Completed within 1d" }
triggers:
  - name: thanks
    on: { entered: recent }
    cap: { messages: 1, within: 7d }
    send: { channel: email, destination: out, template: thank_you }
)");
  };
  std::string events;
  // Orders at t, t + 3d and t + 10d; runs an hour after each and two days
  // after each (the profile has left `recent` by then).
  const int64_t orders[] = {t, t + 3 * day, t + 10 * day};
  for (int k = 0; k < 3; ++k) {
    events += order(orders[k], "o" + std::to_string(k));
    write_file(dir / "events.jsonl", events);
    for (int64_t after : {int64_t{3600}, 2 * day}) {
      write_file(p, text(orders[k] + after));
      RunOutcome r = run_pipeline(p);
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  const std::vector<std::string> all = messages(p);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_NE(all[0].find(R"("status":"pending")"), std::string::npos) << all[0];
  EXPECT_NE(all[1].find(R"("status":"suppressed")"), std::string::npos) << "3 days later";
  EXPECT_NE(all[2].find(R"("status":"pending")"), std::string::npos) << "10 days later";
  EXPECT_NE(all[2].find(R"("fired_at":")" + iso_utc(orders[2] + 3600).substr(0, 13)),
            std::string::npos)
      << all[2];
}

// `wait: { for, until, time_zone }`: a fixed local time of day, and the
// profile's best send hour in its own time zone (features a builder emits;
// here `aggregates` over the orders), or right after `for` without one.
TEST(TriggerE2E, WaitsEndAtALocalTimeOfDay) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  const auto order = [](int user, const std::string &extra) {
    return R"({"type":"track","event":"Order Completed","userId":"u)" + std::to_string(user) +
           R"(","messageId":"o)" + std::to_string(user) + R"(","timestamp":")" +
           iso_utc(kOrderDay) + "\"" + extra + "}\n";
  };
  // u1: best hour 20 in Tehran (16:30Z); u2: best hour 7, no zone (the
  // trigger's, UTC); u3: no best hour.
  write_file(dir / "events.jsonl",
             order(1, R"(,"properties":{"hour":20},"context":{"timezone":"Asia/Tehran"})") +
                 order(2, R"(,"properties":{"hour":7})") + order(3, ""));
  const int64_t entry = kOrderDay + 86'400;  // 2026-01-06T00:00:00Z
  const auto text = [&](int64_t as_of) {
    return segment_pipeline_text(
        as_of,
        "{ orders: { count: { event: Order Completed } }, best_send_hour: { max: { field: "
        "properties.hour } }, time_zone: { last: { field: context.timezone } } }",
        R"(
segments:
  - { name: buyers, expression: "features.orders >= 1" }
triggers:
  - name: morning
    on: { entered: buyers }
    wait: { for: 1h, until: "09:00", time_zone: Asia/Tehran }
    send: { channel: email, destination: out, template: t }
  - name: best
    on: { entered: buyers }
    wait: { for: 30m, until: best_send_hour }
    send: { channel: sms, destination: out, template: t }
)");
  };
  // The fire time of each message, by trigger and profile.
  const auto fired = [&](int64_t as_of) {
    write_file(p, text(as_of));
    RunOutcome r = run_pipeline(p);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::string> out;
    static const std::regex fields(
        R"re("trigger":"([a-z]+)","profile_id":"(\d+)".*"fired_at":"([^"]+)")re");
    for (const std::string &line : messages(p)) {
      std::smatch m;
      if (std::regex_search(line, m, fields)) out[m[1].str() + ":" + m[2].str()] = m[3];
    }
    return out;
  };
  auto at = fired(entry);  // entries at 00:00Z; only u3's best wait (30m) ends before 00:30Z
  EXPECT_TRUE(at.empty()) << at.size();
  at = fired(entry + 3600);
  EXPECT_EQ(at, (std::map<std::string, std::string>{{"best:3", "2026-01-06T00:30:00.000Z"}}));
  at = fired(entry + 2 * 86'400);
  const std::map<std::string, std::string> expected = {
      {"morning:1", "2026-01-06T05:30:00.000Z"},  // 09:00 in Tehran
      {"morning:2", "2026-01-06T05:30:00.000Z"}, {"morning:3", "2026-01-06T05:30:00.000Z"},
      {"best:1", "2026-01-06T16:30:00.000Z"},  // 20:00 in Tehran
      {"best:2", "2026-01-06T07:00:00.000Z"},  // 07:00 UTC
      {"best:3", "2026-01-06T00:30:00.000Z"},
  };
  EXPECT_EQ(at, expected);
}

TEST(TriggerE2E, SigkillWhileFiringLeavesEachMessageOnce) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  constexpr int kCustomers = 20'000;
  write_file(dir / "events.jsonl", shop_events(kCustomers));
  const int64_t t0 = kOrderDay + 86'400;
  write_file(p, pipeline_text(t0, kThanks));
  ASSERT_EQ(run_pipeline(p).exit_code, 0);  // every timer scheduled
  write_file(p, pipeline_text(t0 + 3600, kThanks));
  int kills = 0;
  // The run that fires them all, killed at a spread of moments and resumed.
  for (int delay_ms : {25, 50, 75, 100, 125, 150, 175}) {
    kills += kill_after({halo_bin(), "run", p, "-q"}, delay_ms);
  }
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  EXPECT_GT(kills, 0) << "no run was killed: the test did not test anything";
  const std::vector<std::string> all = messages(p);
  ASSERT_EQ(all.size(), static_cast<size_t>(kCustomers));
  std::set<std::string> profiles;
  static const std::regex kProfile(R"re("profile_id":"(\d+)")re");
  for (const std::string &m : all) {
    std::smatch found;
    ASSERT_TRUE(std::regex_search(m, found, kProfile)) << m;
    EXPECT_TRUE(profiles.insert(found[1]).second) << "a second message: " << m;
  }
  EXPECT_EQ(run({halo_bin(), "store", "check", p}).exit_code, 0);
  ASSERT_EQ(run_pipeline(p).exit_code, 0);  // no timer is left to fire again
  EXPECT_EQ(messages(p).size(), all.size());
}

TEST(TriggerE2E, ValidateRefusesBadTriggers) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  write_file(dir / "events.jsonl", shop_events(2));
  struct Case {
    std::string trigger, error;
  };
  const std::vector<Case> cases = {
      {"  - { name: a, on: { entered: nobody }, send: { channel: sms, destination: out, template: "
       "t } }\n",
       "triggers[0].on: no segment named 'nobody' is declared"},
      {"  - { name: a, on: { entered: buyers }, wait: -1h, send: { channel: sms, destination: out, "
       "template: t } }\n",
       "wait '-1h' must be a duration from 0s to 366d"},
      {"  - { name: a, on: { entered: buyers }, if: \"features.orders >== 1\", send: { channel: "
       "sms, destination: out, template: t } }\n",
       "triggers[0].if: column 19: '=' is not an operator"},
      {"  - { name: a, on: { entered: buyers }, holdout: 150, send: { channel: sms, destination: "
       "out, template: t } }\n",
       "holdout"},
      {"  - { name: a, on: { entered: buyers } }\n", "a trigger needs an action: send"},
      {"  - { name: a, on: { entered: buyers, exited: buyers }, send: { channel: sms, destination: "
       "out, template: t } }\n",
       "give one of entered: SEGMENT, exited: SEGMENT"},
      {"  - { name: a, on: { entered: buyers }, send: { channel: sms, destination: out, template: "
       "t, variables: { x: city } } }\n",
       "a variable is NAME ([a-z0-9_-]+): PATH"},
      {"  - { name: a, on: { entered: buyers }, if: \"in_segment(vip)\", send: { channel: sms, "
       "destination: out, template: t } }\n",
       "in_segment(vip): no segment named 'vip' is declared"},
      {"  - { name: a, on: { entered: buyers }, wait: { until: \"25:00\" }, send: { channel: "
       "sms, destination: out, template: t } }\n",
       "until '25:00' must be a local time of day HH:MM"},
      {"  - { name: a, on: { entered: buyers }, wait: { until: \"09:00\", time_zone: Mars/Base "
       "}, send: { channel: sms, destination: out, template: t } }\n",
       "triggers[0].wait.time_zone: unknown time zone 'Mars/Base'"},
      {"  - { name: a, on: { entered: buyers }, wait: { for: 1h }, send: { channel: sms, "
       "destination: out, template: t } }\n",
       "missing required key 'until'"},
      {"  - { name: a, on: { entered: buyers }, cap: { messages: 0 }, send: { channel: sms, "
       "destination: out, template: t } }\n",
       "triggers[0].cap.messages"},
      {"  - { name: a, on: { entered: buyers }, cap: { messages: 1, within: 30s }, send: { "
       "channel: sms, destination: out, template: t } }\n",
       "within '30s' must be a duration from 1m"},
  };
  for (const Case &c : cases) {
    write_file(p, pipeline_text(kOrderDay, c.trigger));
    CommandResult v = run({halo_bin(), "validate", p});
    EXPECT_EQ(v.exit_code, 2) << c.trigger;
    EXPECT_NE(v.err.find(c.error), std::string::npos) << c.trigger << "\n" << v.err;
    EXPECT_EQ(run_pipeline(p).exit_code, 2) << c.trigger;  // run refuses it too
  }
}

}  // namespace
}  // namespace halo::e2e::trigger_e2e_test
