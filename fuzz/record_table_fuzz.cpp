// record_table_fuzz.cpp -- libFuzzer target for the probabilistic resolver's
// CSV reader (core/linkage/record_table.h). Invariants checked:
//  - parsing ends, and either fails with a message starting "line N: " or
//    "the file" (N >= 1), or succeeds with rows of exactly as many fields as
//    the header, none longer than kMaxFieldBytes;
//  - header names are non-empty and distinct.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "linkage/record_table.h"

using halo::linkage::kMaxFieldBytes;
using halo::linkage::parse_record_table;
using halo::linkage::RecordTable;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  RecordTable table;
  std::string error;
  if (!parse_record_table(text, table, error)) {
    const bool line =
        error.rfind("line ", 0) == 0 && error.size() > 5 && error[5] >= '1' && error[5] <= '9';
    if (!line && error.rfind("the file", 0) != 0) std::abort();
    return 0;
  }
  std::set<std::string> names;
  for (const std::string &c : table.columns) {
    if (c.empty() || !names.insert(c).second) std::abort();
  }
  for (const auto &row : table.rows) {
    if (row.size() != table.columns.size()) std::abort();
    for (const std::string &field : row) {
      if (field.size() > kMaxFieldBytes) std::abort();
    }
  }
  return 0;
}
