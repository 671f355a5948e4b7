// event_subject.cpp -- EventSubject (event_subject.h).
#include "segment/event_subject.h"

#include <halo/field_path.hpp>

namespace halo::segment {

namespace {

// The non-null leaves of event `i` that `pattern` names, in order.
std::vector<TypedValue> elements_at(const EventBatch &batch, size_t i, std::string_view pattern) {
  std::vector<TypedValue> out;
  for (const Field &leaf : batch.fields_of(i)) {
    if (leaf.value.kind == HALO_VALUE_NULL || !element_path_matches(pattern, leaf.path)) continue;
    out.push_back(TypedValue::from_leaf(leaf.value));
  }
  return out;
}

}  // namespace

EventSubject::EventSubject(const EventBatch &batch, size_t i, const std::vector<std::string> &paths)
    : now_ms_(batch.events[i].timestamp_ms) {
  for (const std::string &path : paths) {
    if (names_elements(path)) {
      elements_.push_back({path, elements_at(batch, i, path)});
      continue;
    }
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

std::span<const TypedValue> EventSubject::elements(std::string_view path) const {
  for (const NamedElements &e : elements_) {
    if (e.path == path) return e.values;
  }
  return {};
}

}  // namespace halo::segment
