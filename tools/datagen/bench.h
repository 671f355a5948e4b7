// bench.h -- `halo-datagen bench`: one large Segment JSONL file for
// throughput benchmarks (~400 bytes/line).
//
// Invariants: exactly `events` lines; ~1% are byte-identical re-sends of the
// previous valid line, ~0.1% are truncated (invalid JSON); the rest are
// distinct valid messages. Customers browse anonymously, sign in (identify
// links anonymousId to userId + traits), switch devices, and buy (`Order
// Completed` with properties.revenue). Same options -> identical bytes.
//
// The identity-heavy shape (BenchShape::kIdentity) adds what makes identity
// resolution work hard: a loyalty card per customer, phones written every
// way people write them (Persian digits among them) in traits and in
// context.traits, identifiers on most signed-in events, devices switched on
// 25% of signed-in events instead of 2% (each next sign-in merges the
// device's anonymous profile), and in-store purchases under the till's own
// anonymous id without a userId, by loyalty card (and half the time phone).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/status.h"

namespace halo::datagen {

enum class BenchShape { kWeb, kIdentity };

struct BenchOptions {
  std::filesystem::path out_file;
  uint64_t events = 1000000;
  uint32_t customers = 50000;
  uint64_t seed = 42;
  BenchShape shape = BenchShape::kWeb;
};

struct BenchSummary {
  uint64_t lines = 0;
  uint64_t bytes = 0;
  uint64_t identify = 0, track = 0, page = 0;  // valid, distinct messages
  uint64_t order_completed = 0;
  uint64_t in_store = 0;  // of those, bought at a till by loyalty card (identity shape)
  int64_t revenue_minor = 0;
  uint64_t duplicates = 0;
  uint64_t malformed = 0;
  double seconds = 0;
};

// Per-customer state is held in memory; this bounds it (and catches "-1").
inline constexpr uint32_t kMaxBenchCustomers = 10000000;

Result<BenchSummary> run_bench(const BenchOptions &options);

// One line for the terminal, e.g. "bench: 1000000 lines (412 B/line) ... in 2.1 s".
std::string describe(const BenchSummary &summary, const std::filesystem::path &file);

}  // namespace halo::datagen
