// aggregates_plugin.cpp -- the `aggregates` feature-builder plugin: a thin
// adapter from the SDK (options, batches, state and feature writers) to
// AggregateEngine. The semantics live in the engine and feature_state.cpp.
//
// Invariants: options are read only in the constructor; every exception is
// turned into a status by the SDK adapter.
#include <halo/field_path.hpp>
#include <halo/sdk.hpp>

#include <cstdlib>

#include "aggregate_engine.h"

namespace halo::aggregates {
namespace {

class HostOptionReader final : public OptionReader {
 public:
  explicit HostOptionReader(const Host &host) : host_(host) {}
  int size(const std::string &path) const override { return host_.opt_size(path); }
  std::string key(const std::string &path, int index) const override {
    return host_.opt_key(path, index);
  }
  std::optional<std::string> text(const std::string &path) const override {
    auto v = host_.opt_string(path);
    if (!v) return std::nullopt;
    return std::string(*v);
  }

 private:
  const Host &host_;
};

class BatchEvents final : public EventSource {
 public:
  explicit BatchEvents(const Batch &batch) : batch_(batch), size_(batch.size()) {}
  size_t size() const override { return size_; }
  int32_t type(size_t i) const override { return batch_.type(i); }
  std::string_view name(size_t i) const override { return batch_.name(i); }
  std::string_view source(size_t i) const override { return batch_.source(i); }
  int64_t timestamp_ms(size_t i) const override { return batch_.timestamp_ms(i); }
  uint64_t sequence(size_t i) const override { return batch_.sequence(i); }
  std::optional<FieldValue> field(size_t i, const std::string &path) const override {
    auto v = batch_.field(i, path.c_str());
    if (!v) return std::nullopt;
    return FieldValue{static_cast<halo_value_kind>(v->kind), v->boolean != 0, value_text(*v)};
  }
  void elements(size_t i, std::string_view pattern, std::vector<FieldValue> &out) const override {
    for (size_t k = 0, n = batch_.field_count(i); k < n; ++k) {
      const auto [path, v] = batch_.field_at(i, k);
      if (!element_path_matches(pattern, path)) continue;
      out.push_back({static_cast<halo_value_kind>(v.kind), v.boolean != 0, value_text(v)});
    }
  }

 private:
  const Batch &batch_;
  size_t size_;
};

class WriterSink final : public FeatureSink {
 public:
  explicit WriterSink(const FeatureWriter &w) : w_(w) {}
  void integer(const std::string &name, int64_t value) override { w_.integer(name.c_str(), value); }
  void number(const std::string &name, std::string_view text) override {
    std::string copy(text);  // strtod needs a terminator
    w_.number(name.c_str(), std::strtod(copy.c_str(), nullptr), text);
  }
  void string(const std::string &name, std::string_view value) override {
    w_.string(name.c_str(), value);
  }
  void boolean(const std::string &name, bool value) override { w_.boolean(name.c_str(), value); }
  void null(const std::string &name) override { w_.null(name.c_str()); }

 private:
  const FeatureWriter &w_;
};

// Every bad feature is reported (halo validate lists them all): all but
// the last through the host, the last thrown for the SDK to report.
std::vector<AggregateSpec> checked_specs(const Host &host) {
  std::vector<ConfigError> errors;
  std::vector<AggregateSpec> specs = parse_specs(HostOptionReader(host), errors);
  if (errors.empty()) return specs;
  for (size_t i = 0; i + 1 < errors.size(); ++i) {
    host.api()->config_error(host.context(), errors[i].path().c_str(), errors[i].what());
  }
  throw errors.back();
}

class AggregatesBuilder final : public FeatureBuilder {
 public:
  explicit AggregatesBuilder(Host host) : FeatureBuilder(host), engine_(checked_specs(host)) {}

  void restore(const halo_state_row *rows, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      engine_.restore(rows[i].profile_id,
                      std::string_view(static_cast<const char *>(rows[i].data), rows[i].len));
    }
    // Restores may come in many calls (HALO_CAP_PARTIAL_RESTORE): say it once.
    if (uint64_t stale = engine_.take_stale_features(); stale > 0 && !warned_stale_) {
      warned_stale_ = true;
      host().warn("aggregates: " + std::to_string(stale) +
                  " stored feature states belong to features no longer configured (or "
                  "configured differently) and were ignored; run `halo rebuild` so the "
                  "changed features cover past events");
    }
  }

  void update(const Batch &batch, const uint64_t *profile_ids) override {
    engine_.update(BatchEvents(batch), profile_ids,
                   [&](size_t i, const char *reason, const std::string &message) {
                     // A host older than ABI 1.2 cannot skip one event: fail
                     // the call (state untouched up to here for this event).
                     if (!batch.reject(i, reason, message)) throw Error(message);
                   });
  }

  void merge(uint64_t from, uint64_t into) override { engine_.merge(from, into); }

  void save_dirty(const StateWriter &w) override {
    engine_.save_dirty([&](uint64_t profile, std::string_view blob) {
      w.write(profile, blob.data(), blob.size());
    });
  }

  // emit() writes every feature for any profile, one it does not know
  // (id 0 is never a profile's) included: that is the list.
  void describe_features(const FeatureWriter &w) { emit(0, 0, w); }

  void emit(uint64_t profile_id, int64_t as_of_ms, const FeatureWriter &w) override {
    WriterSink sink(w);
    int64_t next_change = engine_.emit(profile_id, as_of_ms, sink);
    if (next_change != INT64_MAX) w.valid_until(next_change);
  }

 private:
  AggregateEngine engine_;
  bool warned_stale_ = false;
};

constexpr halo_option_decl kOptions[] = {
    option(HALO_OPT_MAP, "features", nullptr, true,
           "Feature name -> one aggregate { count|sum|avg|min|max|first|last|distinct: "
           "{ event, type, field, window, bucket } }"),
};

}  // namespace
}  // namespace halo::aggregates

HALO_PLUGIN_LIBRARY(halo::describe_feature<halo::aggregates::AggregatesBuilder>(
    "aggregates", "1.0.0",
    "Per-profile counts, exact sums, averages, min/max, first/last and distinct counts",
    halo::aggregates::kOptions, HALO_CAP_PARTIAL_RESTORE))
