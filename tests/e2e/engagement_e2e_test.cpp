// engagement_e2e_test.cpp -- the engagement builder through `halo run` in
// Asia/Tehran: send hours smoothed toward the population (and apart for
// the weekend and working days), the preferred
// channel, visits per week, decayed interests, a rebuild equal to the
// incremental run, an unusable category as a dead letter and an unknown
// time zone refused by `halo validate`.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace halo::e2e::engagement_e2e_test {
namespace {

std::string track(const std::string &id, const std::string &user, const std::string &name,
                  const std::string &at, const std::string &properties = "{}") {
  return R"({"type":"track","messageId":")" + id + R"(","userId":")" + user + R"(","event":")" +
         name + R"(","timestamp":"2024-06-)" + at + R"(Z","properties":)" + properties + "}\n";
}

std::string page(const std::string &id, const std::string &user, const std::string &at) {
  return R"({"type":"page","messageId":")" + id + R"(","userId":")" + user +
         R"(","name":"Home","timestamp":"2024-06-)" + at + "Z\"}\n";
}

// Tehran is UTC+03:30 in 2024. u1 opens and clicks email at 09:xx local,
// buys shoes at 19:30; email reached them 3 times, SMS twice (never
// clicked); visits on June 20 (twice) and 26 (00:30 local); views bags on
// June 29. u2 taps a push at 21:30. u3 only identifies.
std::string events() {
  return track("a", "u1", "Email Opened", "10T06:00:00") +
         track("b", "u1", "Email Link Clicked", "11T06:10:00") +
         track("c", "u1", "Order Completed", "12T16:00:00",
               R"({"products":[{"product_id":"p1","category":"shoes"}]})") +
         track("d1", "u1", "Email Delivered", "10T05:00:00") +
         track("d2", "u1", "Email Delivered", "11T05:00:00") +
         track("d3", "u1", "Email Delivered", "12T05:00:00") +
         track("s1", "u1", "SMS Delivered", "13T05:00:00") +
         track("s2", "u1", "SMS Delivered", "14T05:00:00") + page("p1", "u1", "20T10:00:00") +
         page("p2", "u1", "20T12:00:00") + page("p3", "u1", "25T21:00:00") +
         track("v", "u1", "Product Viewed", "29T08:00:00", R"({"category":"bags"})") +
         track("r", "u2", "Push Notification Received", "15T17:00:00") +
         track("t", "u2", "Push Notification Tapped", "15T18:00:00") +
         R"({"type":"identify","messageId":"i","userId":"u3","timestamp":"2024-06-01T00:00:00Z","traits":{"name":"Sara"}})"
         "\n";
}

std::string pipeline(const std::string &config) {
  return builder_pipeline("engagement", "engagement", config);
}

std::string profile_of(const TempDir &dir, const std::string &user) {
  return exported_profile(dir / "var/profiles.jsonl", user);
}

