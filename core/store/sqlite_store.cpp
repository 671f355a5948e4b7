// sqlite_store.cpp -- the SQLite backend (sqlite_store.h): opening the file,
// explicit transactions, metadata, cursors and clear_derived. The event log,
// identity graph, profiles, dead letters and change log live in
// store_events.cpp, store_identity.cpp, store_profiles.cpp,
// store_dead_letters.cpp and store_changes.cpp.
#include "store/sqlite_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <system_error>

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
  // Checkpointing every 10,000 pages of WAL (160 MiB at 16 KiB pages)
  // instead of SQLite's 1,000 stops large batch commits from paying a
  // checkpoint (and its fsync) several times each. open() sizes the page
  // cache (Impl::set_cache, follow_store_size).
  return sqlite::exec(
      db, "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=10000; PRAGMA temp_store=MEMORY;",
      "sqlite store " + path + ": configure");
}

constexpr Sql kGetMeta{"get_meta", "meta", "SELECT value FROM meta WHERE key = ?1", "t"};
constexpr Sql kSetMeta{"set_meta", "meta",
                       "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value"};
constexpr Sql kGetCursor{"cursor", "cursors", "SELECT value FROM cursors WHERE source = ?1", "t"};
constexpr Sql kSetCursor{"set_cursor", "cursors",
                         "INSERT INTO cursors(source, value) VALUES(?1, ?2) "
                         "ON CONFLICT(source) DO UPDATE SET value = excluded.value"};
// Each min()/max() is one seek in a B-tree (the rowid of profiles, the
// identifiers_by_profile index), so open() stays O(log n). Text sorts above
// every integer in SQLite, so max() surfaces a non-integer id as well.
// One aggregate per subquery: SQLite answers a lone min() or max() from the
// index in O(log n), but scans the whole table for min() and max() together.
constexpr Sql kProfileIdBounds{
    "check_invariants", "profiles",
    "SELECT (SELECT min(id) FROM profiles), (SELECT max(id) FROM profiles)"};
constexpr Sql kIdentifierIdBounds{"check_invariants", "identifiers",
                                  "SELECT (SELECT min(profile_id) FROM identifiers), "
                                  "(SELECT max(profile_id) FROM identifiers)"};

constexpr const char *kClearDerived =
    "DELETE FROM identifiers; DELETE FROM merges; DELETE FROM conflicts; "
    "DELETE FROM profiles; DELETE FROM features; DELETE FROM feature_state; "
    "DELETE FROM meta WHERE key = 'next_profile_id'; "
    "DELETE FROM changes; DELETE FROM consumers; DELETE FROM reemits; "
    // Segment memberships and their changes stay: the rebuild's evaluation
    // of every profile records only what differs (store.h).
    "DELETE FROM segment_checks; "
    // Feature-stage dead letters are derived from logged events: a rebuild
    // makes them again.
    "DELETE FROM dead_letters WHERE stage = 'feature';";

// A reader opens the file SQLITE_OPEN_READWRITE (never _CREATE) and then
// refuses writes with query_only: SQLite removes the -wal and -shm files when
// the last connection closes after a checkpoint, which a SQLITE_OPEN_READONLY
// connection cannot make, so a read-only open of an idle store would leave
// both files behind (https://www.sqlite.org/wal.html, "Read-Only
// Databases"). When the file is not writable, SQLite opens it read-only by
// itself.
Result<sqlite::Connection> open_connection(const std::string &path, bool read_only) {
  // SQLite keeps process-wide allocation statistics by default, taking a
  // global mutex around every allocation of every connection; Halo reads
  // none of them (sqlite3_status), so they are off. The setting must come
  // before SQLite initializes: once, before the first open. A process that
  // initialized SQLite before (SQLITE_MISUSE) keeps its own setting.
  // [https://www.sqlite.org/c3ref/c_config_covering_index_scan.html,
  // SQLITE_CONFIG_MEMSTATUS]
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
  sqlite3 *raw = nullptr;
  int flags = read_only ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  sqlite::Connection db(raw);
  if (rc != SQLITE_OK) {
    return Status::Io("sqlite store " + path + ": cannot open: " +
                      (raw ? sqlite::last_error(raw) : std::string(sqlite3_errstr(rc))));
  }
  // SQLite's own locks are held for moments (a commit, a reader's
  // checkpoint at close); waiting for them beats failing with SQLITE_BUSY.
  sqlite3_busy_timeout(db.get(), 5000);
  return db;
}

// A reader's whole life is one read transaction: every read sees the same
// committed state (WAL gives readers snapshot isolation without blocking the
// writer, https://www.sqlite.org/isolation.html), whatever a concurrent
// `halo run` commits meanwhile. The snapshot starts at the first read.
Status start_snapshot(sqlite3 *db, const std::string &path) {
  return sqlite::exec(db, "PRAGMA query_only=ON; BEGIN DEFERRED",
                      "sqlite store " + path + ": read snapshot");
}

