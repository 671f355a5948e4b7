// store_impl.h -- SqliteStore's private state and the small query helpers
// shared by the SQLite backend's files (sqlite_store.cpp, store_*.cpp).
// Internal to halo_store.
//
// Invariants:
//  - `cache` statements are reset at the end of every helper call, so none
//    holds a read snapshot open between calls.
//  - scan() runs on a statement no other call holds (the idle one kept for
//    its SQL, or a fresh one while that is lent out), so a scan callback may
//    call any other Store method (including the same scan) without
//    clobbering it; a scan's statement is reset before it is kept.
//  - The transaction state is SQLite's own (sqlite3_get_autocommit), so it
//    stays right even when SQLite rolls back by itself (e.g. disk full).
//  - Every failure names the table it touched and ends with
//    kStoreErrorHint; no SQLite error is ever turned into "no rows".
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/sqlite_db.h"
#include "store/sqlite_store.h"
#include "store/store_lock.h"
#include "store/zstd_codec.h"

namespace halo {

// One statement the store runs, with what its errors name: the Store
// operation and the table(s) it touches. `columns` is the storage class the
// schema promises for each result column: 'i' INTEGER, 't' TEXT or BLOB. A
// row that breaks it comes from a damaged or hand-edited file and is an
// error, never read as 0 or "".
//
// Built only at compile time (consteval), so `text` is a literal with
// static storage: the statement cache finds it by address.
struct Sql {
  consteval Sql(std::string_view op_, std::string_view table_, std::string_view text_,
                std::string_view columns_ = {})
      : op(op_), table(table_), text(text_), columns(columns_) {}
  std::string_view op;
  std::string_view table;
  std::string_view text;
  std::string_view columns;
};

// A CTE prefix naming `tree`: profile ?1 and every profile merged into it,
// at any depth (merges.from_profile -> into_profile). A macro, so that the
// statements beginning with it stay compile-time text.
#define HALO_SQL_MERGE_TREE                                                           \
  "WITH RECURSIVE tree(p) AS (SELECT ?1 UNION SELECT from_profile FROM merges, tree " \
  "WHERE into_profile = tree.p) "

// "`head` (?,...,?),...,(?,...,?)`tail`": `Rows` groups of `Columns`
// parameters, built at compile time (a constexpr array, so an Sql may view
// it). One statement run for many rows: each run costs about as much as a
// row.
template <size_t Rows, size_t Columns, size_t N, size_t M = 1>
constexpr auto rows_of_parameters(const char (&head)[N], const char (&tail)[M] = "") {
  constexpr size_t kGroup = 2 * Columns + 1;  // "(" + "?," * Columns with ")" for the last ','
  std::array<char, N + Rows *(kGroup + 1) + M - 1> text{};
  size_t at = 0;
  for (size_t i = 0; i + 1 < N; ++i) text[at++] = head[i];
  for (size_t r = 0; r < Rows; ++r) {
    text[at++] = r == 0 ? ' ' : ',';
    text[at++] = '(';
    for (size_t c = 0; c < Columns; ++c) {
      text[at++] = '?';
      text[at++] = c + 1 == Columns ? ')' : ',';
    }
  }
  for (size_t i = 0; i + 1 < M; ++i) text[at++] = tail[i];
  text[at] = '\0';
  return text;
}

// The statements that write many rows of one table: kManyRows, kSomeRows
// and one row per statement (write_rows takes them largest first, so a
// page of rows runs a handful of statements, not one a row).
inline constexpr size_t kManyRows = 128;
inline constexpr size_t kSomeRows = 16;

template <size_t Many, size_t Some, size_t One>
struct RowsTexts {
  std::array<char, Many> many;
  std::array<char, Some> some;
  std::array<char, One> one;
  int columns;  // parameters a row
};

// rows_of_parameters for each size of RowsSql.
template <size_t Columns, size_t N, size_t M = 1>
constexpr auto rows_texts(const char (&head)[N], const char (&tail)[M] = "") {
  auto many = rows_of_parameters<kManyRows, Columns>(head, tail);
  auto some = rows_of_parameters<kSomeRows, Columns>(head, tail);
  auto one = rows_of_parameters<1, Columns>(head, tail);
  return RowsTexts<many.size(), some.size(), one.size()>{many, some, one,
                                                         static_cast<int>(Columns)};
}

struct RowsSql {
  Sql many, some, one;
  int columns;  // parameters a row
};

// A RowsSql of `texts` (a constant of static storage: the Sqls view it).
template <class Texts>
consteval RowsSql rows_sql(std::string_view op, std::string_view table, const Texts &texts) {
  return {Sql(op, table, texts.many.data()), Sql(op, table, texts.some.data()),
          Sql(op, table, texts.one.data()), texts.columns};
}

// A list of profile ids as the JSON array a statement reads with
// `IN (SELECT value FROM json_each(?))` (SQLite's JSON functions are built
// in since 3.38): one statement for many ids, where a lookup each pays a
// statement run each. The ids are below 2^63 (to_sql), so they stay exact.
std::string id_list_json(std::span<const uint64_t> ids);

// Appended to every store error: how to find out more and what fixes it.
inline constexpr std::string_view kStoreErrorHint =
    "; check the store with `halo store check PIPELINE.yaml`, then recompute the derived tables "
    "with `halo rebuild PIPELINE.yaml` or restore the store file from a backup";

struct SqliteStore::Impl {
  Impl(std::string p, sqlite::Connection c, std::optional<StoreLock> l, int log_level)
      : lock(std::move(l)),
        path(std::move(p)),
        db(std::move(c)),
        cache(db.get()),
        zstd(log_level) {}
  ~Impl();  // finalizes statements before closing

