// host_http_test.cpp -- the host table's http_* functions end to end: a C
// request through halo::host_api() with a real halo_context, against the
// demo contract server.
#include <gtest/gtest.h>
#include <halo/sdk.hpp>

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/secrets.h"
#include "http_test_support.h"
#include "plugin_host/host_api.h"

namespace halo::http_test {
namespace {

class HostHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_.label = "source 'http-test' (test)";
    ctx_.cancel = &cancel_;
  }
  halo_http_request request(const char *url) {
    halo_http_request r{};
    r.struct_size = sizeof r;
    r.method = "GET";
    r.url = url;
    return r;
  }
  double metric(const std::string &name) {
    std::lock_guard<std::mutex> lock(ctx_.metrics.mutex);
    auto it = ctx_.metrics.values.find(name);
    return it == ctx_.metrics.values.end() ? 0 : it->second;
  }
  std::string_view body(const halo_http_response *r) {
    const char *d = nullptr;
    size_t n = 0;
    api_->http_body(r, &d, &n);
    return {d, n};
  }
  const halo_host_api *api_ = halo::host_api();
  std::atomic<bool> cancel_{false};
  halo_context ctx_;
};

TEST_F(HostHttp, TableAdvertisesTheHttpFunctions) {
  EXPECT_TRUE(HALO_HOST_HAS(api_, http_request));
  EXPECT_TRUE(HALO_HOST_HAS(api_, http_free));
  EXPECT_TRUE(HALO_HOST_HAS(api_, http_request_many));  // since 1.2
  EXPECT_GE(api_->abi_minor, 1);                        // since 1.1; later minors keep them
}

