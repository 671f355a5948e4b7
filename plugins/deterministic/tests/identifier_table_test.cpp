// identifier_table_test.cpp -- the compact identifier table: every inserted
// identifier is found again with its type, value and profile slot across
// index growth; hostile values (empty, binary, huge, over the limit) are
// stored exactly or refused; and the bytes held per identifier stay within
// the resolver's memory budget (a layout regression fails here).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "identifier_table.h"

namespace halo::deterministic {
namespace {

std::string email(size_t n) {
  return "user" + std::to_string(n) + "@example.com";
}

TEST(IdentifierTable, FindsEveryIdentifierAcrossIndexGrowth) {
  IdentifierTable table;
  const size_t n = 300000;  // several doublings of the index
  for (size_t i = 0; i < n; ++i) {
    ASSERT_FALSE(table.find(i % 3, email(i)).has_value());
    ASSERT_EQ(table.insert(i % 3, email(i), static_cast<uint32_t>(i / 2)), i);
  }
  ASSERT_EQ(table.size(), n);
  for (size_t i = 0; i < n; ++i) {
    auto id = table.find(i % 3, email(i));
    ASSERT_TRUE(id.has_value()) << i;
    EXPECT_EQ(*id, i);
    EXPECT_EQ(table.type(*id), i % 3);
    EXPECT_EQ(table.value(*id), email(i));
    EXPECT_EQ(table.profile_slot(*id), i / 2);
    // The same value under another type is another identifier.
    EXPECT_FALSE(table.find(i % 3 + 1, email(i)).has_value());
    EXPECT_FALSE(table.find(i % 3, email(i + n)).has_value());
  }
}

TEST(IdentifierTable, SetProfileSlotChangesOnlyThatIdentifier) {
  IdentifierTable table;
  uint32_t a = table.insert(0, "a", 7);
  uint32_t b = table.insert(0, "b", 8);
  table.set_profile_slot(a, 9);
  EXPECT_EQ(table.profile_slot(a), 9u);
  EXPECT_EQ(table.profile_slot(b), 8u);
}

TEST(IdentifierTable, StoresHostileValuesExactly) {
  IdentifierTable table;
  const std::string binary("\0\x80\xff\n\"x", 6);
  const std::string long127(127, 'a'), long128(128, 'b'), long16k(16384, 'c');
  const std::string huge((1 << 20) + 3, 'h');  // its own arena block
  const std::vector<std::pair<uint32_t, std::string>> cases = {{0, ""},
                                                               {1, binary},
                                                               {2, long127},
                                                               {3, long128},
                                                               {4, long16k},
                                                               {5, huge},
                                                               {127, "t"},
                                                               {128, "t"},
                                                               {300000, "t"},
                                                               {UINT32_MAX - 1, "wide type id"},
                                                               {0, "after the huge one"}};
  for (size_t k = 0; k < cases.size(); ++k) table.insert(cases[k].first, cases[k].second, k);
  for (size_t k = 0; k < cases.size(); ++k) {
    auto id = table.find(cases[k].first, cases[k].second);
    ASSERT_TRUE(id.has_value()) << k;
    EXPECT_EQ(*id, k);
    EXPECT_EQ(table.type(*id), cases[k].first);
    EXPECT_EQ(table.value(*id), cases[k].second);
  }
  EXPECT_FALSE(table.find(0, std::string(1, '\0')).has_value());
}

TEST(IdentifierTable, RefusesValueOverTheLimitBeforeStoringIt) {
  IdentifierTable table;
  const char byte = 'x';
  // The length is checked before any byte is read, so a view that only
  // claims the size is enough to exercise the limit.
  std::string_view too_long(&byte, ValueArena::kMaxValueBytes + 1);
  EXPECT_THROW(table.insert(0, too_long, 0), std::length_error);
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.insert(0, "ok", 0), 0u);
  EXPECT_EQ(table.value(0), "ok");
}

// The budget the resolver is sized for (about 1.2M identifiers for 600k
// profiles): the table's own bytes beyond the value bytes themselves. The
// old layout (16-byte index slots at load <= 1/2, 24-byte entries in a
// doubling vector, a separate hash per entry) held ~67 B/identifier here.
TEST(IdentifierTable, BytesPerIdentifierStayWithinBudget) {
  IdentifierTable table;
  const size_t n = 200000;
  size_t value_bytes = 0;
  for (size_t i = 0; i < n; ++i) {
    std::string v = email(i);
    value_bytes += v.size();
    table.insert(i % 4, v, static_cast<uint32_t>(i));
  }
  const double overhead = double(table.memory_bytes() - value_bytes) / n;
  // Entries 12 B, index 8 B x 1.33..2.67 slots, record header ~2 B, the
  // unused tail of the last entry chunk and arena block (amortised).
  EXPECT_LT(overhead, 44.0) << "table holds " << table.memory_bytes() << " bytes";
  EXPECT_GT(overhead, 12.0) << "accounting misses a part of the table";
}

}  // namespace
}  // namespace halo::deterministic
