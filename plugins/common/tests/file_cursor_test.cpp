// file_cursor_test.cpp -- cursor text round trips, rejection of foreign or
// damaged cursors, and fingerprints that notice replaced files.
#include "common/file_cursor.h"

#include "common/block_buffer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>

namespace halo::plugins {
namespace {

TEST(FileCursor, ReadsVersionOneCursors) {
  std::vector<FilePosition> out;
  std::string error;
  ASSERT_TRUE(decode_cursor("halo-file-cursor v1\n120|7|4096|ff|/data/a.csv\n", out, error))
      << error;
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].offset, 120u);
  EXPECT_EQ(out[0].fingerprint, (FileFingerprint{4096, 0xff, std::nullopt}));
  EXPECT_EQ(out[0].ctime_ns, 0);
  EXPECT_EQ(out[0].path, "/data/a.csv");
}

TEST(FileCursor, ReadsVersionTwoCursorsWithoutATail) {
  std::vector<FilePosition> out;
  std::string error;
  ASSERT_TRUE(decode_cursor("halo-file-cursor v2\n120|7|100|ff|55|/data/a.csv\n", out, error))
      << error;
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].fingerprint, (FileFingerprint{100, 0xff, std::nullopt}));
  EXPECT_EQ(out[0].ctime_ns, 55);
  EXPECT_EQ(out[0].path, "/data/a.csv");
}

TEST(FileCursor, RoundTripsOddFileNamesAndMissingTails) {
  std::vector<FilePosition> in = {{"/data/a.jsonl",
                                   {123456789, 0xdeadbeefcafef00dull, 0xffffffffffffffffull},
                                   123456789,
                                   42,
                                   1764480000123456789},
                                  {"/data/we|ird%name\nx.csv", {10, 7, std::nullopt}, 10, 1},
                                  {"/data/داده.csv", {0, 0, 0}, 5, 2}};
  std::string text = encode_cursor(in);
  std::vector<FilePosition> out;
  std::string error;
  ASSERT_TRUE(decode_cursor(text, out, error)) << error;
  EXPECT_EQ(out, in);
}

TEST(FileCursor, RejectsForeignAndDamagedCursors) {
  std::vector<FilePosition> out;
  std::string error;
  EXPECT_FALSE(decode_cursor("{\"page\":3}", out, error));
  EXPECT_NE(error.find("halo-file-cursor v3"), std::string::npos);
  std::string good = encode_cursor({{"/a", {1, 2, 9}, 3, 4}});
  EXPECT_FALSE(decode_cursor(good.substr(0, good.size() - 1), out, error));
  EXPECT_NE(error.find("truncated"), std::string::npos);
  EXPECT_FALSE(decode_cursor("halo-file-cursor v1\nx|1|1|1|/a\n", out, error));
  EXPECT_NE(error.find("malformed"), std::string::npos);
  EXPECT_FALSE(decode_cursor("halo-file-cursor v1\n1|1|1|1|/a%Z1\n", out, error));
  EXPECT_FALSE(decode_cursor("halo-file-cursor v3\n1|1|1|1|0|xyz|/a\n", out, error));
  EXPECT_FALSE(decode_cursor("halo-file-cursor v3\n1|1|1|1|0|/a\n", out, error));
}

TEST(FileCursor, FingerprintNoticesReplacementButNotAppend) {
  auto path = std::filesystem::temp_directory_path() / "halo_fp_test.jsonl";
  { std::ofstream(path) << "{\"a\":1}\n"; }
  FileFingerprint fp = fingerprint_file(path.string());
  EXPECT_EQ(fp.length, 8u);
  { std::ofstream(path, std::ios::app) << "{\"b\":2}\n"; }
  EXPECT_TRUE(fingerprint_matches(path.string(), fp));
  { std::ofstream(path) << "{\"z\":9}\n"; }
  EXPECT_FALSE(fingerprint_matches(path.string(), fp));
  std::filesystem::remove(path);
  EXPECT_THROW(fingerprint_file(path.string()), IoError);
}

TEST(FileCursor, TailHashCoversTheLastBytesBeforeALength) {
  auto path = std::filesystem::temp_directory_path() / "halo_tail_test.jsonl";
  std::string text(10'000, 'a');
  { std::ofstream(path) << text; }
  const auto tail = tail_hash(path.string(), 9'000);
  ASSERT_TRUE(tail.has_value());
  text[9'500] = 'b';  // after the length: not covered
  text[3'000] = 'b';  // more than kTailBytes before it: not covered
  { std::ofstream(path) << text; }
  EXPECT_EQ(tail_hash(path.string(), 9'000), tail);
  text[8'999] = 'b';
  { std::ofstream(path) << text; }
  EXPECT_NE(tail_hash(path.string(), 9'000), tail);
  EXPECT_EQ(tail_hash(path.string(), 10'001), std::nullopt);  // shorter than that
  EXPECT_TRUE(tail_hash(path.string(), 0).has_value());       // the empty prefix
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace halo::plugins
