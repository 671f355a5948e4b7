// square_money.cpp -- exact minor-unit formatting (see square_money.h).
#include "square_money.h"

namespace halo::plugins::square {

std::string minor_units_to_decimal(int64_t amount, int minor_units) {
  bool negative = amount < 0;
  // Through uint64 so INT64_MIN has a magnitude.
  uint64_t magnitude =
      negative ? uint64_t{0} - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  std::string digits = std::to_string(magnitude);
  size_t scale = minor_units > 0 ? static_cast<size_t>(minor_units) : 0;
  if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
  std::string out = negative && magnitude != 0 ? "-" : "";
  out.append(digits, 0, digits.size() - scale);
  if (scale > 0) {
    out.push_back('.');
    out.append(digits, digits.size() - scale, scale);
  }
  return out;
}

}  // namespace halo::plugins::square
