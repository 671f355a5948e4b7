// square_cursor.h -- the resumable position of the square source and its
// text codec (a JSON object, "v": 1).
//
// Invariants:
//  - A run syncs customers, then orders; `phase` names the one in progress.
//  - `scan` describes the search in progress: its exact request body
//    without the cursor (`query`), the Square paging `token` of the page
//    being read ("" = first page), `skip` (results of that page already
//    emitted) and the window [start_ms, end_ms]. Follow-up pages always
//    send this stored query byte for byte (Square rejects a changed query
//    with a cursor). query == "" means no search is in progress.
//  - Watermarks only move forward; each is the end_ms of the last search
//    that ran to completion for that object type (0 = never).
//  - decode(encode(c)) == c; decode rejects other text with a message.
#pragma once

#include "square_page.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace halo::plugins::square {

struct SearchScan {
  std::string query;
  std::string token;
  uint32_t skip = 0;
  int64_t start_ms = 0;  // 0 = unbounded (first run)
  int64_t end_ms = 0;
  bool operator==(const SearchScan &) const = default;
};

struct SquareCursor {
  SquareObject phase = SquareObject::kCustomer;
  int64_t customers_watermark_ms = 0;
  int64_t orders_watermark_ms = 0;
  SearchScan scan;
  bool operator==(const SquareCursor &) const = default;
};

std::string encode_cursor(const SquareCursor &cursor);
std::optional<SquareCursor> decode_cursor(std::string_view text, std::string &error);

}  // namespace halo::plugins::square
