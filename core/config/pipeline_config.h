// pipeline_config.h -- the pipeline file (schema version 1) as the kernel
// sees it after loading, ${ENV} substitution and strict validation.
//
// Invariants of a PipelineConfig returned by load_pipeline/parse_pipeline:
//  - file, base_dir, store_path and plugin_dirs are absolute and normalized;
//    relative paths in the file are resolved against the file's directory.
//  - Every key of the kernel schema was known and well typed; source names
//    are unique and match [a-z0-9_-]+; feature and destination names are
//    unique within their list.
//  - identifiers is never empty: the four defaults (user_id, email, phone,
//    anonymous_id) apply when the file has no `identity.identifiers`.
//  - Plugin `config:` mappings are not validated here (the plugin's declared
//    options are needed: see option_validation.h); they are always mappings
//    (empty when absent) and keep their file positions.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/consent_config.h"
#include "config/env_substitution.h"
#include "config/http_config.h"
#include "config/mark.h"
#include "normalize/limits.h"
#include "normalize/trait_kind.h"
#include "profile/survivorship.h"
#include "store/store_kind.h"

namespace halo {

// One use of a plugin in the pipeline: an entry of sources, features or
// destinations.
// yaml-cpp's Node::operator=(const Node&) writes through to the node it
// referred to; the assignment operators here copy-construct instead (every
// field, the nodes sharing the source's tree), so assigning a
// PluginUse/PipelineConfig never edits another one's tree.
struct PluginUse {
  PluginUse() = default;
  PluginUse(const PluginUse &) = default;
  PluginUse(PluginUse &&) = default;
  PluginUse &operator=(const PluginUse &other);

  std::string name, plugin;
  int priority = 100;  // sources: lower wins trait conflicts
  // Sources: wait after end of data before polling again (halo serve).
  int64_t poll_interval_ms = 60000;
  bool poll_interval_set = false;  // given in the YAML (else serve --interval)
  // Features with a population step: when a stored fit is reused instead
  // of fitting again (`refit`): nullopt = never (fit in every run that
  // emits, the default); kRefitOnRequest = until `halo model fit`;
  // otherwise until the run's reference time is this much past the fit's.
  std::optional<int64_t> refit_after_ms;
  static constexpr int64_t kRefitOnRequest = INT64_MAX;
  Mark refit_mark;  // the `refit` value, or `mark`
  // Destinations delivering messages (`retry: { max_attempts, backoff }`):
  // attempts per message before it is `dead`, and the delay before the
  // first retry (doubling after each, with jitter, up to 6 h).
  int64_t retry_max_attempts = 8;
  int64_t retry_backoff_ms = 30'000;
  // `quiet_hours: { from: "HH:MM", until: "HH:MM", time_zone: ZONE }`: no
  // message is delivered in [from, until) of the recipient's local day
  // (its features.time_zone when tzdata knows it, else time_zone); -1: none.
  int quiet_from_minute = -1, quiet_until_minute = -1;
  std::string quiet_time_zone = "Asia/Tehran";
  Mark quiet_mark;
  // `rate_limit: { messages: N, per: D }`: at most N messages handed to
  // the destination in any D (a token bucket of N refilled over D); 0: none.
  int64_t rate_messages = 0;
  int64_t rate_per_ms = 1'000;
  // `circuit_breaker: { failures: N, cooldown: D }`: after N messages in a
  // row end `retry` (or a whole call fails), no delivery to it for D;
  // 0 failures: never open.
  int64_t breaker_failures = 100;
  int64_t breaker_cooldown_ms = 60'000;
  // `receipt_polling: { after: D, for: D }` (destinations with
  // poll_receipts): a sent message's report is first asked for `after` its
  // send, then at doubling intervals up to 1 h, until `for` after it.
  int64_t receipt_poll_after_ms = 60'000;
  int64_t receipt_poll_for_ms = int64_t{3} * 24 * 60 * 60 * 1000;
  // `concurrency: N` (sources and destinations): HTTP requests of one
  // host http_request_many call in flight at once.
  int64_t concurrency = 4;
  YAML::Node config;  // always a mapping
  Mark mark;          // the list entry
  Mark config_mark;   // the config mapping, or `mark` when absent
};

// The name of the feature builder the kernel adds for the event history
// segment expressions read (pipeline/segment_history.h); a pipeline's own
// features may not use it.
inline constexpr std::string_view kSegmentHistoryFeature = "segment-history";

// One identifier type the resolver links profiles by.
struct IdentifierSpec {
  std::string type;
  int priority = 0;  // lower = stronger
  int max_per_profile = 100;
  // `max_per_profile: N per 7d`: the limit counts the identifiers taken
  // within any window this long (ms); 0 = ever.
  int64_t limit_window_ms = 0;
  std::string kind;                   // email | phone | text: selects the normalizer
  std::vector<std::string> paths;     // dotted event paths to read it from
  std::string default_region = "IR";  // phones without a country code
  // The identifier's block list: values that identify nobody (e.g. "0" for
  // a guest checkout), compared in normalized form; `*` matches any run of
  // characters.
  std::vector<std::string> ignore;
  // Also block the built-in placeholders of the kind (normalize/block_list.h).
  bool block_placeholders = true;
  // A value that would link more than this many distinct profiles (the
  // profiles of the refused links and demotions it took part in, and its
  // own) is quarantined: it links nothing from then on. 0 = never.
  uint32_t quarantine_after = 10;
};

// `traits:` -- per trait name, how a profile picks its value.
using TraitRules = std::map<std::string, Survivorship>;

struct PipelineConfig {
  PipelineConfig() = default;
  PipelineConfig(const PipelineConfig &) = default;
  PipelineConfig(PipelineConfig &&) = default;
  PipelineConfig &operator=(const PipelineConfig &other);

