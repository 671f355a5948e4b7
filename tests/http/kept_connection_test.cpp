// kept_connection_test.cpp -- HttpCall::keep_alive against the demo contract
// server: kept requests share a connection, others never do; a connection
// the server closed is replaced unseen; a request the server drops on a
// kept connection is sent again by libcurl (why keep_alive is only for
// requests safe to arrive twice); TLS trust settings never share one.
// The server's echo names the client's port, one per TCP connection.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "http/kept_connections.h"
#include "http_test_support.h"

namespace halo::http_test {
namespace {

// The client port of the connection that carried an /echo request.
int peer_port(const HttpResult &r) {
  const std::string key = "\"peer_port\": ";
  size_t at = r.body.find(key);
  if (r.status != 200 || at == std::string::npos) return 0;
  return std::stoi(r.body.substr(at + key.size()));
}

HttpResult perform(HttpCall call) {
  Recorder rec;
  return HttpClient(rec.hooks()).perform(call);
}

HttpCall kept(const std::string &url) {
  HttpCall call = get(url);
  call.keep_alive = true;
  return call;
}

TEST(KeptConnection, KeptRequestsShareOneConnectionAndComeBackToThePool) {
  const std::string url = servers().plain.base_url() + "/echo/kept-share";
  HttpResult first = perform(kept(url));
  ASSERT_EQ(first.status, 200) << first.error;
  EXPECT_GE(kept_handle_count(), 1u);
  HttpCall post = kept(url);
  post.method = "POST";
  post.body = R"({"n":2})";
  HttpResult second = perform(post);
  HttpResult third = perform(kept(url));
  ASSERT_NE(peer_port(first), 0) << first.body;
  EXPECT_EQ(peer_port(second), peer_port(first));
  EXPECT_EQ(peer_port(third), peer_port(first));
  EXPECT_NE(second.body.find(R"("body": "{\"n\":2}")"), std::string::npos) << second.body;
  EXPECT_EQ(servers().plain.requests_for("/echo/kept-share"), 3);
}

TEST(KeptConnection, RequestsWithoutKeepAliveEachOpenTheirOwn) {
  const std::string url = servers().plain.base_url() + "/echo/not-kept";
  perform(kept(url));  // a kept connection to the same origin waits in the pool
  HttpResult a = perform(get(url));
  HttpResult b = perform(get(url));
  ASSERT_NE(peer_port(a), 0) << a.error;
  ASSERT_NE(peer_port(b), 0) << b.error;
  EXPECT_NE(peer_port(a), peer_port(b));
}

TEST(KeptConnection, AConnectionTheServerClosedIsReplacedUnseen) {
  const std::string url = servers().plain.base_url() + "/echo/kept-closed";
  servers().plain.inject(R"({"kind":"close","count":1,"path":"^/echo/kept-closed$"})");
  HttpResult first = perform(kept(url));
  ASSERT_EQ(first.status, 200) << first.error;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the server's FIN arrives
  HttpResult second = perform(kept(url));
  ASSERT_EQ(second.status, 200) << second.error;
  EXPECT_EQ(second.attempts, 1);
  EXPECT_NE(peer_port(second), peer_port(first));
  EXPECT_EQ(servers().plain.requests_for("/echo/kept-closed"), 2);  // each once
}

// The server reads the request on the kept connection and resets it
// without an answer: libcurl sends it again on a new connection within the
// same attempt, so the server has seen it twice -- the documented reason a
// request opts in only when it is safe to arrive twice.
TEST(KeptConnection, ARequestDroppedOnAKeptConnectionIsSentAgainByLibcurl) {
  const std::string url = servers().plain.base_url() + "/echo/kept-dropped";
  HttpResult first = perform(kept(url));
  ASSERT_EQ(first.status, 200) << first.error;
  servers().plain.inject(R"({"kind":"drop","count":1,"path":"^/echo/kept-dropped$"})");
  HttpResult second = perform(kept(url));
  ASSERT_EQ(second.status, 200) << second.error;
  EXPECT_EQ(second.attempts, 1);
  EXPECT_NE(peer_port(second), peer_port(first));
  EXPECT_EQ(servers().plain.requests_for("/echo/kept-dropped"), 3);
}

// A connection verified against one trust store is never lent to a request
// with another: libcurl's own reuse check does not see the extra CA.
TEST(KeptConnection, TlsTrustSettingsNeverShareAConnection) {
  const std::string url = servers().tls.base_url() + "/echo/kept-tls";
  HttpCall unverified = kept(url);
  unverified.insecure = true;
  HttpCall verified = kept(url);
  verified.ca_file = servers().tls_dir + "/ca.pem";
  HttpResult a = perform(unverified);
  HttpResult b = perform(verified);
  HttpResult c = perform(unverified);
  HttpResult d = perform(verified);
  ASSERT_NE(peer_port(a), 0) << a.error;
  ASSERT_NE(peer_port(b), 0) << b.error;
  EXPECT_NE(peer_port(a), peer_port(b));
  EXPECT_EQ(peer_port(c), peer_port(a));
  EXPECT_EQ(peer_port(d), peer_port(b));
}

TEST(KeptConnection, KeysSeparateOriginsAndTrust) {
  HttpCall call = kept("https://U:pw@API.example:8443/v1?key=s3cret");
  const std::string key = kept_connection_key(call);
  EXPECT_EQ(key.find("s3cret"), std::string::npos);
  EXPECT_EQ(key.find("pw"), std::string::npos);
  EXPECT_EQ(kept_connection_key(kept("https://api.example:8443/other")), key);
  EXPECT_NE(kept_connection_key(kept("https://api.example:9443/v1")), key);
  call.insecure = true;
  EXPECT_NE(kept_connection_key(call), key);
  call.insecure = false;
  call.ca_file = "/etc/ca.pem";
  EXPECT_NE(kept_connection_key(call), key);
}

TEST(KeptConnection, ThePoolKeepsAtMostItsLimitAndTheNewestFirst) {
  ASSERT_TRUE(load_libcurl().ok());
  CURL *newest = nullptr;
  for (size_t i = 0; i < kMaxKeptHandles + 4; ++i) {
    const std::string key = "limit-" + std::to_string(i);
    EasyHandle handle = take_kept_handle(key);
    ASSERT_NE(handle, nullptr);
    newest = handle.get();
    keep_handle(key, std::move(handle));
  }
  EXPECT_EQ(kept_handle_count(), kMaxKeptHandles);
  EasyHandle again = take_kept_handle("limit-" + std::to_string(kMaxKeptHandles + 3));
  EXPECT_EQ(again.get(), newest);
  EXPECT_EQ(kept_handle_count(), kMaxKeptHandles - 1);
}

}  // namespace
}  // namespace halo::http_test
