// woo_cursor.h -- the WooCommerce source's checkpoint: one small JSON
// document with the scan position of each resource.
//
// Orders are read as a keyset scan on date_modified_gmt (ascending, the
// server breaks ties by id): each request asks for records modified at or
// after `from`, page `page`. After a page whose newest record is newer
// than `from`, `from` moves to that record's second and `page` goes back to
// 1; only when a whole page shares one second does `page` advance. So a
// record modified while the scan runs moves *ahead* of the scan (it is read
// again later) and never shifts an unread record behind it.
// Customers have no modified filter in wc/v3 (REST API docs, "List all
// customers",
// https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-customers):
// they are scanned newest id first and the scan stops at the first id
// already imported.
//
// Invariants: encode(decode(x)) == x for every cursor this file produced;
// decode rejects anything else with a message (never guesses a position).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace halo::woo {

struct OrdersScan {
  bool in_scan = false;  // a scan was started and not finished
  std::string from;      // inclusive lower bound (GMT), "" = from the beginning
  int64_t page = 1;      // page within `from`'s second
  std::string max_seen;  // newest date_modified_gmt committed so far
};

struct CustomersScan {
  bool in_scan = false;
  int64_t max_id = 0;    // every customer id <= max_id was imported
  int64_t scan_top = 0;  // highest id seen by the running scan
  int64_t page = 1;
};

struct WooCursor {
  OrdersScan orders;
  CustomersScan customers;
};

std::string encode_cursor(const WooCursor &cursor);
// Empty text = a fresh cursor. Returns nullopt and sets `error` otherwise.
std::optional<WooCursor> decode_cursor(std::string_view text, std::string &error);

}  // namespace halo::woo
