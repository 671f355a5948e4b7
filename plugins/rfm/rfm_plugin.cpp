// rfm_plugin.cpp -- the `rfm` feature builder: per profile, every order's
// time and value (order_history.h); once per run, 1-5 scores by quintiles
// over every customer (quintile_scale.h, fit() of plugin ABI 1.2); per
// profile, recency, frequency, monetary value, their scores and the named
// segment (segment_map.h). README.md has the options and the rules.
//
// Invariants: options are read only in the constructor; an order whose
// value is missing, not a number, negative or above 1e13 is refused (a dead
// letter of this builder), never counted as 0; features are null for a
// profile without an order as of the reference time.
#include <halo/sdk.hpp>

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/byte_codec.h"
#include "common/order_amount.h"
#include "common/profile_states.h"
#include "common/string_keyed.h"
#include "order_history.h"
#include "quintile_scale.h"
#include "segment_map.h"

namespace halo::rfm {
namespace {

constexpr const char *kFeatures[] = {"recency_days", "frequency", "monetary",  "r_score",
                                     "f_score",      "m_score",   "rfm_score", "rfm_segment"};

plugins::StringSet from_list(const std::vector<std::string> &names) {
  return {names.begin(), names.end()};
}

ScoreRange read_range(const Host &host, const std::string &path) {
  ScoreRange range;
  if (host.opt_size(path) >= 0 ||
      (host.opt_string(path) && !parse_score_range(std::string(*host.opt_string(path)), range))) {
    throw ConfigError(path, "expected a score or a range of scores such as 5 or 4-5 (1 to 5)");
  }
  return range;
}

SegmentMap read_segments(const Host &host) {
  const int n = host.opt_size("segments");
  if (n < 0) return SegmentMap::standard();
  std::vector<SegmentRule> rules;
  for (int i = 0; i < n; ++i) {
    const std::string at = "segments[" + std::to_string(i) + "]";
    for (int k = 0; k < host.opt_size(at); ++k) {
      const std::string key = host.opt_key(at, k);
      if (key != "name" && key != "r" && key != "f" && key != "m") {
        throw ConfigError(at + "." + key, "unknown key; a rule has name, r, f and m");
      }
    }
    SegmentRule rule{host.opt_string_or(at + ".name", ""), read_range(host, at + ".r"),
                     read_range(host, at + ".f"), read_range(host, at + ".m")};
    if (rule.name.empty()) throw ConfigError(at + ".name", "every rule needs a segment name");
    rules.push_back(std::move(rule));
  }
  try {
    return SegmentMap(std::move(rules));
  } catch (const std::invalid_argument &e) {
    throw ConfigError("segments", e.what());
  }
}

class RfmBuilder final : public FeatureBuilder {
 public:
  explicit RfmBuilder(Host host)
      : FeatureBuilder(host),
        events_(from_list(host.string_list_option("events"))),
        value_path_(host.string_option("value")),
        window_ms_(host.duration_option("window").count()),
        segments_(read_segments(host)) {
    if (window_ms_ <= 0) throw ConfigError("window", "must be longer than 0");
  }

  void restore(const halo_state_row *rows, size_t n) override { orders_.restore(rows, n); }

  void update(const Batch &batch, const uint64_t *profile_ids) override {
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch.type(i) != HALO_EVENT_TRACK || !events_.contains(batch.name(i))) {
        continue;
      }
      std::optional<Decimal> value = order_value(batch, i);
      if (!value) continue;  // refused
      orders_.touch(profile_ids[i]).add(batch.timestamp_ms(i), *value);
    }
  }

  void merge(uint64_t from, uint64_t into) override {
    orders_.merge(from, into, [](OrderHistory &to, const OrderHistory &moved) { to.merge(moved); });
  }

  void save_dirty(const StateWriter &w) override { orders_.save_dirty(w); }

  void fit(int64_t as_of_ms, const ModelWriter &w) {
    std::vector<int64_t> recency;  // negated: fewer days is better
    std::vector<int64_t> frequency;
    std::vector<Decimal> monetary;
    orders_.for_each([&](uint64_t, const OrderHistory &history) {
      auto v = history.values(as_of_ms, window_ms_);
      if (!v) return;
      recency.push_back(-v->recency_days);
      frequency.push_back(v->frequency);
      monetary.push_back(v->monetary);
    });
    w.param("customers", static_cast<double>(recency.size()));
    // Each scale sorts its values: the hash-map order above does not matter.
    recency_ = QuintileScale<int64_t>(std::move(recency));
    frequency_ = QuintileScale<int64_t>(std::move(frequency));
    monetary_ = QuintileScale<Decimal>(std::move(monetary));
    for (int s = 2; s <= 5; ++s) {
      const std::string k = std::to_string(s);
      if (auto r = recency_.least_for(s)) w.param("r" + k, static_cast<double>(-*r));
      if (auto f = frequency_.least_for(s)) w.param("f" + k, static_cast<double>(*f));
      if (auto m = monetary_.least_for(s)) w.param("m" + k, m->to_double());
    }
    w.data(encode_model());
  }

