// jsonl_source_test.cpp -- the file-jsonl source logic end to end over real
// files: pass-through, JSON arrays, mapping with deterministic ids, errors
// (malformed, too large, unreadable), batching, and cursor resume.
#include "common/testing/recording_sink.h"
#include "jsonl_reader.h"

#include "common/file_set.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace halo::plugins {
namespace {

namespace fs = std::filesystem;
using testing::RecordingSink;

class JsonlSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("halo_jsonl_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string &name, const std::string &content) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

  std::unique_ptr<FileSourceCore> make_core(JsonlReaderOptions options = {}) {
    options.block_size = 16;  // force records across block boundaries
    auto files = list_input_files(dir_.string(), "", {".jsonl", ".json", ".ndjson"});
    return std::make_unique<FileSourceCore>(files, std::make_unique<JsonlFileReader>(options));
  }

  static void drain(FileSourceCore &core, RecordingSink &sink, uint32_t batch = 1000) {
    for (int i = 0; i < 1000 && sink.ends == 0; ++i) core.next_batch(sink, batch);
  }

  // Writes `name` and reads it to its end; returns the cursor after it.
  std::string read_through(const std::string &name, const std::string &content) {
    write(name, content);
    auto core = make_core();
    RecordingSink sink;
    drain(*core, sink);
    return std::string(core->cursor());
  }

  fs::path dir_;
};

TEST_F(JsonlSourceTest, PassesLinesThroughUnchangedAcrossFilesInNameOrder) {
  write("b.jsonl", "{\"n\":3}\n");
  write("a.ndjson", "{\"n\":1}\r\n\n   \n{\"n\":2}");
  write("ignored.txt", "{\"n\":99}\n");
  auto core = make_core();
  RecordingSink sink;
  drain(*core, sink);
  EXPECT_EQ(sink.records(), (std::vector<std::string>{"{\"n\":1}", "{\"n\":2}", "{\"n\":3}"}));
  EXPECT_EQ(sink.items[1].position, 4u);
  EXPECT_EQ(fs::path(sink.items[1].origin).filename(), "a.ndjson");
  EXPECT_EQ(fs::path(sink.items[2].origin).filename(), "b.jsonl");
  EXPECT_EQ(sink.ends, 1);
}

TEST_F(JsonlSourceTest, DetectsJsonArrayFiles) {
  write("orders.json", "\xEF\xBB\xBF [ {\"id\":1}, {\"id\":2,\"x\":[1,2]} ]\n");
  auto core = make_core();
  RecordingSink sink;
  drain(*core, sink);
  EXPECT_EQ(sink.records(), (std::vector<std::string>{"{\"id\":1}", "{\"id\":2,\"x\":[1,2]}"}));
  EXPECT_EQ(sink.items[1].position, 2u);
  EXPECT_TRUE(sink.errors().empty());
}

TEST_F(JsonlSourceTest, MappingBuildsEventsWithDeterministicMessageIds) {
  write("orders.jsonl",
        "{\"id\":7,\"status\":\"completed\",\"total\":\"120.50\",\"billing\":{\"email\":"
        "\"a@b.ir\"}}\n{\"id\":8,\"status\":\"weird\",\"total\":\"1\"}\n{\"id\":9,broken\n");
  FieldSpec status;
  status.from = "status";
  status.map = {{"completed", "Order Completed"}};
  FieldSpec total;
  total.from = "total";
  total.as = ValueType::kNumber;
  auto mapping =
      RecordMapping::compile({{"type", parse_spec_string("=track")},
                              {"event", status},
                              {"userId", parse_spec_string("id")},
                              {"properties.revenue", total},
                              {"context.traits.email", parse_spec_string("billing.email")}});
  JsonlReaderOptions options;
  options.mapping = &mapping;
  RecordingSink first, second;
  drain(*make_core(options), first);
  drain(*make_core(options), second);
  ASSERT_EQ(first.records().size(), 1u);
  ContentIdBuilder ids;  // the id is the hash of the record's own bytes
  ids.begin();
  ids.add(
      "{\"id\":7,\"status\":\"completed\",\"total\":\"120.50\",\"billing\":{\"email\":"
      "\"a@b.ir\"}}");
  std::string expected_id(ids.finish());
  EXPECT_EQ(first.records()[0],
            "{\"messageId\":\"" + expected_id +
                "\",\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":7,"
                "\"properties\":{\"revenue\":120.50},\"context\":{\"traits\":{\"email\":"
                "\"a@b.ir\"}}}");
  EXPECT_EQ(first.records(), second.records());  // same ids on a re-read
  auto errors = first.errors();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].reason, HALO_REASON_INVALID);
  EXPECT_EQ(errors[0].position, 2u);
  EXPECT_NE(errors[0].message.find("\"weird\""), std::string::npos) << errors[0].message;
  EXPECT_EQ(errors[1].reason, HALO_REASON_MALFORMED);
  EXPECT_EQ(errors[1].position, 3u);
  EXPECT_EQ(errors[1].json_or_raw, "{\"id\":9,broken");
}

