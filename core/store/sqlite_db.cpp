// sqlite_db.cpp -- RAII wrappers over the SQLite C API (see sqlite_db.h).
#include "store/sqlite_db.h"

#include <utility>

namespace halo::sqlite {

namespace {
// SQLite binds a null data pointer as SQL NULL; an empty view may have one.
const char *non_null(const void *data) {
  return data ? static_cast<const char *>(data) : "";
}
}  // namespace

std::string last_error(sqlite3 *db) {
  const char *msg = sqlite3_errmsg(db);
  return msg ? msg : "unknown SQLite error";
}

Status exec(sqlite3 *db, const char *sql, std::string_view context) {
  char *err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) == SQLITE_OK) return Status::Ok();
  std::string msg = std::string(context) + ": " + (err ? err : last_error(db));
  sqlite3_free(err);
  return Status::Io(std::move(msg));
}

Statement::Statement(Statement &&other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_error_(other.bind_error_) {}

Statement &Statement::operator=(Statement &&other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = other.bind_error_;
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Result<Statement> Statement::prepare(sqlite3 *db, std::string_view sql) {
  sqlite3_stmt *stmt = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return Status::Internal("cannot prepare SQL '" + std::string(sql) + "': " + last_error(db));
  }
  return Statement(stmt);
}

void Statement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

void Statement::bind_int(int index, int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value));
}

void Statement::bind_text(int index, std::string_view text) {
  note_bind(sqlite3_bind_text64(stmt_, index, non_null(text.data()), text.size(), SQLITE_STATIC,
                                SQLITE_UTF8));
}

void Statement::bind_blob(int index, const void *data, size_t len) {
  note_bind(sqlite3_bind_blob64(stmt_, index, non_null(data), len, SQLITE_STATIC));
}

int Statement::step() {
  if (bind_error_ != SQLITE_OK) return bind_error_;
  return sqlite3_step(stmt_);
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
}

std::string_view Statement::column_bytes(int index) const {
  // Read the pointer before the size: SQLite's documented order.
  const void *data = sqlite3_column_blob(stmt_, index);
  int len = sqlite3_column_bytes(stmt_, index);
  if (!data || len <= 0) return {};
  return {static_cast<const char *>(data), static_cast<size_t>(len)};
}

Result<Statement *> StatementCache::get(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second.get();
  auto prepared = Statement::prepare(db_, sql);
  if (!prepared.ok()) return prepared.status();
  auto owned = std::make_unique<Statement>(std::move(prepared).value());
  Statement *raw = owned.get();
  statements_.emplace(std::string(sql), std::move(owned));
  return raw;
}

Result<Statement *> StatementCache::get_literal(std::string_view sql) {
  auto it = by_address_.find(sql.data());
  if (it != by_address_.end() && it->second.first == sql.size()) return it->second.second;
  auto st = get(sql);
  if (st.ok()) by_address_[sql.data()] = {sql.size(), *st};
  return st;
}

ScopedTransaction::~ScopedTransaction() {
  if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Status ScopedTransaction::begin(std::string_view context) {
  Status s = exec(db_, "BEGIN IMMEDIATE", context);
  open_ = s.ok();
  return s;
}

Status ScopedTransaction::commit(std::string_view context) {
  Status s = exec(db_, "COMMIT", context);
  if (s.ok()) open_ = false;
  return s;
}

}  // namespace halo::sqlite
