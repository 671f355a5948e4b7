// http_client_test.cpp -- HttpClient against the real demo contract server
// over plain HTTP: requests, retries on each injected fault, give-up paths,
// and that no error or log ever shows a query string or header value.
#include <gtest/gtest.h>

#include "http_test_support.h"
#include "loopback_port.h"

namespace halo::http_test {
namespace {

using std::chrono::milliseconds;

std::string url(const std::string &path) {
  return servers().plain.base_url() + path;
}

TEST(HttpClient, GetSendsHeadersAndCollectsResponseHeadersCaseInsensitively) {
  Recorder rec;
  HttpCall call = get(url("/echo/get?x=1&y=two"));
  call.headers = {{"X-Custom", "value 1"}, {"Accept", "application/json"}};
  HttpResult r = HttpClient(rec.hooks()).perform(call);
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.attempts, 1);
  EXPECT_NE(r.body.find(R"("X-Custom": "value 1")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("y": ["two"])"), std::string::npos) << r.body;
  ASSERT_NE(r.header("X-ECHO-METHOD"), nullptr);
  EXPECT_EQ(*r.header("x-echo-method"), "GET");
  EXPECT_EQ(r.header("X-Not-There"), nullptr);
  EXPECT_TRUE(rec.waits.empty());
}

TEST(HttpClient, PostAndPutSendTheExactBody) {
  for (std::string method : {"POST", "PUT"}) {
    HttpCall call = get(url("/echo/post"));
    call.method = method;
    call.body = std::string("{\"a\":1,\"bin\":\"\\u0000\"}") + std::string(5000, 'z');
    call.headers = {{"Content-Type", "application/json"}};
    HttpResult r = HttpClient().perform(call);
    ASSERT_EQ(r.status, 200) << r.error;
    EXPECT_NE(r.body.find("\"method\": \"" + method + "\""), std::string::npos);
    EXPECT_NE(r.body.find(std::string(5000, 'z')), std::string::npos);
    EXPECT_NE(r.body.find("\"Content-Length\": \"" + std::to_string(call.body.size()) + "\""),
              std::string::npos);
  }
}

TEST(HttpClient, NonRetryableStatusIsReturnedAtOnce) {
  Recorder rec;
  HttpResult r = HttpClient(rec.hooks()).perform(get(url("/status/404")));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_TRUE(r.error.empty());
  EXPECT_TRUE(rec.retries.empty());
}

TEST(HttpClient, GzipBodiesAreDecoded) {
  HttpResult r = HttpClient().perform(get(url("/gzip")));
  ASSERT_EQ(r.status, 200) << r.error;
  ASSERT_NE(r.header("content-encoding"), nullptr);
  EXPECT_EQ(r.body.size(), 1100u);
  EXPECT_EQ(r.body.substr(0, 11), "hello gzip ");
}

TEST(HttpClient, RateLimitHonoursRetryAfterThenSucceeds) {
  servers().plain.inject(R"({"kind":"429","count":1,"retry_after":7,"path":"^/echo/rate$"})");
  Recorder rec;
  HttpResult r = HttpClient(rec.hooks()).perform(get(url("/echo/rate")));
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.attempts, 2);
  ASSERT_EQ(rec.waits.size(), 1u);
  EXPECT_EQ(rec.waits[0], milliseconds(7000));  // Retry-After, not the 100 ms jitter
  EXPECT_NE(
      rec.all_logs().find("INFO retrying GET /echo/rate after 429 (attempt 2/5, waiting 7.0 s)"),
      std::string::npos)
      << rec.all_logs();
}

TEST(HttpClient, ServerErrorsAreRetriedWithJitteredBackoff) {
  servers().plain.inject(R"({"kind":"500","count":2,"path":"^/echo/flaky$"})");
  Recorder rec;
  rec.random = 0.5;
  HttpResult r = HttpClient(rec.hooks()).perform(get(url("/echo/flaky")));
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.attempts, 3);
  ASSERT_EQ(rec.waits.size(), 2u);
  EXPECT_EQ(rec.waits[0], milliseconds(100));  // 0.5 * 200 ms
  EXPECT_EQ(rec.waits[1], milliseconds(200));  // 0.5 * 400 ms
}

TEST(HttpClient, PersistentUnavailableReturnsTheLast503AfterMaxAttempts) {
  servers().plain.inject(R"({"kind":"503","count":10,"path":"^/echo/down$"})");
  Recorder rec;
  HttpCall call = get(url("/echo/down"));
  call.max_attempts = 4;
  HttpResult r = HttpClient(rec.hooks()).perform(call);
  servers().plain.control("DELETE", "/__control/faults");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.attempts, 4);
  EXPECT_EQ(rec.waits.size(), 3u);
  EXPECT_NE(r.body.find("injected fault 503"), std::string::npos);
  EXPECT_EQ(r.error, "GET " + url("/echo/down") + " still returned HTTP 503 after 4 attempts");
}