  // First member, so released last: after the connection has closed (and
  // made its last checkpoint), never while it still writes.
  std::optional<StoreLock> lock;  // the writer lock; empty when read-only
  std::string path;
  bool read_only = false;  // a query_only connection inside one read snapshot
  sqlite::Connection db;
  sqlite::StatementCache cache;
  // scan()'s statements between scans, by their literal's address (with
  // its length, as StatementCache::get_literal): preparing one per call (a
  // page of a large read each) was ~4% of a segment evaluation's reading
  // thread.
  std::unordered_map<const char *, std::pair<size_t, std::unique_ptr<sqlite::Statement>>>
      idle_scans;
  store::ZstdCodec zstd;
  std::string payload, compressed, key_bytes;  // reused by append_events

  bool in_transaction() const { return sqlite3_get_autocommit(db.get()) == 0; }

  // The page cache: its size in bytes as last set, and whether commits
  // grow it (SqliteStore::follow_store_size).
  Status set_cache(int64_t bytes);
  int64_t cache_bytes = 0;
  bool cache_follows_store = false;

  // Starts writing the WAL's new pages to disk without waiting
  // (sync_file_range, SYNC_FILE_RANGE_WRITE): commits do not sync the WAL
  // (synchronous=NORMAL), so every checkpoint -- the one at close above
  // all -- first syncs all of it; written back while the run goes on, that
  // sync finds little left. A hint only: durability is unchanged, and a
  // failure (no such call on this file system) is ignored.
  void start_log_writeback();
  int wal_fd = -1;  // the WAL opened read-only, for writeback hints

  // The checkpoint start_write_back() started; joined before the next one
  // starts and before the connection closes (~Impl).
  std::thread write_back;
  std::atomic<bool> write_back_running{false};

  // A damaged file (SQLITE_CORRUPT, SQLITE_NOTADB) is Corruption, anything
  // else (disk full, I/O error, lock timeout) is Io.
  Status sql_error(const Sql &q, std::string_view detail) const {
    int code = sqlite3_errcode(db.get()) & 0xff;
    bool damaged = code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
    return Status(damaged ? StatusCode::kCorruption : StatusCode::kIo,
                  "sqlite store " + path + ": table " + std::string(q.table) + " (" +
                      std::string(q.op) + "): " + std::string(detail) +
                      std::string(kStoreErrorHint));
  }
  Status io_error(const Sql &q) const { return sql_error(q, sqlite::last_error(db.get())); }

