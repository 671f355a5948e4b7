// store_dead_letters.cpp -- the dead-letter store: records that failed a
// pipeline stage, kept with their original bytes so they can be fixed and
// replayed (`halo deadletters replay`).
//
// Invariant: `raw` is stored as a BLOB, so any bytes (including invalid
// UTF-8 and NUL) come back exactly as written -- except that secret values
// known to the run (common/secrets.h) are masked in message and raw first.
// Invariant: one dead letter per (source, stage, reason, raw) when raw is
// not empty: adding the same bad record again (a re-read file) is a no-op.
#include "store/store_impl.h"

#include <xxhash.h>

#include <limits>
#include "common/secrets.h"

namespace halo {

namespace {

constexpr Sql kAddDeadLetter{
    "add_dead_letter", "dead_letters",
    "INSERT INTO dead_letters(at_ms, stage, reason, message, source, position, raw, content_key) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING"};
constexpr Sql kScanDeadLetters{
    "scan_dead_letters", "dead_letters",
    "SELECT at_ms, stage, reason, message, source, position, raw, id FROM dead_letters ORDER BY "
    "id",
    "itttttti"};
// ?1 source, ?2 reason, ?3 stage (NULL = any), ?4 since, ?5 limit (-1 = all).
constexpr Sql kScanDeadLettersWhere{
    "scan_dead_letters", "dead_letters",
    "SELECT at_ms, stage, reason, message, source, position, raw, id FROM dead_letters "
    "WHERE (?1 IS NULL OR source = ?1) AND (?2 IS NULL OR reason = ?2) "
    "AND (?3 IS NULL OR stage = ?3) AND at_ms >= ?4 ORDER BY id LIMIT ?5",
    "itttttti"};
constexpr Sql kGetDeadLetter{
    "get_dead_letter", "dead_letters",
    "SELECT at_ms, stage, reason, message, source, position, raw, id FROM dead_letters "
    "WHERE id = ?1",
    "itttttti"};
constexpr Sql kDeleteDeadLetter{"delete_dead_letter", "dead_letters",
                                "DELETE FROM dead_letters WHERE id = ?1"};
// OR REPLACE: an update that makes this row equal to another one in
// (source, content_key) removes the other (the unique index keeps one).
constexpr Sql kUpdateDeadLetter{
    "update_dead_letter", "dead_letters",
    "UPDATE OR REPLACE dead_letters SET at_ms = ?2, stage = ?3, reason = ?4, message = ?5, "
    "raw = ?6, content_key = ?7 WHERE id = ?1"};
constexpr Sql kDeadLetterCount{"dead_letter_count", "dead_letters",
                               "SELECT count(*) FROM dead_letters", "i"};

// XXH3-128 of stage, reason and raw, each length-prefixed (8 bytes LE) so
// that no two different triples share an input.
XXH128_canonical_t content_key(const DeadLetter &d) {
  std::string key;
  for (const std::string *part : {&d.stage, &d.reason, &d.raw}) {
    uint64_t n = part->size();
    for (int i = 0; i < 8; ++i) key.push_back(static_cast<char>(n >> (8 * i)));
    key += *part;
  }
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits(key.data(), key.size()));
  return canonical;
}

// Columns 0..7 of the scans above into `d`.
void read_dead_letter(const sqlite::Statement &st, DeadLetter &d) {
  d.at_ms = st.column_int(0);
  d.stage.assign(st.column_bytes(1));
  d.reason.assign(st.column_bytes(2));
  d.message.assign(st.column_bytes(3));
  d.source.assign(st.column_bytes(4));
  d.position.assign(st.column_bytes(5));
  d.raw.assign(st.column_bytes(6));
  d.id = from_sql(st.column_int(7));
}

}  // namespace

Status SqliteStore::add_dead_letter(const DeadLetter &given) {
  // Stored as masked (docs/security.md, "## Secrets"): a record or message
  // quoting a secret value keeps "***" in its place.
  DeadLetter d = given;
  d.message = mask_secrets(d.message);
  d.raw = mask_secrets(d.raw);
  const XXH128_canonical_t key = content_key(d);  // bound SQLITE_STATIC: outlives step()
  return impl_->write(kAddDeadLetter, [&](sqlite::Statement &st) {
    st.bind_int(1, d.at_ms);
    st.bind_text(2, d.stage);
    st.bind_text(3, d.reason);
    st.bind_text(4, d.message);
    st.bind_text(5, d.source);
    st.bind_text(6, d.position);
    st.bind_blob(7, d.raw.data(), d.raw.size());
    if (d.raw.empty()) return;  // ?8 stays NULL: a message-only dead letter
    st.bind_blob(8, key.digest, sizeof key.digest);
  });
}

Result<uint64_t> SqliteStore::dead_letter_count() {
  return impl_->count(kDeadLetterCount);
}

Status SqliteStore::scan_dead_letters(const std::function<void(const DeadLetter &)> &fn) {
  DeadLetter d;
  return impl_->scan(
      kScanDeadLetters, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        read_dead_letter(st, d);
        fn(d);
        return Status::Ok();
      });
}

}  // namespace halo

namespace halo {

Status SqliteStore::scan_dead_letters(const DeadLetterFilter &filter,
                                      const std::function<void(const DeadLetter &)> &fn) {
  DeadLetter d;
  return impl_->scan(
      kScanDeadLettersWhere,
      [&](sqlite::Statement &st) {
        // Unbound parameters are NULL: "any".
        if (!filter.source.empty()) st.bind_text(1, filter.source);
        if (!filter.reason.empty()) st.bind_text(2, filter.reason);
        if (!filter.stage.empty()) st.bind_text(3, filter.stage);
        st.bind_int(4, filter.since_ms.value_or(std::numeric_limits<int64_t>::min()));
        st.bind_int(5, filter.limit == 0 ? -1 : to_sql(filter.limit));
      },
      [&](sqlite::Statement &st) {
        read_dead_letter(st, d);
        fn(d);
        return Status::Ok();
      });
}

Result<std::optional<DeadLetter>> SqliteStore::get_dead_letter(uint64_t id) {
  std::optional<DeadLetter> found;
  Status s = impl_->query(
      kGetDeadLetter, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(id)); },
      [&](sqlite::Statement &st) {
        read_dead_letter(st, found.emplace());
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return found;
}

Status SqliteStore::delete_dead_letter(uint64_t id) {
  return impl_->write(kDeleteDeadLetter,
                      [&](sqlite::Statement &st) { st.bind_int(1, to_sql(id)); });
}

Status SqliteStore::update_dead_letter(const DeadLetter &d) {
  const XXH128_canonical_t key = content_key(d);  // bound SQLITE_STATIC: outlives step()
  return impl_->write(kUpdateDeadLetter, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(d.id));
    st.bind_int(2, d.at_ms);
    st.bind_text(3, d.stage);
    st.bind_text(4, d.reason);
    st.bind_text(5, d.message);
    st.bind_blob(6, d.raw.data(), d.raw.size());
    if (d.raw.empty()) return;  // ?7 stays NULL, as in add_dead_letter
    st.bind_blob(7, key.digest, sizeof key.digest);
  });
}

}  // namespace halo
