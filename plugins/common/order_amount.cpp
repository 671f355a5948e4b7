// order_amount.cpp -- see order_amount.h.
#include "common/order_amount.h"

namespace halo::plugins {

std::optional<Decimal> order_amount(const Batch &batch, size_t i, const std::string &path,
                                    AmountRefusal &why) {
  auto v = batch.field(i, path.c_str());
  if (!v || v->kind == HALO_VALUE_NULL) {
    why = {"missing_value", "missing"};
    return std::nullopt;
  }
  std::optional<Decimal> amount;
  if (v->kind == HALO_VALUE_NUMBER || v->kind == HALO_VALUE_STRING) {
    amount = Decimal::parse(value_text(*v));
  }
  if (!amount) {
    why = {"not_a_number", "not a number"};
  } else if (amount->raw() < 0) {
    why = {"negative_value", "negative (a refund is not an order)"};
    amount.reset();
  }
  return amount;
}

}  // namespace halo::plugins