TEST_F(HostHttp, PostWithHeadersAndBodyReturnsTheResponse) {
  std::string url = servers().plain.base_url() + "/echo/host?q=1";
  halo_http_header headers[] = {{"X-Plugin", "yes"}, {"Content-Type", "application/json"}};
  halo_http_request r = request(url.c_str());
  r.method = "POST";
  r.headers = headers;
  r.header_count = 2;
  r.body = "{\"k\":\"v\"}";
  r.body_len = 9;
  halo_http_response *out = nullptr;
  ASSERT_EQ(api_->http_request(&ctx_, &r, &out), HALO_OK) << ctx_.error;
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(api_->http_status(out), 200);
  EXPECT_EQ(api_->http_attempts(out), 1);
  EXPECT_NE(body(out).find(R"("body": "{\"k\":\"v\"}")"), std::string_view::npos) << body(out);
  EXPECT_NE(body(out).find(R"("X-Plugin": "yes")"), std::string_view::npos);
  const char *v = nullptr;
  size_t n = 0;
  ASSERT_EQ(api_->http_header(out, "x-ECHO-method", &v, &n), 1);
  EXPECT_EQ(std::string_view(v, n), "POST");
  EXPECT_EQ(api_->http_header(out, "X-Absent", &v, &n), 0);
  api_->http_free(out);
  EXPECT_EQ(metric("http.requests"), 1);
  EXPECT_EQ(metric("http.retries"), 0);
}

TEST_F(HostHttp, RetriesAreCountedAndTheFinalStatusIsOk) {
  servers().plain.inject(R"({"kind":"429","count":2,"retry_after":0,"path":"^/echo/host-429$"})");
  std::string url = servers().plain.base_url() + "/echo/host-429";
  halo_http_request r = request(url.c_str());
  halo_http_response *out = nullptr;
  ASSERT_EQ(api_->http_request(&ctx_, &r, &out), HALO_OK) << ctx_.error;
  EXPECT_EQ(api_->http_status(out), 200);
  EXPECT_EQ(api_->http_attempts(out), 3);
  api_->http_free(out);
  EXPECT_EQ(metric("http.requests"), 1);
  EXPECT_EQ(metric("http.retries"), 2);
}

TEST_F(HostHttp, FinalErrorStatusIsStillOk) {
  std::string url = servers().plain.base_url() + "/status/401";
  halo_http_request r = request(url.c_str());
  halo_http_response *out = nullptr;
  ASSERT_EQ(api_->http_request(&ctx_, &r, &out), HALO_OK);
  EXPECT_EQ(api_->http_status(out), 401);
  EXPECT_EQ(api_->http_attempts(out), 1);
  api_->http_free(out);
}

TEST_F(HostHttp, TransportFailureIsRetryWithTheErrorAsBody) {
  halo_http_request r = request("http://127.0.0.1:1/orders?secret=S3CR3T");
  r.max_attempts = 2;
  halo_http_header auth[] = {{"Authorization", "Basic QUTHSECRET"}};
  r.headers = auth;
  r.header_count = 1;
  halo_http_response *out = nullptr;
  ASSERT_EQ(api_->http_request(&ctx_, &r, &out), HALO_RETRY);
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(api_->http_status(out), 0);
  EXPECT_EQ(api_->http_attempts(out), 2);
  std::string text(body(out));
  EXPECT_EQ(text.rfind("GET http://127.0.0.1:1/orders failed after 2 attempts: ", 0), 0u) << text;
  EXPECT_EQ(text.find("S3CR3T"), std::string::npos);
  EXPECT_EQ(text.find("QUTHSECRET"), std::string::npos);
  api_->http_free(out);
  EXPECT_EQ(metric("http.transport_failures"), 1);
}

TEST_F(HostHttp, UntrustedCertificateIsFatal) {
  std::string url = servers().tls.base_url() + "/echo/host-tls";
  halo_http_request r = request(url.c_str());
  halo_http_response *out = nullptr;
  EXPECT_EQ(api_->http_request(&ctx_, &r, &out), HALO_FATAL);
  ASSERT_NE(out, nullptr);
  EXPECT_NE(body(out).find("certificate"), std::string_view::npos) << body(out);
  api_->http_free(out);

  std::string ca = servers().tls_dir + "/ca.pem";
  r.ca_file = ca.c_str();
  ASSERT_EQ(api_->http_request(&ctx_, &r, &out), HALO_OK) << ctx_.error;
  EXPECT_EQ(api_->http_status(out), 200);
  api_->http_free(out);
}

TEST_F(HostHttp, MalformedRequestsAreErrorsWithAMessage) {
  halo_http_response *out = reinterpret_cast<halo_http_response *>(0x1);
  halo_http_request ftp = request("ftp://127.0.0.1/file");
  EXPECT_EQ(api_->http_request(&ctx_, &ftp, &out), HALO_ERROR);
  EXPECT_EQ(out, nullptr);
  EXPECT_NE(ctx_.error.find("http:// or https://"), std::string::npos) << ctx_.error;

  halo_http_request old = request("http://127.0.0.1/");
  old.struct_size = 8;
  EXPECT_EQ(api_->http_request(&ctx_, &old, &out), HALO_ERROR);
  EXPECT_NE(ctx_.error.find("struct_size"), std::string::npos) << ctx_.error;

  halo_http_request no_method = request("http://127.0.0.1/");
  no_method.method = nullptr;
  EXPECT_EQ(api_->http_request(&ctx_, &no_method, &out), HALO_ERROR);
  EXPECT_NE(ctx_.error.find("method"), std::string::npos);

  halo_http_request bad_headers = request("http://127.0.0.1/");
  bad_headers.header_count = 2;
  EXPECT_EQ(api_->http_request(&ctx_, &bad_headers, &out), HALO_ERROR);
  EXPECT_NE(ctx_.error.find("headers"), std::string::npos);

  EXPECT_EQ(api_->http_request(&ctx_, nullptr, &out), HALO_ERROR);
  EXPECT_EQ(out, nullptr);
  EXPECT_EQ(metric("http.requests"), 0);  // nothing was sent
}

TEST_F(HostHttp, NullResponseAccessorsAreHarmless) {
  EXPECT_EQ(api_->http_status(nullptr), 0);
  EXPECT_EQ(api_->http_attempts(nullptr), 0);
  EXPECT_EQ(body(nullptr), "");
  api_->http_free(nullptr);
}

// Issue 8: a server that echoes the request's headers (the demo server's
// /echo does, as some real 401 pages do). The credentials the host sent are
// registered, so the plugin's error quoting the body shows "***".
TEST_F(HostHttp, EchoedCredentialsAreMaskedInThePluginsError) {
  std::string url = servers().plain.base_url() + "/echo/creds?consumer_key=ck_query_key_123";
  // base64("ck_basic_key_42:cs_basic_secret/42")
  const std::string basic = "Basic Y2tfYmFzaWNfa2V5XzQyOmNzX2Jhc2ljX3NlY3JldC80Mg==";
  halo_http_header headers[] = {{"Authorization", basic.c_str()}};
  halo_http_request r = request(url.c_str());
  r.headers = headers;
  r.header_count = 1;
  halo_http_response *out = nullptr;
  ASSERT_EQ(api_->http_request(&ctx_, &r, &out), HALO_OK) << ctx_.error;
  const std::string echoed(body(out));
  ASSERT_NE(echoed.find(basic), std::string::npos) << echoed;  // the server did echo it
  api_->set_error(&ctx_, ("HTTP 401: " + echoed).c_str());
  api_->http_free(out);
  for (const char *leak : {"Y2tfYmFzaWNfa2V5XzQy", "ck_basic_key_42", "cs_basic_secret/42",
                           "cs_basic_secret\\/42", "ck_query_key_123"}) {
    EXPECT_EQ(ctx_.error.find(leak), std::string::npos) << leak << " in " << ctx_.error;
  }
  EXPECT_NE(ctx_.error.find("***"), std::string::npos) << ctx_.error;
  EXPECT_EQ(mask_secrets("ck_basic_key_42 cs_basic_secret/42"), "*** ***");
}

TEST_F(HostHttp, RequestsShareTheContextsRetryBudget) {
  servers().plain.inject(R"({"kind":"503","count":20,"path":"^/echo/host-budget$"})");
  ctx_.retry.set_policy(RetryPolicy{2, std::chrono::seconds(60)});
  std::string url = servers().plain.base_url() + "/echo/host-budget";
  halo_http_request r = request(url.c_str());  // max_attempts 0: the policy's 2
  halo_http_response *out = nullptr;
  ASSERT_EQ(api_->http_request(&ctx_, &r, &out), HALO_OK) << ctx_.error;
  EXPECT_EQ(api_->http_status(out), 503);
  EXPECT_EQ(api_->http_attempts(out), 2);
  api_->http_free(out);
  r.max_attempts = 10;  // the spent budget wins over the request's own cap
  ASSERT_EQ(api_->http_request(&ctx_, &r, &out), HALO_OK) << ctx_.error;
  EXPECT_EQ(api_->http_attempts(out), 1);
  api_->http_free(out);
  servers().plain.control("DELETE", "/__control/faults");
}

// http_request_many: six requests answered 300 ms late each, at most three
// at once; each response is handed back at its request's index.
TEST_F(HostHttp, ManyRequestsRunAtMostConcurrencyAtOnceAndKeepTheirOrder) {
  servers().plain.reset_stats();
  servers().plain.inject(R"({"kind":"slow","count":6,"delay_ms":300,"path":"^/echo/many-"})");
  ctx_.http_concurrency = 3;
  std::vector<std::string> urls;
  for (int i = 0; i < 6; ++i)
    urls.push_back(servers().plain.base_url() + "/echo/many-" + std::to_string(i));
  std::vector<halo_http_request> requests;
  for (const std::string &u : urls) requests.push_back(request(u.c_str()));
  std::vector<const halo_http_request *> pointers;
  for (const halo_http_request &r : requests) pointers.push_back(&r);
  std::vector<halo_http_response *> out(6, nullptr);
  std::vector<int32_t> results(6, -1);
  api_->http_request_many(&ctx_, pointers.data(), 6, out.data(), results.data());
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(results[i], HALO_OK) << i;
    ASSERT_NE(out[i], nullptr);
    EXPECT_EQ(api_->http_status(out[i]), 200);
    EXPECT_NE(body(out[i]).find("\"/echo/many-" + std::to_string(i) + "\""), std::string_view::npos)
        << body(out[i]);
    api_->http_free(out[i]);
  }
  EXPECT_EQ(servers().plain.stat("faults_applied"), 6);
  EXPECT_EQ(servers().plain.stat("max_in_flight"), 3);
  EXPECT_EQ(metric("http.requests"), 6);
}

TEST_F(HostHttp, ManyRequestsWithOneMalformedSendNone) {
  servers().plain.reset_stats();
  const std::string good = servers().plain.base_url() + "/echo/never";
  halo_http_request ok = request(good.c_str());
  halo_http_request ftp = request("ftp://127.0.0.1/file");
  const halo_http_request *requests[] = {&ok, &ftp, &ok};
  halo_http_response *out[3] = {reinterpret_cast<halo_http_response *>(0x1), nullptr, nullptr};
  int32_t results[3] = {HALO_OK, HALO_OK, HALO_OK};
  api_->http_request_many(&ctx_, requests, 3, out, results);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(results[i], HALO_ERROR);
    EXPECT_EQ(out[i], nullptr);
  }
  EXPECT_NE(ctx_.error.find("request 1: "), std::string::npos) << ctx_.error;
  EXPECT_NE(ctx_.error.find("http:// or https://"), std::string::npos) << ctx_.error;
  EXPECT_EQ(servers().plain.stat("requests"), 0);
  EXPECT_EQ(metric("http.requests"), 0);

  const halo_http_request *with_null[] = {&ok, nullptr};
  api_->http_request_many(&ctx_, with_null, 2, out, results);
  EXPECT_EQ(results[0], HALO_ERROR);
  EXPECT_NE(ctx_.error.find("request 1: "), std::string::npos) << ctx_.error;
  api_->http_request_many(&ctx_, nullptr, 0, out, results);  // nothing to do
  api_->http_request_many(&ctx_, requests, 1, nullptr, results);
  EXPECT_EQ(servers().plain.stat("requests"), 0);
}

