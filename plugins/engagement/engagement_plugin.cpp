// engagement_plugin.cpp -- the `engagement` feature builder: when and where
// to reach a customer, and what they care about (README.md). Per profile:
// the best local hour to send (smoothed toward the population's hours, a
// population step: fit() of plugin ABI 1.2), the preferred channel, the
// last visit and visits per week, and interests decayed by age.
//
// Invariants: options are read only in the constructor; an event whose
// category cannot be used is refused whole (a dead letter of this builder)
// before it changes any state; local days and hours follow the configured
// time zone, never the machine's.
#include <halo/sdk.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/byte_codec.h"
#include "common/decimal.h"
#include "common/profile_states.h"
#include "common/string_keyed.h"
#include "common/time_text.h"
#include "engagement_state.h"
#include "local_calendar.h"
#include "local_clock.h"
#include "send_hour.h"

namespace halo::engagement {
namespace {

using plugins::Decimal;
using plugins::kDayMs;

constexpr const char *kChannelNames[kChannels] = {"email", "sms", "push"};
constexpr int kMaxOrderProducts = 100;
constexpr uint32_t kViewWeight = 1, kCartWeight = 2, kPurchaseWeight = 3;

// What an event name means to this builder (one name may mean several).
struct Roles {
  bool purchase = false, view = false, cart = false;
  int delivered = -1, engaged = -1;  // channel index, -1 for none
};

int32_t whole_days(const Host &host, const char *name) {
  const int64_t ms = host.duration_option(name).count();
  if (ms <= 0 || ms % kDayMs != 0 || ms / kDayMs > 100'000) {
    throw ConfigError(name, "must be a whole number of days (1d to 100000d), such as 28d");
  }
  return static_cast<int32_t>(ms / kDayMs);
}

Weekday read_weekday(const std::string &path, const std::string &name) {
  if (auto d = parse_weekday(name)) return *d;
  throw ConfigError(path, "'" + name + "' is not a weekday (Saturday, Sunday, ... Friday)");
}

Week read_week(const Host &host) {
  std::vector<Weekday> weekend;
  const std::vector<std::string> names = host.string_list_option("weekend");
  for (size_t i = 0; i < names.size(); ++i) {
    weekend.push_back(read_weekday("weekend[" + std::to_string(i) + "]", names[i]));
  }
  return Week(read_weekday("week_start", host.string_option("week_start")), weekend);
}

DateFormat read_calendar(const Host &host) {
  // one_of() in the option table already refused other names.
  auto kind = parse_calendar(host.string_option("calendar"));
  return DateFormat(kind.value_or(CalendarKind::kPersian));
}

LocalClock read_clock(const std::string &zone) {
  try {
    return LocalClock(zone);
  } catch (const std::invalid_argument &e) {
    throw ConfigError("time_zone", e.what());
  }
}

class EngagementBuilder final : public FeatureBuilder {
 public:
  explicit EngagementBuilder(Host host)
      : FeatureBuilder(host),
        zone_name_(host.string_option("time_zone")),
        clock_(read_clock(zone_name_)),
        zone_field_(host.string_option("time_zone_field")),
        category_field_(host.string_option("category_field")),
        prior_weight_(host.float_option("prior_weight")),
        visit_days_(whole_days(host, "visit_window")),
        half_life_days_(whole_days(host, "interest_half_life")),
        top_(static_cast<size_t>(host.int_option("interests_top"))),
        week_(read_week(host)),
        dates_(read_calendar(host)) {
    if (!(prior_weight_ >= 0)) throw ConfigError("prior_weight", "must be 0 or more");
    for (const auto &e : host.string_list_option("purchase_events")) roles_[e].purchase = true;
    for (const auto &e : host.string_list_option("view_events")) roles_[e].view = true;
    for (const auto &e : host.string_list_option("cart_events")) roles_[e].cart = true;
    for (int c = 0; c < kChannels; ++c) {
      const std::string name = kChannelNames[c];
      for (const auto &e : host.string_list_option(name + "_delivered")) roles_[e].delivered = c;
      for (const auto &e : host.string_list_option(name + "_engaged")) roles_[e].engaged = c;
    }
  }

  void restore(const halo_state_row *rows, size_t n) override { states_.restore(rows, n); }

