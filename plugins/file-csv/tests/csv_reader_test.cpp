// csv_reader_test.cpp -- the file-csv source logic over real files: BOM and
// Persian headers, quoted multi-line rows, header: false, every dead-letter
// case, mapping with deterministic ids, and cursor resume mid-file.
#include "csv_reader.h"
#include "common/testing/recording_sink.h"

#include "common/file_set.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace halo::plugins {
namespace {

namespace fs = std::filesystem;
using testing::RecordingSink;

class CsvReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("halo_csv_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string &name, const std::string &content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }

  std::unique_ptr<FileSourceCore> make_core(const RecordMapping &mapping, bool header = true,
                                            std::string delimiter = ",") {
    CsvReaderOptions options;
    options.mapping = &mapping;
    options.header = header;
    options.delimiter = std::move(delimiter);
    options.block_size = 8;  // rows straddle block boundaries
    options.max_record_bytes = 1024;
    options.warn = [this](const std::string &m) { warnings_.push_back(m); };
    auto files = list_input_files(dir_.string(), "", {".csv"});
    return std::make_unique<FileSourceCore>(files, std::make_unique<CsvFileReader>(options));
  }

  static void drain(FileSourceCore &core, RecordingSink &sink) {
    for (int i = 0; i < 1000 && sink.ends == 0; ++i) core.next_batch(sink, 1000);
  }

  fs::path dir_;
  std::vector<std::string> warnings_;
};

RecordMapping customer_mapping() {
  FieldSpec spent;
  spent.from = "مبلغ";
  spent.as = ValueType::kNumber;
  return RecordMapping::compile({{"type", parse_spec_string("=identify")},
                                 {"userId", parse_spec_string("کد مشتری")},
                                 {"traits.name", parse_spec_string("نام")},
                                 {"traits.spent", spent}});
}

TEST_F(CsvReaderTest, PersianHeadersWithBomAndQuotedMultilineRows) {
  write("customers.csv",
        "\xEF\xBB\xBF کد مشتری ,نام,مبلغ\r\n"
        "c1,\"علی \"\"رضا\"\"\nتهران\",120.50\r\n"
        "\r\n"
        "c2,مریم,\r\n");
  auto mapping = customer_mapping();
  auto core = make_core(mapping);
  RecordingSink sink;
  drain(*core, sink);
  ASSERT_TRUE(sink.errors().empty()) << sink.errors()[0].message;
  auto records = sink.records();
  ASSERT_EQ(records.size(), 2u);
  // Content id: (column, value) pairs in column-name order (bytewise:
  // "مبلغ" U+0645 < "نام" U+0646 < "کد مشتری" U+06A9).
  ContentIdBuilder ids;
  ids.begin();
  for (const char *part : {"مبلغ", "120.50", "نام", "علی \"رضا\"\nتهران", "کد مشتری", "c1"}) {
    ids.add(part);
  }
  EXPECT_EQ(records[0], "{\"messageId\":\"" + std::string(ids.finish()) +
                            "\",\"type\":\"identify\",\"userId\":\"c1\",\"traits\":{\"name\":"
                            "\"علی \\\"رضا\\\"\\nتهران\",\"spent\":120.50}}");
  EXPECT_EQ(sink.items[0].position, 2u);
  EXPECT_EQ(sink.items[1].position, 5u);  // empty cell for مبلغ: target omitted
  EXPECT_NE(records[1].find("\"traits\":{\"name\":\"مریم\"}}"), std::string::npos) << records[1];
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(CsvReaderTest, BadRowsAreDeadLetteredAndTheRunContinues) {
  write("mixed.csv",
        "کد مشتری,نام,مبلغ\n"
        "c1,a,1\n"
        "c2,b,1,extra\n"
        "c3,\xC3\x28,1\n"
        "c4,\"x\"y,1\n"
        "c5,d,\"1,250\"\n"
        "c6," +
            std::string(2000, 'z') +
            ",1\n"
            "c7,e,7\n");
  auto mapping = customer_mapping();
  auto core = make_core(mapping);
  RecordingSink sink;
  drain(*core, sink);
  auto records = sink.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_NE(records[1].find("\"c7\""), std::string::npos);
  auto errors = sink.errors();
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors[0].reason, HALO_REASON_WRONG_SHAPE);
  EXPECT_EQ(errors[0].message, "row has 4 columns, header has 3");
  EXPECT_EQ(errors[0].json_or_raw, "c2,b,1,extra");
  EXPECT_EQ(errors[0].position, 3u);
  EXPECT_EQ(errors[1].reason, HALO_REASON_BAD_ENCODING);
  EXPECT_EQ(errors[1].position, 4u);
  EXPECT_EQ(errors[2].reason, HALO_REASON_MALFORMED);
  EXPECT_NE(errors[2].message.find("column 2"), std::string::npos);
  EXPECT_EQ(errors[3].reason, HALO_REASON_INVALID);
  EXPECT_NE(errors[3].message.find("\"1,250\""), std::string::npos) << errors[3].message;
  EXPECT_NE(errors[3].message.find("مبلغ"), std::string::npos) << errors[3].message;
  EXPECT_EQ(errors[4].reason, HALO_REASON_TOO_LARGE);
  EXPECT_EQ(errors[4].position, 7u);
}

TEST_F(CsvReaderTest, UnterminatedQuoteIsOneMalformedRowAndLaterRowsAreRead) {
  write("open.csv", "a,b\n1,2\n3,\"never closed\n4,5\n");
  auto mapping = RecordMapping::compile({{"userId", parse_spec_string("a")}});
  auto core = make_core(mapping);
  RecordingSink sink;
  drain(*core, sink);
  ASSERT_EQ(sink.records().size(), 2u);
  EXPECT_NE(sink.records()[1].find("\"userId\":\"4\""), std::string::npos);
  EXPECT_EQ(sink.errors()[0].json_or_raw, "3,\"never closed");
  ASSERT_EQ(sink.errors().size(), 1u);
  EXPECT_EQ(sink.errors()[0].reason, HALO_REASON_MALFORMED);
  EXPECT_EQ(sink.errors()[0].position, 3u);
}

TEST_F(CsvReaderTest, CrOnlyAndMixedLineEndingsReadEveryRow) {
  write("mac.csv", "id,name\r1,\"a\rb\"\r2,b\r\n3,c\n4,d");
  auto mapping = RecordMapping::compile(
      {{"userId", parse_spec_string("id")}, {"traits.name", parse_spec_string("name")}});
  auto core = make_core(mapping);
  RecordingSink sink;
  drain(*core, sink);
  EXPECT_TRUE(warnings_.empty()) << warnings_[0];
  EXPECT_TRUE(sink.errors().empty()) << sink.errors()[0].message;
  auto records = sink.records();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_NE(records[0].find("\"name\":\"a\\rb\""), std::string::npos) << records[0];
  EXPECT_EQ(sink.items[1].position, 4u);  // row 1 spans lines 2-3
  EXPECT_EQ(sink.items[3].position, 6u);
}

TEST_F(CsvReaderTest, ContentIdsFollowRowsNotPositions) {
  auto mapping = RecordMapping::compile(
      {{"userId", parse_spec_string("id")}, {"traits.tier", parse_spec_string("tier")}});
  auto ids_of = [&](const std::string &content) {
    write("crm.csv", content);
    RecordingSink sink;
    drain(*make_core(mapping), sink);
    std::vector<std::string> ids;
    for (const std::string &r : sink.records()) ids.push_back(r.substr(14, 32));
    return ids;
  };
  auto before = ids_of("id,tier,city\n1,gold,Tehran\n2,silver,Shiraz\n");
  // A new row on top, columns reordered, quoting and line endings changed,
  // row 2's unmapped city edited.
  auto after = ids_of("city,id,tier\r\nYazd,3,gold\r\n\"Tehran\",1,gold\r\nTabriz,2,silver\r\n");
  ASSERT_EQ(before.size(), 2u);
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[1], before[0]);
  EXPECT_NE(after[2], before[1]);
  EXPECT_NE(after[0], before[0]);
  EXPECT_NE(after[0], before[1]);
}

