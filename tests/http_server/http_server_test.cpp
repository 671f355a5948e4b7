// http_server_test.cpp -- the promises of core/http_server/http_server.h and
// http_session.h over real loopback sockets: routing (200/404/405), limits
// (413 before the body, 431, 400), deadlines (408 for a slow request while
// others are served, idle keep-alive closed), the connection bound (503 at
// once, served again later), 100-continue, handler failure (500) and
// graceful stop (a request in progress still gets its answer).
#include "http_server/http_server.h"
#include "raw_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace halo {
namespace {

using halo::testing::body_of;
using halo::testing::RawClient;
using halo::testing::request;
using halo::testing::status_of;
using namespace std::chrono_literals;

HttpServerLimits test_limits() {
  HttpServerLimits l;
  l.max_connections = 4;
  l.max_body_bytes = 1000;
  l.max_header_bytes = 2048;
  l.read_timeout_ms = 800;
  l.idle_timeout_ms = 300;
  l.shutdown_grace_ms = 2000;
  return l;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    routes_ = std::make_shared<RouteTable>();
    echo_ = routes_->add("POST", "/echo", [](const ServerRequest &q, ServerResponse &r) {
      r.body = q.body + "|" + q.query + "|" + (q.header("x-TAG") ? *q.header("x-TAG") : "-");
    });
  }
  void start(HttpServerLimits limits = test_limits()) {
    server_ = std::make_unique<HttpServer>(limits, routes_);
    ASSERT_TRUE(server_->start("127.0.0.1", 0).ok());
  }
  std::string exchange(const std::string &req) {
    RawClient c(server_->port());
    c.send(req);
    return c.read_response();
  }

  std::shared_ptr<RouteTable> routes_;
  std::shared_ptr<Route> echo_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, RoutesRequestAndKeepsTheConnectionAlive) {
  start();
  RawClient c(server_->port());
  ASSERT_TRUE(c.send(request("POST", "/echo?a=1", "hello", "X-Tag: t1\r\n")));
  std::string first = c.read_response();
  EXPECT_EQ(status_of(first), 200) << first;
  EXPECT_EQ(body_of(first), "hello|a=1|t1");
  ASSERT_TRUE(c.send(request("POST", "/echo", "again")));
  EXPECT_EQ(body_of(c.read_response()), "again||-");
}

TEST_F(HttpServerTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  start();
  EXPECT_EQ(status_of(exchange(request("POST", "/nope"))), 404);
  std::string r = exchange(request("GET", "/echo"));
  EXPECT_EQ(status_of(r), 405) << r;
  EXPECT_NE(r.find("Allow: POST"), std::string::npos) << r;
}

TEST_F(HttpServerTest, OversizedBodyIs413WithoutReadingTheBody) {
  start();
  RawClient c(server_->port());
  // Only the head is sent: the answer must come from Content-Length alone.
  c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n");
  std::string r = c.read_response();
  EXPECT_EQ(status_of(r), 413) << r;
  EXPECT_TRUE(c.closed_by_server(2000));
  EXPECT_EQ(status_of(exchange(request("POST", "/echo", std::string(1000, 'x')))), 200);
}

TEST_F(HttpServerTest, OversizedHeadersAre431AndGarbageIs400) {
  start();
  std::string big = "X-Big: " + std::string(3000, 'a') + "\r\n";
  EXPECT_EQ(status_of(exchange(request("POST", "/echo", "", big))), 431);
  EXPECT_EQ(status_of(exchange("NOT HTTP AT ALL\r\n\r\n")), 400);
  EXPECT_EQ(status_of(exchange("POST /echo HTTP/1.1\r\nContent-Length: x\r\n\r\n")), 400);
}

TEST_F(HttpServerTest, SlowRequestGets408WhileOthersAreServed) {
  HttpServerLimits limits = test_limits();
  limits.read_timeout_ms = 3000;
  start(limits);
  RawClient slow(server_->port());
  slow.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab");
  auto began = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(status_of(exchange(request("POST", "/echo", "ok"))), 200);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - began, 2000ms) << "good requests were held up";
  std::string r = slow.read_response(5000);
  EXPECT_EQ(status_of(r), 408) << r;
  EXPECT_GE(std::chrono::steady_clock::now() - began, 2900ms);
}

TEST_F(HttpServerTest, ByteByByteHeaderIsCutOffAtTheRequestDeadline) {
  start();
  RawClient slow(server_->port());
  std::string head = "POST /echo HTTP/1.1\r\nHost: x\r\nX-Pad: 0123456789\r\n";
  auto began = std::chrono::steady_clock::now();
  std::string answer;
  for (size_t i = 0; i < head.size() && answer.empty(); ++i) {
    if (!slow.send(head.substr(i, 1))) break;
    answer = slow.read_response(100);  // a byte every 100 ms, slowloris style
  }
  EXPECT_EQ(status_of(answer), 408) << answer;
  EXPECT_LT(std::chrono::steady_clock::now() - began, 2500ms);
  EXPECT_TRUE(slow.closed_by_server(2000));
}