TEST(EngagementE2E, SendHoursChannelsVisitsAndInterestsWorkedOutByHand) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("{}"));
  write_file(dir / "events.jsonl", events());
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Population hours 9 x2, 19, 21. u1: 2 + 5 x 2/4 = 4.5 at 9. Email
  // (2 + 1) / (3 + 2) = 0.6 beats SMS (0 + 1) / (2 + 2). Two visit days in
  // 28: 0.5 a week. Shoes 3 x 0.5^(18/30) = 1.98 beat bags 0.98.
  EXPECT_NE(profile_of(dir, "u1").find(
                R"("best_send_hour":9,"send_hour_events":3,"preferred_channel":"email",)"
                R"("last_visit":"2024-06-25T21:00:00.000Z","visits_per_week":0.5,)"
                R"("interests":"shoes,bags","top_interest":"shoes")"),
            std::string::npos)
      << profile_of(dir, "u1");
  // Visit days June 20 (a Thursday, the weekend) and 26 (a Wednesday): one
  // each, so the earlier in the week from Saturday; 26 June 2024 is 6 Tir
  // 1403.
  EXPECT_NE(profile_of(dir, "u1").find(R"("best_visit_day":"wednesday","weekend_visit_share":0.5,)"
                                       R"("last_visit_date":"1403-04-06")"),
            std::string::npos)
      << profile_of(dir, "u1");
  // u2's one tap at 21 (1 + 5 x 1/4 = 2.25) loses to the population's 9
  // (5 x 2/4 = 2.5): one engagement is not yet a habit.
  EXPECT_NE(profile_of(dir, "u2").find(
                R"("best_send_hour":9,"send_hour_events":1,"preferred_channel":"push",)"
                R"("last_visit":null,"visits_per_week":0,"interests":null)"),
            std::string::npos)
      << profile_of(dir, "u2");
  EXPECT_NE(profile_of(dir, "u3").find(
                R"("best_send_hour":9,"send_hour_events":0,"preferred_channel":"none",)"),
            std::string::npos)
      << profile_of(dir, "u3");
  CommandResult model =
      run({halo_bin(), "model", "show", dir / "p.yaml", "engagement", "--format", "json"});
  EXPECT_NE(model.out.find(R"("engaged_profiles":2,"population_best_hour":9,)"), std::string::npos)
      << model.out;

  // With a lighter prior u2's own hour wins; the rebuild agrees.
  write_file(dir / "p.yaml", pipeline("{ prior_weight: 1 }"));
  CommandResult rebuilt = run({halo_bin(), "rebuild", dir / "p.yaml", "-q"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_NE(profile_of(dir, "u2").find(R"("best_send_hour":21,)"), std::string::npos)
      << profile_of(dir, "u2");
  const std::string once = profiles_without_ids(dir / "var/profiles.jsonl");
  TempDir fresh;
  write_file(fresh / "p.yaml", pipeline("{ prior_weight: 1 }"));
  const std::string all = events();
  const size_t half = all.find("\n", all.size() / 2) + 1;
  write_file(fresh / "events.jsonl", all.substr(0, half));
  ASSERT_EQ(run_pipeline(fresh / "p.yaml").exit_code, 0);
  write_file(fresh / "events.jsonl", all);
  ASSERT_EQ(run_pipeline(fresh / "p.yaml").exit_code, 0);
  EXPECT_EQ(profiles_without_ids(fresh / "var/profiles.jsonl"), once);
}

// Thursday and Friday are the weekend (the default, Iran's): u4 opens at
// 22:00 local on both and at 08:00 on Monday and Tuesday; u5 at 14:00 on
// Wednesday, twice. Weekend population: 22 x2; working days: 8 x2, 14 x2.
// u4's weekend hour is 22 and working-day hour 8 (every day's: 22 and 8
// tie at 2 + 5 x 2/6, the earlier wins); u5 has no weekend engagement, so
// the weekend population's 22 stands, and 14 on working days
// (2 + 5 x 2/4 beats 5 x 2/4).
TEST(EngagementE2E, WeekendAndWorkingDaySendHoursApart) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("{}"));
  write_file(dir / "events.jsonl", track("w1", "u4", "Email Opened", "20T18:30:00") +
                                       track("w2", "u4", "Email Opened", "21T18:30:00") +
                                       track("m1", "u4", "Email Opened", "17T04:30:00") +
                                       track("m2", "u4", "Email Opened", "18T04:30:00") +
                                       track("x1", "u5", "Email Opened", "19T10:30:00") +
                                       track("x2", "u5", "Email Opened", "19T10:40:00"));
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(profile_of(dir, "u4").find(R"("best_send_hour":8,)"), std::string::npos)
      << profile_of(dir, "u4");
  EXPECT_NE(
      profile_of(dir, "u4").find(R"("best_send_hour_weekend":22,"best_send_hour_workday":8})"),
      std::string::npos)
      << profile_of(dir, "u4");
  EXPECT_NE(
      profile_of(dir, "u5").find(R"("best_send_hour_weekend":22,"best_send_hour_workday":14})"),
      std::string::npos)
      << profile_of(dir, "u5");
  // A weekend of Saturday alone holds no engagement: the weekend hour is
  // every day's population hour (22, 8 and 14 tie: 8), and u4's Thursday
  // and Friday opens count as working days (8 and 22 tie: 8).
  write_file(dir / "p.yaml", pipeline("{ weekend: [Saturday] }"));
  CommandResult rebuilt = run({halo_bin(), "rebuild", dir / "p.yaml", "-q"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_NE(profile_of(dir, "u4").find(R"("best_send_hour_weekend":8,"best_send_hour_workday":8})"),
            std::string::npos)
      << profile_of(dir, "u4");
  EXPECT_NE(
      profile_of(dir, "u5").find(R"("best_send_hour_weekend":8,"best_send_hour_workday":14})"),
      std::string::npos)
      << profile_of(dir, "u5");
}

TEST(EngagementE2E, BadCategoriesAndTimeZones) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("{}"));
  write_file(dir / "events.jsonl",
             track("v", "u1", "Product Viewed", "29T08:00:00",
                   R"({"category":")" + std::string(101, 'x') + R"("})") +
                 track("w", "u1", "Product Viewed", "29T09:00:00", R"({"category":"bags"})"));
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "feature_rejections"), 1) << r.summary;
  EXPECT_NE(profile_of(dir, "u1").find(R"("interests":"bags")"), std::string::npos);
  for (const auto &[config, message] : std::vector<std::pair<std::string, std::string>>{
           {"{ time_zone: Asia/Tehrn }", "unknown time zone 'Asia/Tehrn'"},
           {"{ visit_window: 36h }", "visit_window"},
           {"{ interests_top: 0 }", "interests_top"},
           {"{ weekend: [Friday, Fryday] }", "weekend[1]: 'Fryday' is not a weekday"},
           {"{ week_start: Shanbeh }", "'Shanbeh' is not a weekday"},
           {"{ calendar: julian }", "calendar"}}) {
    write_file(dir / "bad.yaml", pipeline(config));
    CommandResult v = run({halo_bin(), "validate", dir / "bad.yaml"});
    EXPECT_NE(v.exit_code, 0) << config;
    EXPECT_NE(v.err.find(message), std::string::npos) << config << "\n" << v.err;
  }
}