TEST(HttpClient, DroppedConnectionIsRetried) {
  servers().plain.inject(R"({"kind":"drop","count":1,"path":"^/echo/drop$"})");
  Recorder rec;
  HttpResult r = HttpClient(rec.hooks()).perform(get(url("/echo/drop")));
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.attempts, 2);
  ASSERT_EQ(rec.retries.size(), 1u);
  EXPECT_NE(rec.retries[0].reason, "");
  EXPECT_EQ(rec.retries[0].path, "/echo/drop");
}

TEST(HttpClient, SlowResponseBeyondTimeoutTimesOutThenRetries) {
  servers().plain.inject(R"({"kind":"slow","count":1,"delay_ms":1500,"path":"^/echo/slow$"})");
  Recorder rec;
  HttpCall call = get(url("/echo/slow"));
  call.timeout_ms = 300;
  auto start = std::chrono::steady_clock::now();
  HttpResult r = HttpClient(rec.hooks()).perform(call);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.attempts, 2);
  ASSERT_EQ(rec.retries.size(), 1u);
  EXPECT_NE(rec.retries[0].reason.find("timed out"), std::string::npos) << rec.retries[0].reason;
  EXPECT_LT(took, std::chrono::milliseconds(1400));  // did not wait for the slow answer
}

TEST(HttpClient, ConnectionRefusedGivesStatusZeroAndANamedError) {
  Recorder rec;
  std::string base = "http://127.0.0.1:" + std::to_string(test::unused_loopback_port());
  HttpCall call = get(base + "/wp-json/wc/v3/orders?consumer_secret=cs_SECRET123&page=2");
  call.max_attempts = 3;
  HttpResult r = HttpClient(rec.hooks()).perform(call);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_FALSE(r.permanent);
  EXPECT_EQ(rec.waits.size(), 2u);
  EXPECT_EQ(r.error.rfind("GET " + base + "/wp-json/wc/v3/orders failed after 3 attempts: ", 0), 0u)
      << r.error;
  EXPECT_NE(r.error.find("refused"), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("SECRET123"), std::string::npos);
  EXPECT_EQ(r.error.find("page=2"), std::string::npos);
}

TEST(HttpClient, ErrorsAndLogsNeverContainQueryOrHeaderValues) {
  servers().plain.inject(R"({"kind":"503","count":3,"path":"^/echo/secret$"})");
  servers().plain.inject(R"({"kind":"drop","count":3,"path":"^/echo/secret-drop$"})");
  for (std::string path : {"/echo/secret", "/echo/secret-drop"}) {
    Recorder rec;
    HttpCall call = get(url(path + "?api_key=QUERYSECRET42"));
    call.headers = {{"Authorization", "Bearer HEADERSECRET42"}, {"X-Api-Key", "APIKEYSECRET42"}};
    call.max_attempts = 3;
    HttpResult r = HttpClient(rec.hooks()).perform(call);
    EXPECT_FALSE(r.error.empty()) << path;
    std::string shown = r.error + "\n" + rec.all_logs();
    for (const char *secret : {"QUERYSECRET42", "HEADERSECRET42", "APIKEYSECRET42", "api_key"}) {
      EXPECT_EQ(shown.find(secret), std::string::npos) << secret << " leaked: " << shown;
    }
    EXPECT_NE(shown.find(path), std::string::npos) << shown;
  }
}

TEST(HttpClient, CancellationStopsRetrying) {
  servers().plain.inject(R"({"kind":"503","count":5,"path":"^/echo/cancel$"})");
  Recorder rec;
  HttpHooks hooks = rec.hooks();
  bool stopping = false;
  hooks.cancelled = [&] { return stopping; };
  hooks.sleep = [&](milliseconds) { stopping = true; };  // the run stops while we wait
  HttpResult r = HttpClient(hooks).perform(get(url("/echo/cancel")));
  servers().plain.control("DELETE", "/__control/faults");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_NE(r.error.find("cancelled"), std::string::npos) << r.error;
}

TEST(HttpClient, InvalidCallsAreRejectedWithoutANetworkRequest) {
  for (auto [method, u] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "ftp://127.0.0.1/x"}, {"GET", "/relative"}, {"GE T", url("/echo")}}) {
    HttpCall call = get(u);
    call.method = method;
    HttpResult r = HttpClient().perform(call);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.attempts, 0);
    EXPECT_TRUE(r.permanent);
    EXPECT_FALSE(r.error.empty());
  }
  EXPECT_NE(validate_http_call(get("ftp://h/")).find("http:// or https://"), std::string::npos);
  HttpCall bad_header = get(url("/echo"));
  bad_header.headers = {{"X-A", "v\r\nInjected: 1"}};
  EXPECT_NE(validate_http_call(bad_header).find("line break"), std::string::npos);
}

TEST(HttpClient, ResponsesAboveTheSizeLimitFail) {
  HttpCall call = get(url("/big?bytes=" + std::to_string(kMaxHttpResponseBytes + 1)));
  call.max_attempts = 3;
  HttpResult r = HttpClient().perform(call);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.attempts, 1);  // retrying cannot shrink the response
  EXPECT_TRUE(r.permanent);
  EXPECT_NE(r.error.find("64 MiB"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace halo::http_test
