// normalizer_commit.cpp -- the only code that writes to the destination
// batch: copies the accepted record's strings into the batch arena (paths,
// identifier types and the source name interned, values copied) and appends
// the Event with its contiguous field and identifier ranges.
#include <cstdint>
#include <cstring>

#include "normalize/normalizer_impl.h"
#include "normalize/persian.h"

namespace halo {

// The intern table is valid only while `out` is the batch it was built for
// and nobody else touched it since our last append (a clear() or a foreign
// append changes the event count or the arena size).
void NormalizerImpl::check_intern_table(const EventBatch &out) {
  if (intern_batch_ == &out && intern_events_ == out.events.size() &&
      intern_arena_bytes_ == out.arena.bytes_used()) {
    return;
  }
  interned_.clear();
  intern_batch_ = &out;
}

std::string_view NormalizerImpl::intern(std::string_view s, uint64_t hash, StringArena &arena) {
  if (const PathTable::Entry *e = interned_.find(s, hash)) return e->key;
  std::string_view copy = arena.copy(s);
  if (!s.empty()) interned_.insert(copy, hash, 0);
  return copy;
}

std::string_view NormalizerImpl::copy_text(std::string_view s, bool fold_letters,
                                           StringArena &arena) {
  if (!fold_letters || !has_non_ascii(s)) return arena.copy(s);
  char *dst = arena.allocate(s.size());
  fold_persian_letters_to(s, dst);  // length-preserving (see persian.h)
  return {dst, s.size()};
}

// Leaf values that are bytes of the record itself (numbers, strings
// without escapes) become views into the event's copy of the record; the
// others (unescaped or letter-folded strings) are copied with one arena
// allocation (tens of leaves per event: one bump instead of one call each).
void NormalizerImpl::commit_fields(EventBatch &out, std::string_view record) {
  const auto input = reinterpret_cast<uintptr_t>(parse_buf_);
  auto offset_in_record = [&](std::string_view text, size_t *offset) {
    const auto at = reinterpret_cast<uintptr_t>(text.data());
    if (at < input || at - input > record.size() || text.size() > record.size() - (at - input)) {
      return false;
    }
    *offset = at - input;
    return true;
  };
  size_t total = 0, offset = 0;
  for (const PendingLeaf &leaf : leaves_) {
    if (leaf.fold_letters || !offset_in_record(leaf.value.text, &offset)) {
      total += leaf.value.text.size();
    }
  }
  char *dst = total == 0 ? nullptr : out.arena.allocate(total);
  for (const PendingLeaf &leaf : leaves_) {
    Field field;
    field.path = intern(std::string_view(path_text_).substr(leaf.path_begin, leaf.path_len),
                        leaf.path_hash, out.arena);
    field.value = leaf.value;
    std::string_view text = leaf.value.text;
    if (!leaf.fold_letters && offset_in_record(text, &offset)) {
      field.value.text = record.substr(offset, text.size());
    } else if (!text.empty()) {
      if (leaf.fold_letters) {
        fold_persian_letters_to(text, dst);  // length-preserving (see persian.h)
      } else {
        std::memcpy(dst, text.data(), text.size());
      }
      field.value.text = {dst, text.size()};
      dst += text.size();
    }
    out.fields.push_back(field);
  }
}

void NormalizerImpl::commit(std::string_view raw, bool borrow_raw, std::string_view source,
                            int64_t received_at_ms, EventBatch &out) {
  check_intern_table(out);
  StringArena &arena = out.arena;
  Event event;
  event.type = event_type_;
  event.message_id = arena.copy(record_.message_id);
  event.name = copy_text(event_name_, fold_event_name_, arena);
  event.source = intern(source, arena);
  event.timestamp_ms = timestamp_ms_;
  event.received_at_ms = received_at_ms;
  event.raw = borrow_raw ? raw : arena.copy(raw);  // first: fields may point into it
  event.field_begin = static_cast<uint32_t>(out.fields.size());
  event.field_count = static_cast<uint32_t>(leaves_.size());
  commit_fields(out, event.raw);
  event.id_begin = static_cast<uint32_t>(out.identifiers.size());
  event.id_count = static_cast<uint32_t>(ids_.size());
  for (const PendingIdentifier &id : ids_) {
    out.identifiers.push_back(
        {intern(id.type, arena), arena.copy(std::string_view(id_text_).substr(id.begin, id.len))});
  }
  out.events.push_back(event);
  intern_events_ = out.events.size();
  intern_arena_bytes_ = out.arena.bytes_used();
}

}  // namespace halo