// Another week and calendar: the weekend only Friday, weeks from Monday,
// Gregorian dates.
TEST(EngagementE2E, WeekAndCalendarAreOptions) {
  TempDir dir;
  write_file(dir / "p.yaml",
             pipeline("{ weekend: [friday], week_start: MONDAY, calendar: gregorian }"));
  write_file(dir / "events.jsonl", events());
  ASSERT_EQ(run_pipeline(dir / "p.yaml").exit_code, 0);
  EXPECT_NE(profile_of(dir, "u1").find(R"("best_visit_day":"wednesday","weekend_visit_share":0,)"
                                       R"("last_visit_date":"2024-06-26")"),
            std::string::npos)
      << profile_of(dir, "u1");
  EXPECT_NE(profile_of(dir, "u2").find(R"("best_visit_day":null,"weekend_visit_share":null,)"
                                       R"("last_visit_date":null)"),
            std::string::npos)
      << profile_of(dir, "u2");
}

// An event's own time zone (Segment's context.timezone) places its hour and
// day; the profile's latest named zone is its time_zone feature.
std::string in_zone(const std::string &id, const std::string &user, const std::string &name,
                    const std::string &at, const std::string &zone) {
  return R"({"type":"track","messageId":")" + id + R"(","userId":")" + user + R"(","event":")" +
         name + R"(","timestamp":"2024-06-)" + at + R"(Z","context":{"timezone":")" + zone +
         R"("},"properties":{}})"
         "\n";
}

TEST(EngagementE2E, EventsInTheirOwnTimeZone) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("{ prior_weight: 0 }"));
  // 06:00 UTC is 08:00 in Berlin (CEST), 09:30 in Tehran. u6's zone is no
  // zone; u7 moved from Tokyo to London.
  write_file(dir / "events.jsonl",
             in_zone("a", "u5", "Email Opened", "10T06:00:00", "Europe/Berlin") +
                 in_zone("b", "u5", "Email Opened", "11T06:10:00", "Europe/Berlin") +
                 track("c", "u5", "Email Opened", "12T06:20:00") +
                 in_zone("d", "u6", "Email Opened", "10T06:00:00", "Mars/Olympus") +
                 in_zone("e", "u7", "Email Opened", "10T06:00:00", "Asia/Tokyo") +
                 in_zone("f", "u7", "Email Opened", "12T06:00:00", "Europe/London"));
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "feature_rejections"), 1) << r.summary;
  EXPECT_NE(profile_of(dir, "u5").find(R"("best_send_hour":8,"send_hour_events":3,)"),
            std::string::npos)
      << profile_of(dir, "u5");
  EXPECT_NE(profile_of(dir, "u5").find(R"("time_zone":"Europe/Berlin")"), std::string::npos)
      << profile_of(dir, "u5");
  EXPECT_NE(profile_of(dir, "u6").find(R"("send_hour_events":0,)"), std::string::npos)
      << profile_of(dir, "u6");
  EXPECT_NE(profile_of(dir, "u6").find(R"("time_zone":"Asia/Tehran")"), std::string::npos)
      << profile_of(dir, "u6");
  // Tokyo 15:00 and London 07:00: a tie, the earlier hour.
  EXPECT_NE(profile_of(dir, "u7").find(R"("best_send_hour":7,)"), std::string::npos)
      << profile_of(dir, "u7");
  EXPECT_NE(profile_of(dir, "u7").find(R"("time_zone":"Europe/London")"), std::string::npos)
      << profile_of(dir, "u7");
  CommandResult letters = run({halo_bin(), "deadletters", dir / "p.yaml"});
  EXPECT_NE(letters.out.find("unknown_time_zone"), std::string::npos) << letters.out;
}

}  // namespace
}  // namespace halo::e2e::engagement_e2e_test
