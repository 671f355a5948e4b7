// store_impl.h -- Store's private state and the small query helpers shared by
// the store_*.cpp files. Internal to halo_store.
//
// Invariants:
//  - `cache` statements are reset at the end of every helper call, so none
//    holds a read snapshot open between calls.
//  - scan() prepares a fresh statement per call, so a scan callback may call
//    any other Store method (including another scan) without clobbering it.
//  - The transaction state is SQLite's own (sqlite3_get_autocommit), so it
//    stays right even when SQLite rolls back by itself (e.g. disk full).
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "store/sqlite_db.h"
#include "store/store.h"
#include "store/zstd_codec.h"

namespace halo {

struct Store::Impl {
  Impl(std::string p, sqlite::Connection c)
      : path(std::move(p)), db(std::move(c)), cache(db.get()) {}
  ~Impl() { cache.clear(); }  // finalize statements before closing

  std::string path;
  sqlite::Connection db;
  sqlite::StatementCache cache;
  store::ZstdCodec zstd{1};
  std::string payload, compressed, key_bytes;  // reused by append_events

  bool in_transaction() const { return sqlite3_get_autocommit(db.get()) == 0; }

  Status io_error(std::string_view op) const {
    return Status::Io("sqlite store " + path + ": " + std::string(op) + ": " +
                      sqlite::last_error(db.get()));
  }

  Status require_transaction(std::string_view op) const {
    if (in_transaction()) return Status::Ok();
    return Status::Invalid("sqlite store " + path + ": Store::" + std::string(op) +
                           " called outside a transaction; call begin() first and commit() "
                           "after the batch");
  }

  Result<sqlite::Statement *> cached(std::string_view op, std::string_view sql) {
    auto st = cache.get(sql);
    if (!st.ok()) {
      return Status::Internal("sqlite store " + path + ": " + std::string(op) + ": " +
                              st.status().message());
    }
    return st;
  }

  // One write statement inside the open transaction: bind(Statement&), step.
  template <class Bind>
  Status write(std::string_view op, std::string_view sql, Bind &&bind) {
    if (Status s = require_transaction(op); !s.ok()) return s;
    auto st = cached(op, sql);
    if (!st.ok()) return st.status();
    sqlite::ScopedReset reset(**st);
    bind(**st);
    int rc = (*st)->step();
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? Status::Ok() : io_error(op);
  }

  // Cached query; row(Statement&) -> Status for each row until it fails.
  template <class Bind, class Row>
  Status query(std::string_view op, std::string_view sql, Bind &&bind, Row &&row) {
    auto st = cached(op, sql);
    if (!st.ok()) return st.status();
    sqlite::ScopedReset reset(**st);
    bind(**st);
    return step_rows(op, **st, row);
  }

  // Like query() but on a fresh statement, so callbacks may re-enter the Store.
  template <class Bind, class Row>
  Status scan(std::string_view op, std::string_view sql, Bind &&bind, Row &&row) {
    auto st = sqlite::Statement::prepare(db.get(), sql);
    if (!st.ok()) return Status::Internal("sqlite store " + path + ": " + st.status().message());
    bind(*st);
    return step_rows(op, *st, row);
  }

  template <class Row>
  Status step_rows(std::string_view op, sqlite::Statement &st, Row &row) {
    for (;;) {
      int rc = st.step();
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return io_error(op);
      if (Status s = row(st); !s.ok()) return s;
    }
  }

  // A single-integer query such as SELECT count(*); 0 on failure.
  uint64_t count(std::string_view sql) {
    uint64_t n = 0;
    Status s = query(
        "count", sql, [](sqlite::Statement &) {},
        [&](sqlite::Statement &st) {
          n = static_cast<uint64_t>(st.column_int(0));
          return Status::Ok();
        });
    return s.ok() ? n : 0;
  }
};

// Binds u64 ids as SQLite's signed INTEGER (see store.h).
inline int64_t to_sql(uint64_t v) {
  return static_cast<int64_t>(v);
}
inline uint64_t from_sql(int64_t v) {
  return static_cast<uint64_t>(v);
}

}  // namespace halo
