// pos_drop_core_test.cpp -- the drop-folder source logic: settle window,
// temp names, done markers, exactly-once per content (renamed copies
// skipped, changed files re-read), resume mid-file from the cursor, the
// bounded processed set, moves after commit, and cursor decoding errors.
#include "pos_drop_core.h"
#include "common/testing/recording_sink.h"
#include "pos_csv_reader.h"
#include "pos_test_support.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>

namespace halo::plugins {
namespace {

namespace fs = std::filesystem;
using namespace testing;  // RecordingSink and the mapping builders

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class PosDropCoreTest : public testing::TempFolderTest {
 protected:
  void SetUp() override {
    TempFolderTest::SetUp();
    mapping_ = std::make_unique<PosMapping>(PosMapping::compile(
        {literal("type", "track"), literal("event", "Order Completed"), column("messageId", "id"),
         column("context.traits.pos_card", "card"),
         money_column("properties.revenue", "amount", {MoneyUnit::kToman, MoneyUnit::kRial, '.'})},
        std::nullopt));
    now_ = wall_ms() + 60000;  // files written now are settled unless a test says otherwise
  }

  std::unique_ptr<PosDropCore> make_core(const std::string &cursor = "", bool marker = false,
                                         std::string move_to = "", size_t remember = 10000) {
    PosDropOptions o;
    o.rules.dir = dir_.string();
    o.rules.settle_ms = 5000;
    o.rules.require_done_marker = marker;
    o.move_processed_to = std::move(move_to);
    o.remember_files = remember;
    o.now_ms = [this] { return now_; };
    o.warn = [this](const std::string &m) { warnings_.push_back(m); };
    auto core = std::make_unique<PosDropCore>(
        o, std::make_unique<PosCsvReader>(PosReaderOptions{}, mapping_.get()));
    std::string error;
    EXPECT_TRUE(cursor.empty() || core->restore(cursor, error)) << error;
    return core;
  }

  // Runs a core to end_of_data; returns what it emitted and its cursor.
  RecordingSink run(PosDropCore &core, std::string &cursor, uint32_t batch = 1000) {
    RecordingSink sink;
    for (int i = 0; i < 1000 && sink.ends == 0; ++i) {
      core.next_batch(sink, batch);
      cursor = std::string(core.cursor());
    }
    EXPECT_EQ(sink.ends, 1);
    return sink;
  }

  static std::string sales(int first, int count) {
    std::string s = "id,card,amount\n";
    for (int i = first; i < first + count; ++i) {
      s += "T" + std::to_string(i) + ",card" + std::to_string(i % 3) + "," + std::to_string(i) +
           "000\n";
    }
    return s;
  }

  std::unique_ptr<PosMapping> mapping_;
  int64_t now_ = 0;
  std::vector<std::string> warnings_;
};

TEST_F(PosDropCoreTest, GrowingFileIsSkippedThenReadOnceStable) {
  std::string file = write("day1.csv", sales(1, 2));
  now_ = wall_ms() + 1000;  // modified 1 s ago, settle is 5 s
  std::string cursor;
  auto core = make_core();
  EXPECT_TRUE(run(*core, cursor).records().empty());
  std::ofstream(file, std::ios::app) << "T3,card0,3000\n";  // still growing
  now_ = wall_ms() + 6000;
  auto next = make_core(cursor);
  auto records = run(*next, cursor).records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_NE(records[2].find("\"messageId\":\"T3\""), std::string::npos);
  auto third = make_core(cursor);
  EXPECT_TRUE(run(*third, cursor).records().empty());
}

TEST_F(PosDropCoreTest, SymlinksAndSpecialFilesAreRefusedWithAMessage) {
  fs::path outside = dir_.parent_path() / (dir_.filename().string() + "_outside.csv");
  std::ofstream(outside, std::ios::binary) << sales(1, 2);
  fs::create_symlink(outside, dir_ / "link.csv");
  fs::create_directory(dir_ / "folder.csv");
  ASSERT_EQ(::mkfifo(path("pipe.csv").c_str(), 0600), 0);
  write("real.csv", sales(10, 1));
  std::string cursor;
  auto core = make_core();
  RecordingSink sink = run(*core, cursor);
  fs::remove(outside);
  ASSERT_EQ(sink.records().size(), 1u);  // real.csv only
  EXPECT_NE(sink.records()[0].find("\"T10\""), std::string::npos);
  EXPECT_TRUE(sink.errors().empty());
  ASSERT_EQ(warnings_.size(), 3u);
  std::string all = warnings_[0] + "\n" + warnings_[1] + "\n" + warnings_[2];
  EXPECT_NE(all.find("link.csv: is a symbolic link"), std::string::npos) << all;
  EXPECT_NE(all.find("folder.csv: is not a regular file"), std::string::npos) << all;
  EXPECT_NE(all.find("pipe.csv: is not a regular file"), std::string::npos) << all;
}

TEST(FileByteSourceNoFollow, RefusesALinkSwappedInAfterTheScan) {
  fs::path dir = fs::temp_directory_path() / ("halo_nofollow_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "target.csv") << "x\n";
  fs::create_symlink(dir / "target.csv", dir / "swapped.csv");
  try {
    FileByteSource source((dir / "swapped.csv").string(), FollowLinks::kNo);
    ADD_FAILURE() << "opened a symbolic link";
  } catch (const IoError &e) {
    EXPECT_NE(std::string(e.what()).find("symbolic link"), std::string::npos) << e.what();
  }
  FileByteSource followed((dir / "swapped.csv").string());  // file-csv/jsonl still follow
  fs::remove_all(dir);
}

// A till export replaced by a copy tool that keeps size and mtime (cp -p,
// rsync -t) must be re-hashed: the quick check uses ctime, not mtime.
TEST_F(PosDropCoreTest, ReplacedFileWithRestoredMtimeIsImported) {
  std::string file = write("day1.csv", sales(1, 2));
  std::string cursor;
  auto core = make_core();
  ASSERT_EQ(run(*core, cursor).records().size(), 2u);
  const auto mtime = fs::last_write_time(file);
  write("day1.csv", sales(3, 2));  // same size, other sales
  ASSERT_EQ(fs::file_size(file), sales(1, 2).size());
  fs::last_write_time(file, mtime);
  auto next = make_core(cursor);
  auto records = run(*next, cursor).records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_NE(records[0].find("\"T3\""), std::string::npos) << records[0];
}

TEST_F(PosDropCoreTest, TempNamesAreNeverRead) {
  write("day1.csv.tmp", sales(1, 1));
  write("day1.csv.part", sales(1, 1));
  write("day1.csv~", sales(1, 1));
  write(".day1.csv", sales(1, 1));
  write("notes.txt", sales(1, 1));
  std::string cursor;
  auto core = make_core();
  EXPECT_TRUE(run(*core, cursor).records().empty());
  fs::rename(path("day1.csv.tmp"), path("day1.csv"));  // the till's atomic rename
  auto next = make_core(cursor);
  EXPECT_EQ(run(*next, cursor).records().size(), 1u);
}

TEST_F(PosDropCoreTest, DoneMarkerModeWaitsForTheMarker) {
  write("day1.csv", sales(1, 2));
  std::string cursor;
  auto core = make_core("", /*marker=*/true);
  EXPECT_TRUE(run(*core, cursor).records().empty());
  write("day1.done", "");
  auto next = make_core(cursor, true);
  EXPECT_EQ(run(*next, cursor).records().size(), 2u);
  write("day2.csv", sales(3, 1));
  write("day2.csv.done", "");
  auto third = make_core(cursor, true);
  EXPECT_EQ(run(*third, cursor).records().size(), 1u);
}

TEST_F(PosDropCoreTest, SameContentRenamedIsSkipped) {
  write("day1.csv", sales(1, 3));
  std::string cursor;
  auto core = make_core();
  EXPECT_EQ(run(*core, cursor).records().size(), 3u);
  fs::rename(path("day1.csv"), path("day1-copy.csv"));
  write("again.csv", sales(1, 3));  // the till dropped the same export twice
  auto next = make_core(cursor);
  EXPECT_TRUE(run(*next, cursor).records().empty());
  EXPECT_EQ(next->state().processed.files().size(), 1u);
}

TEST_F(PosDropCoreTest, ChangedFileIsReadAgainWithTheSameIdsForOldRows) {
  write("day1.csv", sales(1, 2));
  std::string cursor;
  auto core = make_core();
  auto first = run(*core, cursor).records();
  write("day1.csv", sales(1, 3));  // re-exported with a late sale
  auto next = make_core(cursor);
  auto second = run(*next, cursor).records();
  ASSERT_EQ(second.size(), 3u);  // the kernel drops T1, T2 by messageId
  EXPECT_EQ(second[0], first[0]);
  EXPECT_EQ(second[1], first[1]);
  EXPECT_NE(second[2].find("\"messageId\":\"T3\""), std::string::npos);
  EXPECT_EQ(next->state().processed.files().size(), 2u);
}

TEST_F(PosDropCoreTest, ResumesMidFileAtTheCommittedRow) {
  write("a.csv", sales(1, 5));
  write("b.csv", sales(6, 2));
  auto core = make_core();
  RecordingSink sink;
  core->next_batch(sink, 2);
  std::string cursor(core->cursor());  // "crash" after this commit
  ASSERT_EQ(sink.records().size(), 2u);
  ASSERT_TRUE(core->state().current);
  EXPECT_EQ(core->state().current->next_line, 4u);
  auto next = make_core(cursor);
  auto rest = run(*next, cursor).records();
  ASSERT_EQ(rest.size(), 5u);
  EXPECT_NE(rest[0].find("\"messageId\":\"T3\""), std::string::npos);
  EXPECT_NE(rest[4].find("\"messageId\":\"T7\""), std::string::npos);
  EXPECT_FALSE(next->state().current);
  EXPECT_EQ(next->state().processed.files().size(), 2u);
}

TEST_F(PosDropCoreTest, MovesFilesOnlyAfterCommit) {
  std::string file = write("day1.csv", sales(1, 1));
  write("day1.csv.done", "");
  std::string cursor;
  auto core = make_core("", false, path("archive"));
  run(*core, cursor);
  EXPECT_TRUE(fs::exists(file));  // not committed yet
  core->committed();
  EXPECT_FALSE(fs::exists(file));
  EXPECT_TRUE(fs::exists(path("archive/day1.csv")));
  EXPECT_TRUE(fs::exists(path("archive/day1.csv.done")));
  write("day1.csv", sales(2, 1));  // same name, new content: kept apart
  auto next = make_core(cursor, false, path("archive"));
  EXPECT_EQ(run(*next, cursor).records().size(), 1u);
  next->committed();
  EXPECT_EQ(std::distance(fs::directory_iterator(path("archive")), fs::directory_iterator()), 3);
}

TEST_F(PosDropCoreTest, ProcessedSetIsBounded) {
  for (int i = 1; i <= 3; ++i) write("d" + std::to_string(i) + ".csv", sales(i, 1));
  std::string cursor;
  auto core = make_core("", false, "", /*remember=*/2);
  EXPECT_EQ(run(*core, cursor).records().size(), 3u);
  PosCursor decoded{ProcessedSet(2), std::nullopt};
  std::string error;
  ASSERT_TRUE(decode_pos_cursor(cursor, decoded, error)) << error;
  ASSERT_EQ(decoded.processed.files().size(), 2u);
  EXPECT_EQ(fs::path(decoded.processed.files()[0].path).filename(), "d2.csv");
}

TEST_F(PosDropCoreTest, CursorRoundTripsAndRejectsDamage) {
  PosCursor c{ProcessedSet(10), std::nullopt};
  c.processed.add({{12, std::string(64, 'a')}, 123456789, "/x/a|b%c.csv"});
  c.current = InProgressFile{{99, std::string(64, 'b')}, 40, 3, "/x/new\nline.csv"};
  std::string text = encode_pos_cursor(c);
  PosCursor back{ProcessedSet(10), std::nullopt};
  std::string error;
  ASSERT_TRUE(decode_pos_cursor(text, back, error)) << error;
  EXPECT_EQ(back.processed.files(), c.processed.files());
  EXPECT_EQ(back.current, c.current);
  EXPECT_FALSE(decode_pos_cursor("halo-file-cursor v1\n", back, error));
  EXPECT_NE(error.find("not a pos-csv cursor"), std::string::npos);
  std::string damaged = text;
  damaged[damaged.find("|a") + 1] = 'Z';
  PosCursor bad{ProcessedSet(10), std::nullopt};
  EXPECT_FALSE(decode_pos_cursor(damaged, bad, error));
  EXPECT_NE(error.find("line 2"), std::string::npos);
  auto core = make_core();
  EXPECT_FALSE(core->restore("garbage", error));
}

}  // namespace
}  // namespace halo::plugins
