// order_amount.cpp -- see order_amount.h.
#include "common/order_amount.h"

#include <charconv>
#include <cmath>
#include <string_view>

namespace halo::plugins {

namespace {

// Text a double reads whole, finite: a number, if not an exact amount.
bool reads_as_number(std::string_view text) {
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(d);
}

}  // namespace

std::optional<Decimal> order_amount(const Batch &batch, size_t i, const std::string &path,
                                    AmountRefusal &why, const Decimal *max) {
  auto v = batch.field(i, path.c_str());
  if (!v || v->kind == HALO_VALUE_NULL) {
    why = {"missing_value", "missing"};
    return std::nullopt;
  }
  std::optional<Decimal> amount;
  const std::string_view text = value_text(*v);
  const bool numeric = v->kind == HALO_VALUE_NUMBER || v->kind == HALO_VALUE_STRING;
  if (numeric) amount = Decimal::parse(text);
  if (!amount) {
    why = numeric && reads_as_number(text)
              ? AmountRefusal{"number_out_of_range", "a number of more than 38 digits"}
              : AmountRefusal{"not_a_number", "not a number"};
  } else if (amount->raw() < 0) {
    why = {"negative_value", "negative (a refund is not an order)"};
    amount.reset();
  } else if (max != nullptr && *max < *amount) {
    why = {"number_out_of_range", "larger than the largest amount taken"};
    amount.reset();
  }
  return amount;
}

}  // namespace halo::plugins
