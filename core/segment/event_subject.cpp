// event_subject.cpp -- EventSubject (event_subject.h).
#include "segment/event_subject.h"

namespace halo::segment {

EventSubject::EventSubject(const EventBatch &batch, size_t i, const std::vector<std::string> &paths)
    : now_ms_(batch.events[i].timestamp_ms) {
  for (const std::string &path : paths) {
    const Field *leaf = batch.find_field(i, path);
    if (leaf == nullptr || leaf->value.kind == HALO_VALUE_NULL) continue;
    values_.push_back({path, TypedValue::from_leaf(leaf->value)});
  }
}

const TypedValue *EventSubject::value(std::string_view path) const {
  for (const NamedValue &v : values_) {
    if (v.name == path) return &v.value;
  }
  return nullptr;
}

}  // namespace halo::segment
