// voice_state.h -- the per-profile state of the satisfaction feature
// builder: what a customer told the business (the voice of the customer).
// The latest NPS answer, the count and exact sum of product ratings, the
// count and sum of sentiment scores of their texts, and their support
// tickets. Every part merges exactly and independently of order: two
// profiles' states merged either way, or the events seen in any order,
// give the same state and the same stored bytes.
//
// Invariants: 0 <= nps <= 10 when present; 0 <= ratings, texts <= 2^40;
// 0 <= rating sum <= ratings x kMaxRating; |sentiment sum| <= texts x 10^6; tickets sorted by id,
// ids unique and 1..kMaxTicketIdBytes bytes.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"

namespace halo::satisfaction {

using plugins::Decimal;

constexpr size_t kMaxTicketIdBytes = 255;
// The largest rating any scale may have (rating_max), and the most ratings
// or texts a stored state may count: sums and merges of such counts stay
// exact and far from overflow.
constexpr int64_t kMaxRating = 1000;
constexpr int64_t kMaxCount = int64_t{1} << 40;
constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

struct NpsAnswer {
  int64_t at_ms = 0;
  int score = 0;  // 0..10
};

struct Ticket {
  std::string id;
  int64_t opened_ms = kNoTime;  // the earliest "opened" seen
  int64_t closed_ms = kNoTime;  // the latest "closed" seen
  bool complaint = false;       // any of its events said so
  // When it was first heard of: opened, else closed.
  int64_t first_ms() const { return opened_ms != kNoTime ? opened_ms : closed_ms; }
};

class VoiceState {
 public:
  // The latest answer wins; on equal times the lower score (the cautious
  // reading, and one that does not depend on arrival order).
  void answer_nps(const NpsAnswer &answer);
  void rate(const Decimal &rating);
  // A text's sentiment score in (-1, 1), kept in millionths.
  void add_text(double score);
  void ticket_event(std::string_view id, int64_t at_ms, bool closed, bool complaint);
  void merge(const VoiceState &other);

  const std::optional<NpsAnswer> &nps() const { return nps_; }
  int64_t ratings() const { return ratings_; }
  const Decimal &rating_sum() const { return rating_sum_; }
  int64_t texts() const { return texts_; }
  int64_t sentiment_micros() const { return sentiment_micros_; }
  const std::vector<Ticket> &tickets() const { return tickets_; }
  int64_t open_complaints() const;
  // Complaints first heard of in (as_of - window, as_of].
  int64_t recent_complaints(int64_t as_of_ms, int64_t window_ms) const;
  // The latest ticket event; kNoTime without one.
  int64_t last_contact_ms() const;
  // When recent_complaints() next changes after as_of (a complaint leaving
  // the window or a later one entering); INT64_MAX when never.
  int64_t next_change(int64_t as_of_ms, int64_t window_ms) const;

  // Stored form (version 1): u8 1 | u8 has_nps | (has_nps: svarint at |
  // u8 score) | varint ratings | svarint rating raw | varint texts |
  // svarint sentiment | varint tickets | tickets x { varint id length | id |
  // svarint opened | svarint closed | u8 complaint }; varints are minimal
  // (one encoding per state). decode throws std::runtime_error on anything
  // else or on a broken invariant.
  std::string encode() const;
  static VoiceState decode(std::string_view blob);

 private:
  Ticket &ticket(std::string_view id);

  std::optional<NpsAnswer> nps_;
  int64_t ratings_ = 0;
  Decimal rating_sum_;
  int64_t texts_ = 0;
  int64_t sentiment_micros_ = 0;
  std::vector<Ticket> tickets_;
};

}  // namespace halo::satisfaction
