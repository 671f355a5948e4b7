// woo_mapping.cpp -- order/customer JSON to Segment records (decisions in
// woo_mapping.h).
#include "woo_mapping.h"

#include "common/json_text.h"
#include "woo_time.h"

#include <charconv>
#include <optional>

namespace halo::woo {
namespace {

using halo::plugins::append_json_string;
using simdjson::dom::element;

// A JSON writer for one flat-ish object: comma handling only.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string &out) : out_(out) { out_ += '{'; }
  void key(std::string_view k) {
    if (!first_) out_ += ',';
    first_ = false;
    append_json_string(out_, k);
    out_ += ':';
  }
  void string(std::string_view k, std::string_view v) {
    key(k);
    append_json_string(out_, v);
  }
  void string_if_set(std::string_view k, std::string_view v) {
    if (!v.empty()) string(k, v);
  }
  void raw(std::string_view k, std::string_view v) {
    key(k);
    out_ += v;
  }
  void close() { out_ += '}'; }

 private:
  std::string &out_;
  bool first_ = true;
};

std::string_view string_or_empty(element e, const char *field) {
  std::string_view v;
  if (e[field].get(v)) return {};
  return v;
}

bool read_id(element e, const char *field, int64_t &id, std::string &error) {
  if (e[field].get(id)) {
    error = std::string("field '") + field + "' is missing or not an integer";
    return false;
  }
  return true;
}

// True for a plain decimal as WooCommerce writes money: "-"? digits, then
// optionally "." and digits -- no exponent, so "5.2e2200" (valid JSON, but
// no amount of money) cannot slip through as an unusable number.
bool is_money_text(std::string_view s) {
  size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  const size_t int_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == int_start) return false;
  if (i < s.size() && s[i] == '.') {
    const size_t frac_start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == frac_start) return false;
  }
  return i == s.size() && halo::plugins::is_json_number(s);
}

// A WooCommerce money string ("42.00") as a JSON number literal.
bool money(element e, const char *field, std::string_view &out, std::string &error) {
  if (e[field].get(out) || !is_money_text(out)) {
    error = std::string("field '") + field + "' is missing or not a decimal money string";
    return false;
  }
  return true;
}

// A JSON number (or numeric string) in its shortest exact text form.
bool number_text(element e, std::string &out) {
  int64_t i = 0;
  double d = 0;
  std::string_view s;
  char buf[32];
  if (!e.get(i)) {
    out = std::to_string(i);
  } else if (!e.get(d)) {
    auto r = std::to_chars(buf, buf + sizeof(buf), d);
    out.assign(buf, r.ptr);
  } else if (!e.get(s) && halo::plugins::is_json_number(s)) {
    out = s;
  } else {
    return false;
  }
  return true;
}

bool gmt_timestamp(element e, const char *field, std::string &out, std::string &error) {
  std::string_view v;
  // Parsed, not cut: a hostile value is refused, never sliced into a
  // timestamp (or into half a UTF-8 sequence of the message id).
  std::optional<int64_t> seconds;
  if (e[field].get(v) || !(seconds = parse_gmt(v))) {
    error = std::string("field '") + field + "' is missing or not a GMT date";
    return false;
  }
  out = format_gmt(*seconds);
  out += 'Z';
  return true;
}

void write_billing_traits(ObjectWriter &w, element billing) {
  w.string_if_set("email", string_or_empty(billing, "email"));
  w.string_if_set("phone", string_or_empty(billing, "phone"));
  w.string_if_set("first_name", string_or_empty(billing, "first_name"));
  w.string_if_set("last_name", string_or_empty(billing, "last_name"));
}

bool write_products(std::string &out, element order, std::string &error) {
  simdjson::dom::array items;
  out += '[';
  if (order["line_items"].get(items)) {
    out += ']';
    return true;  // an order without items still counts
  }
  bool first = true;
  std::string price;
  for (element item : items) {
    int64_t product_id = 0, quantity = 0;
    element price_value;
    if (item["product_id"].get(product_id) || item["quantity"].get(quantity) ||
        item["price"].get(price_value) || !number_text(price_value, price)) {
      error = "a line_items entry lacks product_id, quantity or a numeric price";
      return false;
    }
    if (!first) out += ',';
    first = false;
    ObjectWriter p(out);
    p.string("product_id", std::to_string(product_id));
    p.string_if_set("sku", string_or_empty(item, "sku"));
    p.string_if_set("name", string_or_empty(item, "name"));
    p.raw("price", price);
    p.raw("quantity", std::to_string(quantity));
    p.close();
  }
  out += ']';
  return true;
}

}  // namespace

