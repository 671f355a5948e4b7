// store_check.cpp -- `halo store check` (see store_check.h): SQLite's
// PRAGMA integrity_check (https://www.sqlite.org/pragma.html#pragma_integrity_check)
// plus Halo's invariants, each over the whole file.
#include "store/store_check.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <string_view>
#include <vector>

#include "profile/typed_codec.h"
#include "store/migrations.h"
#include "store/sqlite_db.h"
#include "store/sqlite_store.h"
#include "store/store_impl.h"

namespace halo {

namespace {

// Tables recomputed from the event log by `halo rebuild` (Store::clear_derived).
bool is_derived(std::string_view table) {
  for (std::string_view t :
       {"identifiers", "merges", "conflicts", "profiles", "features", "feature_state", "changes",
        "consumers", "reemits", "segment_definitions", "segment_members", "segment_events",
        "segment_checks"}) {
    if (t == table) return true;
  }
  return false;
}

// Profile id columns: each must hold integers >= 1, below the counter.
struct IdColumn {
  const char *table, *column;
};
constexpr IdColumn kIdColumns[] = {
    {"profiles", "id"},
    {"identifiers", "profile_id"},
    {"features", "profile_id"},
    {"feature_state", "profile_id"},
    {"merges", "from_profile"},
    {"merges", "into_profile"},
    {"changes", "profile_id"},
    {"reemits", "profile_id"},
    {"segment_members", "profile_id"},
    {"segment_events", "profile_id"},
    {"segment_checks", "profile_id"},
};

// Every column with the storage class its readers accept: 'i' INTEGER,
// 't' TEXT or BLOB (see Sql::columns in store_impl.h).
struct TableColumns {
  const char *table;
  std::vector<std::pair<const char *, char>> columns;
};
const std::vector<TableColumns> &schema_columns() {
  static const std::vector<TableColumns> kTables = {
      {"meta", {{"key", 't'}, {"value", 't'}}},
      {"cursors", {{"source", 't'}, {"value", 't'}}},
      {"event_batches",
       {{"first_seq", 'i'},
        {"last_seq", 'i'},
        {"count", 'i'},
        {"codec", 'i'},
        {"data_size", 'i'},
        {"keys", 't'},
        {"data", 't'}}},
      {"identifiers", {{"type", 't'}, {"value", 't'}, {"profile_id", 'i'}}},
      {"merges", {{"from_profile", 'i'}, {"into_profile", 'i'}, {"sequence", 'i'}}},
      {"conflicts",
       {{"sequence", 'i'}, {"type", 't'}, {"value", 't'}, {"profile_id", 'i'}, {"reason", 't'}}},
      {"profiles", {{"id", 'i'}, {"traits", 't'}, {"updated_at_ms", 'i'}}},
      {"features", {{"profile_id", 'i'}, {"features", 't'}}},
      {"feature_state", {{"instance", 't'}, {"profile_id", 'i'}, {"data", 't'}}},
      {"model_fits",
       {{"instance", 't'},
        {"fitted_at_ms", 'i'},
        {"as_of_ms", 'i'},
        {"profiles", 'i'},
        {"last_sequence", 'i'},
        {"params", 't'},
        {"config", 't'},
        {"model", 't'}}},
      {"changes",
       {{"sequence", 'i'},
        {"profile_id", 'i'},
        {"kinds", 'i'},
        {"merged_into", 'i'},
        {"at_ms", 'i'}}},
      {"consumers", {{"name", 't'}, {"position", 'i'}}},
      {"reemits", {{"profile_id", 'i'}, {"due_ms", 'i'}}},
      {"segment_definitions",
       {{"name", 't'}, {"expression", 't'}, {"size", 'i'}, {"changed_at_ms", 'i'}}},
      {"segment_members", {{"profile_id", 'i'}, {"segments", 't'}}},
      {"segment_events", {{"profile_id", 'i'}, {"entered", 't'}, {"exited", 't'}, {"at_ms", 'i'}}},
      {"segment_checks", {{"profile_id", 'i'}, {"due_ms", 'i'}}},
      {"trigger_timers",
       {{"trigger", 't'},
        {"profile_id", 'i'},
        {"occurrence", 'i'},
        {"due_ms", 'i'},
        {"started_at_ms", 'i'}}},
      {"outbox",
       {{"idempotency_key", 't'},
        {"trigger", 't'},
        {"profile_id", 'i'},
        {"channel", 't'},
        {"destination", 't'},
        {"template", 't'},
        {"variables", 't'},
        {"status", 't'},
        {"created_at_ms", 'i'},
        {"updated_at_ms", 'i'},
        {"attempts", 't'},
        {"fired_at_ms", 'i'},
        {"reason", 't'},
        {"attempt_count", 'i'},
        {"next_attempt_ms", 'i'}}},
      {"dead_letters",
       {{"at_ms", 'i'},
        {"stage", 't'},
        {"reason", 't'},
        {"message", 't'},
        {"source", 't'},
        {"position", 't'},
        {"raw", 't'}}},
  };
  return kTables;
}

class Checker {
 public:
  Checker(sqlite3 *db, StoreCheckReport &report) : db_(db), report_(report) {}

