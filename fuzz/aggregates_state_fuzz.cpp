// aggregates_state_fuzz.cpp -- libFuzzer target for the aggregates plugin's
// stored per-profile state (plugins/aggregates/state_codec.h), which the
// engine restores from a store that may be damaged or edited by hand.
// The engine has one feature of every op (count, sum, avg, min, max, first,
// last, distinct) and a windowed sum.
// Invariants checked:
//  - A rejected blob leaves no profile and no pooled part behind.
//  - An accepted blob re-encodes to bytes that decode and encode again to
//    the same bytes, and that restore to the same emitted values.
//  - Merging an accepted profile into a profile with events either reports
//    an overflow (halo::Error) or yields a state whose saved blob restores
//    to the same emitted values.
#include <halo/sdk.hpp>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aggregate_engine.h"
#include "state_codec.h"

namespace {

using halo::aggregates::AggregateEngine;
using halo::aggregates::AggregateSpec;

// Options from a fixed table: feature name -> (op, {key, value}...).
struct Feature {
  const char *name, *op;
  std::vector<std::pair<const char *, const char *>> keys;
};

const std::vector<Feature> kFeatures = {
    {"orders", "count", {{"event", "Order Completed"}}},
    {"revenue", "sum", {{"field", "properties.revenue"}}},
    {"basket", "avg", {{"field", "properties.revenue"}}},
    {"low", "min", {{"field", "properties.revenue"}}},
    {"high", "max", {{"field", "properties.revenue"}}},
    {"first_seen", "first", {}},
    {"last_plan", "last", {{"field", "properties.plan"}}},
    {"products", "distinct", {{"field", "properties.product_id"}}},
    {"revenue_7d", "sum", {{"field", "properties.revenue"}, {"window", "7d"}}},
};

class TableOptions final : public halo::aggregates::OptionReader {
 public:
  int size(const std::string &path) const override {
    if (path == "features") return static_cast<int>(kFeatures.size());
    for (const Feature &f : kFeatures) {
      std::string base = std::string("features.") + f.name;
      if (path == base) return 1;
      if (path == base + "." + f.op) return static_cast<int>(f.keys.size());
    }
    return -1;
  }
  std::string key(const std::string &path, int index) const override {
    if (path == "features") return kFeatures[static_cast<size_t>(index)].name;
    for (const Feature &f : kFeatures) {
      std::string base = std::string("features.") + f.name;
      if (path == base) return f.op;
      if (path == base + "." + f.op) return f.keys[static_cast<size_t>(index)].first;
    }
    return {};
  }
  std::optional<std::string> text(const std::string &path) const override {
    for (const Feature &f : kFeatures) {
      std::string base = std::string("features.") + f.name + "." + f.op + ".";
      for (const auto &[k, v] : f.keys) {
        if (path == base + k) return std::string(v);
      }
    }
    return std::nullopt;
  }
};

const std::vector<AggregateSpec> &specs() {
  static const std::vector<AggregateSpec> parsed = parse_specs(TableOptions());
  return parsed;
}

// A few events of one shape: name, time, revenue, plan and product.
struct Event {
  const char *name;
  int64_t timestamp_ms;
  const char *revenue, *plan, *product;
};

class Events final : public halo::aggregates::EventSource {
 public:
  explicit Events(std::vector<Event> events) : events_(std::move(events)) {}
  size_t size() const override { return events_.size(); }
  int32_t type(size_t) const override { return HALO_EVENT_TRACK; }
  std::string_view name(size_t i) const override { return events_[i].name; }
  std::string_view source(size_t) const override { return "shop"; }
  int64_t timestamp_ms(size_t i) const override { return events_[i].timestamp_ms; }
  uint64_t sequence(size_t i) const override { return i + 1; }
  std::optional<halo::aggregates::FieldValue> field(size_t i,
                                                    const std::string &path) const override {
    const Event &e = events_[i];
    if (path == "properties.revenue")
      return halo::aggregates::FieldValue{HALO_VALUE_NUMBER, false, e.revenue};
    if (path == "properties.plan")
      return halo::aggregates::FieldValue{HALO_VALUE_STRING, false, e.plan};
    if (path == "properties.product_id") {
      return halo::aggregates::FieldValue{HALO_VALUE_STRING, false, e.product};
    }
    return std::nullopt;
  }
  void elements(size_t, std::string_view,
                std::vector<halo::aggregates::FieldValue> &) const override {
  }  // the sample events hold no lists

