// event_trigger_e2e_test.cpp -- triggers on single events (`on: { event }`)
// with `unless` through the `halo` binary: each starting event schedules
// one timer in the commit that stores it; a cancelling event at or after
// the start suppresses the message with its reason; caps count across the
// events of one profile; a message follows its profile into the one it
// was merged into; runs, a rebuild and `halo validate` behave as for
// segment triggers.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <regex>

#include "e2e_support.h"

namespace halo::e2e::event_trigger_e2e_test {
namespace {

constexpr int64_t kStart = 1'767'607'200;  // 2026-01-05T10:00:00Z, seconds
constexpr int64_t kHour = 3'600;

std::string cart_triggers() {
  return R"(triggers:
  - name: cart_1h
    on: { event: Checkout Started }
    wait: 1h
    unless: { event: Order Completed }
    cap: { messages: 1, within: 1d }
    send: { channel: email, destination: out, template: cart_1, variables: { user: identifiers.user_id } }
  - name: cart_24h
    on: { event: Checkout Started }
    wait: 24h
    unless: { event: [Order Completed, Cart Emptied] }
    send: { channel: sms, destination: out, template: cart_2 }
)";
}

std::string pipeline_at(int64_t as_of, const std::string &triggers = cart_triggers()) {
  return segment_pipeline_text(as_of, "{ orders: { count: { event: Order Completed } } }",
                               triggers);
}

struct TestEvent {
  int64_t at = 0;  // seconds
  std::string name, user;
};

std::string event_line(const TestEvent &e, size_t n) {
  return R"({"type":"track","event":")" + e.name + R"(","userId":")" + e.user +
         R"(","messageId":"m)" + std::to_string(n) + R"(","timestamp":")" + iso_utc(e.at) + "\"}\n";
}

// `halo validate` accepts pipeline `p`, and a run of it succeeds.
bool validates_and_runs(const std::string &p) {
  CommandResult v = run({halo_bin(), "validate", p});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  RunOutcome r = run_pipeline(p);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return v.exit_code == 0 && r.exit_code == 0;
}

struct Message {
  std::string trigger, status, reason, profile;
  uint64_t occurrence = 0;
};

std::map<std::pair<std::string, uint64_t>, Message> read_messages(const std::string &pipeline) {
  CommandResult r = run({halo_bin(), "messages", "list", pipeline});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::pair<std::string, uint64_t>, Message> out;
  static const std::regex kLine(
      R"re("idempotency_key":"([a-z0-9_]+):(\d+):(\d+)".*"profile_id":"(\d+)".*"status":"([a-z_]+)".*"reason":"([^"]*)")re");
  size_t start = 0;
  for (size_t end; (end = r.out.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string line = r.out.substr(start, end - start);
    std::smatch m;
    EXPECT_TRUE(std::regex_search(line, m, kLine)) << line;
    if (m.empty()) continue;
    Message msg{m[1], m[5], m[6], m[4], std::stoull(m[3])};
    EXPECT_TRUE(out.emplace(std::pair{msg.trigger, msg.occurrence}, msg).second) << line;
  }
  return out;
}

// What each checkout's messages must be, worked out from the events: a
// timer is due `wait` after its checkout and fires in the first run at or
// after that; by then the run has read every event up to its time, so a
// cancelling event of the user at or after the checkout and no later than
// that run suppresses it ("unless: NAME"); otherwise cart_1h is capped
// once the user had a message of it fired in the day before.
std::map<std::pair<std::string, uint64_t>, std::string> expected_statuses(
    const std::vector<TestEvent> &events, const std::vector<int64_t> &runs) {
  struct Timer {
    int64_t due;
    uint64_t seq;
    std::string trigger, user;
    int64_t start;
  };
  std::vector<Timer> timers;
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].name != "Checkout Started") continue;
    timers.push_back({events[i].at + kHour, i + 1, "cart_1h", events[i].user, events[i].at});
    timers.push_back({events[i].at + 24 * kHour, i + 1, "cart_24h", events[i].user, events[i].at});
  }
  std::stable_sort(timers.begin(), timers.end(),
                   [](const Timer &a, const Timer &b) { return a.due < b.due; });
  std::map<std::pair<std::string, uint64_t>, std::string> out;
  std::map<std::string, std::vector<int64_t>> fired_1h;  // user -> due times of kept messages
  for (const Timer &t : timers) {
    auto run = std::lower_bound(runs.begin(), runs.end(), t.due);
    if (run == runs.end()) continue;  // not due by the last run
    std::string status = "pending";
    // The reason names the first of the trigger's `unless` events that cancels.
    std::vector<std::string> unless = {"Order Completed"};
    if (t.trigger == "cart_24h") unless.push_back("Cart Emptied");
    for (const std::string &name : unless) {
      const bool cancelled = std::any_of(events.begin(), events.end(), [&](const TestEvent &e) {
        return e.name == name && e.user == t.user && e.at >= t.start && e.at <= *run;
      });
      if (cancelled && status == "pending") status = "suppressed/unless: " + name;
    }
    if (status == "pending" && t.trigger == "cart_1h") {
      std::vector<int64_t> &kept = fired_1h[t.user];
      const bool capped = std::any_of(kept.begin(), kept.end(),
                                      [&](int64_t due) { return due > t.due - 24 * kHour; });
      if (capped) status = "suppressed/cap";
      if (!capped) kept.push_back(t.due);
    }
    out[{t.trigger, t.seq}] = status;
  }
  return out;
}