  std::string file, base_dir;
  std::string store_kind, store_path;
  std::optional<int64_t> store_cache_bytes;                       // store.cache_bytes; empty: auto
  int store_log_compression_level = kDefaultLogCompressionLevel;  // store.log_compression_level
  std::vector<std::string> plugin_dirs;
  size_t batch_size = 4096;
  int threads = 0;  // 0 = one per core
  // A commit happens when either bound is reached (and at the end of every
  // source). Each commit writes every profile changed since the last one, so
  // its cost grows with the profiles touched, not the events: a time bound
  // keeps that overhead small on fast imports while still bounding what a
  // crash makes the source re-read.
  size_t commit_every = 1000000;      // events
  int64_t commit_interval_ms = 5000;  // wall time
  // Longest one call into a plugin may take before the run is stopped
  // (0: no limit). Generous: a source call may include HTTP retries.
  int64_t plugin_timeout_ms = 600000;
  std::optional<int64_t> as_of_ms;
  std::string resolver = "deterministic";
  YAML::Node resolver_config;  // always a mapping
  Mark resolver_mark;
  Mark resolver_config_mark;  // identity.config, or resolver_mark when absent
  std::vector<IdentifierSpec> identifiers;
  // `identity.linkage`: probabilistic links between the profiles the
  // resolver made (pipeline/profile_linker.h), when has_linkage.
  bool has_linkage = false;
  YAML::Node linkage;
  Mark linkage_mark;
  TraitRules traits;  // names not listed: Survivorship::kSourcePriority
  // `traits: { NAME: { kind: KIND } }`: what the trait may hold; names not
  // listed may hold anything.
  std::map<std::string, TraitKind> trait_kinds;
  // `events:` (docs/pipeline.md "Event schemas"): the events the pipeline
  // knows, each with the kinds of its declared properties. Empty: no plan,
  // any event name passes.
  struct EventSchema {
    std::map<std::string, TraitKind> properties;
    Mark mark;  // the event's name in the file
  };
  std::map<std::string, EventSchema> events;
  // `segments:` (docs/segments.md), in file order; names unique. Their
  // expressions are parsed where the segment language is linked
  // (pipeline_setup.h), so `halo validate` reports them with the rest.
  struct Segment {
    std::string name, expression, description;
    Mark expression_mark;  // the YAML value of `expression`
  };
  std::vector<Segment> segments;
  // `triggers:` (docs/triggers.md), in file order; names unique. What a
  // trigger names (its segment, the segments of its `if`) is checked where
  // the segment language is linked (pipeline_setup.h).
  struct Trigger {
    std::string name, description;
    std::string segment;   // `on: { entered: NAME }` or `on: { exited: NAME }`
    bool on_entry = true;  // false: on exit
    std::string event;     // `on: { event: NAME }`: each such event; segment is then ""
    // `on: { event: NAME, where: EXPR }`: only the events the expression
    // (segment language over the event's fields) holds for; "" for all.
    std::string event_filter;
    // `unless: { event: NAME | [NAMES] }`: an event of one of these names
    // at or after the start (the event, entry or exit) cancels the message.
    std::vector<std::string> unless_events;
    int64_t wait_ms = 0;  // `wait`: 0 .. 366d after the entry or exit
    // `wait: { for: D, until: "HH:MM" | best_send_hour, time_zone: ZONE }`:
    // after `for`, on to the next local time of day (-1: none), or to the
    // start of the profile's `features.best_send_hour` (in its
    // `features.time_zone`, else `time_zone`) when it has one.
    int wait_until_minute = -1;
    bool wait_until_best_hour = false;
    std::string time_zone = "UTC";  // an IANA name, checked where zones load
    Mark wait_mark;
    std::string condition;        // `if`: a segment expression checked at fire time; "" for none
    int64_t holdout_percent = 0;  // `holdout`: share of profiles held out, 0 .. 100
    // `cap: { messages: N, within: D }`: at most N messages of this trigger
    // per profile in any D.
    MessageCap cap;
    std::string channel, destination, template_name;             // `send`; "" without one
    std::vector<std::pair<std::string, std::string>> variables;  // name -> path, file order
    // `set_trait: { NAME: VALUE | { from: PATH } }`: traits the trigger
    // writes when it acts, in file order: a literal (`literal`, JSON text,
    // number, true or false), or the value at `from` when it fires --
    // `fire_time`, or a profile path (traits.NAME, features.NAME).
    struct TraitAction {
      std::string name, literal, from;  // `from` "" for a literal
    };
    std::vector<TraitAction> set_traits;
    // `add_tag: NAME | [NAMES]`: values added to the `tags` trait (kept
    // with survivorship `all`).
    std::vector<std::string> add_tags;
    Mark mark, on_mark, condition_mark, unless_mark, event_filter_mark;

