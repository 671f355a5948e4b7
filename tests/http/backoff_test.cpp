// backoff_test.cpp -- the retry policy (jitter bounds, Retry-After parsing)
// and the URL redaction helpers, without a network.
#include <gtest/gtest.h>

#include "http/backoff.h"
#include "http/url_parts.h"

namespace halo {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, FullJitterGrowsExponentiallyUpToTheCap) {
  BackoffPolicy p;
  EXPECT_EQ(p.jittered(1, 0.999999), milliseconds(199));
  EXPECT_EQ(p.jittered(3, 0.5), milliseconds(400));  // 0.5 * 200 * 4
  EXPECT_EQ(p.jittered(1, 0.0), milliseconds(0));
  EXPECT_EQ(p.jittered(20, 1.0), milliseconds(30000));  // cap
  EXPECT_EQ(p.jittered(1000, 0.5), milliseconds(15000));
}

TEST(Backoff, RetryableStatuses) {
  for (int s : {429, 500, 502, 503, 504}) EXPECT_TRUE(is_retryable_status(s)) << s;
  for (int s : {200, 301, 400, 401, 403, 404, 501}) EXPECT_FALSE(is_retryable_status(s)) << s;
}

TEST(RetryAfter, SecondsAreHonouredAndCappedAt60) {
  EXPECT_EQ(parse_retry_after("3", 0), milliseconds(3000));
  EXPECT_EQ(parse_retry_after(" 0 ", 0), milliseconds(0));
  EXPECT_EQ(parse_retry_after("86400", 0), milliseconds(60000));
  EXPECT_FALSE(parse_retry_after("-5", 0).has_value());
  EXPECT_FALSE(parse_retry_after("soon", 0).has_value());
  EXPECT_FALSE(parse_retry_after("", 0).has_value());
}

TEST(RetryAfter, HttpDateIsRelativeToNow) {
  // Wed, 21 Oct 2015 07:28:00 GMT = 1445412480 s.
  const int64_t date_ms = 1445412480000;
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", date_ms - 5000), milliseconds(5000));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", date_ms + 5000), milliseconds(0));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", date_ms - 3600000),
            milliseconds(60000));
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 07:28:00 PST", 0).has_value());
}

TEST(UrlParts, QueryAndUserinfoNeverSurvive) {
  EXPECT_EQ(url_without_query("https://u:pw@h.example:8443/a/b?key=s3cret#frag"),
            "https://h.example:8443/a/b");
  EXPECT_EQ(url_path("https://h/a/b?key=1"), "/a/b");
  EXPECT_EQ(url_path("https://h?key=1"), "/");
  EXPECT_EQ(url_host("https://u@h.example:8443/a"), "h.example");
  EXPECT_EQ(url_host("http://[::1]:80/"), "[::1]");
  EXPECT_EQ(url_scheme("HTTPS://h/"), "https");
  EXPECT_EQ(url_scheme("h/x"), "");
}

TEST(UrlParts, OriginIsSchemeAndAuthorityWithoutUserinfo) {
  EXPECT_EQ(url_origin("HTTPS://u:pw@H.Example:8443/a?key=s3cret"), "https://h.example:8443");
  EXPECT_EQ(url_origin("http://h.example?x=1"), "http://h.example");
  EXPECT_EQ(url_origin("http://[::1]:80/"), "http://[::1]:80");
  EXPECT_NE(url_origin("http://h:80/"), url_origin("https://h:80/"));
}

}  // namespace
}  // namespace halo
