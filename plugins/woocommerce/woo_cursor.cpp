// woo_cursor.cpp -- JSON encoding of the WooCommerce cursor (see
// woo_cursor.h for the scan semantics).
#include "woo_cursor.h"

#include "common/json_text.h"

#include <simdjson.h>

namespace halo::woo {

std::string encode_cursor(const WooCursor &c) {
  std::string out = R"({"v":1,"orders":{"in_scan":)";
  out += c.orders.in_scan ? "true" : "false";
  out += R"(,"from":)";
  halo::plugins::append_json_string(out, c.orders.from);
  out += R"(,"page":)" + std::to_string(c.orders.page);
  out += R"(,"max_seen":)";
  halo::plugins::append_json_string(out, c.orders.max_seen);
  out += R"(},"customers":{"in_scan":)";
  out += c.customers.in_scan ? "true" : "false";
  out += R"(,"max_id":)" + std::to_string(c.customers.max_id);
  out += R"(,"scan_top":)" + std::to_string(c.customers.scan_top);
  out += R"(,"page":)" + std::to_string(c.customers.page) + "}}";
  return out;
}

namespace {

using simdjson::dom::element;

bool read_orders(element e, OrdersScan &o) {
  std::string_view from, max_seen;
  if (e["in_scan"].get(o.in_scan) || e["from"].get(from) || e["page"].get(o.page) ||
      e["max_seen"].get(max_seen)) {
    return false;
  }
  o.from = from;
  o.max_seen = max_seen;
  return o.page >= 1;
}

bool read_customers(element e, CustomersScan &c) {
  if (e["in_scan"].get(c.in_scan) || e["max_id"].get(c.max_id) || e["scan_top"].get(c.scan_top) ||
      e["page"].get(c.page)) {
    return false;
  }
  return c.page >= 1 && c.max_id >= 0 && c.scan_top >= 0;
}

}  // namespace

std::optional<WooCursor> decode_cursor(std::string_view text, std::string &error) {
  if (text.empty()) return WooCursor{};
  simdjson::dom::parser parser;
  element root, orders, customers;
  int64_t version = 0;
  WooCursor c;
  if (parser.parse(text.data(), text.size()).get(root) || root["v"].get(version) || version != 1 ||
      root["orders"].get(orders) || root["customers"].get(customers) ||
      !read_orders(orders, c.orders) || !read_customers(customers, c.customers)) {
    error =
        "unreadable woocommerce cursor '" + std::string(halo::plugins::clip_utf8(text, 200)) + "'";
    return std::nullopt;
  }
  return c;
}

}  // namespace halo::woo
