// woo_mapping.h -- WooCommerce REST objects (REST API docs, "Order
// properties" and "Customer properties":
// https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties) to
// Segment-spec records (https://segment.com/docs/connections/spec/ecommerce/v2/):
// orders become e-commerce track events,
// customers become identify calls.
//
// Decisions (README "Mapping"):
//  - event by order status through StatusEvents (default completed and
//    processing -> Order Completed, refunded -> Order Refunded, cancelled ->
//    Order Cancelled, anything else -> Order Updated);
//  - messageId "woo-order-<id>-<event slug>": an order counts at most once
//    per event type however often it is re-read or modified;
//  - timestamp: Order Completed uses date_created_gmt (the purchase, stable
//    across edits so every run agrees); the other events use
//    date_modified_gmt (the moment the status changed);
//  - money: the WooCommerce money strings are copied as exact JSON number
//    literals (never through a double); line-item prices (JSON numbers) are
//    written in shortest round-trip form;
//  - identifiers go to context.traits: woo_customer_id (omitted for guests,
//    customer_id 0), email/phone/first_name/last_name from billing; empty
//    strings are omitted.
// Invariants: on success `out` holds exactly one JSON object; on failure
// `out` is unchanged and `error` names the field.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace halo::woo {

class StatusEvents {
 public:
  static StatusEvents defaults();
  void set(std::string status, std::string event);
  std::string_view event_for(std::string_view status) const;

 private:
  std::vector<std::pair<std::string, std::string>> by_status_;
  std::string fallback_ = "Order Updated";
};

// "Order Completed" -> "order-completed".
std::string event_slug(std::string_view event);

bool map_order(simdjson::dom::element order, const StatusEvents &events, std::string &out,
               std::string &error);
bool map_customer(simdjson::dom::element customer, std::string &out, std::string &error);

}  // namespace halo::woo