TEST_F(CsvReaderTest, CompositeMessageIdJoinsFieldsUnambiguously) {
  FieldSpec id;
  id.parts = {"order", "line"};
  auto mapping = RecordMapping::compile({{"messageId", id}, {"userId", parse_spec_string("c")}});
  write("o.csv", "order,line,c\nA:1,2,u\nA,1:2,u\n7%,1,u\nB,,u\n");
  auto core = make_core(mapping);
  RecordingSink sink;
  drain(*core, sink);
  auto records = sink.records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0], "{\"messageId\":\"A%3A1:2\",\"userId\":\"u\"}");
  EXPECT_EQ(records[1], "{\"messageId\":\"A:1%3A2\",\"userId\":\"u\"}");
  EXPECT_EQ(records[2], "{\"messageId\":\"7%25:1\",\"userId\":\"u\"}");
  ASSERT_EQ(sink.errors().size(), 1u);
  EXPECT_EQ(sink.errors()[0].reason, HALO_REASON_INVALID);
  EXPECT_NE(sink.errors()[0].message.find("\"line\""), std::string::npos)
      << sink.errors()[0].message;
}

TEST_F(CsvReaderTest, NoHeaderNamesColumnsByNumberAndSemicolons) {
  write("plain.csv", "u1;a@b.ir\nu2;c@d.ir\n");
  auto mapping = RecordMapping::compile(
      {{"userId", parse_spec_string("1")}, {"traits.email", parse_spec_string("2")}});
  auto core = make_core(mapping, false, ";");
  RecordingSink sink;
  drain(*core, sink);
  auto records = sink.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_NE(records[0].find("\"userId\":\"u1\",\"traits\":{\"email\":\"a@b.ir\"}"),
            std::string::npos)
      << records[0];
  EXPECT_EQ(sink.items[0].position, 1u);
}

