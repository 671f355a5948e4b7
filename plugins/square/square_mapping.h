// square_mapping.h -- Square objects -> Segment records: an order ->
// `Order Completed` (track), a customer -> identify.
//
// Invariants:
//  - Order messageId is "square-order-<id>-<state, lower case>": one event
//    per order and state, so a completed order re-fetched after any later
//    version bump (note, fulfillment) is dropped by the kernel and order
//    totals stay exact. Customer messageId is
//    "square-customer-<id>-<version>" (updated_at when there is no version),
//    so each customer update counts again.
//  - revenue/price are the Money amount / 10^minor_units as exact decimal
//    JSON numbers (see square_money.h); currency is the Money currency.
//  - The order's customer_id (else the first tender's customer_id) is
//    written as context.traits.square_customer_id. An order with neither is
//    not attributable: it is returned as a MappingFailure, never emitted.
//  - Functions only append to `out` and return "" on success, else the
//    reason (the caller dead-letters the raw object with it).
#pragma once

#include <simdjson.h>

#include <string>

namespace halo::plugins::square {

std::string append_order_event(simdjson::dom::element order, int minor_units, std::string &out);

std::string append_customer_identify(simdjson::dom::element customer, std::string &out);

}  // namespace halo::plugins::square