TEST_F(JsonlSourceTest, TooLargeLinesAreDeadLetteredAndReadingContinues) {
  write("big.jsonl", "{\"a\":1}\n{\"blob\":\"" + std::string(5000, 'x') + "\"}\n{\"b\":2}\n");
  JsonlReaderOptions options;
  options.max_record_bytes = 1024;
  auto core = make_core(options);
  RecordingSink sink;
  drain(*core, sink);
  EXPECT_EQ(sink.records(), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  auto errors = sink.errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].reason, HALO_REASON_TOO_LARGE);
  EXPECT_EQ(errors[0].position, 2u);
  EXPECT_EQ(errors[0].json_or_raw.size(), 1024u);
  EXPECT_NE(errors[0].message.find("max_record_bytes"), std::string::npos);
}

TEST_F(JsonlSourceTest, UnreadableFileStopsTheSourceNamingIt) {
  std::string good = write("good.jsonl", "{\"ok\":1}\n");
  std::string missing = (dir_ / "missing.jsonl").string();
  FileSourceCore core({missing, good}, std::make_unique<JsonlFileReader>(JsonlReaderOptions{}));
  RecordingSink sink;
  try {
    drain(core, sink);
    FAIL() << "a missing input must be an error";
  } catch (const InputError &e) {
    EXPECT_NE(std::string(e.what()).find("missing.jsonl"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(sink.records().empty());
}

TEST_F(JsonlSourceTest, OptionalSourceReportsUnreadableFileAndReadsOthers) {
  std::string good = write("good.jsonl", "{\"ok\":1}\n");
  std::string missing = (dir_ / "missing.jsonl").string();
  FileSourceCore core({missing, good}, std::make_unique<JsonlFileReader>(JsonlReaderOptions{}));
  core.set_optional(true);
  RecordingSink sink;
  drain(core, sink);
  EXPECT_EQ(sink.records(), (std::vector<std::string>{"{\"ok\":1}"}));
  auto errors = sink.errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].reason, HALO_REASON_UNREADABLE);
  EXPECT_NE(errors[0].message.find("missing.jsonl"), std::string::npos) << errors[0].message;
}

TEST_F(JsonlSourceTest, BatchesRespectMaxRecordsAndCursorResumesExactly) {
  std::string lines;
  for (int i = 1; i <= 7; ++i) lines += "{\"i\":" + std::to_string(i) + "}\n";
  write("a.jsonl", lines);
  write("b.json", "[{\"j\":1},{\"j\":2},{\"j\":3}]");
  auto core = make_core();
  RecordingSink first;
  core->next_batch(first, 3);
  EXPECT_EQ(first.items.size(), 3u);
  core->next_batch(first, 5);  // 4 more lines of a.jsonl, then b.json's first
  EXPECT_EQ(first.items.size(), 8u);
  std::string cursor(core->cursor());

  auto resumed = make_core();  // a new process
  std::string error;
  ASSERT_TRUE(resumed->restore(cursor, error)) << error;
  RecordingSink rest;
  drain(*resumed, rest);
  EXPECT_EQ(rest.records(), (std::vector<std::string>{"{\"j\":2}", "{\"j\":3}"}));
  EXPECT_EQ(rest.items[0].position, 2u);

  auto again = make_core();  // after everything: nothing is read twice
  ASSERT_TRUE(again->restore(resumed->cursor(), error)) << error;
  RecordingSink none;
  drain(*again, none);
  EXPECT_TRUE(none.items.empty()) << none.items[0].message << " " << none.items[0].json_or_raw;
  EXPECT_EQ(none.ends, 1);
}

TEST_F(JsonlSourceTest, AppendedLinesAreReadAndReplacedFilesReadAgain) {
  std::string path = write("log.jsonl", "{\"i\":1}\n");
  auto core = make_core();
  RecordingSink sink;
  drain(*core, sink);
  std::string cursor(core->cursor());
  { std::ofstream(path, std::ios::app) << "{\"i\":2}\n"; }
  auto appended = make_core();
  std::string error;
  ASSERT_TRUE(appended->restore(cursor, error));
  RecordingSink more;
  drain(*appended, more);
  EXPECT_EQ(more.records(), (std::vector<std::string>{"{\"i\":2}"}));

  write("log.jsonl", "{\"new\":1}\n");
  auto replaced = make_core();
  ASSERT_TRUE(replaced->restore(appended->cursor(), error));
  RecordingSink fresh;
  drain(*replaced, fresh);
  EXPECT_EQ(fresh.records(), (std::vector<std::string>{"{\"new\":1}"}));
}

TEST_F(JsonlSourceTest, FirstLineArrayDoesNotSwitchTheFileToArrayMode) {
  write("events.jsonl", "[1,2]\n{\"a\":1}\n{\"b\":\"]\"}\n");
  write("open.jsonl", "[{\"c\":1},\n{\"d\":2}\n");  // an array that never closes
  auto core = make_core();
  RecordingSink sink;
  drain(*core, sink);
  EXPECT_EQ(sink.records(), (std::vector<std::string>{"{\"a\":1}", "{\"b\":\"]\"}", "{\"d\":2}"}));
  auto errors = sink.errors();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].reason, HALO_REASON_WRONG_SHAPE);
  EXPECT_EQ(errors[0].position, 1u);
  EXPECT_EQ(errors[0].json_or_raw, "[1,2]");
  EXPECT_NE(errors[0].message.find("JSON array"), std::string::npos) << errors[0].message;
  EXPECT_EQ(errors[1].json_or_raw, "[{\"c\":1},");
  EXPECT_EQ(fs::path(errors[1].origin).filename(), "open.jsonl");
}

