// square_sync.h -- the square source's paging state machine: each run
// searches customers, then orders, over a window that starts before the
// last watermark, and emits identify / Order Completed records.
//
// Invariants:
//  - A search's window is fixed when it starts: end = host clock, start =
//    watermark - overlap (orders: late_arrival_hours, so offline POS orders
//    synced up to that late are still seen; customers: kCustomerOverlapMs
//    for Square's indexing delay). The first run has no start bound.
//    Re-read records carry the same messageIds; the kernel drops them.
//  - Follow-up pages send the stored query plus the cursor, byte for byte.
//    A restored cursor whose query no longer matches the options (config
//    changed) restarts that search from its first page instead of sending
//    a changed query with an old cursor.
//  - State changes only after a page was fetched, checked and decoded, and
//    only as far as records reached the sink. A failing page throws even
//    after records of earlier pages were emitted in the same call: the
//    kernel keeps those and commits them with the cursor, which covers
//    exactly them (plugin.h, next_batch). So retries and crashes lose and
//    double-count nothing.
//  - A watermark becomes the search's end only when the search finished.
#pragma once

#include "square_api.h"
#include "square_cursor.h"

#include <halo/sdk.hpp>

#include <string>
#include <string_view>

namespace halo::plugins::square {

constexpr int64_t kCustomerOverlapMs = 60 * 60 * 1000;

class SquareSync {
 public:
  SquareSync(const halo::Host &host, SquareApi api) : host_(host), api_(std::move(api)) {}

  void restore(std::string_view text);
  void next_batch(const halo::Sink &sink, uint32_t max_records);
  std::string_view cursor();
  const SquareCursor &state() const { return cur_; }

 private:
  void begin_scan_if_needed();
  SquarePage fetch_page();
  uint32_t emit_page(const SquarePage &page, const halo::Sink &sink, uint32_t budget);
  // Moves past a fully consumed page; true when this run is drained.
  bool advance(const SquarePage &page);

  halo::Host host_;
  SquareApi api_;
  SquareCursor cur_;
  std::string encoded_;
  uint64_t position_base_ = 0;  // results fetched by the current search
};

}  // namespace halo::plugins::square
