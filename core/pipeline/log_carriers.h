// log_carriers.h -- the logged events an identity edit resolves again
// (`halo identity unmerge`: Pipeline::split, Pipeline::rejoin): every
// logged event normalized again with the options the edit needs, and the
// ones a predicate selects handed back in log order, with what
// normalization made of them.
//
// Normalizing every logged event is most of such an edit's time, so each
// stored batch is normalized in two halves at once, one per core; the
// predicate runs on both threads (it must only read), the callback on the
// caller's thread, in log order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "event/event.h"
#include "normalize/normalizer.h"
#include "store/store.h"

namespace halo {

// A selected logged event, as normalization saw it.
struct Carrier {
  std::vector<std::pair<std::string, std::string>> identifiers;  // (type, normalized value)
  std::vector<int64_t> timestamps_ms;                            // of its events, in order
};

// Whether a logged event (normalized into `normalized`, which holds that
// event alone) is one the edit needs. Called from two threads at once.
using CarrierSelect = std::function<bool(const LoggedEvent &logged, const EventBatch &normalized)>;

// Selects the logged record `message_id` of `source`.
CarrierSelect record_select(std::string source, std::string message_id);
// Selects the logged events that carry the identifier (type, value).
CarrierSelect identifier_select(std::string type, std::string value);

// Calls fn for every logged event `select` picks, in log order; with
// `source` given, only events of that source are normalized at all. An
// event that no longer normalizes is skipped. A status other than Ok from
// fn stops the scan and is returned. `first` and `last` bound the log
// sequences read and normalized.
Status scan_carriers(Store &store, const NormalizeOptions &options, std::string_view source,
                     const CarrierSelect &select,
                     const std::function<Status(const LoggedEvent &, const Carrier &)> &fn,
                     uint64_t first = 1, uint64_t last = UINT64_MAX);

// The log sequences holding the record `message_id` of `source`, in log
// order, by its message key in the log's key column (16 bytes an event,
// nothing decompressed or normalized).
Result<std::vector<uint64_t>> record_sequences(Store &store, std::string_view source,
                                               std::string_view message_id);

// scan_carriers with record_select(source, message_id), normalizing only the
// stored batches its record_sequences lead to; the whole log when none of
// them holds it.
Status scan_record(Store &store, const NormalizeOptions &options, const std::string &source,
                   const std::string &message_id,
                   const std::function<Status(const LoggedEvent &, const Carrier &)> &fn);

}  // namespace halo
