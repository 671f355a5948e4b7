// pipeline_config_test.cpp -- valid pipeline files: values, defaults,
// absolute paths, env substitution inside plugin configs, and loading from
// disk.
#include "config/pipeline_config.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_env.h"

namespace halo {
namespace {

namespace fs = std::filesystem;
using testing::fake_env;

const char *kFullPipeline = R"(version: 1
store: { kind: sqlite, path: var/halo.db }
plugin_dirs: [ extra/plugins, /opt/halo/plugins ]
run: { batch_size: 1024, threads: 2, as_of: "2026-01-01T00:00:00Z", commit_every: 8192, commit_interval_ms: 250 }
identity:
  resolver: deterministic
  config: { strict: true }
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1, kind: text, paths: [userId, traits.user_id] }
    - { type: email, priority: 2, max_per_profile: 5 }
    - { type: phone, priority: 3, max_per_profile: 3, default_region: de, quarantine_after: 4 }
    - { type: woo_customer_id, ignore: ["0", guest] }
sources:
  - { name: web, plugin: file-jsonl, priority: 10, config: { path: "${DATA_DIR}/web.jsonl" } }
  - name: shop
    plugin: woocommerce
    config:
      url: https://shop.example
      auth: { key: "${WC_KEY}", secret: "${WC_SECRET:-none}" }
features:
  - { name: orders, plugin: aggregates, config: { order_count: { count: { event: Order Completed } } } }
  - { plugin: rfm }
destinations:
  - { name: profiles, plugin: file-jsonl, config: { path: var/profiles.jsonl } }
)";

PipelineConfig parse_ok(const std::string &text, const std::string &file, const EnvLookup &env) {
  Result<PipelineConfig> r = parse_pipeline(text, file, env);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : PipelineConfig{};
}

TEST(PipelineConfig, FullFileHasTheWrittenValues) {
  const PipelineConfig cfg = parse_ok(kFullPipeline, "/srv/halo/config/demo.yaml",
                                      fake_env({{"DATA_DIR", "/data"}, {"WC_KEY", "k123"}}));
  EXPECT_EQ(cfg.file, "/srv/halo/config/demo.yaml");
  EXPECT_EQ(cfg.base_dir, "/srv/halo/config");
  EXPECT_EQ(cfg.store_kind, "sqlite");
  EXPECT_EQ(cfg.store_path, "/srv/halo/config/var/halo.db");
  ASSERT_EQ(cfg.plugin_dirs.size(), 2u);
  EXPECT_EQ(cfg.plugin_dirs[0], "/srv/halo/config/extra/plugins");
  EXPECT_EQ(cfg.plugin_dirs[1], "/opt/halo/plugins");
  EXPECT_EQ(cfg.batch_size, 1024u);
  EXPECT_EQ(cfg.threads, 2);
  EXPECT_EQ(cfg.commit_every, 8192u);
  ASSERT_TRUE(cfg.as_of_ms.has_value());
  EXPECT_EQ(*cfg.as_of_ms, int64_t{1767225600000});
  EXPECT_EQ(cfg.resolver, "deterministic");
  EXPECT_EQ(cfg.resolver_config["strict"].as<std::string>(), "true");
  EXPECT_EQ(cfg.resolver_mark.str(), "/srv/halo/config/demo.yaml:6:13");
}

TEST(PipelineConfig, IdentifiersGetPerEntryDefaults) {
  const PipelineConfig cfg =
      parse_ok(kFullPipeline, "/p/demo.yaml", fake_env({{"DATA_DIR", "/d"}, {"WC_KEY", "k"}}));
  ASSERT_EQ(cfg.identifiers.size(), 4u);
  const IdentifierSpec &user = cfg.identifiers[0];
  EXPECT_EQ(user.type, "user_id");
  EXPECT_EQ(user.kind, "text");
  EXPECT_EQ(user.paths, (std::vector<std::string>{"userId", "traits.user_id"}));
  const IdentifierSpec &email = cfg.identifiers[1];
  EXPECT_EQ(email.kind, "email");
  EXPECT_EQ(email.max_per_profile, 5);
  EXPECT_EQ(email.paths,
            (std::vector<std::string>{"traits.email", "context.traits.email", "properties.email"}));
  const IdentifierSpec &phone = cfg.identifiers[2];
  EXPECT_EQ(phone.kind, "phone");
  EXPECT_EQ(phone.default_region, "DE");  // upper-cased
  EXPECT_EQ(phone.quarantine_after, 4u);
  EXPECT_EQ(email.quarantine_after, 10u);  // the default
  const IdentifierSpec &custom = cfg.identifiers[3];
  EXPECT_EQ(custom.type, "woo_customer_id");
  EXPECT_EQ(custom.priority, 40);  // 1-based position * 10
  EXPECT_EQ(custom.max_per_profile, 100);
  EXPECT_EQ(custom.kind, "text");
  EXPECT_EQ(custom.default_region, "IR");
  EXPECT_EQ(custom.ignore, (std::vector<std::string>{"0", "guest"}));
  EXPECT_TRUE(email.ignore.empty());
  EXPECT_EQ(custom.paths,
            (std::vector<std::string>{"traits.woo_customer_id", "context.traits.woo_customer_id",
                                      "properties.woo_customer_id"}));
}

