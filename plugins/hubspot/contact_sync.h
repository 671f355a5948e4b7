// contact_sync.h -- the hubspot source's paging state machine: a full
// listing of all contacts on the first run, then incremental searches on
// lastmodifieddate, turned into identify records batch by batch.
//
// Invariants:
//  - State (the HubspotCursor) changes only after a page was fetched,
//    checked and decoded, and exactly as far as records were handed to the
//    sink; so a kernel retry (which drops the batch) or a crash resumes at
//    the committed cursor without loss, and re-read records carry the same
//    messageIds (the kernel drops them).
//  - An error is thrown only before the first record of a call is emitted;
//    a later page failing ends the batch early and is retried next call.
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
  bool backoff_pending_ = false;
  std::string record_;
};

}  // namespace halo::plugins::hubspot
