// atomic_file_writer_test.cpp -- the destination's writer: nothing visible
// before commit, complete file after, old file untouched on abort, parent
// directories created, and I/O errors named.
#include "atomic_file_writer.h"

#include "common/block_buffer.h"
#include "file_test_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace halo::plugins {
namespace {

namespace fs = std::filesystem;

using testing::slurp;

class AtomicFileWriterTest : public testing::TempDirTest {};

TEST_F(AtomicFileWriterTest, CommitReplacesTheFileWithAllLines) {
  fs::path out = dir_ / "nested" / "profiles.jsonl";
  AtomicFileWriter w;
  w.open(out.string());
  w.append_line("{\"profile_id\":\"1\"}");
  w.append_line("{\"profile_id\":\"2\"}");
  EXPECT_FALSE(fs::exists(out));  // nothing visible before commit
  EXPECT_TRUE(fs::exists(w.temp_path()));
  w.commit();
  EXPECT_EQ(slurp(out), "{\"profile_id\":\"1\"}\n{\"profile_id\":\"2\"}\n");
  EXPECT_FALSE(fs::exists(out.string() + ".tmp"));
}

TEST_F(AtomicFileWriterTest, AbortOrDestructionLeavesTheOldFile) {
  fs::create_directories(dir_);
  fs::path out = dir_ / "profiles.jsonl";
  std::ofstream(out) << "old\n";
  {
    AtomicFileWriter w;
    w.open(out.string());
    for (int i = 0; i < 100000; ++i) w.append_line("{\"half\":true}");  // forces flushes
  }  // destroyed without commit, like a crash before stop()
  EXPECT_EQ(slurp(out), "old\n");
  EXPECT_FALSE(fs::exists(out.string() + ".tmp"));
}

TEST_F(AtomicFileWriterTest, UnwritableLocationNamesThePath) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "file") << "x";
  AtomicFileWriter w;
  try {
    w.open((dir_ / "file" / "out.jsonl").string());
    FAIL() << "expected IoError";
  } catch (const IoError &e) {
    EXPECT_NE(std::string(e.what()).find("file"), std::string::npos) << e.what();
  }
  EXPECT_THROW(w.append_line("x"), IoError);
}

}  // namespace
}  // namespace halo::plugins
