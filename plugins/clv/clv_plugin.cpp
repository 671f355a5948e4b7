// clv_plugin.cpp -- the `clv` feature builder: per profile, the days with an
// order and their value (purchase_days.h); once per run, BG/NBD and
// Gamma-Gamma fitted over every profile (fit(), plugin ABI 1.2); per
// profile, P(alive), churn probability, expected purchases and order value,
// their product over the horizon, and where that stands among the fitted
// customers' (README.md).
//
// Invariants: options are read only in the constructor; an order whose
// value is missing, not a number, negative or above 1e13 is refused (a dead
// letter of this builder), never counted as 0; features are null until a fit has
// parameters (too few customers) or for a profile without an order.
#include <halo/sdk.hpp>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>

#include "bg_nbd.h"
#include "clv_ranks.h"
#include "common/byte_codec.h"
#include "common/order_amount.h"
#include "common/profile_states.h"
#include "common/time_text.h"
#include "gamma_gamma.h"
#include "purchase_days.h"

namespace halo::clv {
namespace {

using plugins::floor_div;
using plugins::kDayMs;

// Fewer customers than this (with an order) give no fit: the maximum of the
// likelihood is then mostly noise.
constexpr size_t kMinCustomers = 10;

class ClvBuilder final : public FeatureBuilder {
 public:
  explicit ClvBuilder(Host host)
      : FeatureBuilder(host),
        event_(host.string_option("event")),
        value_path_(host.string_option("value")),
        unit_days_(static_cast<double>(host.duration_option("time_unit").count()) / kDayMs),
        horizon_units_(static_cast<double>(host.duration_option("horizon").count()) / kDayMs /
                       unit_days_),
        // The annual rate as a rate per time unit (a week: 1.1^(7/365) - 1).
        unit_discount_(std::pow(1 + host.float_option("discount_rate"), unit_days_ / 365) - 1) {
    if (unit_days_ <= 0 || horizon_units_ <= 0) {
      throw Error("clv: time_unit and horizon must be longer than 0", HALO_FATAL);
    }
  }

  void restore(const halo_state_row *rows, size_t n) override { days_.restore(rows, n); }

  void update(const Batch &batch, const uint64_t *profile_ids) override {
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch.type(i) != HALO_EVENT_TRACK || batch.name(i) != event_) continue;
      std::optional<double> value = order_value(batch, i);
      if (!value) continue;  // refused
      days_.touch(profile_ids[i])
          .add(static_cast<int32_t>(floor_div(batch.timestamp_ms(i), kDayMs)), *value);
    }
  }

  void merge(uint64_t from, uint64_t into) override {
    days_.merge(from, into, [](PurchaseDays &to, const PurchaseDays &moved) { to.merge(moved); });
  }

  void save_dirty(const StateWriter &w) override { days_.save_dirty(w); }

  void fit(int64_t as_of_ms, const ModelWriter &w) {
    std::vector<CustomerSummary> customers;
    const int64_t end_day = floor_div(as_of_ms, kDayMs);
    days_.for_each([&](uint64_t, const PurchaseDays &days) {
      CustomerSummary c;
      if (days.summarize(end_day, unit_days_, c)) customers.push_back(c);
    });
    // In hash-map order: both fits order customers themselves, so a rebuild
    // fits exactly the same parameters.
    w.param("customers", static_cast<double>(customers.size()));
    bg_fitted_ = gg_fitted_ = false;
    ranks_ = ClvRanks();
    if (customers.size() < kMinCustomers) {
      host().warn("clv: " + std::to_string(customers.size()) + " customers with an order as of " +
                  "the reference time; at least " + std::to_string(kMinCustomers) +
                  " are needed to fit the models, so the clv features are null");
      w.data(encode_model());
      return;
    }
    std::string error;
    bg_fitted_ = fit_bg_nbd(customers, bg_, error);
    if (!bg_fitted_) throw Error("clv: " + error);
    w.param("r", bg_.r);
    w.param("alpha", bg_.alpha);
    w.param("a", bg_.a);
    w.param("b", bg_.b);
    gg_fitted_ = fit_gamma_gamma(customers, gg_, error) && gg_.q > 1;
    if (gg_fitted_) {
      w.param("p", gg_.p);
      w.param("q", gg_.q);
      w.param("v", gg_.v);
    } else {
      host().warn("clv: no spend model (" + (error.empty() ? "q <= 1" : error) +
                  "); expected_order_value, clv and clv_percentile are null");
    }
    ranks_ = ClvRanks(population_clvs(customers));
    w.data(encode_model());
  }