TEST_F(JsonlSourceTest, PrettyPrintedAndCrOnlyArrayFilesAreArrays) {
  write("a.json", "[\r  {\"id\": \"x]\\\"\"},\r  {\"id\": 2}\r]\r\r");
  auto core = make_core();
  RecordingSink sink;
  drain(*core, sink);
  EXPECT_EQ(sink.records(), (std::vector<std::string>{"{\"id\": \"x]\\\"\"}", "{\"id\": 2}"}));
  EXPECT_TRUE(sink.errors().empty()) << sink.errors()[0].message;
}

TEST(JsonArrayDetection, OnlyAWholeFileArrayIsAnArrayFile) {
  auto is_array = [](std::string text) {
    MemoryByteSource source(std::move(text));
    return is_json_array_file(source);
  };
  EXPECT_TRUE(is_array("[]"));
  EXPECT_TRUE(is_array("\xEF\xBB\xBF\n [ {\"a\":\"[\"} ]\n\n"));
  EXPECT_FALSE(is_array("[1]\n[2]\n"));        // JSON Lines of arrays
  EXPECT_FALSE(is_array("[1]\n{\"a\":1}\n"));  // first line an array
  EXPECT_FALSE(is_array("[{\"a\":1},\n"));     // never closes
  EXPECT_FALSE(is_array("{\"a\":[1]}\n"));     // an object first
  EXPECT_FALSE(is_array(""));
}

