// plugin_uses.cpp -- reading plugin use lists with unique, well-formed names.
#include "config/plugin_uses.h"

#include <cctype>
#include <map>

#include <halo/units.hpp>

#include "config/map_reader.h"
#include "config/scalar_parse.h"

namespace halo {
namespace {

std::vector<std::string> allowed_keys(PluginRole role) {
  if (role == PluginRole::kSource) {
    return {"name", "plugin", "priority", "poll_interval", "concurrency", "config"};
  }
  if (role == PluginRole::kFeature) return {"name", "plugin", "refit", "config"};
  if (role == PluginRole::kDestination) {
    return {"name",       "plugin",          "retry",           "quiet_hours",
            "rate_limit", "circuit_breaker", "receipt_polling", "concurrency",
            "config"};
  }
  return {"name", "plugin", "config"};
}

constexpr int64_t kDayMs = int64_t{24} * 60 * 60 * 1000;
// HTTP requests of one plugin in flight at once (`concurrency`): one
// thread each while they run.
constexpr int64_t kMaxConcurrency = 64;

// A duration in [min_ms, max_ms] already read from `key`, or an error that
// says what the key takes (`expected`).
std::optional<int64_t> bounded_duration(MapReader &map, Diagnostics &diags, const char *key,
                                        const std::string &text, int64_t min_ms, int64_t max_ms,
                                        const char *expected) {
  std::optional<int64_t> ms = parse_duration_ms(text);
  if (ms && *ms >= min_ms && *ms <= max_ms) return ms;
  diags.error(map.value_mark(key), map.path_of(key),
              std::string(key) + " '" + shorten_for_message(text) + "' must be " + expected);
  return std::nullopt;
}

// Reads the duration at `key` into `out` when it is given and within
// [min_ms, max_ms] (else reports it, as bounded_duration); whether it was.
bool read_duration(MapReader &map, Diagnostics &diags, const char *key, int64_t min_ms,
                   int64_t max_ms, const char *expected, int64_t &out) {
  std::string text;
  if (!map.read_string(key, text)) return false;
  auto ms = bounded_duration(map, diags, key, text, min_ms, max_ms, expected);
  if (ms) out = *ms;
  return ms.has_value();
}

// `poll_interval`: how long `halo serve` waits after the source reported
// end of data before asking it again. Bounded to 1 s .. 7 days so a typo
// neither hammers an API nor silently stops polling.
void read_poll_interval(MapReader &map, Diagnostics &diags, PluginUse &use) {
  use.poll_interval_set =
      read_duration(map, diags, "poll_interval", 1000, 7 * kDayMs,
                    "a duration from 1s to 7d such as 30s, 5m or 1h", use.poll_interval_ms);
}

// `refit` (features): `each_run` (the default), `on_request`, or a
// duration from 1m to 366d after which a stored fit is fitted again.
void read_refit(MapReader &map, Diagnostics &diags, PluginUse &use) {
  std::string text;
  use.refit_mark = map.has("refit") ? map.value_mark("refit") : map.mark();
  if (!map.read_string("refit", text) || text == "each_run") return;
  if (text == "on_request") {
    use.refit_after_ms = PluginUse::kRefitOnRequest;
    return;
  }
  use.refit_after_ms =
      bounded_duration(map, diags, "refit", text, 60 * 1000, 366 * kDayMs,
                       "each_run, on_request or a duration from 1m to 366d such as 1d");
}

// `retry: { max_attempts: 1 .. 100, backoff: 0s .. 1d }` (destinations
// delivering messages).
void read_retry(MapReader &entry, Diagnostics &diags, PluginUse &use) {
  YAML::Node retry;
  Mark at;
  if (!entry.has("retry") || !entry.read_mapping("retry", retry, at)) return;
  MapReader map(retry, entry.path_of("retry"), {"max_attempts", "backoff"}, diags, at);
  map.read_int("max_attempts", use.retry_max_attempts, 1, 100);
  read_duration(map, diags, "backoff", 0, kDayMs, "a duration from 0s to 1d such as 30s or 5m",
                use.retry_backoff_ms);
}

// `rate_limit: { messages: 1 .. 1,000,000, per: 1s .. 1h }` (default per 1s).
void read_rate_limit(MapReader &entry, Diagnostics &diags, PluginUse &use) {
  YAML::Node limit;
  Mark at;
  if (!entry.has("rate_limit") || !entry.read_mapping("rate_limit", limit, at)) return;
  MapReader map(limit, entry.path_of("rate_limit"), {"messages", "per"}, diags, at);
  if (map.require("messages", "messages: 50")) {
    map.read_int("messages", use.rate_messages, 1, 1'000'000);
  }
  read_duration(map, diags, "per", 1'000, 60 * 60 * 1000,
                "a duration from 1s to 1h such as 1s or 1m", use.rate_per_ms);
}

// `circuit_breaker: { failures: 0 .. 10,000, cooldown: 1s .. 1d }`.
void read_circuit_breaker(MapReader &entry, Diagnostics &diags, PluginUse &use) {
  YAML::Node breaker;
  Mark at;
  if (!entry.has("circuit_breaker") || !entry.read_mapping("circuit_breaker", breaker, at)) {
    return;
  }
  MapReader map(breaker, entry.path_of("circuit_breaker"), {"failures", "cooldown"}, diags, at);
  map.read_int("failures", use.breaker_failures, 0, 10'000);
  read_duration(map, diags, "cooldown", 1'000, kDayMs, "a duration from 1s to 1d such as 30s or 5m",
                use.breaker_cooldown_ms);
}

// `receipt_polling: { after: 0s .. 1d, for: 1m .. 30d }` (destinations
// whose delivery reports are polled, plugin.h poll_receipts).
void read_receipt_polling(MapReader &entry, Diagnostics &diags, PluginUse &use) {
  YAML::Node polling;
  Mark at;
  if (!entry.has("receipt_polling") || !entry.read_mapping("receipt_polling", polling, at)) {
    return;
  }
  MapReader map(polling, entry.path_of("receipt_polling"), {"after", "for"}, diags, at);
  read_duration(map, diags, "after", 0, kDayMs, "a duration from 0s to 1d such as 1m",
                use.receipt_poll_after_ms);
  read_duration(map, diags, "for", 60 * 1000, 30 * kDayMs, "a duration from 1m to 30d such as 3d",
                use.receipt_poll_for_ms);
}

// `quiet_hours: { from: "21:00", until: "09:00", time_zone: Asia/Tehran }`
// (destinations delivering messages); the zone is checked where zones load.
void read_quiet_hours(MapReader &entry, Diagnostics &diags, PluginUse &use) {
  YAML::Node quiet;
  if (!entry.has("quiet_hours") || !entry.read_mapping("quiet_hours", quiet, use.quiet_mark)) {
    return;
  }
  MapReader map(quiet, entry.path_of("quiet_hours"), {"from", "until", "time_zone"}, diags,
                use.quiet_mark);
  map.read_string("time_zone", use.quiet_time_zone);
  int *const minutes[] = {&use.quiet_from_minute, &use.quiet_until_minute};
  const char *const keys[] = {"from", "until"};
  for (int k = 0; k < 2; ++k) {
    std::string text;
    if (!map.require(keys[k], std::string(keys[k]) + ": \"21:00\"") ||
        !map.read_string(keys[k], text)) {
      continue;
    }
    std::optional<int> minute = parse_minute_of_day(text);
    if (minute) {
      *minutes[k] = *minute;
      continue;
    }
    diags.error(map.value_mark(keys[k]), map.path_of(keys[k]),
                std::string(keys[k]) + " '" + shorten_for_message(text) +
                    "' must be a local time of day HH:MM such as \"21:00\" (quoted)");
  }
  if (use.quiet_from_minute >= 0 && use.quiet_from_minute == use.quiet_until_minute) {
    diags.error(use.quiet_mark, entry.path_of("quiet_hours"),
                "from and until are the same time: leave quiet_hours out for none");
  }
}

// Reads entry `index`; false when it has no usable plugin.
bool read_use(const YAML::Node &node, const std::string &path, PluginRole role,
              const Mark &fallback, Diagnostics &diags, PluginUse &use, Mark &name_mark) {
  MapReader map(node, path, allowed_keys(role), diags, fallback);
  use.mark = map.mark();
  name_mark = map.value_mark("name");
  if (!map.is_mapping()) return false;
  const bool has_plugin = map.require("plugin", "plugin: PLUGIN_NAME");
  if (role == PluginRole::kSource) map.require("name", "name: a unique name such as web");
  bool ok = has_plugin && map.read_string("plugin", use.plugin);
  if (map.read_string("name", use.name)) {
    if (role == PluginRole::kSource && !is_plain_name(use.name)) {
      diags.error(map.value_mark("name"), map.path_of("name"),
                  "source name '" + shorten_for_message(use.name) +
                      "' must match [a-z0-9_-]+ (it keys the source's saved cursor)");
      ok = false;
    }
  } else if (role != PluginRole::kSource && !map.has("name")) {
    use.name = use.plugin;
  } else {
    ok = false;
  }
  if (role == PluginRole::kFeature && use.name == kSegmentHistoryFeature) {
    diags.error(map.value_mark("name"), map.path_of("name"),
                std::string("feature name '") + std::string(kSegmentHistoryFeature) +
                    "' is reserved: the kernel keeps the event history of segment expressions "
                    "under it; give this feature another `name:`");
    ok = false;
  }
  int64_t priority = use.priority;
  if (map.read_int("priority", priority, -1000000, 1000000))
    use.priority = static_cast<int>(priority);
  if (role == PluginRole::kSource) read_poll_interval(map, diags, use);
  if (role == PluginRole::kSource || role == PluginRole::kDestination) {
    map.read_int("concurrency", use.concurrency, 1, kMaxConcurrency);
  }
  if (role == PluginRole::kFeature) read_refit(map, diags, use);
  if (role == PluginRole::kDestination) {
    read_retry(map, diags, use);
    read_quiet_hours(map, diags, use);
    read_rate_limit(map, diags, use);
    read_circuit_breaker(map, diags, use);
    read_receipt_polling(map, diags, use);
  }
  map.read_mapping("config", use.config, use.config_mark);
  if (!map.has("config")) use.config_mark = use.mark;
  return ok;
}

const char *role_noun(PluginRole role) {
  switch (role) {
    case PluginRole::kSource:
      return "source";
    case PluginRole::kFeature:
      return "feature";
    case PluginRole::kDestination:
      return "destination";
  }
  return "entry";
}

}  // namespace

std::vector<PluginUse> read_plugin_uses(const YAML::Node &node, const std::string &key,
                                        PluginRole role, bool required, const Mark &fallback,
                                        Diagnostics &diags) {
  std::vector<PluginUse> uses;
  const Mark at = mark_or(node, fallback);
  const bool empty = !node.IsDefined() || node.IsNull() || (node.IsSequence() && node.size() == 0);
  if (empty) {
    if (required) {
      diags.error(
          at, key,
          std::string("at least one ") + role_noun(role) + " is required (add e.g. `" + key +
              ": [ { name: web, plugin: file-jsonl, config: { path: data/events.jsonl } } ]`)");
    }
    return uses;
  }
  if (!expect_list(node, key, at, diags,
                   std::string("a list of ") + role_noun(role) + " entries")) {
    return uses;
  }
  std::map<std::string, Mark> names;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string path = index_path(key, i);
    PluginUse use;
    Mark name_mark;
    if (!read_use(node[i], path, role, at, diags, use, name_mark)) continue;
    auto [first, inserted] = names.emplace(use.name, name_mark);
    if (!inserted) {
      diags.error(name_mark, path + ".name",
                  std::string("duplicate ") + role_noun(role) + " name '" +
                      shorten_for_message(use.name) + "' (also used at " + first->second.str() +
                      "; give each a unique `name:`)");
      continue;
    }
    uses.push_back(std::move(use));
  }
  return uses;
}

}  // namespace halo