StatusEvents StatusEvents::defaults() {
  StatusEvents e;
  e.set("completed", "Order Completed");
  e.set("processing", "Order Completed");
  e.set("refunded", "Order Refunded");
  e.set("cancelled", "Order Cancelled");
  return e;
}

void StatusEvents::set(std::string status, std::string event) {
  for (auto &entry : by_status_) {
    if (entry.first == status) {
      entry.second = std::move(event);
      return;
    }
  }
  by_status_.emplace_back(std::move(status), std::move(event));
}

std::string_view StatusEvents::event_for(std::string_view status) const {
  for (const auto &entry : by_status_) {
    if (entry.first == status) return entry.second;
  }
  return fallback_;
}

std::string event_slug(std::string_view event) {
  std::string slug;
  for (char c : event) {
    if (c >= 'A' && c <= 'Z') {
      slug.push_back(static_cast<char>(c + 32));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      slug.push_back(c);
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug;
}

bool map_order(element order, const StatusEvents &events, std::string &out, std::string &error) {
  int64_t id = 0, customer_id = 0;
  std::string_view status, total, tax, shipping, discount;
  if (!read_id(order, "id", id, error) || !money(order, "total", total, error)) return false;
  if (order["status"].get(status)) {
    error = "field 'status' is missing or not a string";
    return false;
  }
  if (order["customer_id"].get(customer_id)) customer_id = 0;  // absent = guest
  std::string_view event = events.event_for(status);
  std::string timestamp;
  const char *time_field = event == "Order Completed" ? "date_created_gmt" : "date_modified_gmt";
  if (!gmt_timestamp(order, time_field, timestamp, error)) return false;
  std::string ignored;
  std::string record;
  record.reserve(512);
  ObjectWriter w(record);
  w.string("type", "track");
  w.string("event", event);
  w.string("messageId", "woo-order-" + std::to_string(id) + "-" + event_slug(event));
  w.string("timestamp", timestamp);
  w.key("context");
  record += "{\"traits\":";
  ObjectWriter traits(record);
  if (customer_id > 0) traits.string("woo_customer_id", std::to_string(customer_id));
  element billing;
  if (!order["billing"].get(billing)) write_billing_traits(traits, billing);
  traits.close();
  record += '}';
  w.key("properties");
  ObjectWriter props(record);
  props.string("order_id", std::to_string(id));
  props.string("status", status);
  props.raw("total", total);
  props.raw("revenue", total);
  if (money(order, "total_tax", tax, ignored)) props.raw("tax", tax);
  if (money(order, "shipping_total", shipping, ignored)) props.raw("shipping", shipping);
  if (money(order, "discount_total", discount, ignored)) props.raw("discount", discount);
  props.string_if_set("currency", string_or_empty(order, "currency"));
  props.key("products");
  if (!write_products(record, order, error)) return false;
  props.close();
  w.close();
  out += record;
  return true;
}

bool map_customer(element customer, std::string &out, std::string &error) {
  int64_t id = 0;
  if (!read_id(customer, "id", id, error)) return false;
  std::string timestamp;
  if (!gmt_timestamp(customer, "date_modified_gmt", timestamp, error) &&
      !gmt_timestamp(customer, "date_created_gmt", timestamp, error)) {
    return false;
  }
  std::string id_text = std::to_string(id);
  std::string record;
  record.reserve(384);
  ObjectWriter w(record);
  w.string("type", "identify");
  w.string("messageId", "woo-customer-" + id_text + "-" + timestamp.substr(0, 19));
  w.string("timestamp", timestamp);
  w.key("traits");
  ObjectWriter traits(record);
  traits.string("woo_customer_id", id_text);
  element billing;
  bool has_billing = !customer["billing"].get(billing);
  std::string_view email = string_or_empty(customer, "email");
  if (email.empty() && has_billing) email = string_or_empty(billing, "email");
  traits.string_if_set("email", email);
  traits.string_if_set("first_name", string_or_empty(customer, "first_name"));
  traits.string_if_set("last_name", string_or_empty(customer, "last_name"));
  if (has_billing) traits.string_if_set("phone", string_or_empty(billing, "phone"));
  traits.close();
  w.key("context");
  record += "{\"traits\":{\"woo_customer_id\":";
  append_json_string(record, id_text);
  record += "}}";
  w.close();
  out += record;
  return true;
}

}  // namespace halo::woo