TEST(EventTriggerE2E, CheckoutRemindersFollowTheEventsAndTheClock) {
  std::mt19937 rng(20261202);
  std::vector<TestEvent> events;
  const char *kNames[] = {"Checkout Started", "Checkout Started", "Order Completed", "Cart Emptied",
                          "Page Viewed"};
  for (int i = 0; i < 160; ++i) {
    events.push_back({kStart + static_cast<int64_t>(rng() % (48 * kHour)), kNames[rng() % 5],
                      "u" + std::to_string(rng() % 25)});
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const TestEvent &a, const TestEvent &b) { return a.at < b.at; });
  std::vector<int64_t> runs;
  for (int64_t at = kStart; at <= kStart + 80 * kHour; at += 3 * kHour + 1'234) runs.push_back(at);

  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  std::string file;
  size_t written = 0;
  for (int64_t as_of : runs) {
    // What a source has delivered by then: every event up to the run's time.
    for (; written < events.size() && events[written].at <= as_of; ++written) {
      file += event_line(events[written], written);
    }
    write_file(dir / "events.jsonl", file);
    write_file(p, pipeline_at(as_of));
    RunOutcome r = run_pipeline(p);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto expected = expected_statuses(events, runs);
  auto got = read_messages(p);
  ASSERT_EQ(got.size(), expected.size());
  size_t pending = 0, cancelled = 0, capped = 0;
  for (const auto &[key, status] : expected) {
    auto it = got.find(key);
    ASSERT_NE(it, got.end()) << key.first << ":" << key.second;
    const Message &m = it->second;
    const std::string actual = m.status == "pending" ? m.status : m.status + "/" + m.reason;
    EXPECT_EQ(actual, status) << key.first << " for the event at sequence " << key.second;
    pending += status == "pending";
    cancelled += status.starts_with("suppressed/unless");
    capped += status == "suppressed/cap";
  }
  // The generated data exercises every outcome.
  EXPECT_GT(pending, 10u);
  EXPECT_GT(cancelled, 10u);
  EXPECT_GT(capped, 0u);

  // Another run, a rebuild and a run after it make nothing new.
  CommandResult rebuild = run({halo_bin(), "rebuild", p, "-q"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  EXPECT_EQ(read_messages(p).size(), got.size());
  EXPECT_EQ(run({halo_bin(), "store", "check", p}).exit_code, 0);
}

TEST(EventTriggerE2E, AMessageFollowsItsProfileIntoAMerge) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  // An anonymous checkout; a later identify joins the visitor to u1, whose
  // profile absorbs the visitor's: the reminder goes to that person.
  write_file(
      dir / "events.jsonl",
      R"({"type":"track","event":"Order Completed","userId":"u1","messageId":"a","timestamp":"2026-01-04T10:00:00Z"}
{"type":"track","event":"Checkout Started","anonymousId":"v9","messageId":"b","timestamp":"2026-01-05T10:00:00Z"}
)");
  write_file(p, pipeline_at(kStart + 60));
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  write_file(
      dir / "events.jsonl",
      read_file(dir / "events.jsonl") +
          R"({"type":"identify","userId":"u1","anonymousId":"v9","messageId":"c","timestamp":"2026-01-05T10:20:00Z"}
)");
  write_file(p, pipeline_at(kStart + 2 * kHour));
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "merges"), 1);
  auto got = read_messages(p);
  ASSERT_EQ(got.size(), 1u);
  const Message &m = got.begin()->second;
  EXPECT_EQ(m.status, "pending");
  CommandResult u1 = run({halo_bin(), "profile", "get", p, "--id", "user_id=u1"});
  ASSERT_EQ(u1.exit_code, 0) << u1.err;
  EXPECT_NE(u1.out.find("\"profile_id\":\"" + m.profile + "\""), std::string::npos) << u1.out;
  // The order before the checkout did not cancel it; the message names u1.
  CommandResult list = run({halo_bin(), "messages", "list", p});
  EXPECT_NE(list.out.find(R"("variables":{"user":["u1"]})"), std::string::npos) << list.out;
}