TEST_F(CsvReaderTest, MissingMappedColumnWarnsAndRequiredRejects) {
  write("x.csv", "id,name\n1,a\n");
  FieldSpec email;
  email.from = "email";
  email.required = true;
  auto mapping =
      RecordMapping::compile({{"userId", parse_spec_string("id")}, {"traits.email", email}});
  auto core = make_core(mapping);
  RecordingSink sink;
  drain(*core, sink);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("no column 'email'"), std::string::npos);
  ASSERT_EQ(sink.errors().size(), 1u);
  EXPECT_EQ(sink.errors()[0].reason, HALO_REASON_INVALID);
}

TEST_F(CsvReaderTest, HeaderInInvalidUtf8SkipsTheFile) {
  write("a.csv", "id,n\xff\n1,2\n");
  write("b.csv", "id\n9\n");
  auto mapping = RecordMapping::compile({{"userId", parse_spec_string("id")}});
  auto core = make_core(mapping);
  RecordingSink sink;
  drain(*core, sink);
  ASSERT_EQ(sink.errors().size(), 1u);
  EXPECT_EQ(sink.errors()[0].reason, HALO_REASON_BAD_ENCODING);
  EXPECT_NE(sink.errors()[0].message.find("a.csv"), std::string::npos);
  ASSERT_EQ(sink.records().size(), 1u);
  EXPECT_NE(sink.records()[0].find("\"userId\":\"9\""), std::string::npos);
}

TEST_F(CsvReaderTest, ResumeMidFileEmitsExactlyTheRemainingRows) {
  std::string csv = "id,note\n";
  for (int i = 1; i <= 6; ++i) {
    csv += std::to_string(i) + ",\"multi\nline " + std::to_string(i) + "\"\n";
  }
  write("rows.csv", csv);
  auto mapping = RecordMapping::compile(
      {{"userId", parse_spec_string("id")}, {"traits.note", parse_spec_string("note")}});
  RecordingSink all;
  drain(*make_core(mapping), all);
  ASSERT_EQ(all.records().size(), 6u);

  auto core = make_core(mapping);
  RecordingSink first;
  core->next_batch(first, 4);
  std::string cursor(core->cursor());
  auto resumed = make_core(mapping);
  std::string error;
  ASSERT_TRUE(resumed->restore(cursor, error)) << error;
  RecordingSink rest;
  drain(*resumed, rest);
  std::vector<std::string> joined = first.records();
  for (const auto &r : rest.records()) joined.push_back(r);
  EXPECT_EQ(joined, all.records());  // same records, same ids, none twice
  EXPECT_EQ(rest.items[0].position, 10u);
}

}  // namespace
}  // namespace halo::plugins