TEST_F(JsonlSourceTest, RefreshedExportYieldsNewIdsOnlyForNewAndChangedRecords) {
  FieldSpec id;
  id.from = "id";
  auto mapping = RecordMapping::compile({{"type", parse_spec_string("=identify")},
                                         {"userId", id},
                                         {"traits.tier", parse_spec_string("tier")}});
  JsonlReaderOptions options;
  options.mapping = &mapping;
  auto ids_of = [&](const std::string &content) {
    write("crm.jsonl", content);
    RecordingSink sink;
    drain(*make_core(options), sink);
    std::vector<std::string> ids;
    for (const std::string &r : sink.records()) ids.push_back(r.substr(14, 32));
    return ids;
  };
  auto before = ids_of("{\"id\":1,\"tier\":\"a\"}\n{\"id\":2,\"tier\":\"a\"}\n");
  auto after = ids_of(
      "{\"id\":3,\"tier\":\"b\"}\r\n{\"id\":1,\"tier\":\"a\"}\r\n  {\"id\":2,\"tier\":\"b\"}\r\n");
  ASSERT_EQ(before.size(), 2u);
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[1], before[0]);  // unchanged row, moved down, other line ending
  EXPECT_NE(after[2], before[1]);  // changed row
  EXPECT_NE(after[0], before[0]);
  EXPECT_NE(after[0], before[1]);
}

TEST_F(JsonlSourceTest, MissingInputSaysWhyForFileGlobAndDirectory) {
  const std::vector<std::string_view> ext = {".jsonl"};
  auto why = [&](const std::string &spec) {
    return missing_input(spec, dir_.string(), list_input_files(spec, dir_.string(), ext), ext);
  };
  EXPECT_NE(why("nope.jsonl").find("does not exist"), std::string::npos) << why("nope.jsonl");
  EXPECT_NE(why("nope.jsonl").find(dir_.string()), std::string::npos);
  EXPECT_NE(why("*.jsonl").find("matches no file"), std::string::npos) << why("*.jsonl");
  fs::create_directories(dir_ / "empty");
  write("empty/readme.txt", "not an input");
  EXPECT_NE(why("empty").find("holds no *.jsonl file"), std::string::npos) << why("empty");
  write("a.jsonl", "{}\n");
  EXPECT_EQ(why("a.jsonl"), "");
  EXPECT_EQ(why("*.jsonl"), "");
  EXPECT_EQ(why("."), "");
}

// The fingerprint covers every byte read, not only the first 4 KiB: a
// replaced export that differs only after its first 4 KiB is read again.
TEST_F(JsonlSourceTest, ReplacedFileWithSameFirst4KiBIsReadAgain) {
  std::string head;
  for (int i = 0; head.size() < 5000; ++i) head += "{\"i\":" + std::to_string(i) + "}\n";
  std::string path = write("export.jsonl", head + "{\"tail\":\"old\"}\n");
  auto core = make_core();
  RecordingSink sink;
  drain(*core, sink);
  std::string cursor(core->cursor());
  const auto mtime = fs::last_write_time(path);

  write("export.jsonl", head + "{\"tail\":\"new\"}\n");  // same size, same first 4 KiB
  fs::last_write_time(path, mtime);  // even with the old mtime (as cp -p or rsync -t)
  auto again = make_core();
  std::string error;
  ASSERT_TRUE(again->restore(cursor, error)) << error;
  RecordingSink reread;
  drain(*again, reread);
  ASSERT_FALSE(reread.records().empty());
  EXPECT_EQ(reread.records().back(), "{\"tail\":\"new\"}");
  EXPECT_EQ(reread.records().size(), sink.records().size());  // from the top

  auto unchanged = make_core();  // untouched since: nothing, and no re-hash needed
  ASSERT_TRUE(unchanged->restore(again->cursor(), error)) << error;
  RecordingSink none;
  drain(*unchanged, none);
  EXPECT_TRUE(none.records().empty());
}

