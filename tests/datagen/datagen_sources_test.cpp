// datagen_sources_test.cpp -- each demo file has the promised shape and
// messiness: WooCommerce field types, POS BOM/headers/bad rows/quoted comma,
// CRM Arabic letters, web duplicates and malformed lines at their rates.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <regex>
#include <set>
#include <unordered_map>

#include "demo_records.h"
#include "test_support.h"

namespace halo::datagen::testing {
namespace {

// The counts summary.json reports, read back with simdjson.
int64_t summary_count(const char *file, const char *key) {
  static simdjson::dom::parser parser;
  static const std::string text = read_file(shared_demo_dir() / "summary.json");
  return parser.parse(text)[file][key].get_int64();
}

TEST(DatagenWoo, OrdersUseWooCommerceFieldTypes) {
  simdjson::dom::parser parser;
  const std::string text = read_file(shared_demo_dir() / "woo_orders.json");
  simdjson::dom::array orders = parser.parse(text).get_array();
  const std::regex gmt(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})");
  const std::regex money(R"(-?\d+\.\d{2})");
  std::set<std::string> statuses;
  size_t guests = 0, registered = 0, count = 0;
  for (simdjson::dom::element o : orders) {
    ++count;
    ASSERT_TRUE(o["id"].is_int64());
    const std::string date(o["date_created_gmt"].get_string().value());
    ASSERT_TRUE(std::regex_match(date, gmt)) << date;  // no Z, no offset
    ASSERT_TRUE(std::regex_match(std::string(o["total"].get_string().value()), money));
    statuses.insert(std::string(o["status"].get_string().value()));
    (o["customer_id"].get_int64().value() == 0 ? guests : registered)++;
    ASSERT_TRUE(o["billing"]["email"].is_string());
    ASSERT_TRUE(o["billing"]["phone"].is_string());
    ASSERT_TRUE(o["billing"]["first_name"].is_string());
    for (simdjson::dom::element item : o["line_items"].get_array()) {
      ASSERT_TRUE(item["price"].is_number());
      ASSERT_FALSE(item["price"].is_string());
      ASSERT_TRUE(item["quantity"].is_int64());
      ASSERT_TRUE(item["product_id"].is_int64());
      ASSERT_TRUE(item["sku"].is_string());
      ASSERT_TRUE(item["name"].is_string());
      ASSERT_TRUE(std::regex_match(std::string(item["total"].get_string().value()), money));
    }
  }
  EXPECT_EQ(count, static_cast<size_t>(summary_count("woo_orders.json", "orders")));
  EXPECT_EQ(statuses,
            (std::set<std::string>{"cancelled", "completed", "pending", "processing", "refunded"}));
  EXPECT_GT(guests, count / 10);
  EXPECT_GT(registered, count / 3);
  // Messy billing identifiers: upper case, padding, Persian digits, +98 with spaces.
  EXPECT_NE(text.find("\"email\":\" "), std::string::npos);
  EXPECT_NE(text.find("@GMAIL.COM"), std::string::npos);
  EXPECT_NE(text.find("\"phone\":\"۰۹"), std::string::npos);
  EXPECT_NE(text.find("\"phone\":\"+98 9"), std::string::npos);
  EXPECT_NE(text.find("\"phone\":\"0098-9"), std::string::npos);
}

TEST(DatagenPos, BomPersianHeaderBadRowsAndOneQuotedComma) {
  const std::string text = read_file(shared_demo_dir() / "pos_sales.csv");
  ASSERT_TRUE(text.starts_with("\xEF\xBB\xBF"));
  const auto lines = split_lines(std::string_view(text).substr(3));
  ASSERT_EQ(lines.front(), "شماره فاکتور,شماره کارت,تلفن,مبلغ,تاریخ,شعبه");
  const std::regex date(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})");
  size_t bad = 0, quoted_comma = 0, card_only = 0, placeholders = 0;
  std::set<std::string> receipts, cards_with_phone, cards;
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto f = split_csv(lines[i]);
    EXPECT_TRUE(receipts.insert(f[0]).second) << "receipt id reused: " << f[0];
    if (f.size() != 6) {
      ++bad;
      continue;
    }
    ASSERT_TRUE(std::regex_match(f[4], date)) << "pos_sales.csv#" << i + 1 << ": " << f[4];
    ASSERT_TRUE(parse_minor_units(f[3]).has_value()) << f[3];
    ASSERT_FALSE(f[1].empty() && f[2].empty()) << "row without identifier: " << lines[i];
    quoted_comma += f[5].find(',') != std::string::npos;
    if (f[2] == "09120000000") {
      ++placeholders;
      EXPECT_FALSE(f[1].empty()) << "a placeholder phone without a card: " << lines[i];
    }
    if (!f[1].empty()) {
      cards.insert(f[1]);
      if (!f[2].empty()) cards_with_phone.insert(f[1]);
      card_only += f[2].empty();
    }
  }
  EXPECT_EQ(static_cast<int64_t>(bad), summary_count("pos_sales.csv", "bad_rows"));
  EXPECT_GE(bad, 2u);
  EXPECT_EQ(quoted_comma, 1u);
  EXPECT_GT(card_only, 10u);
  EXPECT_EQ(cards, cards_with_phone) << "a loyalty card never appears next to a phone";
  EXPECT_EQ(static_cast<int64_t>(placeholders),
            summary_count("pos_sales.csv", "placeholder_phones"));
  EXPECT_GT(placeholders, 10u);
}

