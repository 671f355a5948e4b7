// event_log_test.cpp -- the SQLite backend's compressed event log: round
// trip, ordering across batches, one row per batch and damaged rows. The
// sequence rule and the transaction rule of append_events are tested for
// every backend in store_conformance_test.cpp.
#include <zstd.h>

#include <chrono>
#include <cstring>

#include "store/event_codec.h"
#include "temp_store.h"

namespace halo::testing {
namespace {

struct Copied {
  uint64_t sequence;
  int64_t at;
  std::string source, raw;
};

class EventLogTest : public TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    store_ = open_store();
    ASSERT_TRUE(store_);
  }

  void append(OwnedBatch &b) {
    ASSERT_TRUE(store_->begin().ok());
    Status s = store_->append_events(b.view(), b.keys);
    ASSERT_TRUE(s.ok()) << s.message();
    ASSERT_TRUE(store_->commit().ok());
  }

  std::vector<Copied> read_all(std::vector<size_t> *batch_sizes = nullptr) {
    std::vector<Copied> out;
    Status s = store_->scan_events([&](const std::vector<LoggedEvent> &events) {
      if (batch_sizes) batch_sizes->push_back(events.size());
      for (const LoggedEvent &e : events) {
        out.push_back({e.sequence, e.received_at_ms, std::string(e.source), std::string(e.raw)});
      }
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.message();
    return out;
  }

  int64_t row_count() {
    sqlite3 *db = raw_db();
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM event_batches", -1, &st, nullptr);
    sqlite3_step(st);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
  }

  std::unique_ptr<Store> store_;
};

TEST_F(EventLogTest, EmptyLogHasNothingToScan) {
  EXPECT_EQ(must(store_->last_sequence()), 0u);
  EXPECT_EQ(must(store_->event_count()), 0u);
  int calls = 0;
  EXPECT_TRUE(store_->scan_events([&](const auto &) { return ++calls, Status::Ok(); }).ok());
  EXPECT_TRUE(store_->scan_message_keys([&](const MessageKey *, size_t) { ++calls; }).ok());
  EXPECT_EQ(calls, 0);
}

TEST_F(EventLogTest, RoundTripKeepsEveryFieldIncludingEmptyAndBinaryRaw) {
  OwnedBatch b;
  b.add(1, -5, "shop", "{\"a\":1}");
  b.add(2, 1700000000123, "web", "");
  b.add(3, 0, "", std::string("\0\xff\xfe bin", 7));
  b.add(4, INT64_MAX, std::string(300, 's'), std::string(70000, 'r'));
  append(b);
  EXPECT_EQ(must(store_->last_sequence()), 4u);
  EXPECT_EQ(must(store_->event_count()), 4u);
  std::vector<Copied> got = read_all();
  ASSERT_EQ(got.size(), 4u);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].sequence, b.events[i].sequence);
    EXPECT_EQ(got[i].at, b.events[i].received_at_ms);
    EXPECT_EQ(got[i].source, b.sources[i]);
    EXPECT_EQ(got[i].raw, b.raws[i]) << "event " << i;
  }
}

TEST_F(EventLogTest, BatchesReplayInSequenceOrderOneCallbackPerBatch) {
  OwnedBatch a = make_batch(1, 3), b = make_batch(4, 1), c = make_batch(5, 250);
  append(a);
  append(b);
  append(c);
  EXPECT_EQ(row_count(), 3);
  EXPECT_EQ(must(store_->last_sequence()), 254u);
  EXPECT_EQ(must(store_->event_count()), 254u);
  std::vector<size_t> sizes;
  std::vector<Copied> got = read_all(&sizes);
  EXPECT_EQ(sizes, (std::vector<size_t>{3, 1, 250}));
  ASSERT_EQ(got.size(), 254u);
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].sequence, i + 1);
  EXPECT_EQ(got[4].raw, c.raws[0]);

  std::vector<MessageKey> keys;
  ASSERT_TRUE(store_
                  ->scan_message_keys(
                      [&](const MessageKey *k, size_t n) { keys.insert(keys.end(), k, k + n); })
                  .ok());
  ASSERT_EQ(keys.size(), 254u);
  EXPECT_EQ(keys[0], a.keys[0]);
  EXPECT_EQ(keys[3], b.keys[0]);
  EXPECT_EQ(keys[253], c.keys[249]);
}

