// receipt_polls.cpp -- the poll schedule of receipt_polls.h and the stage
// that asks a destination's receiver for the reports of the messages it
// sent (Pipeline::poll_receipts), a page at a time.
//
// Invariants: a message is handed to poll_receipts at most once per pass
// (pages by ascending id, polls due when the pass began); the plugin's
// reports are committed by host->delivery_receipt on their own connection
// while no write of the pipeline is open; each message's poll count and
// next poll are committed after its page, so a crash at worst asks again.
#include "pipeline/receipt_polls.h"

#include <algorithm>
#include <memory>

#include "common/clock.h"
#include "common/log.h"
#include "pipeline/pipeline.h"

namespace halo {

namespace {
constexpr size_t kPollPage = 100;
constexpr int64_t kMinGapMs = 1'000;
constexpr int64_t kMaxGapMs = int64_t{60} * 60 * 1000;
}  // namespace

int64_t next_receipt_poll(const PluginUse &use, int64_t sent_at_ms, int64_t polls, int64_t now_ms) {
  int64_t gap = std::clamp(use.receipt_poll_after_ms, kMinGapMs, kMaxGapMs);
  for (int64_t k = 1; k < polls && gap < kMaxGapMs; ++k) gap *= 2;
  const int64_t next = now_ms + std::min(gap, kMaxGapMs);
  return next > sent_at_ms + use.receipt_poll_for_ms ? 0 : next;
}

Status Pipeline::poll_receipts(size_t d, bool &started, RunSummary *summary) {
  if (!destinations_[d]->polls_receipts()) return Status::Ok();
  const PluginUse &use = config_.destinations[d];
  const int64_t due = wall_ms();
  Status s;
  for (uint64_t after = 0; s.ok();) {
    if (options_.cancel && options_.cancel->load()) break;
    s = commit();  // the plugin's reports commit on a connection of their own
    if (s.ok()) s = drain_writer();
    std::vector<OutboxMessage> page;
    if (s.ok()) {
      s = store_->scan_receipt_polls(use.name, due, after, kPollPage,
                                     [&](const OutboxMessage &m) { page.push_back(m); });
    }
    if (!s.ok() || page.empty()) break;
    after = page.back().id;
    if (!started) {
      s = start_destination(d);
      if (!s.ok()) return s;
      started = true;
    }
    std::vector<halo_sent_message> sent;
    sent.reserve(page.size());
    for (const OutboxMessage &m : page) {
      halo_sent_message h{};
      h.struct_size = sizeof h;
      h.polls = static_cast<uint32_t>(m.polls);
      h.id = m.id;
      h.provider_id = m.provider_id.data();
      h.provider_id_len = m.provider_id.size();
      h.recipient = m.recipient.data();
      h.recipient_len = m.recipient.size();
      h.sent_at_ms = m.sent_at_ms;
      sent.push_back(h);
    }
    const Status call = destinations_[d]->poll_receipts(sent);
    const int64_t now = wall_ms();
    auto polled = std::make_shared<std::vector<OutboxMessage>>(std::move(page));
    for (OutboxMessage &m : *polled) {
      ++m.polls;
      m.next_poll_ms = next_receipt_poll(use, m.sent_at_ms, m.polls, now);
    }
    summary->receipts_polled += polled->size();
    s = begin_if_needed();
    if (s.ok()) {
      s = write([polled](Store &st) {
        Status w;
        for (size_t k = 0; w.ok() && k < polled->size(); ++k) {
          const OutboxMessage &m = (*polled)[k];
          w = st.set_receipt_poll(m.id, m.polls, m.next_poll_ms);
        }
        return w;
      });
    }
    if (s.ok()) s = commit();
    if (s.ok() && !call.ok()) {  // the kernel goes on; the rest are asked in a later run
      log_warn("deliver", call.message() + "; its delivery reports are asked for later");
      break;
    }
  }
  return s;
}

}  // namespace halo
