// log_carriers.cpp -- scan_carriers, scan_record (log_carriers.h).
#include "pipeline/log_carriers.h"

#include <algorithm>
#include <span>
#include <thread>

#include "pipeline/message_keys.h"
#include "pipeline/parse_stage.h"

namespace halo {

namespace {

struct Found {
  size_t index = 0;  // in its stored batch
  Carrier carrier;
};

// The events of `logged` (at `offset` in their stored batch) `select` picks.
std::vector<Found> select_events(std::span<const LoggedEvent> logged, size_t offset,
                                 ParseStage &stage, std::string_view source,
                                 const CarrierSelect &select) {
  std::vector<Found> out;
  EventBatch scratch;
  for (size_t i = 0; i < logged.size(); ++i) {
    const LoggedEvent &e = logged[i];
    if (!source.empty() && e.source != source) continue;
    scratch.clear();
    Rejection why;
    if (!stage.normalize_one(e.raw, e.source, e.received_at_ms, scratch, &why)) continue;
    if (!select(e, scratch)) continue;
    Found &f = out.emplace_back();
    f.index = offset + i;
    for (const Identifier &id : scratch.identifiers) {
      f.carrier.identifiers.emplace_back(id.type, id.value);
    }
    for (const Event &ev : scratch.events) f.carrier.timestamps_ms.push_back(ev.timestamp_ms);
  }
  return out;
}

}  // namespace

CarrierSelect record_select(std::string source, std::string message_id) {
  return [source = std::move(source), message_id = std::move(message_id)](
             const LoggedEvent &logged, const EventBatch &normalized) {
    return logged.source == source && !normalized.events.empty() &&
           normalized.events[0].message_id == message_id;
  };
}

CarrierSelect identifier_select(std::string type, std::string value) {
  return [type = std::move(type), value = std::move(value)](const LoggedEvent &,
                                                            const EventBatch &normalized) {
    return std::any_of(normalized.identifiers.begin(), normalized.identifiers.end(),
                       [&](const Identifier &id) { return id.type == type && id.value == value; });
  };
}

Status scan_carriers(Store &store, const NormalizeOptions &options, std::string_view source,
                     const CarrierSelect &select,
                     const std::function<Status(const LoggedEvent &, const Carrier &)> &fn,
                     uint64_t first, uint64_t last) {
  ParseStage head_stage(options, 1), tail_stage(options, 1);
  return store.scan_events(first, last, [&](const std::vector<LoggedEvent> &logged) -> Status {
    // Only the batch's events within [first, last] (sequences ascend): a
    // record's copy is one event of its stored batch.
    auto lo = std::lower_bound(logged.begin(), logged.end(), first,
                               [](const LoggedEvent &e, uint64_t s) { return e.sequence < s; });
    auto hi = std::upper_bound(lo, logged.end(), last,
                               [](uint64_t s, const LoggedEvent &e) { return s < e.sequence; });
    const std::span<const LoggedEvent> all(lo, hi);
    const size_t offset = static_cast<size_t>(lo - logged.begin());
    // Halves normalized on two threads, when there are enough to share.
    constexpr size_t kShareFrom = 256;
    const size_t half = all.size() >= kShareFrom ? all.size() / 2 : all.size();
    std::vector<Found> tail;
    std::thread other;
    if (half < all.size()) {
      other = std::thread([&] {
        tail = select_events(all.subspan(half), offset + half, tail_stage, source, select);
      });
    }
    std::vector<Found> head = select_events(all.first(half), offset, head_stage, source, select);
    if (other.joinable()) other.join();
    for (std::vector<Found> *part : {&head, &tail}) {
      for (const Found &f : *part) {
        Status s = fn(logged[f.index], f.carrier);
        if (!s.ok()) return s;
      }
    }
    return Status::Ok();
  });
}

Result<std::vector<uint64_t>> record_sequences(Store &store, std::string_view source,
                                               std::string_view message_id) {
  const MessageKey key = message_key(source, message_id);
  std::vector<uint64_t> at;
  Status s =
      store.scan_message_keys(0, SIZE_MAX, [&](uint64_t first, const MessageKey *keys, size_t n) {
        for (size_t i = 0; i < n; ++i) {
          if (keys[i] == key) at.push_back(first + i);
        }
      });
  if (!s.ok()) return s;
  return at;
}

Status scan_record(Store &store, const NormalizeOptions &options, const std::string &source,
                   const std::string &message_id,
                   const std::function<Status(const LoggedEvent &, const Carrier &)> &fn) {
  auto at = record_sequences(store, source, message_id);
  if (!at.ok()) return at.status();
  const CarrierSelect select = record_select(source, message_id);
  bool seen = false;
  auto seeing = [&](const LoggedEvent &e, const Carrier &c) {
    seen = true;
    return fn(e, c);
  };
  for (uint64_t sequence : *at) {
    Status s = scan_carriers(store, options, source, select, seeing, sequence, sequence);
    if (!s.ok()) return s;
  }
  return seen ? Status::Ok() : scan_carriers(store, options, source, select, fn);
}

}  // namespace halo
