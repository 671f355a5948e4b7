// pos_csv_reader_test.cpp -- one till file through PosCsvReader: Persian
// headers with Jalali dates and toman amounts, Windows-1256 files,
// refunds, row-hash message ids, and rows rejected with a clear message.
#include "pos_csv_reader.h"
#include "common/testing/recording_sink.h"
#include "pos_test_support.h"

#include <gtest/gtest.h>

namespace halo::plugins {
namespace {

using namespace testing;  // RecordingSink and the mapping builders

class PosCsvReaderTest : public testing::TempFolderTest {
 protected:
  PosMapping sales_mapping(bool with_refunds = false, bool with_id = true) {
    std::vector<PosTarget> t = {literal("type", "track"), literal("event", "Order Completed")};
    if (with_id) t.push_back(column("messageId", "شماره فاکتور"));
    t.push_back(date_column("timestamp", "تاریخ", {Calendar::kJalali, "%Y/%m/%d %H:%M", 210}));
    t.back().spec.required = true;
    t.push_back(column("context.traits.pos_card", "شماره کارت"));
    t.push_back(money_column("properties.revenue", "مبلغ",
                             {MoneyUnit::kToman, MoneyUnit::kRial, '.'}, with_refunds));
    return PosMapping::compile(
        t, with_refunds ? std::optional<std::string>("Order Refunded") : std::nullopt);
  }

  RecordingSink read_all(PosMapping &mapping, const std::string &file,
                         TextEncoding encoding = TextEncoding::kUtf8, uint64_t offset = 0,
                         uint64_t line = 1) {
    PosReaderOptions options;
    options.encoding = encoding;
    PosCsvReader reader(options, &mapping);
    reader.open(file, offset, line);
    RecordingSink sink;
    while (reader.step(sink)) {
    }
    return sink;
  }
};

const char kHeader[] = "شماره فاکتور,تاریخ,شماره کارت,مبلغ\n";

TEST_F(PosCsvReaderTest, PersianHeadersJalaliDatesTomanAmounts) {
  PosMapping mapping = sales_mapping();
  std::string file = write("sales.csv", std::string("\xEF\xBB\xBF") + kHeader +
                                            "F-1,۱۴۰۳/۰۱/۱۵ ۱۴:۲۲,6037-1111,\"۱۲۵٬۰۰۰\"\n"
                                            "F-2,1403/01/01 02:00,6037-2222,\"1,000.5\"\r\n");
  RecordingSink sink = read_all(mapping, file);
  ASSERT_TRUE(sink.errors().empty()) << sink.errors()[0].message;
  auto records = sink.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0],
            "{\"type\":\"track\",\"event\":\"Order Completed\",\"messageId\":\"F-1\","
            "\"timestamp\":\"2024-04-03T10:52:00Z\",\"context\":{\"traits\":{\"pos_card\":"
            "\"6037-1111\"}},\"properties\":{\"revenue\":1250000}}");
  EXPECT_NE(records[1].find("\"timestamp\":\"2024-03-19T22:30:00Z\""), std::string::npos);
  EXPECT_NE(records[1].find("\"revenue\":10005}"), std::string::npos);
}

TEST_F(PosCsvReaderTest, Windows1256FileIsDecoded) {
  PosMapping mapping = PosMapping::compile(
      {literal("type", "identify"), column("traits.name", "نام")}, std::nullopt);
  // Header "نام" and value "سلام" in Windows-1256 bytes.
  std::string file = write("cp.csv", "\xE4\xC7\xE3\r\n\xD3\xE1\xC7\xE3\r\n");
  RecordingSink sink = read_all(mapping, file, TextEncoding::kWindows1256);
  ASSERT_EQ(sink.records().size(), 1u);
  EXPECT_NE(sink.records()[0].find("\"traits\":{\"name\":\"سلام\"}"), std::string::npos);
  // Read as UTF-8 the same bytes are a bad header: the file is skipped.
  RecordingSink utf8 = read_all(mapping, file);
  ASSERT_EQ(utf8.errors().size(), 1u);
  EXPECT_EQ(utf8.errors()[0].reason, HALO_REASON_BAD_ENCODING);
  EXPECT_NE(utf8.errors()[0].message.find("encoding"), std::string::npos);
}

TEST_F(PosCsvReaderTest, Windows1256HeaderMatchesPersianYehAndKaf) {
  // Windows-1256 has no Persian Yeh: "تاریخ" is written with Arabic Yeh (0xED).
  PosMapping mapping =
      PosMapping::compile({literal("type", "track"), column("messageId", "کد"),
                           date_column("timestamp", "تاریخ", {Calendar::kJalali, "iso", 0})},
                          std::nullopt);
  std::string file = write("y.csv", "\xDF\xCF,\xCA\xC7\xD1\xED\xCE\r\nA1,1403/01/01\r\n");
  RecordingSink sink = read_all(mapping, file, TextEncoding::kWindows1256);
  ASSERT_EQ(sink.records().size(), 1u);
  EXPECT_EQ(sink.records()[0],
            "{\"type\":\"track\",\"messageId\":\"A1\",\"timestamp\":\"2024-03-20T00:00:00Z\"}");
}

