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

// `store.cache_bytes`: memory for the store's page cache. Unset (or
// `auto`), the cache follows the store: kStoreCacheFloorBytes plus
// kStoreCacheBytesPerProfile for each profile id handed out, grown after
// commits, at most kStoreCacheAutoCeilingBytes. Profile and identifier
// upserts land on B-tree pages all over the store; once those outgrow the
// cache each upsert reads pages back from the OS (a fixed 16 MiB made the
// 1M-customer benchmark 15-25% slower), while a large fixed cache costs a
// small store memory and time, filling with event-log pages it never reads
// again (docs/benchmarks.md, "A page cache that follows the store").
inline constexpr int64_t kStoreCacheFloorBytes = int64_t{16} << 20;
inline constexpr int64_t kStoreCacheBytesPerProfile = 96;
inline constexpr int64_t kStoreCacheAutoCeilingBytes = int64_t{4} << 30;
// The automatic page cache for a store that has handed out `profiles`
// profile ids.
inline int64_t auto_store_cache_bytes(uint64_t profiles) {
  constexpr uint64_t kRoom =
      static_cast<uint64_t>(kStoreCacheAutoCeilingBytes - kStoreCacheFloorBytes) /
      kStoreCacheBytesPerProfile;
  return kStoreCacheFloorBytes +
         static_cast<int64_t>(std::min(profiles, kRoom)) * kStoreCacheBytesPerProfile;
}
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