  void update(const Batch &batch, const uint64_t *profile_ids) override {
    // Page views touch a profile's state each, in no order: a cache miss
    // apiece unless its slot is asked for a few events ahead.
    constexpr size_t kAhead = 8;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (i + kAhead < batch.size()) states_.prefetch(profile_ids[i + kAhead]);
      const int32_t type = batch.type(i);
      const bool visit = type == HALO_EVENT_PAGE || type == HALO_EVENT_SCREEN;
      auto roles = type == HALO_EVENT_TRACK ? roles_.find(batch.name(i)) : roles_.end();
      if (!visit && roles == roles_.end()) continue;
      std::string_view zone;
      const LocalClock *clock = clock_of(batch, i, zone);
      if (clock == nullptr) continue;  // refused
      std::vector<std::string_view> categories;
      if (!visit && !read_categories(batch, i, roles->second, categories)) continue;  // refused
      const int64_t at = batch.timestamp_ms(i);
      EngagementState &s = touch(profile_ids[i]);
      if (visit) {
        s.visit(at, clock->at(at).day);
      } else {
        record(at, *clock, roles->second, categories, s);
      }
      if (!zone.empty()) s.zone(zone, at);
    }
  }

  void merge(uint64_t from, uint64_t into) override {
    const int32_t horizon = horizon_days();
    states_.merge(from, into, [horizon](EngagementState &to, const EngagementState &moved) {
      to.merge(moved, horizon);
    });
  }

  void save_dirty(const StateWriter &w) override { states_.save_dirty(w); }

  void fit(int64_t, const ModelWriter &w) {
    population_ = {};
    weekend_population_ = {};
    int64_t engaged_profiles = 0;
    states_.for_each([&](uint64_t, const EngagementState &state) {
      uint64_t own = 0;
      for (int h = 0; h < 24; ++h) {
        own += state.hours()[h];
        population_[h] += state.hours()[h];
        weekend_population_[h] += state.weekend_hours()[h];
      }
      engaged_profiles += own > 0 ? 1 : 0;
    });
    w.param("engaged_profiles", static_cast<double>(engaged_profiles));
    if (auto best = best_hour({}, population_, 1)) w.param("population_best_hour", *best);
    for (int h = 0; h < 24; ++h) {
      w.param("hour_" + std::string(h < 10 ? "0" : "") + std::to_string(h),
              static_cast<double>(population_[h]));
    }
    std::string model;
    plugins::ByteWriter out(model);
    out.byte(kModelVersion);
    for (uint64_t n : population_) out.varint(n);
    for (uint64_t n : weekend_population_) out.varint(n);
    w.data(model);
  }

  // The population's hours as fit() left them (load_model in plugin.h);
  // a version 1 model has no weekend hours (then the weekend's send hour
  // is smoothed toward every day's).
  void load_model(std::string_view data) {
    plugins::ByteReader r(data);
    const uint8_t version = r.byte();
    if (version != 1 && version != kModelVersion) {
      throw Error("engagement: stored model of another version");
    }
    PopulationHours hours{}, weekend{};
    for (PopulationHours *part : {&hours, &weekend}) {
      if (part == &weekend && version == 1) break;
      for (uint64_t &n : *part) {
        const auto v = r.varint();
        if (v > UINT64_MAX) throw Error("engagement: stored model has an hour count out of range");
        n = static_cast<uint64_t>(v);
      }
    }
    r.expect_done();
    population_ = hours;
    weekend_population_ = weekend;
  }

  // emit() writes every feature for any profile, one it does not know
  // (id 0 is never a profile's) included: that is the list.
  void describe_features(const FeatureWriter &w) { emit(0, 0, w); }