Status missing_store(const std::string &path) {
  return Status::NotFound("sqlite store " + path +
                          " does not exist (no run has written it yet; `halo run` creates it)");
}

// Strict decimal: digits only, no sign or spaces, 1 <= value < 2^63.
std::optional<uint64_t> parse_counter(std::string_view text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (v == 0 || v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return v;
}

std::string what_to_do() {
  return "; run `halo store check PIPELINE.yaml` for details and `halo rebuild PIPELINE.yaml` to "
         "recompute profiles, identifiers and the counter from the event log";
}

// The ids in q's table (min, max) are integers >= 1 below the counter.
Status check_id_bounds(SqliteStore::Impl &impl, const Sql &q, uint64_t next) {
  auto fail = [&](const std::string &what) {
    return Status::Corruption("sqlite store " + impl.path + ": table " + std::string(q.table) +
                              " " + what + what_to_do());
  };
  return impl.query(
      q, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) -> Status {
        if (st.column_type(0) == SQLITE_NULL) return Status::Ok();  // empty table
        if (st.column_type(0) != SQLITE_INTEGER || st.column_type(1) != SQLITE_INTEGER) {
          return fail("holds a profile id that is not an integer");
        }
        int64_t lo = st.column_int(0), hi = st.column_int(1);
        if (lo < 1) return fail("holds profile id " + std::to_string(lo) + "; ids start at 1");
        if (static_cast<uint64_t>(hi) < next) return Status::Ok();
        return fail("holds profile id " + std::to_string(hi) +
                    ", which is not below the profile id counter (table meta, key "
                    "next_profile_id = " +
                    std::to_string(next) +
                    "); new people would silently merge into existing profiles");
      });
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string &path,
                                                       const StoreOpenOptions &options) {
  std::optional<StoreLock> lock;
  if (options.read_only || options.beside_writer) {  // the writer beside made it
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return missing_store(path);
  } else {
    if (Status s = create_parent_dirs(path); !s.ok()) return s;
    auto held = StoreLock::acquire(path);  // before the file is touched
    if (!held.ok()) return held.status();
    lock.emplace(std::move(held).value());
  }
  auto db = open_connection(path, options.read_only);
  if (!db.ok()) return db.status();
  Status s = options.read_only ? start_snapshot(db->get(), path) : configure(db->get(), path);
  if (s.ok()) {
    s = options.read_only || options.beside_writer
            ? store::check_version(db->get(), path, store::halo_migrations())
            : store::migrate(db->get(), path, store::halo_migrations());
  }
  if (!s.ok()) return s;
  auto impl = std::make_unique<Impl>(path, std::move(db).value(), std::move(lock),
                                     options.log_compression_level);
  impl->read_only = options.read_only;
  impl->cache_follows_store = !options.read_only && !options.cache_bytes;
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(impl)));
  if (!options.read_only) {
    if (Status c = store->impl_->set_cache(options.cache_bytes.value_or(kStoreCacheFloorBytes));
        !c.ok()) {
      return c;
    }
    if (store->impl_->cache_follows_store) store->follow_store_size();
  }
  if (options.check_invariants) {
    if (Status c = store->check_invariants(); !c.ok()) return c;
  }
  return store;
}

std::string id_list_json(std::span<const uint64_t> ids) {
  std::string out = "[";
  out.reserve(ids.size() * 8 + 2);
  char digits[24];
  for (uint64_t id : ids) {
    if (out.size() > 1) out.push_back(',');
    auto r = std::to_chars(digits, digits + sizeof(digits), id);
    out.append(digits, r.ptr);
  }
  out.push_back(']');
  return out;
}

SqliteStore::Impl::~Impl() {
  if (write_back.joinable()) write_back.join();
  idle_scans.clear();
  cache.clear();
  if (wal_fd >= 0) ::close(wal_fd);
}

