// activity.cpp -- see activity.h.
#include "activity.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "common/byte_codec.h"
#include "common/time_text.h"

namespace halo::loyalty {

namespace {

constexpr uint8_t kVersion = 1;

template <class T>
void insert_sorted(std::vector<T> &v, const T &x) {
  v.insert(std::upper_bound(v.begin(), v.end(), x), x);
}

template <class T>
void merge_sorted(std::vector<T> &into, const std::vector<T> &from) {
  std::vector<T> all;
  all.reserve(into.size() + from.size());
  std::merge(into.begin(), into.end(), from.begin(), from.end(), std::back_inserter(all));
  into = std::move(all);
}

// Events in (from, to] of a list ascending by time.
template <class T, class Time>
std::pair<size_t, size_t> in_window(const std::vector<T> &v, int64_t from, int64_t to, Time time) {
  auto first =
      std::partition_point(v.begin(), v.end(), [&](const T &x) { return time(x) <= from; });
  auto last = std::partition_point(first, v.end(), [&](const T &x) { return time(x) <= to; });
  return {static_cast<size_t>(first - v.begin()), static_cast<size_t>(last - v.begin())};
}

int64_t read_time(plugins::ByteReader &r) {
  const auto v = r.svarint();
  if (v < INT64_MIN || v > INT64_MAX) throw std::runtime_error("time out of range");
  return static_cast<int64_t>(v);
}

std::vector<int64_t> read_times(plugins::ByteReader &r) {
  std::vector<int64_t> out;
  const int64_t n = r.count();
  for (int64_t i = 0; i < n; ++i) {
    out.push_back(read_time(r));
    if (out.size() > 1 && out.back() < out[out.size() - 2])
      throw std::runtime_error("out of order");
  }
  return out;
}

void write_times(plugins::ByteWriter &w, const std::vector<int64_t> &times) {
  w.varint(times.size());
  for (int64_t t : times) w.svarint(t);
}

}  // namespace

bool Purchase::operator<(const Purchase &o) const {
  if (at_ms != o.at_ms) return at_ms < o.at_ms;
  if (!(amount == o.amount)) return amount < o.amount;
  return points < o.points;
}

void Activity::purchase(const Purchase &p) {
  insert_sorted(purchases_, p);
}
void Activity::positive_feedback(int64_t at_ms) {
  insert_sorted(feedback_, at_ms);
}
void Activity::engagement(int64_t at_ms) {
  insert_sorted(engagements_, at_ms);
}
void Activity::referral(int64_t at_ms) {
  insert_sorted(referrals_, at_ms);
}

void Activity::merge(const Activity &other) {
  merge_sorted(purchases_, other.purchases_);
  merge_sorted(feedback_, other.feedback_);
  merge_sorted(engagements_, other.engagements_);
  merge_sorted(referrals_, other.referrals_);
}

Totals Activity::totals(int64_t as_of_ms, int64_t window_ms) const {
  const int64_t from = plugins::saturating_sub(as_of_ms, window_ms);
  Totals t;
  auto [first, last] =
      in_window(purchases_, from, as_of_ms, [](const Purchase &p) { return p.at_ms; });
  for (size_t i = first; i < last; ++i) {
    t.spend.add(purchases_[i].amount);  // bounded: cannot overflow (kMaxAmount)
    t.points += purchases_[i].points;
  }
  t.orders = static_cast<int64_t>(last - first);
  auto identity = [](int64_t x) { return x; };
  auto [f1, f2] = in_window(feedback_, from, as_of_ms, identity);
  t.positive_feedback = static_cast<int64_t>(f2 - f1);
  auto [e1, e2] = in_window(engagements_, from, as_of_ms, identity);
  t.engagements = static_cast<int64_t>(e2 - e1);
  auto [r1, r2] = in_window(referrals_, from, as_of_ms, identity);
  t.referrals = static_cast<int64_t>(r2 - r1);
  return t;
}

int64_t Activity::next_change(int64_t as_of_ms, const std::vector<int64_t> &windows) const {
  int64_t next = INT64_MAX;
  auto consider = [&](int64_t at) {
    if (at > as_of_ms) {
      next = std::min(next, at);  // comes due
      return;
    }
    for (int64_t w : windows) {
      const int64_t leaves = plugins::saturating_add(at, w);
      if (leaves > as_of_ms) next = std::min(next, leaves);
    }
  };
  for (const Purchase &p : purchases_) consider(p.at_ms);
  for (int64_t t : feedback_) consider(t);
  for (int64_t t : engagements_) consider(t);
  for (int64_t t : referrals_) consider(t);
  return next;
}

std::string Activity::encode() const {
  std::string out;
  plugins::ByteWriter w(out);
  w.byte(kVersion);
  w.varint(purchases_.size());
  for (const Purchase &p : purchases_) {
    w.svarint(p.at_ms);
    w.svarint(p.amount.raw());
    w.varint(static_cast<uint64_t>(p.points));
  }
  write_times(w, feedback_);
  write_times(w, engagements_);
  write_times(w, referrals_);
  return out;
}

Activity Activity::decode(std::string_view blob) {
  plugins::ByteReader r(blob);
  if (r.byte() != kVersion) throw std::runtime_error("unknown loyalty state version");
  Activity a;
  const int64_t n = r.count();
  for (int64_t i = 0; i < n; ++i) {
    Purchase p;
    p.at_ms = read_time(r);
    p.amount = Decimal::from_raw(r.svarint());
    p.points = r.count();
    if (p.amount.raw() < 0 || kMaxAmount < p.amount)
      throw std::runtime_error("amount out of range");
    if (p.points > kMaxPoints) throw std::runtime_error("points out of range");
    if (!a.purchases_.empty() && p < a.purchases_.back()) throw std::runtime_error("out of order");
    a.purchases_.push_back(p);
  }
  a.feedback_ = read_times(r);
  a.engagements_ = read_times(r);
  a.referrals_ = read_times(r);
  if (!r.done()) throw std::runtime_error("trailing bytes");
  if (a.encode() != blob) throw std::runtime_error("not in canonical form");
  return a;
}

}  // namespace halo::loyalty
