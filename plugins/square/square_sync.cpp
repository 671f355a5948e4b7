// square_sync.cpp -- customers/orders paging for the square source (see
// square_sync.h for the invariants).
#include "square_sync.h"

#include <algorithm>
#include <stdexcept>

namespace halo::plugins::square {

namespace {

const char *label(SquareObject kind) {
  return kind == SquareObject::kOrder ? "orders" : "customers";
}

}  // namespace

void SquareSync::restore(std::string_view text) {
  std::string error;
  auto c = decode_cursor(text, error);
  if (!c) {
    throw halo::Error("square: " + error + "; reset this source's checkpoint to start over",
                      HALO_FATAL);
  }
  cur_ = std::move(*c);
  const SearchScan &s = cur_.scan;
  if (!s.query.empty() && api_.query(cur_.phase, s.start_ms, s.end_ms) != s.query) {
    host_.warn(std::string("square: the options changed since the ") + label(cur_.phase) +
               " search began; restarting that search from its first page");
    cur_.scan = SearchScan{};
  }
}

std::string_view SquareSync::cursor() {
  encoded_ = encode_cursor(cur_);
  return encoded_;
}

void SquareSync::begin_scan_if_needed() {
  SearchScan &s = cur_.scan;
  if (!s.query.empty()) return;
  bool orders = cur_.phase == SquareObject::kOrder;
  int64_t watermark = orders ? cur_.orders_watermark_ms : cur_.customers_watermark_ms;
  int64_t overlap = orders ? api_.options().late_arrival_hours * 3600 * 1000 : kCustomerOverlapMs;
  s.end_ms = host_.now_ms();
  s.start_ms = watermark > 0 ? std::max<int64_t>(1, watermark - overlap) : 0;
  s.token.clear();
  s.skip = 0;
  s.query = api_.query(cur_.phase, s.start_ms, s.end_ms);
}

SquarePage SquareSync::fetch_page() {
  const SearchScan &s = cur_.scan;
  halo::HttpResponse response =
      host_.http(api_.search_request(cur_.phase, SquareApi::with_cursor(s.query, s.token)));
  api_.check_response(response, cur_.phase);
  try {
    SquarePage page =
        parse_square_page(response.body(), cur_.phase, api_.options().currency_minor_units);
    host_.metric("square.pages", 1);
    return page;
  } catch (const std::runtime_error &e) {
    throw halo::Error(std::string("square: POST ") + SquareApi::path(cur_.phase) + ": " + e.what(),
                      HALO_ERROR);
  }
}

uint32_t SquareSync::emit_page(const SquarePage &page, const halo::Sink &sink, uint32_t budget) {
  uint32_t consumed = 0;
  for (size_t i = cur_.scan.skip; i < page.entries.size() && consumed < budget; ++i, ++consumed) {
    const SquarePage::Entry &e = page.entries[i];
    uint64_t position = position_base_ + i;
    if (e.ok) {
      sink.record(e.record, position);
    } else {
      sink.error(HALO_REASON_INVALID, "square: " + e.reason, e.raw, position);
    }
  }
  cur_.scan.skip += consumed;
  return consumed;
}

bool SquareSync::advance(const SquarePage &page) {
  SearchScan &s = cur_.scan;
  position_base_ += page.entries.size();
  s.skip = 0;
  if (!page.next_cursor.empty()) {
    s.token = page.next_cursor;
    return false;
  }
  bool orders = cur_.phase == SquareObject::kOrder;
  (orders ? cur_.orders_watermark_ms : cur_.customers_watermark_ms) = s.end_ms;
  s = SearchScan{};
  position_base_ = 0;
  cur_.phase = orders ? SquareObject::kCustomer : SquareObject::kOrder;
  return orders;
}

void SquareSync::next_batch(const halo::Sink &sink, uint32_t max_records) {
  uint32_t budget = std::max<uint32_t>(1, max_records);
  while (budget > 0) {
    begin_scan_if_needed();
    // A failure throws: records already emitted this call stay with the
    // kernel, committed with the cursor, which covers exactly them (plugin.h).
    SquarePage page = fetch_page();
    sink.origin(SquareApi::path(cur_.phase));
    budget -= emit_page(page, sink, budget);
    if (cur_.scan.skip < page.entries.size()) break;
    if (advance(page)) {
      sink.end_of_data();
      return;
    }
  }
}

}  // namespace halo::plugins::square