TEST(EventTriggerE2E, ValidateRefusesBadEventTriggers) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  write_file(dir / "events.jsonl", "");
  const std::string send = "send: { channel: sms, destination: out, template: t }";
  struct Case {
    std::string trigger, error;
  };
  const std::vector<Case> cases = {
      {"  - { name: a, on: { event: '' }, " + send + " }\n", "triggers[0].on.event"},
      {"  - { name: a, on: { event: X, entered: s }, " + send + " }\n",
       "give one of entered: SEGMENT, exited: SEGMENT"},
      {"  - { name: a, on: { event: X }, unless: { events: Y }, " + send + " }\n",
       "triggers[0].unless"},
      {"  - { name: a, on: { event: X }, unless: { event: [] }, " + send + " }\n",
       "name at least one event"},
      {"  - { name: a, on: { entered: s, where: 'properties.a > 1' }, " + send + " }\n",
       "triggers[0].on.where: where: EXPRESSION filters the events of `on: { event: NAME }`"},
      {"  - { name: a, on: { event: X, where: 'features.orders > 1' }, " + send + " }\n",
       "triggers[0].on.where: column 1: unknown name 'features.orders' (a path starts with "
       "properties., context. or traits.)"},
      {"  - { name: a, on: { event: X, where: 'properties.a > 1 and did Y' }, " + send + " }\n",
       "triggers[0].on.where: column 22: 'did' reads the profile"},
  };
  for (const Case &c : cases) {
    write_file(p, pipeline_at(kStart, "triggers:\n" + c.trigger));
    CommandResult v = run({halo_bin(), "validate", p});
    EXPECT_EQ(v.exit_code, 2) << c.trigger;
    EXPECT_NE(v.err.find(c.error), std::string::npos) << c.trigger << "\n" << v.err;
    EXPECT_EQ(run_pipeline(p).exit_code, 2) << c.trigger;  // run refuses it too
  }
}

