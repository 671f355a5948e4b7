// money.cpp -- see money.h.
#include "money.h"

#include <algorithm>
#include <cctype>

namespace halo::loyalty {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char &c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

using Raw = Decimal::Raw;
constexpr Raw kUnit = 1'000'000'000;  // 10^9 raw units per 1

}  // namespace

Money::Money(std::string program, std::map<std::string, Decimal> rates) : program_(upper(program)) {
  for (auto &[code, rate] : rates) rates_[upper(code)] = rate;
  // Rial and toman: fixed, unless configured otherwise.
  if (program_ == "IRR") rates_.try_emplace("IRT", Decimal::from_int(10));
  if (program_ == "IRT") rates_.try_emplace("IRR", Decimal::from_raw(kUnit / 10));
}

std::optional<Decimal> Money::convert(const Decimal &amount, std::string_view currency) const {
  const std::string code = upper(currency);
  if (code.empty() || code == program_) return amount;
  auto rate = rates_.find(code);
  if (rate == rates_.end()) return std::nullopt;
  return multiply(amount, rate->second);
}

std::optional<Decimal> multiply(const Decimal &a, const Decimal &b) {
  Raw x = a.raw(), y = b.raw();
  const bool negative = (x < 0) != (y < 0);
  unsigned __int128 ux = x < 0 ? -static_cast<unsigned __int128>(x) : x;
  unsigned __int128 uy = y < 0 ? -static_cast<unsigned __int128>(y) : y;
  constexpr unsigned __int128 kMax = ~static_cast<unsigned __int128>(0) >> 1;
  if (uy != 0 && ux > kMax / uy) return std::nullopt;
  unsigned __int128 product = ux * uy;  // scale 10^18
  unsigned __int128 q = product / kUnit, r = product % kUnit;
  if (r * 2 > kUnit || (r * 2 == kUnit && (q & 1))) ++q;  // half-even
  Raw out = static_cast<Raw>(q);
  return Decimal::from_raw(negative ? -out : out);
}

int64_t points_for(const Decimal &amount, const Decimal &amount_per_point, int64_t cap) {
  if (amount.raw() <= 0 || amount_per_point.raw() <= 0) return 0;
  const Raw whole = amount.raw() / amount_per_point.raw();
  return static_cast<int64_t>(std::min<Raw>(whole, cap));
}

}  // namespace halo::loyalty
