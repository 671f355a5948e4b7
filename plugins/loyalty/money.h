// money.h -- purchase amounts in the loyalty program's currency, and the
// points they earn. Iranian rial (IRR, ISO 4217) and toman (written IRT by
// most Iranian shops and payment gateways; not an ISO code) convert by the
// fixed factor 10 without configuration; any other currency needs a rate.
//
// Invariants: conversions are exact decimal arithmetic (rounded half-even
// to 10^-9 only where a rate has more digits), never through a double; a
// currency without a rate or a result out of range is nullopt, never 0.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/decimal.h"

namespace halo::loyalty {

using plugins::Decimal;

class Money {
 public:
  // `program`: the program's currency code; `rates`: what one unit of each
  // other currency is worth in it. Codes compare case-insensitively.
  Money(std::string program, std::map<std::string, Decimal> rates);
  const std::string &program() const { return program_; }
  // `amount` of `currency` (empty: the program's) in the program's currency.
  std::optional<Decimal> convert(const Decimal &amount, std::string_view currency) const;

 private:
  std::string program_;
  std::map<std::string, Decimal> rates_;  // upper-case code -> rate
};

// Whole points for `amount`: one per full `amount_per_point` (> 0), at
// most `cap`.
int64_t points_for(const Decimal &amount, const Decimal &amount_per_point, int64_t cap);

// `a * b` exactly when it fits, rounded half-even to 10^-9; nullopt on
// overflow.
std::optional<Decimal> multiply(const Decimal &a, const Decimal &b);

}  // namespace halo::loyalty