TEST(DatagenCrm, NamesSometimesArabicLettersEmailsVariedCase) {
  const std::string text = read_file(shared_demo_dir() / "crm_contacts.csv");
  const auto lines = split_lines(text);
  ASSERT_EQ(lines.front(), "crm_id,first_name,last_name,email,phone,created_at");
  size_t arabic = 0, upper_email = 0, no_phone = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto f = split_csv(lines[i]);
    ASSERT_EQ(f.size(), 6u) << lines[i];
    arabic += (f[1] + f[2]).find_first_of("\xD9") != std::string::npos &&
              ((f[1] + f[2]).find("ي") != std::string::npos ||
               (f[1] + f[2]).find("ك") != std::string::npos);
    upper_email += f[3] != normalize_email(f[3]);
    no_phone += f[4].empty();
  }
  EXPECT_EQ(static_cast<int64_t>(lines.size() - 1), summary_count("crm_contacts.csv", "rows"));
  EXPECT_GT(arabic, 20u);
  EXPECT_GT(upper_email, 20u);
  EXPECT_GT(no_phone, 0u);
}

TEST(DatagenWeb, DuplicatesAreIdenticalAndMalformedLinesAtTheExpectedRate) {
  const std::string text = read_file(shared_demo_dir() / "web_events.jsonl");
  const auto lines = split_lines(text);
  simdjson::dom::parser parser;
  std::unordered_map<std::string, std::string_view> first_line;
  size_t duplicates = 0, truncated = 0, bad_utf8 = 0, no_type = 0, context_traits = 0;
  const std::regex ts(R"(202[56]-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  for (std::string_view line : lines) {
    simdjson::dom::element doc;
    const auto error = parser.parse(line.data(), line.size()).get(doc);
    if (error == simdjson::UTF8_ERROR) {
      ++bad_utf8;
      continue;
    }
    if (error != simdjson::SUCCESS) {
      ++truncated;
      continue;
    }
    if (doc["type"].error() != simdjson::SUCCESS) {
      ++no_type;
      continue;
    }
    const std::string id(doc["messageId"].get_string().value());
    auto [it, inserted] = first_line.emplace(id, line);
    if (!inserted) {
      ASSERT_EQ(it->second, line) << "duplicate " << id << " differs from the first copy";
      ++duplicates;
      continue;
    }
    ASSERT_TRUE(std::regex_match(std::string(doc["timestamp"].get_string().value()), ts));
    context_traits += doc["context"]["traits"]["email"].error() == simdjson::SUCCESS;
  }
  const size_t malformed = truncated + bad_utf8 + no_type;
  EXPECT_EQ(static_cast<int64_t>(lines.size()), summary_count("web_events.jsonl", "lines"));
  EXPECT_EQ(static_cast<int64_t>(duplicates), summary_count("web_events.jsonl", "duplicates"));
  EXPECT_EQ(static_cast<int64_t>(malformed), summary_count("web_events.jsonl", "malformed"));
  EXPECT_GT(duplicates, lines.size() / 200);
  const double malformed_rate = static_cast<double>(malformed) / static_cast<double>(lines.size());
  EXPECT_GT(malformed_rate, 0.003);
  EXPECT_LT(malformed_rate, 0.008);
  EXPECT_GT(truncated, 0u);
  EXPECT_GT(bad_utf8, 0u);
  EXPECT_GT(no_type, 0u);
  EXPECT_GT(context_traits, 100u);
}

TEST(DatagenWeb, NoDeviceIsSharedByTwoUsers) {
  // Every anonymousId that ever appears with a userId must do so in an identify.
  const DemoRecords data = read_demo_records(shared_demo_dir());
  std::unordered_map<std::string, std::set<std::string>> users_of_device;
  for (const Record &r : data.records) {
    if (!r.where.starts_with("web_events")) continue;
    std::string anonymous, user;
    for (const auto &[kind, value] : r.ids) {
      if (kind == "anonymous_id") anonymous = value;
      if (kind == "user_id") user = value;
    }
    ASSERT_FALSE(anonymous.empty()) << r.where;
    if (!user.empty()) users_of_device[anonymous].insert(user);
  }
  for (const auto &[device, users] : users_of_device) {
    EXPECT_EQ(users.size(), 1u) << "device " << device << " is shared by two users";
  }
  EXPECT_GT(users_of_device.size(), 500u);
}

}  // namespace
}  // namespace halo::datagen::testing
