// contact_sync.h -- the hubspot source's paging state machine: a full
// listing of all contacts on the first run, then incremental searches on
// lastmodifieddate, turned into identify records batch by batch.
//
// Invariants:
//  - State (the HubspotCursor) changes only after a page was fetched,
//    checked and decoded, and exactly as far as records were handed to the
//    sink. The kernel keeps records handed over before a HALO_RETRY or
//    HALO_ERROR and commits them with the cursor reported after the call
//    (plugin.h), so a page failing after earlier pages of the same call
//    simply throws: nothing is lost or read twice; a crash resumes at the
//    committed cursor, and re-read records carry the same messageIds (the
//    kernel drops them).
//  - A response saying the rate-limit window is used up ends the call with
//    HALO_RETRY after its records, so the kernel backs off before the next
//    request.
//  - After the full listing, the incremental watermark starts at the time
//    the listing began minus kListingOverlapMs, so contacts modified while
//    it ran are searched again.
//  - A search that would page past the 10,000-result cap restarts at the
//    newest lastmodifieddate emitted (GTE, skipping ids already emitted at
//    that instant). If one instant alone holds more than the cap, the run
//    fails with a message instead of looping.
//  - Each run ends (end_of_data) when the listing or the search is drained.
#pragma once

#include "hubspot_api.h"
#include "hubspot_cursor.h"
#include "hubspot_page.h"

#include <halo/sdk.hpp>

#include <string>
#include <string_view>

namespace halo::plugins::hubspot {

// Clock-skew/in-flight allowance between the full listing and the first
// incremental search (re-reads are deduplicated by messageId).
constexpr int64_t kListingOverlapMs = 5 * 60 * 1000;

class ContactSync {
 public:
  ContactSync(const halo::Host &host, HubspotApi api) : host_(host), api_(std::move(api)) {}

  // Throws halo::Error (FATAL) when the text is not a hubspot cursor.
  void restore(std::string_view text);
  void next_batch(const halo::Sink &sink, uint32_t max_records);
  std::string_view cursor();
  const HubspotCursor &state() const { return cur_; }

 private:
  // Fetches the page the cursor names; throws on any failure.
  ContactPage fetch_page();
  // Emits entries from cur_.skip on; returns how many were consumed.
  uint32_t emit_page(const ContactPage &page, const halo::Sink &sink, uint32_t budget);
  void note_emitted(const Contact &contact);
  bool already_emitted(const Contact &contact) const;
  // Moves past a fully consumed page; returns true when the run is drained.
  bool advance(const ContactPage &page);
  void promote_scan_max();
  void restart_search_at_scan_max();

  halo::Host host_;
  HubspotApi api_;
  HubspotCursor cur_;
  std::string encoded_;
  bool window_used_up_ = false;  // the last response's rate-limit headers
  std::string record_;
};

}  // namespace halo::plugins::hubspot