TEST(PipelineConfig, ALimitWithAWindowReachesTheResolverAsAWindow) {
  const PipelineConfig cfg = parse_ok(R"(version: 1
store: { kind: sqlite, path: halo.db }
identity:
  identifiers:
    - { type: user_id, max_per_profile: 1 }
    - { type: anonymous_id, max_per_profile: 5 per 7d }
sources:
  - { name: web, plugin: file-jsonl, config: { path: web.jsonl } }
)",
                                      "w.yaml", fake_env({}));
  ASSERT_EQ(cfg.identifiers.size(), 2u);
  EXPECT_EQ(cfg.identifiers[0].limit_window_ms, 0);
  EXPECT_EQ(cfg.identifiers[1].max_per_profile, 5);
  EXPECT_EQ(cfg.identifiers[1].limit_window_ms, 7 * 86'400'000);
  const PluginUse use = resolver_plugin_use(cfg);
  const YAML::Node list = use.config["identifiers"];
  EXPECT_FALSE(list[0]["window"].IsDefined());
  EXPECT_EQ(list[1]["max_per_profile"].as<int>(), 5);
  EXPECT_EQ(list[1]["window"].as<std::string>(), "604800000ms");
}

TEST(PipelineConfig, PluginUsesKeepNamesPrioritiesConfigsAndMarks) {
  const PipelineConfig cfg =
      parse_ok(kFullPipeline, "demo.yaml", fake_env({{"DATA_DIR", "/data"}, {"WC_KEY", "k123"}}));
  ASSERT_EQ(cfg.sources.size(), 2u);
  const PluginUse &web = cfg.sources[0];
  EXPECT_EQ(web.name, "web");
  EXPECT_EQ(web.plugin, "file-jsonl");
  EXPECT_EQ(web.priority, 10);
  EXPECT_EQ(web.config["path"].as<std::string>(), "/data/web.jsonl");
  EXPECT_EQ(web.mark.str(), "demo.yaml:14:5");
  EXPECT_EQ(web.config_mark.str(), "demo.yaml:14:60");
  const PluginUse &shop = cfg.sources[1];
  EXPECT_EQ(shop.priority, 100);  // default
  EXPECT_EQ(shop.mark.str(), "demo.yaml:15:5");
  EXPECT_EQ(shop.config_mark.str(), "demo.yaml:18:7");
  // Substituted inside nested plugin config, and the node keeps its place.
  EXPECT_EQ(shop.config["auth"]["key"].as<std::string>(), "k123");
  EXPECT_EQ(shop.config["auth"]["secret"].as<std::string>(), "none");
  EXPECT_EQ(shop.config["auth"]["key"].Mark().line + 1, 19);
  EXPECT_EQ(shop.config["auth"]["key"].Mark().column + 1, 20);

  ASSERT_EQ(cfg.features.size(), 2u);
  EXPECT_EQ(cfg.features[0].name, "orders");
  EXPECT_EQ(cfg.features[1].name, "rfm");  // defaults to the plugin
  EXPECT_TRUE(cfg.features[1].config.IsMap());
  EXPECT_EQ(cfg.features[1].config.size(), 0u);
  EXPECT_EQ(cfg.features[1].config_mark.str(), cfg.features[1].mark.str());
  ASSERT_EQ(cfg.destinations.size(), 1u);
  EXPECT_EQ(cfg.destinations[0].name, "profiles");
}

TEST(PipelineConfig, StoreCacheBytesIsANumberOrAuto) {
  auto parse = [](const std::string &cache) {
    return parse_ok("version: 1\nstore: { path: x.db, cache_bytes: " + cache +
                        " }\nsources: [ { name: web, plugin: file-jsonl } ]\n",
                    "/p/c.yaml", fake_env({}))
        .store_cache_bytes;
  };
  EXPECT_EQ(parse("67108864"), int64_t{64} << 20);
  EXPECT_FALSE(parse("auto").has_value());
}

