// engagement_state.cpp -- see engagement_state.h.
#include "engagement_state.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/byte_codec.h"

namespace halo::engagement {

namespace {

// The version byte is 1 plus flags: +1 a time zone follows, +2 weekend
// hour counts follow (versions 3 and 4 since weekend send hours).
constexpr uint8_t kVersion = 1, kWithZone = 1, kWithWeekend = 2;
constexpr uint32_t kMaxCount = std::numeric_limits<uint32_t>::max();

uint32_t saturating_add(uint32_t a, uint64_t b) {
  return static_cast<uint32_t>(std::min<uint64_t>(uint64_t{a} + b, kMaxCount));
}

// Adds `w` on `day` to days sorted by day.
void add_day(std::vector<DayWeight> &days, int32_t day, uint32_t w) {
  auto at = std::lower_bound(days.begin(), days.end(), day,
                             [](const DayWeight &d, int32_t x) { return d.day < x; });
  if (at != days.end() && at->day == day) {
    // Saturates: 4e9 events of one category on one day ranks it first anyway.
    at->weight = saturating_add(at->weight, w);
  } else {
    days.insert(at, DayWeight{day, w});
  }
}

Interest &find_or_add(std::vector<Interest> &interests, std::string_view category) {
  auto at = std::lower_bound(interests.begin(), interests.end(), category,
                             [](const Interest &i, std::string_view c) { return i.category < c; });
  if (at == interests.end() || at->category != category) {
    at = interests.insert(at, Interest{std::string(category), {}});
  }
  return *at;
}

}  // namespace

void EngagementState::engaged_at_hour(int hour, bool weekend) {
  hours_[hour] = saturating_add(hours_[hour], 1);
  if (weekend) weekend_hours_[hour] = saturating_add(weekend_hours_[hour], 1);
}

bool EngagementState::has_weekend_hours() const {
  return std::any_of(weekend_hours_.begin(), weekend_hours_.end(), [](uint32_t c) { return c; });
}

void EngagementState::message(int channel, bool engaged) {
  uint32_t &count = engaged ? channels_[channel].engaged : channels_[channel].delivered;
  count = saturating_add(count, 1);
}

void EngagementState::visit(int64_t at_ms, int32_t local_day) {
  last_visit_ms_ = std::max(last_visit_ms_, at_ms);
  // Events mostly come in time order: the day is the last one or after it,
  // known from the vector's end without a search through it.
  if (visit_days_.empty() || local_day > visit_days_.back()) {
    visit_days_.push_back(local_day);
    return;
  }
  if (local_day == visit_days_.back()) return;
  auto at = std::lower_bound(visit_days_.begin(), visit_days_.end(), local_day);
  if (at == visit_days_.end() || *at != local_day) visit_days_.insert(at, local_day);
}

void EngagementState::interest(std::string_view category, int32_t day, uint32_t weight,
                               int32_t horizon_days) {
  if (int64_t{day} <= int64_t{latest_day_} - horizon_days) return;  // already forgotten
  add_day(find_or_add(interests_, category).days, day, weight);
  if (day > latest_day_) {
    latest_day_ = day;
    prune(horizon_days);
  }
}

void EngagementState::prune(int32_t horizon_days) {
  const int64_t cutoff = int64_t{latest_day_} - horizon_days;
  for (Interest &i : interests_) {
    std::erase_if(i.days, [&](const DayWeight &d) { return d.day <= cutoff; });
  }
  std::erase_if(interests_, [](const Interest &i) { return i.days.empty(); });
}

void EngagementState::merge(const EngagementState &other, int32_t horizon_days) {
  for (int h = 0; h < 24; ++h) {
    hours_[h] = saturating_add(hours_[h], other.hours_[h]);
    weekend_hours_[h] = saturating_add(weekend_hours_[h], other.weekend_hours_[h]);
  }
  for (int c = 0; c < kChannels; ++c) {
    channels_[c].delivered = saturating_add(channels_[c].delivered, other.channels_[c].delivered);
    channels_[c].engaged = saturating_add(channels_[c].engaged, other.channels_[c].engaged);
  }
  last_visit_ms_ = std::max(last_visit_ms_, other.last_visit_ms_);
  std::vector<int32_t> days;
  std::set_union(visit_days_.begin(), visit_days_.end(), other.visit_days_.begin(),
                 other.visit_days_.end(), std::back_inserter(days));
  visit_days_ = std::move(days);
  for (const Interest &i : other.interests_) {
    Interest &into = find_or_add(interests_, i.category);
    for (const DayWeight &d : i.days) add_day(into.days, d.day, d.weight);
  }
  latest_day_ = std::max(latest_day_, other.latest_day_);
  prune(horizon_days);
  if (!other.zone_.empty()) zone(other.zone_, other.zone_ms_);
}

void EngagementState::zone(std::string_view name, int64_t at_ms) {
  if (zone_.empty() || at_ms > zone_ms_ || (at_ms == zone_ms_ && zone_ < name)) {
    zone_ = name;
    zone_ms_ = at_ms;
  }
}

int64_t EngagementState::visits_between(int32_t first_day, int32_t last_day) const {
  auto from = std::lower_bound(visit_days_.begin(), visit_days_.end(), first_day);
  auto to = std::upper_bound(visit_days_.begin(), visit_days_.end(), last_day);
  return from < to ? to - from : 0;
}

int32_t EngagementState::next_visit_day(int32_t day) const {
  auto at = std::upper_bound(visit_days_.begin(), visit_days_.end(), day);
  return at == visit_days_.end() ? std::numeric_limits<int32_t>::max() : *at;
}

std::vector<std::string> EngagementState::top_interests(int32_t as_of_day, double half_life_days,
                                                        size_t n) const {
  std::vector<std::pair<double, const std::string *>> scored;
  for (const Interest &i : interests_) {
    double score = 0;
    for (const DayWeight &d : i.days) {
      const double age = std::max<int64_t>(0, int64_t{as_of_day} - d.day);
      score += d.weight * std::exp2(-age / half_life_days);
    }
    scored.emplace_back(score, &i.category);
  }
  std::sort(scored.begin(), scored.end(), [](const auto &a, const auto &b) {
    return a.first != b.first ? a.first > b.first : *a.second < *b.second;
  });
  std::vector<std::string> out;
  for (size_t k = 0; k < scored.size() && k < n; ++k) out.push_back(*scored[k].second);
  return out;
}

std::string EngagementState::encode() const {
  std::string out;
  plugins::ByteWriter w(out);
  w.byte(kVersion + (zone_.empty() ? 0 : kWithZone) + (has_weekend_hours() ? kWithWeekend : 0));
  for (uint32_t h : hours_) w.varint(h);
  for (const ChannelCounts &c : channels_) {
    w.varint(c.delivered);
    w.varint(c.engaged);
  }
  w.svarint(last_visit_ms_);
  w.varint(visit_days_.size());
  for (int32_t d : visit_days_) w.svarint(d);
  w.varint(interests_.size());
  for (const Interest &i : interests_) {
    w.varint(i.category.size());
    w.bytes(i.category);
    w.varint(i.days.size());
    for (const DayWeight &d : i.days) {
      w.svarint(d.day);
      w.varint(d.weight);
    }
  }
  if (!zone_.empty()) {
    w.varint(zone_.size());
    w.bytes(zone_);
    w.svarint(zone_ms_);
  }
  if (has_weekend_hours()) {
    for (uint32_t h : weekend_hours_) w.varint(h);
  }
  return out;
}

namespace {

uint32_t read_count(plugins::ByteReader &r) {
  const int64_t n = r.count();
  if (n > int64_t{kMaxCount}) throw std::runtime_error("a count above 2^32 - 1");
  return static_cast<uint32_t>(n);
}

int64_t read_int(plugins::ByteReader &r, int64_t low, int64_t high, const char *what) {
  const __int128 v = r.svarint();
  if (v < low || v > high) throw std::runtime_error(std::string(what) + " out of range");
  return static_cast<int64_t>(v);
}

// A list length no larger than what is left to read (each entry takes a
// byte at least), so a damaged length cannot reserve memory.
size_t read_length(plugins::ByteReader &r) {
  const int64_t n = r.count();
  if (n > static_cast<int64_t>(r.left())) throw std::runtime_error("a length beyond the state");
  return static_cast<size_t>(n);
}

}  // namespace

EngagementState EngagementState::decode(std::string_view blob) {
  constexpr int64_t kI32Min = std::numeric_limits<int32_t>::min();
  constexpr int64_t kI32Max = std::numeric_limits<int32_t>::max();
  plugins::ByteReader r(blob);
  const uint8_t version = r.done() ? 0 : r.byte();
  if (version < kVersion || version > kVersion + kWithZone + kWithWeekend) {
    throw std::runtime_error("not an engagement state of version 1 to 4");
  }
  const uint8_t flags = version - kVersion;
  EngagementState s;
  for (uint32_t &h : s.hours_) h = read_count(r);
  for (ChannelCounts &c : s.channels_) {
    c.delivered = read_count(r);
    c.engaged = read_count(r);
  }
  s.last_visit_ms_ = read_int(r, std::numeric_limits<int64_t>::min(),
                              std::numeric_limits<int64_t>::max(), "the last visit");
  const size_t visits = read_length(r);
  for (size_t k = 0; k < visits; ++k) {
    const auto day = static_cast<int32_t>(read_int(r, kI32Min, kI32Max, "a visit day"));
    if (!s.visit_days_.empty() && day <= s.visit_days_.back()) {
      throw std::runtime_error("visit days out of order");
    }
    s.visit_days_.push_back(day);
  }
  const size_t categories = read_length(r);
  for (size_t k = 0; k < categories; ++k) {
    const size_t length = read_length(r);
    if (length < 1 || length > kMaxCategoryBytes) throw std::runtime_error("a category's length");
    Interest i{std::string(r.bytes(length)), {}};
    if (!s.interests_.empty() && !(s.interests_.back().category < i.category)) {
      throw std::runtime_error("categories out of order");
    }
    const size_t days = read_length(r);
    if (days == 0) throw std::runtime_error("a category without days");
    for (size_t d = 0; d < days; ++d) {
      DayWeight dw;
      dw.day = static_cast<int32_t>(read_int(r, kI32Min, kI32Max, "an interest day"));
      dw.weight = read_count(r);
      if (dw.weight < 1) throw std::runtime_error("an interest weight of 0");
      if (!i.days.empty() && dw.day <= i.days.back().day) {
        throw std::runtime_error("interest days out of order");
      }
      s.latest_day_ = std::max(s.latest_day_, dw.day);
      i.days.push_back(dw);
    }
    s.interests_.push_back(std::move(i));
  }
  if (flags & kWithZone) {
    const size_t length = read_length(r);
    if (length < 1 || length > kMaxZoneBytes) throw std::runtime_error("a time zone's length");
    s.zone_ = std::string(r.bytes(length));
    s.zone_ms_ = read_int(r, std::numeric_limits<int64_t>::min(),
                          std::numeric_limits<int64_t>::max(), "the time zone's time");
  }
  if (flags & kWithWeekend) {
    for (int h = 0; h < 24; ++h) {
      s.weekend_hours_[h] = read_count(r);
      if (s.weekend_hours_[h] > s.hours_[h]) throw std::runtime_error("more weekend engagements");
    }
  }
  if (!r.done()) throw std::runtime_error("bytes after the state");
  if (s.encode() != blob) throw std::runtime_error("not in canonical form");
  return s;
}

}  // namespace halo::engagement
