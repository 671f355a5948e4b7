// clv_ranks.h -- where a customer's lifetime value stands among everyone's:
// the CLVs of the customers a fit saw, sorted, and the percentile of a
// value among them (the `clv_percentile` feature, README.md).
//
// Invariants: the values are finite and ascending; percentile(x) is the
// empirical distribution function in percent, 100 * #(values <= x) / N,
// so ties share one percentile, the largest value is 100, and a value
// below every one is 0. Decoding refuses values that are not finite or
// out of order, and a count the input cannot hold.
#pragma once

#include <optional>
#include <vector>

#include "common/byte_codec.h"

namespace halo::clv {

class ClvRanks {
 public:
  ClvRanks() = default;
  // Keeps the finite values, sorted.
  explicit ClvRanks(std::vector<double> values);

  // nullopt when no value was ranked.
  std::optional<double> percentile(double x) const;
  size_t size() const { return values_.size(); }

  // A count, then the values (IEEE bits): 8 bytes a customer.
  void encode(plugins::ByteWriter &w) const;
  // Throws std::runtime_error on a count larger than the input, a value
  // that is not finite or out of order.
  static ClvRanks decode(plugins::ByteReader &r);

 private:
  std::vector<double> values_;
};

}  // namespace halo::clv