  // The fitted parameters, as fit() left them (load_model in plugin.h).
  // Version 1 models (before clv_percentile) load without ranks: the
  // percentile is null until the next fit.
  void load_model(std::string_view data) {
    plugins::ByteReader r(data);
    const uint8_t version = r.byte();
    if (version != 1 && version != kModelVersion) {
      throw Error("clv: stored model of another version");
    }
    const uint8_t fitted = r.byte();
    BgNbdParams bg{r.real(), r.real(), r.real(), r.real()};
    GammaGammaParams gg{r.real(), r.real(), r.real()};
    ClvRanks ranks;
    try {
      if (version >= 2) ranks = ClvRanks::decode(r);
    } catch (const std::runtime_error &e) {
      throw Error(std::string("clv: stored model: ") + e.what());
    }
    r.expect_done();
    const bool bg_ok = (fitted & 1) != 0, gg_ok = (fitted & 2) != 0;
    if (fitted > 3 || (gg_ok && !bg_ok) || (bg_ok && !positive({bg.r, bg.alpha, bg.a, bg.b})) ||
        (gg_ok && (!positive({gg.p, gg.q, gg.v}) || gg.q <= 1))) {
      throw Error("clv: stored model has parameters no fit gives");
    }
    bg_ = bg, gg_ = gg, bg_fitted_ = bg_ok, gg_fitted_ = gg_ok, ranks_ = std::move(ranks);
  }

  // emit() writes every feature for any profile, one it does not know
  // (id 0 is never a profile's) included: that is the list.
  void describe_features(const FeatureWriter &w) { emit(0, 0, w); }

  void emit(uint64_t profile_id, int64_t as_of_ms, const FeatureWriter &w) override {
    CustomerSummary c;
    const PurchaseDays *days = days_.find(profile_id);
    const int64_t end_day = floor_div(as_of_ms, kDayMs);
    const bool known = bg_fitted_ && days != nullptr && days->summarize(end_day, unit_days_, c);
    if (!known) {
      for (const char *name : {"p_alive", "churn_probability", "expected_purchases",
                               "expected_order_value", "clv", "clv_percentile"}) {
        w.null(name);
      }
      return;
    }
    const double alive = bg_nbd_p_alive(bg_, c);
    const double purchases = bg_nbd_expected_purchases(bg_, c, horizon_units_);
    number(w, "p_alive", alive);
    number(w, "churn_probability", 1 - alive);
    number(w, "expected_purchases", purchases);
    if (gg_fitted_) {
      const double order_value = gamma_gamma_expected_value(gg_, c);
      number(w, "expected_order_value", order_value);
      const double value = clv_of(c, purchases, order_value);
      number(w, "clv", value);
      const std::optional<double> rank = ranks_.percentile(value);
      if (rank) {
        number(w, "clv_percentile", *rank);
      } else {
        w.null("clv_percentile");
      }
    } else {
      w.null("expected_order_value");
      w.null("clv");
      w.null("clv_percentile");
    }
    // T grows with the reference time: the values change at the next day.
    w.valid_until((end_day + 1) * kDayMs);
  }

