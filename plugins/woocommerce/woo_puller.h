// woo_puller.h -- pull mode: reads customers and orders page by page and
// emits Segment records, advancing the WooCursor (scan rules in
// woo_cursor.h, loss/double-count argument in README "Why it is exact").
//
// Invariants: one next() call emits the records of one page (it reads
// further pages while pages yield nothing to emit, so a scan over pages
// imported before costs no idle wait of the kernel); next() called again
// after it returned true starts new scans from the cursor (polling);
// cursor() always describes the
// position *after* the records emitted so far, so committing it with them
// and resuming from it re-reads at most what the overlap dictates.
#pragma once

#include "woo_client.h"
#include "woo_cursor.h"
#include "woo_options.h"

#include <halo/sdk.hpp>

#include <cstdint>

namespace halo::woo {

class WooPuller {
 public:
  WooPuller(const WooClient &client, const WooOptions &options, WooCursor cursor);

  // Emits the next page's records; returns true when this pass has read
  // everything (the caller then signals end_of_data). The call after that
  // begins the next pass.
  bool next(const halo::Sink &sink);
  const WooCursor &cursor() const { return cursor_; }

 private:
  size_t customers_page(const halo::Sink &sink);
  size_t orders_page(const halo::Sink &sink);
  void begin_scans();
  void restart();

  const WooClient &client_;
  const WooOptions &options_;
  WooCursor cursor_;
  bool customers_done_;
  bool orders_done_;
  bool finished_ = false;  // the last next() returned true
};

}  // namespace halo::woo
