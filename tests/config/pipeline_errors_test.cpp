// pipeline_errors_test.cpp -- every class of pipeline file error, with the
// exact file:line:col, key path and fix in the message.
#include <gtest/gtest.h>

#include <algorithm>

#include "config/pipeline_config.h"
#include "test_env.h"

namespace halo {
namespace {

using testing::fake_env;

const char *kFile = "config/demo.yaml";
const std::string kHead = "version: 1\nstore: { path: var/halo.db }\n";  // lines 1-2
const std::string kSource = "sources: [ { name: web, plugin: file-jsonl } ]\n";

// The whole error text of parsing `text` (fails the test when it parses).
std::string error_of(const std::string &text, const EnvLookup &env = fake_env({})) {
  Result<PipelineConfig> r = parse_pipeline(text, kFile, env);
  EXPECT_FALSE(r.ok()) << "expected an error for:\n" << text;
  return r.ok() ? "" : r.status().message();
}

TEST(PipelineErrors, UnknownKeyInSourceSuggestsTheRightOne) {
  const std::string text =
      "version: 1\n"
      "store:\n"
      "  kind: sqlite\n"
      "  path: var/halo.db\n"
      "sources:\n"
      "  - name: web\n"
      "    plugin: file-jsonl\n"
      "    config:\n"
      "      path: data/web.jsonl\n"
      "  - name: shop\n"
      "    plugin: woocommerce\n"
      "    plugn: woocommerce\n";
  EXPECT_EQ(error_of(text),
            "config/demo.yaml:12:5: sources[1].plugn: unknown key 'plugn' (did you mean "
            "'plugin'?)");
}

// segments: a list of { name, expression, description } with unique
// plain names; their expressions are parsed by the pipeline (validate).
TEST(PipelineErrors, SegmentsNeedANameAndAnExpression) {
  EXPECT_EQ(error_of(kHead + kSource + "segments: { a: 1 }\n"),
            "config/demo.yaml:4:11: segments: expected a list of { name, expression }, got a "
            "mapping");
  EXPECT_EQ(error_of(kHead + kSource + "segments: [ { name: a } ]\n"),
            "config/demo.yaml:4:13: segments[0].expression: missing required key 'expression' "
            "(add expression: features.orders >= 2)");
  // Both problems at once: the misspelt key and the missing one.
  EXPECT_EQ(error_of(kHead + kSource + "segments: [ { name: a, expresion: x } ]\n"),
            "config/demo.yaml:4:13: segments[0].expression: missing required key 'expression' "
            "(add expression: features.orders >= 2)\nconfig/demo.yaml:4:24: "
            "segments[0].expresion: unknown key 'expresion' (did you mean 'expression'?)");
}

TEST(PipelineErrors, UnknownTopLevelKeyListsValidKeysWhenNothingIsClose) {
  EXPECT_EQ(error_of(kHead + kSource + "wibble: 1\n"),
            "config/demo.yaml:4:1: wibble: unknown key 'wibble' (valid keys: version, store, "
            "plugin_dirs, run, identity, sources, features, destinations, limits, http, traits, "
            "segments, triggers, templates, consent, events)");
  EXPECT_EQ(error_of(kHead + kSource + "destination: []\n"),
            "config/demo.yaml:4:1: destination: unknown key 'destination' (did you mean "
            "'destinations'?)");
}

TEST(PipelineErrors, UnknownKeysInNestedSections) {
  EXPECT_EQ(error_of(kHead + kSource + "run: { batch: 10 }\n"),
            "config/demo.yaml:4:8: run.batch: unknown key 'batch' (did you mean 'batch_size'?)");
  EXPECT_EQ(error_of(kHead + kSource + "identity:\n  resolvr: x\n"),
            "config/demo.yaml:5:3: identity.resolvr: unknown key 'resolvr' (did you mean "
            "'resolver'?)");
  EXPECT_EQ(
      error_of(kHead + kSource + "identity:\n  identifiers:\n    - { type: email, prio: 1 }\n"),
      "config/demo.yaml:6:22: identity.identifiers[0].prio: unknown key 'prio' (did you "
      "mean 'priority'?)");
  EXPECT_EQ(error_of("version: 1\nstore: { path: a.db, knd: sqlite }\n" + kSource),
            "config/demo.yaml:2:22: store.knd: unknown key 'knd' (did you mean 'kind'?)");
  // Features take no priority.
  EXPECT_EQ(error_of(kHead + kSource + "features: [ { plugin: rfm, priority: 1 } ]\n"),
            "config/demo.yaml:4:28: features[0].priority: unknown key 'priority' (valid keys: "
            "name, plugin, refit, config)");
  // `refit` is for features only, and a policy or a duration in bounds.
  EXPECT_EQ(error_of(kHead + kSource + "features: [ { plugin: rfm, refit: 30s } ]\n"),
            "config/demo.yaml:4:35: features[0].refit: refit '30s' must be each_run, on_request "
            "or a duration from 1m to 366d such as 1d");
  EXPECT_NE(error_of("version: 1\nstore: { path: a.db }\nsources: [ { name: s, plugin: p, "
                     "refit: 1d } ]\n")
                .find("unknown key 'refit'"),
            std::string::npos);
}

TEST(PipelineErrors, BadYamlSyntaxGivesParserPosition) {
  EXPECT_EQ(error_of("version: 1\nsources: [ { name: web\n"),
            "config/demo.yaml:3:1: invalid YAML: end of map flow not found");
  const std::string tab = error_of("version: 1\nstore:\n\tpath: x\n");
  EXPECT_EQ(tab.rfind("config/demo.yaml:3:", 0), 0u) << tab;
  EXPECT_NE(tab.find("invalid YAML: "), std::string::npos) << tab;
}

TEST(PipelineErrors, TypeErrorsShowPathAndValue) {
  EXPECT_EQ(error_of(kHead + kSource + "run:\n  batch_size: abc\n"),
            "config/demo.yaml:5:15: run.batch_size: expected an integer, got 'abc'");
  EXPECT_EQ(error_of(kHead + kSource + "run:\n  threads: 12abc\n"),
            "config/demo.yaml:5:12: run.threads: expected an integer, got '12abc'");
  EXPECT_EQ(error_of(kHead + kSource + "run:\n  commit_every: [1]\n"),
            "config/demo.yaml:5:17: run.commit_every: expected an integer, got a list");
  EXPECT_EQ(error_of(kHead + kSource + "run:\n  batch_size:\n"),
            "config/demo.yaml:5:3: run.batch_size: expected an integer, got nothing");
  EXPECT_EQ(error_of(kHead + kSource + "run:\n  batch_size: 0\n"),
            "config/demo.yaml:5:15: run.batch_size: must be between 1 and 16777216, got 0");
  EXPECT_EQ(error_of(kHead + kSource + "run: { as_of: yesterday }\n"),
            "config/demo.yaml:4:15: run.as_of: expected an ISO-8601 UTC timestamp such as "
            "2026-01-01T00:00:00Z, got 'yesterday'");
  EXPECT_EQ(error_of(kHead + kSource + "plugin_dirs: extra\n"),
            "config/demo.yaml:4:14: plugin_dirs: expected a list of strings, got 'extra'");
  EXPECT_EQ(error_of(kHead + kSource + "run: 5\n"),
            "config/demo.yaml:4:6: run: expected a mapping (key: value pairs), got '5'");
}

// Issue 8: a long value may be a token pasted into the wrong key; it is
// described by its length, never quoted.
TEST(PipelineErrors, LongValuesAreNotQuotedInMessages) {
  const std::string long_value(200, 'x');
  EXPECT_EQ(error_of(kHead + kSource + "run: { threads: " + long_value + " }\n"),
            "config/demo.yaml:4:17: run.threads: expected an integer, got a 200-byte value (not "
            "shown: it may be a secret)");
}

TEST(PipelineErrors, VersionMustBeOne) {
  EXPECT_EQ(error_of("version: 2\nstore: { path: a.db }\n" + kSource),
            "config/demo.yaml:1:10: version: unsupported version 2 (this halo reads version 1 "
            "pipeline files; write `version: 1`)");
  EXPECT_EQ(error_of("version: one\n"),
            "config/demo.yaml:1:10: version: expected an integer, got 'one'");
  EXPECT_EQ(error_of("store: { path: a.db }\n" + kSource),
            "config/demo.yaml:1:1: version: missing required key 'version' (add `version: 1` at "
            "the top of the file)");
}

TEST(PipelineErrors, EmptyOrNonMappingFile) {
  EXPECT_EQ(error_of(""),
            "config/demo.yaml:1:1: the pipeline file is empty (start it with `version: 1`)");
  EXPECT_EQ(error_of("- a\n- b\n"),
            "config/demo.yaml:1:1: expected a mapping at the top level (version:, store:, "
            "sources:, ...), got a list");
}

TEST(PipelineErrors, DuplicateNamesAreRejected) {
  EXPECT_EQ(error_of(kHead + "sources:\n"
                             "  - { name: web, plugin: file-jsonl }\n"
                             "  - { name: web, plugin: file-csv }\n"),
            "config/demo.yaml:5:13: sources[1].name: duplicate source name 'web' (also used at "
            "config/demo.yaml:4:13; give each a unique `name:`)");
  // Feature names default to the plugin name, so two unnamed uses collide.
  EXPECT_EQ(error_of(kHead + kSource + "features: [ { plugin: rfm }, { plugin: rfm } ]\n"),
            "config/demo.yaml:4:30: features[1].name: duplicate feature name 'rfm' (also used "
            "at config/demo.yaml:4:13; give each a unique `name:`)");
  EXPECT_EQ(error_of(kHead + kSource +
                     "destinations:\n"
                     "  - { name: out, plugin: file-jsonl }\n"
                     "  - { name: out, plugin: webhook }\n"),
            "config/demo.yaml:6:13: destinations[1].name: duplicate destination name 'out' (also "
            "used at config/demo.yaml:5:13; give each a unique `name:`)");
}

// receipt_polling: { after, for } on a destination, each bounded.
TEST(PipelineErrors, ReceiptPollingIsBounded) {
  const std::string head =
      kHead + kSource + "destinations:\n  - name: sms\n    plugin: kavenegar\n";
  EXPECT_EQ(error_of(head + "    receipt_polling: { after: 2d, for: 10s }\n"),
            "config/demo.yaml:7:31: destinations[0].receipt_polling.after: after '2d' must be a "
            "duration from 0s to 1d such as 1m\n"
            "config/demo.yaml:7:40: destinations[0].receipt_polling.for: for '10s' must be a "
            "duration from 1m to 30d such as 3d");
  EXPECT_EQ(error_of(head + "    receipt_polling: { every: 1m }\n"),
            "config/demo.yaml:7:24: destinations[0].receipt_polling.every: unknown key 'every' "
            "(valid keys: after, for)");
  Result<PipelineConfig> ok =
      parse_pipeline(head + "    receipt_polling: { after: 0s, for: 30d }\n", kFile, fake_env({}));
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->destinations[0].receipt_poll_after_ms, 0);
  EXPECT_EQ(ok->destinations[0].receipt_poll_for_ms, int64_t{30} * 24 * 60 * 60 * 1000);
  Result<PipelineConfig> defaults = parse_pipeline(head, kFile, fake_env({}));
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_EQ(defaults->destinations[0].receipt_poll_after_ms, 60'000);
}

// concurrency: 1 .. 64 on sources and destinations, default 4.
TEST(PipelineErrors, ConcurrencyIsBoundedAndOnlyForSourcesAndDestinations) {
  const std::string head =
      kHead + kSource + "destinations:\n  - name: hooks\n    plugin: webhook\n";
  EXPECT_EQ(error_of(head + "    concurrency: 0\n"),
            "config/demo.yaml:7:18: destinations[0].concurrency: must be between 1 and 64, got 0");
  EXPECT_EQ(error_of(head + "    concurrency: 65\n"),
            "config/demo.yaml:7:18: destinations[0].concurrency: must be between 1 and 64, got 65");
  EXPECT_EQ(error_of(head + "    concurrency: many\n"),
            "config/demo.yaml:7:18: destinations[0].concurrency: expected an integer, got 'many'");
  const std::string feature =
      error_of(kHead + kSource + "features: [ { plugin: rfm, concurrency: 2 } ]\n");
  EXPECT_NE(feature.find("features[0].concurrency: unknown key 'concurrency'"), std::string::npos)
      << feature;
  Result<PipelineConfig> ok =
      parse_pipeline(kHead +
                         "sources: [ { name: web, plugin: hubspot, concurrency: 64 } ]\n"
                         "destinations: [ { name: hooks, plugin: webhook, concurrency: 1 } ]\n",
                     kFile, fake_env({}));
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->sources[0].concurrency, 64);
  EXPECT_EQ(ok->destinations[0].concurrency, 1);
  Result<PipelineConfig> defaults = parse_pipeline(head, kFile, fake_env({}));
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_EQ(defaults->destinations[0].concurrency, 4);
  EXPECT_EQ(defaults->sources[0].concurrency, 4);
}

TEST(PipelineErrors, TheHistoryBuildersNameIsReservedForFeatures) {
  const std::string err =
      error_of(kHead + kSource + "features: [ { name: segment-history, plugin: aggregates } ]\n");
  EXPECT_NE(err.find("features[0].name: feature name 'segment-history' is reserved"),
            std::string::npos)
      << err;
}

TEST(PipelineErrors, DuplicateYamlKeysAreRejected) {
  EXPECT_EQ(error_of(kHead + "sources: [ { name: web, plugin: a, plugin: b } ]\n"),
            "config/demo.yaml:3:36: sources[0].plugin: duplicate key 'plugin' (first given at "
            "config/demo.yaml:3:25; keep only one)");
}

TEST(PipelineErrors, SourcesAreRequiredAndWellFormed) {
  EXPECT_EQ(error_of(kHead),
            "config/demo.yaml:1:1: sources: at least one source is required (add e.g. `sources: "
            "[ { name: web, plugin: file-jsonl, config: { path: data/events.jsonl } } ]`)");
  EXPECT_EQ(
      error_of(kHead + "sources: []\n").rfind("config/demo.yaml:3:10: sources: at least one", 0),
      0u);
  EXPECT_EQ(error_of(kHead + "sources: web\n"),
            "config/demo.yaml:3:10: sources: expected a list of source entries, got 'web'");
  EXPECT_EQ(error_of(kHead + "sources: [ { name: web } ]\n"),
            "config/demo.yaml:3:12: sources[0].plugin: missing required key 'plugin' (add "
            "plugin: PLUGIN_NAME)");
  EXPECT_EQ(error_of(kHead + "sources: [ { plugin: file-jsonl } ]\n"),
            "config/demo.yaml:3:12: sources[0].name: missing required key 'name' (add name: a "
            "unique name such as web)");
  EXPECT_EQ(error_of(kHead + "sources: [ { name: Web Shop, plugin: p } ]\n"),
            "config/demo.yaml:3:20: sources[0].name: source name 'Web Shop' must match "
            "[a-z0-9_-]+ (it keys the source's saved cursor)");
  EXPECT_EQ(error_of(kHead + "sources: [ { name: web, plugin: p, config: [1, 2] } ]\n"),
            "config/demo.yaml:3:44: sources[0].config: expected a mapping (key: value pairs), "
            "got a list");
  EXPECT_EQ(error_of(kHead + "sources: [ { name: web, plugin: p, priority: high } ]\n"),
            "config/demo.yaml:3:46: sources[0].priority: expected an integer, got 'high'");
}

TEST(PipelineErrors, StoreErrors) {
  EXPECT_EQ(error_of("version: 1\n" + kSource),
            "config/demo.yaml:1:1: store: missing required key 'store' (add `store: { kind: "
            "sqlite, path: var/halo.db }`)");
  EXPECT_EQ(error_of("version: 1\nstore: { kind: postgres, path: x }\n" + kSource),
            "config/demo.yaml:2:16: store.kind: store kind 'postgres' is not implemented yet "
            "(use kind: sqlite)");
  EXPECT_EQ(error_of("version: 1\nstore: { kind: sqlit, path: x }\n" + kSource),
            "config/demo.yaml:2:16: store.kind: unknown store kind 'sqlit' (did you mean "
            "'sqlite'?)");
  EXPECT_EQ(error_of("version: 1\nstore: { kind: sqlite }\n" + kSource),
            "config/demo.yaml:2:8: store.path: missing required key 'path' (add path: "
            "var/halo.db)");
  EXPECT_EQ(error_of("version: 1\nstore: { path: x, cache_bytes: 1000 }\n" + kSource),
            "config/demo.yaml:2:32: store.cache_bytes: must be between 1048576 and 68719476736, "
            "got 1000");
  EXPECT_EQ(error_of("version: 1\nstore: { path: x, cache_bytes: automatic }\n" + kSource),
            "config/demo.yaml:2:32: store.cache_bytes: expected a number of bytes or auto, got "
            "'automatic'");
  EXPECT_EQ(error_of("version: 1\nstore: { path: x, cache_bytes: [1] }\n" + kSource),
            "config/demo.yaml:2:32: store.cache_bytes: expected an integer, got a list");
  EXPECT_EQ(
      error_of("version: 1\nstore: { path: x, log_compression_level: 20 }\n" + kSource),
      "config/demo.yaml:2:42: store.log_compression_level: must be between -7 and 19, got 20");
  EXPECT_EQ(error_of("version: 1\nstore: { path: x, log_compression_level: fast }\n" + kSource),
            "config/demo.yaml:2:42: store.log_compression_level: expected an integer, got 'fast'");
}

TEST(PipelineErrors, TraitRuleErrors) {
  EXPECT_EQ(error_of(kHead + kSource + "traits:\n  interests: { survivorship: every }\n"),
            "config/demo.yaml:5:30: traits.interests.survivorship: unknown survivorship 'every' "
            "(one of source_priority, most_recent, first_seen, all, most_frequent)");
  EXPECT_EQ(error_of(kHead + kSource + "traits:\n  interests: { keep: all }\n"),
            "config/demo.yaml:5:14: traits.interests.survivorship: missing required key "
            "'survivorship' (add survivorship: most_recent)\n"
            "config/demo.yaml:5:16: traits.interests.keep: unknown key 'keep' (valid keys: "
            "survivorship, kind)");
  EXPECT_EQ(error_of(kHead + kSource + "traits: [interests]\n"),
            "config/demo.yaml:4:9: traits: expected a mapping of trait names, got a list");
  EXPECT_EQ(error_of(kHead + kSource + "traits:\n  age: { kind: integer }\n"),
            "config/demo.yaml:5:16: traits.age.kind: unknown kind 'integer' (one of number, text, "
            "bool, time)");
  // A kind alone is enough; with a rule, both apply.
  Result<PipelineConfig> ok = parse_pipeline(kHead + kSource +
                                                 "traits:\n  age: { kind: number }\n"
                                                 "  interests: { survivorship: all, kind: text }\n",
                                             kFile, fake_env({}));
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->trait_kinds.at("age"), TraitKind::kNumber);
  EXPECT_EQ(ok->trait_kinds.at("interests"), TraitKind::kText);
  EXPECT_EQ(ok->traits.count("age"), 0u);
  EXPECT_EQ(ok->traits.at("interests"), Survivorship::kAll);
}

