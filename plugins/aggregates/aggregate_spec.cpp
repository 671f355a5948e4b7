// aggregate_spec.cpp -- validation of the `features` option into
// AggregateSpec values; every error names the option path and the fix.
#include "aggregate_spec.h"

#include <xxhash.h>
#include <halo/field_path.hpp>
#include <halo/sdk.hpp>

#include <algorithm>
#include <array>
#include <optional>

#include "common/time_text.h"

namespace halo::aggregates {

namespace {

using plugins::kDayMs;
using plugins::kHourMs;
using plugins::kMinuteMs;
constexpr int64_t kMaxWindowMs = 9'999'999 * kDayMs;

const std::vector<std::string> kOps = {"count", "sum",   "avg",  "min",
                                       "max",   "first", "last", "distinct"};
const std::vector<std::string> kKeys = {"event", "type", "field", "window", "bucket"};
const std::vector<std::string> kTypes = {"identify", "track", "page", "screen", "group", "alias"};

size_t edit_distance(const std::string &a, const std::string &b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string suggestion(const std::string &word, const std::vector<std::string> &candidates) {
  std::string best = closest_match(word, candidates);
  std::string all;
  for (const auto &c : candidates) all += (all.empty() ? "" : ", ") + c;
  return (best.empty() ? "" : " (did you mean " + best + "?)") + "; expected one of " + all;
}

void check_name(const std::string &name) {
  if (name.empty() || name.find_first_of(".[]") != std::string::npos) {
    throw ConfigError("features." + name, "feature name '" + name +
                                              "' must be non-empty without '.', '[' or ']'; "
                                              "use e.g. order_count");
  }
}

Op parse_op(const std::string &word, const std::string &path) {
  auto it = std::find(kOps.begin(), kOps.end(), word);
  if (it == kOps.end()) {
    throw ConfigError(path, "unknown aggregate '" + word + "'" + suggestion(word, kOps));
  }
  return static_cast<Op>(it - kOps.begin());
}

std::string required_text(const OptionReader &options, const std::string &path,
                          const char *example) {
  auto text = options.text(path);
  if (!text || text->empty()) {
    throw ConfigError(path, std::string("expected a non-empty text value, e.g. ") + example);
  }
  return *text;
}

void parse_events(const OptionReader &options, const std::string &path, AggregateSpec &spec) {
  if (auto single = options.text(path)) {
    spec.events.push_back(required_text(options, path, "Order Completed"));
    return;
  }
  int n = options.size(path);
  if (n <= 0) throw ConfigError(path, "expected an event name or a non-empty list of names");
  for (int i = 0; i < n; ++i) {
    spec.events.push_back(
        required_text(options, path + "[" + std::to_string(i) + "]", "Order Completed"));
  }
}

void parse_type(const std::string &word, const std::string &path, AggregateSpec &spec) {
  auto it = std::find(kTypes.begin(), kTypes.end(), word);
  if (it == kTypes.end()) {
    throw ConfigError(path, "unknown event type '" + word + "'" + suggestion(word, kTypes));
  }
  spec.event_type = static_cast<int32_t>(it - kTypes.begin()) + HALO_EVENT_IDENTIFY;
}

void parse_field(const std::string &field, const std::string &path, AggregateSpec &spec) {
  if (field == "timestamp") {
    spec.field_kind = FieldKind::kTimestamp;
  } else if (field == "event") {
    spec.field_kind = FieldKind::kEventName;
  } else if (field == "source") {
    spec.field_kind = FieldKind::kSource;
  } else {
    if (!halo::well_formed_elements(field)) {
      throw ConfigError(path, "bad field '" + field +
                                  "'; `[]` follows a key and names every element of that list: "
                                  "properties.products[].price, properties.tags[]");
    }
    spec.field_kind = FieldKind::kPath;
    spec.field_path = field;
    spec.elements = halo::names_elements(field);
  }
}

// A window or bucket is a duration in the one syntax of pipelines
// (halo/units.hpp: "30d", "12h", "90m", "2w") that is a positive whole
// number of minutes, the finest bucket, and at most kMaxWindowMs.
int64_t parse_minutes(const std::string &text, const std::string &path, const char *what,
                      const char *example) {
  const std::optional<int64_t> ms = halo::parse_duration_ms(text);
  if (!ms || *ms <= 0 || *ms % kMinuteMs != 0 || *ms > kMaxWindowMs) {
    throw ConfigError(path, std::string("bad ") + what + " '" + text +
                                "'; use a positive whole number of minutes, hours, days or "
                                "weeks: Nm, Nh, Nd or Nw, e.g. " +
                                example + " (at most 9999999d)");
  }
  return *ms;
}

void parse_window(const std::string &text, const std::string &path, AggregateSpec &spec) {
  spec.window_ms = parse_minutes(text, path, "window", "30d");
  // The coarsest bucket that tiles the window exactly (README: "Windows").
  spec.bucket_ms = spec.window_ms % kDayMs == 0    ? kDayMs
                   : spec.window_ms % kHourMs == 0 ? kHourMs
                                                   : kMinuteMs;
}

// `bucket` (README: "Windows"): a finer width than the default, down to a
// minute, for windows that must slide by the minute ("the last 24 hours",
// not "today and yesterday"). Checked against the window in check_spec.
void parse_bucket(const std::string &text, const std::string &path, AggregateSpec &spec) {
  spec.explicit_bucket_ms = parse_minutes(text, path, "bucket", "1m");
}

void check_spec(AggregateSpec &spec, const std::string &path) {
  if (spec.explicit_bucket_ms != 0) {
    if (!spec.windowed()) throw ConfigError(path + ".bucket", "a bucket needs a window");
    if (spec.window_ms % spec.explicit_bucket_ms != 0) {
      throw ConfigError(path + ".bucket", "the bucket must divide the window exactly");
    }
    spec.bucket_ms = spec.explicit_bucket_ms;
  }
  bool needs_field = spec.numeric() || spec.op == Op::kDistinct;
  if (needs_field && spec.field_kind == FieldKind::kNone) {
    throw ConfigError(
        path, std::string(op_name(spec.op)) + " needs a field, e.g. { field: properties.revenue }");
  }
  bool window_ok = spec.op == Op::kCount || spec.numeric();
  if (spec.windowed() && !window_ok) {
    throw ConfigError(path + ".window", std::string("window is not supported for ") +
                                            op_name(spec.op) +
                                            "; it is for count, sum, avg, min and max");
  }
}

uint32_t fingerprint(const AggregateSpec &spec) {
  std::string canonical = spec.name + '\n' + op_name(spec.op) + '\n';
  for (const auto &e : spec.events) canonical += e + '\x1f';
  canonical += '\n' + std::to_string(spec.event_type) + '\n' +
               std::to_string(static_cast<int>(spec.field_kind)) + spec.field_path + '\n' +
               std::to_string(spec.window_ms);
  // Only a bucket given in the config counts, so states stored before the
  // key existed keep their fingerprint.
  if (spec.explicit_bucket_ms != 0) canonical += '\n' + std::to_string(spec.explicit_bucket_ms);
  return static_cast<uint32_t>(XXH3_64bits(canonical.data(), canonical.size()));
}

AggregateSpec parse_one(const OptionReader &options, const std::string &name) {
  check_name(name);
  const std::string base = "features." + name;
  int entries = options.size(base);
  if (entries != 1) {
    throw ConfigError(base,
                      "expected exactly one aggregate such as { count: { event: Order "
                      "Completed } }, found " +
                          std::to_string(std::max(entries, 0)) + " keys");
  }
  AggregateSpec spec;
  spec.name = name;
  const std::string op_word = options.key(base, 0);
  const std::string path = base + "." + op_word;
  spec.op = parse_op(op_word, path);

  int keys = options.size(path);
  if (keys < 0 && options.text(path).value_or("") != "") {
    throw ConfigError(path,
                      "expected a mapping such as { event: Order Completed, field: "
                      "properties.revenue }");
  }
  for (int j = 0; j < keys; ++j) {
    std::string key = options.key(path, j);
    std::string key_path = path + "." + key;
    if (key == "event") {
      parse_events(options, key_path, spec);
    } else if (key == "type") {
      parse_type(required_text(options, key_path, "track"), key_path, spec);
    } else if (key == "field") {
      parse_field(required_text(options, key_path, "properties.revenue"), key_path, spec);
    } else if (key == "window") {
      parse_window(required_text(options, key_path, "30d"), key_path, spec);
    } else if (key == "bucket") {
      parse_bucket(required_text(options, key_path, "1m"), key_path, spec);
    } else {
      throw ConfigError(key_path, "unknown key '" + key + "'" + suggestion(key, kKeys));
    }
  }
  check_spec(spec, path);
  spec.fingerprint = fingerprint(spec);
  return spec;
}

}  // namespace

const char *op_name(Op op) {
  return kOps[static_cast<size_t>(op)].c_str();
}

std::string closest_match(const std::string &word, const std::vector<std::string> &candidates) {
  std::string best;
  size_t best_distance = 3;
  for (const auto &c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::vector<AggregateSpec> parse_specs(const OptionReader &options) {
  std::vector<ConfigError> errors;
  std::vector<AggregateSpec> specs = parse_specs(options, errors);
  if (!errors.empty()) throw errors.front();
  return specs;
}

std::vector<AggregateSpec> parse_specs(const OptionReader &options,
                                       std::vector<ConfigError> &errors) {
  int n = options.size("features");
  if (n <= 0) {
    throw ConfigError("features",
                      "expected a map of feature name -> aggregate, e.g. "
                      "features: { order_count: { count: { event: Order Completed "
                      "} } }");
  }
  std::vector<AggregateSpec> specs;
  for (int i = 0; i < n; ++i) {
    try {
      specs.push_back(parse_one(options, options.key("features", i)));
    } catch (const ConfigError &e) {
      errors.push_back(e);
    }
  }
  return specs;
}

}  // namespace halo::aggregates
