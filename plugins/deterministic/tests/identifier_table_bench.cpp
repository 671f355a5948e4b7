// identifier_table_bench.cpp -- micro-benchmark of IdentifierTable (not a
// test; run by hand): inserts N identifiers shaped like the production mix
// (emails, user ids, anonymous ids, phones), then looks each up once (hits)
// and N absent ones (misses). Prints time per operation and the heap bytes
// the table holds per identifier (glibc mallinfo2, so it counts what the
// allocator really handed out, slack included).
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "identifier_table.h"

using halo::deterministic::IdentifierTable;

namespace {

std::string make_value(uint32_t type, uint64_t n) {
  switch (type) {
    case 0:
      return "user" + std::to_string(n) + "@example.com";
    case 1:
      return "u-" + std::to_string(n * 7919);
    case 2:
      return "anon-" + std::to_string(n * 104729) + "-" + std::to_string(n % 977);
    default:
      return "+98912" + std::to_string(1000000 + n);
  }
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

// Bytes handed out by malloc, including the large blocks it maps directly.
size_t heap_in_use() {
  struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

int main(int argc, char **argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  std::vector<std::string> values(n), absent(n);
  for (size_t i = 0; i < n; ++i) {
    values[i] = make_value(i % 4, i);
    absent[i] = make_value(i % 4, i + n);
  }
  const size_t heap_before = heap_in_use();
  auto t0 = std::chrono::steady_clock::now();
  size_t table_bytes = 0;
  {
    IdentifierTable table;
    for (size_t i = 0; i < n; ++i) {
      if (!table.find(i % 4, values[i]))
        table.insert(i % 4, values[i], static_cast<uint32_t>(i / 2));
    }
    const double insert_s = seconds_since(t0);
    table_bytes = heap_in_use() - heap_before;
    size_t value_bytes = 0;
    for (const std::string &v : values) value_bytes += v.size();

    std::mt19937_64 rng(42);
    std::vector<uint32_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
    std::shuffle(order.begin(), order.end(), rng);
    t0 = std::chrono::steady_clock::now();
    uint64_t sum = 0;
    for (uint32_t i : order) sum += table.profile_slot(*table.find(i % 4, values[i]));
    const double hit_s = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    size_t found = 0;
    for (uint32_t i : order) found += table.find(i % 4, absent[i]).has_value();
    const double miss_s = seconds_since(t0);

    std::printf("identifiers %zu, value bytes %zu (%.1f/identifier)\n", n, value_bytes,
                double(value_bytes) / n);
    std::printf("table heap %zu bytes = %.1f B/identifier (%.1f B/identifier beyond values)\n",
                table_bytes, double(table_bytes) / n, double(table_bytes - value_bytes) / n);
    std::printf("find+insert %.1f ns/op, find hit %.1f ns/op, find miss %.1f ns/op (%llu %zu)\n",
                insert_s * 1e9 / n, hit_s * 1e9 / n, miss_s * 1e9 / n,
                static_cast<unsigned long long>(sum % 7), found);
  }
  return 0;
}
