// http_config_test.cpp -- the pipeline's `http:` section (docs/pipeline.md):
// defaults when absent, every key read, unknown keys / bad listen / out of
// range values refused with their position; and the hub's address policy
// (pipeline listen wins, a different plugin listen is refused, limits are
// applied to the server it starts).
#include "config/pipeline_config.h"
#include "http_server/server_hub.h"
#include "raw_client.h"

#include <gtest/gtest.h>

namespace halo {
namespace {

const char *kBase =
    "version: 1\n"
    "store: { kind: sqlite, path: var/halo.db }\n"
    "sources:\n"
    "  - { name: web, plugin: file-jsonl, config: { path: a.jsonl } }\n";

Result<PipelineConfig> parse(const std::string &http) {
  return parse_pipeline(std::string(kBase) + http, "p.yaml",
                        [](const std::string &) { return std::optional<std::string>(); });
}

TEST(HttpConfig, AbsentSectionKeepsTheServerDefaults) {
  auto cfg = parse("");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->http.listen, "");
  EXPECT_EQ(cfg->http.limits.max_body_bytes, HttpServerLimits().max_body_bytes);
  EXPECT_EQ(cfg->http.limits.max_connections, HttpServerLimits().max_connections);
}

TEST(HttpConfig, EveryKeyIsRead) {
  auto cfg = parse(
      "http:\n  listen: \"0.0.0.0:9000\"\n  threads: 1\n  max_connections: 7\n"
      "  max_header_bytes: 4096\n  max_body_bytes: 5000\n  read_timeout_ms: 100\n"
      "  idle_timeout_ms: 200\n  write_timeout_ms: 300\n  shutdown_grace_ms: 0\n");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  const auto &l = cfg->http.limits;
  EXPECT_EQ(cfg->http.listen, "0.0.0.0:9000");
  EXPECT_EQ(l.threads, 1);
  EXPECT_EQ(l.max_connections, 7);
  EXPECT_EQ(l.max_header_bytes, 4096u);
  EXPECT_EQ(l.max_body_bytes, 5000u);
  EXPECT_EQ(l.read_timeout_ms, 100);
  EXPECT_EQ(l.idle_timeout_ms, 200);
  EXPECT_EQ(l.write_timeout_ms, 300);
  EXPECT_EQ(l.shutdown_grace_ms, 0);
  EXPECT_EQ(validate(l), "");
}

TEST(HttpConfig, BadValuesAreRefusedWithTheirPosition) {
  auto unknown = parse("http:\n  max_conections: 3\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("max_connections"), std::string::npos)
      << unknown.status().message();
  auto listen = parse("http:\n  listen: \"8088\"\n");
  ASSERT_FALSE(listen.ok());
  EXPECT_NE(listen.status().message().find("p.yaml:6"), std::string::npos)
      << listen.status().message();
  EXPECT_FALSE(parse("http:\n  max_connections: 0\n").ok());
  EXPECT_FALSE(parse("http:\n  threads: 99\n").ok());
  EXPECT_FALSE(parse("http:\n  max_body_bytes: -1\n").ok());
}

TEST(ServerHub, PipelineListenWinsAndAnotherPluginListenIsRefused) {
  HttpServerHub &hub = HttpServerHub::instance();
  HttpServerLimits limits;
  limits.max_body_bytes = 10;
  hub.configure("127.0.0.1:0", limits);
  auto refused = hub.add_route("GET", "/x", nullptr, "127.0.0.1:1");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("http.listen"), std::string::npos);
  {
    auto lease = hub.add_route(
        "POST", "/x", [](const ServerRequest &, ServerResponse &) {}, "");
    ASSERT_TRUE(lease.ok()) << lease.status().message();
    ASSERT_GT(hub.port(), 0);
    testing::RawClient c(hub.port());
    c.send(testing::request("POST", "/x", std::string(11, 'a')));
    EXPECT_EQ(testing::status_of(c.read_response()), 413) << "configured limits not applied";
  }
  EXPECT_EQ(hub.port(), 0) << "the last route's removal must stop the server";
  hub.configure("", HttpServerLimits());
}

TEST(ServerHub, SplitListenAcceptsIpv4AndBracketedIpv6) {
  std::string host;
  int port = 0;
  EXPECT_TRUE(split_listen("127.0.0.1:8088", host, port));
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 8088);
  EXPECT_TRUE(split_listen("[::1]:9", host, port));
  EXPECT_EQ(host, "::1");
  EXPECT_FALSE(split_listen("8088", host, port));
  EXPECT_FALSE(split_listen("h:70000", host, port));
  EXPECT_FALSE(split_listen("h:8x", host, port));
}

}  // namespace
}  // namespace halo