// The requests of one call share the call's retry budget: against a
// server answering 503 to everything, two allowed attempts in all (not
// two per request) bound what three requests cost.
TEST_F(HostHttp, ManyRequestsShareTheCallsRetryBudget) {
  servers().plain.reset_stats();
  servers().plain.inject(R"({"kind":"503","count":50,"retry_after":0,"path":"^/echo/shared-"})");
  ctx_.retry.set_policy(RetryPolicy{2, std::chrono::seconds(60)});
  std::vector<std::string> urls;
  for (int i = 0; i < 3; ++i)
    urls.push_back(servers().plain.base_url() + "/echo/shared-" + std::to_string(i));
  std::vector<halo_http_request> requests;
  for (const std::string &u : urls) requests.push_back(request(u.c_str()));
  const halo_http_request *pointers[] = {&requests[0], &requests[1], &requests[2]};
  halo_http_response *out[3] = {};
  int32_t results[3] = {};
  api_->http_request_many(&ctx_, pointers, 3, out, results);
  int attempts = 0;
  for (halo_http_response *r : out) {
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(api_->http_status(r), 503);
    attempts += api_->http_attempts(r);
    api_->http_free(r);
  }
  EXPECT_EQ(attempts, servers().plain.stat("requests"));
  EXPECT_GE(attempts, 3);
  EXPECT_LE(attempts, 4);  // one retry in all; own budgets would allow 6
  servers().plain.control("DELETE", "/__control/faults");
}

