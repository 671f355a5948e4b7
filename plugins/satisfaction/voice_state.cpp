// voice_state.cpp -- see voice_state.h.
#include "voice_state.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/byte_codec.h"
#include "common/time_text.h"

namespace halo::satisfaction {

namespace {

constexpr uint8_t kVersion = 1;
constexpr int64_t kMicros = 1'000'000;
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

bool later(const NpsAnswer &a, const NpsAnswer &b) {
  return a.at_ms != b.at_ms ? a.at_ms > b.at_ms : a.score < b.score;
}

void fold(Ticket &into, const Ticket &t) {
  if (t.opened_ms != kNoTime && (into.opened_ms == kNoTime || t.opened_ms < into.opened_ms)) {
    into.opened_ms = t.opened_ms;
  }
  into.closed_ms = std::max(into.closed_ms, t.closed_ms);
  into.complaint = into.complaint || t.complaint;
}

}  // namespace

void VoiceState::answer_nps(const NpsAnswer &answer) {
  if (!nps_ || later(answer, *nps_)) nps_ = answer;
}

void VoiceState::rate(const Decimal &rating) {
  ++ratings_;
  rating_sum_.add(rating);  // ratings are bounded by the builder: no overflow
}

void VoiceState::add_text(double score) {
  ++texts_;
  sentiment_micros_ += std::llround(score * kMicros);
}

Ticket &VoiceState::ticket(std::string_view id) {
  auto at = std::lower_bound(tickets_.begin(), tickets_.end(), id,
                             [](const Ticket &t, std::string_view x) { return t.id < x; });
  if (at == tickets_.end() || at->id != id) at = tickets_.insert(at, Ticket{std::string(id)});
  return *at;
}

void VoiceState::ticket_event(std::string_view id, int64_t at_ms, bool closed, bool complaint) {
  Ticket seen{std::string(id)};
  (closed ? seen.closed_ms : seen.opened_ms) = at_ms;
  seen.complaint = complaint;
  fold(ticket(id), seen);
}

void VoiceState::merge(const VoiceState &other) {
  if (other.nps_) answer_nps(*other.nps_);
  ratings_ += other.ratings_;
  rating_sum_.add(other.rating_sum_);
  texts_ += other.texts_;
  sentiment_micros_ += other.sentiment_micros_;
  for (const Ticket &t : other.tickets_) fold(ticket(t.id), t);
}

int64_t VoiceState::open_complaints() const {
  return std::count_if(tickets_.begin(), tickets_.end(),
                       [](const Ticket &t) { return t.complaint && t.closed_ms == kNoTime; });
}

int64_t VoiceState::recent_complaints(int64_t as_of_ms, int64_t window_ms) const {
  const int64_t after = plugins::saturating_sub(as_of_ms, window_ms);
  return std::count_if(tickets_.begin(), tickets_.end(), [&](const Ticket &t) {
    return t.complaint && t.first_ms() > after && t.first_ms() <= as_of_ms;
  });
}

int64_t VoiceState::last_contact_ms() const {
  int64_t last = kNoTime;
  for (const Ticket &t : tickets_) last = std::max({last, t.opened_ms, t.closed_ms});
  return last;
}

int64_t VoiceState::next_change(int64_t as_of_ms, int64_t window_ms) const {
  const int64_t after = plugins::saturating_sub(as_of_ms, window_ms);
  int64_t next = kNever;
  for (const Ticket &t : tickets_) {
    if (!t.complaint) continue;
    const int64_t first = t.first_ms();
    if (first > as_of_ms) next = std::min(next, first);  // enters
    if (first > after && first <= as_of_ms) {
      next = std::min(next, plugins::saturating_add(first, window_ms));  // leaves
    }
  }
  return next;
}

std::string VoiceState::encode() const {
  std::string out;
  plugins::ByteWriter w(out);
  w.byte(kVersion);
  w.byte(nps_ ? 1 : 0);
  if (nps_) {
    w.svarint(nps_->at_ms);
    w.byte(static_cast<uint8_t>(nps_->score));
  }
  w.varint(static_cast<uint64_t>(ratings_));
  w.svarint(rating_sum_.raw());
  w.varint(static_cast<uint64_t>(texts_));
  w.svarint(sentiment_micros_);
  w.varint(tickets_.size());
  for (const Ticket &t : tickets_) {
    w.varint(t.id.size());
    w.bytes(t.id);
    w.svarint(t.opened_ms);
    w.svarint(t.closed_ms);
    w.byte(t.complaint ? 1 : 0);
  }
  return out;
}

namespace {

int64_t read_time(plugins::ByteReader &r) {
  const __int128 v = r.svarint();
  if (v < std::numeric_limits<int64_t>::min() || v > std::numeric_limits<int64_t>::max()) {
    throw std::runtime_error("a time out of range");
  }
  return static_cast<int64_t>(v);
}

int64_t read_count(plugins::ByteReader &r) {
  const int64_t n = r.count();
  if (n > kMaxCount) throw std::runtime_error("a count above 2^40");
  return n;
}

bool read_flag(plugins::ByteReader &r) {
  const uint8_t b = r.byte();
  if (b > 1) throw std::runtime_error("a flag is neither 0 nor 1");
  return b == 1;
}

}  // namespace

VoiceState VoiceState::decode(std::string_view blob) {
  plugins::ByteReader r(blob);
  if (r.done() || r.byte() != kVersion)
    throw std::runtime_error("not a satisfaction state of version 1");
  VoiceState s;
  if (read_flag(r)) {
    NpsAnswer a;
    a.at_ms = read_time(r);
    a.score = r.byte();
    if (a.score > 10) throw std::runtime_error("an NPS answer above 10");
    s.nps_ = a;
  }
  s.ratings_ = read_count(r);
  const __int128 raw = r.svarint();
  s.rating_sum_ = Decimal::from_raw(raw);
  if (raw < 0 || Decimal::from_int(s.ratings_ * kMaxRating) < s.rating_sum_) {
    throw std::runtime_error("a rating sum out of range");
  }
  s.texts_ = read_count(r);
  s.sentiment_micros_ = read_time(r);
  if (s.sentiment_micros_ > s.texts_ * kMicros || s.sentiment_micros_ < -s.texts_ * kMicros) {
    throw std::runtime_error("a sentiment sum out of range");
  }
  const int64_t tickets = r.count();
  if (tickets > static_cast<int64_t>(r.left())) throw std::runtime_error("more tickets than bytes");
  for (int64_t i = 0; i < tickets; ++i) {
    const int64_t length = r.count();
    if (length < 1 || length > static_cast<int64_t>(kMaxTicketIdBytes)) {
      throw std::runtime_error("a ticket id of " + std::to_string(length) + " bytes");
    }
    Ticket t{std::string(r.bytes(static_cast<size_t>(length)))};
    t.opened_ms = read_time(r);
    t.closed_ms = read_time(r);
    t.complaint = read_flag(r);
    if (t.first_ms() == kNoTime) throw std::runtime_error("a ticket never opened nor closed");
    if (!s.tickets_.empty() && !(s.tickets_.back().id < t.id)) {
      throw std::runtime_error("tickets out of order");
    }
    s.tickets_.push_back(std::move(t));
  }
  if (!r.done()) throw std::runtime_error("bytes after the state");
  // One encoding per state: a varint padded with zero groups is damage too.
  if (s.encode() != blob) throw std::runtime_error("not in canonical form");
  return s;
}

}  // namespace halo::satisfaction