TEST_F(HttpServerTest, IdleKeptAliveConnectionIsClosedAfterIdleTimeout) {
  start();
  RawClient c(server_->port());
  c.send(request("POST", "/echo", "x"));
  ASSERT_EQ(status_of(c.read_response()), 200);
  EXPECT_FALSE(c.closed_by_server(150));
  EXPECT_TRUE(c.closed_by_server(1000));
}

TEST_F(HttpServerTest, ConnectionsOverTheBoundAreRefusedAndServedAgainLater) {
  start();
  std::vector<std::unique_ptr<RawClient>> silent;
  for (int i = 0; i < 4; ++i) silent.push_back(std::make_unique<RawClient>(server_->port()));
  std::this_thread::sleep_for(100ms);
  std::string refused = exchange(request("POST", "/echo", "x"));
  EXPECT_EQ(status_of(refused), 503) << refused;
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos);
  std::this_thread::sleep_for(1200ms);  // the silent ones hit read_timeout_ms
  EXPECT_EQ(server_->open_connections(), 0);
  EXPECT_EQ(status_of(exchange(request("POST", "/echo", "x"))), 200);
}

TEST_F(HttpServerTest, ExpectContinueGetsAnInterimAnswer) {
  start();
  RawClient c(server_->port());
  c.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_EQ(status_of(c.read_response()), 100);
  c.send("hi");
  EXPECT_EQ(body_of(c.read_response()), "hi||-");
}

TEST_F(HttpServerTest, ThrowingHandlerIs500) {
  auto bad = routes_->add("GET", "/bad", [](const ServerRequest &, ServerResponse &) {
    throw std::runtime_error("boom");
  });
  start();
  EXPECT_EQ(status_of(exchange(request("GET", "/bad"))), 500);
}

TEST_F(HttpServerTest, StopLetsARequestInProgressFinish) {
  std::promise<void> entered;
  auto slow = routes_->add("POST", "/slow", [&](const ServerRequest &, ServerResponse &r) {
    entered.set_value();
    std::this_thread::sleep_for(300ms);
    r.body = "done";
  });
  start();
  RawClient c(server_->port());
  c.send(request("POST", "/slow"));
  entered.get_future().wait();
  RawClient idle(server_->port());
  server_->stop();
  std::string r = c.read_response(1000);
  EXPECT_EQ(body_of(r), "done") << r;
  EXPECT_TRUE(idle.closed_by_server(500));
  RawClient after(server_->port());
  EXPECT_FALSE(after.connected()) << "the listener is still open after stop()";
}

TEST(RouteTable, RemoveWaitsForRunningCallsAndNothingRunsAfter) {
  RouteTable routes;
  std::atomic<int> calls{0};
  std::promise<void> entered;
  auto route = routes.add("GET", "/r", [&](const ServerRequest &, ServerResponse &) {
    if (calls.fetch_add(1) == 0) entered.set_value();
    std::this_thread::sleep_for(200ms);
  });
  ASSERT_EQ(routes.add("GET", "/r", nullptr), nullptr) << "duplicate route accepted";
  ServerRequest q;
  q.method = "GET";
  q.path = "/r";
  std::thread caller([&] {
    ServerResponse r;
    routes.dispatch(q, r);
  });
  entered.get_future().wait();
  auto began = std::chrono::steady_clock::now();
  routes.remove(route);
  EXPECT_GE(std::chrono::steady_clock::now() - began, 100ms) << "remove did not wait";
  caller.join();
  ServerResponse after;
  routes.dispatch(q, after);
  EXPECT_EQ(after.status, 503);  // removed: retry, it may be added again
  EXPECT_EQ(calls.load(), 1);
}

TEST(RouteTable, ARemovedRouteIsA503UntilAddedAgainAndAnUnknownOneA404) {
  RouteTable routes;
  auto first = routes.add("POST", "/status",
                          [](const ServerRequest &, ServerResponse &r) { r.status = 201; });
  routes.remove(first);
  ServerRequest q;
  q.method = "POST";
  q.path = "/status";
  ServerResponse gap;
  routes.dispatch(q, gap);
  EXPECT_EQ(gap.status, 503);
  bool retry_after = false;
  for (const auto &[name, value] : gap.headers) retry_after |= name == "Retry-After";
  EXPECT_TRUE(retry_after);
  auto again = routes.add("POST", "/status",
                          [](const ServerRequest &, ServerResponse &r) { r.status = 202; });
  ASSERT_NE(again, nullptr);
  ServerResponse served;
  routes.dispatch(q, served);
  EXPECT_EQ(served.status, 202);
  q.method = "GET";  // another method of the path: 405, as before
  ServerResponse other;
  routes.dispatch(q, other);
  EXPECT_EQ(other.status, 405);
  q.path = "/never";
  ServerResponse unknown;
  routes.dispatch(q, unknown);
  EXPECT_EQ(unknown.status, 404);
}

}  // namespace
}  // namespace halo
