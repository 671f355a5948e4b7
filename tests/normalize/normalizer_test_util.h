// normalizer_test_util.h -- small helpers shared by the normalizer tests:
// run one record through a Normalizer and read back the event's ranges.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "normalize/normalizer.h"

namespace halo::testing {

constexpr int64_t kReceivedAt = 1767348010000;  // 2026-01-02T10:00:10Z

inline std::string_view identifier(const EventBatch &b, size_t i, std::string_view type) {
  const Event &e = b.events[i];
  for (uint32_t k = e.id_begin; k < e.id_begin + e.id_count; ++k) {
    if (b.identifiers[k].type == type) return b.identifiers[k].value;
  }
  return "<none>";
}

inline std::string_view field_text(const EventBatch &b, size_t i, std::string_view path) {
  const Field *f = b.find_field(i, path);
  return f == nullptr ? "<none>" : f->value.text;
}

// Normalizes `raw` expecting a rejection; returns it (reason "" if accepted).
inline Rejection rejection_of(std::string_view raw, NormalizeOptions options = {}) {
  Normalizer n(std::move(options));
  EventBatch batch;
  Rejection why;
  if (n.normalize(raw, "web", kReceivedAt, batch, &why)) return {};
  EXPECT_EQ(batch.size(), 0u) << "a rejected record must not be appended";
  EXPECT_EQ(batch.arena.bytes_used(), 0u) << "a rejected record must not touch the arena";
  return why;
}

}  // namespace halo::testing
