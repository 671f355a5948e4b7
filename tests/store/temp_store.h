// temp_store.h -- test fixture: a fresh temp directory per test holding the
// store file, removed afterwards; helpers to open the store and to build
// event batches.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite_store.h"

namespace halo::testing {

// The value of a store read, recording a test failure (with the store's
// message) when the read failed.
template <class T>
T must(Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : T{};
}

class TempStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "halo-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "nested" / "halo.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

 public:
  std::unique_ptr<Store> open_store() {
    auto store = SqliteStore::open(path_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // A second raw connection, to inspect or damage the file behind the store.
  sqlite3 *raw_db() {
    sqlite3 *db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    return db;
  }
  void raw_exec(const std::string &sql) {
    sqlite3 *db = raw_db();
    char *err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  std::filesystem::path dir_;
  std::string path_;
};

// Owns the bytes behind a batch of LoggedEvents.
struct OwnedBatch {
  std::vector<std::string> sources, raws;
  std::vector<LoggedEvent> events;
  std::vector<MessageKey> keys;

  void add(uint64_t seq, int64_t at, std::string source, std::string raw) {
    sources.push_back(std::move(source));
    raws.push_back(std::move(raw));
    events.push_back({seq, at, {}, {}});
    keys.push_back({seq * 7919, ~seq});
  }
  // Views are fixed up only once all strings exist (vectors may reallocate).
  const std::vector<LoggedEvent> &view() {
    for (size_t i = 0; i < events.size(); ++i) {
      events[i].source = sources[i];
      events[i].raw = raws[i];
    }
    return events;
  }
};

inline OwnedBatch make_batch(uint64_t first_seq, size_t count, size_t raw_size = 40) {
  OwnedBatch b;
  for (size_t i = 0; i < count; ++i) {
    uint64_t seq = first_seq + i;
    std::string raw = "{\"seq\":" + std::to_string(seq) + ",\"pad\":\"";
    // Pseudo-random letters: compresses like real text, unlike one repeated byte.
    uint64_t state = seq * 6364136223846793005ull + 1442695040888963407ull;
    while (raw.size() < raw_size) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      raw += static_cast<char>('a' + (state >> 59) % 26);
    }
    raw += "\"}";
    b.add(seq, 1700000000000 + static_cast<int64_t>(seq), seq % 2 ? "shop" : "web", raw);
  }
  b.view();
  return b;
}

// Appends make_batch(first, n) to the store (inside a transaction).
inline void append_batch(Store &store, uint64_t first, size_t n) {
  OwnedBatch b = make_batch(first, n);
  Status s = store.append_events(b.view(), b.keys);
  ASSERT_TRUE(s.ok()) << s.message();
}

// Stores profile `id` with the given encoded traits, updated at 5 ms.
inline void put_test_profile(Store &store, uint64_t id, std::string traits) {
  StoredProfile p;
  p.id = id;
  p.traits = std::move(traits);
  p.updated_at_ms = 5;
  ASSERT_TRUE(store.put_profile(p).ok());
}

}  // namespace halo::testing