  void problem(const std::string &table, const std::string &message) {
    report_.problems.push_back({table, message, is_derived(table)});
  }
  void problem(const std::string &table, const std::string &message, bool rebuildable) {
    report_.problems.push_back({table, message, rebuildable});
  }
  void passed(const std::string &line) { report_.passed.push_back(line); }
  bool has_problem_in(const std::string &table) const {
    for (const StoreProblem &p : report_.problems) {
      if (p.table == table) return true;
    }
    return false;
  }

  // Runs `sql`, calling row() per result row; a SQLite error becomes a
  // problem in `table` (not fixable by a rebuild: damaged pages stay
  // damaged) and returns false.
  bool rows(const std::string &table, const std::string &what, const std::string &sql,
            const std::function<void(sqlite::Statement &)> &row) {
    auto st = sqlite::Statement::prepare(db_, sql);
    if (!st.ok()) {
      problem(table, what + ": cannot read: " + sqlite::last_error(db_), false);
      return false;
    }
    for (;;) {
      int rc = st->step();
      if (rc == SQLITE_DONE) return true;
      if (rc != SQLITE_ROW) {
        problem(table, what + ": cannot read: " + sqlite::last_error(db_), false);
        return false;
      }
      row(*st);
    }
  }

  void integrity();
  void column_types();
  bool id_columns(uint64_t next_profile_id);  // true when all are fine
  void linked_profiles();
  void segment_members();
  void event_ranges();
  void change_log();

 private:
  std::string table_of_message(const std::string &message);