TEST(PipelineConfig, MinimalFileGetsAllDefaults) {
  const PipelineConfig cfg = parse_ok(
      "version: 1\n"
      "store: { path: /var/lib/halo/halo.db }\n"
      "sources: [ { name: web, plugin: file-jsonl } ]\n",
      "/etc/halo/min.yaml", fake_env({}));
  EXPECT_EQ(cfg.store_kind, "sqlite");
  EXPECT_EQ(cfg.store_path, "/var/lib/halo/halo.db");
  EXPECT_FALSE(cfg.store_cache_bytes.has_value());  // follows the store
  EXPECT_EQ(cfg.store_log_compression_level, 1);
  EXPECT_TRUE(cfg.plugin_dirs.empty());
  EXPECT_EQ(cfg.batch_size, 4096u);
  EXPECT_EQ(cfg.threads, 0);
  EXPECT_EQ(cfg.commit_every, 1000000u);
  EXPECT_EQ(cfg.commit_interval_ms, 5000);
  EXPECT_FALSE(cfg.as_of_ms.has_value());
  EXPECT_EQ(cfg.resolver, "deterministic");
  EXPECT_TRUE(cfg.resolver_config.IsMap());
  ASSERT_EQ(cfg.identifiers.size(), 4u);
  const std::vector<std::tuple<std::string, int, int, std::string>> expected = {
      {"user_id", 1, 1, "text"},
      {"email", 2, 5, "email"},
      {"phone", 3, 3, "phone"},
      {"anonymous_id", 9, 100, "text"}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(cfg.identifiers[i].type, std::get<0>(expected[i]));
    EXPECT_EQ(cfg.identifiers[i].priority, std::get<1>(expected[i]));
    EXPECT_EQ(cfg.identifiers[i].max_per_profile, std::get<2>(expected[i]));
    EXPECT_EQ(cfg.identifiers[i].kind, std::get<3>(expected[i]));
    EXPECT_EQ(cfg.identifiers[i].default_region, "IR");
  }
  EXPECT_EQ(cfg.identifiers[0].paths,
            (std::vector<std::string>{"userId", "traits.user_id", "context.traits.user_id"}));
  EXPECT_EQ(cfg.identifiers[3].paths, (std::vector<std::string>{"anonymousId"}));
  EXPECT_TRUE(cfg.features.empty());
  EXPECT_TRUE(cfg.destinations.empty());
}

TEST(PipelineConfig, RelativeFileNameResolvesAgainstWorkingDirectory) {
  const PipelineConfig cfg =
      parse_ok("version: 1\nstore: { path: ../var/halo.db }\nsources: [ { name: a, plugin: p } ]\n",
               "config/demo.yaml", fake_env({}));
  const fs::path cwd = fs::current_path();
  EXPECT_EQ(cfg.file, (cwd / "config/demo.yaml").string());
  EXPECT_EQ(cfg.base_dir, (cwd / "config").string());
  EXPECT_EQ(cfg.store_path, (cwd / "var/halo.db").string());
}

TEST(PipelineConfig, TextWithoutFileNameResolvesAgainstWorkingDirectory) {
  const PipelineConfig cfg =
      parse_ok("version: 1\nstore: { path: var/halo.db }\nsources: [ { name: a, plugin: p } ]\n",
               "", fake_env({}));
  EXPECT_EQ(cfg.file, "");
  EXPECT_EQ(cfg.base_dir, fs::current_path().string());
  EXPECT_EQ(cfg.store_path, (fs::current_path() / "var/halo.db").string());
}

TEST(PipelineConfig, EnvSubstitutionFeedsTypedKernelFields) {
  const PipelineConfig cfg = parse_ok(
      "version: 1\n"
      "store: { path: \"${HALO_DB:-var/default.db}\" }\n"
      "run:\n"
      "  batch_size: \"${BATCH}\"\n"
      "  threads: ${THREADS:-1}\n"
      "sources: [ { name: a, plugin: p, config: { note: \"$${NOT_A_VAR}\" } } ]\n",
      "/x/p.yaml", fake_env({{"BATCH", "512"}}));
  EXPECT_EQ(cfg.store_path, "/x/var/default.db");
  EXPECT_EQ(cfg.batch_size, 512u);
  EXPECT_EQ(cfg.threads, 1);
  EXPECT_EQ(cfg.sources[0].config["note"].as<std::string>(), "${NOT_A_VAR}");
}

TEST(PipelineConfig, CopyAssignmentDoesNotWriteThroughToTheSource) {
  PipelineConfig a =
      parse_ok(kFullPipeline, "/p/a.yaml", fake_env({{"DATA_DIR", "/a"}, {"WC_KEY", "k"}}));
  const PipelineConfig b =
      parse_ok(kFullPipeline, "/p/b.yaml", fake_env({{"DATA_DIR", "/b"}, {"WC_KEY", "k"}}));
  PipelineConfig copy = a;
  copy = b;
  EXPECT_EQ(copy.sources[0].config["path"].as<std::string>(), "/b/web.jsonl");
  EXPECT_EQ(a.sources[0].config["path"].as<std::string>(), "/a/web.jsonl");
  PluginUse use = a.sources[0];
  use = b.sources[0];
  EXPECT_EQ(a.sources[0].config["path"].as<std::string>(), "/a/web.jsonl");
}