 private:
  std::vector<Event> events_;
};

const std::vector<Event> kSample = {
    {"Order Completed", 1767225600000, "120.50", "pro", "SKU-1"},
    {"Order Completed", 1767830400000, "-3", "basic", "SKU-2"},
    {"Page Viewed", 1768089600000, "0.05", "pro", "SKU-1"},
};

class Values final : public halo::aggregates::FeatureSink {
 public:
  void integer(const std::string &n, int64_t v) override { put(n, "i" + std::to_string(v)); }
  void number(const std::string &n, std::string_view t) override { put(n, "n" + std::string(t)); }
  void string(const std::string &n, std::string_view v) override { put(n, "s" + std::string(v)); }
  void boolean(const std::string &n, bool v) override { put(n, v ? "btrue" : "bfalse"); }
  void null(const std::string &n) override { put(n, "null"); }
  std::map<std::string, std::string> values;

 private:
  void put(const std::string &n, std::string v) {
    if (!values.emplace(n, std::move(v)).second) std::abort();  // one value per feature
  }
};

constexpr int64_t kAsOf[] = {0, 1768089600000, 1799999999999};

std::vector<std::map<std::string, std::string>> emitted(const AggregateEngine &engine,
                                                        uint64_t id) {
  std::vector<std::map<std::string, std::string>> out;
  for (int64_t as_of : kAsOf) {
    Values v;
    engine.emit(id, as_of, v);
    if (v.values.size() != specs().size()) std::abort();
    out.push_back(std::move(v.values));
  }
  return out;
}

bool restores(AggregateEngine &engine, uint64_t id, std::string_view blob) {
  try {
    engine.restore(id, blob);
    return true;
  } catch (const halo::Error &) {
    return false;
  }
}

bool holds_nothing(const AggregateEngine &engine) {
  const auto &pools = engine.pools();
  return engine.profile_count() == 0 && pools.texts.live() == 0 && pools.windows.live() == 0 &&
         pools.hashes.live() == 0;
}

// decode -> encode with the codec alone: the canonical bytes of a blob.
std::string reencode(std::string_view blob) {
  halo::aggregates::RecordLayout layout = halo::aggregates::RecordLayout::of(specs());
  std::vector<std::byte> record(layout.record_bytes);
  halo::aggregates::StatePools pools;
  halo::aggregates::decode_states(specs(), layout, blob, record.data(), pools);
  std::string out;
  encode_states(specs(), layout, record.data(), pools, out);
  for (size_t f = 0; f < specs().size(); ++f) {
    release(layout.kinds[f], record.data() + layout.offsets[f], pools);
  }
  return out;
}

std::string saved(AggregateEngine &engine, uint64_t id) {
  std::string blob;
  bool found = false;
  engine.save_dirty([&](uint64_t profile, std::string_view b) {
    if (profile == id) {
      blob.assign(b);
      found = true;
    }
  });
  if (!found) std::abort();
  return blob;
}

void check_merge(AggregateEngine &engine, uint64_t from) {
  constexpr uint64_t kInto = 7;
  std::vector<uint64_t> ids(kSample.size(), kInto);
  engine.update(Events(kSample), ids.data(), [](size_t, const char *, const std::string &) {});
  try {
    engine.merge(from, kInto);
  } catch (const halo::Error &) {
    return;  // a sum beyond Decimal's range is reported, not wrapped
  }
  if (engine.profile_count() != 1) std::abort();
  AggregateEngine again(specs());
  if (!restores(again, kInto, saved(engine, kInto))) std::abort();
  if (emitted(again, kInto) != emitted(engine, kInto)) std::abort();
}

}  // namespace

// Seeds: the blobs of kSample's profile and of smaller ones (used by a
// one-off generator that includes this file).
std::vector<std::string> aggregates_state_seeds() {
  std::vector<std::string> out;
  for (size_t n = 1; n <= kSample.size(); ++n) {
    AggregateEngine engine(specs());
    std::vector<Event> events(kSample.begin(), kSample.begin() + static_cast<ptrdiff_t>(n));
    std::vector<uint64_t> ids(n, 1);
    engine.update(Events(events), ids.data(), [](size_t, const char *, const std::string &) {});
    out.push_back(saved(engine, 1));
  }
  return out;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view blob(reinterpret_cast<const char *>(data), size);
  constexpr uint64_t kProfile = 3;
  AggregateEngine engine(specs());
  if (!restores(engine, kProfile, blob)) {
    if (!holds_nothing(engine)) std::abort();
    return 0;
  }
  if (engine.profile_count() != 1) std::abort();
  const std::string canonical = reencode(blob);
  if (reencode(canonical) != canonical) std::abort();
  AggregateEngine again(specs());
  if (!restores(again, kProfile, canonical)) std::abort();
  if (emitted(again, kProfile) != emitted(engine, kProfile)) std::abort();
  check_merge(engine, kProfile);
  return 0;
}
