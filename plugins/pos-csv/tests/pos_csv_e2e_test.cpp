// pos_csv_e2e_test.cpp -- the real `halo` binary on a POS drop folder:
// Persian headers, Jalali dates and toman amounts become profiles with
// exact revenue in rial; a second run reads nothing; a later drop adds only
// its rows (a renamed duplicate and a re-exported file do not double
// count); a mapping mistake stops the run naming the option path; files
// are moved to the archive only after a committed run.
#include <gtest/gtest.h>

#include "e2e_support.h"

#include <filesystem>

namespace halo::e2e {
namespace {

const char *kPipeline = R"(version: 1
store: { kind: sqlite, path: var/halo.db }
identity:
  resolver: deterministic
  identifiers:
    - { type: pos_card, priority: 1, max_per_profile: 5, paths: [context.traits.pos_card] }
sources:
  - name: tills
    plugin: pos-csv
    config:
      dir: drop
      settle_seconds: 0
      refund_event: Order Refunded
      MOVE
      mapping:
        type: "=track"
        event: "=Order Completed"
        messageId: "شماره فاکتور"
        timestamp: { from: "تاریخ", as: date, calendar: jalali, format: "%Y/%m/%d %H:%M", timezone_offset: "+03:30" }
        context.traits.pos_card: { from: "شماره کارت", required: true }
        properties.revenue: { from: "مبلغ", as: money, unit: toman, output_unit: rial, refund_sign: true }
features:
  - name: orders
    plugin: aggregates
    config:
      features:
        order_count: { count: { event: Order Completed } }
        revenue: { sum: { event: Order Completed, field: properties.revenue } }
        refunds: { count: { event: Order Refunded } }
destinations:
  - { name: out, plugin: file-jsonl, config: { path: var/profiles.jsonl } }
)";

const std::string kHeader = "\xEF\xBB\xBFشماره فاکتور,تاریخ,شماره کارت,مبلغ\n";

std::string pipeline(const std::string &move) {
  std::string p = kPipeline;
  p.replace(p.find("MOVE"), 4, move.empty() ? "pattern: \"*.csv\"" : move);
  return p;
}

struct RunResult {
  std::string summary;
  std::map<std::string, Profile> by_card;
};

RunResult run_pipeline(const TempDir &dir) {
  CommandResult r =
      run({halo_bin(), "run", dir / "pipeline.yaml", "--summary-json", dir / "s.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  RunResult out;
  out.summary = read_file(dir / "s.json");
  for (Profile &p : read_profiles(dir / "var/profiles.jsonl")) {
    out.by_card[*p.identifiers.at("pos_card").begin()] = p;
  }
  return out;
}

TEST(PosCsvE2E, DropFolderImportsEachSaleOnce) {
  TempDir dir;
  write_file(dir / "pipeline.yaml", pipeline(""));
  std::filesystem::create_directories(dir / "drop");
  std::string day1 = kHeader +
                     "F-1,۱۴۰۳/۰۱/۱۵ ۱۴:۲۲,6037-1111,\"۱۲۵٬۰۰۰\"\n"
                     "F-2,1403/01/16 09:00,6037-1111,\"1,000.5\"\n"
                     "F-3,1403/01/16 10:00,6037-2222,40000\n"
                     "F-4,1403/01/17 11:00,6037-2222,-40000\n";
  write_file(dir / "drop/day1.csv", day1);
  write_file(dir / "drop/day2.csv.part", kHeader + "F-9,1403/01/18 10:00,6037-1111,999\n");

  RunResult first = run_pipeline(dir);
  EXPECT_NE(first.summary.find("\"accepted\":4"), std::string::npos) << first.summary;
  ASSERT_EQ(first.by_card.size(), 2u);
  EXPECT_EQ(first.by_card["6037-1111"].revenue, "1260005");  // (125000 + 1000.5) toman
  EXPECT_EQ(first.by_card["6037-1111"].order_count, "2");
  EXPECT_EQ(first.by_card["6037-2222"].revenue, "400000");
  EXPECT_NE(first.by_card["6037-2222"].line.find("\"refunds\":1"), std::string::npos)
      << first.by_card["6037-2222"].line;

  RunResult second = run_pipeline(dir);
  EXPECT_NE(second.summary.find("\"records_read\":0"), std::string::npos) << second.summary;
  EXPECT_EQ(second.by_card["6037-1111"].revenue, "1260005");

  // Later: the same export dropped again under another name, day1
  // re-exported with one late sale, and a new day.
  write_file(dir / "drop/day1-copy.csv", day1);
  write_file(dir / "drop/day1.csv", day1 + "F-5,1403/01/17 20:00,6037-1111,10\n");
  write_file(dir / "drop/day3.csv", kHeader + "F-6,1403/01/20 12:00,6037-3333,\"(2,000)\"\n" +
                                        "F-7,1403/01/20 12:05,6037-3333,7000\n");
  RunResult third = run_pipeline(dir);
  EXPECT_NE(third.summary.find("\"accepted\":3"), std::string::npos) << third.summary;
  EXPECT_NE(third.summary.find("\"duplicates\":4"), std::string::npos) << third.summary;
  EXPECT_EQ(third.by_card["6037-1111"].revenue, "1260105");
  EXPECT_EQ(third.by_card["6037-1111"].order_count, "3");
  EXPECT_EQ(third.by_card["6037-3333"].revenue, "70000");
  EXPECT_NE(third.by_card["6037-3333"].line.find("\"refunds\":1"), std::string::npos);
  EXPECT_EQ(third.by_card["6037-2222"].revenue, "400000");
}

TEST(PosCsvE2E, ImportedFilesAreArchivedAfterCommit) {
  TempDir dir;
  write_file(dir / "pipeline.yaml", pipeline("move_processed_to: archive"));
  std::filesystem::create_directories(dir / "drop");
  write_file(dir / "drop/day1.csv", kHeader + "F-1,1403/01/15 14:22,6037-1111,5\n");
  RunResult first = run_pipeline(dir);
  EXPECT_EQ(first.by_card["6037-1111"].revenue, "50");
  EXPECT_FALSE(std::filesystem::exists(dir / "drop/day1.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir / "archive/day1.csv"));
}

TEST(PosCsvE2E, MappingMistakesStopTheRunNamingTheOption) {
  struct Mistake {
    std::string from, to, expected_path, expected_text;
  };
  const Mistake mistakes[] = {
      {"calendar: jalali", "calendar: hijri", "calendar", "gregorian or jalali"},
      {"format: \"%Y/%m/%d %H:%M\"", "format: \"%Y/%b/%d\"", "format", "'%b'"},
      {"timezone_offset: \"+03:30\"", "timezone_offset: \"3.5\"", "timezone_offset", "+03:30"},
      {"unit: toman", "unit: dinar", "unit", "rial or toman"},
      {"refund_event: Order Refunded", "delimiter: \",\"", "refund_sign", "refund_event"},
      {"output_unit: rial", "output_unit: rial, calendar: jalali", "calendar",
       "only applies with as: date"},
      {"dir: drop", "dir: nowhere", "dir", "not a directory"},
      {"utf", "utf", "encoding", "windows-1256"},
  };
  for (const Mistake &m : mistakes) {
    TempDir dir;
    std::filesystem::create_directories(dir / "drop");
    std::string p = pipeline("");
    if (m.expected_path == "encoding") {
      p.replace(p.find("settle_seconds: 0"), 17, "settle_seconds: 0\n      encoding: latin-1");
    } else {
      p.replace(p.find(m.from), m.from.size(), m.to);
    }
    write_file(dir / "pipeline.yaml", p);
    CommandResult r = run({halo_bin(), "run", dir / "pipeline.yaml"});
    EXPECT_NE(r.exit_code, 0) << m.to;
    EXPECT_NE(r.err.find(m.expected_path), std::string::npos) << m.to << ":\n" << r.err;
    EXPECT_NE(r.err.find(m.expected_text), std::string::npos) << m.to << ":\n" << r.err;
  }
}

}  // namespace
}  // namespace halo::e2e
