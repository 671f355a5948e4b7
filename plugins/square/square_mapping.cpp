// square_mapping.cpp -- order/customer record building (see square_mapping.h).
#include "square_mapping.h"

#include "square_money.h"

#include "common/json_text.h"

namespace halo::plugins::square {

namespace {

using simdjson::dom::element;
// Lookups chain through missing keys without throwing.
using maybe_element = simdjson::simdjson_result<element>;

std::string_view str_or(maybe_element e, const char *key, std::string_view fallback = {}) {
  std::string_view v;
  return e[key].get_string().get(v) ? fallback : v;
}

std::string_view str_or(element e, const char *key, std::string_view fallback = {}) {
  return str_or(maybe_element(element(e)), key, fallback);
}

// Appends ,"key":"value" when value is non-empty.
void append_string_field(std::string &out, const char *key, std::string_view value) {
  if (value.empty()) return;
  out.push_back(',');
  append_json_string(out, key);
  out.push_back(':');
  append_json_string(out, value);
}

// Appends ,"key":<decimal> for a Money object; false when it is not one.
bool append_money_field(std::string &out, const char *key, maybe_element money, int minor_units) {
  int64_t amount = 0;
  if (money["amount"].get_int64().get(amount)) return false;
  out.push_back(',');
  append_json_string(out, key);
  out.push_back(':');
  out += minor_units_to_decimal(amount, minor_units);
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

std::string_view event_for_state(std::string_view state) {
  if (state == "COMPLETED") return "Order Completed";
  if (state == "CANCELED") return "Order Cancelled";
  return "Order Updated";
}

std::string_view order_customer(element order) {
  std::string_view id = str_or(order, "customer_id");
  if (!id.empty()) return id;
  simdjson::dom::array tenders;
  if (order["tenders"].get_array().get(tenders)) return {};
  for (element t : tenders) {
    id = str_or(t, "customer_id");
    if (!id.empty()) return id;
  }
  return {};
}

void append_products(std::string &out, element order, int minor_units) {
  simdjson::dom::array items;
  if (order["line_items"].get_array().get(items)) return;
  out += ",\"products\":[";
  bool first = true;
  for (element item : items) {
    if (!first) out.push_back(',');
    first = false;
    out.push_back('{');
    out += "\"line_item_id\":";
    append_json_string(out, str_or(item, "uid"));
    append_string_field(out, "product_id", str_or(item, "catalog_object_id"));
    append_string_field(out, "name", str_or(item, "name"));
    append_string_field(out, "variant", str_or(item, "variation_name"));
    std::string_view quantity = str_or(item, "quantity");  // a decimal string
    if (is_json_number(quantity)) out += ",\"quantity\":" + std::string(quantity);
    append_money_field(out, "price", item["base_price_money"], minor_units);
    append_money_field(out, "total", item["total_money"], minor_units);
    out.push_back('}');
  }
  out.push_back(']');
}

}  // namespace

std::string append_order_event(element order, int minor_units, std::string &out) {
  std::string_view id = str_or(order, "id");
  if (id.empty()) return "order has no string id";
  std::string_view state = str_or(order, "state");
  if (state.empty()) return "order " + std::string(id) + " has no state";
  std::string_view customer = order_customer(order);
  if (customer.empty()) {
    return "order " + std::string(id) + " has no customer_id (walk-in sale): not attributable";
  }
  std::string_view when =
      str_or(order, "closed_at", str_or(order, "updated_at", str_or(order, "created_at")));
  size_t mark = out.size();
  out += "{\"type\":\"track\",\"event\":";
  append_json_string(out, event_for_state(state));
  out += ",\"messageId\":";
  append_json_string(out, "square-order-" + std::string(id) + "-" + lower(state));
  append_string_field(out, "timestamp", when);
  out += ",\"context\":{\"traits\":{\"square_customer_id\":";
  append_json_string(out, customer);
  out += "}},\"properties\":{\"order_id\":";
  append_json_string(out, id);
  if (!append_money_field(out, "revenue", order["total_money"], minor_units)) {
    out.resize(mark);
    return "order " + std::string(id) + " has no total_money.amount";
  }
  append_string_field(out, "currency", str_or(order["total_money"], "currency"));
  append_money_field(out, "tax", order["total_tax_money"], minor_units);
  append_money_field(out, "discount", order["total_discount_money"], minor_units);
  append_string_field(out, "location_id", str_or(order, "location_id"));
  append_string_field(out, "source", str_or(order["source"], "name"));
  append_products(out, order, minor_units);
  out += "}}";
  return "";
}

std::string append_customer_identify(element customer, std::string &out) {
  std::string_view id = str_or(customer, "id");
  if (id.empty()) return "customer has no string id";
  std::string_view updated = str_or(customer, "updated_at", str_or(customer, "created_at"));
  int64_t version = 0;
  std::string tag =
      customer["version"].get_int64().get(version) ? std::string(updated) : std::to_string(version);
  if (tag.empty()) return "customer " + std::string(id) + " has neither version nor updated_at";
  out += "{\"type\":\"identify\",\"messageId\":";
  append_json_string(out, "square-customer-" + std::string(id) + "-" + tag);
  append_string_field(out, "timestamp", updated);
  out += ",\"traits\":{\"square_customer_id\":";
  append_json_string(out, id);
  append_string_field(out, "email", str_or(customer, "email_address"));
  append_string_field(out, "phone", str_or(customer, "phone_number"));
  append_string_field(out, "first_name", str_or(customer, "given_name"));
  append_string_field(out, "last_name", str_or(customer, "family_name"));
  append_string_field(out, "company", str_or(customer, "company_name"));
  append_string_field(out, "reference_id", str_or(customer, "reference_id"));
  out += "}}";
  return "";
}

}  // namespace halo::plugins::square
