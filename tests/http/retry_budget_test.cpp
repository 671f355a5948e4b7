// retry_budget_test.cpp -- the one retry budget (http/retry_budget.h): its
// counting rules under a ManualClock, and HttpClient charging it against the
// demo contract server, so requests of one call never get more than
// max_attempts failed attempts in total.
#include "http/retry_budget.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "http_test_support.h"

namespace halo::http_test {
namespace {

using std::chrono::milliseconds;

// The budget reads the installed clock: each test runs on its own manual one.
struct ManualTime {
  ManualClock clock{1700000000000};
  ScopedClock installed{clock};
};

TEST(RetryBudget, AStreakGetsMaxAttemptsFailuresThenStops) {
  ManualTime time;
  RetryBudget b(RetryPolicy{3, std::chrono::seconds(120)});
  EXPECT_TRUE(b.allow_retry_after_failure(milliseconds(10)));   // 1st failure, retry 2
  EXPECT_TRUE(b.allow_retry_after_failure(milliseconds(10)));   // 2nd failure, retry 3
  EXPECT_FALSE(b.allow_retry_after_failure(milliseconds(10)));  // 3rd failure: spent
  EXPECT_FALSE(b.allow_retry_after_failure(milliseconds(0)));   // still spent
  EXPECT_EQ(b.failures(), 4);
  EXPECT_NE(b.describe().find("4 failed attempts"), std::string::npos) << b.describe();
  EXPECT_NE(b.describe().find("http.retry.max_attempts = 3"), std::string::npos);
}

TEST(RetryBudget, ASuccessEndsTheStreak) {
  ManualTime time;
  RetryBudget b(RetryPolicy{2, std::chrono::seconds(120)});
  EXPECT_TRUE(b.allow_retry_after_failure(milliseconds(0)));
  b.succeeded();  // a page arrived: a later 429 starts a new streak
  EXPECT_TRUE(b.allow_retry_after_failure(milliseconds(0)));
  EXPECT_FALSE(b.allow_retry_after_failure(milliseconds(0)));
  b.reset();
  EXPECT_EQ(b.failures(), 0);
}

TEST(RetryBudget, NoRetryWhoseWaitEndsPastTheDeadline) {
  ManualTime time;
  RetryBudget b(RetryPolicy{20, std::chrono::seconds(10)});
  EXPECT_TRUE(b.allow_retry_after_failure(milliseconds(4000)));
  time.clock.advance(milliseconds(4000));
  EXPECT_TRUE(b.allow_retry_after_failure(milliseconds(6000)));  // ends exactly at 10 s
  time.clock.advance(milliseconds(6000));
  EXPECT_FALSE(b.allow_retry_after_failure(milliseconds(1)));  // would end past 10 s
}

TEST(RetryBudget, HttpClientStopsWhenTheSharedBudgetIsSpent) {
  servers().plain.inject(R"({"kind":"503","count":20,"path":"^/echo/budget$"})");
  servers().plain.reset_stats();
  Recorder rec;
  RetryBudget budget(RetryPolicy{4, std::chrono::seconds(120)});
  HttpCall call = get(servers().plain.base_url() + "/echo/budget");
  call.max_attempts = 3;  // the request's own cap comes first ...
  HttpResult first = HttpClient(rec.hooks()).perform(call, &budget);
  EXPECT_EQ(first.status, 503);
  EXPECT_EQ(first.attempts, 3);
  // ... and a second request of the same call gets only what is left.
  HttpResult second = HttpClient(rec.hooks()).perform(call, &budget);
  servers().plain.control("DELETE", "/__control/faults");
  EXPECT_EQ(second.status, 503);
  EXPECT_EQ(second.attempts, 1);
  EXPECT_TRUE(second.budget_spent);
  EXPECT_NE(second.error.find("retry budget spent: "), std::string::npos) << second.error;
  EXPECT_EQ(servers().plain.requests_for("/echo/budget"), 4);
}

TEST(RetryBudget, AFinalAnswerResetsTheStreak) {
  servers().plain.inject(R"({"kind":"503","count":1,"path":"^/echo/budget-ok$"})");
  Recorder rec;
  RetryBudget budget(RetryPolicy{2, std::chrono::seconds(120)});
  HttpCall call = get(servers().plain.base_url() + "/echo/budget-ok");
  HttpResult r = HttpClient(rec.hooks()).perform(call, &budget);
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(budget.failures(), 0);
}

}  // namespace
}  // namespace halo::http_test