TEST(PipelineErrors, EventSchemaErrors) {
  EXPECT_EQ(error_of(kHead + kSource + "events: [Order Completed]\n"),
            "config/demo.yaml:4:9: events: expected a mapping of event names (e.g. Order "
            "Completed: { properties: { revenue: number } }), got a list");
  EXPECT_EQ(error_of(kHead + kSource +
                     "events:\n  Order Completed: { properties: { revenue: money } }\n"),
            "config/demo.yaml:5:45: events.Order Completed.properties.revenue: unknown kind "
            "'money' (one of number, text, bool, time)");
  EXPECT_EQ(
      error_of(kHead + kSource + "events:\n  Order Completed: { properties: { a..b: number } }\n"),
      "config/demo.yaml:5:36: events.Order Completed.properties.a..b: a property name is a "
      "key under `properties`, or a dotted path of keys to a nested value (shipping.city), "
      "with `[]` after the key of a list to name its elements (products[].sku, tags[]): no "
      "empty key, no other brackets, at most 128 bytes");
  for (const char *bad : {"'[]'", "'a[].[]'", "'a[0].b'", "'a[]b'", "'a]['", "'[]a'", "'a.[]'"}) {
    EXPECT_NE(error_of(kHead + kSource + "events:\n  Order Completed: { properties: { " +
                       std::string(bad) + ": number } }\n")
                  .find("a property name is a key under `properties`"),
              std::string::npos)
        << bad;
  }
  // A list and what it holds, or a list and an object, are two shapes of
  // one property. (Brackets open a list in a YAML flow mapping: block
  // style, or quotes.)
  const std::string plan = "events:\n  Order Completed:\n    properties:\n";
  EXPECT_EQ(
      error_of(kHead + kSource + plan + "      products[]: text\n      products[].sku: text\n"),
      "config/demo.yaml:8:7: events.Order Completed.properties.products[].sku: "
      "'products[].sku' lies inside 'products[]', which is declared as a text: declare one "
      "of them (the nested one if 'products[]' is an object)");
  EXPECT_EQ(error_of(kHead + kSource + plan +
                     "      products[].sku: text\n      products.count: number\n"),
            "config/demo.yaml:7:7: events.Order Completed.properties.products[].sku: "
            "'products[].sku' and 'products.count' give 'products' two shapes (a list is marked "
            "`[]` after its key, the same in every name that passes through it)");
  EXPECT_EQ(error_of(kHead + kSource + plan + "      tags: text\n      'tags[]': text\n"),
            "config/demo.yaml:8:7: events.Order Completed.properties.tags[]: 'tags[]' and 'tags' "
            "give 'tags' two shapes (a list is marked `[]` after its key, the same in every name "
            "that passes through it)");
  EXPECT_EQ(error_of(kHead + kSource +
                     "events:\n  Order Completed: { properties: { shipping: text, "
                     "shipping.city: text } }\n"),
            "config/demo.yaml:5:52: events.Order Completed.properties.shipping.city: "
            "'shipping.city' lies inside 'shipping', which is declared as a text: declare one of "
            "them (the nested one if 'shipping' is an object)");
  EXPECT_EQ(error_of(kHead + kSource + "events:\n  Order Completed: { props: {} }\n"),
            "config/demo.yaml:5:22: events.Order Completed.props: unknown key 'props' (valid keys: "
            "properties)");
  EXPECT_EQ(error_of(kHead + kSource + "events:\n  Order Completed: { properties: [revenue] }\n"),
            "config/demo.yaml:5:34: events.Order Completed.properties: expected a mapping of "
            "property names to kinds (e.g. { revenue: number }), got a list");
  Result<PipelineConfig> ok =
      parse_pipeline(kHead + kSource +
                         "events:\n  Order Completed: { properties: { revenue: number, coupon: "
                         "text, shipping.city: text, shipping.cost: number, \"products[].sku\": "
                         "text, 'products[].price': number, \"tags[]\": text, \"grid[][]\": "
                         "number } }\n  Signed Up:\n"
                         "  ثبت سفارش: {}\n",
                     kFile, fake_env({}));
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  ASSERT_EQ(ok->events.size(), 3u);
  EXPECT_EQ(ok->events.at("Order Completed").properties.at("revenue"), TraitKind::kNumber);
  EXPECT_EQ(ok->events.at("Order Completed").properties.at("coupon"), TraitKind::kText);
  EXPECT_EQ(ok->events.at("Order Completed").properties.at("shipping.cost"), TraitKind::kNumber);
  EXPECT_EQ(ok->events.at("Order Completed").properties.at("products[].price"), TraitKind::kNumber);
  EXPECT_EQ(ok->events.at("Order Completed").properties.at("grid[][]"), TraitKind::kNumber);
  EXPECT_TRUE(ok->events.at("Signed Up").properties.empty());
  EXPECT_TRUE(ok->events.at("ثبت سفارش").properties.empty());
}

