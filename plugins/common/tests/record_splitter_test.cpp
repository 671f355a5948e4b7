// record_splitter_test.cpp -- line and CSV-row framing over tricky blocks:
// CRLF, missing final newline, lines split across blocks, oversized lines
// with resync, BOM, quoted newlines, and exact resume offsets.
#include "common/record_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace halo::plugins {
namespace {

struct Got {
  std::string bytes;
  uint64_t line;
  uint64_t offset;
  bool too_long;
  bool unterminated;
};

std::vector<Got> split_all(Framing framing, const std::string &input, size_t block,
                           size_t max_bytes, uint64_t offset = 0, uint64_t line = 1) {
  MemoryByteSource source(input);
  RecordSplitter splitter(framing, block, max_bytes);
  splitter.start(&source, offset, line);
  std::vector<Got> out;
  RawRecord r;
  for (SplitResult s; (s = splitter.next(r)) != SplitResult::kEnd;) {
    out.push_back(
        {std::string(r.bytes), r.line, r.offset, s == SplitResult::kTooLong, r.unterminated_quote});
  }
  return out;
}

class LinesAtEveryBlockSize : public ::testing::TestWithParam<size_t> {};

TEST_P(LinesAtEveryBlockSize, CrlfBlankAndMissingFinalNewline) {
  const std::string input = "{\"a\":1}\r\n\n{\"b\":2}\n  \r\n{\"c\":3}";
  auto got = split_all(Framing::kLines, input, GetParam(), 64);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0].bytes, "{\"a\":1}");
  EXPECT_EQ(got[0].line, 1u);
  EXPECT_EQ(got[1].bytes, "");
  EXPECT_EQ(got[2].bytes, "{\"b\":2}");
  EXPECT_EQ(got[2].line, 3u);
  EXPECT_EQ(got[2].offset, 10u);
  EXPECT_EQ(got[3].bytes, "  ");
  EXPECT_EQ(got[4].bytes, "{\"c\":3}");
  EXPECT_EQ(got[4].line, 5u);
}

INSTANTIATE_TEST_SUITE_P(BlockSizes, LinesAtEveryBlockSize, ::testing::Values(1, 2, 3, 7, 64));

TEST(RecordSplitter, LongLineIsReportedWithPrefixAndReaderResyncs) {
  std::string long_line(5000, 'x');
  const std::string input = "short\n" + long_line + "\nafter\n";
  for (size_t block : {4, 100, 8192}) {
    auto got = split_all(Framing::kLines, input, block, 2000);
    ASSERT_EQ(got.size(), 3u) << "block " << block;
    EXPECT_FALSE(got[0].too_long);
    EXPECT_TRUE(got[1].too_long);
    EXPECT_EQ(got[1].bytes, std::string(kTooLongPrefix, 'x'));
    EXPECT_EQ(got[1].line, 2u);
    EXPECT_EQ(got[2].bytes, "after");
    EXPECT_EQ(got[2].line, 3u);
    EXPECT_EQ(got[2].offset, 6u + 5001u);
  }
}

TEST(RecordSplitter, LongFinalLineWithoutNewline) {
  auto got = split_all(Framing::kLines, "a\n" + std::string(300, 'y'), 16, 100);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(got[1].too_long);
  EXPECT_EQ(got[1].bytes.size(), 300u > kTooLongPrefix ? kTooLongPrefix : 300u);
}

TEST(RecordSplitter, StripsByteOrderMarkOnlyAtStart) {
  auto got = split_all(Framing::kLines, "\xEF\xBB\xBFone\ntwo\n", 2, 64);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].bytes, "one");
  EXPECT_EQ(got[0].offset, 3u);
}

TEST(RecordSplitter, ResumesAtReportedOffsetAndLine) {
  const std::string input = "l1\nl2\r\nl3\nl4";
  MemoryByteSource source(input);
  RecordSplitter splitter(Framing::kLines, 3, 64);
  splitter.start(&source, 0, 1);
  RawRecord r;
  ASSERT_EQ(splitter.next(r), SplitResult::kRecord);
  ASSERT_EQ(splitter.next(r), SplitResult::kRecord);
  EXPECT_EQ(r.bytes, "l2");
  auto rest =
      split_all(Framing::kLines, input, 3, 64, splitter.next_offset(), splitter.next_line());
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].bytes, "l3");
  EXPECT_EQ(rest[0].line, 3u);
  EXPECT_EQ(rest[1].bytes, "l4");
  EXPECT_EQ(rest[1].line, 4u);
}

TEST(RecordSplitter, CsvRowsKeepNewlinesInsideQuotes) {
  const std::string input = "id,note\r\n1,\"two\nlines\"\r\n2,\"say \"\"hi\"\"\nagain\"\n3,plain\n";
  for (size_t block : {1, 5, 4096}) {
    auto got = split_all(Framing::kCsvRows, input, block, 1000);
    ASSERT_EQ(got.size(), 4u) << "block " << block;
    EXPECT_EQ(got[1].bytes, "1,\"two\nlines\"");
    EXPECT_EQ(got[1].line, 2u);
    EXPECT_EQ(got[2].bytes, "2,\"say \"\"hi\"\"\nagain\"");
    EXPECT_EQ(got[2].line, 4u);
    EXPECT_EQ(got[3].bytes, "3,plain");
    EXPECT_EQ(got[3].line, 6u);
  }
}

