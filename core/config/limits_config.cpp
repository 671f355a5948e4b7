// limits_config.cpp -- reads `limits:` with MapReader (unknown keys, types
// and ranges reported like every other section). The defaults live in
// EventLimits only, so they are written once.
#include "config/limits_config.h"

#include "config/map_reader.h"

namespace halo {

namespace {

const std::vector<std::string> kLimitKeys = {"max_record_bytes", "max_depth",
                                             "max_string_bytes", "max_fields",
                                             "max_identifiers",  "max_number_digits"};

template <class T>
void read_limit(MapReader &limits, const char *key, int64_t min, int64_t max, T &out) {
  int64_t value = 0;
  if (limits.read_int(key, value, min, max)) out = static_cast<T>(value);
}

}  // namespace

void read_limits(const YAML::Node &node, const Mark &fallback, Diagnostics &diags,
                 PipelineConfig &cfg) {
  MapReader limits(node, "limits", kLimitKeys, diags, fallback);
  if (!limits.is_mapping()) return;
  EventLimits &l = cfg.limits;
  read_limit(limits, "max_record_bytes", kMinRecordBytes, kMaxRecordBytes, l.max_record_bytes);
  read_limit(limits, "max_depth", 1, kMaxDepthCap, l.max_depth);
  read_limit(limits, "max_string_bytes", 1, kMaxStringBytesCap, l.max_string_bytes);
  read_limit(limits, "max_fields", 1, kMaxFieldsCap, l.max_fields);
  read_limit(limits, "max_identifiers", 1, kMaxIdentifiersCap, l.max_identifiers);
  read_limit(limits, "max_number_digits", 1, kMaxNumberDigitsCap, l.max_number_digits);
}

}  // namespace halo