  void emit(uint64_t profile_id, int64_t as_of_ms, const FeatureWriter &w) override {
    static const EngagementState kNone;
    const EngagementState *state = states_.find(profile_id);
    const EngagementState &s = state == nullptr ? kNone : *state;
    // The profile's own zone (the latest an event named), else the default.
    const Today local =
        s.zone().empty() ? today(as_of_ms) : today_in(known_clock(s.zone()), as_of_ms);
    const int32_t today = local.day;
    if (auto hour = best_hour(s.hours(), population_, prior_weight_)) {
      w.integer("best_send_hour", *hour);
    } else {
      w.null("best_send_hour");
    }
    int64_t own = 0;
    for (uint32_t c : s.hours()) own += c;
    w.integer("send_hour_events", own);
    w.string("preferred_channel", preferred_channel(s));
    if (s.last_visit_ms() != kNoVisit) {
      w.string("last_visit", plugins::format_iso8601(s.last_visit_ms()));
    } else {
      w.null("last_visit");
    }
    const int64_t visits = s.visits_between(today - visit_days_ + 1, today);
    const Decimal per_week = Decimal::from_int(visits * 7).divide_rounded(visit_days_, 2);
    w.number("visits_per_week", per_week.to_double(), per_week.to_string());
    const std::vector<std::string> top = s.top_interests(today, half_life_days_, top_);
    if (top.empty()) {
      w.null("interests");
      w.null("top_interest");
    } else {
      std::string joined;
      for (const std::string &c : top) joined += (joined.empty() ? "" : ",") + c;
      w.string("interests", joined);
      w.string("top_interest", top.front());
    }
    w.string("time_zone", s.zone().empty() ? zone_name_ : s.zone());
    write_visit_days(s, today, w);
    write_split_send_hours(s, w);
    // Visits leave the window and interests age at local midnight.
    if (state != nullptr) w.valid_until(local.next_midnight_ms);
  }

 private:
  // The categories an event names; false after refusing it.
  bool read_categories(const Batch &batch, size_t i, const Roles &roles,
                       std::vector<std::string_view> &out) const {
    auto take = [&](const std::string &path) {
      auto v = batch.field(i, path.c_str());
      if (!v || (v->kind != HALO_VALUE_STRING && v->kind != HALO_VALUE_NUMBER)) return true;
      const std::string_view c = value_text(*v);
      if (c.empty()) return true;
      if (c.size() > kMaxCategoryBytes) {
        const std::string message = "engagement: " + path + " is longer than " +
                                    std::to_string(kMaxCategoryBytes) +
                                    " bytes; the event is left out";
        if (!batch.reject(i, "value_too_long", message)) throw Error(message);
        return false;
      }
      out.push_back(c);
      return true;
    };
    if ((roles.view || roles.cart) && !take(category_field_)) return false;
    if (roles.purchase) {
      for (int k = 0; k < kMaxOrderProducts; ++k) {
        const std::string product = "properties.products." + std::to_string(k);
        if (!batch.field(i, (product + ".product_id").c_str()) &&
            !batch.field(i, (product + ".category").c_str())) {
          break;
        }
        if (!take(product + ".category")) return false;
      }
    }
    return true;
  }

  void record(int64_t at_ms, const LocalClock &clock, const Roles &roles,
              const std::vector<std::string_view> &categories, EngagementState &s) const {
    const LocalTime local = clock.at(at_ms);
    if (roles.delivered >= 0) s.message(roles.delivered, false);
    if (roles.engaged >= 0) s.message(roles.engaged, true);
    if (roles.engaged >= 0 || roles.purchase) {
      s.engaged_at_hour(local.hour, week_.weekend(weekday_of(local.day)));
    }
    const uint32_t weight = roles.purchase ? kPurchaseWeight
                            : roles.cart   ? kCartWeight
                                           : kViewWeight;
    for (std::string_view c : categories) s.interest(c, local.day, weight, horizon_days());
  }

  // The best send hour on the weekend's days and on working days apart,
  // each from the customer's engagements on those days smoothed toward the
  // population's on those days (every day's when the population has none
  // there yet, e.g. under a model fitted before weekend hours existed).
  void write_split_send_hours(const EngagementState &s, const FeatureWriter &w) const {
    HourCounts workday{};
    PopulationHours population_workday{};
    for (int h = 0; h < 24; ++h) {
      workday[h] = s.hours()[h] - s.weekend_hours()[h];
      population_workday[h] = population_[h] - std::min(population_[h], weekend_population_[h]);
    }
    auto prior = [&](const PopulationHours &part) {
      return std::any_of(part.begin(), part.end(), [](uint64_t c) { return c; }) ? part
                                                                                 : population_;
    };
    const std::pair<const char *, std::optional<int>> split[] = {
        {"best_send_hour_weekend",
         best_hour(s.weekend_hours(), prior(weekend_population_), prior_weight_)},
        {"best_send_hour_workday", best_hour(workday, prior(population_workday), prior_weight_)}};
    for (const auto &[name, hour] : split) {
      if (hour) {
        w.integer(name, *hour);
      } else {
        w.null(name);
      }
    }
  }