  // The three scales' thresholds, exact, as fit() left them (load_model in
  // plugin.h).
  void load_model(std::string_view data) {
    plugins::ByteReader r(data);
    if (r.byte() != kModelVersion) throw Error("rfm: stored model of another version");
    auto recency = read_scale<int64_t>(r), frequency = read_scale<int64_t>(r);
    auto monetary = read_scale<Decimal>(r);
    r.expect_done();
    if (!recency || !frequency || !monetary) throw Error("rfm: stored model is not a scale");
    recency_ = *recency, frequency_ = *frequency, monetary_ = *monetary;
  }

  // emit() writes every feature for any profile, one it does not know
  // (id 0 is never a profile's) included: that is the list.
  void describe_features(const FeatureWriter &w) { emit(0, 0, w); }

  void emit(uint64_t profile_id, int64_t as_of_ms, const FeatureWriter &w) override {
    const OrderHistory *history = orders_.find(profile_id);
    auto v = history == nullptr ? std::nullopt : history->values(as_of_ms, window_ms_);
    if (!v) {
      for (const char *name : kFeatures) w.null(name);
      if (history != nullptr) w.valid_until(history->next_change(as_of_ms, window_ms_));
      return;
    }
    const int r = recency_.score(-v->recency_days), f = frequency_.score(v->frequency),
              m = monetary_.score(v->monetary);
    w.integer("recency_days", v->recency_days);
    w.integer("frequency", v->frequency);
    w.number("monetary", v->monetary.to_double(), v->monetary.to_string());
    w.integer("r_score", r);
    w.integer("f_score", f);
    w.integer("m_score", m);
    w.string("rfm_score", std::to_string(r * 100 + f * 10 + m));
    w.string("rfm_segment", segments_.name(r, f, m));
    w.valid_until(history->next_change(as_of_ms, window_ms_));
  }

 private:
  // The order's exact value, or nullopt after refusing the event.
  std::optional<Decimal> order_value(const Batch &batch, size_t i) const {
    plugins::AmountRefusal why;
    std::optional<Decimal> value =
        plugins::order_amount(batch, i, value_path_, why, &plugins::kMaxOrderAmount);
    if (value) return value;
    const std::string message = "rfm: order value " + value_path_ + " is " + why.what +
                                "; the order is left out of recency, frequency and monetary";
    if (!batch.reject(i, why.reason, message)) throw Error(message);
    return std::nullopt;
  }

  static constexpr uint8_t kModelVersion = 1;

  std::string encode_model() const {
    std::string out;
    plugins::ByteWriter w(out);
    w.byte(kModelVersion);
    write_scale(w, recency_);
    write_scale(w, frequency_);
    write_scale(w, monetary_);
    return out;
  }

  // Each threshold: a presence byte, then the value (a Decimal by its
  // exact raw units).
  template <class T>
  static void write_scale(plugins::ByteWriter &w, const QuintileScale<T> &scale) {
    for (int s = 2; s <= 5; ++s) {
      const std::optional<T> &t = scale.least_for(s);
      w.byte(t ? 1 : 0);
      if (!t) continue;
      if constexpr (std::is_same_v<T, Decimal>) {
        w.svarint(t->raw());
      } else {
        w.svarint(*t);
      }
    }
  }

  template <class T>
  static std::optional<QuintileScale<T>> read_scale(plugins::ByteReader &r) {
    std::array<std::optional<T>, 4> thresholds;
    for (auto &t : thresholds) {
      const uint8_t present = r.byte();
      if (present > 1) return std::nullopt;
      if (present == 0) continue;
      const __int128 v = r.svarint();
      if constexpr (std::is_same_v<T, Decimal>) {
        t = Decimal::from_raw(v);
      } else {
        if (v < INT64_MIN || v > INT64_MAX) return std::nullopt;
        t = static_cast<int64_t>(v);
      }
    }
    return QuintileScale<T>::from_thresholds(thresholds);
  }

  plugins::StringSet events_;
  std::string value_path_;
  int64_t window_ms_;
  SegmentMap segments_;
  plugins::ProfileStates<OrderHistory> orders_{"rfm"};
  QuintileScale<int64_t> recency_, frequency_;
  QuintileScale<Decimal> monetary_;
};

constexpr halo_option_decl kOptions[] = {
    option(HALO_OPT_STRING_LIST, "events", "[Order Completed]", false,
           "The track events that are orders"),
    option(HALO_OPT_STRING, "value", "properties.revenue", false,
           "Dotted path of the order's value on those events"),
    option(HALO_OPT_DURATION, "window", "365d", false,
           "Frequency and monetary count the orders of this long before the reference time"),
    option(HALO_OPT_LIST, "segments", nullptr, false,
           "Segment rules { name, r, f, m } in order, the first match names the segment "
           "(default: the standard eleven, README.md)"),
};

}  // namespace
}  // namespace halo::rfm

HALO_PLUGIN_LIBRARY(halo::describe_feature<halo::rfm::RfmBuilder>(
    "rfm", "1.0.0",
    "RFM: recency, frequency and monetary value, 1-5 quintile scores and named segments",
    halo::rfm::kOptions, HALO_CAP_PARTIAL_RESTORE))
