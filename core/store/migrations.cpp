// migrations.cpp -- applies the ordered migration list (see migrations.h).
#include "store/migrations.h"

#include "store/sqlite_db.h"

namespace halo::store {

namespace {

Status check_ordered(std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i + 1)) {
      return Status::Internal("store migration list is out of order: entry " + std::to_string(i) +
                              " has version " + std::to_string(migrations[i].version) +
                              ", expected " + std::to_string(i + 1));
    }
  }
  return Status::Ok();
}

// Applies `m` inside the caller's transaction.
Status apply_one(sqlite3 *db, const std::string &path, const Migration &m) {
  std::string context = "sqlite store " + path + ": migration " + std::to_string(m.version) + " (" +
                        m.description + ")";
  if (Status s = sqlite::exec(db, m.sql, context); !s.ok()) return s;
  if (m.convert != nullptr) {
    if (Status s = m.convert(db, path); !s.ok()) return s;
  }
  // PRAGMA arguments cannot be bound; the version is our own integer.
  std::string set_version = "PRAGMA user_version = " + std::to_string(m.version);
  return sqlite::exec(db, set_version.c_str(), context);
}

Result<int64_t> query_int(sqlite3 *db, const std::string &path, const char *sql) {
  auto stmt = sqlite::Statement::prepare(db, sql);
  if (!stmt.ok() || stmt->step() != SQLITE_ROW) {
    return Status::Io("sqlite store " + path + ": cannot run '" + sql +
                      "': " + sqlite::last_error(db) + " (is this a SQLite database?)");
  }
  return stmt->column_int(0);
}

// Refuses a SQLite file that some other program owns: it either has tables
// but no schema version, or carries another application id.
Status check_owner(sqlite3 *db, const std::string &path, int version) {
  if (version == 0) {
    auto tables = query_int(db, path, "SELECT count(*) FROM sqlite_schema");
    if (!tables.ok()) return tables.status();
    if (*tables == 0) return Status::Ok();
  } else {
    auto app = query_int(db, path, "PRAGMA application_id");
    if (!app.ok()) return app.status();
    if (*app == kHaloApplicationId) return Status::Ok();
  }
  return Status::Invalid("sqlite store " + path +
                         " is a SQLite database that is not a Halo store; point the store "
                         "path at a new file");
}

Status newer_schema(const std::string &path, int current, int known) {
  return Status::Invalid("sqlite store " + path + " has schema version " + std::to_string(current) +
                         " but this halo build knows only up to " + std::to_string(known) +
                         "; it was written by a newer halo. Upgrade halo, or point the "
                         "store path at another file");
}

}  // namespace

Result<int> schema_version(sqlite3 *db, const std::string &path) {
  auto version = query_int(db, path, "PRAGMA user_version");
  if (!version.ok()) return version.status();
  return static_cast<int>(*version);
}

Status check_version(sqlite3 *db, const std::string &path, std::span<const Migration> migrations) {
  auto current = schema_version(db, path);
  if (!current.ok()) return current.status();
  if (Status s = check_owner(db, path, *current); !s.ok()) return s;
  const int known = static_cast<int>(migrations.size());
  if (*current == 0) {
    // No tables: nothing to read yet, like a missing file. A reader meets
    // this while the first `halo run` is creating the store.
    return Status::NotFound("sqlite store " + path +
                            " is empty (no run has written it yet, or the first `halo run` is "
                            "creating it)");
  }
  if (*current > known) return newer_schema(path, *current, known);
  if (*current < known) {
    return Status::Invalid("sqlite store " + path + " has schema version " +
                           std::to_string(*current) + " and this halo uses " +
                           std::to_string(known) +
                           "; run `halo run PIPELINE.yaml` once to upgrade it");
  }
  return Status::Ok();
}

Status migrate(sqlite3 *db, const std::string &path, std::span<const Migration> migrations) {
  if (Status s = check_ordered(migrations); !s.ok()) return s;
  auto current = schema_version(db, path);
  if (!current.ok()) return current.status();
  if (Status s = check_owner(db, path, *current); !s.ok()) return s;
  const int known = static_cast<int>(migrations.size());
  if (*current > known) return newer_schema(path, *current, known);

  if (*current == known) return Status::Ok();
  // Every pending migration in one transaction: a reader sees the store
  // before or after, never half-way (a new store empty, then complete).
  const std::string context =
      "sqlite store " + path + ": migrating to schema " + std::to_string(known);
  sqlite::ScopedTransaction tx(db);
  if (Status s = tx.begin(context); !s.ok()) return s;
  // Another process may have migrated while we waited for the write lock.
  auto version = schema_version(db, path);
  if (!version.ok()) return version.status();
  for (int v = *version + 1; v <= known; ++v) {
    if (Status s = apply_one(db, path, migrations[v - 1]); !s.ok()) return s;
  }
  return tx.commit(context);
}

}  // namespace halo::store