  Status require_transaction(std::string_view op) const {
    if (in_transaction()) return Status::Ok();
    return Status::Invalid("sqlite store " + path + ": Store::" + std::string(op) +
                           " called outside a transaction; call begin() first and commit() "
                           "after the batch");
  }

  Status require_writable(std::string_view op) const {
    if (!read_only) return Status::Ok();
    return Status::Invalid("sqlite store " + path + ": Store::" + std::string(op) +
                           " on a store opened read-only (a snapshot for reading); writers "
                           "open it with read_only = false and take the store lock");
  }

  Result<sqlite::Statement *> cached(const Sql &q) {
    auto st = cache.get_literal(q.text);
    if (!st.ok()) return sql_error(q, st.status().message());
    return st;
  }

  // `count` rows written by `q`, as many per statement as its sizes allow
  // (each row's parameters after the previous row's): bind(statement,
  // first parameter, row index). Each statement must write each of its
  // rows (insert or update it): a row an `INSERT OR IGNORE` left out, say,
  // is an error. That clause is how a multi-row INSERT of rows that cannot
  // conflict avoids the statement journal SQLite otherwise keeps in case a
  // NOT NULL check aborts it halfway (a copy of every page the statement
  // touches: with the larger statements, 14% of the writer's instructions on
  // an evaluation of segments).
  template <class Bind>
  Status write_rows(const RowsSql &q, size_t count, Bind &&bind) {
    size_t i = 0;
    for (const auto &[sql, size] : {std::pair{&q.many, kManyRows}, std::pair{&q.some, kSomeRows},
                                    std::pair{&q.one, size_t{1}}}) {
      const size_t rows = size;  // captured below: not a binding (C++20)
      for (; i + rows <= count; i += rows) {
        Status s = write(*sql, [&](sqlite::Statement &st) {
          for (size_t k = 0; k < rows; ++k) bind(st, static_cast<int>(k) * q.columns + 1, i + k);
        });
        if (s.ok() && static_cast<size_t>(sqlite3_changes64(db.get())) != rows) {
          s = sql_error(*sql, "wrote " + std::to_string(sqlite3_changes64(db.get())) + " of " +
                                  std::to_string(rows) + " rows");
        }
        if (!s.ok()) return s;
      }
    }
    return Status::Ok();
  }

  // One write statement inside the open transaction: bind(Statement&), step.
  template <class Bind>
  Status write(const Sql &q, Bind &&bind) {
    if (Status s = require_transaction(q.op); !s.ok()) return s;
    auto st = cached(q);
    if (!st.ok()) return st.status();
    sqlite::ScopedReset reset(**st);
    bind(**st);
    int rc = (*st)->step();
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? Status::Ok() : io_error(q);
  }

  // Cached query; row(Statement&) -> Status for each row until it fails.
  template <class Bind, class Row>
  Status query(const Sql &q, Bind &&bind, Row &&row) {
    auto st = cached(q);
    if (!st.ok()) return st.status();
    sqlite::ScopedReset reset(**st);
    bind(**st);
    return step_rows(q, **st, row);
  }

  // Like query() but on a statement of its own, so callbacks may re-enter
  // the Store.
  template <class Bind, class Row>
  Status scan(const Sql &q, Bind &&bind, Row &&row) {
    std::unique_ptr<sqlite::Statement> st;
    if (auto idle = idle_scans.find(q.text.data());
        idle != idle_scans.end() && idle->second.first == q.text.size()) {
      st = std::move(idle->second.second);
      idle_scans.erase(idle);
    } else {
      auto fresh = sqlite::Statement::prepare(db.get(), q.text);
      if (!fresh.ok()) return sql_error(q, fresh.status().message());
      st = std::make_unique<sqlite::Statement>(std::move(fresh).value());
    }
    Status s;
    {
      sqlite::ScopedReset reset(*st);
      bind(*st);
      s = step_rows(q, *st, row);
    }
    // Kept unless one came back first.
    idle_scans.try_emplace(q.text.data(), q.text.size(), std::move(st));
    return s;
  }

