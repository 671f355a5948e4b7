// message_keys_test.cpp -- the dedup key set against a std::set model,
// with keys forced into long collision chains across the table's wrap.
#include "pipeline/message_keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace halo {
namespace {

TEST(MessageKeySet, MatchesASetModelUnderRandomInsertAndErase) {
  std::mt19937_64 rng(7);
  MessageKeySet set;
  std::set<std::pair<uint64_t, uint64_t>> model;
  for (int step = 0; step < 200000; ++step) {
    // A home slot is the top bits of `lo` scaled to the table: three narrow
    // ranges (one at the very end) make long shared chains that wrap around.
    const uint64_t top[] = {0, 14, 15};
    MessageKey k{rng() % 50, (rng() % 64) | (top[rng() % 3] << 60)};
    if (rng() % 3 == 0) {
      set.erase(k);
      model.erase({k.hi, k.lo});
    } else {
      bool added = model.insert({k.hi, k.lo}).second;
      ASSERT_EQ(set.insert(k), added) << "step " << step;
    }
    ASSERT_EQ(set.size(), model.size());
    MessageKey probe{rng() % 50, (rng() % 64) | (top[rng() % 3] << 60)};
    ASSERT_EQ(set.contains(probe), model.count({probe.hi, probe.lo}) > 0) << "step " << step;
  }
  for (const auto &[hi, lo] : model) EXPECT_FALSE(set.insert(MessageKey{hi, lo}));
}

TEST(MessageKeySet, ZeroKeyAndGrowth) {
  MessageKeySet set;
  EXPECT_FALSE(set.contains(MessageKey{0, 0}));
  EXPECT_TRUE(set.insert(MessageKey{0, 0}));
  EXPECT_FALSE(set.insert(MessageKey{0, 0}));
  EXPECT_TRUE(set.contains(MessageKey{0, 0}));
  // Odd multipliers spread the keys like hashes do (over the shards and the
  // slots); keys that all share a home slot would only test patience.
  constexpr uint64_t kSpread = 0x9E3779B97F4A7C15u;
  for (uint64_t i = 1; i <= 100000; ++i)
    ASSERT_TRUE(set.insert(MessageKey{i * kSpread, i * 31 * kSpread}));
  EXPECT_EQ(set.size(), 100001u);
  // A load of at least 1/2: at most 32 bytes a key.
  EXPECT_LE(set.memory_bytes(), 32 * set.size());
  set.erase(MessageKey{0, 0});
  EXPECT_FALSE(set.contains(MessageKey{0, 0}));
  EXPECT_TRUE(set.insert(MessageKey{0, 0}));
}

TEST(MessageKeySet, InsertAllEqualsOneInsertPerKeyIncludingRepeats) {
  std::mt19937_64 rng(11);
  std::vector<MessageKey> keys;
  constexpr uint64_t kSpread = 0x9E3779B97F4A7C15u;  // over the shards and the slots
  for (int i = 0; i < 50000; ++i) {
    keys.push_back({rng() % 1000 * kSpread, rng() % 3000 * kSpread});  // many repeats
  }
  keys.push_back({0, 0});
  MessageKeySet one_by_one, all;
  one_by_one.insert(MessageKey{5, 5});
  for (const MessageKey &k : keys) one_by_one.insert(k);
  all.insert(MessageKey{5, 5});  // not empty before: the table must grow for the rest
  all.insert_all(keys.data(), keys.size());
  all.insert_all(keys.data(), 0);
  EXPECT_EQ(all.size(), one_by_one.size());
  for (const MessageKey &k : keys) EXPECT_FALSE(all.insert(k));
}

TEST(MessageKeySet, RealKeysCostAboutTwentySixBytesEachAtEverySize) {
  // Hashed ids fill the shards evenly and the shards grow at staggered
  // moments: from a few thousand keys on, the set never holds much more
  // than its average (a single table swung between 21 and 32 bytes a key),
  // and a reserve of n keys makes room for all of them at once.
  MessageKeySet reserved, grown;
  constexpr size_t kKeys = 300000;
  reserved.reserve(kKeys);
  const size_t reserved_bytes = reserved.memory_bytes();
  double most = 0, least = 1e9;
  for (size_t i = 0; i < kKeys; ++i) {
    MessageKey k = message_key("web", "m" + std::to_string(i));
    ASSERT_TRUE(reserved.insert(k));
    ASSERT_TRUE(grown.insert(k));
    if (i >= 20000 && i % 1000 == 0) {
      double per_key = static_cast<double>(grown.memory_bytes()) / static_cast<double>(i + 1);
      most = std::max(most, per_key);
      least = std::min(least, per_key);
    }
  }
  EXPECT_EQ(reserved.memory_bytes(), reserved_bytes) << "a reserved shard grew";
  EXPECT_LE(reserved.memory_bytes(), 32 * kKeys);
  EXPECT_LE(most, 28.0);
  EXPECT_GE(least, 24.0);
  EXPECT_FALSE(grown.insert(message_key("web", "m0")));
}

TEST(MessageKeyFilter, NeverMissesAnAddedKeyAndPassesFewOthers) {
  // Real keys (XXH3-128 of source and id), as the stored log holds them.
  for (size_t n : {0, 1, 10'000}) {
    MessageKeyFilter filter(n);
    for (size_t i = 0; i < n; ++i) filter.add(message_key("events", "in-" + std::to_string(i)));
    for (size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(filter.may_contain(message_key("events", "in-" + std::to_string(i)))) << i;
    }
    size_t passed = 0;
    constexpr size_t kOthers = 200'000;
    for (size_t i = 0; i < kOthers; ++i) {
      passed += filter.may_contain(message_key("events", "out-" + std::to_string(i)));
    }
    // 16 bits per key: about 1 - e^(-1/16) = 6% of other keys pass.
    EXPECT_LT(passed, kOthers / 10) << n << " keys";
  }
}

TEST(MessageKey, DependsOnSourceAndId) {
  EXPECT_FALSE(message_key("web", "m1").hi == message_key("pos", "m1").hi);
  EXPECT_FALSE(message_key("web", "m1").lo == message_key("web", "m2").lo);
  EXPECT_TRUE(message_key("web", "m1").lo == message_key("web", "m1").lo);
}

}  // namespace
}  // namespace halo
