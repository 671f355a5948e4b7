// legacy_encoding_test.cpp -- Windows-1256/1252 decoding to UTF-8 and the
// decoding byte source (reads in pieces, seeks in decoded offsets).
#include "legacy_encoding.h"

#include "common/json_text.h"

#include <gtest/gtest.h>

namespace halo::plugins {
namespace {

std::string decode(TextEncoding e, std::string_view in) {
  std::string out;
  decode_to_utf8(e, in, out);
  return out;
}

TEST(LegacyEncoding, Windows1256PersianLetters) {
  EXPECT_EQ(decode(TextEncoding::kWindows1256, "\xD3\xE1\xC7\xE3"), "سلام");
  // Persian-only letters live in the C1 range: پ چ ژ گ ک, and ی is 0xED.
  EXPECT_EQ(decode(TextEncoding::kWindows1256, "\x81\x8D\x8E\x90\x98"), "پچژگک");
  EXPECT_EQ(decode(TextEncoding::kWindows1256, "\xE3\xC8\xE1\xDB,12"), "مبلغ,12");
  EXPECT_EQ(decode(TextEncoding::kWindows1256, "\xA1\x9D"), "،\u200C");
}

TEST(LegacyEncoding, Windows1252AndUndefinedBytes) {
  EXPECT_EQ(decode(TextEncoding::kWindows1252,
                   "Caf\xE9 \x80"
                   "5"),
            "Café €5");
  std::string bad = decode(TextEncoding::kWindows1252, "a\x81z");
  EXPECT_FALSE(is_valid_utf8(bad));  // 0x81 is undefined: the row is dead-lettered
  EXPECT_TRUE(is_valid_utf8(decode(TextEncoding::kWindows1256, "a\x81z")));
}

TEST(LegacyEncoding, NamesAreParsedCaseInsensitively) {
  EXPECT_EQ(parse_text_encoding("UTF-8"), TextEncoding::kUtf8);
  EXPECT_EQ(parse_text_encoding("Windows-1256"), TextEncoding::kWindows1256);
  EXPECT_EQ(parse_text_encoding("cp1252"), TextEncoding::kWindows1252);
  EXPECT_FALSE(parse_text_encoding("latin-9"));
}

TEST(DecodingByteSource, ReadsAndSeeksInDecodedOffsets) {
  std::string raw;
  for (int i = 0; i < 50000; ++i) raw += "\xD3\xE1\xC7\xE3\n";  // 5 raw -> 9 decoded bytes
  DecodingByteSource src(std::make_unique<MemoryByteSource>(raw), TextEncoding::kWindows1256);
  std::string all;
  char buf[7];
  for (size_t n; (n = src.read(buf, sizeof buf)) > 0;) all.append(buf, n);
  ASSERT_EQ(all.size(), 50000u * 9);
  EXPECT_EQ(all.substr(0, 9), "سلام\n");
  src.seek(9 * 40000);
  size_t n = src.read(buf, 7);
  EXPECT_EQ(std::string(buf, n), std::string("سلام\n").substr(0, 7));
}

}  // namespace
}  // namespace halo::plugins