TEST_F(PosCsvReaderTest, UndefinedWindows1252ByteIsBadEncoding) {
  PosMapping mapping =
      PosMapping::compile({literal("type", "identify"), column("traits.name", "name")}, {});
  std::string file = write("w.csv", "name\nCaf\xE9\nbad\x81\n");
  RecordingSink sink = read_all(mapping, file, TextEncoding::kWindows1252);
  ASSERT_EQ(sink.records().size(), 1u);
  EXPECT_NE(sink.records()[0].find("Café"), std::string::npos);
  ASSERT_EQ(sink.errors().size(), 1u);
  EXPECT_EQ(sink.errors()[0].reason, HALO_REASON_BAD_ENCODING);
  EXPECT_EQ(sink.errors()[0].position, 3u);
  EXPECT_NE(sink.errors()[0].message.find("windows-1252"), std::string::npos);
}

TEST_F(PosCsvReaderTest, NegativeAmountBecomesRefundWithPositiveAmount) {
  PosMapping mapping = sales_mapping(/*with_refunds=*/true);
  std::string file = write("r.csv", std::string(kHeader) +
                                        "F-9,1403/02/01 10:00,6037-1111,-40000\n"
                                        "F-10,1403/02/01 10:05,6037-1111,40000\n");
  auto records = read_all(mapping, file).records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_NE(records[0].find("\"event\":\"Order Refunded\""), std::string::npos);
  EXPECT_NE(records[0].find("\"revenue\":400000}"), std::string::npos);
  EXPECT_NE(records[1].find("\"event\":\"Order Completed\""), std::string::npos);
  EXPECT_NE(records[1].find("\"revenue\":400000}"), std::string::npos);
}

TEST_F(PosCsvReaderTest, BadValuesAreRejectedNamingColumnTargetAndFix) {
  PosMapping mapping = sales_mapping();
  std::string file = write("bad.csv", std::string(kHeader) +
                                          "F-1,1403/13/01 10:00,c,100\n"
                                          "F-2,1403/01/01 10:00,c,12 toman\n"
                                          "F-3,1403/01/01 10:00,c\n"
                                          "F-4, ,c,100\n");
  RecordingSink sink = read_all(mapping, file);
  auto errors = sink.errors();
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].reason, HALO_REASON_INVALID);
  EXPECT_NE(errors[0].message.find("column 'تاریخ'"), std::string::npos);
  EXPECT_NE(errors[0].message.find("'timestamp'"), std::string::npos);
  EXPECT_NE(errors[0].message.find("Jalali"), std::string::npos);
  EXPECT_EQ(errors[0].position, 2u);
  EXPECT_NE(errors[1].message.find("column 'مبلغ'"), std::string::npos);
  EXPECT_NE(errors[1].message.find("\"12 toman\""), std::string::npos);
  EXPECT_EQ(errors[2].reason, HALO_REASON_WRONG_SHAPE);
  EXPECT_EQ(errors[3].reason, HALO_REASON_INVALID);
  EXPECT_NE(errors[3].message.find("required column 'تاریخ'"), std::string::npos)
      << errors[3].message;
}

TEST_F(PosCsvReaderTest, RowHashIdsAreStableAndCountIdenticalRows) {
  PosMapping mapping = sales_mapping(false, /*with_id=*/false);
  std::string rows = std::string(kHeader) + "x,1403/01/01 10:00,c1,100\n" +
                     "x,1403/01/01 10:00,c1,100\n" + "x,1403/01/01 10:00,c2,100\n";
  auto first = read_all(mapping, write("a.csv", rows)).records();
  ASSERT_EQ(first.size(), 3u);
  EXPECT_NE(first[0].substr(0, 40), first[1].substr(0, 40));  // identical sales both count
  // Same rows, other file name, columns reordered and quoted: same ids.
  auto again = read_all(mapping, write("b.csv",
                                       "مبلغ,شماره کارت,تاریخ,شماره فاکتور\n"
                                       "100,c1,1403/01/01 10:00,x\n"
                                       "\"100\",c1,1403/01/01 10:00,x\n"
                                       "100,c2,1403/01/01 10:00,x\n"))
                   .records();
  ASSERT_EQ(again.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(again[i].substr(0, 44), first[i].substr(0, 44));
  EXPECT_EQ(first[0].substr(0, 17), "{\"messageId\":\"pos");
}

TEST_F(PosCsvReaderTest, ResumeMidFileKeepsOccurrenceNumbers) {
  PosMapping mapping = sales_mapping(false, /*with_id=*/false);
  std::string row = "x,1403/01/01 10:00,c1,100\n";
  std::string file =
      write("a.csv", std::string(kHeader) + row + "x,1403/01/01 10:00,c2,5\n" + row + row);
  auto full = read_all(mapping, file).records();
  ASSERT_EQ(full.size(), 4u);
  PosReaderOptions options;
  PosCsvReader reader(options, &mapping);
  reader.open(file, 0, 1);
  RecordingSink head;
  reader.step(head);
  reader.step(head);
  uint64_t offset = reader.next_offset(), line = reader.next_position();
  EXPECT_EQ(line, 4u);
  auto tail = read_all(mapping, file, TextEncoding::kUtf8, offset, line).records();
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(tail[0], full[2]);
  EXPECT_EQ(tail[1], full[3]);
}

}  // namespace
}  // namespace halo::plugins