TEST_F(HostHttp, ManyRequestsFailOneByOne) {
  const std::string good = servers().plain.base_url() + "/echo/one-of-two";
  halo_http_request ok = request(good.c_str());
  halo_http_request refused = request("http://127.0.0.1:1/nothing-listens");
  refused.max_attempts = 1;
  const std::string tls = servers().tls.base_url() + "/echo/untrusted";
  halo_http_request untrusted = request(tls.c_str());
  const halo_http_request *requests[] = {&refused, &ok, &untrusted};
  halo_http_response *out[3] = {};
  int32_t results[3] = {};
  api_->http_request_many(&ctx_, requests, 3, out, results);
  EXPECT_EQ(results[0], HALO_RETRY);
  EXPECT_EQ(results[1], HALO_OK);
  EXPECT_EQ(results[2], HALO_FATAL);  // as http_request: a certificate no retry fixes
  ASSERT_TRUE(out[0] && out[1] && out[2]);
  EXPECT_EQ(api_->http_status(out[0]), 0);
  EXPECT_EQ(std::string(body(out[0]))
                .rfind("GET http://127.0.0.1:1/nothing-listens failed after 1 attempt", 0),
            0u)
      << body(out[0]);
  EXPECT_EQ(api_->http_status(out[1]), 200);
  EXPECT_NE(body(out[2]).find("certificate"), std::string_view::npos) << body(out[2]);
  for (halo_http_response *r : out) api_->http_free(r);
  EXPECT_EQ(metric("http.requests"), 3);
  EXPECT_EQ(metric("http.transport_failures"), 2);
}

