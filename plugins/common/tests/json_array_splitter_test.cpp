// json_array_splitter_test.cpp -- splitting a JSON-array file into elements:
// nesting, strings with brackets and escaped quotes, block boundaries,
// oversized elements, structural errors, and resuming mid-array.
#include "common/json_array_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace halo::plugins {
namespace {

struct Split {
  std::vector<std::string> elements;
  std::vector<uint64_t> indexes;
  std::vector<ArrayResult> kinds;
  std::string malformed;
  std::string malformed_raw;
};

Split split_all(const std::string &input, size_t block, size_t max_bytes, uint64_t offset = 0,
                uint64_t index = 1) {
  MemoryByteSource source(input);
  JsonArraySplitter splitter(block, max_bytes);
  splitter.start(&source, offset, index);
  Split out;
  ArrayElement e;
  for (ArrayResult r; (r = splitter.next(e)) != ArrayResult::kEnd;) {
    if (r == ArrayResult::kMalformed) {
      out.malformed = e.message;
      out.malformed_raw = std::string(e.bytes);
      continue;
    }
    out.elements.emplace_back(e.bytes);
    out.indexes.push_back(e.index);
    out.kinds.push_back(r);
  }
  return out;
}

const std::string kOrders =
    " \n[\n  {\"id\": 1, \"note\": \"a ] tricky, \\\"quoted\\\" {string}\",\n"
    "   \"line_items\": [{\"sku\": \"x\"}, {\"sku\": \"y\"}]},\n"
    "  {\"id\": 2, \"billing\": {\"email\": \"a@b.ir\"}} ,\n"
    "  {\"id\": 3}\n]\n";

TEST(JsonArraySplitter, SplitsElementsAtEveryBlockSize) {
  for (size_t block : {1, 2, 3, 5, 16, 4096}) {
    Split s = split_all(kOrders, block, 1 << 20);
    ASSERT_EQ(s.elements.size(), 3u) << "block " << block;
    EXPECT_TRUE(s.malformed.empty()) << s.malformed;
    EXPECT_EQ(s.elements[0].substr(0, 9), "{\"id\": 1,");
    EXPECT_EQ(s.elements[0].back(), '}');
    EXPECT_EQ(s.elements[1], "{\"id\": 2, \"billing\": {\"email\": \"a@b.ir\"}}");
    EXPECT_EQ(s.elements[2], "{\"id\": 3}");
    EXPECT_EQ(s.indexes, (std::vector<uint64_t>{1, 2, 3}));
  }
}

TEST(JsonArraySplitter, EmptyArrayAndEmptyFileYieldNothing) {
  EXPECT_TRUE(split_all("[ ]", 2, 100).elements.empty());
  EXPECT_TRUE(split_all("[ ]", 2, 100).malformed.empty());
  EXPECT_TRUE(split_all("", 2, 100).elements.empty());
}

TEST(JsonArraySplitter, ResumesAfterTheLastReturnedElement) {
  MemoryByteSource source(kOrders);
  JsonArraySplitter splitter(7, 1 << 20);
  splitter.start(&source, 0, 1);
  ArrayElement e;
  ASSERT_EQ(splitter.next(e), ArrayResult::kElement);
  Split rest = split_all(kOrders, 7, 1 << 20, splitter.next_offset(), splitter.next_index());
  ASSERT_EQ(rest.elements.size(), 2u);
  EXPECT_EQ(rest.indexes, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(rest.elements[1], "{\"id\": 3}");
  EXPECT_TRUE(rest.malformed.empty());
}

TEST(JsonArraySplitter, OversizedElementIsSkippedAndScanContinues) {
  std::string big = "{\"blob\":\"" + std::string(3000, 'q') + "\"}";
  for (size_t block : {8, 4096}) {
    Split s = split_all("[{\"a\":1}," + big + ",{\"b\":2}]", block, 500);
    ASSERT_EQ(s.elements.size(), 3u) << "block " << block;
    EXPECT_EQ(s.kinds[1], ArrayResult::kTooLong);
    EXPECT_EQ(s.elements[1].size(), kTooLongPrefix);
    EXPECT_EQ(s.elements[2], "{\"b\":2}");
    EXPECT_EQ(s.indexes[2], 3u);
  }
}

TEST(JsonArraySplitter, ReportsStructuralErrors) {
  EXPECT_NE(split_all("{\"a\":1}", 4, 100).malformed.find("expected '['"), std::string::npos);
  EXPECT_NE(split_all("[{\"a\":1}", 4, 100).malformed.find("not closed"), std::string::npos);
  EXPECT_NE(split_all("[{\"a\":1} {\"b\":2}]", 4, 100).malformed.find("expected ','"),
            std::string::npos);
  EXPECT_NE(split_all("[1] x", 4, 100).malformed.find("after the closing"), std::string::npos);
  EXPECT_NE(split_all("[{\"a\":\"unterminated}]", 4, 100).malformed.find("end of file"),
            std::string::npos);
}

// Found by fuzz/jsonl_splitter: a dead letter's raw bytes and an oversized
// element's prefix must not depend on the block size.
TEST(JsonArraySplitter, DeadLetterBytesDoNotDependOnTheBlockSize) {
  const std::string trailing = "[1] trailing text after the array";
  const std::string padded = "[\"" + std::string(40, 'x') + "\"" + std::string(30, ' ') + "\n, 2]";
  for (size_t block : {1, 3, 7, 4096}) {
    Split t = split_all(trailing, block, 100);
    EXPECT_EQ(t.malformed_raw, "trailing text after the array") << "block " << block;
    // The element is 42 bytes but 73 up to its ',': too long for 64, and
    // its prefix is the element without the trailing whitespace.
    Split p = split_all(padded, block, 64);
    ASSERT_EQ(p.kinds.size(), 2u) << "block " << block;
    EXPECT_EQ(p.kinds[0], ArrayResult::kTooLong) << "block " << block;
    EXPECT_EQ(p.elements[0], "\"" + std::string(40, 'x') + "\"") << "block " << block;
    EXPECT_EQ(p.elements[1], "2");
  }
}

}  // namespace
}  // namespace halo::plugins
