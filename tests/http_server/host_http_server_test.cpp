// host_http_server_test.cpp -- every promise plugin.h makes about HTTP
// server routes (ABI 1.2), through the real host table and real sockets:
// accessors (case-insensitive headers, query, body) and setters (status,
// headers, body; bad values ignored), non-OK handler status -> 500, routes
// refused with a reason (malformed, duplicate, other listen address),
// handlers on server threads and concurrent, routes removed before the
// instance's stop() with running calls awaited, and HALO_HOST_HAS telling a
// 1.1-sized host table apart.
#include "http_server/server_hub.h"
#include "plugin_host/host_api.h"
#include "plugin_host/host_api_http_server.h"
#include "plugin_host/plugin_instance.h"
#include "raw_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <thread>

namespace halo {
namespace {

using halo::testing::body_of;
using halo::testing::RawClient;
using halo::testing::request;
using halo::testing::status_of;
using namespace std::chrono_literals;

const halo_host_api *api() {
  return host_api();
}

std::string text(void (*fn)(const halo_http_server_request *, const char **, size_t *),
                 const halo_http_server_request *q) {
  const char *d = nullptr;
  size_t n = 0;
  fn(q, &d, &n);
  return std::string(d, n);
}

// Echoes what the accessors return, sets a status, a header and bad values.
halo_status echo(void *, const halo_http_server_request *q, halo_http_server_response *r) {
  const char *v = nullptr;
  size_t n = 0;
  std::string topic =
      api()->http_req_header(q, "x-wc-webhook-TOPIC", &v, &n) ? std::string(v, n) : "absent";
  int32_t missing = api()->http_req_header(q, "X-Nope", &v, &n);
  std::string out = text(api()->http_req_method, q) + " " + text(api()->http_req_path, q) + " " +
                    text(api()->http_req_query, q) + " " + topic + " " + std::to_string(missing) +
                    " " + text(api()->http_req_body, q);
  api()->http_resp_status(r, 201);
  api()->http_resp_status(r, 99);  // ignored: outside 200..599
  api()->http_resp_header(r, "X-Reply", "yes");
  api()->http_resp_header(r, "X-Evil", "a\r\nSet-Cookie: x=1");  // ignored
  api()->http_resp_header(r, "Content-Length", "1");             // ignored
  api()->http_resp_body(r, out.data(), out.size());
  return HALO_OK;
}

halo_status failing(void *, const halo_http_server_request *, halo_http_server_response *r) {
  api()->http_resp_status(r, 200);
  return HALO_ERROR;
}

halo_http_route route(const char *method, const char *path, halo_http_handler h,
                      void *user = nullptr, const char *listen = "127.0.0.1:0") {
  halo_http_route r{};
  r.struct_size = sizeof r;
  r.method = method;
  r.path = path;
  r.handler = h;
  r.user = user;
  r.listen = listen;
  return r;
}

class HostHttpServer : public ::testing::Test {
 protected:
  void TearDown() override { drop_http_routes(&ctx_); }
  int32_t add(const halo_http_route &r) {
    return api()->http_route_add(&ctx_, &r, why_, sizeof why_);
  }
  int port() { return api()->http_server_port(&ctx_); }
  std::string exchange(const std::string &req) {
    RawClient c(port());
    c.send(req);
    return c.read_response();
  }
  halo_context ctx_;
  char why_[256] = {0};
};

TEST_F(HostHttpServer, AccessorsAndSettersRoundTrip) {
  ASSERT_EQ(add(route("POST", "/hook", echo)), HALO_OK) << why_;
  ASSERT_GT(port(), 0);
  std::string r = exchange(
      request("POST", "/hook?x=1&y=2", "{\"id\":1}", "X-WC-Webhook-Topic: order.created\r\n"));
  EXPECT_EQ(status_of(r), 201) << r;
  EXPECT_EQ(body_of(r), "POST /hook x=1&y=2 order.created 0 {\"id\":1}");
  EXPECT_NE(r.find("X-Reply: yes"), std::string::npos) << r;
  EXPECT_EQ(r.find("Set-Cookie"), std::string::npos) << r;
  EXPECT_EQ(r.find("X-Evil"), std::string::npos) << r;
}

// Logs and counts from a server thread through the context it was given.
halo_status counting(void *user, const halo_http_server_request *, halo_http_server_response *) {
  auto *ctx = static_cast<halo_context *>(user);
  api()->log(ctx, HALO_LOG_DEBUG, "request seen");
  api()->metric_add(ctx, "webhook.requests", 1);
  return HALO_OK;
}

TEST_F(HostHttpServer, HandlerMayLogAndCountWithTheInstanceContext) {
  ASSERT_EQ(add(route("POST", "/count", counting, &ctx_)), HALO_OK) << why_;
  EXPECT_EQ(status_of(exchange(request("POST", "/count"))), 200);
  EXPECT_EQ(status_of(exchange(request("POST", "/count"))), 200);
  std::lock_guard<std::mutex> lock(ctx_.metrics.mutex);
  EXPECT_EQ(ctx_.metrics.values["webhook.requests"], 2);
}

TEST_F(HostHttpServer, NonOkHandlerStatusSends500) {
  ASSERT_EQ(add(route("GET", "/fail", failing)), HALO_OK) << why_;
  EXPECT_EQ(status_of(exchange(request("GET", "/fail"))), 500);
}

TEST_F(HostHttpServer, RefusedRoutesSayWhy) {
  EXPECT_EQ(add(route("POST", "hook", echo)), HALO_FATAL);
  EXPECT_NE(std::string(why_).find("malformed"), std::string::npos) << why_;
  EXPECT_EQ(add(route("POST", "/h", nullptr)), HALO_FATAL);
  ASSERT_EQ(add(route("POST", "/h", echo)), HALO_OK) << why_;
  EXPECT_EQ(add(route("POST", "/h", echo)), HALO_FATAL);
  EXPECT_NE(std::string(why_).find("already registered"), std::string::npos) << why_;
  EXPECT_EQ(add(route("GET", "/other", echo, nullptr, "127.0.0.1:1")), HALO_FATAL);
  EXPECT_NE(std::string(why_).find("127.0.0.1:0"), std::string::npos) << why_;
  EXPECT_NE(std::string(why_).find("127.0.0.1:1"), std::string::npos) << why_;
  char tiny[8];
  EXPECT_EQ(api()->http_route_add(&ctx_, nullptr, tiny, sizeof tiny), HALO_FATAL);
  EXPECT_EQ(std::strlen(tiny), 7u) << "message must be truncated and NUL-terminated";
}

struct Rendezvous {
  std::mutex m;
  std::condition_variable cv;
  int inside = 0;
  std::thread::id registering = std::this_thread::get_id();
  std::atomic<bool> on_other_thread{true};
};

// Waits (up to 2 s) until two calls are inside at once: proves concurrency.
halo_status meet(void *user, const halo_http_server_request *, halo_http_server_response *r) {
  auto *z = static_cast<Rendezvous *>(user);
  if (std::this_thread::get_id() == z->registering) z->on_other_thread = false;
  std::unique_lock<std::mutex> lock(z->m);
  ++z->inside;
  z->cv.notify_all();
  bool met = z->cv.wait_for(lock, 2s, [&] { return z->inside >= 2; });
  api()->http_resp_body(r, met ? "met" : "alone", met ? 3 : 5);
  return HALO_OK;
}

TEST_F(HostHttpServer, HandlersRunOnServerThreadsAndConcurrently) {
  Rendezvous z;
  ASSERT_EQ(add(route("GET", "/meet", meet, &z)), HALO_OK) << why_;
  std::string a, b;
  std::thread ta([&] { a = exchange(request("GET", "/meet")); });
  std::thread tb([&] { b = exchange(request("GET", "/meet")); });
  ta.join();
  tb.join();
  EXPECT_EQ(body_of(a), "met");
  EXPECT_EQ(body_of(b), "met");
  EXPECT_TRUE(z.on_other_thread);
}

TEST_F(HostHttpServer, DroppingRoutesWaitsForRunningCallsThenStopsTheServer) {
  std::atomic<int> calls{0};
  struct Slow {
    std::atomic<int> *calls;
  } slow{&calls};
  auto handler = [](void *u, const halo_http_server_request *, halo_http_server_response *) {
    std::this_thread::sleep_for(300ms);
    static_cast<Slow *>(u)->calls->fetch_add(1);
    return HALO_OK;
  };
  ASSERT_EQ(add(route("GET", "/slow", handler, &slow)), HALO_OK) << why_;
  int p = port();
  std::thread client([&] { exchange(request("GET", "/slow")); });
  std::this_thread::sleep_for(100ms);
  drop_http_routes(&ctx_);
  EXPECT_EQ(calls.load(), 1) << "drop returned while a handler was running";
  client.join();
  EXPECT_EQ(port(), 0);
  RawClient late(p);
  EXPECT_FALSE(late.connected() && late.send(request("GET", "/slow")) &&
               status_of(late.read_response(300)) != 0);
  EXPECT_EQ(calls.load(), 1);
}

// `halo serve`: the server keeps its address while destinations drop and
// add their routes (in a child process: the hub is one per process).
TEST(HostHttpServerServe, AServerThatStaysUpKeepsItsPortWithNoRoutes) {
  EXPECT_EXIT(
      {
        HttpServerHub &hub = HttpServerHub::instance();
        hub.configure("127.0.0.1:0", HttpServerLimits{});
        hub.stay_up();
        int before = 0;
        {
          auto lease = hub.add_route(
              "GET", "/x", [](const ServerRequest &, ServerResponse &) {}, "");
          if (!lease.ok()) std::exit(2);
          before = hub.port();
        }
        auto again = hub.add_route(
            "GET", "/x", [](const ServerRequest &, ServerResponse &) {}, "");
        std::exit(before > 0 && hub.port() == before && again.ok() ? 0 : 3);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(HostHttpServerAbi, HostHasTellsA11TableApart) {
  EXPECT_TRUE(HALO_HOST_HAS(api(), http_route_add));
  EXPECT_TRUE(HALO_HOST_HAS(api(), http_resp_body));
  halo_host_api old = *api();
  old.struct_size = static_cast<uint32_t>(offsetof(halo_host_api, http_route_add));
  EXPECT_TRUE(HALO_HOST_HAS(&old, http_free));
  EXPECT_FALSE(HALO_HOST_HAS(&old, http_route_add));
}

// --- a source plugin that registers a route, run by the real plugin host ---

struct Probe {
  std::atomic<int> handled{0};
  int port = 0;
  int answer_during_stop = -1;  // status a request got while stop() ran
};
Probe g_probe;

halo_status probe_handler(void *, const halo_http_server_request *, halo_http_server_response *) {
  g_probe.handled.fetch_add(1);
  return HALO_OK;
}
halo_status probe_create(const halo_host_api *host, halo_context *ctx, halo_instance **out) {
  halo_http_route r = route("POST", "/probe", probe_handler);
  char why[128];
  if (host->http_route_add(ctx, &r, why, sizeof why) != HALO_OK) return HALO_FATAL;
  g_probe.port = host->http_server_port(ctx);
  *out = reinterpret_cast<halo_instance *>(&g_probe);
  return HALO_OK;
}
halo_status probe_stop(halo_instance *) {
  RawClient c(g_probe.port);
  g_probe.answer_during_stop =
      c.connected() && c.send(request("POST", "/probe")) ? status_of(c.read_response(500)) : 0;
  return HALO_OK;
}
void probe_destroy(halo_instance *) {}
halo_status probe_next_batch(halo_instance *, halo_sink *, uint32_t) {
  return HALO_OK;
}
halo_status probe_cursor(halo_instance *, const char **data, size_t *len) {
  *data = "";
  *len = 0;
  return HALO_OK;
}

TEST(HostHttpServerLifecycle, RoutesAreRemovedBeforeTheInstanceStops) {
  static halo_source_vtable vt{};
  vt.struct_size = sizeof vt;
  vt.create = probe_create;
  vt.stop = probe_stop;
  vt.destroy = probe_destroy;
  vt.next_batch = probe_next_batch;
  vt.cursor = probe_cursor;
  static halo_plugin_descriptor d{};
  d.struct_size = sizeof d;
  d.abi_major = HALO_ABI_MAJOR;
  d.abi_minor = HALO_ABI_MINOR;
  d.magic = halo_magic_block HALO_MAGIC_INIT;
  d.name = "route-probe";
  d.kind = HALO_KIND_SOURCE;
  d.vtable = &vt;
  PluginInfo info;
  info.name = "route-probe";
  info.descriptor = &d;
  PluginUse use;
  use.name = "probe";
  use.plugin = "route-probe";
  use.config = YAML::Node(YAML::NodeType::Map);
  InstanceSetup setup;
  setup.label = "source 'probe' (route-probe)";
  auto inst = SourceInstance::create(info, use, setup);
  ASSERT_TRUE(inst.ok()) << inst.status().message();
  RawClient c(g_probe.port);
  c.send(request("POST", "/probe"));
  EXPECT_EQ(status_of(c.read_response()), 200);
  EXPECT_EQ(g_probe.handled.load(), 1);
  ASSERT_TRUE((*inst)->stop().ok());
  EXPECT_EQ(g_probe.answer_during_stop, 0) << "a request reached the server during stop()";
  EXPECT_EQ(g_probe.handled.load(), 1);
}

}  // namespace
}  // namespace halo
