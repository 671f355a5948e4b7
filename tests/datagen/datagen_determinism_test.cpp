// datagen_determinism_test.cpp -- same seed + size gives byte-identical
// files; another seed gives different files.
#include <gtest/gtest.h>

#include "bench.h"
#include "demo.h"
#include "test_support.h"

namespace halo::datagen::testing {
namespace {

constexpr const char *kDemoFiles[] = {"web_events.jsonl", "woo_orders.json", "pos_sales.csv",
                                      "crm_contacts.csv", "truth.jsonl",     "summary.json"};

std::filesystem::path demo(uint32_t customers, uint64_t seed) {
  auto dir = fresh_dir("det");
  auto result = run_demo({dir, customers, seed});
  EXPECT_TRUE(result.ok()) << result.status().message();
  return dir;
}

TEST(DatagenDeterminism, DemoSameSeedSameBytes) {
  const auto a = demo(400, 11), b = demo(400, 11);
  for (const char *name : kDemoFiles) {
    const std::string first = read_file(a / name);
    EXPECT_FALSE(first.empty()) << name;
    EXPECT_EQ(first, read_file(b / name)) << name << " differs between two runs with seed 11";
  }
}

TEST(DatagenDeterminism, DemoDifferentSeedDifferentBytes) {
  const auto a = demo(400, 11), b = demo(400, 12);
  for (const char *name : kDemoFiles) {
    EXPECT_NE(read_file(a / name), read_file(b / name)) << name << " ignores the seed";
  }
}

TEST(DatagenDeterminism, BenchSameSeedSameBytesDifferentSeedDifferent) {
  const auto dir = fresh_dir("det");
  for (auto [name, seed] : {std::pair{"a.jsonl", 5}, {"b.jsonl", 5}, {"c.jsonl", 6}}) {
    auto result = run_bench({dir / name, 3000, 200, static_cast<uint64_t>(seed)});
    ASSERT_TRUE(result.ok()) << result.status().message();
  }
  const std::string a = read_file(dir / "a.jsonl");
  EXPECT_EQ(a, read_file(dir / "b.jsonl"));
  EXPECT_NE(a, read_file(dir / "c.jsonl"));
}

}  // namespace
}  // namespace halo::datagen::testing
