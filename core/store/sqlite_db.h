// sqlite_db.h -- thin RAII layer over the SQLite C API used by the store:
// an owned connection, a prepared statement, a cache of prepared statements
// and a scoped transaction.
//
// Invariants:
//  - A Statement owns its sqlite3_stmt and finalizes it exactly once.
//  - Text and blobs are bound with SQLITE_STATIC: the caller's bytes must stay
//    alive until the statement is reset (ScopedReset does that at scope end).
//  - Empty strings bind as empty values, never as NULL (SQLite binds a null
//    pointer as NULL, which would break NOT NULL columns).
//  - Statements handed out by StatementCache are owned by the cache; callers
//    reset them (ScopedReset) before the next use.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/status.h"

namespace halo::sqlite {

struct ConnectionCloser {
  void operator()(sqlite3 *db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;

// The connection's last error text, e.g. "UNIQUE constraint failed: ...".
std::string last_error(sqlite3 *db);

// Runs one or more SQL statements that return no rows we need.
Status exec(sqlite3 *db, const char *sql, std::string_view context);

class Statement {
 public:
  Statement() = default;
  Statement(Statement &&other) noexcept;
  Statement &operator=(Statement &&other) noexcept;
  Statement(const Statement &) = delete;
  Statement &operator=(const Statement &) = delete;
  ~Statement();

  static Result<Statement> prepare(sqlite3 *db, std::string_view sql);

  void bind_int(int index, int64_t value);
  void bind_text(int index, std::string_view text);
  void bind_blob(int index, const void *data, size_t len);

  // SQLITE_ROW, SQLITE_DONE or an error code (including a failed bind).
  int step();
  void reset();

  int64_t column_int(int index) const { return sqlite3_column_int64(stmt_, index); }
  // SQLITE_INTEGER, SQLITE_TEXT, SQLITE_BLOB, SQLITE_FLOAT or SQLITE_NULL;
  // ask before reading the column (reading may convert it).
  int column_type(int index) const { return sqlite3_column_type(stmt_, index); }
  const char *column_name(int index) const { return sqlite3_column_name(stmt_, index); }
  // Bytes of a text or blob column; valid until the next step/reset.
  std::string_view column_bytes(int index) const;

  sqlite3_stmt *get() const { return stmt_; }

 private:
  explicit Statement(sqlite3_stmt *stmt) : stmt_(stmt) {}
  void note_bind(int rc);

  sqlite3_stmt *stmt_ = nullptr;
  int bind_error_ = SQLITE_OK;
};

// Resets a statement (and drops its bindings) when the scope ends, so a
// cached statement never keeps a read transaction open or dangling binds.
class ScopedReset {
 public:
  explicit ScopedReset(Statement &stmt) : stmt_(stmt) {}
  ~ScopedReset() { stmt_.reset(); }
  ScopedReset(const ScopedReset &) = delete;
  ScopedReset &operator=(const ScopedReset &) = delete;

 private:
  Statement &stmt_;
};

// Prepared statements keyed by their SQL text: hot-path statements are
// compiled once per connection.
class StatementCache {
 public:
  explicit StatementCache(sqlite3 *db) : db_(db) {}
  Result<Statement *> get(std::string_view sql);
  // get() for a text with static storage (a literal), found by its
  // address: hashing and comparing the whole text on every call was ~4% of
  // a writer thread running small statements.
  // REQUIRES: `sql` is never freed or changed (it outlives the cache).
  Result<Statement *> get_literal(std::string_view sql);
  void clear() {
    by_address_.clear();
    statements_.clear();
  }

 private:
  // Transparent hash: look up by string_view without building a std::string.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  sqlite3 *db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>> statements_;
  // (address, length) of a literal -> its statement in statements_.
  std::unordered_map<const char *, std::pair<size_t, Statement *>> by_address_;
};

// A self-contained write transaction (e.g. one migration): begin() issues
// BEGIN IMMEDIATE; destruction rolls back unless commit() succeeded.
class ScopedTransaction {
 public:
  explicit ScopedTransaction(sqlite3 *db) : db_(db) {}
  ~ScopedTransaction();
  ScopedTransaction(const ScopedTransaction &) = delete;
  ScopedTransaction &operator=(const ScopedTransaction &) = delete;

  Status begin(std::string_view context);
  Status commit(std::string_view context);

 private:
  sqlite3 *db_;
  bool open_ = false;
};

}  // namespace halo::sqlite