  // The weekdays of the visit days in the window: the most visited
  // (earlier in the week on a tie) and the weekend's share; the last
  // visit's local date in the configured calendar.
  void write_visit_days(const EngagementState &s, int32_t today, const FeatureWriter &w) {
    std::array<int64_t, kWeekdays> per_weekday{};
    int64_t total = 0, weekend = 0;
    s.for_each_visit_day(today - visit_days_ + 1, today, [&](int32_t day) {
      const Weekday d = weekday_of(day);
      ++per_weekday[static_cast<int>(d)], ++total;
      weekend += week_.weekend(d) ? 1 : 0;
    });
    if (total == 0) {
      w.null("best_visit_day");
      w.null("weekend_visit_share");
    } else {
      int best = 0;
      for (int d = 1; d < kWeekdays; ++d) {
        const auto a = static_cast<Weekday>(d), b = static_cast<Weekday>(best);
        if (per_weekday[d] > per_weekday[best] ||
            (per_weekday[d] == per_weekday[best] && week_.position(a) < week_.position(b))) {
          best = d;
        }
      }
      w.string("best_visit_day", weekday_name(static_cast<Weekday>(best)));
      const Decimal share = Decimal::from_int(weekend).divide_rounded(total, 2);
      w.number("weekend_visit_share", share.to_double(), share.to_string());
    }
    if (auto last = s.last_visit_day()) {
      w.string("last_visit_date", dates_.format(*last));
    } else {
      w.null("last_visit_date");
    }
  }

  // Laplace-smoothed engagement rate per channel that reached the customer
  // at all; the first channel on a tie.
  static const char *preferred_channel(const EngagementState &s) {
    const char *best = "none";
    double best_rate = -1;
    for (int c = 0; c < kChannels; ++c) {
      const ChannelCounts &n = s.channels()[c];
      if (n.delivered == 0 && n.engaged == 0) continue;
      const double rate =
          (static_cast<double>(n.engaged) + 1) / (static_cast<double>(n.delivered) + 2);
      if (rate > best_rate) best = kChannelNames[c], best_rate = rate;
    }
    return best;
  }

  // The reference time's local day and the start of the next: one zone
  // lookup per emission rather than two per profile.
  struct Today {
    int64_t as_of_ms;
    int32_t day;
    int64_t next_midnight_ms;
  };
  const Today &today(int64_t as_of_ms) {
    if (!today_ || today_->as_of_ms != as_of_ms) today_ = today_in(clock_, as_of_ms);
    return *today_;
  }
  static Today today_in(const LocalClock &clock, int64_t as_of_ms) {
    const int32_t day = clock.at(as_of_ms).day;
    return Today{as_of_ms, day, clock.start_of_day(int64_t{day} + 1)};
  }

  // The clock of event i: the zone its time_zone_field names, else the
  // default. nullptr after refusing an event whose zone is not in the IANA
  // database; `zone` is set to the name the event gave.
  const LocalClock *clock_of(const Batch &batch, size_t i, std::string_view &zone) {
    auto v = batch.field(i, zone_field_.c_str());
    if (!v || v->kind != HALO_VALUE_STRING || v->len == 0) return &clock_;
    zone = value_text(*v);
    if (const LocalClock *known = zone.size() <= kMaxZoneBytes ? find_clock(zone) : nullptr) {
      return known;
    }
    const std::string message = "engagement: " + zone_field_ + " '" +
                                std::string(zone.substr(0, kMaxZoneBytes)) +
                                "' is not a time zone of the IANA database (such as Asia/Tehran); "
                                "the event is left out";
    if (!batch.reject(i, "unknown_time_zone", message)) throw Error(message);
    return nullptr;
  }

  // Zones are loaded once each, an unknown name remembered as such; past
  // kMaxClocks names (the IANA database has about 600) an unknown name is
  // not remembered, so hostile input cannot grow the cache.
  const LocalClock *find_clock(std::string_view zone) {
    constexpr size_t kMaxClocks = 2048;
    auto it = clocks_.find(zone);
    if (it == clocks_.end()) {
      std::optional<LocalClock> clock;
      try {
        clock.emplace(std::string(zone));
      } catch (const std::invalid_argument &) {
        if (clocks_.size() >= kMaxClocks) return nullptr;
      }
      it = clocks_.emplace(std::string(zone), std::move(clock)).first;
    }
    return it->second ? &*it->second : nullptr;
  }
  // A zone stored with a profile: known when it was stored (a zone database
  // that lost it since falls back to the default).
  const LocalClock &known_clock(const std::string &zone) {
    const LocalClock *clock = find_clock(zone);
    return clock != nullptr ? *clock : clock_;
  }