void SqliteStore::Impl::start_log_writeback() {
#ifdef __linux__
  if (wal_fd < 0) wal_fd = ::open((path + "-wal").c_str(), O_RDONLY | O_CLOEXEC);
  if (wal_fd >= 0) (void)::sync_file_range(wal_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

// The page cache (a negative cache_size is KiB) holds the hot profile and
// identifier B-tree pages for the per-commit upserts.
Status SqliteStore::Impl::set_cache(int64_t bytes) {
  const std::string kib = std::to_string(std::max<int64_t>(bytes / 1024, 1));
  Status s = sqlite::exec(db.get(), ("PRAGMA cache_size=-" + kib + ";").c_str(),
                          "sqlite store " + path + ": page cache size");
  if (s.ok()) cache_bytes = bytes;
  return s;
}

void SqliteStore::start_write_back() {
  if (impl_->read_only || impl_->write_back_running.load()) return;
  if (impl_->write_back.joinable()) impl_->write_back.join();
  impl_->write_back_running = true;
  auto write_back = [impl = impl_.get()] {
    // A connection of its own: the store's is not to be used from two
    // threads (SQLITE_OPEN_NOMUTEX). Not the last one to close, so closing
    // it checkpoints nothing more.
    auto db = open_connection(impl->path, /*read_only=*/true);
    if (db.ok()) {
      // A fresh connection knows the file is in WAL mode only once it has
      // read the header; until then the checkpoint does nothing.
      (void)sqlite3_exec(db->get(), "PRAGMA schema_version", nullptr, nullptr, nullptr);
      (void)sqlite3_wal_checkpoint_v2(db->get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                      nullptr);
    }
    impl->write_back_running = false;
  };
  try {
    impl_->write_back = std::thread(write_back);
  } catch (const std::system_error &) {  // no thread now: closing does the work
    impl_->write_back_running = false;
  }
}

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteStore::~SqliteStore() {
  // A reader's snapshot ends when its connection closes.
  if (impl_->in_transaction() && !impl_->read_only) (void)rollback();
}

const std::string &SqliteStore::path() const {
  return impl_->path;
}

// A reader's snapshot is a SQLite read transaction too, but not one begin()
// opened: the interface reports only those (store.h).
bool SqliteStore::in_transaction() const {
  return !impl_->read_only && impl_->in_transaction();
}

Status SqliteStore::begin() {
  if (Status s = impl_->require_writable("begin"); !s.ok()) return s;
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

Status SqliteStore::commit() {
  if (Status s = impl_->require_writable("commit"); !s.ok()) return s;
  if (Status s = impl_->require_transaction("commit"); !s.ok()) return s;
  Status s = sqlite::exec(impl_->db.get(), "COMMIT", "sqlite store " + impl_->path + ": commit");
  if (!s.ok()) return s;
  impl_->start_log_writeback();
  if (impl_->cache_follows_store) follow_store_size();
  return Status::Ok();
}

// Grows the page cache with the profile id counter, in steps of at least
// an eighth, so that a run of small commits does not re-size it each time.
// A hint only: the commit has happened, and a counter that cannot be read
// (a damaged store that the rebuild is about to repair) leaves the size as
// it is. The cache never shrinks: a rebuild restarts the counter from 1.
void SqliteStore::follow_store_size() {
  auto next = next_profile_id();
  if (!next.ok()) return;
  const int64_t wanted = auto_store_cache_bytes(*next > 0 ? *next - 1 : 0);
  if (wanted - impl_->cache_bytes >= impl_->cache_bytes / 8) (void)impl_->set_cache(wanted);
}

Status SqliteStore::rollback() {
  if (Status s = impl_->require_writable("rollback"); !s.ok()) return s;
  if (Status s = impl_->require_transaction("rollback"); !s.ok()) return s;
  return sqlite::exec(impl_->db.get(), "ROLLBACK", "sqlite store " + impl_->path + ": rollback");
}

Result<std::optional<std::string>> SqliteStore::get_meta(const std::string &key) {
  std::optional<std::string> value;
  Status s = impl_->query(
      kGetMeta, [&](sqlite::Statement &st) { st.bind_text(1, key); },
      [&](sqlite::Statement &st) {
        value.emplace(st.column_bytes(0));
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return value;
}

Status SqliteStore::set_meta(const std::string &key, const std::string &value) {
  return impl_->write(kSetMeta, [&](sqlite::Statement &st) {
    st.bind_text(1, key);
    st.bind_text(2, value);
  });
}

Result<uint64_t> SqliteStore::next_profile_id() {
  auto text = get_meta("next_profile_id");
  if (!text.ok()) return text.status();
  if (!text->has_value()) return uint64_t{1};
  if (auto v = parse_counter(**text)) return *v;
  std::string shown = (*text)->substr(0, 40);
  return Status::Corruption("sqlite store " + impl_->path +
                            ": table meta, key next_profile_id holds '" + shown +
                            "', which is not a profile id counter (a decimal number from 1 to "
                            "2^63-1)" +
                            what_to_do());
}

Status SqliteStore::check_invariants() {
  auto next = next_profile_id();
  if (!next.ok()) return next.status();
  for (const Sql *q : {&kProfileIdBounds, &kIdentifierIdBounds}) {
    if (Status s = check_id_bounds(*impl_, *q, *next); !s.ok()) return s;
  }
  return Status::Ok();
}

Result<std::optional<std::string>> SqliteStore::cursor(const std::string &source) {
  std::optional<std::string> value;
  Status s = impl_->query(
      kGetCursor, [&](sqlite::Statement &st) { st.bind_text(1, source); },
      [&](sqlite::Statement &st) {
        value.emplace(st.column_bytes(0));
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return value;
}

Status SqliteStore::set_cursor(const std::string &source, std::string_view value) {
  return impl_->write(kSetCursor, [&](sqlite::Statement &st) {
    st.bind_text(1, source);
    st.bind_blob(2, value.data(), value.size());
  });
}

Status SqliteStore::clear_derived() {
  if (Status s = impl_->require_transaction("clear_derived"); !s.ok()) return s;
  return sqlite::exec(impl_->db.get(), kClearDerived,
                      "sqlite store " + impl_->path + ": clear_derived");
}

}  // namespace halo
