// loyalty_plugin.cpp -- the `loyalty` feature builder: per profile, every
// purchase (in the program's currency, with the points it earned), positive
// feedback and referral (activity.h); once per run, the spend percentiles
// percentile badges need (fit() of plugin ABI 1.2); per profile, points,
// tier, badges and the stage on the loyalty ladder with its reason
// (program_rules.h). README.md has the options and the rules.
//
// Invariants: options are read only in the constructor; an order whose
// amount or currency cannot be used exactly, or a review or survey whose
// score is not a number, is refused (a dead letter of this builder), never
// counted as 0.
#include <halo/sdk.hpp>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "activity.h"
#include "common/byte_codec.h"
#include "common/order_amount.h"
#include "common/profile_states.h"
#include "common/string_keyed.h"
#include "money.h"
#include "program_rules.h"

namespace halo::loyalty {
namespace {

Decimal decimal_option(const Host &host, const std::string &path) {
  auto d = Decimal::parse(host.string_option(path));
  if (!d || d->raw() < 0) throw ConfigError(path, "expected a number >= 0 such as 100000 or 2.5");
  return *d;
}

std::map<std::string, Decimal> read_rates(const Host &host) {
  std::map<std::string, Decimal> rates;
  for (int i = 0; i < host.opt_size("rates"); ++i) {
    const std::string code = host.opt_key("rates", i);
    const Decimal rate = decimal_option(host, "rates." + code);
    if (rate.raw() == 0) throw ConfigError("rates." + code, "a rate must be more than 0");
    rates[code] = rate;
  }
  return rates;
}

int64_t count_key(const Host &host, const std::string &path) {
  auto v = host.opt_int(path);
  if (!v && !host.opt_string(path)) return 0;
  if (!v || *v < 0) throw ConfigError(path, "expected a whole number >= 0");
  return *v;
}

// One rule of `list`: a name and minimums; `within` defaults to `window_ms`.
Rule read_rule(const Host &host, const std::string &at, int64_t window_ms, bool badge) {
  static const plugins::StringSet kKeys = {
      "name",   "orders",           "spend",      "points", "positive_feedback", "referrals",
      "within", "spend_percentile", "engagements"};
  for (int k = 0; k < host.opt_size(at); ++k) {
    const std::string key = host.opt_key(at, k);
    if (!kKeys.contains(key) || (key == "spend_percentile" && !badge)) {
      throw ConfigError(at + "." + key,
                        std::string("unknown key; a rule has name, orders, spend, points, "
                                    "positive_feedback, engagements, referrals, within") +
                            (badge ? " and spend_percentile" : ""));
    }
  }
  Rule r;
  r.name = host.opt_string_or(at + ".name", "");
  if (r.name.empty()) throw ConfigError(at + ".name", "every rule needs a name");
  r.min.orders = count_key(host, at + ".orders");
  r.min.points = count_key(host, at + ".points");
  r.min.positive_feedback = count_key(host, at + ".positive_feedback");
  r.min.engagements = count_key(host, at + ".engagements");
  r.min.referrals = count_key(host, at + ".referrals");
  if (host.opt_string(at + ".spend")) r.min.spend = decimal_option(host, at + ".spend");
  r.min.within_ms =
      host.opt_string(at + ".within") ? host.duration_option(at + ".within").count() : window_ms;
  if (r.min.within_ms <= 0) throw ConfigError(at + ".within", "must be longer than 0");
  if (badge) {
    const int64_t p = count_key(host, at + ".spend_percentile");
    if (p > 99) throw ConfigError(at + ".spend_percentile", "expected 1 to 99");
    r.min.spend_percentile = static_cast<int>(p);
  }
  return r;
}

std::vector<Rule> read_rules(const Host &host, const std::string &list, int64_t window_ms,
                             std::vector<Rule> defaults) {
  const int n = host.opt_size(list);
  if (n < 0) {
    for (Rule &r : defaults) r.min.within_ms = window_ms;
    return defaults;
  }
  std::vector<Rule> rules;
  for (int i = 0; i < n; ++i) {
    rules.push_back(
        read_rule(host, list + "[" + std::to_string(i) + "]", window_ms, list == "badges"));
  }
  return rules;
}

ProgramRules read_program(const Host &host, int64_t window_ms) {
  auto min = [](int64_t orders, int64_t points, int64_t feedback, int64_t referrals) {
    Minimums m;
    m.orders = orders, m.points = points, m.positive_feedback = feedback, m.referrals = referrals;
    return m;
  };
  Minimums vip;
  vip.spend_percentile = 95;
  Minimums loyal = min(3, 0, 0, 0);
  try {
    return ProgramRules(read_rules(host, "tiers", window_ms,
                                   {{"Bronze", min(1, 0, 0, 0)},
                                    {"Silver", min(0, 100, 0, 0)},
                                    {"Gold", min(0, 500, 0, 0)}}),
                        read_rules(host, "badges", window_ms, {{"loyal", loyal}, {"vip", vip}}),
                        read_rules(host, "ladder", window_ms,
                                   {{"advocate", min(2, 0, 0, 1)},
                                    {"supporter", min(3, 0, 1, 0)},
                                    {"client", min(2, 0, 0, 0)},
                                    {"customer", min(1, 0, 0, 0)},
                                    {"prospect", {}}}));
  } catch (const std::invalid_argument &e) {
    throw ConfigError("ladder", e.what());
  }
}

std::string join(const std::vector<std::string> &names) {
  std::string out;
  for (const std::string &n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

class LoyaltyBuilder final : public FeatureBuilder {
 public:
  explicit LoyaltyBuilder(Host host)
      : FeatureBuilder(host),
        value_path_(host.string_option("value")),
        currency_path_(host.string_option("currency_field")),
        review_event_(host.string_option("review_event")),
        rating_path_(host.string_option("rating_field")),
        survey_event_(host.string_option("survey_event")),
        nps_path_(host.string_option("nps_field")),
        positive_rating_(host.int_option("positive_rating")),
        promoter_nps_(host.int_option("promoter_nps")),
        money_(host.string_option("currency"), read_rates(host)),
        amount_per_point_(decimal_option(host, "amount_per_point")),
        rules_(read_program(host, host.duration_option("window").count())) {
    for (const std::string &e : host.string_list_option("events")) orders_.insert(e);
    for (const std::string &e : host.string_list_option("referral_events")) referrals_.insert(e);
    for (const std::string &e : host.string_list_option("engagement_events")) engaged_.insert(e);
    if (amount_per_point_.raw() == 0) throw ConfigError("amount_per_point", "must be more than 0");
  }

  void restore(const halo_state_row *rows, size_t n) override { activity_.restore(rows, n); }

  void update(const Batch &batch, const uint64_t *profile_ids) override {
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch.type(i) != HALO_EVENT_TRACK) continue;
      const std::string_view name = batch.name(i);
      const int64_t at = batch.timestamp_ms(i);
      if (orders_.contains(name)) {
        if (auto p = purchase(batch, i)) activity_.touch(profile_ids[i]).purchase(*p);
      } else if (referrals_.contains(name)) {
        activity_.touch(profile_ids[i]).referral(at);
      } else if (engaged_.contains(name)) {
        activity_.touch(profile_ids[i]).engagement(at);
      } else if (name == review_event_ || name == survey_event_) {
        const bool review = name == review_event_;
        auto score = score_of(batch, i, review ? rating_path_ : nps_path_);
        if (score && *score >= (review ? positive_rating_ : promoter_nps_)) {
          activity_.touch(profile_ids[i]).positive_feedback(at);
        }
      }
    }
  }

  void merge(uint64_t from, uint64_t into) override {
    activity_.merge(from, into, [](Activity &to, const Activity &moved) { to.merge(moved); });
  }

  void save_dirty(const StateWriter &w) override { activity_.save_dirty(w); }

  void fit(int64_t as_of_ms, const ModelWriter &w) {
    size_t customers = 0;
    activity_.for_each([&](uint64_t, const Activity &a) {
      customers += a.has_purchase_by(as_of_ms) ? 1 : 0;
      rules_.add_customer(a, as_of_ms);
    });
    rules_.finish();
    w.param("customers", static_cast<double>(customers));
    std::string model;
    plugins::ByteWriter out(model);
    out.byte(kModelVersion);
    out.varint(rules_.badges().size());
    for (size_t b = 0; b < rules_.badges().size(); ++b) {
      auto spend = rules_.percentile_spend(b);
      if (spend) w.param("badge" + std::to_string(b + 1) + "_min_spend", spend->to_double());
      out.byte(spend ? 1 : 0);
      if (spend) out.svarint(spend->raw());
    }
    w.data(model);
  }

  // The percentile badges' spends as fit() left them (load_model in
  // plugin.h).
  void load_model(std::string_view data) {
    plugins::ByteReader r(data);
    if (r.byte() != kModelVersion) throw Error("loyalty: stored model of another version");
    std::vector<std::optional<Decimal>> spends(r.count(rules_.badges().size(), "badge"));
    for (auto &spend : spends) {
      const uint8_t present = r.byte();
      if (present > 1) throw Error("loyalty: stored model is damaged");
      if (present == 1) spend = Decimal::from_raw(r.svarint());
    }
    r.expect_done();
    if (!rules_.set_percentile_spends(spends)) {
      throw Error("loyalty: stored model does not match the badges");
    }
  }

  // emit() writes every feature for any profile, one it does not know
  // (id 0 is never a profile's) included: that is the list.
  void describe_features(const FeatureWriter &w) { emit(0, 0, w); }

  void emit(uint64_t profile_id, int64_t as_of_ms, const FeatureWriter &w) override {
    const Activity *a = activity_.find(profile_id);
    const Standing s = rules_.standing(a, as_of_ms);
    w.integer("loyalty_points", a == nullptr ? 0 : a->totals(as_of_ms, INT64_MAX).points);
    s.tier ? w.string("loyalty_tier", *s.tier) : w.null("loyalty_tier");
    s.badges.empty() ? w.null("loyalty_badges") : w.string("loyalty_badges", join(s.badges));
    w.string("loyalty_stage", s.stage);
    w.string("loyalty_stage_reason", s.reason);
    if (a != nullptr) w.valid_until(a->next_change(as_of_ms, rules_.windows()));
  }

 private:
  // The order as a purchase in the program's currency, or nullopt after
  // refusing the event.
  std::optional<Purchase> purchase(const Batch &batch, size_t i) const {
    plugins::AmountRefusal why;
    std::optional<Decimal> amount = plugins::order_amount(batch, i, value_path_, why);
    const char *reason = why.reason;
    std::string what = amount ? "" : value_path_ + " is " + why.what;
    if (amount) {
      auto c = batch.field(i, currency_path_.c_str());
      const std::string_view code =
          c && c->kind == HALO_VALUE_STRING ? value_text(*c) : std::string_view();
      amount = money_.convert(*amount, code);
      if (!amount) {
        reason = "unknown_currency", what = "currency '" + std::string(code) + "' has no rate to " +
                                            money_.program() + " (add it under rates)";
      } else if (kMaxAmount < *amount) {
        reason = "number_out_of_range", what = value_path_ + " is larger than 1e16";
      }
    }
    if (reason == nullptr) {
      return Purchase{batch.timestamp_ms(i), *amount,
                      points_for(*amount, amount_per_point_, kMaxPoints)};
    }
    refuse(batch, i, reason, "loyalty: " + what + "; the order earns nothing");
    return std::nullopt;
  }

  // A review's rating or a survey's NPS: nullopt when absent (another
  // kind of review or survey) or refused (not a number).
  std::optional<double> score_of(const Batch &batch, size_t i, const std::string &path) const {
    auto v = batch.field(i, path.c_str());
    if (!v || v->kind == HALO_VALUE_NULL) return std::nullopt;
    auto d = v->kind == HALO_VALUE_NUMBER || v->kind == HALO_VALUE_STRING
                 ? Decimal::parse(value_text(*v))
                 : std::nullopt;
    if (d) return d->to_double();
    refuse(batch, i, "not_a_number", "loyalty: " + path + " is not a number; not counted");
    return std::nullopt;
  }

  static void refuse(const Batch &batch, size_t i, const char *reason, const std::string &message) {
    if (!batch.reject(i, reason, message)) throw Error(message);
  }

  plugins::StringSet orders_, referrals_, engaged_;
  std::string value_path_, currency_path_, review_event_, rating_path_, survey_event_, nps_path_;
  int64_t positive_rating_, promoter_nps_;
  Money money_;
  Decimal amount_per_point_;
  static constexpr uint8_t kModelVersion = 1;
  ProgramRules rules_;
  plugins::ProfileStates<Activity> activity_{"loyalty"};
};

constexpr halo_option_decl kOptions[] = {
    option(HALO_OPT_STRING_LIST, "events", "[Order Completed]", false,
           "The track events that are purchases"),
    option(HALO_OPT_STRING, "value", "properties.revenue", false,
           "Dotted path of the purchase's amount"),
    option(HALO_OPT_STRING, "currency_field", "properties.currency", false,
           "Dotted path of the purchase's currency code (absent: the program's)"),
    option(HALO_OPT_STRING, "currency", "IRR", false,
           "The program's currency: amounts, spend rules and points are in it"),
    option(HALO_OPT_MAP, "rates", nullptr, false,
           "What one unit of another currency is worth in the program's (IRR and IRT built in)"),
    option(HALO_OPT_STRING, "amount_per_point", "100000", false,
           "One point per full amount of this much (program currency), per purchase"),
    option(HALO_OPT_STRING, "review_event", "Product Reviewed", false, "A product review"),
    option(HALO_OPT_STRING, "rating_field", "properties.rating", false, "The review's rating"),
    within(option(HALO_OPT_INT, "positive_rating", "4", false,
                  "A rating at least this high is positive feedback"),
           "0", "1000"),
    option(HALO_OPT_STRING, "survey_event", "Survey Answered", false, "A survey answer"),
    option(HALO_OPT_STRING, "nps_field", "properties.nps", false, "The 0-10 NPS answer"),
    within(option(HALO_OPT_INT, "promoter_nps", "9", false,
                  "An NPS answer at least this high is positive feedback"),
           "0", "10"),
    option(HALO_OPT_STRING_LIST, "referral_events", "[Referral Completed]", false,
           "Track events that record a referral the customer made"),
    option(HALO_OPT_STRING_LIST, "engagement_events",
           "[Email Opened, Email Link Clicked, SMS Link Clicked, Push Notification Tapped]", false,
           "Track events of the customer engaging with a message"),
    within(option(HALO_OPT_DURATION, "window", "365d", false,
                  "The window of every rule that names no `within`"),
           "1s", "36500d"),
    option(HALO_OPT_LIST, "tiers", nullptr, false,
           "Tiers lowest first { name, points | spend | orders ..., within }"),
    option(HALO_OPT_LIST, "badges", nullptr, false,
           "Badges { name, minimums..., within, spend_percentile }"),
    option(HALO_OPT_LIST, "ladder", nullptr, false,
           "Ladder stages top down { name, minimums..., within }; the last names none"),
};

}  // namespace
}  // namespace halo::loyalty

HALO_PLUGIN_LIBRARY(halo::describe_feature<halo::loyalty::LoyaltyBuilder>(
    "loyalty", "1.0.0", "Loyalty: points, tiers, badges and the loyalty ladder with its reason",
    halo::loyalty::kOptions, HALO_CAP_PARTIAL_RESTORE))
