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

// The amount at `path` of event i, or nullopt with `why` set: missing or
// null (`missing_value`), not a number or numeric text (`not_a_number`),
// negative (`negative_value`).
std::optional<Decimal> order_amount(const Batch &batch, size_t i, const std::string &path,
                                    AmountRefusal &why);

}  // namespace halo::plugins
