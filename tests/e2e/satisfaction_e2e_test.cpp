// satisfaction_e2e_test.cpp -- the satisfaction builder through `halo run`:
// NPS, ratings, complaints and sentiment of two customers worked out by
// hand, bad scores, ratings and tickets as dead letters, and a rebuild
// equal to the incremental run.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace halo::e2e::satisfaction_e2e_test {
namespace {

std::string event(const std::string &id, const std::string &user, const std::string &name,
                  const std::string &day, const std::string &properties) {
  return R"({"type":"track","messageId":")" + id + R"(","userId":")" + user + R"(","event":")" +
         name + R"(","timestamp":"2024-06-)" + day + R"(T10:00:00Z","properties":)" + properties +
         "}\n";
}

// u1: NPS 3 then 9; ratings 5 and 4.5; a complaint opened and closed, one
// still open (a numeric ticket id); a Persian comment "very good" and an English "not good".
// u2: a survey without NPS, one rating, one complaint from May (outside
// the 30-day window).
std::string voices() {
  return event("a", "u1", "Survey Answered", "01", R"({"nps":3})") +
         event("b", "u1", "Survey Answered", "20", R"({"nps":"9","comment":"great service"})") +
         event("c", "u1", "Product Reviewed", "02", R"({"rating":5})") +
         event("d", "u1", "Product Reviewed", "03", R"({"rating":"4.5","text":"not good"})") +
         event("e", "u1", "Support Ticket Opened", "04",
               R"({"ticket_id":"T1","type":"complaint"})") +
         event("f", "u1", "Support Ticket Closed", "06", R"({"ticket_id":"T1"})") +
         event("g", "u1", "Support Ticket Opened", "25", R"({"ticket_id":77,"type":"complaint"})") +
         event("h", "u1", "Comment Posted", "26", R"({"text":"خیلی خوب"})") +
         event("i", "u2", "Survey Answered", "05", R"({"comment":"ok"})") +
         event("j", "u2", "Product Reviewed", "05", R"({"rating":3})") +
         R"({"type":"track","messageId":"k","userId":"u2","event":"Support Ticket Opened","timestamp":"2024-05-01T10:00:00Z","properties":{"ticket_id":"T9","type":"complaint"}})"
         "\n";
}

const std::string kPipeline = builder_pipeline(
    "voice", "satisfaction", "{ recent: 30d, text_fields: [properties.text, properties.comment] }");

std::string profile_of(const TempDir &dir, const std::string &user) {
  return exported_profile(dir / "var/profiles.jsonl", user);
}

TEST(SatisfactionE2E, TheVoiceOfTwoCustomersWorkedOutByHand) {
  TempDir dir;
  write_file(dir / "p.yaml", kPipeline);
  write_file(dir / "events.jsonl", voices());
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Sentiment: "great service" 3.1 -> 0.624893; "not good" -1.425 ->
  // -0.345301; "خیلی خوب" 2.47 -> 0.537705; mean 0.272432. Both complaints
  // (June 4 and 25) are within 30 days of June 30.
  const std::string u1 = profile_of(dir, "u1");
  EXPECT_NE(u1.find(R"("nps":9,"nps_category":"promoter","rating_avg":4.75,"ratings":2,)"
                    R"("complaints_open":1,"complaints_recent":2,)"
                    R"("support_last_contact":"2024-06-25T10:00:00.000Z",)"
                    R"("sentiment":0.272,"sentiment_label":"positive","feedback_texts":3)"),
            std::string::npos)
      << u1;
  const std::string u2 = profile_of(dir, "u2");
  EXPECT_NE(u2.find(R"("nps":null,"nps_category":null,"rating_avg":3,"ratings":1,)"
                    R"("complaints_open":1,"complaints_recent":0,)"
                    R"("support_last_contact":"2024-05-01T10:00:00.000Z",)"
                    R"("sentiment":0,"sentiment_label":"neutral","feedback_texts":1)"),
            std::string::npos)
      << u2;

  // A later answer and a rebuild: the incremental result is the rebuilt one.
  write_file(dir / "events.jsonl",
             voices() + event("l", "u2", "Survey Answered", "28", R"({"nps":6})"));
  ASSERT_EQ(run_pipeline(dir / "p.yaml").exit_code, 0);
  EXPECT_NE(profile_of(dir, "u2").find(R"("nps":6,"nps_category":"detractor")"), std::string::npos);
  const std::string incremental = profiles_without_ids(dir / "var/profiles.jsonl");
  CommandResult rebuilt = run({halo_bin(), "rebuild", dir / "p.yaml", "-q"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_EQ(profiles_without_ids(dir / "var/profiles.jsonl"), incremental);
}

TEST(SatisfactionE2E, UnusableScoresRatingsAndTicketsAreDeadLetters) {
  TempDir dir;
  write_file(dir / "p.yaml", kPipeline);
  write_file(dir / "events.jsonl",
             event("a", "u1", "Survey Answered", "01", R"({"nps":11,"comment":"great"})") +
                 event("b", "u1", "Survey Answered", "02", R"({"nps":7.5})") +
                 event("c", "u1", "Product Reviewed", "03", R"({"rating":"five"})") +
                 event("d", "u1", "Product Reviewed", "04", R"({"rating":-1})") +
                 event("e", "u1", "Support Ticket Opened", "05", R"({"type":"complaint"})") +
                 event("f", "u1", "Support Ticket Closed", "06",
                       R"({"ticket_id":")" + std::string(300, 'x') + R"("})") +
                 event("g", "u1", "Comment Posted", "07", R"({"text":""})") +
                 event("h", "u1", "Product Reviewed", "08", R"({"rating":4})"));
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "feature_rejections"), 7) << r.summary;
  CommandResult letters = run({halo_bin(), "deadletters", dir / "p.yaml"});
  ASSERT_EQ(letters.exit_code, 0) << letters.err;
  for (const char *reason :
       {"number_out_of_range", "not_a_number", "missing_value", "value_too_long"}) {
    EXPECT_NE(letters.out.find(reason), std::string::npos) << reason << "\n" << letters.out;
  }
  // Only the good review counts; the refused survey's comment is not scored.
  EXPECT_NE(profile_of(dir, "u1").find(R"("nps":null,"nps_category":null,"rating_avg":4,)"
                                       R"("ratings":1,"complaints_open":0,)"),
            std::string::npos)
      << profile_of(dir, "u1");
  EXPECT_NE(profile_of(dir, "u1").find(R"("sentiment":null)"), std::string::npos);
}

}  // namespace
}  // namespace halo::e2e::satisfaction_e2e_test
