// clv_ranks.cpp -- see clv_ranks.h.
#include "clv_ranks.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace halo::clv {

ClvRanks::ClvRanks(std::vector<double> values) : values_(std::move(values)) {
  std::erase_if(values_, [](double v) { return !std::isfinite(v); });
  std::sort(values_.begin(), values_.end());
}

std::optional<double> ClvRanks::percentile(double x) const {
  if (values_.empty() || !std::isfinite(x)) return std::nullopt;
  const auto at_most = std::upper_bound(values_.begin(), values_.end(), x) - values_.begin();
  return 100.0 * static_cast<double>(at_most) / static_cast<double>(values_.size());
}

void ClvRanks::encode(plugins::ByteWriter &w) const {
  w.varint(values_.size());
  for (double v : values_) w.real(v);
}

ClvRanks ClvRanks::decode(plugins::ByteReader &r) {
  const size_t n = r.count(r.left() / 8, "ranked customers");
  ClvRanks ranks;
  ranks.values_.reserve(n);
  for (size_t k = 0; k < n; ++k) {
    const double v = r.real();
    if (!std::isfinite(v) || (k > 0 && v < ranks.values_.back())) {
      throw std::runtime_error("ranked lifetime values not finite and ascending");
    }
    ranks.values_.push_back(v);
  }
  return ranks;
}

}  // namespace halo::clv
