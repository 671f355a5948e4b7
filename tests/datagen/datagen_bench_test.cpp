// datagen_bench_test.cpp -- bench mode writes exactly --events lines of
// Segment JSON with the promised duplicate/malformed rates, ~400 B/line, and
// Order Completed revenue that sums to the reported total.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <unordered_map>

#include "bench.h"
#include "test_support.h"

namespace halo::datagen::testing {
namespace {

constexpr uint64_t kEvents = 40000;

class DatagenBench : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    path_ = new std::filesystem::path(fresh_dir("bench") / "events.jsonl");
    auto result = run_bench({*path_, kEvents, 2000, 3});
    ASSERT_TRUE(result.ok()) << result.status().message();
    summary_ = new BenchSummary(*result);
    text_ = new std::string(read_file(*path_));
  }
  static void TearDownTestSuite() {
    delete path_;
    delete summary_;
    delete text_;
  }
  static std::filesystem::path *path_;
  static BenchSummary *summary_;
  static std::string *text_;
};
std::filesystem::path *DatagenBench::path_ = nullptr;
BenchSummary *DatagenBench::summary_ = nullptr;
std::string *DatagenBench::text_ = nullptr;

TEST_F(DatagenBench, LineCountEqualsEventsAndSizeIsRealistic) {
  const auto lines = split_lines(*text_);
  EXPECT_EQ(lines.size(), kEvents);
  EXPECT_EQ(summary_->lines, kEvents);
  EXPECT_EQ(summary_->bytes, text_->size());
  const double per_line = static_cast<double>(text_->size()) / kEvents;
  EXPECT_GT(per_line, 330);
  EXPECT_LT(per_line, 500);
}

TEST_F(DatagenBench, ValidRatioDuplicatesAndRevenueAsReported) {
  simdjson::dom::parser parser;
  std::unordered_map<std::string, std::string_view> by_message_id;
  uint64_t invalid = 0, duplicates = 0, identify = 0, orders = 0, with_context_traits = 0;
  int64_t revenue_minor = 0;
  for (std::string_view line : split_lines(*text_)) {
    simdjson::dom::element doc;
    if (parser.parse(line.data(), line.size()).get(doc) != simdjson::SUCCESS) {
      ++invalid;
      continue;
    }
    const std::string id(doc["messageId"].get_string().value());
    auto [it, inserted] = by_message_id.emplace(id, line);
    if (!inserted) {
      EXPECT_EQ(it->second, line) << "re-sent message " << id << " is not byte-identical";
      ++duplicates;
      continue;
    }
    const std::string_view type = doc["type"].get_string();
    identify += type == "identify";
    with_context_traits += doc["context"]["traits"].error() == simdjson::SUCCESS;
    std::string_view event;
    if (doc["event"].get(event) == simdjson::SUCCESS && event == "Order Completed") {
      ++orders;
      const double revenue = doc["properties"]["revenue"].get_double();
      revenue_minor += static_cast<int64_t>(revenue * 100 + 0.5);
    }
  }
  EXPECT_EQ(invalid, summary_->malformed);
  EXPECT_EQ(duplicates, summary_->duplicates);
  EXPECT_EQ(identify, summary_->identify);
  EXPECT_EQ(orders, summary_->order_completed);
  EXPECT_EQ(revenue_minor, summary_->revenue_minor);
  // ~0.1% malformed, ~1% duplicates (binomial: wide enough bounds to be stable).
  EXPECT_GT(invalid, kEvents / 2000);
  EXPECT_LT(invalid, kEvents / 500);
  EXPECT_GT(duplicates, kEvents / 200);
  EXPECT_LT(duplicates, kEvents / 50);
  EXPECT_GT(identify, kEvents / 100);
  EXPECT_GT(orders, kEvents / 100);
  EXPECT_GT(with_context_traits, kEvents / 20);
}

TEST_F(DatagenBench, DescribeIsOneLineWithTheCounts) {
  const std::string line = describe(*summary_, *path_);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NE(line.find(std::to_string(kEvents) + " lines"), std::string::npos) << line;
}

// The identity-heavy shape: loyalty cards in traits and context.traits,
// phones in Persian digits among their forms, and in-store orders (a loyalty
// card, no userId) counted as such.
TEST(DatagenBenchIdentity, CarriesEveryIdentifierTypeAndInStoreOrders) {
  const auto path = fresh_dir("bench-identity") / "events.jsonl";
  BenchOptions options{path, kEvents, 2000, 3};
  options.shape = BenchShape::kIdentity;
  auto summary = run_bench(options);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  const std::string text = read_file(path);
  simdjson::dom::parser parser;
  uint64_t card_traits = 0, card_context = 0, persian_phones = 0, in_store = 0;
  for (std::string_view line : split_lines(text)) {
    simdjson::dom::element doc;
    if (parser.parse(line.data(), line.size()).get(doc) != simdjson::SUCCESS) continue;
    card_traits += doc["traits"]["loyalty_card"].error() == simdjson::SUCCESS;
    const bool card = doc["context"]["traits"]["loyalty_card"].error() == simdjson::SUCCESS;
    card_context += card;
    persian_phones += line.find("\u06f0") != std::string_view::npos ||
                      line.find("\xdb\xb0") != std::string_view::npos;  // U+06F0, Persian zero
    std::string_view event;
    if (card && doc["userId"].error() != simdjson::SUCCESS &&
        doc["event"].get(event) == simdjson::SUCCESS && event == "Order Completed") {
      ++in_store;
    }
  }
  EXPECT_GT(card_traits, kEvents / 200);
  EXPECT_GT(card_context, kEvents / 50);
  EXPECT_GT(persian_phones, kEvents / 500);
  // Duplicated lines count once in the summary and once more here.
  EXPECT_GE(in_store, summary->in_store);
  EXPECT_LE(in_store, summary->in_store + summary->duplicates);
  EXPECT_GT(summary->in_store, kEvents / 50);
  EXPECT_EQ(text.size(), summary->bytes);
}

TEST_F(DatagenBench, TheWebShapeHasNoLoyaltyCardsOrInStoreOrders) {
  EXPECT_EQ(text_->find("loyalty_card"), std::string::npos);
  EXPECT_EQ(summary_->in_store, 0u);
}

}  // namespace
}  // namespace halo::datagen::testing
