// csv_row_parser_test.cpp -- RFC 4180 field splitting: quotes, doubled
// quotes, embedded delimiters/newlines, empty fields, multi-byte delimiters
// and the errors for text after a closing quote or an open quote.
#include "csv_row_parser.h"

#include <gtest/gtest.h>

namespace halo::plugins {
namespace {

std::vector<std::string> parse(const std::string &row, const std::string &delim = ",") {
  CsvRowParser p(delim);
  std::vector<std::string_view> fields;
  std::string error;
  if (!p.parse(row, fields, error)) return {"ERROR: " + error};
  return std::vector<std::string>(fields.begin(), fields.end());
}

TEST(CsvRowParser, PlainAndEmptyFields) {
  EXPECT_EQ(parse("a,b,c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(parse("a,,c,"), (std::vector<std::string>{"a", "", "c", ""}));
  EXPECT_EQ(parse(""), (std::vector<std::string>{""}));
}

TEST(CsvRowParser, QuotedFieldsWithDoubledQuotesDelimitersAndNewlines) {
  EXPECT_EQ(parse(R"("a,b","say ""hi""","two)"
                  "\n"
                  R"(lines",plain)"),
            (std::vector<std::string>{"a,b", "say \"hi\"", "two\nlines", "plain"}));
  EXPECT_EQ(parse(R"("","""",x)"), (std::vector<std::string>{"", "\"", "x"}));
}

TEST(CsvRowParser, MultiByteDelimiterAndPersianText) {
  EXPECT_EQ(parse("علی،رضایی،\"۰۹۱۲، ۱۲۳\"", "،"),
            (std::vector<std::string>{"علی", "رضایی", "۰۹۱۲، ۱۲۳"}));
  EXPECT_EQ(parse("a\tb", "\t"), (std::vector<std::string>{"a", "b"}));
}

TEST(CsvRowParser, ErrorsNameTheColumn) {
  auto bad = parse(R"(a,"b"x,c)");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_NE(bad[0].find("column 2"), std::string::npos) << bad[0];
  EXPECT_NE(bad[0].find("after its closing quote"), std::string::npos) << bad[0];
  auto open = parse(R"(a,"never closed)");
  EXPECT_NE(open[0].find("unterminated"), std::string::npos) << open[0];
}

TEST(CsvRowParser, QuoteInsideUnquotedFieldIsData) {
  EXPECT_EQ(parse(R"(5" screen,x)"), (std::vector<std::string>{"5\" screen", "x"}));
}

}  // namespace
}  // namespace halo::plugins
