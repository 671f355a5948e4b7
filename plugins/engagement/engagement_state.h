// engagement_state.h -- the per-profile state of the engagement feature
// builder: the local hours at which the customer engaged (opened, clicked,
// bought), per channel how many messages reached them and how many they
// engaged with, the local days they visited, and the categories they
// viewed, carted and bought, weighted per day.
//
// Every part merges exactly and independently of order. Interest days older
// than `horizon_days` before the profile's latest interest day are dropped
// (on add and on merge alike, so the result is the same in any order).
//
// Invariants: visit days strictly ascending; categories strictly ascending,
// 1..kMaxCategoryBytes bytes, each with days strictly ascending and weights
// >= 1.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::engagement {

constexpr int kChannels = 3;  // email, sms, push
constexpr size_t kMaxCategoryBytes = 100;
constexpr size_t kMaxZoneBytes = 64;  // the longest IANA zone name is 30 bytes
constexpr int64_t kNoVisit = std::numeric_limits<int64_t>::min();

struct ChannelCounts {
  uint32_t delivered = 0, engaged = 0;
};

// Counts saturate at 2^32 - 1: 32 bits keep the state small (one profile
// in each of a million holds it), and no customer comes near.
using HourCounts = std::array<uint32_t, 24>;

struct DayWeight {
  int32_t day = 0;
  uint32_t weight = 0;
};

struct Interest {
  std::string category;
  std::vector<DayWeight> days;
};

class EngagementState {
 public:
  // An engagement at local `hour`, on a day of the weekend or not.
  void engaged_at_hour(int hour, bool weekend);
  void message(int channel, bool engaged);
  void visit(int64_t at_ms, int32_t local_day);
  void interest(std::string_view category, int32_t day, uint32_t weight, int32_t horizon_days);
  void merge(const EngagementState &other, int32_t horizon_days);
  // The customer's time zone as of an event at `at_ms` that named it; the
  // latest such event wins (on equal times the greater name, so merges
  // agree in any order).
  void zone(std::string_view name, int64_t at_ms);
  const std::string &zone() const { return zone_; }  // empty: never named

  const HourCounts &hours() const { return hours_; }  // every day
  // Of those, the weekend's (each hour's count at most its count in hours()).
  const HourCounts &weekend_hours() const { return weekend_hours_; }
  const std::array<ChannelCounts, kChannels> &channels() const { return channels_; }
  int64_t last_visit_ms() const { return last_visit_ms_; }
  // Visit days in [first_day, last_day].
  int64_t visits_between(int32_t first_day, int32_t last_day) const;
  // The first visit day after `day`; INT32_MAX when none.
  int32_t next_visit_day(int32_t day) const;
  // fn(day) for each visit day in [first_day, last_day], ascending.
  template <class Fn>
  void for_each_visit_day(int32_t first_day, int32_t last_day, Fn fn) const {
    for (auto it = std::lower_bound(visit_days_.begin(), visit_days_.end(), first_day);
         it != visit_days_.end() && *it <= last_day; ++it) {
      fn(*it);
    }
  }
  // The latest visit day; nullopt before any visit.
  std::optional<int32_t> last_visit_day() const {
    if (visit_days_.empty()) return std::nullopt;
    return visit_days_.back();
  }
  // Categories by decayed weight (sum of weight x 0.5^(age / half_life),
  // age in whole days as of `as_of_day`, days after it at age 0), best
  // first, ties by name; at most `n`.
  std::vector<std::string> top_interests(int32_t as_of_day, double half_life_days, size_t n) const;

  // Stored form (version 1): u8 1 | 24 x varint hour count | 3 x { varint
  // delivered | varint engaged } | svarint last visit | varint n | n x
  // svarint visit day | varint m | m x { varint length | category | varint
  // k | k x { svarint day | varint weight } }; minimal varints. Version 2,
  // written only when the profile has a time zone: u8 2 | the same |
  // varint length | zone name | svarint ms. Versions 3 (no zone) and 4
  // (zone), written only when some engagement fell on the weekend: the
  // same | 24 x varint weekend hour count. decode reads all four and
  // throws std::runtime_error on anything else or a broken invariant.
  std::string encode() const;
  static EngagementState decode(std::string_view blob);

 private:
  // Drops interest days at or before latest_day_ - horizon_days.
  void prune(int32_t horizon_days);

  bool has_weekend_hours() const;

  HourCounts hours_{};
  HourCounts weekend_hours_{};
  std::array<ChannelCounts, kChannels> channels_{};
  int64_t last_visit_ms_ = kNoVisit;
  std::vector<int32_t> visit_days_;
  std::vector<Interest> interests_;
  int32_t latest_day_ = std::numeric_limits<int32_t>::min();  // of interests_
  std::string zone_;
  int64_t zone_ms_ = std::numeric_limits<int64_t>::min();
};

}  // namespace halo::engagement
