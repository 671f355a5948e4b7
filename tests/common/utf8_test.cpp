// utf8_test.cpp -- strict UTF-8 (common/utf8.h) and the JSON writer that
// relies on it: every string the writer emits is valid JSON, whatever the
// bytes it was given (overlong forms, surrogates and code points above
// U+10FFFF become U+FFFD, as RFC 3629 section 3 requires of decoders).
#include "common/utf8.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "common/json_writer.h"

namespace halo {
namespace {

TEST(Utf8, AcceptsEveryWellFormedLength) {
  EXPECT_EQ(first_invalid_utf8("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), std::string_view::npos);
  EXPECT_EQ(utf8_sequence_length("\xF4\x8F\xBF\xBF", 0), 4u);  // U+10FFFF
}

TEST(Utf8, RejectsOverlongSurrogateTooLargeAndTruncatedSequences) {
  for (std::string_view bad :
       {"\xC0\xAF", "\xE0\x80\xAF", "\xF0\x80\x80\xAF", "\xED\xA0\x80", "\xED\xBF\xBF",
        "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80", "\xE2\x82", "\x80"}) {
    EXPECT_EQ(first_invalid_utf8(std::string("ok") + std::string(bad)), 2u)
        << "bytes of length " << bad.size();
  }
}

TEST(Utf8, TheJsonWriterReplacesEveryInvalidByteSoSimdjsonAcceptsTheOutput) {
  const std::string input = "x\xED\xA0\x80y\xE0\x80\xAFz\xF4\x90\x80\x80\xE2\xEF";
  std::string json;
  append_json_string(json, input);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  std::string_view text;
  ASSERT_EQ(doc.get(text), simdjson::SUCCESS);
  EXPECT_EQ(first_invalid_utf8(text), std::string_view::npos);
  EXPECT_EQ(text.substr(0, 1), "x");
  EXPECT_NE(text.find('y'), std::string_view::npos);
  EXPECT_NE(text.find('z'), std::string_view::npos);
}

}  // namespace
}  // namespace halo
