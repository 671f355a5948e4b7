// page_cache_test.cpp -- the SQLite store's page cache: a fixed
// `store.cache_bytes`, or (the default) a cache that grows with the profile
// id counter after each commit and is sized for the store at open.
#include "store/store_impl.h"
#include "temp_store.h"

namespace halo::testing {
namespace {

class PageCacheTest : public TempStoreTest {
 protected:
  std::unique_ptr<SqliteStore> open_with(std::optional<int64_t> cache_bytes) {
    auto store = SqliteStore::open(path_, {.cache_bytes = cache_bytes});
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  // What the store's own connection holds (SQLite reports a size set in
  // KiB as a negative number).
  static int64_t cache_bytes(SqliteStore &store) {
    sqlite3_stmt *st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(StoreAccess::db(store), "PRAGMA cache_size", -1, &st, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    const int64_t kib = -sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return kib * 1024;
  }
  static void commit_counter(SqliteStore &store, uint64_t next_profile_id) {
    ASSERT_TRUE(store.begin().ok());
    ASSERT_TRUE(store.set_meta("next_profile_id", std::to_string(next_profile_id)).ok());
    ASSERT_TRUE(store.commit().ok());
  }
};

TEST(AutoStoreCacheBytes, FloorPlusBytesPerProfileUpToTheCeiling) {
  EXPECT_EQ(auto_store_cache_bytes(0), kStoreCacheFloorBytes);
  EXPECT_EQ(auto_store_cache_bytes(1'000'000),
            kStoreCacheFloorBytes + 1'000'000 * kStoreCacheBytesPerProfile);
  EXPECT_EQ(auto_store_cache_bytes(uint64_t{1} << 40), kStoreCacheAutoCeilingBytes);
  EXPECT_EQ(auto_store_cache_bytes(UINT64_MAX), kStoreCacheAutoCeilingBytes);
}

TEST_F(PageCacheTest, AutomaticCacheGrowsWithTheProfileCounterAtCommit) {
  auto store = open_with(std::nullopt);
  ASSERT_TRUE(store);
  EXPECT_EQ(cache_bytes(*store), kStoreCacheFloorBytes);
  commit_counter(*store, 1'000'001);
  const int64_t at_million = auto_store_cache_bytes(1'000'000);
  EXPECT_EQ(cache_bytes(*store), at_million);
  // Less than an eighth more: left alone, so small commits do not re-size.
  commit_counter(*store, 1'010'001);
  EXPECT_EQ(cache_bytes(*store), at_million);
  commit_counter(*store, 2'000'001);
  EXPECT_EQ(cache_bytes(*store), auto_store_cache_bytes(2'000'000));
  // A rebuild starts the counter again: the cache does not shrink.
  ASSERT_TRUE(store->begin().ok());
  ASSERT_TRUE(store->clear_derived().ok());
  ASSERT_TRUE(store->commit().ok());
  EXPECT_EQ(cache_bytes(*store), auto_store_cache_bytes(2'000'000));
}

TEST_F(PageCacheTest, AutomaticCacheIsSizedForTheStoreAtOpen) {
  {
    auto store = open_with(std::nullopt);
    ASSERT_TRUE(store);
    commit_counter(*store, 500'001);
  }
  auto store = open_with(std::nullopt);
  ASSERT_TRUE(store);
  EXPECT_EQ(cache_bytes(*store), auto_store_cache_bytes(500'000));
}

// The rebuild opens a damaged store to repair it: a counter that cannot be
// read leaves the cache at its floor instead of refusing the open.
TEST_F(PageCacheTest, UnreadableCounterLeavesTheFloor) {
  { ASSERT_TRUE(open_with(std::nullopt)); }
  raw_exec("INSERT INTO meta(key, value) VALUES('next_profile_id', 'twelve')");
  auto store = SqliteStore::open(path_, {.check_invariants = false});
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ(cache_bytes(**store), kStoreCacheFloorBytes);
}

TEST_F(PageCacheTest, FixedCacheStaysWhatItWasSetTo) {
  auto store = open_with(int64_t{2} << 20);
  ASSERT_TRUE(store);
  EXPECT_EQ(cache_bytes(*store), int64_t{2} << 20);
  commit_counter(*store, 1'000'001);
  EXPECT_EQ(cache_bytes(*store), int64_t{2} << 20);
}

}  // namespace
}  // namespace halo::testing