TEST(RecordSplitter, CsvUnterminatedQuoteIsOneRowAndLaterRowsSurvive) {
  for (size_t block : {1, 4, 4096}) {
    auto got = split_all(Framing::kCsvRows, "a,b\n1,\"open\n2,x\r3,y\n", block, 1000);
    ASSERT_EQ(got.size(), 4u) << "block " << block;
    EXPECT_TRUE(got[1].unterminated);
    EXPECT_EQ(got[1].bytes, "1,\"open");
    EXPECT_EQ(got[1].line, 2u);
    EXPECT_FALSE(got[2].unterminated);
    EXPECT_EQ(got[2].bytes, "2,x");
    EXPECT_EQ(got[2].line, 3u);
    EXPECT_EQ(got[3].bytes, "3,y");
    EXPECT_EQ(got[3].line, 4u);
  }
}

TEST(RecordSplitter, CsvOverLongUnterminatedQuoteDoesNotSwallowTheFile) {
  std::string rows;
  for (int i = 0; i < 50; ++i) rows += "r" + std::to_string(i) + ",some text here\n";
  auto got = split_all(Framing::kCsvRows, "h,x\n1,\"never closed\n" + rows, 8, 200);
  ASSERT_EQ(got.size(), 52u);
  EXPECT_TRUE(got[1].unterminated);
  EXPECT_EQ(got[1].bytes, "1,\"never closed");
  EXPECT_EQ(got[2].bytes, "r0,some text here");
  EXPECT_EQ(got[2].line, 3u);
  EXPECT_EQ(got[51].bytes, "r49,some text here");
}

class LineBreaksAtEveryBlockSize : public ::testing::TestWithParam<size_t> {};

// LF, CRLF and lone CR in one file, also inside a quoted field.
TEST_P(LineBreaksAtEveryBlockSize, CsvMixedLineBreaksAndQuotedBreaks) {
  const std::string input = "id,note\r1,a\r\n2,\"x\ry\"\n3,\"p\r\nq\"\r4,z\r\r5,last\r";
  auto got = split_all(Framing::kCsvRows, input, GetParam(), 1000);
  ASSERT_EQ(got.size(), 7u);
  EXPECT_EQ(got[0].bytes, "id,note");
  EXPECT_EQ(got[1].bytes, "1,a");
  EXPECT_EQ(got[1].line, 2u);
  EXPECT_EQ(got[2].bytes, "2,\"x\ry\"");
  EXPECT_EQ(got[2].line, 3u);
  EXPECT_EQ(got[3].bytes, "3,\"p\r\nq\"");
  EXPECT_EQ(got[3].line, 5u);
  EXPECT_EQ(got[4].bytes, "4,z");
  EXPECT_EQ(got[4].line, 7u);
  EXPECT_EQ(got[5].bytes, "");  // the blank line between two CRs
  EXPECT_EQ(got[6].bytes, "5,last");
  EXPECT_EQ(got[6].line, 9u);
  for (const Got &g : got) EXPECT_FALSE(g.unterminated);
}

TEST_P(LineBreaksAtEveryBlockSize, LinesWithCrOnlyEndings) {
  auto got = split_all(Framing::kLines, "{\"a\":1}\r{\"b\":2}\r\n{\"c\":3}\r", GetParam(), 64);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[1].bytes, "{\"b\":2}");
  EXPECT_EQ(got[1].offset, 8u);
  EXPECT_EQ(got[2].bytes, "{\"c\":3}");
  EXPECT_EQ(got[2].line, 3u);
}

INSTANTIATE_TEST_SUITE_P(BlockSizes, LineBreaksAtEveryBlockSize,
                         ::testing::Values(1, 2, 3, 5, 4096));

TEST(RecordSplitter, ResumeAfterCrOnlyRowContinuesExactly) {
  const std::string input = "h\r1\r2\r";
  auto first = split_all(Framing::kCsvRows, input, 2, 100);
  ASSERT_EQ(first.size(), 3u);
  auto rest = split_all(Framing::kCsvRows, input, 2, 100, first[2].offset, first[2].line);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].bytes, "2");
  EXPECT_EQ(rest[0].line, 3u);
}

TEST(RecordSplitter, CsvTooLongRowResyncsAfterQuotedNewlines) {
  std::string big = "1,\"" + std::string(500, 'z') + "\n" + std::string(500, 'z') + "\"";
  auto got = split_all(Framing::kCsvRows, "h\n" + big + "\nnext\n", 8, 200);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(got[1].too_long);
  EXPECT_EQ(got[2].bytes, "next");
  EXPECT_EQ(got[2].line, 4u);
}

// Found by fuzz/jsonl_splitter: a row of exactly max_record_bytes whose CR
// ends a block (so its CRLF is not yet known) is not too long.
TEST(RecordSplitter, RowOfExactlyTheLimitBeforeASplitCrlfIsNotTooLong) {
  for (size_t block : {1, 3, 5, 6, 64}) {
    auto got = split_all(Framing::kCsvRows, "abcd\r\nef\r", block, 4);
    ASSERT_EQ(got.size(), 2u) << "block " << block;
    EXPECT_FALSE(got[0].too_long) << "block " << block;
    EXPECT_EQ(got[0].bytes, "abcd");
    EXPECT_EQ(got[1].bytes, "ef");
    EXPECT_EQ(got[1].line, 2u);
  }
}

}  // namespace
}  // namespace halo::plugins