// `on: { event, where }`: only the events whose own fields the filter holds
// for start the trigger, whoever they happen to; the others schedule
// nothing, in the run that stores them and after a rebuild.
TEST(EventTriggerE2E, WhereFiltersTheStartingEventsByTheirFields) {
  TempDir dir;
  struct Order {
    std::string user, revenue, currency;
  };
  // revenue >= 1,000,000 IRR, or any USD order over 20; Persian digits are
  // not numbers in JSON, so the text order never matches a comparison.
  const std::vector<Order> orders = {{"u1", "1500000", "IRR"},    {"u1", "999999.99", "IRR"},
                                     {"u2", "1000000.00", "IRR"}, {"u2", "25", "USD"},
                                     {"u3", "19.5", "USD"},       {"u3", "\"۲۰۰۰۰۰۰\"", "IRR"},
                                     {"u4", "3000000", "EUR"}};
  std::string file;
  for (size_t i = 0; i < orders.size(); ++i) {
    file += R"({"type":"track","event":"Order Completed","userId":")" + orders[i].user +
            R"(","messageId":"o)" + std::to_string(i) + R"(","timestamp":")" +
            iso_utc(kStart + static_cast<int64_t>(i) * 60) + R"(","properties":{"revenue":)" +
            orders[i].revenue + R"(,"currency":")" + orders[i].currency + "\"}}\n";
  }
  write_file(dir / "events.jsonl", file);
  const std::string p = dir / "pipeline.yaml";
  write_file(p, pipeline_at(kStart + kHour, R"(triggers:
  - name: big_order
    on:
      event: Order Completed
      where: >-
        (properties.currency == 'IRR' and properties.revenue >= 1000000)
        or (properties.currency == 'USD' and properties.revenue > 20)
    send: { channel: email, destination: out, template: thanks }
)"));
  ASSERT_TRUE(validates_and_runs(p));
  auto sequences = [&] {
    std::vector<uint64_t> out;
    for (const auto &[key, m] : read_messages(p)) {
      EXPECT_EQ(m.status, "pending") << key.second;
      out.push_back(key.second);
    }
    return out;
  };
  EXPECT_EQ(sequences(), (std::vector<uint64_t>{1, 3, 4}));
  ASSERT_EQ(run({halo_bin(), "rebuild", p, "-q"}).exit_code, 0);
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  EXPECT_EQ(sequences(), (std::vector<uint64_t>{1, 3, 4}));
}

// `[]` names every element of an event's list in the three places that
// read events: a trigger's `where` (one element passing is enough), an
// `aggregates` field (each element a value) and the segment language's
// event history (the sum of every item of every order).
TEST(EventTriggerE2E, ListElementsFilterTriggersAndFeedFeaturesAndSegments) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> orders = {
      {"u1", R"([{"sku":"BOOK-1","price":200000},{"sku":"PEN","price":50000}])"},
      {"u2", R"([{"sku":"PEN","price":1200000}])"},
      {"u3", R"([{"sku":"PEN","price":100},{"sku":"CUP","price":300.5}])"},
      {"u3", "[]"},
      {"u4", R"({"sku":"BOOK-1","price":9000000})"},  // an object, not a list
  };
  std::string file;
  for (size_t i = 0; i < orders.size(); ++i) {
    file += R"({"type":"track","event":"Order Completed","userId":")" + orders[i].first +
            R"(","messageId":"o)" + std::to_string(i) + R"(","timestamp":")" +
            iso_utc(kStart + static_cast<int64_t>(i) * 60) + R"(","properties":{"products":)" +
            orders[i].second + "}}\n";
  }
  write_file(dir / "events.jsonl", file);
  const std::string p = dir / "pipeline.yaml";
  write_file(p, segment_pipeline_text(kStart + kHour,
                                      "{ skus: { distinct: { event: Order Completed, field: "
                                      "'properties.products[].sku' } }, items: { sum: { event: "
                                      "Order Completed, field: 'properties.products[].price' } } }",
                                      R"(segments:
  - { name: big_baskets, expression: "sum(Order Completed.products[].price within 30d) >= 250000" }
triggers:
  - name: books_or_big_items
    on:
      event: Order Completed
      where: properties.products[].sku == 'BOOK-1' or properties.products[].price >= 1000000
    send: { channel: email, destination: out, template: thanks }
)"));
  ASSERT_TRUE(validates_and_runs(p));
  std::vector<uint64_t> started;
  for (const auto &[key, m] : read_messages(p)) started.push_back(key.second);
  EXPECT_EQ(started, (std::vector<uint64_t>{1, 2}));
  const std::map<std::string, std::string> expected = {
      {"u1", R"("skus":2,"items":250000)"},
      {"u2", R"("skus":1,"items":1200000)"},
      {"u3", R"("skus":2,"items":400.5)"},
      {"u4", R"("skus":0,"items":0)"},
  };
  for (const auto &[user, features] : expected) {
    const std::string line = exported_profile(dir / "profiles.jsonl", user);
    EXPECT_NE(line.find(features), std::string::npos) << line;
    const bool member = user == "u1" || user == "u2";
    EXPECT_EQ(line.find(R"("segments":["big_baskets"])") != std::string::npos, member) << line;
  }
}

