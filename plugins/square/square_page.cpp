// square_page.cpp -- page decoding (see square_page.h).
#include "square_page.h"

#include "square_mapping.h"

#include <simdjson.h>

#include <stdexcept>

namespace halo::plugins::square {

SquarePage parse_square_page(std::string_view body, SquareObject kind, int minor_units) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::object top;
  if (parser.parse(body.data(), body.size(), true).get(doc) || doc.get_object().get(top)) {
    throw std::runtime_error("response is not a JSON object");
  }
  const char *key = kind == SquareObject::kOrder ? "orders" : "customers";
  SquarePage page;
  simdjson::dom::array items;
  if (!doc[key].get_array().get(items)) {
    page.entries.reserve(items.size());
    for (simdjson::dom::element item : items) {
      SquarePage::Entry e;
      e.reason = kind == SquareObject::kOrder ? append_order_event(item, minor_units, e.record)
                                              : append_customer_identify(item, e.record);
      if (!e.reason.empty()) {
        e.ok = false;
        e.record.clear();
        e.raw = simdjson::minify(item);
      }
      page.entries.push_back(std::move(e));
    }
  }
  std::string_view cursor;
  if (!doc["cursor"].get_string().get(cursor)) page.next_cursor = cursor;
  return page;
}

}  // namespace halo::plugins::square
