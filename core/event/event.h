// event.h -- the kernel's normalized event model (Segment-spec shaped:
// https://segment.com/docs/connections/spec/) and the batch that carries events between pipeline
// stages and across the plugin ABI.
//
// Invariants:
//  - Every string_view in an EventBatch points into that batch's arena, into
//    static storage, or -- for batches the parse stage fills -- into the
//    RawBatch the events were parsed from, which travels with them (see
//    ParseStage::run); it is valid until the batch is cleared or dies.
//  - events[i].field_begin/field_count index `fields`, id_begin/id_count index
//    `identifiers`; ranges of different events never overlap.
//  - Identifier values are already normalized (email lower-cased, phone in
//    E.164, digits folded to ASCII).
//  - `sequence` is the event's position in the store's event log: strictly
//    increasing in log order and identical when the log is replayed.
#pragma once

#include <halo/plugin.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace halo {

// Append-only byte arena: copies strings into large blocks so a batch of
// thousands of events costs a handful of allocations.
class StringArena {
 public:
  std::string_view copy(std::string_view s);
  // Reserves n writable bytes; the caller fills them.
  char *allocate(size_t n);
  void clear();  // keeps the first block for reuse
  size_t bytes_used() const { return used_total_; }

 private:
  static constexpr size_t kBlockSize = 1 << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<size_t> block_sizes_;
  size_t pos_ = 0;  // offset in the last block
  size_t used_total_ = 0;
};

// A scalar leaf. For numbers `text` is the literal's exact decimal text.
struct Value {
  halo_value_kind kind = HALO_VALUE_NULL;
  bool boolean = false;
  double number = 0;
  std::string_view text;
};

// One scalar leaf of the event at a dotted path: "properties.revenue",
// "context.traits.email", "properties.products.0.price".
struct Field {
  std::string_view path;
  Value value;
};

struct Identifier {
  std::string_view type;   // configured identifier type, e.g. "email"
  std::string_view value;  // normalized value
};

struct Event {
  halo_event_type type = HALO_EVENT_TRACK;
  std::string_view message_id;
  std::string_view name;       // track: event name; page/screen: name
  std::string_view source;     // pipeline source name
  int64_t timestamp_ms = 0;    // when it happened (UTC)
  int64_t received_at_ms = 0;  // when Halo received it (UTC)
  uint64_t sequence = 0;       // event-log position (set by the pipeline)
  uint32_t field_begin = 0, field_count = 0;
  uint32_t id_begin = 0, id_count = 0;
  std::string_view raw;  // the record exactly as accepted (JSON)
};

struct EventBatch {
  std::vector<Event> events;
  std::vector<Field> fields;
  std::vector<Identifier> identifiers;
  StringArena arena;

  void clear();
  size_t size() const { return events.size(); }
  // The leaves of event i, in the order normalized.
  std::span<const Field> fields_of(size_t i) const {
    return std::span(fields).subspan(events[i].field_begin, events[i].field_count);
  }
  // Linear search over the event's leaves; events have tens of fields.
  const Field *find_field(size_t i, std::string_view path) const;
};

}  // namespace halo
