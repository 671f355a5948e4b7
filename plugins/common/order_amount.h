// order_amount.h -- the amount of an order event as the feature builders
// take it: an exact decimal from a JSON number or a numeric string at a
// dotted path, never negative (a refund is not an order). Shared so that
// every builder refuses the same orders with the same dead-letter reasons.
#pragma once

#include <halo/sdk.hpp>

#include <optional>
#include <string>

#include "common/decimal.h"

namespace halo::plugins {

// Why an amount cannot be used: a dead-letter reason code and what is
// wrong with the value, for a message ("missing", "not a number", ...).
struct AmountRefusal {
  const char *reason = nullptr;
  const char *what = nullptr;
};

// The largest order amount rfm and clv take: 1e13 (far above any real
// order in rials) keeps the sum of any realistic number of orders exact in
// a Decimal and to the cent in a double (2^53 cents is about 9e13).
inline const Decimal kMaxOrderAmount = Decimal::from_int(10'000'000'000'000);

// The amount at `path` of event i, or nullopt with `why` set: missing or
// null (`missing_value`), not a number or numeric text (`not_a_number`),
// a number with more than 38 digits or above `max` when given
// (`number_out_of_range`), negative (`negative_value`).
std::optional<Decimal> order_amount(const Batch &batch, size_t i, const std::string &path,
                                    AmountRefusal &why, const Decimal *max = nullptr);

}  // namespace halo::plugins