 private:
  // The customer's CLV over the horizon, given its expected purchases and
  // order value: discounted per time unit when a rate is set, else the
  // plain product (exactly what the features show). Needs both fits.
  double clv_of(const CustomerSummary &c, double purchases, double order_value) const {
    const double counted =
        unit_discount_ > 0 ? bg_nbd_discounted_purchases(bg_, c, horizon_units_, 1, unit_discount_)
                           : purchases;
    return counted * order_value;
  }

  // Every fitted customer's CLV as of the fit (none without both fits).
  std::vector<double> population_clvs(const std::vector<CustomerSummary> &customers) const {
    std::vector<double> out;
    if (!bg_fitted_ || !gg_fitted_) return out;
    out.reserve(customers.size());
    for (const CustomerSummary &c : customers) {
      out.push_back(clv_of(c, bg_nbd_expected_purchases(bg_, c, horizon_units_),
                           gamma_gamma_expected_value(gg_, c)));
    }
    return out;
  }

  // The order's value (exact below 1e13, so to the cent as a double), or
  // nullopt after refusing the event.
  std::optional<double> order_value(const Batch &batch, size_t i) const {
    plugins::AmountRefusal why;
    auto value = plugins::order_amount(batch, i, value_path_, why, &plugins::kMaxOrderAmount);
    if (value) return value->to_double();
    const std::string message = "clv: order value " + value_path_ + " is " + why.what +
                                "; the order is left out of the lifetime-value models";
    if (!batch.reject(i, why.reason, message)) throw Error(message);
    return std::nullopt;
  }

  static constexpr uint8_t kModelVersion = 2;  // 2: the ranked CLVs follow

  std::string encode_model() const {
    std::string out;
    plugins::ByteWriter w(out);
    w.byte(kModelVersion);
    w.byte(static_cast<uint8_t>((bg_fitted_ ? 1 : 0) | (gg_fitted_ ? 2 : 0)));
    for (double v : {bg_.r, bg_.alpha, bg_.a, bg_.b, gg_.p, gg_.q, gg_.v}) w.real(v);
    ranks_.encode(w);
    return out;
  }

  static bool positive(std::initializer_list<double> values) {
    return std::all_of(values.begin(), values.end(),
                       [](double v) { return std::isfinite(v) && v > 0; });
  }

  static void number(const FeatureWriter &w, const char *name, double value) {
    if (!std::isfinite(value)) return w.null(name);
    w.number(name, value);  // the shortest round-trip text
  }

  std::string event_, value_path_;
  double unit_days_, horizon_units_, unit_discount_;
  plugins::ProfileStates<PurchaseDays> days_{"clv"};
  BgNbdParams bg_;
  GammaGammaParams gg_;
  bool bg_fitted_ = false, gg_fitted_ = false;
  ClvRanks ranks_;  // the fitted customers' CLVs (clv_percentile)
};

constexpr halo_option_decl kOptions[] = {
    option(HALO_OPT_STRING, "event", "Order Completed", false, "The track event that is an order"),
    option(HALO_OPT_STRING, "value", "properties.revenue", false,
           "Dotted path of the order's value on that event"),
    option(HALO_OPT_DURATION, "time_unit", "7d", false,
           "The models' time unit (weeks, as the papers); recency and T are counted in it"),
    option(HALO_OPT_DURATION, "horizon", "90d", false,
           "How far ahead expected_purchases and clv look"),
    within(option(HALO_OPT_FLOAT, "discount_rate", "0", false,
                  "Annual discount rate of clv (0.1: 10% a year), applied per time unit"),
           "0", "10"),
};

}  // namespace
}  // namespace halo::clv

HALO_PLUGIN_LIBRARY(halo::describe_feature<halo::clv::ClvBuilder>(
    "clv", "1.1.0",
    "Customer lifetime value: BG/NBD P(alive), churn and expected purchases, Gamma-Gamma "
    "order value",
    halo::clv::kOptions, HALO_CAP_PARTIAL_RESTORE))
