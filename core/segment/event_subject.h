// event_subject.h -- one event of a batch as an event filter (a trigger's
// `on.where`, ExprScope::kEvent) reads it: "properties.NAME",
// "context.NAME", "traits.NAME" are the event's scalar leaves at those
// dotted paths (`properties.products.0.price` for an array item), typed as
// received (numbers exact); a path with `[]` (`properties.products[].price`)
// reads the elements it names, in order (halo/field_path.hpp); now() is the
// event's own time.
// The values the expression reads are copied at construction: the subject
// does not hold on to the batch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "event/event.h"
#include "profile/typed_value.h"
#include "segment/segment_expr.h"

namespace halo::segment {

class EventSubject : public Subject {
 public:
  // The leaves of event `i` of `batch` at `paths` (an expression's
  // paths()); a path the event lacks, or holds null at, reads as absent.
  EventSubject(const EventBatch &batch, size_t i, const std::vector<std::string> &paths);
  const TypedValue *value(std::string_view path) const override;
  std::span<const TypedValue> elements(std::string_view path) const override;
  int64_t now_ms() const override { return now_ms_; }

 private:
  struct NamedElements {
    std::string_view path;  // one of the expression's paths (outlives the subject)
    std::vector<TypedValue> values;
  };
  NamedValues values_;
  std::vector<NamedElements> elements_;
  int64_t now_ms_;
};

}  // namespace halo::segment