TEST(PipelineErrors, IdentifierErrors) {
  const std::string pre = kHead + kSource + "identity:\n  identifiers:\n";  // entries on line 6+
  EXPECT_EQ(error_of(pre + "    - { type: email, kind: mail }\n"),
            "config/demo.yaml:6:28: identity.identifiers[0].kind: unknown identifier kind 'mail' "
            "(use email, phone or text)");
  EXPECT_EQ(error_of(pre + "    - { type: phone, default_region: IRN }\n"),
            "config/demo.yaml:6:38: identity.identifiers[0].default_region: expected a 2-letter "
            "country code such as IR or DE, got 'IRN'");
  EXPECT_EQ(error_of(pre + "    - { type: Email }\n"),
            "config/demo.yaml:6:15: identity.identifiers[0].type: identifier type 'Email' must "
            "match [a-z0-9_]+ (e.g. woo_customer_id)");
  EXPECT_EQ(error_of(pre + "    - { type: email }\n    - { type: email }\n"),
            "config/demo.yaml:7:7: identity.identifiers[1].type: identifier type 'email' is "
            "listed twice (keep one entry)");
  EXPECT_EQ(error_of(pre + "    - { type: email, block_placeholders: maybe }\n"),
            "config/demo.yaml:6:42: identity.identifiers[0].block_placeholders: expected true or "
            "false, got 'maybe'");
  EXPECT_EQ(error_of(pre + "    - { type: email, max_per_profile: 0 }\n"),
            "config/demo.yaml:6:39: identity.identifiers[0].max_per_profile: must be between 1 "
            "and 1000000, got 0");
  EXPECT_EQ(error_of(pre + "    - { type: anonymous_id, max_per_profile: 5 per week }\n"),
            "config/demo.yaml:6:46: identity.identifiers[0].max_per_profile: max_per_profile '5 "
            "per week' must be a count from 1 to 1000000, or a count per duration from 1m to "
            "3660d such as 5 per 7d");
  EXPECT_EQ(error_of(pre + "    - { type: anonymous_id, max_per_profile: 0 per 7d }\n"),
            "config/demo.yaml:6:46: identity.identifiers[0].max_per_profile: max_per_profile '0 "
            "per 7d' must be a count from 1 to 1000000, or a count per duration from 1m to "
            "3660d such as 5 per 7d");
  EXPECT_EQ(error_of(pre + "    - { type: anonymous_id, max_per_profile: 5 per 30s }\n"),
            "config/demo.yaml:6:46: identity.identifiers[0].max_per_profile: max_per_profile '5 "
            "per 30s' must be a count from 1 to 1000000, or a count per duration from 1m to "
            "3660d such as 5 per 7d");
  EXPECT_EQ(error_of(pre + "    - { type: email, quarantine_after: -1 }\n"),
            "config/demo.yaml:6:40: identity.identifiers[0].quarantine_after: must be between 0 "
            "and 1000000, got -1");
  EXPECT_EQ(error_of(pre + "    - { type: linked }\n"),
            "config/demo.yaml:6:15: identity.identifiers[0].type: identifier type 'linked' is "
            "reserved for the links of identity.linkage (choose another name)");
  EXPECT_EQ(error_of(pre + "    - { priority: 1 }\n"),
            "config/demo.yaml:6:7: identity.identifiers[0].type: missing required key 'type' "
            "(add type: email)");
  EXPECT_EQ(error_of(pre + "    - { type: email, paths: [ [a] ] }\n"),
            "config/demo.yaml:6:31: identity.identifiers[0].paths[0]: expected a string, got a "
            "list");
  EXPECT_EQ(error_of(kHead + kSource + "identity: { identifiers: [] }\n"),
            "config/demo.yaml:4:26: identity.identifiers: the list is empty (remove the key to "
            "use the default identifiers)");
}

