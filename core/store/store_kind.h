// store_kind.h -- the names of the store backends (`store.kind` in the
// pipeline file) and the bounds of the other `store` keys, declared once.
// open_store() (store.h) maps each implemented kind to its backend; the
// pipeline validator (config/pipeline_config.cpp) checks `store.kind`
// against the same lists, so `halo validate` refuses exactly the kinds
// open_store() cannot open.
//
// Header-only and free of dependencies on purpose: the validator includes it
// without linking the store and its SQLite.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace halo {

// The kinds open_store() opens; the first is the default of `store.kind`.
inline const std::vector<std::string> &store_kinds() {
  static const std::vector<std::string> kinds = {"sqlite"};
  return kinds;
}

// `store.cache_bytes`: memory for the store's page cache.
// Default 16 MiB: measured no slower than 64 MiB on the 1M-event benchmark (SQLite's
// reads of pages it does not cache come from the OS page cache), at a
// quarter of the memory (docs/benchmarks.md).
inline constexpr int64_t kDefaultStoreCacheBytes = int64_t{16} << 20;
inline constexpr int64_t kMinStoreCacheBytes = int64_t{1} << 20;
inline constexpr int64_t kMaxStoreCacheBytes = int64_t{64} << 30;

// `store.log_compression_level`: the zstd level the event log's batches are
// compressed at. Level 1 keeps compression well below the parser's cost
// per event; negative levels (zstd's fast levels) compress faster into a
// larger log, higher ones slower into a smaller one. Every level decodes
// with the same decoder, so a store written at one level reads at any
// other (docs/benchmarks.md has the measured trade).
inline constexpr int kDefaultLogCompressionLevel = 1;
inline constexpr int kMinLogCompressionLevel = -7;
inline constexpr int kMaxLogCompressionLevel = 19;

// Kinds reserved for backends that are not built yet: refused with "not
// implemented yet" rather than "unknown".
inline const std::vector<std::string> &planned_store_kinds() {
  static const std::vector<std::string> kinds = {"postgres"};
  return kinds;
}

inline bool is_store_kind(std::string_view kind) {
  const auto &kinds = store_kinds();
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

inline bool is_planned_store_kind(std::string_view kind) {
  const auto &kinds = planned_store_kinds();
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

// "sqlite" or "sqlite, postgres": the implemented kinds, for messages.
inline std::string store_kinds_text() {
  std::string text;
  for (const std::string &kind : store_kinds()) text += (text.empty() ? "" : ", ") + kind;
  return text;
}

// The message for a planned kind, shared by the validator and open_store().
inline std::string planned_store_kind_message(std::string_view kind) {
  return "store kind '" + std::string(kind) +
         "' is not implemented yet (use kind: " + store_kinds().front() + ")";
}

}  // namespace halo