  // Interest days older than this many half-lives weigh under 0.4%.
  int32_t horizon_days() const { return 8 * half_life_days_; }

  EngagementState &touch(uint64_t profile) { return states_.touch(profile); }

  std::string zone_name_;
  LocalClock clock_;
  std::string zone_field_;
  plugins::StringMap<std::optional<LocalClock>> clocks_;  // by zone name
  std::string category_field_;
  double prior_weight_;
  int32_t visit_days_, half_life_days_;
  size_t top_;
  Week week_;
  DateFormat dates_;
  plugins::StringMap<Roles> roles_;
  plugins::ProfileStates<EngagementState> states_{"engagement"};
  static constexpr uint8_t kModelVersion = 2;  // 1: without weekend hours
  PopulationHours population_{};
  PopulationHours weekend_population_{};  // of population_, the weekend's
  std::optional<Today> today_;
};

constexpr const char *kCalendars[] = {"persian", "gregorian"};

constexpr halo_option_decl kOptions[] = {
    option(HALO_OPT_STRING, "time_zone", "Asia/Tehran", false,
           "IANA time zone of local hours and days for events that name none"),
    option(HALO_OPT_STRING, "time_zone_field", "context.timezone", false,
           "Dotted path of the event's own IANA time zone (Segment's context.timezone)"),
    option(HALO_OPT_STRING_LIST, "purchase_events", "[Order Completed]", false,
           "Track events that are purchases (an engagement hour; products.N.category interests)"),
    option(HALO_OPT_STRING_LIST, "view_events", "[Product Viewed]", false,
           "Track events that are product views (interest weight 1)"),
    option(HALO_OPT_STRING_LIST, "cart_events", "[Product Added]", false,
           "Track events that put a product in the cart (interest weight 2)"),
    option(HALO_OPT_STRING, "category_field", "properties.category", false,
           "Dotted path of the product's category on view and cart events"),
    option(HALO_OPT_STRING_LIST, "email_delivered", "[Email Delivered]", false,
           "Events of an email reaching the customer"),
    option(HALO_OPT_STRING_LIST, "email_engaged", "[Email Opened, Email Link Clicked]", false,
           "Events of the customer engaging with an email"),
    option(HALO_OPT_STRING_LIST, "sms_delivered", "[SMS Delivered]", false,
           "Events of an SMS reaching the customer"),
    option(HALO_OPT_STRING_LIST, "sms_engaged", "[SMS Link Clicked, SMS Replied]", false,
           "Events of the customer engaging with an SMS"),
    option(HALO_OPT_STRING_LIST, "push_delivered", "[Push Notification Received]", false,
           "Events of a push notification reaching the customer"),
    option(HALO_OPT_STRING_LIST, "push_engaged", "[Push Notification Tapped]", false,
           "Events of the customer opening a push notification"),
    within(option(HALO_OPT_FLOAT, "prior_weight", "5", false,
                  "Pseudo-engagements of the population's hours added to each customer's"),
           "0", "1000"),
    option(HALO_OPT_DURATION, "visit_window", "28d", false,
           "visits_per_week counts visit days of this many days up to the reference day"),
    option(HALO_OPT_DURATION, "interest_half_life", "30d", false,
           "An interest's weight halves with every this many days of age"),
    within(option(HALO_OPT_INT, "interests_top", "3", false, "How many interests to list"), "1",
           "20"),
    option(HALO_OPT_STRING_LIST, "weekend", "[Thursday, Friday]", false,
           "The weekend's weekdays (weekend_visit_share)"),
    option(HALO_OPT_STRING, "week_start", "Saturday", false,
           "The first day of the week: best_visit_day's tie-break"),
    one_of(option(HALO_OPT_STRING, "calendar", "persian", false,
                  "Calendar of last_visit_date: persian (Solar Hijri) or gregorian"),
           kCalendars),
};

}  // namespace
}  // namespace halo::engagement

HALO_PLUGIN_LIBRARY(halo::describe_feature<halo::engagement::EngagementBuilder>(
    "engagement", "1.0.0",
    "Best local send hour, preferred channel, visits and decayed interests per profile",
    halo::engagement::kOptions, HALO_CAP_PARTIAL_RESTORE))