// keep_alive (ABI 1.2): honoured when struct_size covers it, so the two
// requests share a connection (the echo names the client port); a plugin
// built before the field (struct_size of 1.1) gets a connection per request
// whatever the bytes past its struct hold.
TEST_F(HostHttp, KeepAliveIsReadOnlyWhenStructSizeCoversIt) {
  const std::string url = servers().plain.base_url() + "/echo/host-kept";
  auto port_of = [&](halo_http_request r) {
    halo_http_response *out = nullptr;
    EXPECT_EQ(api_->http_request(&ctx_, &r, &out), HALO_OK) << ctx_.error;
    std::string text(body(out));
    api_->http_free(out);
    const size_t at = text.find("\"peer_port\": ");
    return at == std::string::npos ? std::string("none: ") + text : text.substr(at + 13, 6);
  };
  halo_http_request kept = request(url.c_str());
  kept.keep_alive = 1;
  EXPECT_EQ(port_of(kept), port_of(kept));
  halo_http_request older = kept;  // keep_alive set, but beyond struct_size
  older.struct_size = static_cast<uint32_t>(offsetof(halo_http_request, keep_alive));
  EXPECT_NE(port_of(older), port_of(older));
}

// The SDK's Host::http_many: on this host the requests overlap (up to the
// context's concurrency); on a host older than http_request_many (its
// table cut short) the same call sends them one at a time. Either way
// each outcome is the response or the error http() would have thrown.
TEST_F(HostHttp, SdkHttpManyOverlapsHereAndGoesOneByOneOnAnOlderHost) {
  ctx_.http_concurrency = 4;
  halo_host_api older = *api_;
  older.struct_size = static_cast<uint32_t>(offsetof(halo_host_api, http_request_many));
  ASSERT_FALSE(HALO_HOST_HAS(&older, http_request_many));
  for (const halo_host_api *table : {api_, static_cast<const halo_host_api *>(&older)}) {
    servers().plain.reset_stats();
    servers().plain.inject(R"({"kind":"slow","count":4,"delay_ms":200,"path":"^/echo/sdk-"})");
    std::vector<halo::HttpRequest> requests(5);
    for (int i = 0; i < 4; ++i) {
      requests[i].url = servers().plain.base_url() + "/echo/sdk-" + std::to_string(i);
    }
    requests[4].url = "http://127.0.0.1:1/refused";
    requests[4].max_attempts = 1;
    const std::vector<halo::HttpOutcome> outcomes = halo::Host(table, &ctx_).http_many(requests);
    ASSERT_EQ(outcomes.size(), 5u);
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(outcomes[i].response.has_value()) << i;
      EXPECT_FALSE(outcomes[i].error.has_value());
      EXPECT_NE(outcomes[i].response->body().find("/echo/sdk-" + std::to_string(i)),
                std::string_view::npos);
    }
    ASSERT_TRUE(outcomes[4].error.has_value());
    EXPECT_EQ(outcomes[4].error->status(), HALO_RETRY);
    EXPECT_NE(std::string(outcomes[4].error->what()).find("/refused failed after 1 attempt"),
              std::string::npos)
        << outcomes[4].error->what();
    EXPECT_EQ(servers().plain.stat("max_in_flight"), table == api_ ? 4 : 1);
  }
  // A malformed request: nothing is sent, every outcome is the error.
  std::vector<halo::HttpRequest> bad(2);
  bad[0].url = servers().plain.base_url() + "/echo/sdk-never";
  bad[1].url = "ftp://127.0.0.1/file";
  servers().plain.reset_stats();
  for (const halo::HttpOutcome &o : halo::Host(api_, &ctx_).http_many(bad)) {
    ASSERT_TRUE(o.error.has_value());
    EXPECT_EQ(o.error->status(), HALO_ERROR);
  }
  EXPECT_EQ(servers().plain.stat("requests"), 0);
}

}  // namespace
}  // namespace halo::http_test