// `wait: { for, until: best_send_hour }` on an event: the timer is stored
// with the event and, once `for` has passed, moved to the start of the
// profile's best send hour as its features hold it then (in its own zone
// when it has one); a profile without one is messaged when `for` ends. A
// timer is moved once: a best hour that changes afterwards does not move
// it again.
TEST(EventTriggerE2E, BestSendHourIsReadWhenTheWaitEnds) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  const auto event = [](const std::string &name, int user, int64_t at, const std::string &extra) {
    return R"({"type":"track","event":")" + name + R"(","userId":"u)" + std::to_string(user) +
           R"(","messageId":")" + name.substr(0, 1) + std::to_string(user) + std::to_string(at) +
           R"(","timestamp":")" + iso_utc(at) + "\"" + extra + "}\n";
  };
  // u1: best hour 20 in Tehran (16:30Z); u2: 7, no zone (the trigger's,
  // UTC); u3: none. Checkouts at 10:00Z; `for` ends at 10:30Z.
  const std::string first =
      event("Checkout Started", 1, kStart,
            R"(,"properties":{"hour":20},"context":{"timezone":"Asia/Tehran"})") +
      event("Checkout Started", 2, kStart, R"(,"properties":{"hour":7})") +
      event("Checkout Started", 3, kStart, "");
  const auto fired = [&](int64_t as_of) {
    write_file(p, segment_pipeline_text(
                      as_of,
                      "{ best_send_hour: { max: { field: properties.hour } }, time_zone: { last: "
                      "{ field: context.timezone } } }",
                      R"(triggers:
  - name: best
    on: { event: Checkout Started }
    wait: { for: 30m, until: best_send_hour }
    send: { channel: sms, destination: out, template: t }
)"));
    RunOutcome r = run_pipeline(p);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::string> out;  // user's profile id -> fired_at
    CommandResult list = run({halo_bin(), "messages", "list", p});
    static const std::regex kFields(R"re("profile_id":"(\d+)".*"fired_at":"([^"]+)")re");
    for (std::sregex_iterator it(list.out.begin(), list.out.end(), kFields), end; it != end; ++it) {
      out[(*it)[1]] = (*it)[2];
    }
    return out;
  };
  write_file(dir / "events.jsonl", first);
  EXPECT_TRUE(fired(kStart + 60).empty());  // before `for` ends
  // At 11:00Z only u3's message is due; u1's and u2's timers move on.
  EXPECT_EQ(fired(kStart + kHour),
            (std::map<std::string, std::string>{{"3", "2026-01-05T10:30:00.000Z"}}));
  // u1's best hour becomes 23 at noon: its timer, moved already, stays.
  write_file(dir / "events.jsonl",
             first + event("Page Viewed", 1, kStart + 2 * kHour, R"(,"properties":{"hour":23})"));
  EXPECT_EQ(fired(kStart + 2 * 86'400), (std::map<std::string, std::string>{
                                            {"1", "2026-01-05T16:30:00.000Z"},  // 20:00 in Tehran
                                            {"2", "2026-01-06T07:00:00.000Z"},  // 07:00 UTC
                                            {"3", "2026-01-05T10:30:00.000Z"},
                                        }));
  EXPECT_EQ(run({halo_bin(), "store", "check", p}).exit_code, 0);
}

// A trigger sending to a destination that is not declared, or that does
// not deliver messages (file-jsonl), is no error -- its messages wait in
// the outbox -- but validate and run say so, once per destination.
TEST(EventTriggerE2E, ValidateWarnsOfMessagesNoDestinationTakes) {
  TempDir dir;
  write_file(dir / "events.jsonl", "");
  const std::string p = dir / "pipeline.yaml";
  write_file(p, pipeline_at(kStart, R"(triggers:
  - { name: a, on: { event: X }, send: { channel: sms, destination: gateway, template: t } }
  - { name: b, on: { event: Y }, send: { channel: sms, destination: gateway, template: t } }
  - { name: c, on: { event: Z }, send: { channel: email, destination: out, template: t } }
)"));
  CommandResult v = run({halo_bin(), "validate", p});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.err.find("trigger(s) a, b send to 'gateway', which no destination under "
                       "destinations: is named; their messages wait in the outbox"),
            std::string::npos)
      << v.err;
  EXPECT_NE(v.err.find("trigger(s) c send to 'out', a destination that does not deliver messages"),
            std::string::npos)
      << v.err;
  RunOutcome r = run_pipeline(p);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("send to 'gateway'"), std::string::npos) << r.err;
}