TEST_F(EventLogTest, RangeScanReadsOnlyTheBatchesHoldingTheRange) {
  OwnedBatch a = make_batch(1, 3), b = make_batch(4, 1), c = make_batch(5, 250);
  append(a);
  append(b);
  append(c);
  auto firsts = [&](uint64_t first, uint64_t last) {
    std::vector<uint64_t> out;
    Status s = store_->scan_events(first, last, [&](const std::vector<LoggedEvent> &events) {
      out.push_back(events.front().sequence);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.message();
    return out;
  };
  EXPECT_EQ(firsts(2, 2), (std::vector<uint64_t>{1}));
  EXPECT_EQ(firsts(3, 4), (std::vector<uint64_t>{1, 4}));
  EXPECT_EQ(firsts(4, 4), (std::vector<uint64_t>{4}));
  EXPECT_EQ(firsts(100, 100), (std::vector<uint64_t>{5}));
  EXPECT_EQ(firsts(2, 300), (std::vector<uint64_t>{1, 4, 5}));
  EXPECT_TRUE(firsts(255, 400).empty());  // past the end of the log
}

TEST_F(EventLogTest, LargeBatchIsOneCompressedRow) {
  OwnedBatch big = make_batch(1, 4096, 400);
  auto t0 = std::chrono::steady_clock::now();
  append(big);
  auto t1 = std::chrono::steady_clock::now();
  size_t scanned = 0;
  ASSERT_TRUE(store_
                  ->scan_events([&](const std::vector<LoggedEvent> &events) {
                    scanned += events.size();
                    return Status::Ok();
                  })
                  .ok());
  auto t2 = std::chrono::steady_clock::now();
  EXPECT_EQ(scanned, 4096u);
  EXPECT_EQ(row_count(), 1);

  sqlite3 *db = raw_db();
  sqlite3_stmt *st = nullptr;
  sqlite3_prepare_v2(db, "SELECT length(data), data_size, length(keys) FROM event_batches", -1, &st,
                     nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  int64_t compressed = sqlite3_column_int64(st, 0), plain = sqlite3_column_int64(st, 1);
  EXPECT_EQ(plain, static_cast<int64_t>(store::encoded_batch_size(big.events)));
  EXPECT_LT(compressed, plain);  // repetitive JSON must shrink
  EXPECT_EQ(sqlite3_column_int64(st, 2), 4096 * 16);
  sqlite3_finalize(st);
  sqlite3_close(db);
  using ms = std::chrono::duration<double, std::milli>;
  std::printf("[ measure  ] 4096 x ~400 B: append+commit %.2f ms, scan %.2f ms, %lld -> %lld B\n",
              ms(t1 - t0).count(), ms(t2 - t1).count(), static_cast<long long>(plain),
              static_cast<long long>(compressed));
}

TEST_F(EventLogTest, CallbackErrorStopsTheScan) {
  OwnedBatch a = make_batch(1, 2), b = make_batch(3, 2);
  append(a);
  append(b);
  int calls = 0;
  Status s = store_->scan_events([&](const auto &) {
    ++calls;
    return Status::Plugin("feature builder failed");
  });
  EXPECT_EQ(s.code(), StatusCode::kPlugin);
  EXPECT_EQ(calls, 1);
}

TEST_F(EventLogTest, UndecompressableBlobIsCorruptionNamingTheRow) {
  OwnedBatch a = make_batch(1, 5), b = make_batch(6, 5);
  append(a);
  append(b);
  raw_exec("UPDATE event_batches SET data = x'00112233445566778899' WHERE first_seq = 6");
  size_t delivered = 0;
  Status s = store_->scan_events([&](const std::vector<LoggedEvent> &events) {
    delivered += events.size();
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("first_seq=6"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(path_), std::string::npos) << s.message();
  EXPECT_EQ(delivered, 5u);  // the intact batch before it was replayed
}

// A valid zstd frame around a payload that lies about its contents.
void store_payload(TempStoreTest &t, const std::string &payload) {
  std::string frame(ZSTD_compressBound(payload.size()), '\0');
  frame.resize(ZSTD_compress(frame.data(), frame.size(), payload.data(), payload.size(), 1));
  sqlite3 *db = t.raw_db();
  sqlite3_stmt *st = nullptr;
  sqlite3_prepare_v2(db, "UPDATE event_batches SET data = ?1, data_size = ?2 WHERE first_seq = 1",
                     -1, &st, nullptr);
  sqlite3_bind_blob(st, 1, frame.data(), static_cast<int>(frame.size()), SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, static_cast<int64_t>(payload.size()));
  EXPECT_EQ(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(EventLogTest, DamagedPayloadInsideValidFrameIsCorruption) {
  OwnedBatch a = make_batch(1, 3);
  append(a);
  std::string payload;
  ASSERT_TRUE(store::encode_batch(a.events, payload).ok());
  store_payload(*this, payload.substr(0, payload.size() - 3));  // truncated last raw
  Status s = store_->scan_events([](const auto &) { return Status::Ok(); });
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("first_seq=1"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("event 2"), std::string::npos) << s.message();

  OwnedBatch shifted = make_batch(2, 3);  // right count, wrong sequences
  ASSERT_TRUE(store::encode_batch(shifted.events, payload).ok());
  store_payload(*this, payload);
  s = store_->scan_events([](const auto &) { return Status::Ok(); });
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("expected 1"), std::string::npos) << s.message();
}

TEST_F(EventLogTest, DamagedKeyColumnIsCorruption) {
  OwnedBatch a = make_batch(1, 3);
  append(a);
  raw_exec("UPDATE event_batches SET keys = x'0102030405' WHERE first_seq = 1");
  Status s = store_->scan_message_keys([](const MessageKey *, size_t) {});
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("first_seq=1"), std::string::npos) << s.message();
  raw_exec("UPDATE event_batches SET keys = zeroblob(32) WHERE first_seq = 1");
  s = store_->scan_message_keys([](const MessageKey *, size_t) {});
  EXPECT_NE(s.message().find("holds 2 keys, row says 3"), std::string::npos) << s.message();
}

// store.log_compression_level: batches written at zstd's fastest level
// and at a slow one read back alike, whatever level the store is opened
// with, and the slow level stores the same batch in fewer bytes.
TEST_F(EventLogTest, BatchesWrittenAtAnyLevelReadAtAnyOther) {
  store_.reset();
  auto batch_of = [](uint64_t first) {
    OwnedBatch b;
    for (uint64_t seq = first; seq < first + 2000; ++seq) {
      b.add(seq, 1700000000000 + static_cast<int64_t>(seq), "web",
            R"({"type":"track","event":"Product Viewed","userId":"u)" + std::to_string(seq % 97) +
                R"(","properties":{"sku":"SKU-)" + std::to_string(seq * 31 % 1009) + "\"}}");
    }
    return b;
  };
  OwnedBatch fast = batch_of(1), slow = batch_of(2001);
  for (int level : {kMinLogCompressionLevel, kMaxLogCompressionLevel}) {
    auto opened = SqliteStore::open(path_, {.log_compression_level = level});
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
    append(level == kMinLogCompressionLevel ? fast : slow);
    store_.reset();
  }
  store_ = open_store();  // the default level
  const std::vector<Copied> all = read_all();
  ASSERT_EQ(all.size(), 4000u);
  for (const OwnedBatch *b : {&fast, &slow}) {
    for (size_t i = 0; i < b->raws.size(); ++i) {
      const uint64_t seq = b->events[i].sequence;
      ASSERT_EQ(all[seq - 1].sequence, seq);
      EXPECT_EQ(all[seq - 1].raw, b->raws[i]);
    }
  }
  sqlite3 *db = raw_db();
  sqlite3_stmt *st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT length(data) FROM event_batches ORDER BY first_seq", -1,
                               &st, nullptr),
            SQLITE_OK);
  std::vector<int64_t> sizes;
  while (sqlite3_step(st) == SQLITE_ROW) sizes.push_back(sqlite3_column_int64(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  ASSERT_EQ(sizes.size(), 2u);
  EXPECT_LT(sizes[1], sizes[0]) << "level 19 stored no fewer bytes than level -7";
}

}  // namespace
}  // namespace halo::testing
