// woo_puller.cpp -- pull-mode paging over customers and orders (see
// woo_puller.h and woo_cursor.h).
#include "woo_puller.h"

#include "woo_mapping.h"
#include "woo_time.h"

#include <simdjson.h>

namespace halo::woo {
namespace {

simdjson::dom::array parse_page(simdjson::dom::parser &parser, const CollectionPage &page) {
  simdjson::dom::array items;
  if (parser.parse(page.body.data(), page.body.size()).get(items)) {
    throw halo::Error(page.path + " answered 200 without a JSON array body", HALO_RETRY);
  }
  return items;
}

bool last_page(size_t count, int per_page, int64_t page, int64_t total_pages) {
  return count < static_cast<size_t>(per_page) || (total_pages >= 0 && page >= total_pages);
}

// Emits one mapped record or dead-letters the raw object with the reason.
void emit(const halo::Sink &sink, bool ok, const std::string &record, const std::string &error,
          simdjson::dom::element raw, uint64_t position) {
  if (ok) {
    sink.record(record, position);
  } else {
    sink.error(HALO_REASON_INVALID, error, simdjson::minify(raw), position);
  }
}

}  // namespace

WooPuller::WooPuller(const WooClient &client, const WooOptions &options, WooCursor cursor)
    : client_(client),
      options_(options),
      cursor_(std::move(cursor)),
      customers_done_(!options.pull_customers),
      orders_done_(!options.pull_orders) {
  begin_scans();
}

void WooPuller::begin_scans() {
  CustomersScan &c = cursor_.customers;
  if (options_.pull_customers && !c.in_scan) {
    c = CustomersScan{true, c.max_id, c.max_id, 1};
  }
  OrdersScan &o = cursor_.orders;
  if (options_.pull_orders && !o.in_scan) {
    o.in_scan = true;
    o.page = 1;
    o.from = options_.modified_after;
    if (auto seen = parse_gmt(o.max_seen)) {
      // Re-read the overlap window: a write committed late may carry an
      // older date_modified than records already read.
      o.from = format_gmt(*seen - options_.overlap_seconds);
    }
  }
}

bool WooPuller::next(const halo::Sink &sink) {
  // Called again after it reported the end (polling, plugin.h): new scans
  // start from the cursor, so records changed since are read.
  if (finished_) restart();
  while (!customers_done_) {
    if (customers_page(sink) > 0) return false;
  }
  while (!orders_done_) {
    if (orders_page(sink) > 0) return false;
  }
  finished_ = true;
  return true;
}

void WooPuller::restart() {
  customers_done_ = !options_.pull_customers;
  orders_done_ = !options_.pull_orders;
  finished_ = false;
  begin_scans();
}

size_t WooPuller::customers_page(const halo::Sink &sink) {
  CustomersScan &c = cursor_.customers;
  Params query = {{"per_page", std::to_string(options_.per_page)},
                  {"page", std::to_string(c.page)},
                  {"orderby", "id"},
                  {"order", "desc"}};
  CollectionPage page = client_.get_collection("customers", query);
  sink.origin(page.path + "?page=" + std::to_string(c.page));
  simdjson::dom::parser parser;
  simdjson::dom::array items = parse_page(parser, page);
  size_t emitted = 0, count = 0;
  bool reached_known = false;
  std::string record, error;
  for (simdjson::dom::element item : items) {
    ++count;
    int64_t id = 0;
    if (!item["id"].get(id) && id <= c.max_id) {
      reached_known = true;  // newest-first: everything from here was imported
      continue;
    }
    record.clear();
    bool ok = map_customer(item, record, error);
    emit(sink, ok, record, error, item, count);
    if (id > c.scan_top) c.scan_top = id;
    ++emitted;
  }
  if (reached_known || last_page(count, options_.per_page, c.page, page.total_pages)) {
    c = CustomersScan{false, c.scan_top, c.scan_top, 1};
    customers_done_ = true;
  } else {
    ++c.page;
  }
  return emitted;
}

size_t WooPuller::orders_page(const halo::Sink &sink) {
  OrdersScan &o = cursor_.orders;
  Params query = {{"per_page", std::to_string(options_.per_page)},
                  {"page", std::to_string(o.page)},
                  {"orderby", "modified"},
                  {"order", "asc"},
                  {"dates_are_gmt", "true"}};
  if (auto from = parse_gmt(o.from)) {
    // modified_after is exclusive: one second earlier includes `from`.
    query.emplace_back("modified_after", format_gmt(*from - 1));
  }
  CollectionPage page = client_.get_collection("orders", query);
  sink.origin(page.path + "?page=" + std::to_string(o.page));
  simdjson::dom::parser parser;
  simdjson::dom::array items = parse_page(parser, page);
  size_t count = 0;
  int64_t newest = parse_gmt(o.from).value_or(INT64_MIN);
  int64_t from_before = newest;
  std::string record, error;
  for (simdjson::dom::element item : items) {
    ++count;
    std::string_view modified;
    if (!item["date_modified_gmt"].get(modified)) {
      if (auto t = parse_gmt(modified); t && *t > newest) newest = *t;
    }
    record.clear();
    bool ok = map_order(item, options_.status_events, record, error);
    emit(sink, ok, record, error, item, count);
  }
  if (newest != INT64_MIN) {
    auto seen = parse_gmt(o.max_seen);
    if (!seen || newest > *seen) o.max_seen = format_gmt(newest);
  }
  if (last_page(count, options_.per_page, o.page, page.total_pages)) {
    o.in_scan = false;
    o.page = 1;
    orders_done_ = true;
  } else if (newest > from_before) {
    o.from = format_gmt(newest);  // keyset step: unread records are all >= newest
    o.page = 1;
  } else {
    ++o.page;  // a whole page inside one second: page within it
  }
  return count;
}

}  // namespace halo::woo