    bool sends() const { return !channel.empty(); }
    bool has_actions() const { return !set_traits.empty() || !add_tags.empty(); }
  };
  std::vector<Trigger> triggers;
  // `templates:` (docs/messages.md): what a message says, as Mustache text
  // over its variables; each part optional.
  struct Template {
    std::string name, subject, text, html;
    Mark mark;
  };
  std::vector<Template> templates;
  std::vector<PluginUse> sources, features, destinations;
  EventLimits limits;     // `limits:`; defaults in normalize/limits.h
  HttpConfig http;        // the optional `http:` section
  ConsentConfig consent;  // the optional `consent:` section
};

// The resolver as a plugin use (name "identity"), ready for
// validate_plugin_options("identity", ...) and OptionView.
PluginUse resolver_plugin_use(const PipelineConfig &cfg);

// Reads, substitutes and validates the pipeline file at `path`. Messages name
// the file as `path` was given.
Result<PipelineConfig> load_pipeline(const std::string &path, const EnvLookup &env = process_env());

// Same for text already in memory; `file_for_messages` is used in messages
// and (made absolute against the working directory) to resolve relative
// paths. When it is empty, `file` stays empty and paths resolve against the
// working directory.
Result<PipelineConfig> parse_pipeline(const std::string &yaml_text,
                                      const std::string &file_for_messages, const EnvLookup &env);

}  // namespace halo
