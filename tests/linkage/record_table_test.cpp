// The CSV reader: FEBRL's layout, RFC 4180 quoting, and refusals.
#include "linkage/record_table.h"

#include <gtest/gtest.h>

#include <string>

namespace halo::linkage {
namespace {

RecordTable parse_ok(const std::string &text) {
  RecordTable t;
  std::string error;
  EXPECT_TRUE(parse_record_table(text, t, error)) << error;
  return t;
}

std::string parse_error(const std::string &text) {
  RecordTable t;
  std::string error;
  EXPECT_FALSE(parse_record_table(text, t, error));
  return error;
}

TEST(RecordTable, ReadsFebrlRowsWithASpaceAfterEachComma) {
  RecordTable t = parse_ok(
      "rec_id, given_name, surname, postcode\n"
      "rec-1-org, lachlan, berry, 0814\n"
      "rec-1-dup-0, , berry , 0814\n");
  ASSERT_EQ(t.columns, (std::vector<std::string>{"rec_id", "given_name", "surname", "postcode"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0][3], "0814");  // a string: the leading zero stays
  EXPECT_EQ(t.rows[1][1], "");
  EXPECT_EQ(t.rows[1][2], "berry");
  EXPECT_EQ(t.column("surname"), 2);
  EXPECT_EQ(t.column("missing"), -1);
}

TEST(RecordTable, ReadsQuotedFieldsBomAndCrlf) {
  RecordTable t = parse_ok("\xEF\xBB\xBFid,name\r\n1,\"Smith, \"\"Jo\"\"\nJr\"\r\n\r\n2,x");
  ASSERT_EQ(t.columns[0], "id");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0][1], "Smith, \"Jo\"\nJr");
  EXPECT_EQ(t.rows[1][1], "x");
}

TEST(RecordTable, HeaderOnlyIsAnEmptyTable) {
  EXPECT_TRUE(parse_ok("a,b\n").rows.empty());
}

TEST(RecordTable, RefusesWhatWouldBeMisreadNamingTheLine) {
  EXPECT_EQ(parse_error(""), "line 1: no header row");
  EXPECT_EQ(parse_error("a,b\n1,2\n3\n"), "line 3: 1 fields, the header has 2");
  EXPECT_EQ(parse_error("a,a\n"), "line 1: column 2 is named twice ('a')");
  EXPECT_EQ(parse_error("a,\n"), "line 1: column 2 is unnamed");
  EXPECT_EQ(parse_error("a,b\n1,\"open\n"), "line 2: a quoted field is never closed");
  EXPECT_EQ(parse_error("a,b\n1,\"x\"y\n"), "line 2: text after a closing quote");
}

TEST(RecordTable, RefusesInputBeyondItsLimits) {
  std::string wide;
  for (size_t i = 0; i <= kMaxTableColumns; ++i) wide += (i ? ",c" : "c") + std::to_string(i);
  EXPECT_EQ(parse_error(wide + "\n"), "line 1: more than 256 fields");
  EXPECT_EQ(parse_error("a\n" + std::string(kMaxFieldBytes + 1, 'x') + "\n"),
            "line 2: a field is longer than 65536 bytes");
  EXPECT_EQ(parse_error("a\n\"" + std::string(kMaxFieldBytes + 1, 'x') + "\"\n"),
            "line 2: a field is longer than 65536 bytes");
}

}  // namespace
}  // namespace halo::linkage
