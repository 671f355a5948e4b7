// hubspot_cursor.h -- the resumable position of the hubspot source and its
// text codec (a small JSON object, version "v": 1).
//
// Invariants:
//  - The cursor names a page by the request that fetched it (phase, `after`
//    token, watermark) plus `skip`, the number of that page's results
//    already handed to the kernel; resuming re-fetches the page and skips.
//  - `watermark_ms` only moves forward. `watermark_ids` are the contacts
//    already emitted whose lastmodifieddate equals the watermark instant, so
//    a search restarted at `lastmodifieddate GTE watermark` skips them.
//  - `scan_max_ms`/`scan_max_ids` track the newest instant emitted by the
//    search in progress; they become the watermark when the search ends or
//    must restart because of the 10,000-result cap.
//  - decode(encode(c)) == c; decode rejects anything else with a message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins::hubspot {

enum class SyncPhase { kFull, kIncremental };

struct HubspotCursor {
  SyncPhase phase = SyncPhase::kFull;
  std::string after;            // paging token of the page being read; "" = first page
  uint32_t skip = 0;            // results of that page already emitted
  uint32_t query_offset = 0;    // search results fetched by the current query (10k cap)
  int64_t full_started_ms = 0;  // host clock when the full listing began
  int64_t watermark_ms = 0;
  std::vector<std::string> watermark_ids;
  int64_t scan_max_ms = 0;
  std::vector<std::string> scan_max_ids;

  bool operator==(const HubspotCursor &) const = default;
};

std::string encode_cursor(const HubspotCursor &cursor);

// Returns nullopt and sets `error` when `text` is not a cursor of this codec.
std::optional<HubspotCursor> decode_cursor(std::string_view text, std::string &error);

}  // namespace halo::plugins::hubspot
