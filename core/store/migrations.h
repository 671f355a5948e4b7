// migrations.h -- versioned schema migrations for the SQLite store.
//
// The schema version lives in `PRAGMA user_version` (0 = empty database), so
// it changes atomically with the migrations that set it. Migrations form an
// ordered list with versions 1, 2, ..., N; the pending ones run in one
// transaction, so a crash or a failing migration leaves the database at the
// version it had, and a reader never sees a store half-way (a new store is
// empty, then complete). A database whose version
// is newer than the list knows is refused: an older binary must never write
// to a schema it does not understand.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <span>
#include <string>

#include "common/status.h"

namespace halo::store {

struct Migration {
  int version;              // 1-based, consecutive
  const char *description;  // shown in errors, e.g. "initial schema"
  const char *sql;          // one or more statements
  // Optional row rewrite that SQL cannot express (e.g. re-encoding values);
  // runs after `sql` in the same transaction. `path` names the store in
  // errors.
  Status (*convert)(sqlite3 *db, const std::string &path) = nullptr;
};

// PRAGMA application_id of a Halo store ("HALO" in ASCII); set by migration 1
// so that a foreign SQLite file is refused instead of being written to.
inline constexpr int64_t kHaloApplicationId = 0x48414c4f;

// The store's own schema history (schema.cpp).
std::span<const Migration> halo_migrations();

// Reads PRAGMA user_version.
Result<int> schema_version(sqlite3 *db, const std::string &path);

// Brings `db` (named `path` in errors) up to the last version of `migrations`.
// Errors: the list is not 1..N in order (Internal), the database is newer than
// the list or is some other application's SQLite file (InvalidArgument), a
// migration's SQL fails (Io).
Status migrate(sqlite3 *db, const std::string &path, std::span<const Migration> migrations);

// Read-only counterpart of migrate(): OK only when `db` is a Halo store at
// exactly the last version of `migrations`; NotFound when it is empty (no
// tables yet, like a missing store); otherwise InvalidArgument saying why
// (foreign, older or newer schema).
Status check_version(sqlite3 *db, const std::string &path, std::span<const Migration> migrations);

}  // namespace halo::store