// A grown file is not re-hashed before its new lines: the 4 KiB before
// the old end are checked at once, everything read before at the file's
// end. Lines of the same length as before keep every boundary in place.
std::string numbered_lines(int from, int to) {
  std::string lines;
  for (int i = from; i <= to; ++i) lines += "{\"i\":" + std::to_string(1000 + i) + "}\n";
  return lines;
}

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> out;
  for (size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1)
    out.push_back(text.substr(at, nl - at));
  return out;
}

TEST_F(JsonlSourceTest, AnEditBeforeTheLastBytesReadIsFoundAtTheEndAndReadAgain) {
  std::string text = numbered_lines(1, 2000);  // 24 KB: line 5 is far before the tail
  const std::string cursor = read_through("log.jsonl", text);

  text.replace(text.find("{\"i\":1005}"), 10, "{\"i\":9005}");  // same length
  text += "{\"new\":1}\n";
  write("log.jsonl", text);
  auto again = make_core();
  std::string error;
  ASSERT_TRUE(again->restore(cursor, error)) << error;
  RecordingSink reread;
  drain(*again, reread, 7);
  EXPECT_TRUE(reread.errors().empty()) << reread.errors()[0].message;
  std::vector<std::string> expected = {"{\"new\":1}"};  // first, then the whole file again
  for (const std::string &line : lines_of(text)) expected.push_back(line);
  EXPECT_EQ(reread.records(), expected);

  auto after = make_core();  // the new fingerprint covers the edited file
  ASSERT_TRUE(after->restore(again->cursor(), error)) << error;
  RecordingSink none;
  drain(*after, none);
  EXPECT_TRUE(none.items.empty());
}

TEST_F(JsonlSourceTest, ACursorTakenBeforeTheCheckKeepsTheOldFingerprint) {
  std::string text = numbered_lines(1, 2000);
  const std::string cursor = read_through("log.jsonl", text);
  text += numbered_lines(2001, 2010);
  write("log.jsonl", text);

  auto partway = make_core();
  std::string error;
  ASSERT_TRUE(partway->restore(cursor, error)) << error;
  RecordingSink three;
  partway->next_batch(three, 3);
  ASSERT_EQ(three.records().size(), 3u);
  std::string mid(partway->cursor());  // then the process dies
  std::vector<FilePosition> before, during;
  ASSERT_TRUE(decode_cursor(cursor, before, error) && decode_cursor(mid, during, error)) << error;
  EXPECT_EQ(during[0].fingerprint, before[0].fingerprint);
  EXPECT_GT(during[0].offset, before[0].offset);

  text.replace(text.find("{\"i\":1005}"), 10, "{\"i\":9005}");
  write("log.jsonl", text);
  auto resumed = make_core();
  ASSERT_TRUE(resumed->restore(mid, error)) << error;
  RecordingSink rest;
  drain(*resumed, rest);
  std::vector<std::string> records = rest.records();
  ASSERT_EQ(records.size(), 7u + 2010u);  // the other 7 new lines, then all again
  EXPECT_EQ(records[0], "{\"i\":3004}");
  EXPECT_EQ(records[7 + 4], "{\"i\":9005}");
}

TEST_F(JsonlSourceTest, AnEditThatMovesTheLastBytesReadIsReadFromTheTopAtOnce) {
  std::string text = numbered_lines(1, 2000);
  const std::string cursor = read_through("log.jsonl", text);
  text = "{\"inserted\":true}\n" + text + "{\"new\":1}\n";
  write("log.jsonl", text);
  auto again = make_core();
  std::string error;
  ASSERT_TRUE(again->restore(cursor, error)) << error;
  RecordingSink reread;
  drain(*again, reread);
  EXPECT_TRUE(reread.errors().empty()) << reread.errors()[0].message;  // no torn line
  EXPECT_EQ(reread.records(), lines_of(text));
}

TEST(ParseJsonFormat, AcceptsKnownNames) {
  EXPECT_EQ(parse_json_format("json-array"), JsonFormat::kArray);
  EXPECT_EQ(parse_json_format("jsonl"), JsonFormat::kLines);
  EXPECT_FALSE(parse_json_format("csv").has_value());
}

}  // namespace
}  // namespace halo::plugins