// consent.frequency_caps: a channel's cap counts the messages of every
// trigger on it for the profile, by when they fired; other channels and
// other profiles are not counted; a cap on a channel no trigger uses is a
// configuration error.
TEST(EventTriggerE2E, AChannelsFrequencyCapCountsEveryTriggersMessages) {
  const std::string caps = R"(consent:
  frequency_caps:
    email: { messages: 2, within: 1d }
)";
  const std::string triggers = R"(triggers:
  - name: welcome
    on: { event: Signed Up }
    wait: 1h
    send: { channel: email, destination: out, template: welcome }
  - name: cart
    on: { event: Checkout Started }
    wait: 1h
    send: { channel: email, destination: out, template: cart }
  - name: cart_sms
    on: { event: Checkout Started }
    wait: 1h
    send: { channel: sms, destination: out, template: cart_sms }
)";
  TempDir dir;
  const std::vector<TestEvent> events = {{kStart, "Checkout Started", "u2"},
                                         {kStart, "Signed Up", "u1"},
                                         {kStart + kHour, "Checkout Started", "u1"},
                                         {kStart + 2 * kHour, "Checkout Started", "u1"},
                                         {kStart + 30 * kHour, "Checkout Started", "u1"}};
  std::string file;
  for (size_t i = 0; i < events.size(); ++i) file += event_line(events[i], i);
  write_file(dir / "events.jsonl", file);
  const std::string p = dir / "pipeline.yaml";
  write_file(p, pipeline_at(kStart + 40 * kHour, caps + triggers));
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const auto messages = read_messages(p);
  ASSERT_EQ(messages.size(), 9u);
  auto status = [&](const char *trigger, uint64_t seq) {
    auto it = messages.find({trigger, seq});
    return it == messages.end() ? std::string("none") : it->second.status + "/" + it->second.reason;
  };
  EXPECT_EQ(status("cart", 1), "pending/");     // u2: a profile of its own
  EXPECT_EQ(status("welcome", 2), "pending/");  // u1's first email
  EXPECT_EQ(status("cart", 3), "pending/");     // its second in the day
  EXPECT_EQ(status("cart", 4), "suppressed/frequency cap: email");
  EXPECT_EQ(status("cart", 5), "pending/");  // fired 28 h after the second
  for (uint64_t seq : {1, 3, 4, 5}) EXPECT_EQ(status("cart_sms", seq), "pending/") << seq;

  write_file(p,
             pipeline_at(kStart + 40 * kHour,
                         "consent:\n  frequency_caps:\n    emial: { messages: 2 }\n" + triggers));
  CommandResult v = run({halo_bin(), "validate", p});
  EXPECT_EQ(v.exit_code, 2) << v.out << v.err;
  EXPECT_NE((v.out + v.err).find("consent.frequency_caps.emial: no trigger sends on channel"),
            std::string::npos)
      << v.out << v.err;
  write_file(p,
             pipeline_at(kStart + 40 * kHour,
                         "consent:\n  frequency_caps:\n    email: { messages: 0 }\n" + triggers));
  v = run({halo_bin(), "validate", p});
  EXPECT_EQ(v.exit_code, 2) << v.out << v.err;
  EXPECT_NE((v.out + v.err).find("consent.frequency_caps.email.messages"), std::string::npos)
      << v.out << v.err;
}

}  // namespace
}  // namespace halo::e2e::event_trigger_e2e_test