  sqlite3 *db_;
  StoreCheckReport &report_;
  std::map<std::string, std::string> index_table_;  // index or table name -> table
  std::map<int64_t, std::string> root_table_;       // B-tree root page -> table
};

// integrity_check names a B-tree by its root page ("On tree page N",
// "Tree N page ...", "Page N: ...") or an index by name ("... in index
// NAME"); pages below the root cannot be traced back cheaply and stay "".
std::string Checker::table_of_message(const std::string &message) {
  for (const auto &[name, table] : index_table_) {
    if (message.find("index " + name) != std::string::npos) return table;
  }
  for (std::string_view marker : {"tree page ", "Tree ", "Page "}) {
    size_t at = message.find(marker);
    if (at == std::string::npos) continue;
    int64_t page = std::strtoll(message.c_str() + at + marker.size(), nullptr, 10);
    auto it = root_table_.find(page);
    if (it != root_table_.end()) return it->second;
  }
  return "";
}

void Checker::integrity() {
  rows("", "reading the schema", "SELECT name, tbl_name, rootpage FROM sqlite_schema",
       [&](sqlite::Statement &st) {
         std::string name(st.column_bytes(0)), table(st.column_bytes(1));
         index_table_[name] = table;
         root_table_[st.column_int(2)] = table;
       });
  std::vector<std::string> messages;
  // A damaged page can stop the check itself after some messages: those
  // are reported too.
  // A row may hold several messages, one per line.
  bool ran =
      rows("", "SQLite integrity check", "PRAGMA integrity_check(100)", [&](sqlite::Statement &st) {
        std::string_view text = st.column_bytes(0);
        while (!text.empty()) {
          size_t eol = std::min(text.find('\n'), text.size());
          std::string_view line = text.substr(0, eol);
          if (!line.empty() && !line.starts_with("*** ")) messages.emplace_back(line);
          text.remove_prefix(std::min(eol + 1, text.size()));
        }
      });
  if (ran && messages.size() == 1 && messages[0] == "ok") {
    passed("SQLite integrity check");
    return;
  }
  constexpr size_t kShown = 10;
  for (size_t i = 0; i < messages.size() && i < kShown; ++i) {
    // Page-level damage is not fixed by a rebuild, even in a derived table:
    // clearing the table has to read the damaged pages.
    report_.problems.push_back(
        {table_of_message(messages[i]), "SQLite integrity check: " + messages[i], false});
  }
  if (messages.size() > kShown) {
    report_.problems.push_back(
        {"",
         "SQLite integrity check: " + std::to_string(messages.size() - kShown) + " more message(s)",
         false});
  }
}

// A value of another storage class would make a read fail (Sql::columns).
void Checker::column_types() {
  size_t before = report_.problems.size();
  for (const TableColumns &t : schema_columns()) {
    std::string cond;
    for (const auto &[name, kind] : t.columns) {
      if (!cond.empty()) cond += " AND ";
      cond += kind == 'i' ? std::string("typeof(") + name + ") = 'integer'"
                          : std::string("typeof(") + name + ") IN ('text', 'blob')";
    }
    int64_t bad = 0;
    std::string sql = std::string("SELECT count(*) FROM ") + t.table + " WHERE NOT (" + cond + ")";
    if (!rows(t.table, "checking column types", sql,
              [&](sqlite::Statement &st) { bad = st.column_int(0); })) {
      continue;
    }
    if (bad > 0) {
      problem(t.table, std::to_string(bad) +
                           " row(s) hold a value of another type than the schema's (damaged or "
                           "edited by hand)");
    }
  }
  if (report_.problems.size() == before) passed("every column holds the schema's types");
}

bool Checker::id_columns(uint64_t next_profile_id) {
  size_t before = report_.problems.size();
  for (const IdColumn &c : kIdColumns) {
    std::string col = c.column;
    std::string sql = "SELECT coalesce(sum(typeof(" + col + ") != 'integer' OR " + col +
                      " < 1), 0), max(CASE WHEN typeof(" + col + ") = 'integer' THEN " + col +
                      " END) FROM " + c.table;
    int64_t bad = 0, highest = 0;
    if (!rows(c.table, std::string("checking profile ids in ") + c.column, sql,
              [&](sqlite::Statement &st) {
                bad = st.column_int(0);
                highest = st.column_int(1);
              })) {
      continue;
    }
    if (bad > 0) {
      problem(c.table, std::to_string(bad) + " row(s) where " + col +
                           " is not a profile id (an integer >= 1)");
    }
    if (highest > 0 && static_cast<uint64_t>(highest) >= next_profile_id) {
      problem(c.table, "profile id " + std::to_string(highest) + " in " + col +
                           " is not below the profile id counter (meta next_profile_id = " +
                           std::to_string(next_profile_id) +
                           "); new people would silently merge into existing profiles");
    }
  }
  return report_.problems.size() == before;
}

void Checker::linked_profiles() {
  int64_t orphans = 0;
  bool ran = rows("identifiers", "checking that linked profiles exist",
                  "SELECT count(*) FROM identifiers i WHERE NOT EXISTS "
                  "(SELECT 1 FROM profiles p WHERE p.id = i.profile_id)",
                  [&](sqlite::Statement &st) { orphans = st.column_int(0); });
  if (!ran) return;
  if (orphans > 0) {
    problem("identifiers", std::to_string(orphans) +
                               " identifier(s) linked to a profile that table profiles does "
                               "not hold");
  } else {
    passed("every identifier links to a stored profile");
  }
}

// Members are live profiles of defined segments, and each segment's size
// counts its members.
void Checker::segment_members() {
  int64_t orphans = 0, undefined = 0, miscounted = 0;
  std::map<std::string, int64_t> counted;
  bool ran = rows("segment_members", "checking segment members",
                  "SELECT m.segments, EXISTS (SELECT 1 FROM profiles p WHERE p.id = m.profile_id) "
                  "FROM segment_members m",
                  [&](sqlite::Statement &st) {
                    orphans += st.column_int(1) == 0;
                    for (std::string &n : split_segment_names(st.column_bytes(0)))
                      ++counted[std::move(n)];
                  });
  std::map<std::string, int64_t> sizes;
  ran = ran && rows("segment_definitions", "checking segment sizes",
                    "SELECT name, size FROM segment_definitions", [&](sqlite::Statement &st) {
                      sizes[std::string(st.column_bytes(0))] = st.column_int(1);
                    });
  if (!ran) return;
  for (const auto &[name, n] : counted) undefined += sizes.count(name) ? 0 : n;
  for (const auto &[name, size] : sizes) {
    auto it = counted.find(name);
    miscounted += size != (it == counted.end() ? 0 : it->second);
  }
  if (orphans > 0) {
    problem("segment_members", std::to_string(orphans) +
                                   " membership row(s) of a profile that table profiles does "
                                   "not hold");
  }
  if (undefined > 0) {
    problem("segment_members",
            std::to_string(undefined) + " membership(s) of a segment that is not defined");
  }
  if (miscounted > 0) {
    problem("segment_definitions",
            std::to_string(miscounted) + " segment(s) whose size is not their member count");
  }
  if (orphans == 0 && undefined == 0 && miscounted == 0) {
    passed("segment members are stored profiles and segment sizes count them");
  }
}

void Checker::event_ranges() {
  int64_t bad = 0, first_bad = 0;
  bool ran = rows("event_batches", "checking sequence ranges",
                  "SELECT count(*), min(first_seq) FROM (SELECT first_seq, last_seq, count, "
                  "lag(last_seq, 1, 0) OVER (ORDER BY first_seq) AS prev FROM event_batches) "
                  "WHERE count < 1 OR first_seq != prev + 1 OR last_seq != first_seq + count - 1",
                  [&](sqlite::Statement &st) {
                    bad = st.column_int(0);
                    first_bad = st.column_int(1);
                  });
  if (!ran) return;
  if (bad > 0) {
    problem("event_batches", std::to_string(bad) +
                                 " batch row(s) whose sequence range does not continue the "
                                 "log, the first at first_seq=" +
                                 std::to_string(first_bad));
  } else {
    passed("event log sequence ranges are consecutive");
  }
}

// The change log numbers its entries 1, 2, 3, ... with known kinds, and no
// consumer is past its end (a consumer ahead of the log would skip the
// changes that fill the gap).
void Checker::change_log() {
  int64_t count = 0, last = 0, bad_kinds = 0, ahead = 0;
  bool ran = rows("changes", "checking the change log",
                  "SELECT count(*), coalesce(max(sequence), 0), "
                  "sum(kinds < 1 OR kinds > " +
                      std::to_string(kChangeKindsKnown) + ") FROM changes",
                  [&](sqlite::Statement &st) {
                    count = st.column_int(0);
                    last = st.column_int(1);
                    bad_kinds = st.column_int(2);
                  });
  ran = ran && rows("consumers", "checking consumer cursors",
                    "SELECT count(*) FROM consumers WHERE position > "
                    "(SELECT coalesce(max(sequence), 0) FROM changes) OR position < 0",
                    [&](sqlite::Statement &st) { ahead = st.column_int(0); });
  if (!ran) return;
  bool ok = true;
  if (count != last) {
    problem("changes", "the change log has " + std::to_string(count) +
                           " entries but its last sequence is " + std::to_string(last) +
                           " (entries are missing or numbered out of order)");
    ok = false;
  }
  if (bad_kinds > 0) {
    problem("changes", std::to_string(bad_kinds) + " change-log entries with unknown kinds");
    ok = false;
  }
  if (ahead > 0) {
    problem("consumers",
            std::to_string(ahead) + " consumer cursor(s) beyond the end of the change log");
    ok = false;
  }
  if (ok) passed("change log is consecutive (" + std::to_string(count) + " entries)");
}

// Decodes every logged batch and message-key column through the Store.
void check_event_log(Store &store, Checker &check) {
  uint64_t events = 0;
  Status s = store.scan_events([&](const std::vector<LoggedEvent> &batch) {
    events += batch.size();
    return Status::Ok();
  });
  if (s.ok()) s = store.scan_message_keys([](const MessageKey *, size_t) {});
  if (!s.ok()) {
    check.problem("event_batches", s.message());
    return;
  }
  check.passed("event log decodes (" + std::to_string(events) + " events)");
}

// Decodes every profile's typed traits and features (profile/typed_codec.h),
// so a damaged row is found here and not in the middle of a run. Both are
// derived tables: `halo rebuild` rewrites them.
void check_typed_values(Store &store, Checker &check) {
  constexpr size_t kShown = 10;
  uint64_t profiles = 0, bad = 0;
  NamedValues features;
  Status s = store.scan_profiles([&](const StoredProfile &p) {
    ++profiles;
    for (const auto &[table, status] :
         {std::pair{"profiles", decode_traits(p.traits, [](const TraitRecord &) {})},
          std::pair{"features", decode_features(p.features, &features)}}) {
      if (status.ok()) continue;
      if (++bad <= kShown) {
        check.problem(table, "profile " + std::to_string(p.id) + ": " + status.message(),
                      /*rebuildable=*/true);
      }
    }
  });
  if (!s.ok()) {
    // A row the scan cannot read was already named by column_types().
    if (!check.has_problem_in("profiles") && !check.has_problem_in("features")) {
      check.problem("profiles", s.message());
    }
    return;
  }
  if (bad > kShown) {
    check.problem("profiles", std::to_string(bad - kShown) + " more undecodable row(s)",
                  /*rebuildable=*/true);
  }
  if (bad == 0) {
    check.passed("typed traits and features decode (" + std::to_string(profiles) + " profiles)");
  }
}

// The counter, then every profile id column against it.
void check_ids(Store &store, Checker &check) {
  auto next = store.next_profile_id();
  if (!next.ok()) {
    check.problem("meta", next.status().message(), /*rebuildable=*/true);  // rebuild resets it
    return;
  }
  check.passed("profile id counter (next " + std::to_string(*next) + ") is valid");
  if (check.id_columns(*next)) {
    check.passed("every stored profile id is an integer >= 1 below the counter");
  }
}

}  // namespace

// Every check runs on one read-only Store, so on one snapshot: a `halo run`
// committing meanwhile cannot make the counter and the ids disagree.
Result<StoreCheckReport> check_store(const std::string &path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound("sqlite store " + path +
                            " does not exist (nothing to check; `halo run` creates it)");
  }
  StoreCheckReport report;
  auto store = SqliteStore::open(path, {.read_only = true, .check_invariants = false});
  if (!store.ok()) {
    // Empty (the first run may be creating it), or removed since.
    if (store.status().code() == StatusCode::kNotFound) return store.status();
    // The file does not open, or its tables are not the ones this build knows.
    report.problems.push_back({"", store.status().message(), false});
    return report;
  }
  report.passed.push_back("schema version " + std::to_string(store::halo_migrations().size()));
  Checker check(StoreAccess::db(**store), report);
  check.integrity();
  check.column_types();
  check_ids(**store, check);
  check.linked_profiles();
  check.segment_members();
  check.event_ranges();
  check.change_log();
  check_event_log(**store, check);
  check_typed_values(**store, check);
  return report;
}

}  // namespace halo