TEST(PipelineErrors, ManyErrorsAreCapped) {
  std::string text = kHead + kSource + "run:\n";
  for (int i = 0; i < 60; ++i) text += "  bad" + std::to_string(i) + ": 1\n";
  const std::string message = error_of(text);
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 50);  // 50 errors + summary
  EXPECT_NE(message.find("\n... and 10 more errors"), std::string::npos);
  EXPECT_EQ(message.rfind("config/demo.yaml:5:3: run.bad0: unknown key 'bad0'", 0), 0u);
}

TEST(PipelineErrors, MissingEnvironmentVariable) {
  EXPECT_EQ(error_of(kHead + "sources:\n  - name: shop\n    plugin: woocommerce\n"
                             "    config: { key: \"${WC_KEY}\" }\n"),
            "config/demo.yaml:6:20: sources[0].config.key: environment variable 'WC_KEY' is not "
            "set (export WC_KEY=... or write ${WC_KEY:-default})");
}

TEST(PipelineErrors, AllErrorsAreReportedAtOnce) {
  const std::string message = error_of(kHead + kSource +
                                       "run:\n"
                                       "  batch_size: big\n"
                                       "  threds: 2\n");
  EXPECT_EQ(message,
            "config/demo.yaml:5:15: run.batch_size: expected an integer, got 'big'\n"
            "config/demo.yaml:6:3: run.threds: unknown key 'threds' (did you mean 'threads'?)");
}

}  // namespace
}  // namespace halo