// Every kernel field survives copy-assignment (the operator is written by
// hand for the yaml-cpp nodes): plugin_timeout_ms and poll_interval once
// did not, nor a destination's concurrency, retry and quiet hours, the
// declared trait kinds, triggers and templates -- now it copies by
// construction. Assigned over a configuration that had other values.
TEST(PipelineConfig, CopyAssignmentCopiesEveryKernelField) {
  const PipelineConfig b = parse_ok(
      "version: 1\nstore: { kind: sqlite, path: x.db, cache_bytes: 2097152, log_compression_level: "
      "-3 }\n"
      "run: { plugin_timeout_ms: 1234, commit_interval_ms: 77 }\n"
      "traits: { age: { kind: number } }\n"
      "events: { Order Completed: { properties: { revenue: number } } }\n"
      "sources:\n  - { name: web, plugin: file-jsonl, poll_interval: 90s, config: { path: a } }\n"
      "destinations:\n  - { name: hooks, plugin: webhook, concurrency: 9, retry: { max_attempts: "
      "3, backoff: 5s }, quiet_hours: { from: \"21:00\", until: \"09:00\" }, config: { url: "
      "\"https://x.example\" } }\n"
      "triggers:\n  - { name: t, on: { event: Signed Up }, send: { channel: email, destination: "
      "hooks, template: w } }\n"
      "templates:\n  - { name: w, text: hi }\n",
      "/p/b.yaml", fake_env({}));
  PipelineConfig copy =
      parse_ok(kFullPipeline, "/p/a.yaml", fake_env({{"DATA_DIR", "/a"}, {"WC_KEY", "k"}}));
  copy = b;
  ASSERT_EQ(copy.destinations.size(), 1u);
  EXPECT_EQ(copy.destinations[0].concurrency, 9);
  EXPECT_EQ(copy.destinations[0].retry_max_attempts, 3);
  EXPECT_EQ(copy.destinations[0].retry_backoff_ms, 5000);
  EXPECT_EQ(copy.destinations[0].quiet_from_minute, 21 * 60);
  EXPECT_EQ(copy.trait_kinds.at("age"), TraitKind::kNumber);
  EXPECT_EQ(copy.events.at("Order Completed").properties.at("revenue"), TraitKind::kNumber);
  ASSERT_EQ(copy.triggers.size(), 1u);
  EXPECT_EQ(copy.triggers[0].event, "Signed Up");
  EXPECT_EQ(copy.templates.size(), 1u);
  EXPECT_TRUE(copy.features.empty());  // a's features are gone
  EXPECT_EQ(copy.plugin_timeout_ms, 1234);
  EXPECT_EQ(copy.commit_interval_ms, 77);
  EXPECT_EQ(copy.store_cache_bytes, 2097152);
  EXPECT_EQ(copy.store_log_compression_level, -3);
  ASSERT_EQ(copy.sources.size(), 1u);
  EXPECT_EQ(copy.sources[0].poll_interval_ms, 90000);
  EXPECT_TRUE(copy.sources[0].poll_interval_set);
}

TEST(LoadPipeline, ReadsAFileFromDisk) {
  const fs::path dir =
      fs::temp_directory_path() / ("halo_config_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "pipe.yaml";
  std::ofstream(file) << "version: 1\nstore: { path: halo.db }\n"
                         "sources: [ { name: web, plugin: file-jsonl } ]\n";
  Result<PipelineConfig> r = load_pipeline(file.string(), fake_env({}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->store_path, (dir / "halo.db").string());
  EXPECT_EQ(r->sources[0].mark.file, file.string());
  fs::remove_all(dir);
}

TEST(LoadPipeline, TheShippedDemoPipelineIsValid) {
  const std::string path = std::string(HALO_SOURCE_DIR) + "/config/demo.yaml";
  Result<PipelineConfig> r = load_pipeline(path, fake_env({}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->sources.empty());
  EXPECT_EQ(r->base_dir, std::string(HALO_SOURCE_DIR) + "/config");
}

TEST(LoadPipeline, MissingFileNamesItAndTheReason) {
  Result<PipelineConfig> r = load_pipeline("/nonexistent/dir/pipe.yaml", fake_env({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "cannot read pipeline file /nonexistent/dir/pipe.yaml: No such file or directory");
}

TEST(LoadPipeline, DirectoryIsNotAPipelineFile) {
  Result<PipelineConfig> r = load_pipeline(fs::temp_directory_path().string(), fake_env({}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("a directory, not a regular file"), std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace halo
