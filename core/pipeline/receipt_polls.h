// receipt_polls.h -- when a sent message's delivery report is asked for
// again (plugin.h poll_receipts; docs/messages.md "Delivery reports").
//
// Invariant: the polls of one message are finite -- each gap is at least
// one second and none is due after its send + `for`.
#pragma once

#include <cstdint>

#include "config/pipeline_config.h"

namespace halo {

// The next poll of a message sent at `sent_at_ms` after its `polls`-th
// poll at `now_ms` (polls >= 1): the destination's `after` (at least 1 s)
// doubled per poll before this one, capped at 1 h; 0 when that is past
// the send + `for` (it is not asked again).
int64_t next_receipt_poll(const PluginUse &use, int64_t sent_at_ms, int64_t polls, int64_t now_ms);

}  // namespace halo
