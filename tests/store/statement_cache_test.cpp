// statement_cache_test.cpp -- prepared statements kept per connection
// (sqlite_db.h): by text, and a literal by its address and length.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/sqlite_db.h"
#include "store/store_impl.h"

namespace halo::sqlite {
namespace {

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK); }
  void TearDown() override {
    cache_.reset();  // statements are finalized before the connection closes
    sqlite3_close(db_);
  }
  // The first column of the one row `st` gives.
  static int64_t one(Statement *st) {
    ScopedReset reset(*st);
    EXPECT_EQ(st->step(), SQLITE_ROW);
    return st->column_int(0);
  }

  sqlite3 *db_ = nullptr;
  std::unique_ptr<StatementCache> cache_;
};

TEST_F(StatementCacheTest, ALiteralIsPreparedOnceAndFoundByAddress) {
  cache_ = std::make_unique<StatementCache>(db_);
  static constexpr std::string_view kTwo = "SELECT 2";
  auto a = cache_->get_literal(kTwo);
  auto b = cache_->get_literal(kTwo);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(one(*a), 2);
  // The same text from elsewhere is the same statement too.
  const std::string copy(kTwo);
  auto c = cache_->get(copy);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, *a);
}

TEST_F(StatementCacheTest, APrefixOfALiteralAtTheSameAddressIsAStatementOfItsOwn) {
  cache_ = std::make_unique<StatementCache>(db_);
  static constexpr std::string_view kLong = "SELECT 12";
  auto whole = cache_->get_literal(kLong);
  auto prefix = cache_->get_literal(kLong.substr(0, 8));  // "SELECT 1"
  ASSERT_TRUE(whole.ok() && prefix.ok());
  EXPECT_NE(*whole, *prefix);
  EXPECT_EQ(one(*whole), 12);
  EXPECT_EQ(one(*prefix), 1);
  EXPECT_EQ(one(*cache_->get_literal(kLong)), 12);
}

TEST_F(StatementCacheTest, ALiteralThatDoesNotPrepareIsAnErrorEachTime) {
  cache_ = std::make_unique<StatementCache>(db_);
  static constexpr std::string_view kBad = "SELEKT 1";
  for (int i = 0; i < 2; ++i) {
    auto st = cache_->get_literal(kBad);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.status().message().find("syntax error"), std::string::npos)
        << st.status().message();
  }
}

// Rows of parameters built at compile time: the text, and a statement of it
// that writes every row.
TEST_F(StatementCacheTest, RowsOfParametersWriteEveryRow) {
  static constexpr auto kText = rows_of_parameters<3, 2>("INSERT INTO t(a, b) VALUES");
  static_assert(std::string_view(kText.data()) == "INSERT INTO t(a, b) VALUES (?,?),(?,?),(?,?)");
  static_assert(std::string_view(rows_of_parameters<1, 1>("SELECT", " + 1").data()) ==
                "SELECT (?) + 1");
  cache_ = std::make_unique<StatementCache>(db_);
  ASSERT_EQ(sqlite3_exec(db_, "CREATE TABLE t(a INTEGER, b INTEGER)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  auto insert = cache_->get_literal(kText.data());
  ASSERT_TRUE(insert.ok()) << insert.status().message();
  for (int p = 1; p <= 6; ++p) (*insert)->bind_int(p, p * 10);
  EXPECT_EQ((*insert)->step(), SQLITE_DONE);
  (*insert)->reset();
  auto sum = cache_->get_literal("SELECT count(*) * 1000 + sum(a) + sum(b) FROM t");
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(one(*sum), 3 * 1000 + (10 + 30 + 50) + (20 + 40 + 60));
}

}  // namespace
}  // namespace halo::sqlite
