// demo_records.h -- the demo files re-read as the pipeline would see them:
// one Record per valid, distinct source record with its normalized
// identifiers and, for records that become `Order Completed`, the amount.
// Duplicates and malformed/dead-lettered lines are left out (and counted).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace halo::datagen::testing {

struct Record {
  std::string where;                                     // "woo_orders.json#12"
  std::vector<std::pair<std::string, std::string>> ids;  // (kind, normalized value)
  bool counted = false;                                  // becomes Order Completed
  int64_t amount_minor = 0;
};

struct DemoRecords {
  std::vector<Record> records;
  uint64_t web_duplicates = 0, web_malformed = 0, pos_bad_rows = 0;
  uint64_t pos_placeholder_phones = 0;  // rows with the cashier's placeholder phone
};

DemoRecords read_demo_records(const std::filesystem::path &dir);

struct TruthPerson {
  std::string person;
  std::vector<std::pair<std::string, std::string>> ids;
  // Values the person's records carry that belong to another person (a
  // household's phone, kept by the member who gave it first).
  std::vector<std::pair<std::string, std::string>> shared;
  int64_t order_count = 0;
  int64_t revenue_minor = 0;
};

std::vector<TruthPerson> read_truth(const std::filesystem::path &dir);

}  // namespace halo::datagen::testing
