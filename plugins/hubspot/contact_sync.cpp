// contact_sync.cpp -- listing/search paging for the hubspot source (see
// contact_sync.h for the invariants).
#include "contact_sync.h"

#include "common/time_text.h"
#include "common/wire_text.h"

#include <algorithm>
#include <stdexcept>

namespace halo::plugins::hubspot {

void ContactSync::restore(std::string_view text) {
  std::string error;
  auto c = decode_cursor(text, error);
  if (!c) {
    throw halo::Error("hubspot: " + error + "; reset this source's checkpoint to start over",
                      HALO_FATAL);
  }
  cur_ = std::move(*c);
}

std::string_view ContactSync::cursor() {
  encoded_ = encode_cursor(cur_);
  return encoded_;
}

ContactPage ContactSync::fetch_page() {
  bool full = cur_.phase == SyncPhase::kFull;
  const char *path = full ? HubspotApi::kListPath : HubspotApi::kSearchPath;
  halo::HttpRequest request =
      full ? api_.list_request(cur_.after) : api_.search_request(cur_.watermark_ms, cur_.after);
  halo::HttpResponse response = host_.http(request);
  api_.check_response(response, request.method.c_str(), path);
  ContactPage page;
  try {
    page = parse_contact_page(response.body());
  } catch (const std::runtime_error &e) {
    throw halo::Error(std::string("hubspot: ") + request.method + " " + path + ": " + e.what(),
                      HALO_ERROR);
  }
  // Search responses carry no rate headers; list responses do.
  window_used_up_ = HubspotApi::window_exhausted(response);
  host_.metric("hubspot.pages", 1);
  return page;
}

bool ContactSync::already_emitted(const Contact &c) const {
  if (cur_.phase != SyncPhase::kIncremental || c.modified_ms != cur_.watermark_ms) return false;
  const auto &ids = cur_.watermark_ids;
  return std::find(ids.begin(), ids.end(), c.id) != ids.end();
}

void ContactSync::note_emitted(const Contact &c) {
  if (cur_.phase != SyncPhase::kIncremental) return;
  if (c.modified_ms > cur_.scan_max_ms) {
    cur_.scan_max_ms = c.modified_ms;
    cur_.scan_max_ids.assign(1, c.id);
  } else if (c.modified_ms == cur_.scan_max_ms &&
             std::find(cur_.scan_max_ids.begin(), cur_.scan_max_ids.end(), c.id) ==
                 cur_.scan_max_ids.end()) {
    cur_.scan_max_ids.push_back(c.id);
  }
}

uint32_t ContactSync::emit_page(const ContactPage &page, const halo::Sink &sink, uint32_t budget) {
  uint32_t consumed = 0;
  for (size_t i = cur_.skip; i < page.entries.size() && consumed < budget; ++i, ++consumed) {
    const ContactPage::Entry &e = page.entries[i];
    uint64_t position = uint64_t{cur_.query_offset} + i;
    if (!e.ok) {
      sink.error(HALO_REASON_INVALID, "hubspot: " + e.bad.reason, e.bad.raw, position);
      continue;
    }
    if (already_emitted(e.contact)) continue;
    record_.clear();
    append_identify(e.contact, record_);
    sink.record(record_, position);
    note_emitted(e.contact);
  }
  cur_.skip += consumed;
  return consumed;
}

void ContactSync::promote_scan_max() {
  if (cur_.scan_max_ms > cur_.watermark_ms) {
    cur_.watermark_ms = cur_.scan_max_ms;
    cur_.watermark_ids = std::move(cur_.scan_max_ids);
  } else if (cur_.scan_max_ms == cur_.watermark_ms) {
    for (auto &id : cur_.scan_max_ids) {
      auto &ids = cur_.watermark_ids;
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
    }
  }
  cur_.scan_max_ms = 0;
  cur_.scan_max_ids.clear();
}

void ContactSync::restart_search_at_scan_max() {
  if (cur_.scan_max_ms <= cur_.watermark_ms) {
    throw halo::Error("hubspot: more than " + std::to_string(kSearchResultCap) +
                          " contacts share lastmodifieddate " + format_iso8601(cur_.watermark_ms) +
                          "; the search API cannot page past them (lower the load or import "
                          "with a full listing by resetting this source's checkpoint)",
                      HALO_FATAL);
  }
  host_.info("hubspot: search reached the " + std::to_string(kSearchResultCap) +
             "-result cap; restarting at lastmodifieddate " + format_iso8601(cur_.scan_max_ms));
  promote_scan_max();
  cur_.after.clear();
  cur_.query_offset = 0;
}

bool ContactSync::advance(const ContactPage &page) {
  cur_.skip = 0;
  cur_.query_offset += static_cast<uint32_t>(page.entries.size());
  if (cur_.phase == SyncPhase::kFull) {
    if (!page.next_after.empty()) {
      cur_.after = page.next_after;
      return false;
    }
    cur_.phase = SyncPhase::kIncremental;
    cur_.watermark_ms = std::max<int64_t>(0, cur_.full_started_ms - kListingOverlapMs);
    cur_.watermark_ids.clear();
    cur_.after.clear();
    cur_.query_offset = 0;
    return true;
  }
  if (page.next_after.empty()) {
    promote_scan_max();
    cur_.after.clear();
    cur_.query_offset = 0;
    return true;
  }
  if (cur_.query_offset + api_.options().page_size > kSearchResultCap) {
    restart_search_at_scan_max();
    return false;
  }
  cur_.after = page.next_after;
  return false;
}

void ContactSync::next_batch(const halo::Sink &sink, uint32_t max_records) {
  if (cur_.phase == SyncPhase::kFull && cur_.full_started_ms == 0) {
    cur_.full_started_ms = host_.now_ms();
  }
  uint32_t budget = std::max<uint32_t>(1, max_records);
  window_used_up_ = false;
  while (budget > 0 && !window_used_up_) {
    // A failing page throws even after records of earlier pages were
    // emitted in this call: the kernel keeps those and commits them with
    // the cursor, which covers exactly them (plugin.h, next_batch).
    ContactPage page = fetch_page();
    sink.origin(cur_.phase == SyncPhase::kFull ? HubspotApi::kListPath : HubspotApi::kSearchPath);
    budget -= emit_page(page, sink, budget);
    if (cur_.skip < page.entries.size()) break;  // budget spent mid-page
    if (advance(page)) {
      sink.end_of_data();
      return;
    }
  }
  if (window_used_up_) {
    // The records of this call are kept; the kernel backs off before the
    // next request.
    throw halo::Error(
        "hubspot: rate-limit window used up (X-HubSpot-RateLimit-Remaining: 0); "
        "backing off before the next request",
        HALO_RETRY);
  }
}

}  // namespace halo::plugins::hubspot
