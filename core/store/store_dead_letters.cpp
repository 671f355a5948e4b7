// store_dead_letters.cpp -- the dead-letter store: records that failed a
// pipeline stage, kept with their original bytes so they can be fixed and
// replayed.
//
// Invariant: `raw` is stored as a BLOB, so any bytes (including invalid
// UTF-8 and NUL) come back exactly as written -- except that secret values
// known to the run (common/secrets.h) are masked in message and raw first.
// Invariant: one dead letter per (source, stage, reason, raw) when raw is
// not empty: adding the same bad record again (a re-read file) is a no-op.
#include "store/store_impl.h"

#include <xxhash.h>

#include "common/secrets.h"

namespace halo {

namespace {

constexpr Sql kAddDeadLetter{
    "add_dead_letter", "dead_letters",
    "INSERT INTO dead_letters(at_ms, stage, reason, message, source, position, raw, content_key) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING"};
constexpr Sql kScanDeadLetters{
    "scan_dead_letters", "dead_letters",
    "SELECT at_ms, stage, reason, message, source, position, raw FROM dead_letters ORDER BY id",
    "itttttt"};
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

}  // namespace

Status Store::add_dead_letter(const DeadLetter &given) {
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

Result<uint64_t> Store::dead_letter_count() {
  return impl_->count(kDeadLetterCount);
}

Status Store::scan_dead_letters(const std::function<void(const DeadLetter &)> &fn) {
  DeadLetter d;
  return impl_->scan(
      kScanDeadLetters, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        d.at_ms = st.column_int(0);
        d.stage.assign(st.column_bytes(1));
        d.reason.assign(st.column_bytes(2));
        d.message.assign(st.column_bytes(3));
        d.source.assign(st.column_bytes(4));
        d.position.assign(st.column_bytes(5));
        d.raw.assign(st.column_bytes(6));
        fn(d);
        return Status::Ok();
      });
}

}  // namespace halo