  // scan() for a statement whose parameter `index` is the list of profile
  // ids `ids` (id_list_json); bind() sets the others. Nothing runs for an
  // empty list.
  template <class Bind, class Row>
  Status scan_ids(const Sql &q, std::span<const uint64_t> ids, int index, Bind &&bind, Row &&row) {
    if (ids.empty()) return Status::Ok();
    const std::string list = id_list_json(ids);  // bound without a copy: outlives the scan
    return scan(
        q,
        [&](sqlite::Statement &st) {
          bind(st);
          st.bind_text(index, list);
        },
        row);
  }

  // Every step result is looked at: SQLITE_DONE ends the rows, anything
  // but SQLITE_ROW is an error (a damaged page shows up here mid-scan).
  template <class Row>
  Status step_rows(const Sql &q, sqlite::Statement &st, Row &row) {
    for (;;) {
      int rc = st.step();
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return io_error(q);
      if (Status s = check_columns(q, st); !s.ok()) return s;
      if (Status s = row(st); !s.ok()) return s;
    }
  }

  Status check_columns(const Sql &q, const sqlite::Statement &st) const {
    for (size_t i = 0; i < q.columns.size(); ++i) {
      int type = st.column_type(static_cast<int>(i));
      bool fits =
          q.columns[i] == 'i' ? type == SQLITE_INTEGER : type == SQLITE_TEXT || type == SQLITE_BLOB;
      if (fits) continue;
      const char *name = st.column_name(static_cast<int>(i));
      return Status::Corruption(
          "sqlite store " + path + ": table " + std::string(q.table) + " (" + std::string(q.op) +
          "): column " + (name ? name : "?") + " holds " + type_name(type) +
          " where the schema has " + (q.columns[i] == 'i' ? "an integer" : "text") +
          " (the file was damaged or edited by hand)" + std::string(kStoreErrorHint));
    }
    return Status::Ok();
  }

  static std::string type_name(int type) {
    switch (type) {
      case SQLITE_INTEGER:
        return "an integer";
      case SQLITE_FLOAT:
        return "a real number";
      case SQLITE_TEXT:
        return "text";
      case SQLITE_BLOB:
        return "a blob";
      default:
        return "NULL";
    }
  }

  // A single-integer query such as SELECT count(*).
  Result<uint64_t> count(const Sql &q) {
    uint64_t n = 0;
    Status s = query(
        q, [](sqlite::Statement &) {},
        [&](sqlite::Statement &st) {
          n = static_cast<uint64_t>(st.column_int(0));
          return Status::Ok();
        });
    if (!s.ok()) return s;
    return n;
  }
};

// The connection behind a SqliteStore, for store_check.cpp's SQL-level checks on
// the same read snapshot the Store reads.
struct StoreAccess {
  static sqlite3 *db(SqliteStore &store) { return store.impl_->db.get(); }
};

// Binds u64 ids as SQLite's signed INTEGER (see store.h: ids are below 2^63).
inline int64_t to_sql(uint64_t v) {
  return static_cast<int64_t>(v);
}
inline uint64_t from_sql(int64_t v) {
  return static_cast<uint64_t>(v);
}

// A profile's segment memberships as stored (table segment_members): names
// joined by ','. Here as views into `joined`, into `out` (its capacity
// kept), or as strings.
inline void split_segment_names(std::string_view joined, std::vector<std::string_view> &out) {
  out.clear();
  while (!joined.empty()) {
    const size_t comma = joined.find(',');
    out.push_back(joined.substr(0, comma));
    joined.remove_prefix(comma == std::string_view::npos ? joined.size() : comma + 1);
  }
}
inline std::vector<std::string> split_segment_names(std::string_view joined) {
  std::vector<std::string_view> names;
  split_segment_names(joined, names);
  return {names.begin(), names.end()};
}

}  // namespace halo
