// store.cpp -- opening the store, explicit transactions, metadata, cursors
// and clear_derived. The event log, identity graph, profiles and dead letters
// live in store_events.cpp, store_identity.cpp, store_profiles.cpp and
// store_dead_letters.cpp.
#include "store/store.h"

#include <filesystem>

#include "store/migrations.h"
#include "store/store_impl.h"

namespace halo {

namespace {

Status create_parent_dirs(const std::string &path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return Status::Ok();
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    return Status::Io("sqlite store " + path + ": cannot create directory " + parent.string() +
                      ": " + ec.message());
  }
  return Status::Ok();
}

// WAL lets readers run beside the writer; synchronous=NORMAL syncs only at
// checkpoints, which is safe in WAL mode (see store.h "Durability").
Status configure(sqlite3 *db, const std::string &path) {
  sqlite3_busy_timeout(db, 5000);
  // 16 KiB pages: the event log's compressed batches span far fewer
  // overflow pages and the per-profile upserts touch fewer nodes; measured
  // ~7% faster end to end than the 4 KiB default (docs/benchmarks.md).
  // Only takes effect on a new, empty file (before WAL is enabled).
  (void)sqlite::exec(db, "PRAGMA page_size=16384;", "sqlite store " + path + ": page size");
  auto mode = sqlite::Statement::prepare(db, "PRAGMA journal_mode=WAL");
  if (!mode.ok() || mode->step() != SQLITE_ROW) {
    return Status::Io("sqlite store " + path + ": cannot open: " + sqlite::last_error(db) +
                      " (is this a SQLite database?)");
  }
  std::string_view got = mode->column_bytes(0);
  if (got != "wal" && got != "memory") {
    return Status::Io("sqlite store " + path + ": cannot enable WAL journal mode (got '" +
                      std::string(got) + "'); put the store on a local file system");
  }
  // A 64 MiB page cache keeps the profile and identifier B-trees in memory
  // for the per-commit upserts; checkpointing every ~40 MiB of WAL instead
  // of SQLite's 4 MiB default stops large batch commits from paying a
  // checkpoint (and its fsync) several times each.
  return sqlite::exec(db,
                      "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; "
                      "PRAGMA wal_autocheckpoint=10000; PRAGMA temp_store=MEMORY;",
                      "sqlite store " + path + ": configure");
}

constexpr std::string_view kGetMeta = "SELECT value FROM meta WHERE key = ?1";
constexpr std::string_view kSetMeta =
    "INSERT INTO meta(key, value) VALUES(?1, ?2) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
constexpr std::string_view kGetCursor = "SELECT value FROM cursors WHERE source = ?1";
constexpr std::string_view kSetCursor =
    "INSERT INTO cursors(source, value) VALUES(?1, ?2) "
    "ON CONFLICT(source) DO UPDATE SET value = excluded.value";

constexpr const char *kClearDerived =
    "DELETE FROM identifiers; DELETE FROM merges; DELETE FROM conflicts; "
    "DELETE FROM profiles; DELETE FROM features; DELETE FROM feature_state; "
    "DELETE FROM meta WHERE key = 'next_profile_id'; "
    // Feature-stage dead letters are derived from logged events: a rebuild
    // makes them again.
    "DELETE FROM dead_letters WHERE stage = 'feature';";

}  // namespace

Result<std::unique_ptr<Store>> Store::open(const std::string &path) {
  if (Status s = create_parent_dirs(path); !s.ok()) return s;
  sqlite3 *raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  sqlite::Connection db(raw);
  if (rc != SQLITE_OK) {
    return Status::Io("sqlite store " + path + ": cannot open: " +
                      (raw ? sqlite::last_error(raw) : std::string(sqlite3_errstr(rc))));
  }
  if (Status s = configure(db.get(), path); !s.ok()) return s;
  if (Status s = store::migrate(db.get(), path, store::halo_migrations()); !s.ok()) return s;
  return std::unique_ptr<Store>(new Store(std::make_unique<Impl>(path, std::move(db))));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Store::~Store() {
  if (impl_->in_transaction()) (void)rollback();
}

const std::string &Store::path() const {
  return impl_->path;
}

bool Store::in_transaction() const {
  return impl_->in_transaction();
}

Status Store::begin() {
  if (impl_->in_transaction()) {
    return Status::Invalid("sqlite store " + impl_->path +
                           ": begin() called while a transaction is open; commit() or "
                           "rollback() it first");
  }
  // IMMEDIATE takes the write lock now, so a later write cannot fail with
  // SQLITE_BUSY half-way through a batch.
  return sqlite::exec(impl_->db.get(), "BEGIN IMMEDIATE",
                      "sqlite store " + impl_->path + ": begin");
}

Status Store::commit() {
  if (Status s = impl_->require_transaction("commit"); !s.ok()) return s;
  return sqlite::exec(impl_->db.get(), "COMMIT", "sqlite store " + impl_->path + ": commit");
}

Status Store::rollback() {
  if (Status s = impl_->require_transaction("rollback"); !s.ok()) return s;
  return sqlite::exec(impl_->db.get(), "ROLLBACK", "sqlite store " + impl_->path + ": rollback");
}

std::optional<std::string> Store::get_meta(const std::string &key) {
  std::optional<std::string> value;
  Status s = impl_->query(
      "get_meta", kGetMeta, [&](sqlite::Statement &st) { st.bind_text(1, key); },
      [&](sqlite::Statement &st) {
        value.emplace(st.column_bytes(0));
        return Status::Ok();
      });
  return s.ok() ? value : std::nullopt;
}

Status Store::set_meta(const std::string &key, const std::string &value) {
  return impl_->write("set_meta", kSetMeta, [&](sqlite::Statement &st) {
    st.bind_text(1, key);
    st.bind_text(2, value);
  });
}

std::optional<std::string> Store::cursor(const std::string &source) {
  std::optional<std::string> value;
  Status s = impl_->query(
      "cursor", kGetCursor, [&](sqlite::Statement &st) { st.bind_text(1, source); },
      [&](sqlite::Statement &st) {
        value.emplace(st.column_bytes(0));
        return Status::Ok();
      });
  return s.ok() ? value : std::nullopt;
}

Status Store::set_cursor(const std::string &source, std::string_view value) {
  return impl_->write("set_cursor", kSetCursor, [&](sqlite::Statement &st) {
    st.bind_text(1, source);
    st.bind_blob(2, value.data(), value.size());
  });
}

Status Store::clear_derived() {
  if (Status s = impl_->require_transaction("clear_derived"); !s.ok()) return s;
  return sqlite::exec(impl_->db.get(), kClearDerived,
                      "sqlite store " + impl_->path + ": clear_derived");
}

}  // namespace halo
